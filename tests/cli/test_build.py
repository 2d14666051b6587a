"""`scholar build`: the outputs of scholar.toml, checked with `file:line` messages, rewritten only
when they change, and the pipeline `scholar import new.bib && scholar build` as real processes."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scholarcli.cli.app import app
from scholarcli.export import ExportOptions, export
from scholarcli.query import InMemory, Selection, select
from scholarcli.store import open_store
from tests.conftest import require_program

OLD = 1_000_000_000
TOML = """\
[[output]]
path = "cv.md"
format = "markdown"
group_by = "type"

[[output]]
path = "site/"
format = "hugo"

[[output]]
path = "cv.tex"
format = "latex"
theme = ["west-imaginary"]   # selection filters per output, same names as the CLI's
"""
NEW_BIB = """\
@article{new2024paper,
  author = {Liu, Chuncheng},
  title = {A New Paper},
  journal = {Some Journal},
  year = {2024}
}
"""


def build(runner: CliRunner, store: Path, *args: str):
    return runner.invoke(app, ["build", "--store", str(store), *args])


@pytest.fixture
def store(default_store: Path) -> Path:
    (default_store / "scholar.toml").write_text(TOML, encoding="utf-8")
    return default_store


def test_build_writes_every_output_then_nothing(runner: CliRunner, store: Path) -> None:
    result = build(runner, store)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == (
        "wrote cv.md (7 works)\nwrote site/ (7 works; files 14 written)\nwrote cv.tex (1 work)\n"
    )
    library = open_store(store).library
    works = select(InMemory(library), Selection()).works
    assert (store / "cv.md").read_text(encoding="utf-8") == export("markdown", works, library)
    latex = export(
        "latex",
        select(InMemory(library), Selection(themes=("west-imaginary",))).works,
        library,
        ExportOptions(),
    )
    assert (store / "cv.tex").read_text(encoding="utf-8") == latex
    assert (store / "site/content/publication/liu2022who/index.md").is_file()
    for path in (store / "cv.md", store / "cv.tex", store / "site/content/publication/liu2022who/index.md"):
        os.utime(path, (OLD, OLD))
    result = build(runner, store)
    assert result.exit_code == 0, result.output
    assert result.stderr == "unchanged cv.md\nunchanged site/\nunchanged cv.tex\n"
    assert (store / "cv.md").stat().st_mtime == OLD
    assert (store / "site/content/publication/liu2022who/index.md").stat().st_mtime == OLD


def test_dry_run_writes_nothing(runner: CliRunner, store: Path) -> None:
    result = build(runner, store, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "would write cv.md (7 works)\nwould write site/ (7 works; files 14 to write)\nwould write cv.tex (1 work)\n"
    )
    assert sorted(path.name for path in store.iterdir()) == [
        "profile.yaml", "publications.yaml", "scholar.toml", "themes.yaml"
    ]  # fmt: skip


def test_a_changed_work_rewrites_only_its_outputs(runner: CliRunner, store: Path) -> None:
    assert build(runner, store).exit_code == 0
    result = runner.invoke(app, ["set", "liu2022who", "pages=391-413", "--store", str(store)])
    assert result.exit_code == 0, result.output
    result = build(runner, store)
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "wrote cv.md (7 works)\nwrote site/ (7 works; files 1 written, 13 unchanged)\nunchanged cv.tex\n"
    )  # the pages are in cite.bib, not in index.md's front matter


@pytest.mark.parametrize(
    ("toml", "messages"),
    [
        (
            '[[output]]\npath = "cv.md"\nformat = "markdwn"\ngroupby = "type"\n',
            [
                "scholar.toml:4: unknown key 'groupby' (did you mean 'group_by'?)",
                "scholar.toml:3: unknown format 'markdwn' (did you mean 'markdown'?); one of bibtex, "
                "biblatex, csl-json, markdown, html, yaml, json, ris, jsonresume, latex, hugo, jekyll",
            ],
        ),
        ('[[output]]\nformat = "hugo"\n', ["scholar.toml:1: this output has no 'path'"]),
        (
            'outputs = 1\n[[output]]\npath = "a"\nformat = "ris"\n',
            ["scholar.toml:1: unknown key 'outputs' (did you mean 'output'?)"],
        ),
        (
            '[[output]]\npath = "a.tex"\nformat = "latex"\nstyle = "apa"\n',
            ["scholar.toml:4: 'style' cannot be combined with format latex: the LaTeX CV is built-in ASA"],
        ),
        (
            '[[output]]\npath = "a"\nformat = "ris"\nyear = "2020...2"\n',
            ["scholar.toml:4: 'year' '2020...2' is not a year or range (2022, 2020..2023, 2022.., ..2019)"],
        ),
        (
            '[[output]]\npath = "a"\nformat = "ris"\nstatus = ["publishd"]\n',
            ["scholar.toml:4: unknown status 'publishd' (did you mean 'published'?)"],
        ),
        (
            '[[output]]\npath = "a"\nformat = "ris"\n\n[[output]]\npath = "a"\nformat = "bibtex"\n',
            ["scholar.toml:6: output 'a' is also output 1"],
        ),
        ("[[output]\n", ["scholar.toml:1: Expected ']]' at the end of an array declaration"]),
        ("", ["scholar.toml:1: no [[output]] tables; name at least one output"]),
    ],
)
def test_config_mistakes_name_file_and_line(
    runner: CliRunner, store: Path, toml: str, messages: list[str]
) -> None:
    (store / "scholar.toml").write_text(toml, encoding="utf-8")
    result = build(runner, store)
    assert result.exit_code == 1
    shown = [line.removeprefix("error: ").replace(f"{store}/", "") for line in result.stderr.splitlines()]
    assert shown[: len(messages)] == messages
    assert not (store / "a").exists()


def test_unknown_theme_names_the_output_line(runner: CliRunner, store: Path) -> None:
    (store / "scholar.toml").write_text('[[output]]\npath = "a.bib"\nformat = "bibtex"\ntheme = "nope"\n')
    result = build(runner, store)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {store / 'scholar.toml'}:1: --theme 'nope': no such theme")


def test_no_toml_is_one_clear_error(runner: CliRunner, default_store: Path) -> None:
    result = build(runner, default_store)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"error: {default_store / 'scholar.toml'}: no such file; name the outputs there"
    )


def test_refuses_the_store_files_and_the_toml_itself(runner: CliRunner, store: Path) -> None:
    (store / "scholar.toml").write_text(
        '[[output]]\npath = "cv.md"\nformat = "markdown"\n[[output]]\npath = "publications.yaml"\nformat = "yaml"\n'
    )
    result = build(runner, store)
    assert result.exit_code == 1
    assert result.stderr == "error: publications.yaml: refusing to write an export over a file of the store\n"
    assert not (store / "cv.md").exists()  # checked before anything was written
    (store / "scholar.toml").write_text('[[output]]\npath = "scholar.toml"\nformat = "markdown"\n')
    result = build(runner, store)
    assert result.exit_code == 1
    assert (
        result.stderr == f"error: {store / 'scholar.toml'}:1: output 'scholar.toml' is scholar.toml itself\n"
    )


def test_a_foreign_file_in_a_site_stops_the_whole_build(runner: CliRunner, store: Path) -> None:
    (store / "site/content/publication/liu2022who").mkdir(parents=True)
    (store / "site/content/publication/liu2022who/index.md").write_text("mine\n")
    result = build(runner, store)
    assert result.exit_code == 1
    assert "not written by scholar; refusing to overwrite it (use --force)" in result.stderr
    assert not (store / "cv.md").exists()
    (store / "scholar.toml").write_text(TOML.replace('format = "hugo"', 'format = "hugo"\nforce = true'))
    assert build(runner, store).exit_code == 0


def test_import_then_build_as_real_processes(store: Path) -> None:
    scholar = require_program("scholar", install="pip install .")
    (store / "new.bib").write_text(NEW_BIB, encoding="utf-8")
    env = {**os.environ, "SCHOLAR_STORE": str(store)}
    first = subprocess.run([scholar, "build"], capture_output=True, text=True, env=env, check=False)
    assert first.returncode == 0, first.stderr
    pipeline = subprocess.run(
        f"'{scholar}' import new.bib && '{scholar}' build",
        shell=True,
        cwd=store,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert pipeline.returncode == 0, pipeline.stderr
    assert pipeline.stderr.endswith(
        "wrote cv.md (8 works)\nwrote site/ (8 works; files 2 written, 14 unchanged)\nunchanged cv.tex\n"
    )
    assert "A New Paper" in (store / "cv.md").read_text(encoding="utf-8")
    assert (store / "site/content/publication/new2024paper/index.md").is_file()
