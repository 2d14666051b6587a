"""Which store is used, and reading the embedded default store."""

from __future__ import annotations

from pathlib import Path

import pytest

from scholarcli.errors import StoreNotFoundError
from scholarcli.store import embedded_store_path, locate_store, open_store, user_store_path
from tests.conftest import DEFAULT_STORE


def test_embedded_store_is_the_default_and_read_only() -> None:
    location = locate_store(None, environ={})
    assert location.read_only
    assert location.is_embedded
    assert location.path == embedded_store_path()
    assert "embedded default store" in location.reason


def test_embedded_store_has_the_same_content_as_data_folder() -> None:
    for name in ("profile.yaml", "themes.yaml", "publications.yaml"):
        assert (embedded_store_path() / name).read_bytes() == (DEFAULT_STORE / name).read_bytes()


def test_user_data_folder_wins_over_the_embedded_store(default_store: Path) -> None:
    user = user_store_path()
    user.parent.mkdir(parents=True)
    default_store.rename(user)
    location = locate_store(None, environ={})
    assert (location.path, location.reason, location.read_only) == (user, "the user data folder", False)


def test_environment_variable_wins_over_the_user_folder(default_store: Path) -> None:
    location = locate_store(None, environ={"SCHOLAR_STORE": str(default_store)})
    assert location.path == default_store.resolve()
    assert location.reason == "set by $SCHOLAR_STORE"


def test_option_wins_over_the_environment(default_store: Path, tmp_path: Path) -> None:
    location = locate_store(default_store, environ={"SCHOLAR_STORE": str(tmp_path / "elsewhere")})
    assert location.path == default_store.resolve()
    assert location.reason == "given with --store"


def test_a_named_store_that_is_missing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StoreNotFoundError, match="no such store \\(set by \\$SCHOLAR_STORE\\)"):
        locate_store(None, environ={"SCHOLAR_STORE": str(tmp_path / "nope")})


def test_a_folder_without_the_store_files_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "publications.yaml").write_text("[]\n")
    with pytest.raises(StoreNotFoundError, match=r"not a store, profile\.yaml, themes\.yaml missing"):
        locate_store(tmp_path)


def test_a_file_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("[]\n")
    with pytest.raises(StoreNotFoundError, match="a store is a folder"):
        locate_store(tmp_path / "x.yaml")


def test_the_default_record_is_exactly_right() -> None:
    library = open_store(DEFAULT_STORE).library
    assert library.profile.name == "Chuncheng Liu"
    assert library.profile.native_name == "刘春成"
    assert [t.id for t in library.themes] == [
        "monolith-myth",
        "local-implementation",
        "citizen-response",
        "west-imaginary",
        "metricocracy",
    ]
    assert library.themes[0].title == 'Is there one unified "Big Brother" system?'
    rows = {
        p.id: (
            p.type,
            [n.inverted() for n in p.authors],
            p.year,
            p.title,
            p.container,
            p.volume,
            p.issue,
            p.pages,
            p.doi,
            p.themes,
        )
        for p in library.publications
    }
    assert rows == {
        "liu2019multiple": (
            "article-journal", ["Liu, Chuncheng"], 2019, "Multiple Social Credit Systems in China",
            "Economic Sociology: The European Electronic Newsletter", "21", "1", "22-32", None, ("monolith-myth",),
        ),
        "liu2022who": (
            "article-journal", ["Liu, Chuncheng"], 2022,
            "Who Supports Expanding Surveillance? Exploring Public Opinion of Chinese Social Credit Systems",
            "International Sociology", "37", "3", "391-412", "10.1177/02685809221084446", ("citizen-response",),
        ),
        "trauthgoik2023black": (
            "article-journal", ["Trauth-Goik, Alexander", "Liu, Chuncheng"], 2023,
            "Black or Fifty Shades of Grey? The Power and Limits of the Social Credit Blacklist System in China",
            "Journal of Contemporary China", "32", "144", "1017-1033", "10.1080/10670564.2022.2128638",
            ("citizen-response",),
        ),
        "liu2025trusting": (
            "article-journal", ["Liu, Chuncheng", "Rona-Tas, Akos"], 2025,
            "Trusting by Numbers: An Analysis of a Chinese Social Credit System Governance Infrastructure",
            "Critical Sociology", "51", "6", "1247-1265", None, ("local-implementation",),
        ),
        "liu2025handbook": (
            "chapter", ["Liu, Chuncheng"], 2025, None, "The Oxford Handbook of the Sociology of Machine Learning",
            None, None, "385", None, ("local-implementation",),
        ),
        "liu2026imaginary": (
            "article-journal", ["Liu, Chuncheng", "von Blomberg, Marianne"], 2026, None,
            "Information, Communication & Society", "29", "8", "2374-2390", None, ("west-imaginary",),
        ),
        "liu-metricocracy": (
            "book", ["Liu, Chuncheng"], None, "Metricocracy", None, None, None, None, None, ("metricocracy",),
        ),
    }  # fmt: skip
    handbook = library.get("liu2025handbook")
    assert handbook is not None
    assert [n.inverted() for n in handbook.editors] == ["Borch, Christian", "Pardo-Guerra, Juan Pablo"]
    assert handbook.publisher == "Oxford University Press"
    imaginary = library.get("LIU2026IMAGINARY")
    assert imaginary is not None
    # Equal co-first authors, said per author (issue #14) rather than by the record's flag.
    assert not imaginary.equal_contribution
    assert [name.roles for name in imaginary.authors] == [("equal",), ("equal",)]
    assert imaginary.all_equal
    book = library.get("liu-metricocracy")
    assert book is not None
    assert (book.status, book.publisher) == ("under-contract", "University of California Press")
    assert "Meritown" in (book.abstract or "")
    multiple = library.get("liu2019multiple")
    assert multiple is not None
    # The seed's address is the article's SocArXiv preprint (issue #14): a labelled link, not its url.
    assert multiple.url is None
    assert multiple.links == (("preprint", "https://osf.io/preprints/socarxiv/v9frs"),)
