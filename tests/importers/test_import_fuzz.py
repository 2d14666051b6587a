"""Random, nested and garbled BibTeX and CSL-JSON: a record or a one-line `file:line` error, never an
exception (through the import API and through the command)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from scholarcli.cli.app import app
from scholarcli.errors import ScholarError
from scholarcli.importers import ImportFormat, ImportResult, read_records

_SOURCE = re.compile(r"^in\.(bib|json)(:[0-9]+)?( \(.*\))?$")

# Pieces of BibTeX, valid and broken, that random files are made of.
_BIB_PIECES = st.sampled_from(
    [
        "@", "@book{", "@article(", "@string{", "@comment{", "@preamble{", "@xdata{", "}", ")", "{", "(",
        ",", "=", "#", '"', "%", "\n", " ", "k1", "k2", "averroes/bland", "пункт3", "title", "author",
        "year", "crossref", "xdata", "doi", "url", "2020", "[1893] 1984", "\\", "\\\"", "\\'", "\\emph{",
        "\\href{", "\\url{", "\\TeX", "\\foo", "\\noopsort{", "\\v", "$", "~", "--", "``", "''", "and",
        "Smith, John", " and , ", "family=Gogh, given=V", "others", "{\\\"{", "jan", "10/fqd6hj",
        "doi:10.1000/x", "www.x.org", "é", "刘", "\x00", "\t",
    ]
)  # fmt: skip
_ENTRY = st.builds(
    lambda kind, key, fields: (
        f"@{kind}{{{key},\n" + "".join(f"  {name} = {{{value}}},\n" for name, value in fields) + "}\n"
    ),
    st.sampled_from(["book", "article", "incollection", "collection", "misc", "online", "xdata"]),
    st.sampled_from(["a", "b", "c", "averroes/bland", "_x", "1984x", "k@y", "a", "A"]),
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "title",
                    "author",
                    "editor",
                    "year",
                    "date",
                    "crossref",
                    "xdata",
                    "doi",
                    "url",
                    "note",
                    "isbn",
                    "booktitle",
                ]
            ),
            st.lists(_BIB_PIECES, max_size=8).map("".join),
        ),
        max_size=6,
    ),
)


def _check(text: str, import_format: ImportFormat | None) -> None:
    try:
        result = read_records(
            text, "in.bib" if import_format is ImportFormat.bibtex else "in.json", import_format
        )
    except ScholarError as error:
        message = str(error)
    else:
        message = ""
        _check_result(result)
    assert "\n" not in message


def _check_result(result: ImportResult) -> None:
    for source, reason in result.rejected:
        assert _SOURCE.match(source), source
        assert reason, source
        assert "\n" not in reason, reason
    for source, note in result.notes:
        assert _SOURCE.match(source), source
        assert "\n" not in note
    for candidate in result.candidates:
        assert all(key == key.lower() and "\n" not in value for key, value in candidate.publication.extra)


@settings(max_examples=300, deadline=None)
@given(st.lists(_BIB_PIECES, max_size=60).map("".join))
def test_garbled_bibtex_never_raises(text: str) -> None:
    _check(text, ImportFormat.bibtex)


@settings(max_examples=200, deadline=None)
@given(st.lists(_ENTRY, min_size=1, max_size=5).map("".join))
def test_random_entries_never_raise(text: str) -> None:
    _check(text, ImportFormat.bibtex)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 400), st.sampled_from(["{", '{\\"', "\\emph{", "\\href{x}{", "{\\v "]))
def test_deep_bibtex_nesting_never_raises(depth: int, opening: str) -> None:
    _check(
        "@book{k, title = {" + opening * depth + "x" + "}" * depth + "}, year = 2020}\n", ImportFormat.bibtex
    )


_JSON_LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10),
    st.sampled_from(["book", "article-journal", "chapter", "2020", "10/fqd6hj", "www.x.org"]),
)  # fmt: skip
_JSON = st.recursive(
    _JSON_LEAF,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "type",
                    "title",
                    "author",
                    "editor",
                    "issued",
                    "date-parts",
                    "family",
                    "given",
                    "literal",
                    "DOI",
                    "URL",
                    "custom",
                    "ISBN",
                    "x",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_JSON, max_size=4))
def test_random_csl_json_never_raises(items: list[object]) -> None:
    _check(json.dumps(items), ImportFormat.csl_json)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "[",
                "]",
                "{",
                "}",
                '"id"',
                ":",
                ",",
                "1e400",
                "NaN",
                "-Infinity",
                "2020.5",
                "9" * 50,
                '"x"',
                '"type"',
                '"book"',
                " ",
                "\n",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_garbled_csl_json_never_raises(text: str) -> None:
    _check(text, ImportFormat.csl_json)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(_ENTRY, min_size=1, max_size=4).map("".join), dry_run=st.booleans())
def test_the_command_never_shows_a_traceback(text: str, dry_run: bool, make_store, tmp_path: Path) -> None:
    store = make_store("")
    path = tmp_path / "in.bib"
    path.write_text(text, encoding="utf-8")
    arguments = ["import", "--store", str(store), "--from", "bibtex", "--on-duplicate", "skip", str(path)]
    result = CliRunner().invoke(app, arguments + (["--dry-run"] if dry_run else []), catch_exceptions=False)
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.stderr
