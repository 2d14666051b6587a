"""Issue #12 item 12: every value `add` and `set` take goes through the loader's own rule and message."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from scholarcli.cli.app import app
from scholarcli.text import visible

from .test_commands import BASE, records

ADD = ["--type", "book", "--title", "A Title", "--author", "Liu, C"]


def _pubs(store: Path) -> Path:
    return store / "publications.yaml"


@pytest.mark.parametrize("flag", ["maybe", "ture", "off", "yes", "1", "True"])
def test_set_equal_contribution_accepts_only_true_or_false(runner: CliRunner, make_store, flag: str) -> None:
    store = make_store(BASE)
    before = _pubs(store).read_bytes()
    result = runner.invoke(app, ["set", "--store", str(store), "liu2022who", f"equal_contribution={flag}"])
    assert result.exit_code == 1
    # The message `scholar check` gives for the same value in the file, at the line it would be on.
    assert result.stderr == (f"error: {_pubs(store)}:11:23: 'equal_contribution' must be true or false\n")
    assert _pubs(store).read_bytes() == before


@pytest.mark.parametrize("flag", ["true", "false"])
def test_set_equal_contribution_true_and_false(runner: CliRunner, make_store, flag: str) -> None:
    store = make_store(BASE)
    result = runner.invoke(app, ["set", "--store", str(store), "liu2022who", f"equal_contribution={flag}"])
    assert result.exit_code == 0, result.output
    assert records(store)["liu2022who"].equal_contribution is (flag == "true")


@pytest.mark.parametrize("how", [["year=²⁰²⁰"], ["--year", "²⁰²⁰"], ["year=٢٠٢٠"], ["year=0999"]])
def test_set_year_that_is_not_ascii_digits_is_the_loader_error(runner: CliRunner, make_store, how) -> None:
    store = make_store(BASE)
    before = _pubs(store).read_bytes()
    result = runner.invoke(app, ["set", "--store", str(store), "liu2022who", *how])
    assert result.exit_code == 1, result.output
    year = how[-1].removeprefix("year=")
    assert result.stderr.startswith(  # named by the argument that gave it (review D2)
        f"error: {how[0]}: year '{year}' must be a four-digit year up to "
    ), result.stderr
    assert result.stderr.count("\n") == 1
    assert _pubs(store).read_bytes() == before


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("doi=https://doi.org/10.1234/x", "write the bare DOI '10.1234/x' without the prefix"),
        ("doi=not-a-doi", "'not-a-doi' is not a DOI (10.NNNN/...)"),
        ("url=ftp://x", "'url' must start with http:// or https://"),
        ("type=artcle", "unknown type 'artcle' (did you mean 'article'?)"),
        ("themes=alpah", "unknown theme 'alpah' (did you mean 'alpha'?)"),
        ("title=a\x01b", "'title' contains the control character U+0001; remove it"),
    ],
)
def test_set_values_get_the_loader_message(
    runner: CliRunner, make_store, assignment: str, message: str
) -> None:
    store = make_store(BASE)
    before = _pubs(store).read_bytes()
    result = runner.invoke(app, ["set", "--store", str(store), "liu2022who", assignment])
    assert result.exit_code == 1
    assert result.stderr == f"error: {visible(assignment)}: {message}\n"
    assert _pubs(store).read_bytes() == before


def test_set_status_gets_the_loader_message(runner: CliRunner, make_store) -> None:
    store = make_store(BASE)
    result = runner.invoke(app, ["set", "--store", str(store), "liu2026imaginary", "--status", "submited"])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: --status: unknown status 'submited' (did you mean 'submitted'?); one of "
        "in-preparation, submitted, under-review, revise-and-resubmit, under-contract, forthcoming, in-press, "
        "published\n"
    )


def test_set_a_name_that_does_not_parse_gets_the_loader_message(runner: CliRunner, make_store) -> None:
    store = make_store(BASE)
    result = runner.invoke(app, ["set", "--store", str(store), "liu2022who", "authors=Liu, C; , X"])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: authors=Liu, C; , X: cannot read the name ', X'; write it as 'Family, Given'\n"
    )


@pytest.mark.parametrize("year", ["²⁰²⁰", "٢٠٢٠", "20x0", "0999", "99"])
def test_add_year_that_is_not_a_year_is_the_loader_error(runner: CliRunner, make_store, year: str) -> None:
    store = make_store(BASE)
    before = _pubs(store).read_bytes()
    result = runner.invoke(app, ["add", "--store", str(store), *ADD, "--year", year])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"error: the new record: year '{year}' must be a four-digit year up to "
    ), result.stderr
    assert result.stderr.count("\n") == 1
    assert _pubs(store).read_bytes() == before


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--type", "artcle"], "unknown type 'artcle' (did you mean 'article'?)"),
        (["--status", "accepted"], "unknown status 'accepted'; one of in-preparation, submitted, under-review, "
         "revise-and-resubmit, under-contract, forthcoming, in-press, published"),
        (["--id", "bad@id"], "id 'bad@id' must use only letters, digits and _:./+-"),
        (["--url", "ftp://x"], "'url' must start with http:// or https://"),
        (["--doi", "doi:10.1234/x"], "write the bare DOI '10.1234/x' without the prefix"),
        (["--container", "a\x1bb"], "'container' contains the control character U+001B; remove it"),
    ],
)  # fmt: skip
def test_add_values_get_the_loader_message(runner: CliRunner, make_store, option, message) -> None:
    store = make_store(BASE)
    before = _pubs(store).read_bytes()
    args = [*ADD, "--year", "2020"]
    if option[0] == "--type":
        args[1] = option[1]
        option = []
    result = runner.invoke(app, ["add", "--store", str(store), *args, *option])
    assert result.exit_code == 1
    assert result.stderr == f"error: the new record: {message}\n"
    assert _pubs(store).read_bytes() == before
