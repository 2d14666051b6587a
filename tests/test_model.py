"""Names, owner recognition and the store shape of a record."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scholarcli import model
from scholarcli.model import CSL_TYPES, Name, Profile, Publication, fold, parse_name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Liu, Chuncheng", Name(family="Liu", given="Chuncheng")),
        ("von Blomberg, Marianne", Name(family="Blomberg", given="Marianne", particle="von")),
        ("de la Fontaine, Jean", Name(family="Fontaine", given="Jean", particle="de la")),
        ("Smith, Jr., John", Name(family="Smith", given="John", suffix="Jr.")),
        ("Trauth-Goik, Alexander", Name(family="Trauth-Goik", given="Alexander")),
        ("Ludwig van Beethoven", Name(family="Beethoven", given="Ludwig", particle="van")),
        ("Søren Kierkegaard", Name(family="Kierkegaard", given="Søren")),
        ("刘春成", Name(family="刘春成")),
        ("Pardo-Guerra, Juan Pablo", Name(family="Pardo-Guerra", given="Juan Pablo")),
    ],
)
def test_parse_name_follows_bibtex_conventions(text: str, expected: Name) -> None:
    assert parse_name(text) == expected


@pytest.mark.parametrize("text", ["Liu,", ", Chuncheng", "a, b, c, d", "Liu,,C"])
def test_parse_name_refuses_shapes_it_cannot_read(text: str) -> None:
    with pytest.raises(ValueError, match="cannot read the name"):
        parse_name(text)


def test_display_and_inverted_forms() -> None:
    marianne = parse_name("von Blomberg, Marianne")
    assert marianne.display() == "Marianne von Blomberg"
    assert marianne.inverted() == "von Blomberg, Marianne"
    assert marianne.sort_key() == ("blomberg", "marianne")
    assert Name(family="刘", given="春成").display() == "刘春成"
    assert Name(literal="World Health Organization").inverted() == "World Health Organization"
    assert parse_name("Smith, Jr., John").display() == "John Smith, Jr."


@given(
    family=st.text(st.characters(categories=["Lu", "Ll", "Lo"]), min_size=1, max_size=12),
    given_name=st.text(st.characters(categories=["Lu", "Ll"]), min_size=1, max_size=12),
)
def test_store_string_reads_back_to_the_same_name(family: str, given_name: str) -> None:
    name = Name(family=family.capitalize(), given=given_name)
    text = name.to_store_string()
    if text is not None:  # a name that the text form cannot carry falls back to a mapping
        assert parse_name(text) == name
    else:
        assert name.as_dict()["family"] == name.family


def test_owner_is_recognised_under_every_variant_but_not_by_abbreviation() -> None:
    profile = Profile(name="Chuncheng Liu", native_name="刘春成", name_variants=("Liu, Chuncheng", "Liu, C."))
    assert profile.is_owner(parse_name("Liu, Chuncheng"))
    assert profile.is_owner(parse_name("Chuncheng Liu"))
    assert profile.is_owner(Name(family="Liu", given="C."))
    assert profile.is_owner(Name(family="Liu", given="C"))
    assert profile.is_owner(Name(family="刘", given="春成"))
    assert not profile.is_owner(parse_name("Liu, Cheng"))
    assert not profile.is_owner(parse_name("Rona-Tas, Akos"))


def test_fold_ignores_accents_and_case() -> None:
    assert fold("Émile Dürkheim") == fold("emile DURKHEIM")


def test_there_are_the_45_csl_types() -> None:
    assert len(CSL_TYPES) == len(set(CSL_TYPES)) == 45


def test_store_dict_keeps_documented_order_and_only_set_fields() -> None:
    publication = Publication(
        id="x2020",
        type="book",
        title="T",
        authors=(parse_name("von Blomberg, Marianne"), Name(literal="WHO")),
        year=2020,
        status="in-press",
        equal_contribution=True,
    )
    assert publication.to_store_dict() == {
        "id": "x2020",
        "type": "book",
        "title": "T",
        "authors": ["von Blomberg, Marianne", {"literal": "WHO"}],
        "year": 2020,
        "status": "in-press",
        "equal_contribution": True,
    }


@given(st.text(alphabet=st.characters() | st.sampled_from(list("aé\u2e7f\u2e80刘\uac00\ud7af\U00020000"))))
def test_has_cjk_is_a_search_for_the_cjk_class(text: str) -> None:
    assert model.has_cjk(text) == (re.search(model._CJK_CLASS, text) is not None)


def test_extra_is_hashable_pairs_written_last() -> None:
    extra = (("isbn", "978-0-00"), ("original_key", "a/b"))
    publication = Publication(id="a", type="book", year=2000, title="T", extra=extra)
    assert dict(publication.extra) == {"isbn": "978-0-00", "original_key": "a/b"}
    assert hash(publication) == hash(Publication(id="a", type="book", year=2000, title="T", extra=extra))
    assert list(publication.to_store_dict())[-1] == "extra"
    assert Publication(id="a", type="book").extra == ()
    assert "extra" not in Publication(id="a", type="book").to_store_dict()
