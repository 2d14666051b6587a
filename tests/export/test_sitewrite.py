"""Writing a site folder through the manifest: unchanged files untouched, foreign or edited files
refused (nothing written), removed works' files deleted only while they are ours and unchanged."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scholarcli.cli.app import app
from scholarcli.errors import ScholarError
from scholarcli.export.sitewrite import (
    MANIFEST_NAME,
    OverwriteRefusedError,
    apply_tree,
    plan_tree,
    refusal_error,
)
from tests.conftest import DEFAULT_STORE

OLD = 1_000_000_000  # an mtime long ago, so a rewrite shows as a new mtime


def write(folder: Path, files: dict[str, str], *, force: bool = False):
    plan = plan_tree(folder, files, "hugo", force=force)
    error = refusal_error([plan])
    if error is not None:
        raise error
    apply_tree(plan)
    return plan


def age(path: Path) -> None:
    os.utime(path, (OLD, OLD))


def test_first_write_creates_files_and_manifest(tmp_path: Path) -> None:
    site = tmp_path / "site"
    plan = write(site, {"a/index.md": "A\n", "b.md": "B\n"})
    assert plan.summary() == "files 2 written"
    assert (site / "a/index.md").read_text() == "A\n"
    manifest = json.loads((site / MANIFEST_NAME).read_text())
    assert set(manifest["files"]) == {"a/index.md", "b.md"}
    assert manifest["format"] == "hugo"


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(site, {"a.md": "A\n", "b.md": "B\n"})
    for name in ("a.md", "b.md", MANIFEST_NAME):
        age(site / name)
    plan = write(site, {"a.md": "A\n", "b.md": "B2\n"})
    assert plan.summary() == "files 1 written, 1 unchanged"
    assert (site / "a.md").stat().st_mtime == OLD  # untouched
    assert (site / "b.md").stat().st_mtime != OLD
    assert (site / "b.md").read_text() == "B2\n"
    plan = write(site, {"a.md": "A\n", "b.md": "B2\n"})
    assert not plan.changed
    assert (site / MANIFEST_NAME).stat().st_mtime != OLD  # rewritten above, for b.md's new hash


def test_nothing_changed_keeps_the_manifest_mtime(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(site, {"a.md": "A\n"})
    age(site / MANIFEST_NAME)
    write(site, {"a.md": "A\n"})
    assert (site / MANIFEST_NAME).stat().st_mtime == OLD


def test_a_foreign_file_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "b.md").write_text("the user's own\n")
    with pytest.raises(OverwriteRefusedError) as caught:
        write(site, {"a.md": "A\n", "b.md": "B\n"})
    assert caught.value.messages() == [
        f"{site / 'b.md'}: not written by scholar; refusing to overwrite it (use --force)"
    ]
    assert not (site / "a.md").exists()
    assert not (site / MANIFEST_NAME).exists()
    assert (site / "b.md").read_text() == "the user's own\n"
    write(site, {"a.md": "A\n", "b.md": "B\n"}, force=True)
    assert (site / "b.md").read_text() == "B\n"


def test_a_file_edited_since_we_wrote_it_is_refused(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(site, {"a.md": "A\n"})
    (site / "a.md").write_text("edited\n")
    with pytest.raises(OverwriteRefusedError) as caught:
        write(site, {"a.md": "A2\n"})
    assert caught.value.messages() == [
        f"{site / 'a.md'}: edited since scholar wrote it; refusing to overwrite it (use --force)"
    ]
    assert (site / "a.md").read_text() == "edited\n"


def test_removed_works_file_is_deleted_only_if_ours_and_unchanged(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(site, {"gone/index.md": "G\n", "edited/index.md": "E\n", "kept.md": "K\n"})
    (site / "edited/index.md").write_text("user edit\n")
    (site / "edited/photo.png").write_bytes(b"png")
    plan = write(site, {"kept.md": "K\n"})
    assert plan.deletes == ["gone/index.md"]
    assert plan.kept == ["edited/index.md"]
    assert plan.warnings() == [
        f"{site / 'edited/index.md'}: no longer exported but edited since scholar wrote it; left in place"
    ]
    assert not (site / "gone").exists()  # its emptied bundle folder too
    assert (site / "edited/index.md").read_text() == "user edit\n"
    assert (site / "edited/photo.png").exists()
    manifest = json.loads((site / MANIFEST_NAME).read_text())
    assert set(manifest["files"]) == {"kept.md"}  # the edited file is the user's now


def test_a_symlink_in_place_of_a_file_is_refused(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (tmp_path / "outside.md").write_text("x")
    (site / "a.md").symlink_to(tmp_path / "outside.md")
    with pytest.raises(ScholarError, match="is a symlink"):
        write(site, {"a.md": "A\n"}, force=True)
    assert (tmp_path / "outside.md").read_text() == "x"


def test_a_damaged_or_hostile_manifest_is_an_error(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / MANIFEST_NAME).write_text('{"files": {"../../etc/passwd": "0"}}')
    with pytest.raises(ScholarError, match=r"unsafe path '../../etc/passwd' in the manifest"):
        write(site, {"a.md": "A\n"})
    (site / MANIFEST_NAME).write_text("not json")
    with pytest.raises(ScholarError, match="not a scholar manifest"):
        write(site, {"a.md": "A\n"})


@pytest.mark.parametrize("name", ["../x.md", "/abs.md", "a/../b.md", "a//b.md", MANIFEST_NAME, "a\\b.md", ""])
def test_unsafe_output_paths_are_a_bug_caught_before_writing(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="unsafe path"):
        plan_tree(tmp_path / "site", {name: "x"}, "hugo")


# through the command ----------------------------------------------------------------------------


def test_export_site_needs_an_output_folder(runner: CliRunner) -> None:
    result = runner.invoke(app, ["export", "--format", "jekyll", "--store", str(DEFAULT_STORE)])
    assert result.exit_code == 2
    assert "--format jekyll writes a folder: name it with -o DIR" in result.stderr
    assert result.stdout == ""


def test_force_with_a_file_format_is_bad_usage(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "-f", "bibtex", "--force", "--store", str(DEFAULT_STORE)])
    assert result.exit_code == 2
    assert "--force applies only to the folder formats (hugo, jekyll)" in result.stderr


def test_export_hugo_then_remove_a_work(runner: CliRunner, default_store: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    args = ["export", "-f", "hugo", "-o", str(site), "--store", str(default_store)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote 7 works to {site} (files 14 written)\n"
    result = runner.invoke(app, args)
    assert result.stderr == f"wrote 7 works to {site} (files 14 unchanged)\n"
    result = runner.invoke(app, ["remove", "liu2022who", "--yes", "--store", str(default_store)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"wrote 6 works to {site} (files 12 unchanged, 2 deleted)\n"
    assert not (site / "content/publication/liu2022who").exists()


def test_export_jekyll_refuses_a_foreign_file_with_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "_bibliography").mkdir(parents=True)
    (site / "_bibliography/papers.bib").write_text("% mine\n")
    result = runner.invoke(app, ["export", "-f", "jekyll", "-o", str(site), "--store", str(DEFAULT_STORE)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {site / '_bibliography/papers.bib'}: not written by scholar; refusing to overwrite it (use --force)\n"
    )
    assert not (site / "_publications").exists()
    result = runner.invoke(
        app, ["export", "-f", "jekyll", "-o", str(site), "--force", "--store", str(DEFAULT_STORE)]
    )
    assert result.exit_code == 0, result.output
    assert (site / "_bibliography/papers.bib").read_text().startswith("@book{liu-metricocracy,")


def test_export_site_refuses_the_store_files(runner: CliRunner, default_store: Path) -> None:
    shutil.rmtree(default_store / "content", ignore_errors=True)
    result = runner.invoke(
        app,
        ["export", "-f", "hugo", "-o", str(default_store / "profile.yaml"), "--store", str(default_store)],
    )
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"error: {default_store / 'profile.yaml'}: is a file; the hugo format writes a folder\n"
    )


def test_a_tree_never_writes_a_store_file(default_store: Path) -> None:
    from scholarcli.store import locate_store

    location = locate_store(default_store)
    with pytest.raises(ScholarError, match="refusing to write an export over a file of the store"):
        plan_tree(default_store, {"notes.md": "x", "publications.yaml": "x"}, "hugo", location, force=True)
    with pytest.raises(ScholarError, match="refusing to write an export over a file of the store"):
        plan_tree(default_store / "sub" / "..", {"themes.yaml.bak": "x"}, "hugo", location, force=True)
    plan = plan_tree(default_store, {"content/publication/x/index.md": "x"}, "hugo", location)
    assert list(plan.writes) == ["content/publication/x/index.md"]
