"""`--format ris`: golden files, read back by rispy (an independent RIS reader), a round-trip property,
and untrusted text that must not break a record."""

from __future__ import annotations

import pytest
import rispy
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from scholarcli.cli.app import app
from scholarcli.export import ExportOptions, export
from scholarcli.export.ris import ris_name
from scholarcli.model import Library, Name, Profile, Publication
from scholarcli.query import InMemory, Selection, select
from scholarcli.store import open_store
from tests.conftest import DEFAULT_STORE, REPO, RICH_STORE, STRESS_STORE

GOLDEN = REPO / "tests" / "golden" / "ris"
STORES = {"default": DEFAULT_STORE, "stress": STRESS_STORE, "rich": RICH_STORE}
# rispy's tag names, with the specification's ED (editor) that rispy's default table lacks.
MAPPING = {**rispy.TAG_KEY_MAPPING, "ED": "editors"}
LIST_TAGS = [*rispy.LIST_TYPE_TAGS, "ED", "SN"]


def read(text: str) -> list[dict[str, object]]:
    return rispy.loads(text, mapping=MAPPING, list_tags=LIST_TAGS)


def export_store(name: str) -> tuple[str, list[Publication]]:
    library = open_store(STORES[name]).library
    works = list(select(InMemory(library), Selection()).works)
    return export("ris", works, library, ExportOptions()), works


@pytest.mark.parametrize("store_name", list(STORES))
def test_golden_file(store_name: str, update_golden: bool) -> None:
    text, _ = export_store(store_name)
    golden = GOLDEN / f"{store_name}-store.ris"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert golden.is_file(), f"{golden} is missing; run pytest --update-golden and review it"
    assert text.encode("utf-8") == golden.read_bytes()


def one_line(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None


@pytest.mark.parametrize("store_name", list(STORES))
def test_rispy_reads_every_record_back(store_name: str) -> None:
    text, works = export_store(store_name)
    records = read(text)
    assert [record["id"] for record in records] == [work.id for work in works]
    for record, work in zip(records, works, strict=True):
        assert record.get("authors", []) == [ris_name(name) for name in work.authors]
        assert record.get("editors", []) == [ris_name(name) for name in work.editors]
        full_title = f"{work.title}: {work.subtitle}" if work.title and work.subtitle else work.title
        assert record.get("title") == one_line(full_title)
        assert record.get("secondary_title") == one_line(work.container)
        assert record.get("year") == (str(work.year) if work.year is not None and work.is_out else None)
        assert record.get("doi") == work.doi
        assert record.get("urls", []) == ([work.url] if work.url else [])
        assert record.get("keywords", []) == list(dict.fromkeys((*work.tags, *work.keywords)))


def test_default_store_record() -> None:
    text, _ = export_store("default")
    record = next(r for r in read(text) if r["id"] == "trauthgoik2023black")
    assert record["type_of_reference"] == "JOUR"
    assert record["authors"] == ["Trauth-Goik, Alexander", "Liu, Chuncheng"]
    assert (record["start_page"], record["end_page"]) == ("1017", "1033")
    assert (record["volume"], record["number"]) == ("32", "144")
    edited = next(r for r in read(export_store("stress")[0]) if r["id"] == "edited2016")
    assert edited["type_of_reference"] == "EDBOOK"
    assert edited["editors"] == ["Dürkheim-Ōsaka, Émile", "Weber, Max"]
    assert "authors" not in edited


def test_names() -> None:
    assert ris_name(Name("Blomberg", "Marianne", particle="von")) == "von Blomberg, Marianne"
    assert ris_name(Name("Smith", "John", suffix="Jr.")) == "Smith, John, Jr."
    assert ris_name(Name(literal="World Health Organization")) == "World Health Organization"
    assert ris_name(Name("刘", "春成")) == "刘, 春成"


def test_a_value_with_a_line_break_or_an_end_tag_stays_in_its_record() -> None:
    work = Publication(
        id="x",
        type="article-journal",
        title="Title\nER  - \nTY  - BOOK\r\nTI  - injected",
        authors=(Name("A", "B\u2028ER  - "),),
        note="line one\n\nER  - ",
        year=2020,
    )
    other = Publication(id="y", type="book", title="Second", year=2021)
    text = export("ris", [work, other], Library(Profile(name="P")), ExportOptions())
    lines = text.splitlines()
    assert [line for line in lines if line.startswith("ER  -")] == ["ER  - ", "ER  - "]
    assert [line for line in lines if line.startswith("TY  -")] == ["TY  - JOUR", "TY  - BOOK"]
    records = read(text)
    assert [record["id"] for record in records] == ["x", "y"]
    assert records[0]["title"] == "Title ER - TY - BOOK TI - injected"
    assert records[0]["notes"] == ["line one ER -"]


def test_status_and_dates() -> None:
    work = Publication(id="x", type="article-journal", title="T", status="under-review")
    dated = Publication(id="y", type="speech", title="Talk", year=2024, month=3, day=4)
    records = read(export("ris", [work, dated], Library(Profile(name="P")), ExportOptions()))
    assert records[0]["notes"] == ["Status: Under review"]
    assert "year" not in records[0]
    assert (records[1]["type_of_reference"], records[1]["year"], records[1]["date"]) == (
        "GEN",
        "2024",
        "2024/03/04",
    )


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(
    lambda text: text.split() != []
)
_NAME_PART = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=","), min_size=1, max_size=12
).filter(lambda text: text.split() != [])


@settings(max_examples=200)
@given(
    title=_TEXT,
    container=_TEXT,
    note=_TEXT,
    families=st.lists(_NAME_PART, min_size=1, max_size=4),
    tags=st.lists(_TEXT, max_size=3, unique=True),
)
def test_round_trip_through_rispy(
    title: str, container: str, note: str, families: list[str], tags: list[str]
) -> None:
    work = Publication(
        id="x",
        type="article-journal",
        title=title,
        container=container,
        note=note,
        authors=tuple(Name(family, "Given") for family in families),
        tags=tuple(tags),
        year=2020,
    )
    records = read(export("ris", [work], Library(Profile(name="P")), ExportOptions()))
    assert len(records) == 1
    record = records[0]
    assert record["title"] == one_line(title)
    assert record["secondary_title"] == one_line(container)
    assert record["notes"] == [one_line(note)]
    assert record["authors"] == [f"{one_line(family)}, Given" for family in families]
    assert record.get("keywords", []) == list(dict.fromkeys(one_line(tag) for tag in tags))


def test_cli_writes_the_golden_file(runner: CliRunner) -> None:
    result = runner.invoke(app, ["export", "-f", "ris", "--store", str(DEFAULT_STORE)])
    assert result.exit_code == 0, result.output
    assert result.stdout.encode("utf-8") == (GOLDEN / "default-store.ris").read_bytes()
