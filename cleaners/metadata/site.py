"""Publisher display name: a small shipped mapping of major publishers, the page's markup, then the domain."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from cleaners.metadata.markup import Markup, ld_text, node_types

_ORG_TYPES = frozenset({"organization", "newsmediaorganization", "corporation", "website"})


def site_name_candidates(markup: Markup | None, domain: str | None, hinted: str | None = None) -> list[str]:
    """Every name the site goes by, best first (the shipped mapping, the page's markup, the hints, the domain);
    the title and byline stages also use these to spot the site's name."""
    names: list[str] = [known_sites()[domain]] if domain in known_sites() else []
    if markup is not None:
        names += markup.meta.get("og:site_name", [])[:1]
        names += [name for node in markup.articles() if (name := ld_text(node.get("publisher")))]
        names += [name for node in markup.json_ld if _is_publisher(node) if (name := ld_text(node))]
        names += markup.meta.get("application-name", [])[:1]
    if hinted:
        names.append(hinted)
    if domain:
        names.append(domain)  # the last resort: a registered domain is how readers name a small site
    unique: dict[str, str] = {}
    for name in names:
        if name and not _looks_like_url(name):
            unique.setdefault(name.casefold(), name)  # the first spelling wins
    return list(unique.values())


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
