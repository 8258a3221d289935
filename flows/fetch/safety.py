"""Guards against hostile input: other schemes, private addresses, decompression bombs."""

from __future__ import annotations

import ipaddress
import socket
import zlib
from urllib.parse import urlsplit

from flows.fetch.outcomes import FetchFailure

ALLOWED_SCHEMES = ("http", "https")
GZIP_MAGIC = b"\x1f\x8b"


def check_scheme(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES or not parts.hostname:
        raise FetchFailure("unsupported_url", f"only absolute http(s) URLs are fetched, got {url!r}: fix the link", url)


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_public_host(url: str) -> None:
    """Refuse hosts that resolve to private, loopback, link-local, reserved or multicast addresses."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchFailure("dns_error", f"cannot resolve {host!r} ({exc}): check the host name", url) from exc
    blocked = sorted({info[4][0] for info in infos if not is_public_address(info[4][0])})
    if blocked:
        raise FetchFailure(
            "private_address",
            f"{host!r} resolves to non-public address {', '.join(blocked)}; refused to protect the "
            "internal network (set allow_private_addresses only for trusted sources)",
            url,
        )


class BoundedDecoder:
    """Decodes a streamed body (identity or gzip) and stops as soon as it exceeds `limit` bytes."""

    def __init__(self, url: str, encoding: str, limit: int):
        self.url = url
        self.limit = limit
        self.size = 0
        self.parts: list[bytes] = []
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self.inflater = None
        elif encoding in ("gzip", "x-gzip"):
            self.inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        else:
            raise FetchFailure(
                "unsupported_encoding", f"server sent Content-Encoding {encoding!r}; only gzip is asked for", url
            )

    def feed(self, chunk: bytes) -> None:
        if self.inflater is None:
            self._keep(chunk)
            return
        data = chunk
        while data:
            # max_length bounds memory: a bomb never inflates more than the cap at once
            out = self.inflater.decompress(data, self.limit - self.size + 1)
            self._keep(out)
            data = self.inflater.unconsumed_tail

    def finish(self) -> bytes:
        if self.inflater is not None:
            self._keep(self.inflater.flush())
        return b"".join(self.parts)

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise too_large(self.url, self.limit)
        self.parts.append(data)


def too_large(url: str, limit: int) -> FetchFailure:
    return FetchFailure(
        "too_large", f"body exceeds the {limit} byte cap (after decompression); raise the cap if legitimate", url
    )


def gunzip_bounded(data: bytes, url: str, limit: int) -> bytes:
    """Sitemaps served as .gz files: inflate with the same cap as any body."""
    decoder = BoundedDecoder(url, "gzip", limit)
    try:
        decoder.feed(data)
        return decoder.finish()
    except zlib.error as exc:
        raise FetchFailure("bad_gzip", f"corrupt gzip data ({exc}): the file is damaged", url) from exc
