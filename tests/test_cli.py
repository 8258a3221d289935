"""The command line as a user runs it: a real process, the real embedded Prefect API."""

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from flows.cli import app; app()", *args]
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=600
    )


def test_help_and_clean_do_not_import_prefect(shared_dir: Path) -> None:
    seed = shared_dir / "seed" / "moscow-times-2022-02-15.txt"
    probe = (
        "import sys\nfrom typer.testing import CliRunner\nfrom flows.cli import app\n"
        f"r = CliRunner().invoke(app, ['--help'])\nassert r.exit_code == 0, r.output\n"
        f"r = CliRunner().invoke(app, ['clean', {str(seed)!r}, '--explain'])\nassert r.exit_code == 0, r.output\n"
        "assert 'prefect' not in sys.modules, 'prefect was imported'\n"
    )
    subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True, timeout=120)


def test_clean_prints_the_seed_exactly(shared_dir: Path) -> None:
    seed = shared_dir / "seed"
    expected = json.loads((seed / "expected.json").read_text())
    result = run_cli("clean", str(seed / "moscow-times-2022-02-15.txt"), env={"COLUMNS": "10000"})
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{expected['title']}\n\n{expected['text']}\n"


def test_clean_explain_lists_each_removal_with_its_rule(shared_dir: Path) -> None:
    result = run_cli(
        "clean", str(shared_dir / "seed" / "moscow-times-2022-02-15.txt"), "--explain", env={"COLUMNS": "10000"}
    )
    assert result.returncode == 0, result.stderr
    removal_lines = [line for line in result.stdout.splitlines() if "│" in line]
    assert any("Continue" in line for line in removal_lines)
    assert any("we have a small favor to ask" in line for line in removal_lines)


@pytest.fixture(scope="module")
def prefect_home(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A fresh PREFECT_HOME, as on a new machine, shared by this module's CLI runs."""
    return {"PREFECT_HOME": str(tmp_path_factory.mktemp("prefect-home")), "COLUMNS": "200"}


def test_ingest_example_folder_end_to_end(tmp_path: Path, prefect_home: dict[str, str]) -> None:
    """The README's first command, then read back with DuckDB."""
    out = tmp_path / "output"
    result = run_cli("ingest", "examples/scraped", "--out", str(out), env=prefect_home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all" in result.stdout
    assert count_rows(out) == 6


def count_rows(out: Path) -> int:
    query = f"select count(*) from read_parquet('{out}/articles/**/*.parquet', hive_partitioning=true)"
    return duckdb.connect().execute(query).fetchone()[0]


def test_ingest_exit_code_says_some_inputs_were_rejected(tmp_path: Path, prefect_home: dict[str, str]) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "ok.txt").write_text("A Headline About Nothing\n\nA first paragraph of an ordinary story.\n")
    result = run_cli("ingest", str(tmp_path / "in"), "--out", str(tmp_path / "out"), env=prefect_home)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "decode: DecodeError" in result.stderr
