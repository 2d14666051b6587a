"""The records: publications, names, themes and the owner's profile. Typed, immutable, no I/O.

Field names follow the store format (docs/store-format.md); type names are CSL's, so exporters map from one
vocabulary only.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Generic, TypeVar

T = TypeVar("T")

# The 45 item types of the CSL-JSON schema v1.0.2.
CSL_TYPES: tuple[str, ...] = (
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing", "interview",
    "legal_case", "legislation", "manuscript", "map", "motion_picture", "musical_score", "pamphlet",
    "paper-conference", "patent", "performance", "periodical", "personal_communication", "post",
    "post-weblog", "regulation", "report", "review", "review-book", "software", "song", "speech",
    "standard", "thesis", "treaty", "webpage",
)  # fmt: skip

# Publication states, in the order a work moves through them (the order of undated works in lists).
STATUSES: tuple[str, ...] = (
    "in-preparation",
    "submitted",
    "under-review",
    "revise-and-resubmit",
    "under-contract",
    "forthcoming",
    "in-press",
    "published",
)
STATUS_LABELS: dict[str, str] = {
    "in-preparation": "In preparation",
    "submitted": "Submitted",
    "under-review": "Under review",
    "revise-and-resubmit": "Revise and resubmit",
    "under-contract": "Under contract",
    "forthcoming": "Forthcoming",
    "in-press": "In press",
    "published": "Published",
}

# Every field a publication may have, in the order they are written and shown.
# The fields added for faithful imports (issue #11) sit beside their kin here; in `as_dict` (the JSON
# output) they come after the original twenty, in NEW_FIELDS order, so consumers of the old keys keep working.
PUBLICATION_FIELDS: tuple[str, ...] = (
    "id", "type", "title", "subtitle", "short_title", "authors", "editors", "translators", "year",
    "month", "day", "original_year", "status", "container", "series", "number", "volume", "issue",
    "edition", "pages", "publisher", "place", "event", "event_place", "genre", "isbn", "issn", "doi", "eprint", "eprint_type",
    "url", "links", "accessed", "language", "themes", "tags", "keywords", "equal_contribution", "award",
    "featured", "preprint_of", "published_as", "note", "abstract", "extra",
)  # fmt: skip
# Issue #14's fields: in `as_dict` after NEW_FIELDS, in this order.
CV_FIELDS: tuple[str, ...] = (
    "links",
    "award",
    "featured",
    "preprint_of",
    "published_as",
    "event",
    "event_place",
)
# The labels of `links` a CV knows (any other lower-case slug is allowed too), in the order they show.
LINK_LABELS: tuple[str, ...] = (
    "pdf", "preprint", "code", "data", "slides", "poster", "video", "supplement", "press",
)  # fmt: skip
NEW_FIELDS: tuple[str, ...] = (
    "subtitle", "short_title", "translators", "month", "day", "original_year", "series", "number",
    "edition", "genre", "isbn", "issn", "eprint", "eprint_type", "accessed", "language", "keywords",
    "extra",
)  # fmt: skip
NAME_LIST_FIELDS: tuple[str, ...] = ("authors", "editors", "translators")

# Per-author roles (issue #14), in the order they are stored, shown and marked: `equal` is co-first
# or co-senior contribution, `corresponding` the corresponding author, `student` a student the
# owner supervised, `senior` the senior (last) author.
ROLES: tuple[str, ...] = ("equal", "corresponding", "student", "senior")

# A citation key as BibTeX and biber read one: letters of any script, digits and _:./+-, in any order
# (`averroes/bland`, `пункт3`, `_dalain_2010`, `1984orwell`). The BibTeX specials (`,{}()"#%'=\\`
# and spaces) and other punctuation stay out: they end a key in some reader.
ID_PATTERN = re.compile(r"^[\w:./+-]+\Z")
THEME_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_CJK_CLASS = r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f]"


def fold(text: str) -> str:
    """Text for matching: accents stripped, case folded (`Émile` and `emile` meet)."""
    if text.isascii():  # NFKD changes no ASCII text and strips nothing from it: skip the per-character walk
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def has_cjk(text: str) -> bool:
    # Text whose highest character is below the first CJK block has none: a C-speed test that spares
    # most runs the pattern's ~4 ms compile.
    if not text or max(text) < "\u2e80":
        return False
    return _cjk_pattern().search(text) is not None


@functools.cache
def _cjk_pattern() -> re.Pattern[str]:
    # Compiled on first use: a class with astral ranges takes ~5 ms to compile, paid by every start-up.
    return re.compile(_CJK_CLASS)


# BibTeX's `and others` (et al.): a last name `Name(literal=OTHERS)`, as pandoc's CSL-JSON has it.
OTHERS = "others"


@dataclass(frozen=True, slots=True)
class Name:
    """A person (family, given, particle, suffix) or a body known by one literal name."""

    family: str | None = None
    given: str | None = None
    particle: str | None = None  # "von", "van der": kept with the family name (CSL non-dropping)
    suffix: str | None = None  # "Jr.", "III"
    literal: str | None = None  # "World Health Organization"
    # The author's roles on this work (a subset of ROLES, in ROLES order). Part of the name's value:
    # the same person with and without a role are two Name objects, each written as the store has it.
    roles: tuple[str, ...] = ()

    @property
    def full_family(self) -> str:
        """The family name with its particle: `von Blomberg`."""
        if self.literal is not None:
            return self.literal
        return " ".join(part for part in (self.particle, self.family) if part)

    @property
    def is_cjk(self) -> bool:
        """Written family-name-first with no space (刘春成), as CJK names are."""
        return bool(self.family and has_cjk(self.family) and (not self.given or has_cjk(self.given)))

    def display(self) -> str:
        """The name as it is read in running text: `Marianne von Blomberg`, `刘春成`."""
        if self.literal is not None:
            return self.literal
        if self.is_cjk:
            return f"{self.family}{self.given or ''}"
        text = " ".join(part for part in (self.given, self.full_family) if part)
        return f"{text}, {self.suffix}" if self.suffix else text

    def inverted(self) -> str:
        """The name family first, as in a sorted list: `von Blomberg, Marianne`."""
        if self.literal is not None:
            return self.literal
        if self.is_cjk:
            return self.display()
        parts = [self.full_family]
        if self.given:
            parts.append(self.given)
        if self.suffix:
            parts.append(self.suffix)
        return ", ".join(parts)

    def sort_key(self) -> tuple[str, str]:
        """Sorted by family name, ignoring the particle as library catalogues do."""
        if self.literal is not None:
            return fold(self.literal), ""
        return fold(self.family or ""), fold(self.given or "")

    def as_dict(self) -> dict[str, object]:
        """The JSON form: the parts that are set, and `roles` (a list) only when the name has any."""
        result: dict[str, object] = self._parts()
        if self.roles:
            result["roles"] = list(self.roles)
        return result

    def _parts(self) -> dict[str, object]:
        if self.literal is not None:
            return {"literal": self.literal}
        result: dict[str, object] = {}
        for key in ("family", "given", "particle", "suffix"):
            value = getattr(self, key)
            if value is not None:
                result[key] = value
        return result

    def to_store_value(self) -> object:
        """The name as `publications.yaml` holds it: `Family, Given` text when that reads back to this
        very name, else a mapping whose roles are `role: equal` (one) or `role: [equal, student]`."""
        text = self.to_store_string()
        if text is not None:
            return text
        result = self._parts()
        if self.roles:
            result["role"] = self.roles[0] if len(self.roles) == 1 else list(self.roles)
        return result

    def to_store_string(self) -> str | None:
        """`Family, Given` text when it parses back to this very name, else None (use a mapping)."""
        if self.literal is not None or not self.family or self.roles:
            return None
        parts = [self.full_family, self.suffix, self.given]
        text = ", ".join(part for part in parts if part)
        try:
            return text if parse_name(text) == self else None
        except ValueError:  # a part with a comma (`@book,` from an import): only a mapping holds it
            return None


class NameMemo(Generic[T]):
    """A function of a Name remembered per Name object.

    Stores and the cache share one Name object per spelling, and an identity lookup is much cheaper
    than hashing the dataclass. Each entry keeps its name alive, so an id is never reused while it is
    in the table.
    """

    def __init__(self, compute: Callable[[Name], T]) -> None:
        self.compute = compute
        self.table: dict[int, tuple[Name, T]] = {}

    def __call__(self, name: Name) -> T:
        entry = self.table.get(id(name))
        if entry is not None and entry[0] is name:
            return entry[1]
        if len(self.table) >= 1 << 17:
            self.table.clear()
        value = self.compute(name)
        self.table[id(name)] = (name, value)
        return value


def parse_name(text: str) -> Name:
    """Split a name written with BibTeX's conventions.

    `Family, Given`, `Family, Suffix, Given` or `Given von Family`. Lower-case words before the family
    name are its particle (`von Blomberg, Marianne`). Raises ValueError for a shape we cannot read.
    """
    parts = [part.strip() for part in text.split(",")]
    if any(not part for part in parts) or len(parts) > 3:
        raise ValueError(f"cannot read the name '{text}'; write it as 'Family, Given'")
    if len(parts) == 1:
        words = parts[0].split()
        if len(words) == 1:
            return Name(family=words[0])
        # "Given von Family": the family is the last word; a lower-case run before it is the particle.
        first_lower = next((i for i, w in enumerate(words[:-1]) if w[:1].islower()), None)
        if first_lower is None:
            return Name(family=words[-1], given=" ".join(words[:-1]))
        given = " ".join(words[:first_lower]) or None
        particle = " ".join(words[first_lower:-1])
        return Name(family=words[-1], given=given, particle=particle)
    family_words = parts[0].split()
    particle_words: list[str] = []
    while len(family_words) > 1 and family_words[0][:1].islower():
        particle_words.append(family_words.pop(0))
    family = " ".join(family_words)
    suffix = parts[1] if len(parts) == 3 else None
    given = parts[-1]
    return Name(family=family, given=given, particle=" ".join(particle_words) or None, suffix=suffix)


@dataclass(frozen=True, slots=True)
class Publication:
    """One work of the record. `year` is None only for works not yet out."""

    id: str
    type: str
    title: str | None = None
    authors: tuple[Name, ...] = ()
    editors: tuple[Name, ...] = ()
    year: int | None = None
    status: str = "published"
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    publisher: str | None = None
    place: str | None = None
    doi: str | None = None
    url: str | None = None
    themes: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    equal_contribution: bool = False
    note: str | None = None
    abstract: str | None = None
    # Issue #11's fields. Appended (not interleaved) so positional readers of the old twenty stay right.
    subtitle: str | None = None
    short_title: str | None = None
    translators: tuple[Name, ...] = ()
    month: int | None = None  # 1-12
    day: int | None = None  # a day of `month` (only with a month)
    original_year: int | None = None  # the first edition of a reprint: `[1893] 1984`
    series: str | None = None
    number: str | None = None  # the number in the series, not a journal issue
    edition: str | None = None
    genre: str | None = None  # a thesis or report type: "PhD thesis", "Working paper"
    isbn: str | None = None
    issn: str | None = None
    eprint: str | None = None
    eprint_type: str | None = None  # a slug: arxiv, pubmed, ...
    accessed: str | None = None  # an ISO date, YYYY-MM-DD
    language: str | None = None
    keywords: tuple[str, ...] = ()
    # Any other field of a source, verbatim, as (lower-case field name, value) pairs in source order:
    # a tuple, not a dict, so the frozen record stays hashable.
    extra: tuple[tuple[str, str], ...] = ()
    # Issue #14's fields, appended for the same reason.
    links: tuple[tuple[str, str], ...] = ()  # (label, http(s) URL) in store order: pdf, code, ...
    award: str | None = None  # "Best Paper Award, ASA Section on ..."
    featured: bool = False
    preprint_of: str | None = None  # on a preprint: the id of its published version
    published_as: str | None = None  # the same link, under the other name (either may be used)
    event: str | None = None  # a talk's (or conference paper's) event: "Annual Meeting of the ASA"
    event_place: str | None = None  # where the event was: "Montréal, QC"

    @property
    def published_version(self) -> str | None:
        """The id of the published version, when this record is a preprint linked to it."""
        return self.preprint_of or self.published_as

    @property
    def is_out(self) -> bool:
        """Published or in press: it has (or will have within the year) a final citation."""
        return self.status in ("published", "in-press")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def equal_authors(self) -> bool:
        """Whether equal contribution is marked per author (`role: equal` on some names); then it
        replaces the record's `equal_contribution`, which otherwise means all authors contributed
        equally."""
        return any("equal" in name.roles for name in self.authors)

    def author_roles(self, name: Name) -> tuple[str, ...]:
        """An author's roles on this work, in ROLES order: the name's own, with `equal` for every
        author when the record says `equal_contribution: true` and no name carries `equal` itself."""
        if self.equal_contribution and "equal" not in name.roles and not self.equal_authors:
            return tuple(role for role in ROLES if role == "equal" or role in name.roles)
        return name.roles

    @property
    def all_equal(self) -> bool:
        """Every author contributed equally: the shorthand, or `role: equal` on every author (the
        CSL-JSON `equal-contribution` flag and the `show` view's "(equal)")."""
        if self.equal_authors:  # `role: equal` on some names replaces the flag
            return len(self.authors) > 1 and all("equal" in name.roles for name in self.authors)
        return self.equal_contribution

    @property
    def contributors(self) -> tuple[Name, ...]:
        """The names a work is known by: its authors, or for an edited book its editors."""
        return self.authors or self.editors

    def as_dict(self) -> dict[str, object]:
        """Every field in the documented order; absent values are None (the JSON output shape)."""
        return {
            "id": self.id,
            "type": self.type,
            "title": self.title,
            "authors": [name.as_dict() for name in self.authors],
            "editors": [name.as_dict() for name in self.editors],
            "year": self.year,
            "status": self.status,
            "container": self.container,
            "volume": self.volume,
            "issue": self.issue,
            "pages": self.pages,
            "publisher": self.publisher,
            "place": self.place,
            "doi": self.doi,
            "url": self.url,
            "themes": list(self.themes),
            "tags": list(self.tags),
            # True when all authors contributed equally, by the flag or by `role: equal` on each.
            "equal_contribution": self.all_equal,
            "note": self.note,
            "abstract": self.abstract,
            # The issue #11 fields, after the original keys (docs/formats.md, "Output formats of `list`").
            "subtitle": self.subtitle,
            "short_title": self.short_title,
            "translators": [name.as_dict() for name in self.translators],
            "month": self.month,
            "day": self.day,
            "original_year": self.original_year,
            "series": self.series,
            "number": self.number,
            "edition": self.edition,
            "genre": self.genre,
            "isbn": self.isbn,
            "issn": self.issn,
            "eprint": self.eprint,
            "eprint_type": self.eprint_type,
            "accessed": self.accessed,
            "language": self.language,
            "keywords": list(self.keywords),
            "extra": dict(self.extra),
            # Issue #14's fields, after those (docs/formats.md, "Output formats of `list`").
            "links": dict(self.links),
            "award": self.award,
            "featured": self.featured,
            "preprint_of": self.preprint_of,
            "published_as": self.published_as,
            "event": self.event,
            "event_place": self.event_place,
        }

    def to_store_dict(self) -> dict[str, object]:
        """The record as it is written in `publications.yaml`: set fields only, in the documented order.

        Names become `Family, Given` text where that reads back to the same name, else a mapping.
        The year and the flag are a YAML int and bool only so they are emitted unquoted; the strict loader
        reads every scalar as text and parses it again.
        """
        result: dict[str, object] = {}
        for key in PUBLICATION_FIELDS:
            value = getattr(self, key)
            if key in NAME_LIST_FIELDS:
                if value:
                    result[key] = [name.to_store_value() for name in value]
            elif key in ("themes", "tags", "keywords"):
                if value:
                    result[key] = list(value)
            elif key in ("extra", "links"):
                if value:
                    result[key] = dict(value)
            elif key in ("year", "month", "day", "original_year"):
                if value is not None:
                    result[key] = value
            elif key == "status":
                if value != "published":
                    result[key] = value
            elif key in ("equal_contribution", "featured"):
                if value:
                    result[key] = True
            elif value is not None:
                result[key] = value
        return result


@dataclass(frozen=True, slots=True)
class Theme:
    """A research question that groups works."""

    id: str
    title: str
    summary: str | None = None


@dataclass(frozen=True)  # no slots: the owner's name keys are cached on the instance
class Profile:
    """The store's owner. `name_variants` are the spellings by which they appear among authors."""

    name: str
    native_name: str | None = None
    name_variants: tuple[str, ...] = ()
    field: str | None = None
    affiliation: str | None = None
    homepage: str | None = None
    orcid: str | None = None
    email: str | None = None

    @cached_property
    def _variant_keys(self) -> frozenset[str]:
        keys = {_name_key(self.name)}
        if self.native_name:
            keys.add(_name_key(self.native_name))
        keys.update(_name_key(variant) for variant in self.name_variants)
        return frozenset(keys)

    def is_owner(self, name: Name) -> bool:
        """Whether an author is the owner, under any of the profile's spellings."""
        # Matched as written, never by abbreviating: "Liu, Cheng" is not "Liu, C." unless listed.
        candidates = {_name_key(name.display()), _name_key(name.inverted())}
        return not candidates.isdisjoint(self._variant_keys)


def _name_key(text: str) -> str:
    # "Liu, C." and "Liu, C" are the same spelling; spacing and case do not matter either.
    return " ".join(fold(text).replace(".", " ").split())


@dataclass(frozen=True)
class Library:
    """The whole content of a store: who it belongs to, its themes in order, its works in file order.

    `publications` is any sequence: a tuple when the store was parsed, or (read through the parse
    cache) a sequence that builds each record on first use. Queries read the store's index instead of
    building every record (`query.select`, on a `store.LoadedStore`); the model knows nothing of it.
    """

    profile: Profile
    themes: tuple[Theme, ...] = ()
    publications: Sequence[Publication] = ()
    theme_by_id: dict[str, Theme] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "theme_by_id", {t.id: t for t in self.themes})

    def get(self, publication_id: str) -> Publication | None:
        """The work with this id, written in any case; None if there is none.

        A scan of the records, for code that holds a Library; a command looks works up through
        `query.find_ids`, which reads the store's index instead of building every record.
        """
        wanted = publication_id.casefold()
        return next((work for work in self.publications if work.id.casefold() == wanted), None)
