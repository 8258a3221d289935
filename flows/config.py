"""The sources file: named sources, each with a schedule, an output and per-site overrides.

Relative paths in the file are read from the file's own folder, so a served deployment finds them
whatever the working directory of the process that runs it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cssselect import HTMLTranslator, SelectorError

from flows.sources.local import DEFAULT_MAX_BYTES

SHARED_KEYS = {"out", "batch_size", "workers", "max_bytes", "allow_private_addresses", "user_agent", "contact",
               "interval", "cron", "timezone", "sites"}
SOURCE_KEYS = SHARED_KEYS | {"paths", "urls", "feeds", "sitemaps", "url_files"}
SITE_KEYS = {"selectors", "xpaths", "phrases"}
_INTERVAL = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class ConfigError(ValueError):
    """A sources file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Schedule:
    interval: timedelta | None = None
    cron: str | None = None
    timezone: str = "UTC"


@dataclass(frozen=True)
class Source:
    name: str
    schedule: Schedule
    out: str
    paths: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    url_files: list[str] = field(default_factory=list)
    batch_size: int = 200
    workers: int = 1
    max_bytes: int = DEFAULT_MAX_BYTES
    allow_private_addresses: bool = False
    user_agent: str | None = None
    contact: str | None = None
    sites: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def flow_parameters(self) -> dict[str, Any]:
        """The `ingest` flow's parameters for one run of this source."""
        return {
            "inputs": self.paths + self.urls, "out": self.out, "feeds": self.feeds, "sitemaps": self.sitemaps,
            "url_files": self.url_files, "batch_size": self.batch_size, "workers": self.workers,
            "max_bytes": self.max_bytes, "allow_private_addresses": self.allow_private_addresses,
            "user_agent": self.user_agent, "contact": self.contact, "source": self.name, "sites": self.sites,
        }


def load_sources(path: Path) -> list[Source]:
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    where = _Locator(path, text)
    _check_keys(data, {"defaults", "sources"}, where, table=None)
    defaults = data.get("defaults", {})
    _check_keys(defaults, SHARED_KEYS, where, table="defaults")
    sources = data.get("sources")
    if not isinstance(sources, dict) or not sources:
        raise ConfigError(f"{path}: no sources: add at least one [sources.NAME] table")
    return [_source(name, defaults, body, path.parent.resolve(), where) for name, body in sources.items()]


def _source(name: str, defaults: dict[str, Any], body: Any, base: Path, where: _Locator) -> Source:
    table = f"sources.{name}"
    if not isinstance(body, dict):
        raise ConfigError(where.at(table, None, f"[{table}] must be a table"))
    _check_keys(body, SOURCE_KEYS, where, table)
    merged = {**defaults, **body}
    targets = {key: _strings(merged.get(key, []), where, table, key)
               for key in ("paths", "urls", "feeds", "sitemaps", "url_files")}
    if not any(targets.values()):
        raise ConfigError(where.at(table, None, f"source {name!r} names nothing to read: "
                                                "give paths, urls, feeds, sitemaps or url_files"))
    return Source(
        name=name,
        schedule=_schedule(merged, where, table),
        out=_resolve_out(str(merged.get("out", "output")), base),
        paths=[_resolve(p, base) for p in targets["paths"]],
        urls=targets["urls"], feeds=targets["feeds"], sitemaps=targets["sitemaps"],
        url_files=[_resolve(p, base) for p in targets["url_files"]],
        batch_size=_positive(merged.get("batch_size", 200), where, table, "batch_size"),
        workers=_positive(merged.get("workers", 1), where, table, "workers"),
        max_bytes=_positive(merged.get("max_bytes", DEFAULT_MAX_BYTES), where, table, "max_bytes"),
        allow_private_addresses=_boolean(merged.get("allow_private_addresses", False), where, table,
                                         "allow_private_addresses"),
        user_agent=_text(merged.get("user_agent"), where, table, "user_agent"),
        contact=_text(merged.get("contact"), where, table, "contact"),
        sites={**_sites(defaults, "defaults", where), **_sites(body, table, where)},
    )


def _schedule(merged: dict[str, Any], where: _Locator, table: str) -> Schedule:
    interval, cron, zone = merged.get("interval"), merged.get("cron"), merged.get("timezone", "UTC")
    if (interval is None) == (cron is None):
        raise ConfigError(where.at(table, None, "give exactly one of interval (e.g. \"15m\") or cron "
                                                "(e.g. \"0 * * * *\") for each source"))
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(where.at(table, "timezone", f"unknown time zone {zone!r}: use an IANA name such as "
                                                      "\"Europe/Berlin\"")) from exc
    if cron is not None:
        return Schedule(cron=_cron(cron, where, table), timezone=zone)
    return Schedule(interval=_interval(interval, where, table), timezone=zone)


def _cron(value: Any, where: _Locator, table: str) -> str:
    fields = str(value).split()
    if len(fields) != 5 or not all(re.fullmatch(r"[\d*/,\-A-Za-z]+", f) for f in fields):
        raise ConfigError(where.at(table, "cron", f"cron {value!r} is not five fields like \"0 * * * *\""))
    return str(value)


def _interval(value: Any, where: _Locator, table: str) -> timedelta:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return timedelta(seconds=value)
    match = _INTERVAL.match(str(value))
    if not match or int(match.group(1)) == 0:
        raise ConfigError(where.at(table, "interval", f"interval {value!r} is not like \"90s\", \"15m\", "
                                                      "\"1h\" or \"1d\""))
    return timedelta(seconds=int(match.group(1)) * _UNIT_SECONDS[match.group(2)])


def _sites(data: dict[str, Any], table: str, where: _Locator) -> dict[str, dict[str, list[str]]]:
    sites = data.get("sites", {})
    if not isinstance(sites, dict):
        raise ConfigError(where.at(table, "sites", "sites must be a table of domains"))
    return {domain.lower(): _site(domain, rules, f'{table}.sites."{domain}"', where) for domain, rules in sites.items()}


def _site(domain: str, rules: Any, table: str, where: _Locator) -> dict[str, list[str]]:
    if not isinstance(rules, dict):
        raise ConfigError(where.at(table, None, f"site {domain!r} must be a table"))
    _check_keys(rules, SITE_KEYS, where, table)
    selectors = _strings(rules.get("selectors", []), where, table, "selectors")
    xpaths = _strings(rules.get("xpaths", []), where, table, "xpaths")
    return {
        "xpaths": xpaths + _css_to_xpath(selectors, where, table, domain),
        "phrases": _strings(rules.get("phrases", []), where, table, "phrases"),
    }


def _css_to_xpath(selectors: list[str], where: _Locator, table: str, domain: str) -> list[str]:
    """Users write CSS; the cleaners take XPath, which lxml compiles once."""
    try:
        return [HTMLTranslator().css_to_xpath(selector) for selector in selectors]
    except SelectorError as exc:
        raise ConfigError(where.at(table, "selectors", f"site {domain!r}: bad CSS selector: {exc}")) from exc


def _check_keys(data: dict[str, Any], allowed: set[str], where: _Locator, table: str | None) -> None:
    for key in data:
        if key not in allowed:
            raise ConfigError(where.at(table, key, f"unknown key {key!r}; allowed: {', '.join(sorted(allowed))}"))


def _strings(value: Any, where: _Locator, table: str, key: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(where.at(table, key, f"{key} must be a list of strings"))
    return value


def _boolean(value: Any, where: _Locator, table: str, key: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(where.at(table, key, f"{key} must be true or false (no quotes), not {value!r}"))
    return value


def _text(value: Any, where: _Locator, table: str, key: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ConfigError(where.at(table, key, f"{key} must be a string, not {value!r}"))
    return value


def _positive(value: Any, where: _Locator, table: str, key: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(where.at(table, key, f"{key} must be a whole number of at least 1, not {value!r}"))
    return value


def _resolve_out(out: str, base: Path) -> str:
    """A URI (s3://bucket/prefix) names an object store, not a folder beside the file."""
    return out if "://" in out else _resolve(out, base)


def _resolve(path: str, base: Path) -> str:
    return str(Path(path) if Path(path).is_absolute() else base / path)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the sources file {path}: {exc}") from exc


class _Locator:
    """Finds the line of a table or key, since tomllib reports positions only for syntax errors."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.lines = text.splitlines()

    def at(self, table: str | None, key: str | None, message: str) -> str:
        return f"{self.path}:{self._line(table, key)}: {message}"

    def _line(self, table: str | None, key: str | None) -> int:
        start = self._header(table) if table else -1
        if table and start < 0 and '.sites."' in table:
            return self._inline_site(table)
        found = self._key_line(start, table, key) if key else None
        if found is None and key and table and table.startswith("sources."):
            found = self._key_line(self._header("defaults"), "defaults", key)  # an inherited value
        return found or start + 1

    def _key_line(self, start: int, table: str | None, key: str) -> int | None:
        assignment = re.compile(r'^\s*"?' + re.escape(key) + r'"?\s*[=.]')
        header = re.compile(r"^\s*\[+\s*" + re.escape(f"{table}." if table else "") + re.escape(key) + r"\b")
        for i in range(start + 1, len(self.lines)):
            if assignment.match(self.lines[i]) or header.match(self.lines[i]):
                return i + 1
            if table and start >= 0 and self.lines[i].lstrip().startswith("[") and not header.match(self.lines[i]):
                return None
        return None

    def _header(self, table: str) -> int:
        header = re.compile(r"^\s*\[+\s*" + re.escape(table).replace('"', '"?') + r"\s*\]+")
        return next((i for i, line in enumerate(self.lines) if header.match(line)), -1)

    def _inline_site(self, table: str) -> int:
        """A site written inline (sites = { "a.org" = {...} }): the first line naming it below its owner."""
        owner, domain = table.split(".sites.", 1)
        start = max(self._header(owner), 0)
        return next((i + 1 for i in range(start, len(self.lines)) if domain in self.lines[i]), start + 1)
