"""The fields issue #11 added to the store format: each rule, its message with file:line:col, and the
round trip of every field through the store's YAML writer, the JSON listing and the parse cache."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scholarcli.model import CV_FIELDS, NEW_FIELDS, PUBLICATION_FIELDS, Name, Publication
from scholarcli.store.validate import isbn_problem, issn_problem, read_publications
from scholarcli.store.yamlio import load_text
from scholarcli.write import render

RICH_STORE = Path(__file__).resolve().parents[1] / "fixtures" / "rich-store"
TODAY = datetime.date(2026, 11, 26)
BASE = """\
- id: a2020
  type: book
  title: Title
  authors: [Liu, Chuncheng]
  year: 2020
"""


def problems_of(text: str) -> list[str]:
    data, yaml_problems = load_text(text, "p.yaml")
    _, problems = read_publications(data, "p.yaml", ("alpha",), today=TODAY)
    return [str(p) for p in yaml_problems + problems if p.severity == "error"]


def record_of(text: str) -> Publication:
    data, _ = load_text(text, "p.yaml")
    records, problems = read_publications(data, "p.yaml", ("alpha",), today=TODAY)
    assert [p for p in problems if p.severity == "error"] == []
    (record,) = records
    return record


def test_every_new_field_reads_into_the_record() -> None:
    record = record_of(
        BASE
        + """\
  subtitle: A Subtitle
  short_title: Short
  translators: ["Halls, W. D."]
  month: 2
  day: 29
  original_year: 1893
  series: Series
  number: WP-7
  edition: "2"
  genre: PhD thesis
  isbn: 978-0-02-907950-8
  issn: 0378-5955
  eprint: "2402.01234"
  eprint_type: arxiv
  accessed: "2024-03-01"
  language: english
  keywords: [one, two]
  extra:
    primaryclass: cs.CY
    addendum: "  two  spaces kept\\n and a line  "
"""
    )
    assert record.subtitle == "A Subtitle"
    assert record.translators == (Name(family="Halls", given="W. D."),)
    assert (record.month, record.day, record.original_year) == (2, 29, 1893)
    assert record.keywords == ("one", "two")
    assert record.extra == (("primaryclass", "cs.CY"), ("addendum", "  two  spaces kept\n and a line  "))


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("  month: 13\n", "p.yaml:6:10: month '13' must be a month number from 1 to 12"),
        ("  month: March\n", "p.yaml:6:10: month 'March' must be a month number from 1 to 12"),
        ("  month: 2\n  day: 30\n", "p.yaml:7:8: day '30' is not a day of February 2020 (1 to 29)"),
        ("  month: 4\n  day: 31\n", "p.yaml:7:8: day '31' is not a day of April 2020 (1 to 30)"),
        ("  day: 3\n", "p.yaml:6:8: 'day' needs a 'month'"),
        ("  original_year: 893\n", "p.yaml:6:18: original_year '893' must be a four-digit year"),
        ("  isbn: 978-0-02-907950-9\n", "p.yaml:6:9: '978-0-02-907950-9' is not a valid ISBN-13: its check digit is wrong"),
        ("  isbn: 0-306-40615-3\n", "p.yaml:6:9: '0-306-40615-3' is not a valid ISBN-10: its check digit is wrong"),
        ("  isbn: abc\n", "p.yaml:6:9: 'abc' is not an ISBN (10 or 13 digits, hyphens allowed)"),
        ("  issn: 0378-5956\n", "p.yaml:6:9: '0378-5956' is not a valid ISSN: its check digit is wrong"),
        ("  issn: 12345\n", "p.yaml:6:9: '12345' is not an ISSN (NNNN-NNNC)"),
        ("  eprint: x\n  eprint_type: arXiv\n", "p.yaml:7:16: eprint_type 'arXiv' must be a lower-case word such as arxiv or pubmed"),
        ("  eprint_type: arxiv\n", "p.yaml:6:16: 'eprint_type' needs an 'eprint'"),
        ("  accessed: 2024-02-30\n", "p.yaml:6:13: accessed '2024-02-30' must be a date, YYYY-MM-DD"),
        ("  accessed: March 2024\n", "p.yaml:6:13: accessed 'March 2024' must be a date, YYYY-MM-DD"),
        ("  translators: [\"A, B, C, D\"]\n", "p.yaml:6:17: cannot read the name 'A, B, C, D'; write it as 'Family, Given'"),
        ("  translators:\n    - {given: A}\n", "p.yaml:7:7: a name needs 'family' (or 'literal' for an organisation)"),
        ("  keywords: {a: b}\n", "p.yaml:6:13: 'keywords' must be a list"),
        ("  extra: text\n", "p.yaml:6:10: 'extra' must be a mapping of 'field: value' lines"),
        ("  extra:\n    Title: x\n", "p.yaml:7:5: 'extra' field name 'Title' must be lower-case letters, digits and _:.+-"),
        ("  extra:\n    a: [x]\n", "p.yaml:7:8: 'extra.a' must be text"),
        ("  extra:\n    a: ' '\n", "p.yaml:7:8: 'extra.a' is empty; give a value or remove it"),
        ("  extra:\n    a: \"x\\x01\"\n", "p.yaml:7:8: 'extra.a' contains the control character U+0001"),
    ],
)  # fmt: skip
def test_each_rule_has_its_message(lines: str, message: str) -> None:
    assert problems_of(BASE + lines) == [message]


def test_a_29th_of_february_outside_a_leap_year_is_refused() -> None:
    text = BASE.replace("2020", "2021") + "  month: 2\n  day: 29\n"
    assert problems_of(text) == ["p.yaml:7:8: day '29' is not a day of February 2021 (1 to 28)"]


def test_checksums_accept_real_numbers() -> None:
    assert isbn_problem("978-0-306-40615-7") is None
    assert isbn_problem("0 8044 2957 X") is None
    assert issn_problem("2049-3630") is None
    assert issn_problem("0317-8471") is None


def test_new_fields_are_written_in_publication_fields_order() -> None:
    record = record_of(BASE + "  extra:\n    zz: 1\n  keywords: [k]\n  month: 5\n  subtitle: S\n")
    rendered = render.render_record(record)
    keys = [line.split(":")[0].strip("- ") for line in rendered.splitlines() if not line.startswith("    ")]
    assert keys == [key for key in PUBLICATION_FIELDS if key in keys]
    assert keys == ["id", "type", "title", "subtitle", "authors", "year", "month", "keywords", "extra"]
    assert record_of(rendered) == record


def test_json_keys_keep_the_old_order_and_add_the_new_ones_at_the_end() -> None:
    keys = list(record_of(BASE).as_dict())
    old = [key for key in PUBLICATION_FIELDS if key not in NEW_FIELDS and key not in CV_FIELDS]
    assert keys == old + list(NEW_FIELDS) + list(CV_FIELDS)


_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20).filter(
    lambda t: t.strip() == t and " ".join(t.split()) == t and "\u2028" not in t
)


# Extra values are kept verbatim: leading spaces, doubled spaces and newlines included.
_verbatim = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029")
    | st.sampled_from(" \n\t"),
    min_size=1,
    max_size=20,
).filter(str.strip)


@given(
    extra=st.dictionaries(st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True), _verbatim, max_size=4),
    keywords=st.lists(_text, max_size=3, unique=True),
    subtitle=st.none() | _text,
)
def test_records_with_new_fields_round_trip_through_the_yaml_writer(
    extra: dict[str, str], keywords: list[str], subtitle: str | None
) -> None:
    record = Publication(
        id="a2020",
        type="book",
        title="T",
        authors=(Name(family="Liu", given="C"),),
        year=2020,
        subtitle=subtitle,
        keywords=tuple(keywords),
        extra=tuple(extra.items()),
        translators=(Name(literal="Org"),),
    )
    assert record_of(render.render_record(record)) == record


def test_the_cache_carries_every_new_field(tmp_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    from scholarcli.cli.app import app

    store = tmp_path / "store"
    shutil.copytree(RICH_STORE, store)
    args = ["list", "--format", "json"]
    env = {"SCHOLAR_STORE": str(store)}
    uncached = runner.invoke(app, ["--no-cache", *args], env=env)
    first = runner.invoke(app, args, env=env)  # a miss: builds the cache
    second = runner.invoke(app, args, env=env)  # a hit: records built from the cache
    assert uncached.exit_code == first.exit_code == second.exit_code == 0
    assert uncached.stdout == first.stdout == second.stdout
    works = json.loads(second.stdout)
    preprint = next(work for work in works if work["id"] == "blomberg2024preprint")
    assert preprint["extra"] == {"primaryclass": "cs.CY", "addendum": "Preprint version 2 — “revised”"}
    book = next(work for work in works if work["id"] == "durkheim1984division")
    assert book["translators"] == [{"family": "Halls", "given": "W. D."}]
    assert (book["original_year"], book["month"], book["edition"]) == (1893, 3, "2")
