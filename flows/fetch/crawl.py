"""fetch_all: targets in, RawInput / InputError / Unchanged out, lazily, politely, incrementally."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from urllib.parse import urldefrag

from flows.fetch.archive import RawArchive
from flows.fetch.feeds import is_feed_type, parse_feed
from flows.fetch.http import HttpFetcher, Request, Response, Validators
from flows.fetch.links import Link
from flows.fetch.outcomes import FetchFailure, Unchanged, redact_credentials
from flows.fetch.politeness import Politeness, RunStopped
from flows.fetch.robots import RobotsCache
from flows.fetch.scheduler import Scheduler, Task, TaskResult
from flows.fetch.settings import FetchSettings, FetchTargets
from flows.fetch.sitemaps import is_sitemap_type, parse_sitemap
from flows.fetch.state import FetchState, now_iso
from flows.sources.base import InputError, InputFormat, RawInput

log = logging.getLogger(__name__)
FetchOutput = RawInput | InputError | Unchanged
PAGE_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}


def fetch_all(
    targets: FetchTargets, settings: FetchSettings, state: FetchState, archive: RawArchive
) -> Iterator[FetchOutput]:
    """Sitemaps and feeds are read first, then pages; results come as they finish, any host order."""
    crawl = Crawl(settings, state, archive, targets.since)
    scheduler: Scheduler[FetchOutput] = Scheduler(
        crawl.run, crawl.politeness.ready_in, crawl.politeness.stop, settings.max_workers, settings.per_host_concurrency
    )
    try:
        yield from scheduler.run(initial_tasks(targets))
    finally:
        crawl.close()


def initial_tasks(targets: FetchTargets) -> list[Task]:
    return [
        *(Task("sitemap", url, trusted=True) for url in targets.sitemaps),
        *(Task("feed", url, trusted=True) for url in targets.feeds),
        *(Task("page", clean_url(url), trusted=True) for url in targets.all_page_urls()),
    ]


def clean_url(url: str) -> str:
    """Fragments never reach the server: two links differing only there are one page."""
    return urldefrag(url.strip()).url


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Crawl:
    def __init__(self, settings: FetchSettings, state: FetchState, archive: RawArchive, since: datetime | None):
        self.settings = settings
        self.state = state
        self.archive = archive
        self.since = since
        self.politeness = Politeness(settings.min_delay, settings.per_host_concurrency)
        self.fetcher = HttpFetcher(settings, self.politeness)
        self.robots = RobotsCache(settings, self.fetcher, self.politeness, state)

    def close(self) -> None:
        self.fetcher.close()

    def run(self, task: Task) -> TaskResult[FetchOutput]:
        """Runs in a worker thread; every failure becomes an InputError so the run goes on."""
        handlers = {"page": self.page, "feed": self.feed, "sitemap": self.sitemap}
        try:
            if not self.robots.known(task.url):
                # robots.txt as a step of its own: the worker is not held while the host's delay runs
                self.robots.parser(task.url, guarded=not (self.settings.allow_private_addresses or task.trusted))
                return TaskResult([], again=task)
            return handlers[task.kind](task)
        except RunStopped:
            return TaskResult([])
        except FetchFailure as failure:
            self.state.record_failure(task.url, failure.error_class, failure.http_status)
            return TaskResult([failure.to_input_error(task.url)])
        except Exception as exc:  # noqa: BLE001 - one broken URL must not end the run
            log.exception("unexpected error fetching %s", task.url)
            failure = FetchFailure("internal_error", f"{type(exc).__name__}: {exc}; please report it", task.url)
            return TaskResult([failure.to_input_error(task.url)])

    def page(self, task: Task) -> TaskResult[FetchOutput]:
        response, prior_sha = self._get(task, self.settings.max_page_bytes, is_page_type)
        if response.status == 304:
            return TaskResult([Unchanged(task.url, "page", "not_modified", 304)])
        fmt = page_format(response)
        digest = sha256(response.body)
        if digest == prior_sha:
            self.state.record_success(task.url, response.validators, digest, response.status)
            return TaskResult([Unchanged(task.url, "page", "same_content", response.status)])
        hints = dict(task.hints)
        if response.url != task.url:
            hints["requested_url"] = redact_credentials(task.url)
        raw = RawInput(redact_credentials(task.url), response.body, fmt, redact_credentials(response.url),
                       response.content_type or None, hints)
        # archive first: state must never claim a hash the archive lacks
        self.archive.store(raw, digest, now_iso())
        self.state.record_success(task.url, response.validators, digest, response.status)
        return TaskResult([raw])

    def feed(self, task: Task) -> TaskResult[FetchOutput]:
        response, prior_sha = self._get(task, self.settings.max_feed_bytes, is_feed_type)
        unchanged = self._unchanged_listing(task, response, prior_sha)
        if unchanged is not None:
            return unchanged
        links = parse_feed(response.body, response.url, self.since, response.content_type)
        return self._listing(task, response, links, [])

    def sitemap(self, task: Task) -> TaskResult[FetchOutput]:
        response, prior_sha = self._get(task, self.settings.max_sitemap_bytes, is_sitemap_type)
        unchanged = self._unchanged_listing(task, response, prior_sha)
        if unchanged is not None:
            return unchanged
        found = parse_sitemap(response.body, response.url, self.since, self.settings.max_sitemap_bytes)
        return self._listing(task, response, found.pages, found.children)

    def _get(self, task: Task, limit: int, accept: Callable[[str], bool]) -> tuple[Response, str | None]:
        """A conditional GET when we hold the body from last time; also records a 304."""
        prior = self.state.get(task.url)
        validators = prior.validators if prior is not None and prior.sha256 else Validators()
        request = Request(task.url, limit, accept, self.robots.check, validators, guard_private=not task.trusted)
        response = self.fetcher.get(request)
        if response.status == 304:
            self.state.record_success(task.url, response.validators, None, 304)
        return response, prior.sha256 if prior is not None else None

    def _unchanged_listing(
        self, task: Task, response: Response, prior_sha: str | None
    ) -> TaskResult[FetchOutput] | None:
        """An unchanged feed or sitemap: only its links that failed last time, and child sitemaps."""
        reason = "not_modified" if response.status == 304 else "same_content"
        if response.status != 304:
            digest = sha256(response.body)
            if digest != prior_sha:
                return None
            self.state.record_success(task.url, response.validators, digest, response.status)
        retry = [Task("page", link.url, link.hints) for link in self.state.pages_to_retry(task.url)]
        children = [Task("sitemap", url) for url in self.state.child_sitemaps(task.url)]
        return TaskResult([Unchanged(task.url, task.kind, reason, response.status)], [*children, *retry])

    def _listing(
        self, task: Task, response: Response, pages: list[Link], children: list[str]
    ) -> TaskResult[FetchOutput]:
        pages = [Link(clean_url(link.url), link.hints) for link in pages]
        self.state.remember_links(task.url, pages, children)
        self.state.record_success(task.url, response.validators, sha256(response.body), response.status)
        discovered = [Task("sitemap", url) for url in children]
        return TaskResult([], [*discovered, *(Task("page", link.url, link.hints) for link in pages)])


def is_page_type(mime: str) -> bool:
    return mime in PAGE_TYPES or mime == ""


def page_format(response: Response) -> InputFormat:
    """No Content-Type at all: markup is taken for HTML, anything else refused."""
    if response.mime in PAGE_TYPES:
        return PAGE_TYPES[response.mime]  # type: ignore[return-value]
    if response.body.lstrip()[:1] == b"<":
        return "html"
    raise FetchFailure(
        "wrong_content_type", "no Content-Type and the body is not markup: not a page we clean", response.url, 200
    )
