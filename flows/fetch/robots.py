"""robots.txt: fetched once per host (and kept a day), through the same polite client, obeyed for every URL."""

from __future__ import annotations

import threading
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from flows.fetch.http import HttpFetcher, Request
from flows.fetch.outcomes import FetchFailure
from flows.fetch.politeness import Politeness, host_key
from flows.fetch.settings import FetchSettings
from flows.fetch.state import FetchState


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def accept_anything(mime: str) -> bool:
    """Sites serve robots.txt under all sorts of types; the parser copes with any text."""
    return True


class RobotsCache:
    """RFC 9309: a 4xx robots.txt allows everything; an unreachable or 5xx one disallows everything."""

    def __init__(self, settings: FetchSettings, fetcher: HttpFetcher, politeness: Politeness, state: FetchState):
        self.settings = settings
        self.state = state
        self.fetcher = fetcher
        self.politeness = politeness
        self.parsers: dict[str, RobotFileParser] = {}
        self.unreachable: dict[str, FetchFailure] = {}
        self.locks: dict[str, threading.Lock] = {}
        self.lock = threading.Lock()

    def check(self, url: str, guarded: bool) -> None:
        """Raises when robots.txt forbids `url`; the HttpFetcher calls it before every hop."""
        if self.parser(url, guarded).can_fetch(self.settings.robots_token, url):
            return
        cause = self.unreachable.get(host_key(url))
        if cause is not None:
            # a host we cannot reach at all fails as such (dns_error, timeout...), not as a robots problem
            error_class = cause.error_class if cause.http_status is None else "robots_unavailable"
            raise FetchFailure(
                error_class,
                f"robots.txt could not be fetched ({cause.message}); RFC 9309 says to treat the host as "
                "disallowed: retry later",
                url,
                cause.http_status,
            )
        raise FetchFailure(
            "robots_disallowed",
            f"robots.txt of {urlsplit(url).netloc} disallows this URL for {self.settings.robots_token}; "
            "not fetched (ask the site, or drop the URL)",
            url,
        )

    def known(self, url: str) -> bool:
        return host_key(url) in self.parsers

    def parser(self, url: str, guarded: bool) -> RobotFileParser:
        key = host_key(url)
        with self.lock:
            host_lock = self.locks.setdefault(key, threading.Lock())
        # one fetch per host even when several workers ask at once
        with host_lock:
            if key not in self.parsers:
                self.parsers[key] = self._load(url, guarded)
            return self.parsers[key]

    def _load(self, url: str, guarded: bool) -> RobotFileParser:
        """From the state file while younger than robots_max_age (RFC 9309 allows a day), else fetched."""
        key = host_key(url)
        cached = self.state.cached_robots(key, self.settings.robots_max_age)
        if cached is not None:
            return self._parse(url, *cached)
        request = Request(robots_url(url), self.settings.max_robots_bytes, accept_anything, guard_private=guarded)
        try:
            status, body = 200, self.fetcher.get(request).body
        except FetchFailure as failure:
            if not is_client_error(failure.http_status):
                # unreachable is not remembered across runs: the next run asks again
                self.unreachable[key] = failure
                return disallow_all(url)
            status, body = failure.http_status or 400, b""
        self.state.save_robots(key, status, body)
        return self._parse(url, status, body)

    def _parse(self, url: str, status: int, body: bytes) -> RobotFileParser:
        parser = RobotFileParser(robots_url(url))
        if is_client_error(status):
            parser.allow_all = True
            return parser
        text = body.decode("utf-8", errors="replace")
        parser.parse(text.splitlines())
        delay = crawl_delay(text, self.settings.robots_token)
        if delay is not None:
            self.politeness.gate(url).slow_down(min(delay, self.settings.max_crawl_delay))
        return parser


def is_client_error(status: int | None) -> bool:
    """A missing or forbidden robots.txt (4xx, but not 429) means no rules at all."""
    return status is not None and 400 <= status < 500 and status != 429


def disallow_all(url: str) -> RobotFileParser:
    parser = RobotFileParser(robots_url(url))
    parser.disallow_all = True
    return parser


def crawl_delay(text: str, token: str) -> float | None:
    """urllib.robotparser drops fractional delays ("Crawl-delay: 0.5"); our group first, else `*`."""
    delays: dict[str, float] = {}
    agents: list[str] = []
    in_rules = False
    for line in text.splitlines():
        name, _, value = line.split("#", 1)[0].partition(":")
        name, value = name.strip().lower(), value.strip()
        if name == "user-agent":
            agents = [] if in_rules else agents
            agents.append(value.lower())
            in_rules = False
        elif name in ("allow", "disallow", "crawl-delay"):
            in_rules = True
            if name == "crawl-delay" and is_number(value):
                delays.update({agent: float(value) for agent in agents})
    ours = [delay for agent, delay in delays.items() if agent != "*" and agent in token.lower()]
    return ours[0] if ours else delays.get("*")


def is_number(value: str) -> bool:
    try:
        return float(value) >= 0
    except ValueError:
        return False
