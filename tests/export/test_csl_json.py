"""CSL-JSON export: the official schema, golden files, pandoc's reading of it, and the field mapping."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scholarcli.export import ExportOptions, export
from scholarcli.model import CSL_TYPES, STATUSES, Library, Name, Profile, Publication
from scholarcli.query import InMemory, Selection, select
from scholarcli.store import open_store
from tests.cite.citeproc_reference import asa_style_path, citeproc_entries
from tests.conftest import DEFAULT_STORE, REPO, RICH_STORE, STRESS_STORE, require_program

GOLDEN = REPO / "tests" / "golden" / "csl-json"
SCHEMA_PATH = REPO / "tests" / "fixtures" / "csl-schema" / "csl-data.json"
STORES = {
    "default": DEFAULT_STORE,
    "stress": STRESS_STORE,
    "rich": RICH_STORE,
    "asa-cases": REPO / "tests" / "fixtures" / "asa-cases",
}


def export_store(store_name: str) -> tuple[str, Library, list[Publication]]:
    library = open_store(STORES[store_name]).library
    works = select(InMemory(library), Selection()).works
    assert works, f"the {store_name} store selected no works"
    return export("csl-json", works, library, ExportOptions()), library, works


def schema() -> dict[str, object]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.mark.parametrize("store_name", ["default", "stress", "rich"])
def test_golden_file(store_name: str, update_golden: bool) -> None:
    text, _, _ = export_store(store_name)
    golden = GOLDEN / f"{store_name}-store.json"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert golden.is_file(), f"{golden} is missing; run pytest --update-golden and review it"
    assert text.encode("utf-8") == golden.read_bytes()


def test_schema_is_the_official_v1_0_2_file() -> None:
    data = schema()
    item = data["items"]
    assert len(item["properties"]["type"]["enum"]) == 45
    assert item["additionalProperties"] is False
    assert {"citation-key", "event-title", "custom"} <= set(item["properties"])


@pytest.mark.parametrize("store_name", list(STORES))
def test_export_is_valid_against_the_official_schema(store_name: str) -> None:
    text, _, works = export_store(store_name)
    items = json.loads(text)
    jsonschema.validate(items, schema(), cls=jsonschema.Draft7Validator)
    assert [item["id"] for item in items] == [work.id for work in works]


def test_schema_check_would_catch_an_extra_top_level_key() -> None:
    text, _, _ = export_store("default")
    items = json.loads(text)
    items[0]["themes"] = ["monolith-myth"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(items, schema(), cls=jsonschema.Draft7Validator)


@pytest.mark.parametrize("store_name", list(STORES))
def test_same_store_same_bytes(store_name: str) -> None:
    assert export_store(store_name)[0] == export_store(store_name)[0]


@pytest.mark.slow
@pytest.mark.parametrize("store_name", list(STORES))
def test_pandoc_reads_the_export_without_warning_and_renders_every_record(
    store_name: str, tmp_path: Path
) -> None:
    pandoc = require_program("pandoc")
    _, library, works = export_store(store_name)
    rendered, stderr = citeproc_entries(pandoc, works, library, tmp_path, asa_style_path())
    assert stderr == ""
    assert sorted(rendered) == sorted(work.id for work in works)
    assert all(rendered.values())


def test_names_dates_identifiers_and_custom_fields() -> None:
    text, _, _ = export_store("stress")
    items = {item["id"]: item for item in json.loads(text)}
    names = items["names2019"]
    assert names["author"][:4] == [
        {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
        {"family": "Fontaine", "given": "Jean", "non-dropping-particle": "de la"},
        {"family": "Smith", "given": "John", "suffix": "Jr."},
        {"family": "King", "given": "Martin Luther", "suffix": "III"},
    ]
    assert names["author"][4] == {"literal": "World Health Organization"}
    assert names["editor"][0] == {"family": "Blomberg", "given": "Marianne", "non-dropping-particle": "von"}
    specials = items["specials2020"]
    assert specials["author"][1] == {"family": "刘", "given": "春成"}
    assert specials["issued"] == {"date-parts": [[2020]]}
    assert specials["DOI"] == "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0"
    assert specials["URL"] == "https://example.org/a_b/c%20d?x=1&y=~z#frag"
    assert specials["page"] == "101-120"
    assert specials["custom"] == {"themes": ["specials"], "tags": ["stress", "r&d"]}
    assert items["orwell1984"]["custom"]["equal-contribution"] is True


def test_works_not_yet_out_have_a_status_and_no_issued_date() -> None:
    text, _, _ = export_store("stress")
    items = {item["id"]: item for item in json.loads(text)}
    assert items["draft-forthcoming"]["status"] == "forthcoming"
    assert "issued" not in items["draft-forthcoming"]
    assert items["manuscript-review"]["status"] == "under review"
    assert "issued" not in items["manuscript-review"]
    assert items["inpress2026"]["status"] == "in press"
    assert items["inpress2026"]["issued"] == {"date-parts": [[2026]]}
    assert "status" not in items["specials2020"]
    default_items = {item["id"]: item for item in json.loads(export_store("default")[0])}
    assert default_items["liu-metricocracy"]["status"] == "under contract"
    assert "issued" not in default_items["liu-metricocracy"]


def test_unicode_is_written_raw_and_keys_keep_their_order() -> None:
    text, _, _ = export_store("stress")
    assert "Dürkheim-Ōsaka" in text
    assert "\\u00fc" not in text
    first = json.loads(text)[0]
    assert list(first)[:2] == ["id", "type"]


def test_invisible_direction_characters_are_escaped_but_read_back_unchanged() -> None:
    title = "Evil \u202etxt.exe and a line\u2028break"
    work = Publication(id="x", type="article-journal", title=title, authors=(Name(family="A"),), year=2000)
    library = Library(profile=Profile(name="A"), publications=(work,))
    text = export("csl-json", [work], library)
    assert "\u202e" not in text
    assert "\\u202e" in text
    assert json.loads(text)[0]["title"] == title


def test_empty_selection_is_an_empty_array() -> None:
    library = Library(profile=Profile(name="A"))
    assert export("csl-json", [], library) == "[]\n"


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)
NAMES = st.one_of(
    st.builds(Name, literal=TEXT),
    st.builds(
        Name,
        family=TEXT,
        given=st.none() | TEXT,
        particle=st.none() | st.sampled_from(["von", "van der", "de la"]),
        suffix=st.none() | st.sampled_from(["Jr.", "III"]),
    ),
)
WORKS = st.builds(
    Publication,
    id=st.from_regex(r"[A-Za-z][A-Za-z0-9_:.+-]{0,20}", fullmatch=True),
    type=st.sampled_from(CSL_TYPES),
    title=st.none() | TEXT,
    authors=st.lists(NAMES, min_size=1, max_size=4).map(tuple),
    editors=st.lists(NAMES, max_size=2).map(tuple),
    year=st.none() | st.integers(1000, 2100),
    status=st.sampled_from(STATUSES),
    container=st.none() | TEXT,
    pages=st.none() | TEXT,
    doi=st.none() | TEXT,
    url=st.none() | TEXT,
    themes=st.lists(st.sampled_from(["a", "b-c"]), max_size=2, unique=True).map(tuple),
    tags=st.lists(TEXT, max_size=2).map(tuple),
    equal_contribution=st.booleans(),
    abstract=st.none() | TEXT,
)


@given(st.lists(WORKS, max_size=4))
def test_round_trip_keeps_every_value_and_stays_valid(works: list[Publication]) -> None:
    library = Library(profile=Profile(name="A"))
    text = export("csl-json", works, library)
    items = json.loads(text)
    jsonschema.validate(items, schema(), cls=jsonschema.Draft7Validator)
    assert len(items) == len(works)
    for item, work in zip(items, works, strict=True):
        assert item["id"] == work.id
        assert item["type"] == work.type
        assert item.get("title") == work.title
        assert item.get("container-title") == work.container
        assert item.get("page") == work.pages
        assert item.get("DOI") == work.doi
        assert item.get("URL") == work.url
        assert item.get("abstract") == work.abstract
        assert [_name_back(name) for name in item["author"]] == list(work.authors)
        assert [_name_back(name) for name in item.get("editor", [])] == list(work.editors)
        if work.is_out and work.year is not None:
            assert item["issued"] == {"date-parts": [[work.year]]}
        else:
            assert "issued" not in item
        assert ("status" in item) == (work.status != "published")
        custom = item.get("custom", {})
        assert custom.get("themes", []) == list(work.themes)
        assert custom.get("tags", []) == list(work.tags)
        assert custom.get("equal-contribution", False) == work.equal_contribution
    assert text == export("csl-json", works, library)


def _name_back(data: dict[str, str]) -> Name:
    return Name(
        family=data.get("family"),
        given=data.get("given"),
        particle=data.get("non-dropping-particle"),
        suffix=data.get("suffix"),
        literal=data.get("literal"),
    )


@pytest.mark.parametrize("store_name", list(STORES))
def test_fast_writer_gives_exactly_the_items_of_csl_item(store_name: str) -> None:
    from scholarcli.export.csl_json import csl_item

    text, _, works = export_store(store_name)
    items = json.loads(text)
    assert items == [csl_item(work) for work in works]
    assert [list(item) for item in items] == [list(csl_item(work)) for work in works]
