"""Guards against hostile input: other schemes, private addresses, decompression bombs."""

from __future__ import annotations

import ipaddress
import socket
import zlib
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from flows.fetch.outcomes import FetchFailure

ALLOWED_SCHEMES = ("http", "https")
GZIP_MAGIC = b"\x1f\x8b"


def check_scheme(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES or not parts.hostname:
        raise FetchFailure("unsupported_url", f"only absolute http(s) URLs are fetched, got {url!r}: fix the link", url)


def is_public_address(address: str) -> bool:
    # getaddrinfo writes IPv6 link-local addresses with a zone: fe80::1%eth0
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class PrivateAddressError(OSError):
    """Raised at connect time, so a DNS answer that changes after our check still cannot reach inside."""


def public_addresses(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except UnicodeError as exc:
        raise socket.gaierror(f"invalid host name {host!r}") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    blocked = [address for address in addresses if not is_public_address(address)]
    if blocked:
        raise PrivateAddressError(
            f"{host!r} resolves to non-public address {', '.join(blocked)}; refused to protect the "
            "internal network (set allow_private_addresses only for trusted sources)"
        )
    return addresses


class PublicOnlyBackend(httpcore.SyncBackend):
    """Resolves, vets and connects to the vetted address itself; TLS still checks the host name."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = public_addresses(host, port)
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        # like socket.create_connection: the first vetted address that answers
        for address in addresses[:-1]:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError:
                continue
        return super().connect_tcp(addresses[-1], port, timeout, local_address, socket_options)


class PublicOnlyTransport(httpx.HTTPTransport):
    """httpx's own transport, with the connection pool built on PublicOnlyBackend."""

    def __init__(self) -> None:
        super().__init__(verify=True)
        # HTTPTransport takes no backend argument; its pool is rebuilt with the same TLS defaults
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), network_backend=PublicOnlyBackend()
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
