"""Per-site overrides without code: extra elements to drop and phrases to strip, per domain.

The flows layer reads the user's TOML into `Overrides.from_dict`; this module only applies it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from lxml.html import HtmlElement


@dataclass(frozen=True)
class SiteRules:
    """One site's extras: XPath expressions of elements to drop, phrases whose paragraphs to drop."""

    xpaths: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    _compiled: tuple[etree.XPath, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Compiled once per config load; a bad expression fails here, not mid-run.
        object.__setattr__(self, "_compiled", tuple(etree.XPath(x) for x in self.xpaths))

    def select(self, tree: HtmlElement) -> list[HtmlElement]:
        found = (el for xpath in self._compiled for el in xpath(tree))
        return [el for el in found if isinstance(el, HtmlElement)]


@dataclass(frozen=True)
class Overrides:
    """Site rules by domain; `www.` and subdomains fall back to their parent domain's rules."""

    sites: Mapping[str, SiteRules] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Overrides:
        """`{"sites": {"example.com": {"xpaths": [...], "phrases": [...]}}}`, as parsed from TOML."""
        sites = data.get("sites", {})
        return cls({
            domain.lower(): SiteRules(tuple(site.get("xpaths", ())), tuple(site.get("phrases", ())))
            for domain, site in sites.items()
        })

    def for_domain(self, domain: str | None) -> SiteRules | None:
        labels = (domain or "").lower().split(".")
        for i in range(len(labels) - 1):
            if (rules := self.sites.get(".".join(labels[i:]))) is not None:
                return rules
        return None
