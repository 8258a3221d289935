"""Property tests: the readers and decoding, fed arbitrary bytes and file names, never raise out of a batch."""

import contextlib
import gzip
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners.record import articles_table, rejects_table
from flows.batch import clean_batch, to_reject
from flows.sources.base import InputError, RawInput
from flows.sources.decode import DecodeError, decode_bytes
from flows.sources.local import iter_local, read_file, record_input

CAP = 256
SUFFIXES = ["", ".txt", ".html", ".htm", ".md", ".json", ".jsonl", ".ndjson", ".txt.gz", ".jsonl.gz", ".html.gz"]
# POSIX names: any bytes but "/" and NUL, not "." or "..", within the 255-byte limit
names = st.binary(min_size=1, max_size=60).map(lambda b: b.replace(b"/", b"_").replace(b"\0", b"_")).filter(
    lambda b: b not in (b".", b".."))
bodies = st.one_of(
    st.binary(max_size=3 * CAP),
    st.text(max_size=CAP).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(st.dictionaries(st.sampled_from(["text", "html", "title", "url", "authors", "x"]),
                             st.one_of(st.text(max_size=40), st.integers(), st.none(), st.lists(st.text(max_size=9))),
                             max_size=4), max_size=4).map(lambda rows: "\n".join(map(repr, rows)).encode()),
)
files = st.lists(st.tuples(names, st.sampled_from(SUFFIXES), bodies, st.booleans()), min_size=1, max_size=4)


def write_files(folder: Path, specs: list[tuple[bytes, str, bytes, bool]]) -> None:
    for name, suffix, body, compress in specs:
        data = gzip.compress(body) if compress and suffix.endswith(".gz") else body
        with open(os.path.join(os.fsencode(folder), (name + suffix.encode())[:250]), "wb") as f:
            f.write(data)


def assert_item_is_sound(item: RawInput | InputError) -> None:
    if isinstance(item, InputError):
        rejects_table([to_reject(item)])  # every reject must be storable
        return
    assert len(item.data) <= CAP and item.source_uri.isascii()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files)
def test_readers_never_raise_and_every_item_is_sound(specs: list[tuple[bytes, str, bytes, bool]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_files(folder, specs)
        items = list(iter_local([tmp], max_bytes=CAP))
        for item in items:
            assert_item_is_sound(item)
        for path in folder.iterdir():
            for item in read_file(path, max_bytes=CAP):
                assert_item_is_sound(item)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000), st.booleans(), st.one_of(st.none(), st.text(max_size=40)))
def test_decode_raises_nothing_but_decode_error(data: bytes, html: bool, content_type: str | None) -> None:
    try:
        text = decode_bytes(data, html=html, content_type=content_type)
    except DecodeError as exc:
        assert str(exc)
    else:
        assert isinstance(text, str)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30), st.sampled_from(["<meta charset={}>", "<meta content='text/html; charset={}'>"]))
def test_any_declared_charset_is_survived(charset: str, template: str) -> None:
    data = (template.format(charset) + "<p>Caf\u00e9</p>").encode("utf-8", "surrogatepass")
    for content_type in (None, f"text/html; charset={charset}"):
        with contextlib.suppress(DecodeError):
            decode_bytes(data, html=True, content_type=content_type)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=30),
                             lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                         max_size=3), max_leaves=8)
                | st.dictionaries(st.sampled_from(["text", "html", "title", "authors", "published", "url", "tags"]),
                                  st.text(max_size=60) | st.lists(st.text(max_size=10), max_size=3), min_size=1),
                max_size=3))
def test_records_of_any_shape_become_stored_articles_or_rejects(records: list) -> None:
    """A whole batch from arbitrary JSON records: nothing raises, every article and reject converts to Arrow."""
    items = [record_input(record, f"file:///fuzz.jsonl#L{n}") for n, record in enumerate(records, start=1)]
    batch = clean_batch(items, limits=None)
    assert len(batch.articles) + len(batch.rejects) == len(items)
    articles_table(batch.articles)
    rejects_table(batch.rejects)
