"""One polite GET: redirects checked hop by hop, retries with backoff, a capped streamed body."""

from __future__ import annotations

import random
import socket
import ssl
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import httpx

from flows.fetch.outcomes import FetchFailure
from flows.fetch.politeness import Politeness
from flows.fetch.safety import (
    BoundedDecoder,
    PrivateAddressError,
    PublicOnlyTransport,
    check_scheme,
    too_large,
)
from flows.fetch.settings import FetchSettings

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
STATUS_ADVICE = {
    401: "the site wants a login: drop the URL",
    403: "the site refuses us: drop the URL or ask the site for access",
    404: "the page does not exist: fix or drop the link",
    410: "the page was removed for good: drop the URL",
    429: "the site kept rate-limiting us: lower the request rate or retry later",
}


@dataclass(frozen=True)
class Validators:
    """What the last fetch told us, sent back as If-None-Match / If-Modified-Since."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        sent = {"If-None-Match": self.etag, "If-Modified-Since": self.last_modified}
        return {name: value for name, value in sent.items() if value}


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    content_type: str
    body: bytes
    validators: Validators

    @property
    def mime(self) -> str:
        return media_type(self.content_type)


@dataclass(frozen=True)
class Request:
    """`accept` judges a media type before the body is read; `permit` vets every hop (robots.txt).

    `permit` is told whether the hop is guarded, so robots.txt is fetched under the same guard."""

    url: str
    limit: int
    accept: Callable[[str], bool]
    permit: Callable[[str, bool], None] | None = None
    validators: Validators = Validators()
    guard_private: bool = True


class HttpFetcher:
    def __init__(self, settings: FetchSettings, politeness: Politeness):
        self.settings = settings
        self.politeness = politeness
        timeout = httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout)
        headers = {"User-Agent": settings.agent, "Accept-Encoding": "gzip"}
        self.client = httpx.Client(timeout=timeout, headers=headers, follow_redirects=False, verify=True)
        self.public_client = self.client
        if not settings.allow_private_addresses:
            transport = PublicOnlyTransport()
            self.public_client = httpx.Client(timeout=timeout, headers=headers, transport=transport)

    def close(self) -> None:
        self.client.close()
        self.public_client.close()

    def get(self, request: Request) -> Response:
        """Follows redirects itself so each hop is checked for scheme, address and robots.txt."""
        url, seen = request.url, [request.url]
        for _ in range(self.settings.max_redirects + 1):
            # operator-given URLs are trusted; links found in feeds and every redirect are not
            guarded = not self.settings.allow_private_addresses and (request.guard_private or url != request.url)
            self._vet(url, request, guarded)
            response, location = self._with_retries(url, request, guarded)
            if location is None:
                return response
            url = urljoin(url, location)
            if url in seen:
                raise FetchFailure(
                    "redirect_loop", f"redirect loop {' -> '.join([*seen, url])}: the site is broken", request.url
                )
            seen.append(url)
        raise FetchFailure(
            "too_many_redirects",
            f"more than {self.settings.max_redirects} redirects ({' -> '.join(seen)}): check the URL",
            request.url,
        )

    def _vet(self, url: str, request: Request, guarded: bool) -> None:
        check_scheme(url)
        if request.permit is not None:
            request.permit(url, guarded)

    def _with_retries(self, url: str, request: Request, guarded: bool) -> tuple[Response, str | None]:
        gate = self.politeness.gate(url)
        for attempt in range(self.settings.retries + 1):
            try:
                with gate.slot():
                    return self._exchange(url, request, self.public_client if guarded else self.client)
            except RetryableFailure as exc:
                failure, wait = exc.failure, exc.wait if exc.wait is not None else self._backoff(attempt)
            if wait > self.settings.max_retry_after:
                failure.message += f"; it asked us to wait {wait:.0f} s, more than max_retry_after"
                raise failure
            if attempt == self.settings.retries:
                break
            gate.defer(wait)
        failure.message += f" (gave up after {self.settings.retries + 1} attempts)"
        raise failure

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.settings.backoff_max, self.settings.backoff_base * 2**attempt)
        # jitter keeps many workers from retrying in lockstep
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def _exchange(self, url: str, request: Request, client: httpx.Client) -> tuple[Response, str | None]:
        headers = request.validators.headers()
        deadline = time.monotonic() + self.settings.total_timeout
        try:
            with client.stream("GET", url, headers=headers) as http:
                location = self._check_status(url, http)
                if location is not None or http.status_code == 304:
                    return self._response(url, http, b""), location
                if not request.accept(media_type(http.headers.get("content-type", ""))):
                    raise wrong_type(url, http)
                return self._response(url, http, self._read(url, http, request.limit, deadline)), None
        except httpx.TransportError as exc:
            failure = transport_failure(url, exc)
            if failure.error_class in ("dns_error", "tls_error", "private_address"):
                raise failure from exc
            raise RetryableFailure(failure, None) from exc

    def _check_status(self, url: str, http: httpx.Response) -> str | None:
        status = http.status_code
        if status in REDIRECT_STATUSES:
            if "location" not in http.headers:
                raise FetchFailure("bad_redirect", f"HTTP {status} without a Location header", url, status)
            return http.headers["location"]
        if status in RETRY_STATUSES:
            advice = STATUS_ADVICE.get(status, "the server is failing: retry later")
            failure = FetchFailure("http_error", f"HTTP {status}: {advice}", url, status)
            raise RetryableFailure(failure, retry_after(http.headers.get("retry-after")))
        if (status != 304 and not 200 <= status < 300) or status == 204:
            advice = STATUS_ADVICE.get(status, "unexpected status: check the URL in a browser")
            raise FetchFailure("http_error", f"HTTP {status}: {advice}", url, status)
        return None

    def _read(self, url: str, http: httpx.Response, limit: int, deadline: float) -> bytes:
        declared = http.headers.get("content-length", "")
        try:
            if declared.isdigit() and int(declared) > limit:
                raise too_large(url, limit)
            decoder = BoundedDecoder(url, http.headers.get("content-encoding", ""), limit)
            for chunk in http.iter_raw():
                decoder.feed(chunk)
                if time.monotonic() > deadline:
                    raise FetchFailure("timeout", "the body trickled in past the total time limit", url)
            return decoder.finish()
        except zlib.error as exc:
            raise FetchFailure("bad_encoding", f"corrupt gzip body ({exc})", url, http.status_code) from exc
        except FetchFailure as failure:
            # the failure is in the body: name the status it came with
            failure.http_status = http.status_code
            raise

    def _response(self, url: str, http: httpx.Response, body: bytes) -> Response:
        validators = Validators(http.headers.get("etag"), http.headers.get("last-modified"))
        return Response(url, http.status_code, http.headers.get("content-type", ""), body, validators)


class RetryableFailure(Exception):
    """A failure worth another attempt; `wait` is the server's Retry-After when it sent one."""

    def __init__(self, failure: FetchFailure, wait: float | None):
        super().__init__(failure.message)
        self.failure = failure
        self.wait = wait


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def wrong_type(url: str, http: httpx.Response) -> FetchFailure:
    got = http.headers.get("content-type") or "no Content-Type"
    return FetchFailure("wrong_content_type", f"unexpected {got}: not a type we clean", url, http.status_code)


def retry_after(value: str | None) -> float | None:
    """Retry-After is either delta-seconds or an HTTP date."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def transport_failure(url: str, exc: httpx.TransportError) -> FetchFailure:
    cause = root_cause(exc)
    if isinstance(cause, PrivateAddressError):
        return FetchFailure("private_address", str(cause), url)
    if isinstance(cause, socket.gaierror):
        return FetchFailure("dns_error", f"cannot resolve the host ({cause}): check the host name", url)
    if isinstance(cause, ssl.SSLError):
        return FetchFailure("tls_error", f"TLS failed ({cause}): the site's certificate is not valid", url)
    if isinstance(exc, httpx.TimeoutException):
        return FetchFailure("timeout", f"{type(exc).__name__}: the server did not answer in time", url)
    return FetchFailure("connection_error", f"{type(exc).__name__}: {exc or 'connection failed'}", url)


def root_cause(exc: BaseException) -> BaseException:
    while exc.__cause__ is not None or exc.__context__ is not None:
        exc = exc.__cause__ or exc.__context__
    return exc
