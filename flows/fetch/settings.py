"""What to fetch and how politely: the caller's knobs, with production defaults."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cleaners.record import PIPELINE_VERSION

# the CLI should pass the operator's own URL or mailto: so sites can reach whoever runs the crawl
DEFAULT_CONTACT = "mailto:unset-contact@copydesk.invalid"


@dataclass(frozen=True)
class FetchTargets:
    """Operator-given starting points; `since` drops feed entries and sitemap URLs older than it."""

    urls: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    url_files: tuple[Path, ...] = ()
    since: datetime | None = None

    def all_page_urls(self) -> list[str]:
        return [*self.urls, *(url for path in self.url_files for url in read_url_list(path))]


def read_url_list(path: Path) -> list[str]:
    """One URL a line; blank lines and `#` comments are skipped."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


@dataclass(frozen=True)
class FetchSettings:
    """Byte caps hold after decompression. `min_delay` is the pause between the end of one request and
    the start of the next to the same host; a larger Crawl-delay (up to `max_crawl_delay`) replaces it."""

    contact: str = DEFAULT_CONTACT
    user_agent: str | None = None
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 120.0
    retries: int = 3
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    max_retry_after: float = 300.0
    max_redirects: int = 5
    max_page_bytes: int = 10 * 1024 * 1024
    max_feed_bytes: int = 20 * 1024 * 1024
    # the sitemap protocol allows 50 MB uncompressed per file
    max_sitemap_bytes: int = 50 * 1024 * 1024
    max_robots_bytes: int = 512 * 1024
    min_delay: float = 1.0
    max_crawl_delay: float = 60.0
    robots_max_age: timedelta = timedelta(hours=24)
    per_host_concurrency: int = 1
    max_workers: int = 16
    allow_private_addresses: bool = False

    def __post_init__(self) -> None:
        # zero slots or workers would wait forever instead of failing
        if self.per_host_concurrency < 1 or self.max_workers < 1:
            raise ValueError("per_host_concurrency and max_workers must be at least 1")
        if min(self.min_delay, self.retries, self.max_redirects) < 0:
            raise ValueError("min_delay, retries and max_redirects cannot be negative")

    @property
    def agent(self) -> str:
        return self.user_agent or f"copydesk/{PIPELINE_VERSION} (+{self.contact})"

    @property
    def robots_token(self) -> str:
        """The product token robots.txt groups are matched against."""
        return self.agent.split("/", 1)[0]
