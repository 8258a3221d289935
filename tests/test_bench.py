"""Smoke test of `python -m bench --quick`: it runs and writes every figure; timings are never asserted."""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_quick_bench_writes_every_figure(tmp_path: Path, shared_dir: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--out", str(out)], cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"results: {out}" in done.stdout
    results = json.loads(out.read_text())
    assert set(results) == {"environment", "html", "text", "profile", "memory", "cli", "startup", "workers", "targets"}
    assert set(results["html"]["sides"]) == {"copydesk", "bare_extraction", "bare_extraction_precision", "extract"}
    assert {"ratio", "chunk_min", "chunk_max"} <= set(results["html"]["copydesk_vs_bare_extraction"])
    assert {"docs_per_s", "ms_per_doc"} <= set(results["text"]["sides"]["read_write"])
    assert results["text"]["copydesk_docs_per_s_per_worker"] > 0
    assert {"html_stages", "text_stages", "html_hottest", "text_hottest"} <= set(results["profile"])
    assert "parquet_write" in results["profile"]["html_stages"]["ms_per_doc"]
    assert all(run["peak_rss_mb"] > 0 for run in results["memory"]["runs"].values())
    assert {"clean_one_page_s", "help_s"} <= set(results["cli"])
    assert results["startup"] == results["workers"] == {"skipped": "quick run"}
    assert "html copydesk/bare_extraction >= 1.0x" in results["targets"]
