"""The parse cache: identical output with and without it, and never a stale or broken read."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from scholarcli import cache, store
from scholarcli.cli.app import app
from scholarcli.errors import StoreInvalidError
from scholarcli.export import FORMATS

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
        patch.setattr(store, "parse_library", _refuse_parse)
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
    _same_output_three_ways(
        runner, monkeypatch, ["export", "--store", str(any_store), "--format", format_name]
    )


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
    monkeypatch.setattr(store, "parse_library", _refuse_parse)  # rebuilt whole: the next read is a hit
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
        patch.setattr(cache, "_read", _refuse_parse)
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
    stamps = [cache._file_stamp(location.file(name)) for name in store.STORE_FILES]
    assert cache._read(cache_path, cache._key(location, stamps)) is not None


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
        "import sys; from scholarcli import cache, store; loc = store.locate_store(sys.argv[1]); "
        "sys.stdout.write(cache._key(loc, [cache._file_stamp(loc.file(n)) for n in store.STORE_FILES]).hex())"
    )
    other = subprocess.run(
        [sys.executable, "-c", code, str(stress_store)], capture_output=True, text=True, check=True
    ).stdout
    location = store.locate_store(stress_store)
    mine = cache._key(location, [cache._file_stamp(location.file(name)) for name in store.STORE_FILES])
    assert bytes.fromhex(other) == mine
