"""The sources file: what it accepts, and errors that name the line to fix."""

from datetime import timedelta
from pathlib import Path

import pytest

from flows.config import ConfigError, load_sources

VALID = """
[defaults]
out = "data"
timezone = "Europe/Berlin"

[defaults.sites."example.com"]
selectors = [".promo"]
phrases = ["Buy the book"]

[sources.folder]
paths = ["scraped"]
interval = "15m"

[sources.news]
feeds = ["https://news.example.com/rss"]
cron = "0 * * * *"
workers = 2
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text)
    return path


def test_valid_file_gives_one_source_per_table_with_defaults_and_absolute_paths(tmp_path: Path) -> None:
    folder, news = load_sources(write(tmp_path, VALID))
    assert folder.schedule.interval == timedelta(minutes=15)
    assert news.schedule.cron == "0 * * * *"
    assert news.schedule.timezone == "Europe/Berlin"
    assert folder.paths == [str(tmp_path / "scraped")]
    assert folder.out == news.out == str(tmp_path / "data")
    assert news.workers == 2
    assert "promo" in folder.sites["example.com"]["xpaths"][0]
    assert folder.flow_parameters()["source"] == "folder"


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (('interval = "15m"', 'interval = "soon"'), 12, "interval 'soon' is not like"),
        (('cron = "0 * * * *"', 'cron = "every hour"'), 16, "is not five fields"),
        (("workers = 2", "workers = 0"), 17, "workers must be a whole number"),
        (("workers = 2", "wrokers = 2"), 17, "unknown key 'wrokers'"),
        (('timezone = "Europe/Berlin"', 'timezone = "Mars/Olympus"'), 4, "unknown time zone"),
        (('paths = ["scraped"]', 'paths = "scraped"\ncron = "0 0 * * *"'), 10, "exactly one of interval"),
    ],
)
def test_invalid_file_names_the_line(tmp_path: Path, change: tuple[str, str], line: int, words: str) -> None:
    path = write(tmp_path, VALID.replace(*change))
    with pytest.raises(ConfigError) as error:
        load_sources(path)
    assert str(error.value).startswith(f"{path}:{line}: ")
    assert words in str(error.value)


def test_toml_syntax_error_keeps_tomllib_position(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"line 3"):
        load_sources(write(tmp_path, "[sources.a]\npaths = ['x']\ninterval = \n"))


def test_source_without_targets_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="names nothing to read"):
        load_sources(write(tmp_path, '[sources.empty]\ninterval = "1h"\n'))


def test_example_sources_file_is_valid() -> None:
    (source,) = load_sources(Path(__file__).resolve().parents[1] / "examples" / "sources.toml")
    assert source.schedule.interval == timedelta(minutes=1)
    assert Path(source.paths[0]).is_dir()


def test_a_quoted_boolean_is_refused_not_read_as_true(tmp_path: Path) -> None:
    text = VALID.replace('out = "data"', 'out = "data"\nallow_private_addresses = "false"')
    with pytest.raises(ConfigError, match="allow_private_addresses must be true or false"):
        load_sources(write(tmp_path, text))


SOURCE_SITE = '\n[sources.news.sites."other.org"]\nphrases = ["Read our magazine"]\nselectors = ["..promo"]\n'


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (VALID + SOURCE_SITE, 21),
        (VALID.replace("workers = 2", 'workers = 2\nsites = { "other.org" = { selectors = ["..promo"] } }'), 18),
        (VALID.replace('selectors = [".promo"]', 'selectors = ["..promo"]'), 7),
    ],
)
def test_a_bad_site_selector_names_its_own_line(tmp_path: Path, text: str, line: int) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match="bad CSS selector") as error:
        load_sources(path)
    assert str(error.value).startswith(f"{path}:{line}: ")


def test_sites_that_is_not_a_table_is_refused_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("workers = 2", 'workers = 2\nsites = "example.com"'))
    with pytest.raises(ConfigError, match="sites must be a table of domains") as error:
        load_sources(path)
    assert str(error.value).startswith(f"{path}:18: ")


def test_an_object_store_out_stays_a_uri(tmp_path: Path) -> None:
    folder, _ = load_sources(write(tmp_path, VALID.replace('out = "data"', 'out = "s3://news-bucket/copydesk"')))
    assert folder.out == "s3://news-bucket/copydesk"
