"""Publisher display name: the page's own markup, else a small shipped mapping of registered domains."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from cleaners.metadata.markup import Markup, ld_text, node_types

_ORG_TYPES = frozenset({"organization", "newsmediaorganization", "corporation", "website"})


def extract_site_name(markup: Markup | None, domain: str | None, hinted: str | None = None) -> str | None:
    for name in site_name_candidates(markup, domain, hinted):
        return name
    return None


def site_name_candidates(markup: Markup | None, domain: str | None, hinted: str | None = None) -> list[str]:
    """Every name the page goes by, best first; the title stage also uses these to spot affixes."""
    names: list[str] = []
    if markup is not None:
        names += markup.meta.get("og:site_name", [])[:1]
        names += [name for node in markup.articles() if (name := ld_text(node.get("publisher")))]
        names += [name for node in markup.json_ld if _is_publisher(node) if (name := ld_text(node))]
        names += markup.meta.get("application-name", [])[:1]
    if hinted:
        names.append(hinted)
    if domain and domain in known_sites():
        names.append(known_sites()[domain])
    seen: set[str] = set()
    return [n for n in names if n and not _looks_like_url(n) and not (n.lower() in seen or seen.add(n.lower()))]


def _is_publisher(node: dict[str, Any]) -> bool:
    """An organization or website node; blogs that type their owner as Person and Organization are people."""
    kinds = node_types(node)
    return bool(kinds & _ORG_TYPES) and "person" not in kinds


def _looks_like_url(name: str) -> bool:
    return name.startswith(("http://", "https://", "//"))


@cache
def known_sites() -> dict[str, str]:
    """Registered domain -> display name, for publishers whose pages do not say it themselves."""
    text = resources.files("cleaners.metadata").joinpath("known_sites.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return {k: v for k, v in data.items() if not k.startswith("_")}
