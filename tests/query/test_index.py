"""The query index: a store read from the parse cache selects, orders and lists exactly the works a parse
does, and the index itself is what `build_index` makes of the parsed records."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scholarcli import store
from scholarcli.export import listing
from scholarcli.model import STATUSES, Library, Name, Profile, Publication, Theme, fold
from scholarcli.query import (
    SORT_KEYS,
    BadSelectionError,
    InMemory,
    Selection,
    YearRange,
    matches,
    select,
    sort_key,
)
from scholarcli.query.index import build_index, content_digest, rebuild
from scholarcli.query.keys import names_text, search_text, sort_keys
from scholarcli.store.cache import parse as cache

LIMITS = (None, 0, 1, 3)

# Filters that are valid on any store (theme filters are added per store, from its own themes).
COMMON_FILTERS: dict[str, dict[str, object]] = {
    "everything": {},
    "author-single-letter": {"author": "l"},
    "author-trailing-space": {"author": "a "},
    "author-leading-space": {"author": " j"},
    "author-separator": {"author": " | "},
    "author-spanning-separator": {"author": "a | "},
    "author-two-names": {"author": "liu, chuncheng | "},
    "author-spanning-two-names": {"author": "beethoven, ludwig | jean"},
    "author-upper": {"author": "LIU"},
    "author-accented": {"author": "Émile"},
    "author-unaccented-upper": {"author": "EMILE DURKHEIM"},
    "author-casefold": {"author": "GÖDEL"},
    "author-unaccented": {"author": "godel"},
    "author-nordic": {"author": "søren"},
    "author-cjk": {"author": "刘"},
    "author-literal": {"author": "world health"},
    "author-particle": {"author": "von blomberg, m"},
    "author-empty": {"author": ""},
    "author-no-match": {"author": "nobody-at-all"},
    "search-one-word": {"search": "sociology"},
    "search-two-words": {"search": "China blacklist"},
    "search-accented": {"search": "Émile"},
    "search-unaccented": {"search": "durkheim OSAKA"},
    "search-note-and-abstract": {"search": "resubmit braces"},
    "search-symbols": {"search": "100% {braces}"},
    "search-polish": {"search": "łódź"},
    "search-polish-ascii": {"search": "LODZ"},
    "search-curly-apostrophe": {"search": "o’"},
    "author-dash-variant": {"author": "pardo–guerra"},
    "author-ascii-nordic": {"author": "soren"},
    "search-blank": {"search": "   "},
    "search-no-match": {"search": "zzzqqq"},
    "venue": {"venue": "sociology"},
    "venue-upper": {"venue": "REVIEW"},
    "venue-compatibility-form": {"venue": "volume ii"},
    "venue-ampersand": {"venue": "&"},
    "year": {"years": YearRange.parse("2022")},
    "year-range": {"years": YearRange.parse("2019..2023")},
    "year-from": {"years": YearRange.parse("2025..")},
    "year-to": {"years": YearRange.parse("..2019")},
    "year-none": {"years": YearRange.parse("1900..1901")},
    "status-published": {"statuses": ("published",)},
    "status-unfinished": {"statuses": ("forthcoming", "in-press", "under-review", "under-contract")},
    "type-article": {"types": ("article-journal",)},
    "types-book-chapter": {"types": ("chapter", "book")},
    "types-other": {"types": ("thesis", "report", "manuscript")},
    "tag": {"tags": ("stress",)},
    "tag-other-case": {"tags": ("R&D",)},
    "tag-unknown": {"tags": ("no-such-tag",)},
    "author-and-search": {"author": "liu", "search": "sociology"},
    "author-and-year": {"author": "émile", "years": YearRange.parse("2015..2020")},
    "venue-and-status": {"venue": "sociolog", "statuses": ("published", "forthcoming")},
    "search-type-year": {"search": "a", "types": ("article-journal",), "years": YearRange.parse("2018..")},
}


@dataclass(frozen=True)
class Libraries:
    """One store read three ways: a cache hit, the cache miss that wrote it, and a parse without it."""

    hit: store.LoadedStore
    miss: store.LoadedStore
    parsed: store.LoadedStore


@pytest.fixture(autouse=True)
def cache_enabled() -> Iterator[None]:
    cache.set_bypass(False)
    yield
    cache.set_bypass(False)


def _read_three_ways(folder: Path) -> Libraries:
    location = store.locate_store(folder)
    miss = store.load_library(location)
    hit = store.load_library(location)
    parsed = store.load_library(location, use_cache=False)
    assert isinstance(hit.library.publications, cache.CachedRecords)
    assert hit.from_cache
    assert isinstance(miss.library.publications, tuple)
    assert miss.from_cache
    assert not parsed.from_cache  # its index is built in memory
    return Libraries(hit=hit, miss=miss, parsed=parsed)


@pytest.fixture(params=["default", "stress"])
def libraries(request: pytest.FixtureRequest, default_store: Path, stress_store: Path) -> Libraries:
    return _read_three_ways(default_store if request.param == "default" else stress_store)


def _theme_filters(library: Library) -> dict[str, dict[str, object]]:
    theme_ids = [theme.id for theme in library.themes]
    filters: dict[str, dict[str, object]] = {
        f"theme-{theme_id}": {"themes": (theme_id,)} for theme_id in theme_ids
    }
    filters["themes-two"] = {"themes": tuple(theme_ids[:2])}
    filters["theme-and-author"] = {"themes": (theme_ids[-1],), "author": "a"}
    return filters


def _orders() -> Iterator[dict[str, object]]:
    for sort, reverse, limit in itertools.product(SORT_KEYS, (False, True), LIMITS):
        yield {"sort": sort, "reverse": reverse, "limit": limit}


def reference(publications: Sequence[Publication], selection: Selection) -> list[Publication]:
    """What a selection means, from the definitions alone: the works that `matches`, sorted by
    `sort_key`, cut to the limit (no index)."""
    chosen = [publication for publication in publications if matches(publication, selection)]
    chosen.sort(key=lambda publication: sort_key(publication, selection.sort), reverse=selection.reverse)
    return chosen if selection.limit is None else chosen[: selection.limit]


def _assert_same_selection(libraries: Libraries, selection: Selection) -> list[Publication]:
    refusal = None
    try:
        selection.check_against(libraries.parsed.library)
    except BadSelectionError as refused:
        refusal = str(refused)
    every = (libraries.hit, libraries.miss, libraries.parsed)
    if refusal is not None:
        # A value the store does not know (a tag no work has) is refused the same way on every path.
        for loaded in every:
            with pytest.raises(BadSelectionError) as raised:
                select(loaded, selection)
            assert str(raised.value) == refusal
        return []
    expected = reference(libraries.parsed.library.publications, selection)
    expected_ids = [publication.id for publication in expected]
    for loaded in every:
        selected = select(loaded, selection)
        assert [publication.id for publication in selected.works] == expected_ids, selection
        assert selected.works == expected, selection
        assert list(selected.tsv_rows()) == list(listing.iter_tsv(expected)), selection
        assert list(selected.id_lines()) == [f"{key}\n" for key in expected_ids]
    return expected


@pytest.mark.parametrize("case", sorted(COMMON_FILTERS))
def test_indexed_selection_equals_the_unindexed_one(libraries: Libraries, case: str) -> None:
    for order in _orders():
        _assert_same_selection(libraries, Selection(**COMMON_FILTERS[case], **order))  # type: ignore[arg-type]


def test_indexed_theme_selection_equals_the_unindexed_one(libraries: Libraries) -> None:
    filters = _theme_filters(libraries.parsed.library)
    chosen = set()
    for filters_of_case in filters.values():
        for order in _orders():
            selection = Selection(**filters_of_case, **order)  # type: ignore[arg-type]
            chosen.update(publication.id for publication in _assert_same_selection(libraries, selection))
    assert chosen == {publication.id for publication in libraries.parsed.library.publications}


@pytest.mark.parametrize("folder", ["default", "stress"])
def test_the_filter_cases_are_not_vacuous(folder: str, default_store: Path, stress_store: Path) -> None:
    """Many cases select some works but not all of them: the equalities above compare real results."""
    libraries = _read_three_ways(default_store if folder == "default" else stress_store)
    total = len(libraries.parsed.library.publications)
    counts = [
        len(reference(libraries.parsed.library.publications, Selection(**filters)))
        for filters in COMMON_FILTERS.values()
    ]  # type: ignore[arg-type]
    assert sum(0 < count < total for count in counts) >= 12
    assert 0 in counts
    assert total in counts


def test_unknown_filter_values_and_negative_limits_are_refused_with_and_without_the_index(
    libraries: Libraries,
) -> None:
    for selection in (
        Selection(themes=("no-such-theme",)),
        Selection(statuses=("done",)),
        Selection(types=("journal-article",)),
        Selection(tags=("no-such-tag",)),
        Selection(limit=-1),
    ):
        for loaded in (libraries.hit, libraries.miss, libraries.parsed):
            with pytest.raises(BadSelectionError):
                select(loaded, selection)


def test_the_cached_index_is_the_index_of_the_parsed_records(libraries: Libraries) -> None:
    """Every index a read can have (a hit, the miss that wrote it, one built in memory) holds what the
    definitions give for the parsed records, computed here directly, not by build_index."""
    works = libraries.parsed.library.publications
    orders = {
        key: sorted(range(len(works)), key=lambda position, key=key: sort_key(works[position], key))
        for key in SORT_KEYS
    }
    for loaded in (libraries.hit, libraries.miss, libraries.parsed):
        index = loaded.index
        assert tuple(index.ids) == tuple(work.id for work in works)
        # Asked for in both directions: an in-memory index computes the first key alone.
        for key in (*SORT_KEYS, *reversed(SORT_KEYS)):
            assert list(index.orders[key]) == orders[key], key
        assert sorted(index.orders) == sorted(SORT_KEYS)
        assert tuple(index.names_texts[:]) == tuple(names_text(work) for work in works)
        assert tuple(index.search_texts[:]) == tuple(search_text(work) for work in works)
        assert tuple(index.tsv_rows[:]) == tuple(listing.tsv_row(work) for work in works)
        assert tuple(index.digests[:]) == tuple(content_digest(work) for work in works)
        assert len(index.names_texts) == len(index.search_texts) == len(index.tsv_rows) == len(works)
    fresh = store.load_library(libraries.parsed.location, use_cache=False).index
    assert list(fresh.orders["title"]) == orders["title"]  # the first key asked for, alone
    assert list(fresh.orders["year"]) == orders["year"]  # then every other at once


def test_a_search_or_plain_listing_from_a_hit_builds_only_what_it_returns(stress_store: Path) -> None:
    libraries = _read_three_ways(stress_store)
    records = libraries.hit.library.publications
    assert isinstance(records, cache.CachedRecords)
    assert records._built.count(None) == len(records)
    for selection in (Selection(), Selection(search="emile", sort="title"), Selection(reverse=True, limit=3)):
        assert list(select(libraries.hit, selection).tsv_rows())
        assert list(select(libraries.hit, selection).id_lines())
    assert records._built.count(None) == len(records), "a TSV or id listing built records"
    chosen = select(libraries.hit, Selection(search="Émile durkheim", limit=2)).works
    assert len(chosen) == 2
    assert sum(record is not None for record in records._built) == 2


# -- property test over the stress store's own values --------------------------------------------------


def _fragment(texts: list[str]) -> st.SearchStrategy[str]:
    """A piece of one of `texts` (possibly empty, spanning a separator), in one of several cases."""

    @st.composite
    def piece(draw: st.DrawFn) -> str:
        text = draw(st.sampled_from(texts))
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 10)))
        return draw(st.sampled_from([str.lower, str.upper, str.title, lambda s: s]))(text[start:end])

    blanks = st.sampled_from(["", "", " ", "  ", "\t"])  # around the needle: stripped, as on the command line
    needle = piece() | st.text(alphabet="aeiou |,.-éÉøß刘łŁØæŒþı'’ʼ`´–—", max_size=4)
    return st.tuples(blanks, needle, blanks).map("".join)


def _selections(library: Library) -> st.SearchStrategy[Selection]:
    publications = library.publications
    name_texts = [names_text(p) for p in publications] + [
        text
        for p in publications
        for name in (*p.authors, *p.editors)
        for text in (name.display(), name.inverted())
    ]
    search_words = [word for p in publications for word in search_text(p).split()] + [
        p.title for p in publications if p.title
    ]
    containers = [p.container for p in publications if p.container]
    years = sorted({p.year for p in publications if p.year is not None})
    bound = st.none() | st.sampled_from(years) | st.sampled_from(years).map(lambda year: year + 1)
    tags = sorted({tag for p in publications for tag in p.tags})
    types = [*sorted({p.type for p in publications}), "book", "dataset"]

    def small_tuple(values: list[str]) -> st.SearchStrategy[tuple[str, ...]]:
        return st.lists(st.sampled_from(values), max_size=2, unique=True).map(tuple)

    return st.builds(
        Selection,
        themes=small_tuple([theme.id for theme in library.themes]),
        types=small_tuple(types),
        years=st.none() | st.builds(YearRange, bound, bound),
        author=st.none() | _fragment(name_texts),
        venue=st.none() | _fragment(containers),
        statuses=small_tuple(list(STATUSES)),
        tags=small_tuple([*tags, *(tag.upper() for tag in tags), "none"]),
        search=st.none()
        | _fragment(search_words)
        | st.lists(_fragment(search_words), min_size=2, max_size=3).map(" ".join),
        sort=st.sampled_from(SORT_KEYS),
        reverse=st.booleans(),
        limit=st.none() | st.integers(0, 12),
    )


def test_random_selections_agree_with_and_without_the_index(stress_store: Path) -> None:
    libraries = _read_three_ways(stress_store)

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_selections(libraries.parsed.library))
    def check(selection: Selection) -> None:
        _assert_same_selection(libraries, selection)

    check()


# -- build_index on made-up records -----------------------------------------------------------------


def _work(work_id: str, **fields: object) -> Publication:
    defaults: dict[str, object] = {
        "type": "article-journal",
        "title": "Same Title",
        "authors": (Name(family="Doe", given="Jane"),),
        "year": 2020,
        "container": "Same Journal",
    }
    return Publication(id=work_id, **{**defaults, **fields})  # type: ignore[arg-type]


def test_build_index_orders_are_permutations_with_ties_broken_by_id() -> None:
    # Identical but for the id, in no particular order: every key ties until the id (compared
    # ignoring case, so "B" goes between "a" and "c", not before them as in code-point order).
    works = [_work("c3"), _work("B2"), _work("a1"), _work("D4")]
    index = build_index(works)
    assert index.ids == ("c3", "B2", "a1", "D4")
    assert set(index.orders) == set(SORT_KEYS)
    for key in SORT_KEYS:
        assert [works[position].id for position in index.orders[key]] == ["a1", "B2", "c3", "D4"], key


def test_build_index_orders_follow_sort_key() -> None:
    works = [
        _work("dated-old", year=2001, title="Zebra", container="Alpha"),
        _work("untitled", title=None, year=2010, container=None),
        _work("draft", year=None, status="in-preparation", title="Middle"),
        _work("press", year=None, status="forthcoming", title="middle"),
        _work("edited", authors=(), editors=(Name(family="Ábel", given="Anna"),), year=2010),
        _work("new", year=2024, authors=(Name(literal="Zeta Group"),), title="Ápple"),
        _work("tie-b", year=2010),
        _work("tie-a", year=2010),
    ]
    index = build_index(works)
    for work in works:
        assert sort_keys(work) == {key: sort_key(work, key) for key in SORT_KEYS}
    for key in SORT_KEYS:
        order = list(index.orders[key])
        assert sorted(order) == list(range(len(works))), key
        expected = sorted(range(len(works)), key=lambda position, key=key: sort_key(works[position], key))
        assert order == expected, key
        assert [works[p] for p in order] == reference(works, Selection(sort=key))  # type: ignore[arg-type]
        assert [works[p] for p in reversed(order)] == reference(works, Selection(sort=key, reverse=True))  # type: ignore[arg-type]
    ids = [works[position].id for position in index.orders["title"]]
    assert ids[0] == "new"  # "Ápple" folds to "apple"
    assert ids[-1] == "untitled"
    assert [works[position].id for position in index.orders["year"]][:3] == ["press", "draft", "new"]
    assert tuple(index.names_texts) == rebuild("names_texts", works)
    assert index.names_texts[4] == "anna abel | abel, anna"
    assert tuple(index.search_texts) == tuple(search_text(work) for work in works)
    assert tuple(index.tsv_rows) == tuple(listing.tsv_row(work) for work in works)


_NAME_PARTS = st.text(alphabet="aAéÉøØßıİ\u0301 -.刘春łŁæÆœþđ'’ʼ´–", min_size=1, max_size=6).filter(str.strip)
_NAMES = st.one_of(
    st.builds(Name, family=_NAME_PARTS, given=st.none() | _NAME_PARTS, particle=st.none() | st.just("von")),
    st.builds(Name, literal=_NAME_PARTS),
)


@st.composite
def _made_up_works(draw: st.DrawFn) -> list[Publication]:
    """Works unlike any store's: odd names, accents and combining marks, shared titles and years."""
    count = draw(st.integers(0, 8))
    ids = draw(
        st.lists(
            st.sampled_from(["a", "B", "c", "D", "e1", "F2", "g", "H"]),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    works = []
    for work_id in ids:
        status = draw(st.sampled_from(STATUSES))
        works.append(
            _work(
                work_id,
                title=draw(
                    st.none() | st.sampled_from(["Same Title", "same title", "Ábc", "abc", "\u0301x"])
                ),
                authors=tuple(draw(st.lists(_NAMES, max_size=3))),
                editors=tuple(draw(st.lists(_NAMES, max_size=2))),
                year=None if status != "published" else draw(st.none() | st.sampled_from([2001, 2002])),
                status=status,
                container=draw(st.none() | st.sampled_from(["Review", "réview", "Z", "Łódź–Review"])),
                themes=tuple(draw(st.lists(st.sampled_from(["alpha", "beta"]), max_size=2, unique=True))),
                tags=tuple(draw(st.lists(st.sampled_from(["x", "X", "ß"]), max_size=2))),
            )
        )
    return works


@settings(max_examples=25, deadline=None)
@given(
    works=_made_up_works(),
    author=st.none() | st.text(alphabet="aeéø |,刘\u0301lŁo'’`´-—", max_size=3),
    search=st.none() | st.text(alphabet="aeéø ,x\u0301lŁ'‘-‐", max_size=3),
    venue=st.none() | st.text(alphabet="rlodzŁ-–", max_size=3),
    tags=st.lists(st.sampled_from(["x", "SS", "ss"]), max_size=1).map(tuple),
    sort=st.sampled_from(SORT_KEYS),
    reverse=st.booleans(),
    limit=st.none() | st.integers(0, 4),
)
def test_an_index_of_made_up_works_selects_as_select_does(
    works: list[Publication],
    author: str | None,
    search: str | None,
    venue: str | None,
    tags: tuple[str, ...],
    sort: str,
    reverse: bool,
    limit: int | None,
) -> None:
    profile = Profile(name="Test Person")
    themes = (Theme("alpha", "Alpha?"), Theme("beta", "Beta?"))
    library = InMemory(Library(profile, themes, tuple(works)))
    selection = Selection(
        author=author, search=search, venue=venue, tags=tags, sort=sort, reverse=reverse, limit=limit
    )  # type: ignore[arg-type]
    if tags and not {fold(tag) for work in works for tag in work.tags} >= {fold(tag) for tag in tags}:
        with pytest.raises(BadSelectionError, match=r"^--tag '.*': no work in this store has this tag"):
            select(library, selection)
        return
    expected = reference(works, selection)
    selected = select(library, selection)
    assert selected.works == expected
    assert list(selected.tsv_rows()) == list(listing.iter_tsv(expected))
    assert list(selected.id_lines()) == [work.id + "\n" for work in expected]


def test_build_index_of_no_records() -> None:
    index = build_index([])
    assert index.ids == ()
    assert all(list(order) == [] for order in index.orders.values())
    assert (tuple(index.names_texts), tuple(index.search_texts), tuple(index.tsv_rows)) == ((), (), ())


# -- the author filter's documented contract ----------------------------------------------------------


# A needle with a space at one end can span the ' | ' between two names (found by these tests: the
# name-by-name shortcut once missed it).
@pytest.mark.parametrize("needle", ["beethoven, ludwig ", " jean de la"])
def test_author_filter_is_a_substring_of_the_joined_names_text(stress_store: Path, needle: str) -> None:
    loaded = store.load_library(store.locate_store(stress_store), use_cache=False)
    expected = [p.id for p in loaded.library.publications if fold(needle) in names_text(p)]
    assert expected == ["names2019"]
    assert [p.id for p in select(loaded, Selection(author=needle)).works] == expected
    assert [p.id for p in reference(loaded.library.publications, Selection(author=needle))] == expected


def test_a_content_digest_depends_on_the_values_alone(default_store: Path) -> None:
    """Equal records digest equal in another process and whatever their strings' identity; any
    changed field changes the digest."""
    import dataclasses
    import subprocess
    import sys

    from scholarcli.query.index import content_digest

    publications = store.parse_library(store.locate_store(default_store)).library.publications
    mine = [content_digest(publication) for publication in publications]
    script = (
        "import sys\nfrom scholarcli import store\nfrom scholarcli.query.index import content_digest\n"
        "works = store.parse_library(store.locate_store(sys.argv[1])).library.publications\n"
        "print(' '.join(content_digest(work) for work in works))"
    )
    other = subprocess.run(
        [sys.executable, "-c", script, str(default_store)], capture_output=True, text=True, check=True
    )
    assert other.stdout.split() == mine
    first = publications[0]
    copied = dataclasses.replace(first, title="".join(list(first.title or "")))  # an equal, new string
    assert content_digest(copied) == mine[0]
    assert len(set(mine)) == len(mine)
    for field, value in [("title", "Another"), ("year", 1999), ("authors", ()), ("equal_contribution", True)]:
        assert content_digest(dataclasses.replace(first, **{field: value})) != mine[0], field
    renamed = dataclasses.replace(first.authors[0], given="Someone")
    assert content_digest(dataclasses.replace(first, authors=(renamed, *first.authors[1:]))) != mine[0]


# -- the search key's folds (issue #12, item 17) -----------------------------------------------------

# Each character and the spellings a search may use for it: all fold to the same key.
_VARIANTS: dict[str, tuple[str, ...]] = {
    "a": ("a", "A", "á", "Å"),
    "ł": ("ł", "Ł", "l", "L"),
    "ø": ("ø", "Ø", "o", "O", "ö"),
    "æ": ("æ", "Æ", "ae", "AE"),
    "œ": ("œ", "Œ", "oe"),
    "ß": ("ß", "ss", "SS", "ẞ"),
    "þ": ("þ", "Þ", "th", "TH"),
    "ı": ("ı", "i", "I", "İ"),
    "đ": ("đ", "Đ", "ð", "d"),
    "'": ("'", "’", "ʼ", "‘", "`", "´", "′"),
    "-": ("-", "–", "—", "‐", "‑", "−", "‒", "―"),
    " ": (" ",),
}


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet="".join(_VARIANTS), min_size=1, max_size=10).filter(str.strip),
    data=st.data(),
)
def test_any_spelling_of_a_piece_of_a_text_finds_it_with_and_without_the_index(
    text: str, data: st.DataObject
) -> None:
    def spell(piece: str) -> str:
        return "".join(data.draw(st.sampled_from(_VARIANTS[char])) for char in piece)

    stored = spell(text)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    needle = spell(text[start:end])
    work = _work("w", title=stored, container=stored, authors=(Name(literal=stored),))
    other = _work("x", title="zzz", container="zzz", authors=(Name(literal="zzz"),))
    works = [work, other]
    profile = Profile(name="Test Person")
    library = InMemory(Library(profile, (), tuple(works)))
    for selection in (Selection(author=needle), Selection(venue=needle), Selection(search=needle)):
        if selection.search is not None and not needle.strip():
            continue
        unindexed_ids = [found.id for found in reference(works, selection)]
        assert "w" in unindexed_ids, (stored, selection)
        assert [found.id for found in select(library, selection).works] == unindexed_ids, (stored, selection)
