"""`--format jsonresume`: golden files, and every store's resume valid against the JSON Resume schema
(the `resume-schema` npm package's schema.json, vendored in tests/fixtures/jsonresume-schema)."""

from __future__ import annotations

import json

import jsonschema
import pytest
from typer.testing import CliRunner

from scholarcli.cli.app import app
from scholarcli.export import ExportOptions, export
from scholarcli.model import Library, Profile, Publication
from scholarcli.query import InMemory, Selection, select
from scholarcli.store import open_store
from tests.conftest import DEFAULT_STORE, REPO, RICH_STORE, STRESS_STORE

GOLDEN = REPO / "tests" / "golden" / "jsonresume"
SCHEMA = json.loads(
    (REPO / "tests" / "fixtures" / "jsonresume-schema" / "schema.json").read_text(encoding="utf-8")
)
STORES = {"default": DEFAULT_STORE, "stress": STRESS_STORE, "rich": RICH_STORE}


def export_store(name: str) -> str:
    library = open_store(STORES[name]).library
    return export("jsonresume", select(InMemory(library), Selection()).works, library, ExportOptions())


def validate(text: str) -> dict[str, object]:
    resume = json.loads(text)
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(resume)
    return resume


@pytest.mark.parametrize("store_name", list(STORES))
def test_golden_file_and_schema(store_name: str, update_golden: bool) -> None:
    text = export_store(store_name)
    golden = GOLDEN / f"{store_name}-store.json"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert golden.is_file(), f"{golden} is missing; run pytest --update-golden and review it"
    assert text.encode("utf-8") == golden.read_bytes()
    resume = validate(text)
    library = open_store(STORES[store_name]).library
    assert len(resume["publications"]) == len(library.publications)  # type: ignore[arg-type]


def test_the_schema_rejects_what_it_should() -> None:
    # The validation above can fail: a bad date and an unknown top-level key are refused.
    with pytest.raises(jsonschema.ValidationError):
        validate(json.dumps({"publications": [{"releaseDate": "2026/03"}]}))
    with pytest.raises(jsonschema.ValidationError):
        validate(json.dumps({"publication": []}))


def test_basics_and_a_publication() -> None:
    resume = json.loads(export_store("stress"))
    assert resume["basics"] == {
        "name": "Émile Dürkheim-Ōsaka",
        "label": "Sociology",
        "url": "https://example.org/~emile_d",
        "profiles": [
            {
                "network": "ORCID",
                "username": "0000-0002-1825-0097",
                "url": "https://orcid.org/0000-0002-1825-0097",
            }
        ],
    }
    by_name = {item["name"]: item for item in resume["publications"]}
    assert by_name["Under Review: A Manuscript With a Note"] == {
        "name": "Under Review: A Manuscript With a Note",
        "summary": "Under review. An abstract with two lines, 100% & {braces}, and a $ sign.",
    }
    conference = by_name["Scoring Citizens at Scale"]
    assert conference == {
        "name": "Scoring Citizens at Scale",
        "publisher": "Proceedings of the 3rd Conference on Numbers & Society",
        "releaseDate": "2014",
        "url": "https://doi.org/10.1145/1234567.8901234",
    }


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [
        (2024, None, None, "2024"),
        (2024, 3, None, "2024-03"),
        (2024, 3, 4, "2024-03-04"),
        (999, None, None, None),
    ],
)
def test_release_date(year: int, month: int | None, day: int | None, expected: str | None) -> None:
    work = Publication(id="x", type="speech", title="Talk", year=year, month=month, day=day)
    text = export("jsonresume", [work], Library(Profile(name="P")), ExportOptions())
    assert validate(text)["publications"][0].get("releaseDate") == expected  # type: ignore[index]


def test_untitled_work_is_named_by_its_citation() -> None:
    resume = json.loads(export_store("default"))
    assert resume["publications"][1]["name"] == (
        "Liu, Chuncheng, and Marianne von Blomberg. 2026. Information, Communication & Society 29(8):2374–90."
    )


def test_cli_writes_the_golden_file(runner: CliRunner) -> None:
    result = runner.invoke(app, ["export", "-f", "jsonresume", "--store", str(DEFAULT_STORE)])
    assert result.exit_code == 0, result.output
    assert result.stdout.encode("utf-8") == (GOLDEN / "default-store.json").read_bytes()
