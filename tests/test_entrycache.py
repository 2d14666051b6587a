"""The entry cache: an export from stored entries is the export a fresh render gives, and a cache that
is missing, stale, damaged or bypassed is never trusted."""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scholarcli import cache, entrycache, store
from scholarcli.cli.app import app
from scholarcli.export import FORMATS, ExportOptions, export, export_selection
from scholarcli.model import Publication
from scholarcli.query import SORT_KEYS, Selection, YearRange, select_from

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


def _rendered_fresh(folder: Path, format_name: str, selection: Selection) -> str:
    """The export from a parse, with no cache of any kind."""
    parsed = store.parse_library(store.locate_store(folder))
    works = select_from(parsed.library, selection)
    return export(format_name, works, parsed.library, ExportOptions())


def _renderer(format_name: str):  # the module's own function
    return importlib.import_module(FORMATS[format_name].module).render_entry


def _refuse_render(monkeypatch: pytest.MonkeyPatch, format_name: str) -> None:
    def refuse(_work: Publication) -> str:
        raise AssertionError("an entry was rendered although the entry cache is current")

    monkeypatch.setattr(importlib.import_module(FORMATS[format_name].module), "render_entry", refuse)


@pytest.mark.parametrize("format_name", PER_RECORD)
def test_stored_entries_give_the_export_a_fresh_render_gives(
    monkeypatch: pytest.MonkeyPatch, default_store: Path, format_name: str
) -> None:
    loaded = store.open_store(default_store)
    first = export_selection(format_name, loaded, Selection())
    assert len(_entry_files()) == 1
    assert first.text == _rendered_fresh(default_store, format_name, Selection())
    expected = {selection: _rendered_fresh(default_store, format_name, selection) for selection in SELECTIONS}
    _refuse_render(monkeypatch, format_name)
    for selection in SELECTIONS:
        exported = export_selection(format_name, store.open_store(default_store), selection)
        assert exported.text == expected[selection], selection
        assert exported.count == len(select_from(loaded.library, selection))


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
    exported = export_selection(format_name, store.open_store(stress_store), selection)
    assert exported.text == _rendered_fresh(stress_store, format_name, selection)


def test_a_small_selection_renders_only_itself_and_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, default_store: Path
) -> None:
    loaded = store.open_store(default_store)
    rendered: list[str] = []
    render = _renderer("bibtex")

    def counting(work: Publication) -> str:
        rendered.append(work.id)
        return render(work)

    entries = entrycache.selected_entries(loaded, "bibtex", counting, [0, 1])
    assert rendered == [loaded.library.publications[0].id, loaded.library.publications[1].id]
    assert entries == [render(loaded.library.publications[n]) for n in (0, 1)]
    assert _entry_files() == []
    half = range(0, len(loaded.library.publications), 2)  # at least half the store: all are rendered
    entrycache.selected_entries(loaded, "bibtex", counting, list(half))
    assert len(rendered) == 2 + len(loaded.library.publications)
    assert len(_entry_files()) == 1


def test_each_format_has_its_own_file(default_store: Path) -> None:
    for format_name in PER_RECORD:
        export_selection(format_name, store.open_store(default_store), Selection())
    assert len(_entry_files()) == len(PER_RECORD)


def test_a_changed_store_is_rendered_again(monkeypatch: pytest.MonkeyPatch, default_store: Path) -> None:
    export_selection("bibtex", store.open_store(default_store), Selection())
    publications = default_store / "publications.yaml"
    text = publications.read_text(encoding="utf-8")
    assert "Metricocracy" in text
    publications.write_text(text.replace("Metricocracy", "Metricocracy revisited", 1), encoding="utf-8")
    changed = export_selection("bibtex", store.open_store(default_store), Selection())
    assert "Metricocracy revisited" in changed.text
    assert changed.text == _rendered_fresh(default_store, "bibtex", Selection())
    _refuse_render(monkeypatch, "bibtex")  # and the rewritten cache now serves the changed store
    assert export_selection("bibtex", store.open_store(default_store), Selection()) == changed


def test_changed_export_code_makes_the_cache_stale(
    monkeypatch: pytest.MonkeyPatch, default_store: Path
) -> None:
    export_selection("csl-json", store.open_store(default_store), Selection())
    stamp = cache.code_stamp

    def other_code(names: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
        return (*stamp(names), ("export/csl_json.py", 1, 1))

    monkeypatch.setattr(cache, "code_stamp", other_code)
    loaded = store.open_store(default_store)
    key = entrycache._key(loaded.cache_key or b"", "csl-json")
    assert entrycache._read(entrycache.entry_file(loaded.location, "csl-json"), key, 1_000) is None
    calls: list[str] = []
    render = _renderer("csl-json")
    entrycache.selected_entries(loaded, "csl-json", lambda w: calls.append(w.id) or render(w), [0])
    assert calls == [loaded.library.publications[0].id]


def test_a_new_pylatexenc_makes_the_cache_stale(default_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = store.open_store(default_store)
    key = entrycache._key(loaded.cache_key or b"", "bibtex")
    stamps = entrycache._library_stamp()
    assert all(size >= 0 for _path, size, _mtime in stamps)  # found where the import system finds it
    monkeypatch.setattr(
        entrycache, "_library_stamp", lambda: (*stamps[:1], (stamps[1][0], stamps[1][1] + 1, 0))
    )
    assert entrycache._key(loaded.cache_key or b"", "bibtex") != key


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage"])
def test_a_damaged_entry_file_is_ignored_and_rewritten(default_store: Path, damage: str) -> None:
    expected = export_selection("bibtex", store.open_store(default_store), Selection()).text
    (path,) = _entry_files()
    data = bytearray(path.read_bytes())
    if damage == "flip":
        data[-40] ^= 0x20  # inside the last entry's text
    elif damage == "truncate":
        del data[-100:]
    else:
        data[:] = b"not a cache at all"
    path.write_bytes(bytes(data))
    assert export_selection("bibtex", store.open_store(default_store), Selection()).text == expected
    loaded = store.open_store(default_store)
    key = entrycache._key(loaded.cache_key or b"", "bibtex")
    assert entrycache._read(path, key, len(loaded.library.publications)) is not None  # rewritten


def test_no_cache_neither_reads_nor_writes_entries(runner, default_store: Path) -> None:
    result = runner.invoke(app, ["--no-cache", "export", "--store", str(default_store), "-f", "bibtex"])
    assert result.exit_code == 0
    assert result.stdout.startswith("@")
    assert _entry_files() == []


def test_a_read_without_the_parse_cache_renders(default_store: Path) -> None:
    parsed = store.parse_library(store.locate_store(default_store))
    assert parsed.cache_key is None
    exported = export_selection("bibtex", parsed, Selection())
    assert exported.text == _rendered_fresh(default_store, "bibtex", Selection())
    assert _entry_files() == []


def test_entries_are_not_mixed_up_between_stores(default_store: Path, stress_store: Path) -> None:
    first = store.open_store(default_store)
    export_selection("bibtex", first, Selection())
    other = dataclasses.replace(store.open_store(stress_store), location=first.location)
    # The same file name (same folder), another store's key: the stored entries must not be used.
    exported = export_selection("bibtex", other, Selection())
    assert exported.text == _rendered_fresh(stress_store, "bibtex", Selection())


def test_the_cli_writes_the_same_file_from_stored_entries(
    runner, default_store: Path, tmp_path: Path
) -> None:
    outputs = []
    for run in range(2):
        target = tmp_path / f"cv{run}.bib"
        result = runner.invoke(
            app, ["export", "--store", str(default_store), "-f", "bibtex", "-o", str(target)]
        )
        assert result.exit_code == 0, result.output
        assert "wrote" in result.stderr
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].decode() == _rendered_fresh(default_store, "bibtex", Selection())
