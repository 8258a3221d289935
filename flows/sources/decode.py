"""Bytes to text: BOMs, declared charsets, then detection for legacy encodings."""

from __future__ import annotations

import codecs
import re

import chardet

_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can trust."""


def decode_bytes(data: bytes, *, html: bool, content_type: str | None = None) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding)
    if b"\x00" in data[:8192]:
        raise DecodeError("binary content (NUL bytes): not a text or HTML document")
    for encoding in _declared(data, html, content_type):
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _has_utf8_sequences(data):
            raise DecodeError(f"invalid UTF-8 at byte {exc.start} in otherwise UTF-8 text (mixed encodings)") from exc
        return _detected(data)


def _has_utf8_sequences(data: bytes) -> bool:
    """Valid multi-byte UTF-8 beside invalid bytes means corrupt UTF-8, not a legacy encoding."""
    return _UTF8_MULTIBYTE.search(data) is not None


def _declared(data: bytes, html: bool, content_type: str | None) -> list[str]:
    found = []
    if content_type and (match := _HEADER_CHARSET.search(content_type)):
        found.append(match.group(1))
    if html and (match := _META_CHARSET.search(data[:4096])):
        found.append(match.group(1).decode("ascii"))
    return found


def _detected(data: bytes) -> str:
    encoding = chardet.detect(data[:200_000])["encoding"]
    if encoding is None:
        raise DecodeError("undecodable bytes: not UTF-8 and no legacy encoding fits")
    text = data.decode(encoding, errors="replace")
    if len(_CONTROL.findall(text[:8192])) > 8:
        raise DecodeError(f"binary content: decodes as {encoding} only to control characters")
    return text


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"invalid {encoding} after its byte-order mark: {exc}") from exc
