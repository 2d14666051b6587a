"""The parse cache: identical output with and without it, and never a stale or broken read."""

from __future__ import annotations

import dataclasses
import importlib.util
import marshal
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from scholarcli import errors, query, store
from scholarcli.cli.app import app
from scholarcli.errors import StoreInvalidError, UnknownIdError
from scholarcli.export import FORMATS
from scholarcli.model import Publication
from scholarcli.query import index
from scholarcli.store import load as store_load
from scholarcli.store.cache import parse as cache

LIST_FORMATS = ("table", "tsv", "json", "jsonl", "yaml", "keys")


@pytest.fixture(autouse=True)
def cache_enabled() -> Iterator[None]:
    """Every test starts and ends with the cache on (a --no-cache run sets a process-wide flag)."""
    cache.set_bypass(False)
    yield
    cache.set_bypass(False)


@pytest.fixture(params=["default", "stress"])
def any_store(request: pytest.FixtureRequest, default_store: Path, stress_store: Path) -> Path:
    return default_store if request.param == "default" else stress_store


def _cache_files() -> list[Path]:
    folder = cache.cache_folder()
    return sorted(folder.glob("*.marshal")) if folder.is_dir() else []


def _invoke(runner, arguments: list[str]) -> tuple[int, str]:
    result = runner.invoke(app, arguments)
    return result.exit_code, result.stdout


def _refuse_parse(*_args: object, **_kwargs: object) -> object:
    raise AssertionError("the store was parsed although its cache is current")


def _same_output_three_ways(runner, monkeypatch: pytest.MonkeyPatch, arguments: list[str]) -> None:
    """--no-cache, a cache miss (which writes the cache) and a cache hit print the same bytes."""
    uncached = _invoke(runner, ["--no-cache", *arguments])
    assert _cache_files() == []
    miss = _invoke(runner, arguments)
    assert len(_cache_files()) == 1
    with monkeypatch.context() as patch:
        patch.setattr(store_load, "parse_library", _refuse_parse)
        hit = _invoke(runner, arguments)
    assert uncached[0] == 0
    assert uncached == miss == hit


@pytest.mark.parametrize("output_format", LIST_FORMATS)
def test_list_is_identical_with_and_without_the_cache(
    runner, monkeypatch: pytest.MonkeyPatch, any_store: Path, output_format: str
) -> None:
    _same_output_three_ways(
        runner, monkeypatch, ["list", "--store", str(any_store), "--format", output_format]
    )


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_export_is_identical_with_and_without_the_cache(
    runner, monkeypatch: pytest.MonkeyPatch, any_store: Path, format_name: str
) -> None:
    module = FORMATS[format_name].module
    assert importlib.util.find_spec(module) is not None, f"the registry names a missing module {module}"
    if FORMATS[format_name].site:  # a folder format: the same files, written three ways
        _same_tree_three_ways(runner, monkeypatch, any_store, format_name)
        return
    _same_output_three_ways(
        runner, monkeypatch, ["export", "--store", str(any_store), "--format", format_name]
    )


def _same_tree_three_ways(runner, monkeypatch: pytest.MonkeyPatch, any_store: Path, format_name: str) -> None:
    trees = []
    for way in ("uncached", "miss", "hit"):
        folder = any_store.parent / f"site-{way}"
        arguments = ["export", "--store", str(any_store), "--format", format_name, "-o", str(folder)]
        with monkeypatch.context() as patch:
            if way == "hit":
                patch.setattr(store_load, "parse_library", _refuse_parse)
            result = runner.invoke(app, ["--no-cache", *arguments] if way == "uncached" else arguments)
        assert result.exit_code == 0, result.output
        assert len(_cache_files()) == (0 if way == "uncached" else 1)
        trees.append(
            {path.relative_to(folder): path.read_bytes() for path in folder.rglob("*") if path.is_file()}
        )
    assert trees[0] == trees[1] == trees[2]
    assert len(trees[0]) > 1


@pytest.mark.parametrize(
    "arguments",
    [["check", "--format", "json"], ["check"], ["stats", "--format", "json"], ["themes", "--format", "tsv"]],
)
def test_warnings_and_summaries_are_identical_with_and_without_the_cache(
    runner, monkeypatch: pytest.MonkeyPatch, any_store: Path, arguments: list[str]
) -> None:
    _same_output_three_ways(runner, monkeypatch, [*arguments, "--store", str(any_store)])


def test_show_is_identical_with_and_without_the_cache(
    runner, monkeypatch: pytest.MonkeyPatch, stress_store: Path
) -> None:
    ids = [p.id for p in store.open_store(stress_store).library.publications]
    shutil.rmtree(cache.cache_folder())
    assert len(ids) > 3
    _same_output_three_ways(runner, monkeypatch, ["show", "--store", str(stress_store), *ids])


def test_a_hit_rebuilds_equal_records_and_warnings(stress_store: Path) -> None:
    location = store.locate_store(stress_store)
    parsed = store.load_library(location, use_cache=False)
    first = store.load_library(location)  # miss: writes the cache
    second = store.load_library(location)  # hit
    assert len(_cache_files()) == 1
    assert parsed.warnings, "the stress store is expected to carry warnings"
    for loaded in (first, second):
        assert loaded.library.publications == parsed.library.publications
        assert loaded.library.themes == parsed.library.themes
        assert loaded.library.profile == parsed.library.profile
        assert loaded.warnings == parsed.warnings


def test_warning_paths_follow_the_working_folder(
    stress_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = store.locate_store(stress_store)
    monkeypatch.chdir(stress_store)
    store.load_library(location)  # cached with paths shown relative to the store folder
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    warnings = store.load_library(location).warnings
    assert warnings == store.load_library(location, use_cache=False).warnings
    assert warnings
    assert all(problem.path.startswith(str(stress_store.resolve())) for problem in warnings)


def test_an_edit_that_keeps_size_and_mtime_is_seen(default_store: Path) -> None:
    location = store.locate_store(default_store)
    before = store.load_library(location).library
    publications = default_store / "publications.yaml"
    text = publications.read_text(encoding="utf-8")
    old_title = before.publications[0].title
    assert old_title is not None
    assert old_title in text
    new_title = old_title.swapcase()
    assert new_title != old_title
    status = publications.stat()
    publications.write_text(text.replace(old_title, new_title, 1), encoding="utf-8")
    os.utime(publications, ns=(status.st_atime_ns, status.st_mtime_ns))
    after = publications.stat()
    assert (after.st_size, after.st_mtime_ns) == (status.st_size, status.st_mtime_ns)
    assert store.load_library(location).library.publications[0].title == new_title


def test_a_changed_theme_file_invalidates_the_cache(default_store: Path) -> None:
    location = store.locate_store(default_store)
    store.load_library(location)
    themes = default_store / "themes.yaml"
    themes.write_text(
        themes.read_text(encoding="utf-8") + "- id: added-theme\n  title: Added?\n", encoding="utf-8"
    )
    assert "added-theme" in store.load_library(location).library.theme_by_id


@pytest.mark.parametrize(
    "damage",
    ["truncate-header", "truncate-payload", "flip-payload-byte", "garbage", "empty", "other-key"],
)
def test_a_damaged_cache_falls_back_to_parsing_and_is_rewritten(
    default_store: Path, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = store.locate_store(default_store)
    expected = store.load_library(location, use_cache=False)
    store.load_library(location)
    (cache_path,) = _cache_files()
    data = cache_path.read_bytes()
    if damage == "truncate-header":
        cache_path.write_bytes(data[:10])
    elif damage == "truncate-payload":
        cache_path.write_bytes(data[: len(data) - 50])
    elif damage == "flip-payload-byte":
        index = len(data) - 200
        cache_path.write_bytes(data[:index] + bytes([data[index] ^ 0x20]) + data[index + 1 :])
    elif damage == "garbage":
        cache_path.write_bytes(os.urandom(len(data)))
    elif damage == "empty":
        cache_path.write_bytes(b"")
    else:  # a cache written for other files (its key does not match)
        cache_path.write_bytes(data.replace(b"publications.yaml", b"publications.yamk", 1))
    loaded = store.load_library(location)
    assert loaded.library.publications == expected.library.publications
    assert loaded.warnings == expected.warnings
    monkeypatch.setattr(store_load, "parse_library", _refuse_parse)  # rebuilt whole: the next read is a hit
    assert store.load_library(location).library.publications == expected.library.publications


def test_an_unwritable_cache_folder_only_costs_the_cache(default_store: Path) -> None:
    folder = cache.cache_folder()
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("a file where the cache folder should be", encoding="utf-8")
    location = store.locate_store(default_store)
    first = store.load_library(location)
    assert first.library.publications == store.load_library(location, use_cache=False).library.publications
    assert folder.is_file()
    assert list(folder.parent.glob(".*.tmp")) == []


def test_a_store_with_errors_is_never_cached(make_store) -> None:
    folder = make_store(
        "- id: a1\n  type: article-journal\n  title: T\n  authors: [Doe, Jane]\n  year: 20x1\n"
    )
    location = store.locate_store(folder)
    for _ in range(2):
        with pytest.raises(StoreInvalidError) as caught:
            store.load_library(location)
        assert any("four-digit year" in message for message in caught.value.messages())
    assert _cache_files() == []


def test_no_cache_option_neither_reads_nor_writes(
    runner, default_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _ = _invoke(runner, ["--no-cache", "list", "--store", str(default_store)])
    assert code == 0
    assert _cache_files() == []
    _invoke(runner, ["list", "--store", str(default_store)])
    assert len(_cache_files()) == 1
    with monkeypatch.context() as patch:
        patch.setattr(cache, "read_file", _refuse_parse)
        code, output = _invoke(
            runner, ["--no-cache", "list", "--store", str(default_store), "--format", "keys"]
        )
    assert code == 0
    assert output.splitlines()


@pytest.mark.parametrize(("value", "bypassed"), [("1", True), ("yes", True), ("0", False), ("", False)])
def test_the_environment_variable_bypasses_the_cache(
    default_store: Path, monkeypatch: pytest.MonkeyPatch, value: str, bypassed: bool
) -> None:
    monkeypatch.setenv(cache.NO_CACHE_ENV, value)
    assert cache.bypassed() is bypassed
    store.load_library(store.locate_store(default_store))
    assert (_cache_files() == []) is bypassed


def _scholar_command() -> list[str]:
    return [sys.executable, "-m", "scholarcli"]


def test_the_environment_variable_bypasses_the_cache_in_a_real_process(default_store: Path) -> None:
    env = {**os.environ, cache.NO_CACHE_ENV: "1"}
    completed = subprocess.run(
        [*_scholar_command(), "list", "--store", str(default_store), "--format", "keys"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert completed.stdout.splitlines()
    assert _cache_files() == []


def test_concurrent_builds_by_real_processes(stress_store: Path) -> None:
    """Several processes miss at once and all write the cache: each prints the right output and the
    cache left behind is whole (the next process reads it without parsing)."""
    expected = subprocess.run(
        [*_scholar_command(), "--no-cache", "list", "--store", str(stress_store), "--format", "jsonl"],
        capture_output=True,
        check=True,
    ).stdout
    assert expected
    assert _cache_files() == []
    processes = [
        subprocess.Popen(
            [*_scholar_command(), "list", "--store", str(stress_store), "--format", "jsonl"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(6)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0] * 6
    assert all(out == expected for out, _ in outputs)
    (cache_path,) = _cache_files()
    assert list(cache_path.parent.glob(".*.tmp")) == []
    location = store.locate_store(stress_store)
    stamps = [cache.content_stamp(location.file(name)) for name in store.STORE_FILES]
    assert cache.read_file(cache_path, cache.cache_key(location, stamps)) is not None


def test_a_write_prunes_month_old_caches_and_orphaned_temp_files(default_store: Path) -> None:
    folder = cache.cache_folder()
    folder.mkdir(parents=True)
    old_cache, recent_cache = folder / ("0" * 32 + ".marshal"), folder / ("1" * 32 + ".marshal")
    orphan, busy = folder / ".x.marshal.1.ab.tmp", folder / ".y.marshal.2.cd.tmp"
    for path in (old_cache, recent_cache, orphan, busy):
        path.write_bytes(b"x")
    month_ago = recent_cache.stat().st_mtime - 31 * 24 * 3600
    os.utime(old_cache, (month_ago, month_ago))
    os.utime(orphan, (month_ago, month_ago))
    store.load_library(store.locate_store(default_store))  # a miss: writes its cache, then prunes
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [recent_cache.name, busy.name, cache.cache_file(store.locate_store(default_store)).name]
    )


def test_the_key_is_the_same_bytes_in_another_process(stress_store: Path) -> None:
    """A cache written by one process must be found by the next: the key may not depend on object
    identity or reference counts (marshal's output does)."""
    code = (
        "import sys; from scholarcli import store; from scholarcli.store.cache import parse as cache; loc = store.locate_store(sys.argv[1]); "
        "sys.stdout.write(cache.cache_key(loc, [cache.content_stamp(loc.file(n)) for n in store.STORE_FILES]).hex())"
    )
    other = subprocess.run(
        [sys.executable, "-c", code, str(stress_store)], capture_output=True, text=True, check=True
    ).stdout
    location = store.locate_store(stress_store)
    mine = cache.cache_key(location, [cache.content_stamp(location.file(name)) for name in store.STORE_FILES])
    assert bytes.fromhex(other) == mine


# -- format 2: records built on first use, and the index's lazily checked text sections ----------------


def _hit(folder: Path) -> tuple[store.LoadedStore, store.LoadedStore]:
    """The store parsed without the cache, and read from it (a hit: the cache is written first)."""
    location = store.locate_store(folder)
    parsed = store.load_library(location, use_cache=False)
    store.load_library(location)
    hit = store.load_library(location)
    assert isinstance(hit.library.publications, cache.CachedRecords)
    assert hit.from_cache
    return parsed, hit


def _built(records: cache.CachedRecords) -> int:
    return sum(record is not None for record in records._built)


def test_a_hit_builds_only_the_records_it_looks_up(stress_store: Path) -> None:
    parsed, hit = _hit(stress_store)
    library = hit.library
    records = library.publications
    assert isinstance(records, cache.CachedRecords)
    assert _built(records) == 0
    wanted = parsed.library.publications[3]
    assert query.find_ids(hit, [wanted.id]) == [wanted]  # `show ID`: through the index
    assert _built(records) == 1
    assert records._built[3] is not None
    assert query.find_ids(hit, [wanted.id])[0] is records._built[3]  # built once, then kept
    other = parsed.library.publications[5]
    assert query.find_ids(hit, [other.id.upper()]) == [other]  # `show ID` in another case
    assert query.find_ids(hit, [other.id.title()])[0] is query.find_ids(hit, [other.id])[0]
    assert _built(records) == 2
    for missing in ("no-such-work", ""):
        with pytest.raises(UnknownIdError):
            query.find_ids(hit, [missing])
    assert _built(records) == 2
    assert [p.id for p in query.find_ids(hit, [other.id.upper(), wanted.id])] == [other.id, wanted.id]
    assert _built(records) == 2
    assert library.get(other.id) == other  # the model's own lookup (it builds the records it scans)


def test_cached_records_behave_like_the_parsed_tuple(stress_store: Path) -> None:
    parsed, hit = _hit(stress_store)
    expected = parsed.library.publications
    records = hit.library.publications
    assert isinstance(expected, tuple)
    assert isinstance(records, cache.CachedRecords)
    count = len(expected)
    assert len(records) == count > 3
    assert records[-1] == expected[-1]
    assert records[-count] == expected[0]
    assert records[-1] is records[count - 1]  # a negative position builds (and keeps) the same record
    assert records[1:4] == list(expected[1:4])
    assert records[::-2] == list(expected[::-2])
    assert records[count:] == []
    for position in (count, -count - 1, 10**6):
        with pytest.raises(IndexError):
            records[position]
    # Equal both ways to the parsed tuple (and to a list), whichever side compares.
    assert expected == records
    assert records == expected
    assert list(expected) == records
    assert records == list(expected)
    assert not records != expected  # noqa: SIM202  (the inverse of __eq__)
    assert records != expected[:-1]
    assert expected[:-1] != records
    assert records != tuple(reversed(expected))
    assert records != "not a sequence of works"
    assert list(records) == list(expected)
    assert list(reversed(records)) == list(reversed(expected))
    assert expected[2] in records
    assert records.index(expected[2]) == 2
    assert hash(records) == hash(tuple(expected))
    assert repr(records) == f"CachedRecords({count} records)"


def test_an_empty_store_round_trips_through_the_cache(make_store) -> None:
    parsed, hit = _hit(make_store("[]\n"))
    assert parsed.library.publications == () == hit.library.publications
    assert len(hit.library.publications) == 0
    with pytest.raises(IndexError):
        hit.library.publications[0]
    assert hit.library.get("anything") is None
    assert query.select(hit, query.Selection(author="a", search="b")).works == []
    assert list(query.select(hit, query.Selection()).tsv_rows()) == []


def _layout(data: bytes) -> tuple[int, list[tuple[str, int, int]]]:
    """Where the cache file's body starts, and each region of the body: (name, start, end) relative to it.

    The directory is (names, themes, profile, warnings, ids, orders, ends, record checksums, sections),
    the orders, ends and checksums as machine integers; see cache._encode.
    """
    magic, key_length, directory_length, body_length, _ = cache._HEADER.unpack_from(data)
    assert magic == cache._MAGIC
    directory_start = cache._HEADER.size + key_length
    body_start = directory_start + directory_length
    assert len(data) == body_start + body_length
    directory = marshal.loads(data[directory_start:body_start])
    ends, sections = cache.integers(directory[6]), directory[8]
    regions = [("records", 0, ends[-1])]
    start = ends[-1]
    for name, (end, _checksum) in zip(cache.LAZY_SECTIONS, sections, strict=True):
        regions.append((name, start, end))
        start = end
    assert start == body_length
    return body_start, regions


def _flip_byte_in(cache_path: Path, region: str) -> None:
    """Flip one byte in the middle of a body region. The damaged file replaces the cache by a rename,
    as the cache's own writer does: a library read earlier may still map the old file."""
    data = cache_path.read_bytes()
    body_start, regions = _layout(data)
    ((_, start, end),) = [entry for entry in regions if entry[0] == region]
    assert end - start > 16
    offset = body_start + (start + end) // 2
    damaged = cache_path.with_name("damaged.tmp")
    damaged.write_bytes(data[:offset] + bytes([data[offset] ^ 0x55]) + data[offset + 1 :])
    damaged.replace(cache_path)


def test_the_layout_helper_matches_the_encoder(stress_store: Path) -> None:
    """The offsets the damage tests use are those of the body `_encode` writes."""
    location = store.locate_store(stress_store)
    loaded = store.load_library(location, use_cache=False)
    encoded = cache._encode(location, loaded)
    assert encoded is not None
    body = encoded[1]
    store.load_library(location)  # a miss: writes the cache
    data = cache.cache_file(location).read_bytes()
    body_start, regions = _layout(data)
    assert data[body_start:] == body
    assert [name for name, _, _ in regions] == ["records", *cache.LAZY_SECTIONS]
    records_end = regions[0][2]
    assert (
        marshal.loads(body[:records_end])[0] == loaded.library.publications[0].id
    )  # the first record's blob
    for name, start, end in regions[1:]:
        assert marshal.loads(body[start:end]) == index.rebuild(name, loaded.library.publications)


def test_a_damaged_record_falls_back_to_a_parse_when_it_is_built(
    stress_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = store.locate_store(stress_store)
    expected = store.load_library(location, use_cache=False)
    store.load_library(location)
    (cache_path,) = _cache_files()
    _flip_byte_in(cache_path, "records")
    parses = []
    real_parse = store.parse_library

    def counting_parse(*args: object, **kwargs: object) -> store.LoadedStore:
        parses.append(args)
        return real_parse(*args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(store_load, "parse_library", counting_parse)
        loaded = store.load_library(location)
        # Records are checked as they are built: reading the cache touched none of them.
        assert parses == []
        assert isinstance(loaded.library.publications, cache.CachedRecords)
        assert loaded.library.publications[0] == expected.library.publications[0]
        # Building every record meets the damaged one: the store is parsed once, and the damaged
        # cache file is removed so the next read writes it afresh.
        assert list(loaded.library.publications) == list(expected.library.publications)
        assert loaded.library.publications == expected.library.publications
        assert len(parses) == 1
        assert _cache_files() == []
        assert store.load_library(location).library.publications == expected.library.publications
        assert len(parses) == 2  # that miss
    assert loaded.warnings == expected.warnings
    monkeypatch.setattr(store_load, "parse_library", _refuse_parse)  # rewritten whole: the next read is a hit
    again = store.load_library(location)
    assert isinstance(again.library.publications, cache.CachedRecords)
    assert again.library.publications == expected.library.publications


@pytest.mark.parametrize("edit", ["remove the first work", "change the first work's type"])
def test_a_damaged_record_of_a_store_changed_since_is_a_clear_error(stress_store: Path, edit: str) -> None:
    location = store.locate_store(stress_store)
    store.load_library(location)
    (cache_path,) = _cache_files()
    _flip_byte_in(cache_path, "records")
    loaded = store.load_library(location)
    first_work = loaded.library.publications[0]  # built from the cache before the damage is found
    path = stress_store / store.PUBLICATIONS_FILE
    # Another process edits the store after this one read the cache: a parse no longer matches what
    # was handed out (even with the same ids), so the command stops instead of mixing two versions.
    text = path.read_text(encoding="utf-8")
    first = text.index("- id:")
    second = text.index("\n- id:", first) + 1
    if edit == "remove the first work":
        path.write_text(text[:first] + text[second:], encoding="utf-8")
    else:  # the same ids, another type
        assert first_work.type != "report"
        changed = text[first:second].replace(f"type: {first_work.type}", "type: report", 1)
        assert changed != text[first:second]
        path.write_text(text[:first] + changed + text[second:], encoding="utf-8")
    with pytest.raises(errors.StoreChangedError, match="changed while it was being read"):
        list(loaded.library.publications)


def _damage_every_record(cache_path: Path) -> None:
    """Flip one byte in the middle of each record's blob (replacing the file by a rename)."""
    data = bytearray(cache_path.read_bytes())
    body_start, _ = _layout(bytes(data))
    _, key_length, directory_length, _, _ = cache._HEADER.unpack_from(data)
    directory_start = cache._HEADER.size + key_length
    directory = marshal.loads(data[directory_start : directory_start + directory_length])
    start = 0
    for end in cache.integers(directory[6]):
        data[body_start + (start + end) // 2] ^= 0x55
        start = end
    damaged = cache_path.with_name("damaged.tmp")
    damaged.write_bytes(bytes(data))
    damaged.replace(cache_path)


def test_commands_on_damaged_records_print_what_a_parse_prints(runner, stress_store: Path) -> None:
    commands = [
        [*command, "--store", str(stress_store)]
        for command in (
            *SECTION_COMMANDS,
            ["show", "names2019"],
            ["list", "--format", "json"],
            ["export", "--format", "csl-json", "--theme", "names"],
            ["export", "--format", "markdown"],
        )
    ]
    expected = [_invoke(runner, ["--no-cache", *command]) for command in commands]
    assert all(code == 0 and output for code, output in expected)
    for command, result in zip(commands, expected, strict=True):
        for path in _cache_files():
            path.unlink()
        assert _invoke(runner, commands[0]) == expected[0]  # a miss: writes the cache
        (cache_path,) = _cache_files()
        _damage_every_record(cache_path)
        assert _invoke(runner, command) == result, command


# Commands that read each text section: the search texts (-q), the TSV rows and the name texts (--author).
SECTION_COMMANDS = [
    ["list", "-q", "émile", "--format", "tsv"],
    ["list", "-q", "credit numbers", "--format", "keys"],
    ["list", "--format", "tsv"],
    ["list", "--format", "tsv", "--sort", "author", "--reverse", "--limit", "4"],
    ["list", "--author", "EMILE", "--format", "tsv"],
    ["list", "--author", "a | ", "--format", "keys"],
    ["list", "--author", "gödel", "--format", "json"],
    ["list", "--author", "durkheim", "-q", "scoring", "--format", "tsv"],
    ["export", "--format", "bibtex"],  # reads the content digests (and then its entry cache)
    ["export", "--format", "csl-json", "--author", "durkheim"],
]


@pytest.mark.parametrize("section", [None, *cache.LAZY_SECTIONS])
def test_a_damaged_text_section_is_rebuilt_from_the_records(
    runner, stress_store: Path, monkeypatch: pytest.MonkeyPatch, section: str | None
) -> None:
    commands = [[*command, "--store", str(stress_store)] for command in SECTION_COMMANDS]
    expected = [_invoke(runner, ["--no-cache", *command]) for command in commands]
    assert all(code == 0 for code, _ in expected)
    assert all(output for _, output in expected)
    assert _cache_files() == []
    assert _invoke(runner, commands[0]) == expected[0]  # a miss: writes the cache
    (cache_path,) = _cache_files()
    if section is not None:
        _flip_byte_in(cache_path, section)
    rebuilt: list[str] = []
    real_rebuild = cache.rebuild

    def counting_rebuild(name: str, publications: Sequence[Publication]) -> tuple[str, ...]:
        rebuilt.append(name)
        return real_rebuild(name, publications)

    monkeypatch.setattr(
        store_load, "parse_library", _refuse_parse
    )  # the records are whole: every read is a hit
    monkeypatch.setattr(cache, "rebuild", counting_rebuild)
    for command, result in zip(commands, expected, strict=True):
        assert _invoke(runner, command) == result, command
    # Only the damaged section is computed again (by each command that reads it); the cache is kept.
    assert set(rebuilt) == ({section} if section is not None else set())
    assert _cache_files() == [cache_path]


def test_an_index_belongs_to_its_records(default_store: Path) -> None:
    location = store.locate_store(default_store)
    store.load_library(location)
    hit = store.load_library(location)
    assert hit.from_cache
    # The model holds no index, so a library made from fewer records answers for those records only.
    fewer = dataclasses.replace(hit.library, publications=tuple(hit.library.publications)[:1])
    assert fewer.get(hit.index.ids[-1]) is None
    assert [work.id for work in query.select(query.InMemory(fewer), query.Selection()).works] == [
        hit.index.ids[0]
    ]


def test_a_cache_hit_hashes_as_the_parse_does(default_store: Path) -> None:
    location = store.locate_store(default_store)
    parsed = store.load_library(location, use_cache=False).library
    store.load_library(location)
    hit = store.load_library(location).library
    assert hash(hit.publications) == hash(parsed.publications)
    assert hash(hit) == hash(parsed)


def test_a_hit_rebuilds_the_extra_mapping(make_store) -> None:  # type: ignore[no-untyped-def]
    folder = make_store(
        "- id: a\n  type: book\n  title: T\n  authors: [X, Y]\n  year: 2000\n"
        "  extra:\n    isbn: 978-3-16\n    original_key: 'averroes/bland'\n"
    )
    location = store.locate_store(folder)
    parsed = store.load_library(location, use_cache=False).library.publications
    store.load_library(location)  # miss: writes the cache
    cached = store.load_library(location).library.publications  # hit
    assert parsed[0].extra == (("isbn", "978-3-16"), ("original_key", "averroes/bland"))
    assert list(cached) == list(parsed)
    assert isinstance(cached[0].extra, type(parsed[0].extra))


def test_the_code_digest_covers_every_module_of_the_package(tmp_path: Path) -> None:
    """Item 4 of issue #13: the caches are keyed by every module, not a hand-kept list of them."""
    package = tmp_path / "scholarcli"
    shutil.copytree(
        Path(cache.__file__).parents[2], package, ignore=shutil.ignore_patterns("__pycache__", "data")
    )
    names = [name for name, _, _ in cache.package_files(package)]
    assert {"store/cache/parse.py", "export/bibtex.py", "cli/app.py"} <= set(names)
    first = cache._compute_code_digest(package)
    assert len(first) == 32
    assert cache._compute_code_digest(package) == first  # the same files: the same digest (kept)
    (package / "export" / "new_format.py").write_text("X = 1\n", encoding="utf-8")  # a new exporter
    second = cache._compute_code_digest(package)
    assert second != first
    module = package / "export" / "listing.py"  # any module, one not in the old list included
    module.write_bytes(module.read_bytes().replace(b"def ", b"def  ", 1))
    third = cache._compute_code_digest(package)
    assert third not in (first, second)
    (package / "export" / "new_format.py").unlink()
    module.write_bytes(module.read_bytes().replace(b"def  ", b"def ", 1))
    os.utime(module, ns=(1, 1))  # the same bytes under a new stamp: the digest of the content again
    assert cache._compute_code_digest(package) == first


def test_the_key_changes_with_the_code_digest(monkeypatch: pytest.MonkeyPatch, default_store: Path) -> None:
    location = store.locate_store(default_store)
    stamps = [cache.content_stamp(location.file(name)) for name in store.STORE_FILES]
    key = cache.cache_key(location, stamps)
    monkeypatch.setattr(cache, "_code_digest", "f" * 32)
    assert cache.cache_key(location, stamps) != key
