"""Polite, incremental web fetching: the ingest flow calls `fetch_all` and consumes it lazily."""

from flows.fetch.archive import RawArchive
from flows.fetch.crawl import FetchOutput, fetch_all
from flows.fetch.outcomes import Unchanged
from flows.fetch.settings import FetchSettings, FetchTargets, read_url_list
from flows.fetch.state import FetchState

__all__ = [
    "FetchOutput",
    "FetchSettings",
    "FetchState",
    "FetchTargets",
    "RawArchive",
    "Unchanged",
    "fetch_all",
    "read_url_list",
]
