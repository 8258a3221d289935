"""A real HTTP server for fetch tests: one `Site` per port acts as one host, and logs every request."""

from __future__ import annotations

import gzip
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Route:
    """How one path answers; `fail_first` answers `fail_status` that many times before succeeding."""

    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    fail_first: int = 0
    fail_status: int = 500
    retry_after: str | None = None
    delay: float = 0.0
    stream_bytes: int = 0


@dataclass(frozen=True)
class Hit:
    path: str
    at: float
    headers: dict[str, str]
    status: int


class Site:
    """Serves `routes` on 127.0.0.1 from a daemon thread; `hits` is what clients asked, in order."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self.active = 0
        self.peak = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self))
        self.server.daemon_threads = True
        # a short poll interval keeps shutdown, and so each test's teardown, quick
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.url(path)

    def paths(self) -> list[str]:
        return [hit.path for hit in self.hits]

    def hits_for(self, path: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.path == path]

    def clear(self) -> None:
        with self.lock:
            self.hits.clear()
            self.peak = 0

    def serving(self, delta: int) -> None:
        """Counts requests in progress, so tests can see how many a client had open at once."""
        with self.lock:
            self.active += delta
            self.peak = max(self.peak, self.active)

    def answer(self, path: str, headers: dict[str, str]) -> tuple[Route | None, int]:
        """Logs the hit and decides its status: 404, a scripted failure, a 304, or the route's own."""
        route = self.routes.get(path)
        with self.lock:
            earlier = sum(1 for hit in self.hits if hit.path == path)
            status = decide_status(route, earlier, headers)
            self.hits.append(Hit(path, time.monotonic(), headers, status))
        return route, status


def decide_status(route: Route | None, earlier: int, headers: dict[str, str]) -> int:
    if route is None:
        return 404
    if earlier < route.fail_first:
        return route.fail_status
    if route.etag and headers.get("if-none-match") == route.etag:
        return 304
    if route.last_modified and headers.get("if-modified-since") == route.last_modified:
        return 304
    return route.status


def make_handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            site.serving(+1)
            try:
                self.respond()
            finally:
                site.serving(-1)

        def respond(self) -> None:
            headers = {name.lower(): value for name, value in self.headers.items()}
            route, status = site.answer(urlsplit(self.path).path, headers)
            if route is not None and route.delay:
                time.sleep(route.delay)
            self.send_response(status)
            if route is None or status != route.status or status == 304:
                self.empty(route, status)
                return
            for name, value in route.headers.items():
                self.send_header(name, value)
            if route.content_type:
                self.send_header("Content-Type", route.content_type)
            self.validators(route)
            if route.stream_bytes:
                self.stream(route.stream_bytes)
                return
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            try:
                self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):
                return  # the client stopped reading at its size cap

        def empty(self, route: Route | None, status: int) -> None:
            """A 404, a scripted failure or a 304: headers only."""
            if route is not None and status == 304:
                self.validators(route)
            if route is not None and status == route.fail_status and route.retry_after:
                self.send_header("Retry-After", route.retry_after)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def validators(self, route: Route) -> None:
            if route.etag:
                self.send_header("ETag", route.etag)
            if route.last_modified:
                self.send_header("Last-Modified", route.last_modified)

        def stream(self, total: int) -> None:
            """No Content-Length: the body ends when the connection closes, so only streaming caps it."""
            self.end_headers()
            chunk = b"<p>" + b"x" * 65_000 + b"</p>\n"
            try:
                for _ in range(total // len(chunk) + 1):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                return

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - overrides the base
            return

    return Handler


def http_date(days_ago: int = 3) -> str:
    return formatdate(time.time() - days_ago * 86400, usegmt=True)


def gzip_bomb(size: int) -> bytes:
    """`size` zero bytes inflate from about a thousandth of that."""
    return gzip.compress(b"\0" * size, compresslevel=9, mtime=0)


APPEAL = "Independent reporting costs money. If you value this work, please donate to keep it free for all."

ARTICLES = {
    "harbour": (
        "Harbour ferry returns after winter repairs",
        "The small ferry that links the two halves of the old harbour went back into service on Monday "
        "after three months in dry dock. Crews replaced the propeller shaft and repainted the hull.",
    ),
    "library": (
        "Town library extends evening opening hours",
        "From next month the central library will stay open until nine on weekdays. Staff said students "
        "had asked for quiet study space after school, and the council agreed to fund two extra posts.",
    ),
    "orchard": (
        "Community orchard plants forty new apple trees",
        "Volunteers planted forty young apple trees on the slope above the railway line on Saturday. "
        "The varieties were chosen from old local records so that forgotten apples can be tasted again.",
    ),
    "bridge": (
        "Footbridge closed for inspection after storm",
        "Engineers closed the river footbridge for a day to check its cables after strong winds. "
        "No damage was found and walkers were back on the crossing by the evening.",
    ),
}


def article(key: str, encoding: str = "utf-8", meta_charset: bool = True) -> bytes:
    """A short made-up news page with a donation appeal, as a news site would carry one."""
    title, text = ARTICLES[key]
    charset = f'<meta charset="{encoding}">' if meta_charset else ""
    html = (
        f"<!doctype html><html><head>{charset}<title>{title}</title></head><body>"
        f"<article><h1>{title}</h1><p>{text}</p><aside class='donate'><p>{APPEAL}</p></aside></article>"
        "</body></html>"
    )
    return html.encode(encoding)


def cyrillic_article() -> bytes:
    """windows-1251 bytes with no charset anywhere: the cleaner, not the fetcher, must guess it."""
    text = "Городской парк откроется после ремонта в субботу. Поддержите нашу редакцию пожертвованием."
    return f"<html><head><title>Парк</title></head><body><p>{text}</p></body></html>".encode("cp1251")


def rss(title: str, items: list[tuple[str, str, str]]) -> bytes:
    """RSS 2.0; each item is (link, title, RFC 822 date)."""
    entries = "".join(
        f"<item><title>{name}</title><link>{link}</link><pubDate>{date}</pubDate>"
        f"<author>desk@example.org (Kim Desk)</author><description>Short: {name}</description></item>"
        for link, name, date in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://example.org/</link><description>test</description>{entries}</channel></rss>"
    ).encode()


def atom(title: str, entries: list[tuple[str, str, str]]) -> bytes:
    """Atom 1.0; each entry is (href, title, RFC 3339 date)."""
    body = "".join(
        f'<entry><title>{name}</title><link href="{href}"/><id>{href}</id><updated>{date}</updated>'
        f"<author><name>Ana Writer</name></author><summary>About {name}</summary></entry>"
        for href, name, date in entries
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{title}</title><id>urn:test</id><updated>2026-11-20T10:00:00Z</updated>{body}</feed>"
    ).encode()


SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS_NS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def sitemap_index(children: list[tuple[str, str]]) -> bytes:
    """Each child is (loc, lastmod)."""
    items = "".join(f"<sitemap><loc>{loc}</loc><lastmod>{mod}</lastmod></sitemap>" for loc, mod in children)
    return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex {SITEMAP_NS}>{items}</sitemapindex>'.encode()


def news_sitemap(urls: list[tuple[str, str, str]]) -> bytes:
    """Each url is (loc, lastmod, news title)."""
    items = "".join(
        f"<url><loc>{loc}</loc><lastmod>{mod}</lastmod><news:news><news:publication>"
        f"<news:name>Wire</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{mod}</news:publication_date><news:title>{name}</news:title>"
        f"</news:news></url>"
        for loc, mod, name in urls
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {SITEMAP_NS} {NEWS_NS}>{items}</urlset>'.encode()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><title>&lol3;</title><item><link>http://a.example/x</link></item></channel></rss>"""
