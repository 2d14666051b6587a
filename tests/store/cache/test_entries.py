"""The entry cache: an export from stored entries is the export a fresh render gives, an edit
re-renders only what it changed, and a cache that is missing, stale, damaged or bypassed is never
trusted."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scholarcli import store
from scholarcli.cli.app import app
from scholarcli.export import FORMATS, ExportOptions, export, export_selection
from scholarcli.model import Publication
from scholarcli.query import SORT_KEYS, InMemory, Selection, YearRange, select
from scholarcli.store.cache import entries as entry_cache
from scholarcli.store.cache import parse as cache

PER_RECORD = sorted(name for name, fmt in FORMATS.items() if fmt.per_record)

SELECTIONS = [
    Selection(),
    Selection(reverse=True),
    Selection(sort="title"),
    Selection(sort="title", reverse=True, limit=3),
    Selection(limit=1),
    Selection(limit=0),
    Selection(author="liu"),
    Selection(author="chuncheng liu"),
    Selection(search="credit"),
    Selection(themes=("west-imaginary",)),
    Selection(years=YearRange(2020, 2022)),
    Selection(statuses=("forthcoming",)),
    Selection(types=("book", "chapter")),
]


@pytest.fixture(autouse=True)
def cache_enabled() -> Iterator[None]:
    cache.set_bypass(False)
    yield
    cache.set_bypass(False)


def _entry_files() -> list[Path]:
    folder = cache.cache_folder()
    return sorted(folder.glob("*.entries")) if folder.is_dir() else []


def _stored(folder: Path, format_name: str) -> dict[str, bytes] | None:
    loaded = store.open_store(folder)
    return entry_cache._read(
        entry_cache.entry_file(loaded.location, format_name), entry_cache._key(format_name)
    )


def _rendered_fresh(folder: Path, format_name: str, selection: Selection) -> str:
    """The export from a parse, with no cache of any kind."""
    parsed = store.parse_library(store.locate_store(folder))
    works = select(InMemory(parsed.library), selection).works
    return export(format_name, works, parsed.library, ExportOptions())


def _module(format_name: str):  # the exporter's module
    return importlib.import_module(FORMATS[format_name].module)


class _Counting:
    """A renderer that counts the works it renders (or refuses to render any)."""

    def __init__(self, format_name: str, *, refuse: bool = False) -> None:
        self.render = _module(format_name).render_entry
        self.refuse = refuse
        self.ids: list[str] = []

    def __call__(self, work: Publication) -> str:
        if self.refuse:
            raise AssertionError("an entry was rendered although the entry cache holds it")
        self.ids.append(work.id)
        return self.render(work)


def _install(monkeypatch: pytest.MonkeyPatch, format_name: str, renderer: _Counting) -> None:
    monkeypatch.setattr(_module(format_name), "render_entry", renderer)


def _many_works(count: int, title: str = "Work") -> str:
    return "".join(
        f"- id: work{n}\n  type: article-journal\n  title: {title} number {n}\n"
        f"  authors: [Person, Test]\n  year: {2000 + n % 20}\n  container: Journal\n"
        for n in range(count)
    )


@pytest.mark.parametrize("format_name", PER_RECORD)
def test_stored_entries_give_the_export_a_fresh_render_gives(
    monkeypatch: pytest.MonkeyPatch, default_store: Path, format_name: str
) -> None:
    loaded = store.open_store(default_store)
    first = export_selection(format_name, loaded, Selection())
    assert len(_entry_files()) == 1
    assert first.text == _rendered_fresh(default_store, format_name, Selection())
    expected = {selection: _rendered_fresh(default_store, format_name, selection) for selection in SELECTIONS}
    _install(monkeypatch, format_name, _Counting(format_name, refuse=True))
    for selection in SELECTIONS:
        exported = export_selection(format_name, store.open_store(default_store), selection)
        assert exported.text == expected[selection], selection
        assert exported.count == len(select(InMemory(loaded.library), selection).works)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    format_name=st.sampled_from(PER_RECORD),
    selection=st.builds(
        Selection,
        sort=st.sampled_from(SORT_KEYS),
        reverse=st.booleans(),
        limit=st.none() | st.integers(0, 12),
        search=st.none() | st.sampled_from(["a", "the", "credit", "zzz"]),
        author=st.none() | st.sampled_from(["ö", "smith", "liu", "von"]),
    ),
)
def test_any_selection_from_stored_entries_matches_a_render(
    stress_store: Path, format_name: str, selection: Selection
) -> None:
    export_selection(format_name, store.open_store(stress_store), Selection())  # fills the cache
    expected = _rendered_fresh(stress_store, format_name, selection)
    with pytest.MonkeyPatch.context() as patch:
        _install(patch, format_name, _Counting(format_name, refuse=True))
        exported = export_selection(format_name, store.open_store(stress_store), selection)
    assert exported.text == expected


def test_an_edit_re_renders_only_the_works_it_changed(monkeypatch: pytest.MonkeyPatch, make_store) -> None:
    folder = make_store(_many_works(40))
    export_selection("bibtex", store.open_store(folder), Selection())
    publications = folder / "publications.yaml"
    text = publications.read_text(encoding="utf-8")
    publications.write_text(
        text.replace("title: Work number 7\n", "title: Work number seven\n")
        + "- id: added\n  type: book\n  title: An added book\n  authors: [Person, Test]\n  year: 2024\n",
        encoding="utf-8",
    )
    counting = _Counting("bibtex")
    with monkeypatch.context() as patch:
        _install(patch, "bibtex", counting)
        exported = export_selection("bibtex", store.open_store(folder), Selection())
    assert sorted(counting.ids) == ["added", "work7"]
    assert exported.text == _rendered_fresh(folder, "bibtex", Selection())
    stored = _stored(folder, "bibtex")
    assert stored is not None
    assert len(stored) == 41  # the old entry of work7 is gone with the rewrite


def test_a_removed_work_leaves_no_entry_behind(make_store) -> None:
    folder = make_store(_many_works(10))
    export_selection("csl-json", store.open_store(folder), Selection())
    publications = folder / "publications.yaml"
    text = publications.read_text(encoding="utf-8")
    publications.write_text(text[: text.index("- id: work9\n")], encoding="utf-8")
    exported = export_selection("csl-json", store.open_store(folder), Selection())
    assert exported.count == 9
    assert len(_stored(folder, "csl-json") or {}) == 9


def test_a_small_selection_renders_only_itself_and_writes_nothing(make_store) -> None:
    folder = make_store(_many_works(40))
    counting = _Counting("bibtex")
    loaded = store.open_store(folder)
    entries = entry_cache.selected_entries(loaded, "bibtex", counting, [0, 1])
    assert counting.ids == ["work0", "work1"]
    assert entries == [counting.render(loaded.library.publications[n]).encode("utf-8") for n in (0, 1)]
    assert _entry_files() == []
    # A third of the store reads the (missing) file and renders, but does not keep what it rendered.
    entry_cache.selected_entries(loaded, "bibtex", counting, list(range(0, 40, 3)))
    assert _entry_files() == []
    # Half the store and more: every work is rendered and kept.
    counting.ids.clear()
    entry_cache.selected_entries(loaded, "bibtex", counting, list(range(0, 40, 2)))
    assert sorted(counting.ids) == sorted(f"work{n}" for n in range(40))
    assert len(_stored(folder, "bibtex") or {}) == 40


def test_each_format_has_its_own_file(default_store: Path) -> None:
    for format_name in PER_RECORD:
        export_selection(format_name, store.open_store(default_store), Selection())
    assert len(_entry_files()) == len(PER_RECORD)


def test_changed_export_code_makes_every_entry_stale(
    monkeypatch: pytest.MonkeyPatch, default_store: Path
) -> None:
    export_selection("csl-json", store.open_store(default_store), Selection())
    key = entry_cache._key("csl-json")
    # Another version of any module (here: the export code) gives another digest of the package.
    monkeypatch.setattr(cache, "_code_digest", "0" * 32)
    assert entry_cache._key("csl-json") != key
    assert _stored(default_store, "csl-json") is None
    counting = _Counting("csl-json")
    _install(monkeypatch, "csl-json", counting)
    loaded = store.open_store(default_store)
    export_selection("csl-json", loaded, Selection())
    assert len(counting.ids) == len(loaded.library.publications)


def test_a_new_pylatexenc_makes_the_cache_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    key = entry_cache._key("bibtex")
    stamps = entry_cache._library_stamp()
    assert all(size >= 0 for _path, size, _mtime in stamps)  # found where the import system finds it
    changed = (*stamps[:1], (stamps[1][0], stamps[1][1] + 1, stamps[1][2]))
    monkeypatch.setattr(entry_cache, "_library_stamp", lambda: changed)
    assert entry_cache._key("bibtex") != key


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage"])
def test_a_damaged_entry_file_is_ignored_and_rewritten(default_store: Path, damage: str) -> None:
    expected = export_selection("bibtex", store.open_store(default_store), Selection()).text
    (path,) = _entry_files()
    data = bytearray(path.read_bytes())
    if damage == "flip":
        data[-40] ^= 0x20  # inside an entry's text
    elif damage == "truncate":
        del data[-100:]
    else:
        data[:] = b"not a cache at all"
    path.write_bytes(bytes(data))
    assert _stored(default_store, "bibtex") is None
    assert export_selection("bibtex", store.open_store(default_store), Selection()).text == expected
    assert _stored(default_store, "bibtex") is not None  # rewritten


def test_no_cache_neither_reads_nor_writes_entries(runner, default_store: Path) -> None:
    result = runner.invoke(app, ["--no-cache", "export", "--store", str(default_store), "-f", "bibtex"])
    assert result.exit_code == 0
    assert result.stdout.startswith("@")
    assert _entry_files() == []


def test_a_read_without_the_parse_cache_renders(default_store: Path) -> None:
    parsed = store.parse_library(store.locate_store(default_store))
    assert not parsed.from_cache
    exported = export_selection("bibtex", parsed, Selection())
    assert exported.text == _rendered_fresh(default_store, "bibtex", Selection())
    assert _entry_files() == []


def test_the_cli_writes_the_same_file_from_stored_entries(
    monkeypatch: pytest.MonkeyPatch, runner, default_store: Path, tmp_path: Path
) -> None:
    outputs = []
    for run in range(2):
        with monkeypatch.context() as patch:
            if run == 1:  # the second export is written from the stored entries alone
                _install(patch, "bibtex", _Counting("bibtex", refuse=True))
            target = tmp_path / f"cv{run}.bib"
            arguments = ["export", "--store", str(default_store), "-f", "bibtex", "-o", str(target)]
            result = runner.invoke(app, arguments)
        assert result.exit_code == 0, result.output
        assert "wrote 7 works" in result.stderr
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].decode() == _rendered_fresh(default_store, "bibtex", Selection())


@given(st.lists(st.text(), max_size=5))
def test_an_entry_frame_joins_bytes_as_it_joins_text(entries: list[str]) -> None:
    # The entry cache joins UTF-8 bytes; --no-cache and library callers join text: the same file.
    from scholarcli.export import csl_json, latex

    for frame in (latex.ENTRY_FRAME, csl_json.ENTRY_FRAME):
        encoded = [entry.encode("utf-8", "surrogatepass") for entry in entries]
        assert frame.join_utf8(encoded) == frame.join(entries).encode("utf-8", "surrogatepass")
        assert encoded == [entry.encode("utf-8", "surrogatepass") for entry in entries]  # not changed


def test_an_exported_text_is_its_bytes_decoded(default_store: Path) -> None:
    loaded = store.open_store(default_store)  # a miss: writes the parse cache
    exported = export_selection("csl-json", store.open_store(default_store), Selection())  # a hit
    assert isinstance(exported.content, bytes)
    assert exported.text == export(
        "csl-json", select(InMemory(loaded.library), Selection()).works, loaded.library
    )
    assert exported.count == len(loaded.library.publications)
    parsed = store.load_library(store.locate_store(default_store), use_cache=False)
    assert export_selection("csl-json", parsed, Selection()).data == exported.data  # no parse cache


def test_an_export_gives_its_text_its_bytes_and_its_count(default_store: Path) -> None:
    store.open_store(default_store)
    exported = export_selection("bibtex", store.open_store(default_store), Selection(limit=2))
    assert exported.count == 2
    assert exported.data == exported.text.encode("utf-8")
    assert exported.text.count("\n@") + exported.text.startswith("@") == 2
    with pytest.raises(TypeError):
        iter(exported)  # type: ignore[call-overload]  # an object with named parts, not a tuple
