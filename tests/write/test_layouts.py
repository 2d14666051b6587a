"""Issue #12 item 2: add, set, remove and edit treat a record in any layout YAML allows as they treat
the block layout: the write path reads what the read path (`show`, the loader) reads."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scholarcli.cli.app import app
from scholarcli.store import yamlio
from scholarcli.write import scan
from scholarcli.write.outline import Outline

from .test_commands import BASE, records

# The record every layout writes: id dupme, DOI 10.1234/dup, title "Dup Me Title", year 2020.
BLOCK = (
    "- id: dupme\n  type: book\n  title: Dup Me Title\n  authors:\n    - Liu, C\n  year: 2020\n"
    "  doi: 10.1234/dup\n"
)
LAYOUTS = {
    "block": BLOCK,
    "flow": "- {id: dupme, type: book, title: Dup Me Title, authors: ['Liu, C'], year: 2020, doi: 10.1234/dup}\n",
    "flow-tabs": "- {id: dupme,\ttype: book,\ttitle: Dup Me Title,\tauthors: ['Liu, C'],\tyear: 2020,\tdoi: 10.1234/dup}\n",
    "flow-lines": "- {id: dupme, type: book,\n   title: Dup Me Title, authors: ['Liu, C'],\n   year: 2020, doi: 10.1234/dup}\n",
    "double-quoted-keys": '- "id": dupme\n  "type": book\n  "title": Dup Me Title\n  "authors": ["Liu, C"]\n'
    '  "year": 2020\n  "doi": 10.1234/dup\n',
    "single-quoted-keys": "- 'id': dupme\n  'type': book\n  'title': 'Dup Me Title'\n  authors: ['Liu, C']\n"
    "  'year': '2020'\n  'doi': 10.1234/dup\n",
    "escaped-key": '- "i\\x64": dupme\n  type: book\n  title: Dup Me Title\n  authors: ["Liu, C"]\n  year: 2020\n'
    "  doi: 10.1234/dup\n",
    "explicit-keys": "- ? id\n  : dupme\n  ? type\n  : book\n  title: Dup Me Title\n  authors: ['Liu, C']\n"
    "  ? year\n  : 2020\n  doi: 10.1234/dup\n",
    "wide-indent": "-   id: dupme\n    type: book\n    title: Dup Me Title\n    authors:\n      - Liu, C\n"
    "    year: 2020\n    doi: 10.1234/dup\n",
    "id-not-first": "- type: book\n  title: Dup Me Title\n  id: dupme\n  authors: ['Liu, C']\n  year: 2020\n"
    "  doi: 10.1234/dup\n",
    "dash-alone": "-\n  id: dupme\n  type: book\n  title: Dup Me Title\n  authors: ['Liu, C']\n  year: 2020\n"
    "  doi: 10.1234/dup\n",
    "comments-between": "- id: dupme  # the id\n# a comment at the margin\n  type: book\n  # one in line\n"
    "  title: Dup Me Title\n  authors:\n# inside the list\n    - Liu, C\n  year: 2020\n  doi: 10.1234/dup\n",
    "multi-line-values": "- id: dupme\n  type: book\n  title: Dup Me\n    Title\n  authors:\n  - Liu, C\n"
    "  year:\n    2020\n  doi: >-\n    10.1234/dup\n",
    "quote-over-lines": '- id: dupme\n  type: book\n  title: "Dup Me\n  Title"\n  authors: ["Liu, C"]\n'
    "  year: 2020\n  doi: 10.1234/dup\n",
    "anchor": "- &rec id: dupme\n  type: book\n  title: Dup Me Title\n  authors: ['Liu, C']\n  year: 2020\n"
    "  doi: 10.1234/dup\n",
}
FLOW_SEQUENCE_AT_THE_TOP = (
    "--- [{id: dupme, type: book, title: Dup Me Title, authors: ['Liu, C'], year: 2020}]\n"
)


def _store(make_store, layout: str, *, crlf: bool = False, document_start: bool = False) -> Path:
    text = BASE + "\n" + LAYOUTS[layout] + "\n- id: after\n  type: book\n  authors: [X, Y]\n  year: 2021\n"
    if document_start:
        text = "# a header comment\n%YAML 1.1\n---\n" + text
    if crlf:
        text = text.replace("\n", "\r\n")
    store = make_store(text)
    (store / "publications.yaml").write_bytes(text.encode("utf-8"))  # keep CRLF as written
    return store


VARIANTS = [
    pytest.param(layout, crlf, start, id=f"{layout}{'-crlf' if crlf else ''}{'-header' if start else ''}")
    for layout in LAYOUTS
    for crlf, start in ((False, False), (True, False), (False, True))
]


def _run(runner: CliRunner, *args: str):
    return runner.invoke(app, list(args))


def _parsed(store: Path) -> list[dict]:
    data, problems = yamlio.load_text((store / "publications.yaml").read_text(encoding="utf-8"), "p")
    assert problems == []
    return data


@pytest.mark.parametrize(("layout", "crlf", "start"), VARIANTS)
def test_the_loader_reads_every_layout_as_the_block_one(make_store, layout, crlf, start) -> None:
    store = _store(make_store, layout, crlf=crlf, document_start=start)
    assert records(store)["dupme"] == records(_store(make_store, "block"))["dupme"]


@pytest.mark.parametrize(("layout", "crlf", "start"), VARIANTS)
def test_add_refuses_a_duplicate_in_any_layout(runner: CliRunner, make_store, layout, crlf, start) -> None:
    store = _store(make_store, layout, crlf=crlf, document_start=start)
    before = (store / "publications.yaml").read_bytes()
    common = ["add", "--store", str(store), "--type", "book", "--author", "A, B"]
    same_id = _run(runner, *common, "--title", "Other", "--year", "2021", "--id", "DupMe")
    assert (same_id.exit_code, same_id.stderr) == (
        1, "error: the new record: the id 'DupMe' is already used in the store\n"
    )  # fmt: skip
    same_doi = _run(runner, *common, "--title", "Other", "--year", "2021", "--doi", "10.1234/DUP")
    assert (same_doi.exit_code, same_doi.stderr) == (
        1,
        "error: the new record: duplicates 'dupme' (same DOI 10.1234/DUP)\n"
        "error: choose --on-duplicate skip, update or keep-both\nnothing was written\n",
    )
    same_title = _run(runner, *common, "--title", "dup me title!", "--year", "2020")
    assert (same_title.exit_code, same_title.stderr) == (
        1,
        "error: the new record: duplicates 'dupme' (same title and year (2020))\n"
        "error: choose --on-duplicate skip, update or keep-both\nnothing was written\n",
    )
    assert (store / "publications.yaml").read_bytes() == before
    # A generated id steps past the one in the unusual layout.
    fresh = _run(runner, *common, "--title", "Me", "--year", "2020", "--id", "dupme2")
    assert (fresh.exit_code, fresh.stdout) == (0, "dupme2\n")


def _outside(text: str, record: str) -> tuple[str, str]:
    """The text before the record and from the record after it, which a write must leave alone."""
    return text[: text.index(record)], text[text.index("- id: after") :]


@pytest.mark.parametrize(("layout", "crlf", "start"), VARIANTS)
def test_set_finds_and_changes_the_record_in_any_layout(
    runner: CliRunner, make_store, layout, crlf, start
) -> None:
    store = _store(make_store, layout, crlf=crlf, document_start=start)
    path = store / "publications.yaml"
    before = path.read_bytes().decode("utf-8")
    record = LAYOUTS[layout].replace("\n", "\r\n") if crlf else LAYOUTS[layout]
    result = _run(runner, "set", "--store", str(store), "DUPME", "volume=7", "title=New: Title", "doi=")
    assert (result.exit_code, result.stderr) == (0, "updated 'dupme': volume, title, doi\n"), result.output
    after = path.read_bytes().decode("utf-8")
    head, tail = _outside(before, record)
    assert after.startswith(head)
    assert after.endswith(tail)
    changed = records(store)["dupme"]
    block = records(_store(make_store, "block"))["dupme"]
    assert (changed.volume, changed.title, changed.doi) == ("7", "New: Title", None)
    assert (changed.authors, changed.year, changed.type) == (block.authors, block.year, block.type)
    assert ("\r\n" in after) is crlf
    assert (after.count("\n") == after.count("\r\n")) is crlf


@pytest.mark.parametrize(("layout", "crlf", "start"), VARIANTS)
def test_remove_finds_the_record_in_any_layout(runner: CliRunner, make_store, layout, crlf, start) -> None:
    store = _store(make_store, layout, crlf=crlf, document_start=start)
    result = _run(runner, "remove", "--store", str(store), "dupme", "--yes")
    assert (result.exit_code, result.stderr) == (0, "removed dupme\n")
    assert list(records(store)) == ["liu2022who", "liu2026imaginary", "after"]
    expected = _store(make_store, "block", crlf=crlf, document_start=start)
    assert _run(runner, "remove", "--store", str(expected), "dupme", "--yes").exit_code == 0
    assert (store / "publications.yaml").read_bytes() == (expected / "publications.yaml").read_bytes()


@pytest.mark.parametrize(("layout", "crlf", "start"), VARIANTS)
def test_edit_finds_and_replaces_the_record_in_any_layout(
    runner: CliRunner, make_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout, crlf, start
) -> None:
    store = _store(make_store, layout, crlf=crlf, document_start=start)
    seen = tmp_path / "seen.yaml"
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys, pathlib, shutil\n"
        f"shutil.copy(sys.argv[1], {str(seen)!r})\n"
        "pathlib.Path(sys.argv[1]).write_text('- id: dupme\\n  type: report\\n  authors: [Z, Z]\\n"
        "  year: 2019\\n', encoding='utf-8')\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    result = _run(runner, "edit", "--store", str(store), "dupme")
    assert (result.exit_code, result.stderr) == (0, "saved 'dupme'\n"), result.output
    shown = seen.read_bytes().decode("utf-8")
    assert shown.replace("\r\n", "\n").startswith(LAYOUTS[layout].rstrip("\n"))
    edited = records(store)["dupme"]
    assert (edited.type, edited.year) == ("report", 2019)
    assert list(records(store)) == ["liu2022who", "liu2026imaginary", "dupme", "after"]


def test_a_flow_sequence_on_the_document_start_line_is_refused(runner: CliRunner, make_store) -> None:
    # The whole list on the `---` line: no record starts a line, so none can be spliced; refused, not
    # appended to (that once made a second 'dupme').
    store = make_store(FLOW_SEQUENCE_AT_THE_TOP)
    result = _run(runner, "add", "--store", str(store), "--type", "book", "--title", "T", "--author", "A, B",
                  "--year", "2020", "--id", "dupme")  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {store / 'publications.yaml'}:1: cannot edit this file in place: expected a record starting "
        "with '- ' here (writes need the file to be a plain list of records; fix it or run 'scholar check')\n"
    )


def test_a_quote_open_across_the_next_dash_line_is_refused(runner: CliRunner, make_store) -> None:
    # YAML reads `- id: fake"` as the end of the title above, not as a record: no write may take it for one.
    text = BASE + '- id: real\n  type: book\n  authors: [A, B]\n  year: 2020\n  title: "x\n- id: fake"\n'
    store = make_store(text)
    assert "fake" not in records(store)
    for args in (["set", "real", "volume=1"], ["remove", "fake", "--yes"]):
        result = _run(runner, args[0], "--store", str(store), *args[1:])
        assert result.exit_code == 1
        assert result.stderr == (
            f"error: {store / 'publications.yaml'}:24:10: cannot edit this file in place: YAML syntax error: "
            "found unexpected end of stream while scanning a quoted scalar that starts here (reached 1 line "
            "below) (fix it or run 'scholar check')\n"
        ), result.stderr
    assert (store / "publications.yaml").read_text(encoding="utf-8") == text


def _reference(text: str) -> list[dict[str, str]]:
    data, problems = yamlio.load_text(text, "p")
    assert problems == []
    return [{k: v for k, v in item.items() if k in ("id", "doi", "title", "year")} for item in data or []]


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_the_scan_reads_each_layout_as_the_loader_does(layout: str) -> None:
    text = BASE + "\n" + LAYOUTS[layout]
    scanned = scan.scan_values(text, "p")
    outline = Outline(text, "p")
    assert _present(scanned) == _reference(text)
    assert [outline.value(record, "id") for record in outline.records] == [r["id"] for r in _reference(text)]


def _present(values):
    return [{key: value for key, value in found.items() if value is not None} for found in values]


# Whole files whose line breaks are not "\n" (or CRLF): YAML ends a line at a lone CR, NEL, U+2028 and
# U+2029 too, so `check` and `show` read every record, but the write path splits lines at "\n" only.
# Writes refuse such a file (the id and DOI of a record there once looked free to `add`).
OTHER_BREAKS = {"lone-cr": "\r", "nel": "\x85", "ls": "\u2028", "ps": "\u2029"}


@pytest.mark.parametrize("layout", ["block", "flow", "comments-between"])
@pytest.mark.parametrize("name", list(OTHER_BREAKS))
def test_a_whole_file_with_other_line_breaks_is_refused_by_every_write(
    runner: CliRunner, make_store, layout: str, name: str
) -> None:
    store = _store(make_store, layout)
    path = store / "publications.yaml"
    text = path.read_text(encoding="utf-8").replace("\n", OTHER_BREAKS[name])
    path.write_bytes(text.encode("utf-8"))
    assert "dupme" in records(store)  # the loader reads the file
    before = path.read_bytes()
    refusal = (
        f"error: {path}:1: cannot edit this file in place: it has line breaks other than LF or CRLF (a lone "
        "CR, NEL, U+2028 or U+2029) between records; convert them to LF (\\n) line breaks, or run "
        "'scholar check'\n"
    )
    common = ["--type", "book", "--author", "A, B", "--year", "2021"]
    for args in (
        ["add", "--id", "dupme", "--title", "Other", *common],
        ["add", "--doi", "10.1234/dup", "--title", "Other", *common],
        ["add", "--title", "Fresh", *common],
        ["set", "dupme", "note=x"],
        ["remove", "dupme", "--yes"],
    ):
        result = _run(runner, args[0], "--store", str(store), *args[1:])
        assert (result.exit_code, result.stderr) == (1, refusal), (args, result.output)
    assert path.read_bytes() == before


@pytest.mark.parametrize("name", list(OTHER_BREAKS))
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_the_scan_agrees_with_the_loader_or_refuses_with_other_line_breaks(layout: str, name: str) -> None:
    for text in (
        (BASE + "\n" + LAYOUTS[layout]).replace("\n", OTHER_BREAKS[name]),  # the whole file
        BASE + "\n" + LAYOUTS[layout].replace("\n", OTHER_BREAKS[name]),  # the last record only
    ):
        try:
            scanned = scan.scan_values(text, "p")
        except scan.OutlineError:
            scanned = None
        try:
            outline = Outline(text, "p")
            ids = [outline.value(record, "id") for record in outline.records]
        except scan.OutlineError:
            ids = None
        reference = _reference(text)
        if scanned is not None:
            assert _present(scanned) == reference
        if ids is not None:
            assert ids == [r["id"] for r in reference]


# An empty store as YAML writes one (`[]`), and a file with two byte-order marks: `check` reads both,
# so writes take them too (review D3).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[]\n", ""),
        ("[]", ""),
        ("[ ]  # c\n", "# c\n"),
        ("# head\n\n[]\n# tail\n", "# head\n\n# tail\n"),
        ("# head\r\n[]\r\n", "# head\r\n"),
    ],
)
def test_add_replaces_an_empty_flow_list(runner: CliRunner, make_store, text: str, expected: str) -> None:
    store = make_store(text)
    path = store / "publications.yaml"
    path.write_bytes(text.encode("utf-8"))
    check = _run(runner, "check", "--store", str(store))
    assert check.exit_code == 0, check.output
    for args in (["set", "nope", "note=x"], ["remove", "nope", "--yes"]):  # no records: none found
        missing = _run(runner, args[0], "--store", str(store), *args[1:])
        assert missing.exit_code == 1
        assert missing.stderr.startswith(f"error: no publication with the id 'nope' in {path}")
    assert path.read_bytes() == text.encode("utf-8")
    result = _run(runner, "add", "--store", str(store), "--type", "book", "--title", "T", "--author", "A, B",
                  "--year", "2020")  # fmt: skip
    assert (result.exit_code, result.stdout, result.stderr) == (0, "a2020t\n", "")
    newline = "\r\n" if "\r\n" in text else "\n"
    record = "- id: a2020t\n  type: book\n  title: T\n  authors:\n    - A, B\n  year: 2020\n".replace(
        "\n", newline
    )
    after = path.read_bytes().decode("utf-8")
    assert after in (expected + record, expected + newline + record)
    assert list(records(store)) == ["a2020t"]


def test_a_double_byte_order_mark_is_read_and_kept_by_writes(runner: CliRunner, make_store) -> None:
    text = "\ufeff\ufeff" + BLOCK
    store = make_store(text)
    path = store / "publications.yaml"
    path.write_bytes(text.encode("utf-8"))
    assert _run(runner, "check", "--store", str(store)).exit_code == 0
    result = _run(runner, "add", "--store", str(store), "--type", "book", "--title", "T", "--author", "A, B",
                  "--year", "2020", "--doi", "10.1234/dup")  # fmt: skip
    assert result.exit_code == 1  # the duplicate is found: the record after the marks is read
    assert "duplicates 'dupme' (same DOI 10.1234/dup)" in result.stderr
    changed = _run(runner, "set", "--store", str(store), "dupme", "volume=7")
    assert (changed.exit_code, changed.stderr) == (0, "updated 'dupme': volume\n")
    assert path.read_bytes().decode("utf-8").startswith("\ufeff\ufeff- id: dupme\n")
    assert records(store)["dupme"].volume == "7"
