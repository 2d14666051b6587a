"""The read commands through CliRunner: output on stdout, messages on stderr, exact exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from scholarcli import __version__
from scholarcli.cli.app import app
from tests.conftest import DEFAULT_ORDER, DEFAULT_STORE, STRESS_STORE


def run(runner: CliRunner, *args: str, stdin: str | None = None, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), input=stdin, env=env)


def test_version(runner: CliRunner) -> None:
    result = run(runner, "--version")
    assert (result.exit_code, result.stdout) == (0, f"scholar {__version__}\n")


def test_no_arguments_shows_help(runner: CliRunner) -> None:
    result = run(runner)
    assert result.exit_code == 2
    assert "Usage: scholar" in result.output


@pytest.mark.parametrize("command", ["list", "show", "themes", "stats", "where", "check", "export"])
def test_every_command_has_help_with_an_example(runner: CliRunner, command: str) -> None:
    result = run(runner, command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout


def test_list_uses_the_embedded_store_and_is_tsv_when_piped(runner: CliRunner) -> None:
    result = run(runner, "list")
    assert result.exit_code == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == DEFAULT_ORDER
    assert lines[1] == (
        "liu2026imaginary\t2026\tarticle-journal\tpublished\tChuncheng Liu; Marianne von Blomberg\t\t"
        "Information, Communication & Society\twest-imaginary"
    )
    assert lines[0] == "liu-metricocracy\t\tbook\tunder-contract\tChuncheng Liu\tMetricocracy\t\tmetricocracy"


def test_list_theme_headline_example(runner: CliRunner) -> None:
    result = run(runner, "list", "--theme", "west-imaginary", "--format", "keys")
    assert (result.exit_code, result.stdout) == (0, "liu2026imaginary\n")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["-t", "citizen-response", "-t", "monolith-myth"],
            ["trauthgoik2023black", "liu2022who", "liu2019multiple"],
        ),
        (["--type", "chapter"], ["liu2025handbook"]),
        (["--year", "2022..2023"], ["trauthgoik2023black", "liu2022who"]),
        (["--year", "2025.."], ["liu2026imaginary", "liu2025handbook", "liu2025trusting"]),
        (["--author", "Rona-Tás"], ["liu2025trusting"]),
        (["--venue", "contemporary"], ["trauthgoik2023black"]),
        (["--status", "under-contract"], ["liu-metricocracy"]),
        (["-q", "surveillance opinion"], ["liu2022who"]),
        (["--sort", "title", "--limit", "2"], ["trauthgoik2023black", "liu-metricocracy"]),
        (["--reverse", "-n", "1"], ["liu2019multiple"]),
        (["--year", "1900"], []),
    ],
)
def test_list_filters(runner: CliRunner, args: list[str], expected: list[str]) -> None:
    result = run(runner, "list", "--format", "keys", *args)
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == expected


def test_list_json_fields_are_stable(runner: CliRunner) -> None:
    result = run(runner, "list", "--format", "json", "--theme", "west-imaginary")
    records = json.loads(result.stdout)
    assert list(records[0]) == [
        "id", "type", "title", "authors", "editors", "year", "status", "container", "volume", "issue", "pages",
        "publisher", "place", "doi", "url", "themes", "tags", "equal_contribution", "note", "abstract",
        # issue #11's fields, after the original ones (docs/formats.md: "Output formats of `list`")
        "subtitle", "short_title", "translators", "month", "day", "original_year", "series", "number",
        "edition", "genre", "isbn", "issn", "eprint", "eprint_type", "accessed", "language", "keywords",
        "extra",
        # issue #14's fields, after those
        "links", "award", "featured", "preprint_of", "published_as", "event", "event_place",
    ]  # fmt: skip
    # Equal co-first authors as roles (issue #14): `roles` only in names that have any; the record's
    # `equal_contribution` still says all authors contributed equally.
    assert records[0]["authors"] == [
        {"family": "Liu", "given": "Chuncheng", "roles": ["equal"]},
        {"family": "Blomberg", "given": "Marianne", "particle": "von", "roles": ["equal"]},
    ]
    assert records[0]["equal_contribution"] is True
    assert records[0]["year"] == 2026


def test_list_jsonl_and_yaml_agree_with_json(runner: CliRunner) -> None:
    as_json = json.loads(run(runner, "list", "--format", "json").stdout)
    as_jsonl = [json.loads(line) for line in run(runner, "list", "--format", "jsonl").stdout.splitlines()]
    assert as_jsonl == as_json
    as_yaml = yaml.safe_load(run(runner, "list", "--format", "yaml").stdout)
    assert [record["id"] for record in as_yaml] == DEFAULT_ORDER


def test_empty_selection_gives_empty_json_array(runner: CliRunner) -> None:
    result = run(runner, "list", "--format", "json", "--year", "1900")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_list_table_shows_markup_literally(runner: CliRunner) -> None:
    result = run(runner, "list", "--store", str(STRESS_STORE), "--format", "table", "--theme", "markup",
                 env={"COLUMNS": "400"})  # fmt: skip
    assert result.exit_code == 0
    assert "[bold]Not Bold[/] :x: *Not Emphasis*" in result.stdout
    assert "\x1b" not in result.stdout


def test_terminal_escapes_in_text_are_made_visible(runner: CliRunner, make_store) -> None:
    store = make_store(
        '- id: x\n  type: book\n  title: "Evil \\u202Eoops"\n  authors: [A, B]\n  year: 2020\n'
    )
    for output_format in ("table", "tsv"):
        result = run(runner, "list", "--store", str(store), "--format", output_format)
        assert result.exit_code == 0
        assert "Evil \\u202eoops" in result.stdout
        assert "\u202e" not in result.stdout
    as_json = run(runner, "list", "--store", str(store), "--format", "json").stdout
    assert "\\u202e" in as_json
    assert json.loads(as_json)[0]["title"] == "Evil \u202eoops"


def test_bad_year_is_a_usage_error_on_stderr(runner: CliRunner) -> None:
    result = run(runner, "list", "--year", "20x")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "error: --year '20x' is not a year or range (2022, 2020..2023, 2022.., ..2019)\n"


def test_unknown_theme_gets_a_hint(runner: CliRunner) -> None:
    result = run(runner, "list", "--theme", "west-imagnary")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: --theme 'west-imagnary': no such theme in this store (did you mean 'west-imaginary'?)\n"
    )


def test_unknown_option_and_bad_choice_exit_2(runner: CliRunner) -> None:
    assert run(runner, "list", "--colour").exit_code == 2
    assert run(runner, "list", "--format", "xml").exit_code == 2
    assert run(runner, "list", "--limit", "-1").exit_code == 2


def test_show_prints_every_field_and_a_citation(runner: CliRunner) -> None:
    result = run(runner, "show", "liu2022who")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "id: liu2022who",
        "type: article-journal",
        "title: Who Supports Expanding Surveillance? Exploring Public Opinion of Chinese Social Credit Systems",
        "authors: Chuncheng Liu",
    ]
    assert "doi: 10.1177/02685809221084446" in lines
    assert "themes: citizen-response: How do citizens navigate and respond to the SCSP?" in lines
    assert lines[-1].startswith("citation: Liu, Chuncheng. 2022.")


def test_show_several_ids_from_stdin_and_as_json(runner: CliRunner) -> None:
    result = run(runner, "show", "-", "--format", "json", stdin="liu2022who\nLIU2019MULTIPLE\n")
    assert result.exit_code == 0
    assert [record["id"] for record in json.loads(result.stdout)] == ["liu2022who", "liu2019multiple"]


def test_show_unknown_id_has_a_hint(runner: CliRunner) -> None:
    result = run(runner, "show", "liu2022woh")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "error: no publication 'liu2022woh' (did you mean 'liu2022who'?)\n"


def test_themes_lists_questions_and_counts(runner: CliRunner) -> None:
    result = run(runner, "themes")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        'monolith-myth\t1\tIs there one unified "Big Brother" system?',
        "local-implementation\t2\tHow is a SCS designed and implemented on the ground?",
        "citizen-response\t2\tHow do citizens navigate and respond to the SCSP?",
        "west-imaginary\t1\tWhy does the West see the system so differently?",
        "metricocracy\t1\tMetricocracy",
    ]
    as_json = json.loads(run(runner, "themes", "--format", "json").stdout)
    assert [(t["id"], t["works"]) for t in as_json][:2] == [("monolith-myth", 1), ("local-implementation", 2)]


def test_themes_show(runner: CliRunner) -> None:
    result = run(runner, "themes", "show", "citizen-response")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "# How do citizens navigate and respond to the SCSP?"
    assert [line.split("\t")[0] for line in lines[2:]] == ["trauthgoik2023black", "liu2022who"]
    table = run(runner, "themes", "show", "metricocracy", "--format", "table")
    assert "Meritown" in table.stdout
    missing = run(runner, "themes", "show", "metricocrazy")
    assert missing.exit_code == 1
    assert missing.stderr == "error: no theme 'metricocrazy' (did you mean 'metricocracy'?)\n"


def test_stats_counts(runner: CliRunner) -> None:
    result = run(runner, "stats")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "total\t\t7"
    assert "year\tundated\t1" in lines
    assert "year\t2025\t2" in lines
    assert "type\tarticle-journal\t5" in lines
    assert "theme\tlocal-implementation\t2" in lines
    assert "coauthor\tMarianne von Blomberg\t1" in lines
    assert not any("Chuncheng Liu" in line for line in lines)
    as_json = json.loads(run(runner, "stats", "--format", "json", "--year", "2025").stdout)
    assert as_json["total"] == 2
    charts = run(runner, "stats", "--format", "table")
    assert "By year" in charts.stdout
    assert "█" in charts.stdout


def test_where_prints_the_store_and_why(runner: CliRunner, default_store: Path) -> None:
    result = run(runner, "where")
    assert result.exit_code == 0
    # The embedded store: data/ of the checkout, or scholarcli/data inside an installed wheel.
    shown = Path(result.stdout.strip())
    assert shown.name == "data"
    assert (shown / "publications.yaml").read_bytes() == (DEFAULT_STORE / "publications.yaml").read_bytes()
    assert result.stderr.startswith("store: the embedded default store (read-only")
    named = run(runner, "where", env={"SCHOLAR_STORE": str(default_store)})
    assert named.stdout == f"{default_store.resolve()}\n"
    assert named.stderr == "store: set by $SCHOLAR_STORE\n"


def test_missing_store_is_one_clear_line(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "list", "--store", str(tmp_path / "none"))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "none: no such store (given with --store); create one with 'scholar init'" in result.stderr


def test_check_default_store_has_only_warnings(runner: CliRunner) -> None:
    result = run(runner, "check")
    assert result.exit_code == 0
    assert "warning: 'liu2025handbook' has no title" in result.stdout
    assert result.stderr.endswith(": 0 error(s), 6 warning(s)\n")
    assert run(runner, "check", "--strict").exit_code == 1


def test_check_reports_every_error_with_positions_as_json(runner: CliRunner, make_store) -> None:
    store = make_store(
        "- id: a\n  type: article\n  authors: [X, Y]\n  year: '99'\n  themes: [alfa]\n  colour: red\n"
    )
    result = run(runner, "check", "--store", str(store), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["errors"], report["warnings"]) == (3, 1)
    assert [(p["line"], p["column"], p["field"]) for p in report["problems"]] == [
        (1, 3, "title"),
        (4, 9, "year"),
        (5, 12, "themes"),
        (6, 3, "colour"),
    ]


def test_other_commands_refuse_an_invalid_store_listing_every_error(runner: CliRunner, make_store) -> None:
    store = make_store("- id: a\n  type: article\n  authors: [X, Y]\n  year: '99'\n  themes: [alfa]\n")
    result = run(runner, "list", "--store", str(store))
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].endswith("publications.yaml:4:9: year '99' must be a four-digit year up to 2031")
    assert lines[1].endswith("publications.yaml:5:12: unknown theme 'alfa' (did you mean 'alpha'?)")
    assert lines[2] == "2 error(s) in the store"


def test_same_command_same_bytes(runner: CliRunner) -> None:
    for args in (["list", "--format", "json"], ["list"], ["stats"], ["themes"], ["show", "liu2026imaginary"]):
        first, second = run(runner, *args), run(runner, *args)
        assert first.stdout_bytes == second.stdout_bytes
