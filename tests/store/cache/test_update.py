"""Writes keep the parse cache warm (issue #13 item 3): after add, set, remove, edit or import the
cache of the new file is written by the write itself, and it reads back exactly as the cache a cold
read of the new file builds (records, index, warnings)."""

from __future__ import annotations

import importlib.util
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scholarcli import store
from scholarcli.cli.app import app
from scholarcli.model import Publication, parse_name
from scholarcli.query import index
from scholarcli.store.cache import parse as cache
from scholarcli.store.cache import update as cache_update
from scholarcli.write import operations as writes
from scholarcli.write.duplicates import OnDuplicate
from scholarcli.write.operations import Candidate
from tests.conftest import DEFAULT_STORE, REPO, STRESS_STORE, CheckedRunner

SECTIONS = ("ids", "names_texts", "search_texts", "tsv_rows", "digests")


@pytest.fixture(autouse=True)
def cache_enabled() -> Iterator[None]:
    """Every test starts and ends with the cache on (a --no-cache run sets a process-wide flag)."""
    cache.set_bypass(False)
    yield
    cache.set_bypass(False)


def _current_cache(location: store.StoreLocation) -> store.LoadedStore | None:
    """What the cache holds for the store's files as they are now (None when it holds nothing valid)."""
    stamps = [cache.content_stamp(location.file(name)) for name in store.STORE_FILES]
    found = cache.read_file(cache.cache_file(location), cache.cache_key(location, stamps))
    if found is None:
        return None

    def no_reparse() -> Sequence[Publication]:
        raise AssertionError("a damaged record in the carried-over cache")

    return cache._decode(location, *found, no_reparse)


def assert_warm_and_fresh(folder: Path) -> None:
    """The cache is current for the store's files, and reads back as a cold read's cache would."""
    location = store.locate_store(folder)
    cached = _current_cache(location)
    assert cached is not None, "the write left no cache for the new file"
    parsed = store.parse_library(location)
    expected = index.build_index(parsed.library.publications)
    library = cached.library
    assert list(library.publications) == list(parsed.library.publications)
    assert cached.warnings == parsed.warnings
    assert library.themes == parsed.library.themes
    assert library.profile == parsed.library.profile
    assert cached.from_cache
    for name in SECTIONS:
        assert list(getattr(cached.index, name)) == list(getattr(expected, name)), name
    assert {key: list(order) for key, order in cached.index.orders.items()} == {
        key: list(order) for key, order in expected.orders.items()
    }


def _warm(folder: Path) -> store.StoreLocation:
    location = store.locate_store(folder)
    store.load_library(location)  # a read writes the cache of the files as they are
    assert _current_cache(location) is not None
    return location


def _new(title: str, **fields: object) -> Candidate:
    publication = Publication(
        id="",
        type="article-journal",
        authors=(parse_name("Wójcik, Åsa"), parse_name("New Person, Brand")),
        title=title,
        year=2024,
        **fields,  # type: ignore[arg-type]
    )
    return Candidate(publication, "test")


@pytest.fixture(params=["default", "stress"])
def any_store(request: pytest.FixtureRequest, default_store: Path, stress_store: Path) -> Path:
    return default_store if request.param == "default" else stress_store


def _ids(folder: Path) -> list[str]:
    return [
        publication.id for publication in store.parse_library(store.locate_store(folder)).library.publications
    ]


def test_add_keeps_the_cache_warm(any_store: Path) -> None:
    location = _warm(any_store)
    writes.add_publications(location, [_new("A Work Added Last")])
    assert_warm_and_fresh(any_store)
    writes.add_publications(location, [_new("Another One", pages="1-2"), _new("Third, with no DOI")])
    assert_warm_and_fresh(any_store)


def test_set_remove_and_edit_keep_the_cache_warm(any_store: Path) -> None:
    location = _warm(any_store)
    ids = _ids(any_store)
    writes.set_fields(location, ids[1], {"title": "A Changed Title", "year": "1999", "pages": None})
    assert_warm_and_fresh(any_store)
    writes.set_fields(location, ids[-1], {"authors": "Zed, Zoë; Alpha, Ann"})
    assert_warm_and_fresh(any_store)
    writes.remove_publications(location, [ids[0], ids[2]])
    assert_warm_and_fresh(any_store)
    writes.remove_publications(location, [ids[-1]])
    assert_warm_and_fresh(any_store)
    original = writes.record_for_edit(location, ids[3])
    edited = original.text.replace(f"id: {ids[3]}", "id: renamed2001", 1)
    writes.replace_record(location, original, edited, "edit.yaml")
    assert_warm_and_fresh(any_store)


def test_an_import_that_updates_keeps_the_cache_warm(stress_store: Path) -> None:
    location = _warm(stress_store)
    first = store.parse_library(location).library.publications[0]
    update = Candidate(replace(first, id="", pages="9-10", note="updated"), "import")
    writes.add_publications(location, [update, _new("Brand New")], on_duplicate=OnDuplicate.update)
    assert_warm_and_fresh(stress_store)


def test_output_after_a_write_is_the_same_with_and_without_the_cache(default_store: Path) -> None:
    location = _warm(default_store)
    writes.add_publications(location, [_new("Output Check")])
    writes.set_fields(location, _ids(default_store)[2], {"year": "2003"})
    runner = CheckedRunner()
    for arguments in (["list"], ["list", "--format", "json"], ["export", "--format", "bibtex"], ["check"]):
        warm = runner.invoke(app, [arguments[0], "--store", str(default_store), *arguments[1:]])
        cold = runner.invoke(app, ["--no-cache", arguments[0], "--store", str(default_store), *arguments[1:]])
        assert (warm.exit_code, warm.stdout, warm.stderr) == (cold.exit_code, cold.stdout, cold.stderr)


LAYOUTS = {
    "no final line break": "- id: one2020\n  type: book\n  authors: [A, B]\n  title: One\n  year: 2020",
    "a kept block scalar last": (
        "- id: one2020\n  type: book\n  authors: [A, B]\n  title: One\n  year: 2020\n  note: |+\n    kept\n"
    ),
    "a clipped block scalar without a line break": (
        "- id: one2020\n  type: book\n  authors: [A, B]\n  title: One\n  year: 2020\n  note: |\n    clip"
    ),
    "CRLF and a BOM": "\ufeff# header\r\n\r\n- id: one2020\r\n  type: book\r\n  authors: [A, B]\r\n  title: One\r\n"
    "  year: 2020\r\n\r\n- id: two2021\r\n  type: book\r\n  authors: [C, D]\r\n  title: Two\r\n  year: 2021\r\n",
    "indented items and comments": (
        "---\n# header\n- id: one2020\n  type: book\n  # a comment in a record\n  authors:\n  - A\n  - B\n"
        "  title: One\n  year: 2020\n# about two\n-\n  id: two2021\n  type: book\n  authors: [C]\n"
        "  title: Two\n  year: 2021\n\n\n"
    ),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_writes_in_other_layouts(tmp_path: Path, layout: str) -> None:
    folder = tmp_path / "store"
    shutil.copytree(DEFAULT_STORE, folder)
    (folder / "themes.yaml").write_text("[]\n", encoding="utf-8")
    (folder / "publications.yaml").write_bytes(LAYOUTS[layout].encode("utf-8"))
    location = _warm(folder)
    writes.add_publications(location, [_new("Added Here")])
    assert_warm_and_fresh(folder)
    writes.set_fields(location, "one2020", {"note": "changed"})
    assert_warm_and_fresh(folder)
    writes.add_publications(location, [_new("Added Again")])
    writes.remove_publications(location, ["one2020"])
    assert_warm_and_fresh(folder)


def test_no_cache_before_the_write_means_none_after(default_store: Path) -> None:
    location = store.locate_store(default_store)
    writes.add_publications(location, [_new("Cold Add")])
    assert _current_cache(location) is None


@pytest.mark.parametrize(
    "failure",
    [
        OSError("no space left"),
        ValueError("bad marshal data"),
        EOFError("EOF read where object expected"),
        MemoryError(),
        cache_update._GiveUpError(),
    ],
    ids=["os", "value", "eof", "memory", "give-up"],
)
def test_a_failed_cache_update_does_not_fail_the_write(
    monkeypatch: pytest.MonkeyPatch, default_store: Path, failure: BaseException
) -> None:
    location = _warm(default_store)

    def broken(*_: object) -> bool:
        raise failure

    monkeypatch.setattr(cache_update, "_update", broken)
    report = writes.add_publications(location, [_new("Written Anyway")])
    assert len(report.added) == 1
    assert _current_cache(location) is None  # the next read parses and caches the new file
    assert len(store.load_library(location).library.publications) == 8


def test_a_bug_in_the_cache_update_is_not_hidden(
    monkeypatch: pytest.MonkeyPatch, default_store: Path
) -> None:
    # The update swallows the failures it means (UPDATE_FAILURES), not every exception: a bug once
    # only cost the cache, silently. The file is written before the update runs.
    location = _warm(default_store)

    def buggy(*_: object) -> bool:
        raise AttributeError("'NoneType' object has no attribute 'first'")

    monkeypatch.setattr(cache_update, "_update", buggy)
    with pytest.raises(AttributeError):
        writes.add_publications(location, [_new("Written Before The Bug")])
    assert len(store.load_library(location, use_cache=False).library.publications) == 8


def test_no_cache_option_leaves_the_cache_alone(monkeypatch: pytest.MonkeyPatch, default_store: Path) -> None:
    location = _warm(default_store)
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    writes.add_publications(location, [_new("Not Cached")])
    monkeypatch.delenv(cache.NO_CACHE_ENV)
    assert _current_cache(location) is None


_operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(1, 3), st.sampled_from(["", "1-2", None])),
        st.tuples(st.just("set"), st.integers(0, 50), st.sampled_from(["title", "year", "pages", "doi"])),
        st.tuples(st.just("remove"), st.integers(0, 50), st.integers(1, 2)),
        st.tuples(st.just("edit"), st.integers(0, 50), st.booleans()),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=_operations)
def test_random_sequences_of_writes(tmp_path: Path, operations: list[tuple[object, ...]]) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path)) / "store"
    shutil.copytree(STRESS_STORE, folder)
    location = _warm(folder)
    for number, (kind, first, second) in enumerate(operations):
        ids = _ids(folder)
        if kind == "add":
            pages = second or None
            writes.add_publications(
                location,
                [_new(f"Random {number} {n}", pages=pages) for n in range(int(first))],  # type: ignore[call-overload]
            )
        elif not ids:
            continue
        elif kind == "set":
            value = {"title": f"Title {number}", "year": str(1990 + number), "pages": None, "doi": None}
            writes.set_fields(location, ids[int(first) % len(ids)], {str(second): value[str(second)]})
        elif kind == "remove":
            chosen = {ids[(int(first) + step * 3) % len(ids)] for step in range(int(second))}
            writes.remove_publications(location, sorted(chosen))
        else:
            record_id = ids[int(first) % len(ids)]
            original = writes.record_for_edit(location, record_id)
            text = original.text + ("  note: edited\n" if second and "note:" not in original.text else "")
            writes.replace_record(location, original, text, "edit.yaml")
        assert_warm_and_fresh(folder)


def test_a_store_of_hundreds_of_records(tmp_path: Path) -> None:
    """From 256 records on, marshal writes a tuple with a 4-byte count: an add appends the new records'
    index texts to the old sections as bytes (the fast path), which must read back as a fresh tuple."""
    spec = importlib.util.spec_from_file_location("generate", REPO / "benchmarks" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate", generate)  # its dataclasses look their module up there
    spec.loader.exec_module(generate)
    folder = generate.write_store(300, tmp_path)
    location = _warm(folder)
    writes.add_publications(location, [_new("Hundreds Plus One"), _new("Hundreds Plus Two")])
    assert_warm_and_fresh(folder)
    ids = _ids(folder)
    writes.set_fields(location, ids[150], {"title": "Middle Changed", "pages": None})
    assert_warm_and_fresh(folder)
    writes.remove_publications(location, [ids[10], ids[200]])
    assert_warm_and_fresh(folder)
    writes.add_publications(location, [_new("After The Rest")])
    assert_warm_and_fresh(folder)


def test_an_add_counts_the_lines_only_where_a_warning_needs_them(
    monkeypatch: pytest.MonkeyPatch, make_store
) -> None:
    # Counting the lines before the last record (~15 ms at 10,000 records) was done for every add;
    # only warnings, old or new, need the number (issue #13 item 3).
    counted: list[int] = []
    count = cache_update.LinesBefore.__int__

    def counting(self: cache_update.LinesBefore) -> int:
        counted.append(self.offset)
        return count(self)

    monkeypatch.setattr(cache_update.LinesBefore, "__int__", counting)
    text = (
        "- id: a\n  type: article-journal\n  title: A\n  authors:\n    - Liu, Chuncheng\n  year: 2022\n"
        "  container: Journal\n  pages: 1-2\n  doi: 10.1234/a\n"
    )
    folder = make_store(text)
    location = _warm(folder)
    assert not store.parse_library(location).warnings
    writes.add_publications(location, [_new("Clean", doi="10.1234/clean", container="Journal", pages="3-4")])
    assert_warm_and_fresh(folder)
    assert counted == []
    writes.add_publications(location, [_new("Published but with no DOI")])  # a warning in the new record
    assert_warm_and_fresh(folder)
    assert counted != []
    warned = [warning.line for warning in store.parse_library(location).warnings]
    lines = (folder / "publications.yaml").read_text(encoding="utf-8").splitlines()
    assert warned == [lines.index("- id: wojcik2024published") + 1] * 2  # (no DOI, no pages)


def test_lines_before_counts_once() -> None:
    lines = cache_update.LinesBefore(b"a\nb\nc\n", 4)
    assert int(lines) == 2
    lines.data = b""  # (a second count would now give 0)
    assert int(lines) == 2
