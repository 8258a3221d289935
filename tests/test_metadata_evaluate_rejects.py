"""`copydesk evaluate metadata` on a page the cleaner rejects for lack of text: its metadata is still scored."""

from __future__ import annotations

import json
from pathlib import Path

from flows.evaluate import metadata

PHOTO_PAGE = """<html lang="en"><head><title>Harbour at dawn - Example Photos</title>
<meta property="og:title" content="Harbour at dawn">
<link rel="canonical" href="https://photos.example.org/galleries/harbour-at-dawn">
<meta property="article:published_time" content="2024-05-06T07:15:00+02:00">
</head><body><figure><img src="harbour.jpg" alt=""></figure></body></html>"""


def test_a_textless_page_is_scored_on_its_metadata(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "photo.html").write_text(PHOTO_PAGE, encoding="utf-8")
    fetched = "https://photos.example.org/galleries/harbour-at-dawn?ref=rss"
    case = {"id": "t:photo", "page": "pages/photo.html", "url": fetched, "title": "Harbour at dawn",
            "published": "2024-05-06"}  # fmt: skip
    (tmp_path / "expected.jsonl").write_text(json.dumps(case) + "\n", encoding="utf-8")
    result = metadata.evaluate_metadata(tmp_path)
    assert list(result.rejects) == ["t:photo"] and result.markup_only == ["t:photo"]
    assert {name: (s.correct, s.n) for name, s in result.fields.items()} == {
        "title": (1, 1), "published": (1, 1), "url": (1, 1)
    }  # fmt: skip


def test_an_unreadable_page_still_predicts_nothing(tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_bytes(b"   ")
    case = {"id": "t:empty", "page": "empty.html", "url": "https://example.org/a", "title": "A"}
    (tmp_path / "expected.jsonl").write_text(json.dumps(case) + "\n", encoding="utf-8")
    result = metadata.evaluate_metadata(tmp_path)
    assert list(result.rejects) == ["t:empty"] and result.markup_only == []
    assert result.predictions == [{"id": "t:empty"}]
