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
# signatures no text document starts with: the reject names the kind of file it really is
_MAGIC = [
    (b"\x7fELF", "an ELF executable"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "a Mach-O or Java class file"),
    (b"\x00asm", "a WebAssembly module"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office or EPUB file)"),
    (b"\x1f\x8b", "gzip data inside a gzip file or a misnamed .gz file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\xfd7zXZ\x00", "an XZ archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
]


# at most one bad byte sequence per this many bytes is a stray byte, not a second encoding
_BYTES_PER_STRAY_BYTE = 10_000


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can trust."""


def decode_bytes(data: bytes, *, html: bool, content_type: str | None = None) -> str:
    """The text of the bytes, or DecodeError saying why they are not text; nothing else is raised."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding)
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise DecodeError(f"binary content: {kind}, not a text or HTML document")
    if b"\x00" in data[:8192]:
        kind = "a Windows executable" if data.startswith(b"MZ") else "NUL bytes"
        raise DecodeError(f"binary content ({kind}): not a text or HTML document")
    try:  # valid UTF-8 first: pages that declare a single-byte charset but are UTF-8 are common, the reverse is not
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        invalid_at = exc.start
    for encoding in _declared(data, html, content_type):
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeError):  # unknown, non-text (rot13, hex) or failing codecs: try the next
            continue
    if _has_utf8_sequences(data):
        return _nearly_utf8(data, invalid_at)
    return _detected(data)


def _nearly_utf8(data: bytes, invalid_at: int) -> str:
    """A stray byte in a large UTF-8 page (browsers show a replacement character) keeps the page; more than
    that is text in two encodings, which no decoding gets right."""
    text = data.decode("utf-8", errors="replace")
    stray = text.count("\ufffd") - data.count("\ufffd".encode())
    if stray * _BYTES_PER_STRAY_BYTE > len(data):
        raise DecodeError(f"invalid UTF-8 at byte {invalid_at} in otherwise UTF-8 text (mixed encodings, "
                          f"{stray} bad sequences): re-encode the file as UTF-8")
    return text


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
    except UnicodeError as exc:
        raise DecodeError(f"invalid {encoding} after its byte-order mark: {exc}") from exc
