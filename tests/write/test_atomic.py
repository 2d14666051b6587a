"""`scholar export -o` (write/atomic.py, write_export): what it writes through, what it refuses, what it never replaces.

Issue #12, items 1 and 15. Device nodes are made in the test's own folder (mknod, as root) so a failing
test can never replace the machine's real /dev/null.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scholarcli.cli.app import app

from ..conftest import DEFAULT_STORE, REQUIRE_EXTERNAL_ENV

GOLDEN_BIBTEX = (
    Path(__file__).resolve().parent.parent / "golden" / "bibtex" / "default-store.bib"
).read_bytes()


def run(runner: CliRunner, *args: str):
    return runner.invoke(app, list(args))


def make_device(path: Path, minor: int) -> Path:
    """A character device like /dev/null (minor 3) or /dev/full (minor 7), at `path`."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except PermissionError:
        reason = "making a device node needs root (CAP_MKNOD)"
        if os.environ.get(REQUIRE_EXTERNAL_ENV):  # CI runs these: a skip there would hide a failure
            pytest.fail(f"{reason}, and {REQUIRE_EXTERNAL_ENV} is set")
        pytest.skip(reason)
    return path


# item 1: a device or a FIFO is written through, never replaced --------------------------------------


def test_output_to_a_null_device_writes_through_it(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    null = make_device(tmp_path / "null", 3)
    result = run(runner, "export", "-f", "bibtex", "-o", "null", "--store", str(DEFAULT_STORE))
    assert result.exit_code == 0, result.output
    assert result.stderr == "wrote 7 works to null\n"
    assert stat.S_ISCHR(null.stat().st_mode)  # still the device, not a regular file
    assert sorted(path.name for path in tmp_path.iterdir()) == ["null"]  # no temp file beside it


def test_output_through_a_symlink_to_a_device_keeps_both(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    null = make_device(tmp_path / "null", 3)
    (tmp_path / "out.bib").symlink_to(null)
    result = run(runner, "export", "-f", "bibtex", "-o", "out.bib", "--store", str(DEFAULT_STORE))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.bib").is_symlink()
    assert stat.S_ISCHR(null.stat().st_mode)


def test_output_to_a_full_device_is_one_line_and_keeps_the_device(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    full = make_device(tmp_path / "full", 7)
    result = run(runner, "export", "-f", "bibtex", "-o", "full", "--store", str(DEFAULT_STORE))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "error: full: cannot write: No space left on device\n"
    assert stat.S_ISCHR(full.stat().st_mode)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["full"]


def test_output_to_a_fifo_writes_through_it(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read_all() -> None:
        with fifo.open("rb") as handle:
            received.append(handle.read())

    reader = threading.Thread(target=read_all, daemon=True)
    reader.start()
    result = run(runner, "export", "-f", "bibtex", "-o", "pipe", "--store", str(DEFAULT_STORE))
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert received == [GOLDEN_BIBTEX]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["pipe"]


# item 15: every file the store uses is refused, not only its YAML files -----------------------------


@pytest.mark.parametrize(
    "name",
    [
        ".scholar.lock",
        "publications.yaml.bak",
        "themes.yaml.bak",
        ".publications.yaml.bak.4242.tmp",
        ".publications.yaml.4242.x1y2z3.tmp",
    ],
)
def test_output_refuses_every_file_the_store_uses(
    runner: CliRunner, default_store: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(default_store.parent)
    target = default_store / name
    target.write_bytes(b"kept\n")
    result = run(runner, "export", "-f", "bibtex", "--store", str(default_store), "-o", f"store/{name}")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"error: store/{name}: refusing to write an export over a file of the store\n"
    assert target.read_bytes() == b"kept\n"


def test_output_refuses_the_lock_and_backup_beside_a_symlinked_store_file(
    runner: CliRunner, default_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The lock and the backup of a symlinked publications.yaml live beside the file it points to.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (default_store / "publications.yaml").rename(elsewhere / "works.yaml")
    (default_store / "publications.yaml").symlink_to(elsewhere / "works.yaml")
    monkeypatch.chdir(tmp_path)
    for name in (".scholar.lock", "works.yaml.bak", "works.yaml"):
        result = run(
            runner, "export", "-f", "bibtex", "--store", str(default_store), "-o", f"elsewhere/{name}"
        )
        assert result.exit_code == 1, name
        assert result.stderr == (
            f"error: elsewhere/{name}: refusing to write an export over a file of the store\n"
        )


def test_output_beside_the_store_may_use_other_names(
    runner: CliRunner, default_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(default_store.parent)
    result = run(runner, "export", "-f", "bibtex", "--store", str(default_store), "-o", "store/cv.bib")
    assert result.exit_code == 0, result.output
    assert (default_store / "cv.bib").read_bytes() == GOLDEN_BIBTEX
