"""Polite, incremental web fetching: the ingest flow calls `fetch_all` and consumes it lazily.

    state = FetchState(root / "fetch_state.sqlite")
    archive = RawArchive(root)  # <root>/raw/<host_port>/<sha256>.gz + <root>/raw/index.sqlite
    targets = FetchTargets(feeds=(...,), sitemaps=(...,), urls=(...,), url_files=(path,), since=datetime)
    for item in fetch_all(targets, FetchSettings(contact="mailto:desk@example.org"), state, archive):
        ...  # RawInput -> clean, InputError -> reject row, Unchanged -> count
    state.close(); archive.close()

Re-cleaning without the network: `RawArchive(root).source_uris()` and `.get(uri)` give the archived RawInputs.
"""

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
