"""The README documents the schema the code writes and opens with the two commands CI relies on."""

from pathlib import Path

from cleaners.record import COLUMNS, PARTITION_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_schema_table_lists_every_column_in_order() -> None:
    documented = [line.split("|")[1].strip().strip("`") for line in README.splitlines()
                  if line.startswith("| `") and "|" in line[3:]]
    names = [name for name, _, _ in COLUMNS] + [name for name, _ in PARTITION_COLUMNS]
    assert [name for name in documented if name in names] == names


def test_ci_runs_the_readme_test_command() -> None:
    command = "python3 -m pip install -q uv && uv run --frozen pytest"
    assert command in README
    assert command in (ROOT / ".ci" / "run").read_text()
