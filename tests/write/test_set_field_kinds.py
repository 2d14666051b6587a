"""`scholar set` on every field of a record: each field has a kind (operations.FIELD_KINDS) that says how
its value is read from the command line, so a list field is never written as one text split into
letters (`keywords=surveillance` once stored `[s, u, r, ...]`)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from scholarcli.cli.app import app
from scholarcli.model import PUBLICATION_FIELDS, Name
from scholarcli.write import operations
from tests.write.test_commands import BASE, records

# A value for each field (as typed after `field=`), and what the record holds after the set.
SAMPLES: dict[str, tuple[str, object]] = {
    "type": ("book", "book"),
    "title": ("A, B: C", "A, B: C"),
    "authors": ("Doe, J; Roe, K", (Name(family="Doe", given="J"), Name(family="Roe", given="K"))),
    "editors": ("Doe, J", (Name(family="Doe", given="J"),)),
    "translators": ("Smith", (Name(family="Smith"),)),
    "year": ("2021", 2021),
    "month": ("5", 5),
    "day": ("3", 3),
    "original_year": ("1999", 1999),
    "status": ("published", "published"),
    "isbn": ("978-3-16-148410-0", "978-3-16-148410-0"),
    "issn": ("2049-3630", "2049-3630"),
    "doi": ("10.1234/x", "10.1234/x"),
    "eprint_type": ("arxiv", "arxiv"),
    "url": ("https://example.org/a", "https://example.org/a"),
    "accessed": ("2024-01-02", "2024-01-02"),
    "language": ("en", "en"),
    "themes": ("alpha", ("alpha",)),
    "tags": ("a, b", ("a", "b")),
    "keywords": ("surveillance", ("surveillance",)),
    "equal_contribution": ("true", True),
    "featured": ("true", True),
    "preprint_of": ("liu2026imaginary", "liu2026imaginary"),
    "published_as": ("liu2026imaginary", "liu2026imaginary"),
}


# Fields that need another one beside them.
NEEDS = {"day": ["month=5"], "eprint_type": ["eprint=2101.00001"]}


def _run(runner: CliRunner, *args: str):
    return runner.invoke(app, list(args))


@pytest.mark.parametrize("field", [f for f in PUBLICATION_FIELDS if f not in ("id", "extra", "links")])
def test_set_writes_every_field_as_its_kind(runner: CliRunner, make_store, field: str) -> None:
    assert field in operations.FIELD_KINDS, f"'{field}' has no kind in operations.FIELD_KINDS"
    store = make_store(BASE)
    text, expected = SAMPLES.get(field, ("Some text, here", "Some text, here"))
    needs = NEEDS.get(field, [])
    result = _run(runner, "set", "--store", str(store), "liu2022who", *needs, f"{field}={text}")
    changed = ", ".join([*(need.partition("=")[0] for need in needs), field])
    assert (result.exit_code, result.stderr) == (0, f"updated 'liu2022who': {changed}\n"), result.output
    assert getattr(records(store)["liu2022who"], field) == expected
    if field not in ("type", "status", "authors"):  # and `field=` removes it again
        removed = _run(runner, "set", "--store", str(store), "liu2022who", f"{field}=")
        assert removed.exit_code == 0, removed.output
        assert getattr(records(store)["liu2022who"], field) in (None, (), False)


def test_every_field_has_a_kind() -> None:
    assert set(operations.FIELD_KINDS) == set(PUBLICATION_FIELDS)


def test_keywords_and_translators_take_lists(runner: CliRunner, make_store) -> None:
    store = make_store(BASE)
    result = _run(runner, "set", "--store", str(store), "liu2022who", "keywords=a, b", "translators=Doe, J")
    assert (result.exit_code, result.stderr) == (0, "updated 'liu2022who': keywords, translators\n")
    record = records(store)["liu2022who"]
    assert (record.keywords, record.translators) == (("a", "b"), (Name(family="Doe", given="J"),))


def test_extra_is_set_one_key_at_a_time(runner: CliRunner, make_store) -> None:
    store = make_store(BASE)
    path = store / "publications.yaml"
    result = _run(
        runner, "set", "--store", str(store), "liu2022who", "extra.original_key=k@1", "extra.note=a: b"
    )
    assert (result.exit_code, result.stderr) == (0, "updated 'liu2022who': extra.original_key, extra.note\n")
    assert sorted(records(store)["liu2022who"].extra) == [("note", "a: b"), ("original_key", "k@1")]
    result = _run(runner, "set", "--store", str(store), "liu2022who", "extra.note=")
    assert result.exit_code == 0, result.output
    assert records(store)["liu2022who"].extra == (("original_key", "k@1"),)
    before = path.read_bytes()
    for value in ("a", "a: b"):
        refused = _run(runner, "set", "--store", str(store), "liu2022who", f"extra={value}")
        assert (refused.exit_code, refused.stderr) == (
            1,
            f"error: 'extra={value}': set one key of 'extra' with extra.KEY=value (extra.KEY= removes that "
            "key, extra= removes them all)\n",
        )
    assert path.read_bytes() == before
    cleared = _run(runner, "set", "--store", str(store), "liu2022who", "extra=")
    assert cleared.exit_code == 0, cleared.output
    assert records(store)["liu2022who"].extra == ()
    assert "extra" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [["title=   "], ["--title", "   "], ["note= \t "]])
def test_a_blank_value_is_refused_as_the_loader_refuses_it(runner: CliRunner, make_store, args) -> None:
    store = make_store(BASE)
    before = (store / "publications.yaml").read_bytes()
    result = _run(runner, "set", "--store", str(store), "liu2022who", *args)
    field = "note" if "note" in args[0] else "title"
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: '{field}' is blank; give a value, or {field}= with nothing after '=' to remove it\n",
    )
    assert (store / "publications.yaml").read_bytes() == before


# Bytes that are not UTF-8 on the command line (Python passes them on as lone surrogates) --------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["add", "--type", "book", "--title", "A\udcffB", "--author", "A", "--year", "2020"],
            "--title: the byte 0xFF",
        ),
        (
            ["add", "--type", "book", "--title", "T", "--author", "A\udcffB", "--year", "2020"],
            "--author: the byte 0xFF",
        ),
        (["set", "liu2022who", "note=A\udcffB"], "note: the byte 0xFF"),
        (["set", "liu2022who", "--title", "A\udc85B"], "--title: the byte 0x85"),
        (["import", "-", "--theme", "\udcff"], "--theme: the byte 0xFF"),
    ],
)
def test_undecodable_bytes_in_an_argument_are_refused_by_name(
    runner: CliRunner, make_store, args, message
) -> None:
    store = make_store(BASE)
    before = (store / "publications.yaml").read_bytes()
    result = runner.invoke(app, [args[0], "--store", str(store), *args[1:]], input="[]")
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {message} is not text in UTF-8; nothing was written\n",
    )
    assert (store / "publications.yaml").read_bytes() == before


def test_init_refuses_an_undecodable_name(runner: CliRunner, tmp_path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "new"), "--name", "A\udc85B"])
    assert (result.exit_code, result.stderr) == (
        1,
        "error: --name: the byte 0x85 is not text in UTF-8; nothing was written\n",
    )
    assert not (tmp_path / "new").exists()


# A dangling symbolic link as a store file ------------------------------------------------------------


def test_init_refuses_a_dangling_link_and_reads_name_it(runner: CliRunner, tmp_path) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    link = folder / "publications.yaml"
    link.symlink_to(tmp_path / "gone.yaml")
    result = runner.invoke(app, ["init", str(folder)])
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {link}: a symbolic link to a missing file ({tmp_path / 'gone.yaml'}); nothing was changed "
        "(remove the link, or create the file it points to)\n",
    )
    assert link.is_symlink()
    assert not link.exists()
    assert sorted(path.name for path in folder.iterdir()) == ["publications.yaml"]
    for name in ("themes.yaml", "profile.yaml"):
        (folder / name).write_text("", encoding="utf-8")
    shown = runner.invoke(app, ["list", "--store", str(folder)])
    assert (shown.exit_code, shown.stderr) == (
        1,
        f"error: {folder}: not a store, publications.yaml is a symbolic link to a missing file "
        f"({tmp_path / 'gone.yaml'}) (given with --store)\n",
    )


def test_a_preprint_link_names_a_work_of_the_store(runner: CliRunner, make_store) -> None:
    # The write reads back only the changed record; the link is checked against the store's other ids.
    store = make_store(BASE)
    before = (store / "publications.yaml").read_bytes()
    result = _run(runner, "set", "--store", str(store), "liu2022who", "preprint_of=nosuch")
    assert result.exit_code == 1
    assert "'preprint_of': no work has the id 'nosuch'" in result.stderr
    assert (store / "publications.yaml").read_bytes() == before
    linked = _run(runner, "set", "--store", str(store), "liu2022who", "links.pdf=https://example.org/a.pdf")
    assert (linked.exit_code, linked.stderr) == (0, "updated 'liu2022who': links.pdf\n"), linked.output
    assert records(store)["liu2022who"].links == (("pdf", "https://example.org/a.pdf"),)
    removed = _run(runner, "set", "--store", str(store), "liu2022who", "links.pdf=")
    assert removed.exit_code == 0, removed.output
    assert records(store)["liu2022who"].links == ()
