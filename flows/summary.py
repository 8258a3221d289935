"""Run and batch summaries: every input is counted once, as new, updated, unchanged or rejected."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cleaners.metadata.urls import registered_domain
from cleaners.record import UNKNOWN_SITE

if TYPE_CHECKING:
    from cleaners.record import Article, Reject
    from flows.sink import WriteOutcome

OUTCOMES = ("new", "updated", "unchanged", "rejected")


@dataclass
class RunSummary:
    inputs: int = 0
    listings_unchanged: int = 0
    skipped: bool = False
    drift: list[str] = field(default_factory=list)
    by_site: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    removals_by_rule: Counter[str] = field(default_factory=Counter)
    rejects_by_reason: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of_batch(cls, inputs: int, articles: list[Article], rejects: list[Reject], outcome: WriteOutcome) -> RunSummary:
        """Counts per site, each input once: a doc_id twice in one batch is written once, the copy is unchanged."""
        summary = cls(inputs=inputs)
        site_of = {article.doc_id: article.domain or UNKNOWN_SITE for article in articles}
        for article in articles:
            counts = summary.by_site[site_of[article.doc_id]]
            counts["chars_kept"] += len(article.text)
            counts["chars_removed"] += sum(len(removal.text) for removal in article.removed)
            summary.removals_by_rule.update(removal.rule for removal in article.removed)
        for name, doc_ids in (("new", outcome.new), ("updated", outcome.updated), ("unchanged", outcome.unchanged)):
            for doc_id in doc_ids:
                summary.by_site[site_of[doc_id]][name] += 1
        written = {doc_id for ids in (outcome.new, outcome.updated, outcome.unchanged) for doc_id in ids}
        for article in articles:  # a doc_id twice in one batch: its second copy is the unchanged one
            if article.doc_id in written:
                written.discard(article.doc_id)
            else:
                summary.by_site[site_of[article.doc_id]]["unchanged"] += 1
        for reject in rejects:
            summary.by_site[site_of_url(reject.url)]["rejected"] += 1
            summary.rejects_by_reason[f"{reject.stage}: {reject.error_class}"] += 1
        return summary

    def count(self, outcome: str) -> int:
        return sum(counts[outcome] for counts in self.by_site.values())

    @property
    def totals(self) -> dict[str, int]:
        return {outcome: self.count(outcome) for outcome in OUTCOMES}

    def add(self, other: RunSummary) -> None:
        self.inputs += other.inputs
        self.listings_unchanged += other.listings_unchanged
        for site, counts in other.by_site.items():
            self.by_site[site].update(counts)
        self.removals_by_rule.update(other.removals_by_rule)
        self.rejects_by_reason.update(other.rejects_by_reason)

    def as_markdown(self) -> str:
        lines = [
            "# copydesk ingest", "", f"Inputs: **{self.inputs}**",
            f"Feeds and sitemaps unchanged since the last run: {self.listings_unchanged}", "",
            "| site | " + " | ".join(OUTCOMES) + " |", "|---|" + "---|" * len(OUTCOMES),
        ]
        for site in sorted(self.by_site):
            lines.append(f"| {site} | " + " | ".join(str(self.by_site[site][o]) for o in OUTCOMES) + " |")
        lines.append("| **all** | " + " | ".join(f"**{self.count(o)}**" for o in OUTCOMES) + " |")
        lines += ["", "## Removals by rule", "", "| rule | removed |", "|---|---|"]
        lines += [f"| {rule} | {n} |" for rule, n in self.removals_by_rule.most_common()]
        lines += ["", "## Drift against this source's recent runs", ""]
        lines += [f"- **{drift}**" for drift in self.drift] or ["None."]
        lines += ["", "## Rejects by reason", "", "| stage: error | inputs |", "|---|---|"]
        lines += [f"| {reason} | {n} |" for reason, n in self.rejects_by_reason.most_common()]
        return "\n".join(lines)


def site_of_url(url: str | None) -> str:
    return registered_domain(url) or UNKNOWN_SITE
