"""Generate realistic synthetic stores (and a matching BibTeX file) for the benchmarks.

Every store is valid under `scholar check`: 1–6 authors per work drawn from a pool of people with
accented, CJK and particle names, titles with LaTeX specials (& % $ # _ { } ~ ^ \\), DOIs, abstracts of
about 100 words, tags and themes. The output is deterministic for a given size and seed.

    python benchmarks/generate.py --sizes 1000,10000,100000 --bibtex 10000

writes benchmarks/stores/store-<N>/{profile,themes,publications}.yaml, store-<N>/meta.json (the author,
word and id the runner queries) and benchmarks/stores/import-<N>.bib.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import textwrap
import unicodedata
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
STORES = HERE / "stores"

FAMILIES = (
    "Müller", "Smith", "Nguyen", "García", "Kowalski", "Okonkwo", "Johansson", "Dürkheim", "Ōsaka",
    "Łukasiewicz", "Ñúñez", "Çelik", "Ødegaard", "Brontë", "Šimić", "Papadopoulos", "Haddad", "Kim",
    "Tanaka", "Rossi", "Dubois", "Ivanova", "Chen", "Silva", "Novák", "Yılmaz", "O'Brien", "MacLeod",
    "Weiß", "Sørensen", "Adeyemi", "Costa", "Fischer", "Hernández", "Jensen", "Lindqvist", "Moreau",
    "Petrović", "Quispe", "Rahman", "Schmidt", "Takahashi", "Urquhart", "Vasquez", "Wójcik", "Zhou",
)  # fmt: skip
GIVENS = (
    "Anna", "Émile", "José", "Zoë", "Chloé", "Jürgen", "Søren", "Ana María", "Wei", "Hiroshi", "Olumide",
    "François", "Agnieszka", "Björn", "Mary Jane", "Raúl", "Ines", "Kai", "Nadia", "Pieter", "Li",
    "Tomás", "Åsa", "Dmitri", "Fatima", "J. R.", "Leila", "Matteo", "Noor", "Oskar",
)  # fmt: skip
PARTICLES = ("von", "van der", "de la", "de", "van", "di", "da", "le")
SUFFIXES = ("Jr.", "III", "Sr.")
CJK_NAMES = (("刘", "春成"), ("王", "芳"), ("李", "娜"), ("张", "伟"), ("陈", "静"), ("佐藤", "健"))
ORGANISATIONS = ("World Health Organization", "Barnes & Noble, Inc.", "UNESCO", "Pew Research Center")

WORDS = (
    "social", "credit", "surveillance", "state", "market", "policy", "data", "governance", "trust",
    "platform", "citizen", "regulation", "urban", "digital", "network", "institution", "labour",
    "inequality", "moral", "economy", "power", "algorithm", "score", "public", "opinion", "welfare",
    "reform", "local", "national", "comparative", "evidence", "survey", "field", "archive", "history",
    "migration", "identity", "rights", "law", "enforcement", "compliance", "risk", "finance", "debt",
    "household", "village", "province", "media", "technology", "expertise", "knowledge", "rural",
    "infrastructure", "bureaucracy", "legitimacy", "participation", "protest", "memory", "gender",
)  # fmt: skip
SPECIAL_TITLE_PARTS = (
    "R&D", "100%", "$5", "#1", "snake_case", "{Braces}", "~Tilde", "^Caret", "a \\ backslash",
    "Łódź", "São Paulo", "Zürich", "Ⅱ", "e-commerce", "COVID-19", "iPhone", "Ōsaka",
)  # fmt: skip
VENUES = (
    "American Journal of Sociology", "Social Forces", "The China Quarterly", "Journal of Money & Credit",
    "Socio-Economic Review", "Big Data & Society", "Revue française de sociologie", "Zeitschrift für Soziologie",
    "Information, Communication & Society", "Theory and Society", "社会学研究", "Law & Society Review",
)  # fmt: skip
PUBLISHERS = ("Oxford University Press", "Presses de l'Université", "Routledge", "Springer", "MIT Press")
PLACES = ("Oxford", "Paris", "London", "Berlin", "Cambridge, MA", "Zürich")
THEMES = (
    ("monolith-myth", "Is there one unified system?"),
    ("citizen-response", "How do citizens respond to scoring?"),
    ("market-credit", "What do commercial credit scores do?"),
    ("local-experiments", "Why do cities experiment?"),
    ("moral-economy", "Which moral economy underpins ratings?"),
    ("data-infrastructure", "What infrastructure carries the data?"),
    ("comparative", "How does China compare with the West?"),
    ("law-enforcement", "How are blacklists enforced?"),
    ("platforms", "What role do platforms play?"),
    ("methods", "How can we study opaque systems?"),
    ("history", "Where does the idea come from?"),
    ("west-imaginary", "How does the West imagine it?"),
)
TYPES = (
    ("article-journal", 60),
    ("chapter", 15),
    ("paper-conference", 8),
    ("book", 6),
    ("report", 6),
    ("thesis", 2),
    ("manuscript", 3),
)
UNFINISHED = ("in-preparation", "under-review", "forthcoming", "in-press")

# What the runner queries; chosen so each filter matches a realistic share of the records.
QUERY_AUTHOR = "Wójcik, Åsa"
QUERY_WORD = "panopticon"


@dataclass(frozen=True)
class Person:
    family: str | None = None
    given: str | None = None
    particle: str | None = None
    suffix: str | None = None
    literal: str | None = None

    def store_form(self) -> str:
        """How the person is written in publications.yaml: `Family, Given` text or a flow mapping."""
        if self.literal is not None:
            return "{literal: " + _quoted(self.literal) + "}"
        if self.family and _is_cjk(self.family):
            return "{family: " + self.family + ", given: " + (self.given or "") + "}"
        family = f"{self.particle} {self.family}" if self.particle else self.family
        parts = [family, self.suffix, self.given] if self.suffix else [family, self.given]
        return _scalar(", ".join(part for part in parts if part))

    def bibtex_form(self) -> str:
        if self.literal is not None:
            return "{" + _bibtex_escape(self.literal) + "}"
        family = f"{self.particle} {self.family}" if self.particle else self.family
        parts = [family, self.suffix, self.given] if self.suffix else [family, self.given]
        return _bibtex_escape(", ".join(part for part in parts if part))


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def _ascii_slug(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z]", "", "".join(c for c in decomposed if not unicodedata.combining(c)).lower())


_PLAIN_SAFE = re.compile(r"^[A-Za-z0-9À-ɏͰ-ϿЀ-ӿ一-鿿][^:#{}\[\],&*!|>'\"%@`]*$")


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _scalar(text: str, *, block: bool = True) -> str:
    """A YAML scalar for one-line text: plain when that reads back as the same string, else quoted.

    Commas are plain only in block context (a flow mapping or list would split on them).
    """
    checked = text.replace(",", "") if block else text
    if _PLAIN_SAFE.match(checked) and not text.endswith(" "):
        return text
    return _quoted(text)


def _people(rng: random.Random) -> list[Person]:
    pool: list[Person] = []
    for family in FAMILIES:
        for given in GIVENS:
            roll = rng.random()
            if roll < 0.08:
                pool.append(Person(family=family, given=given, particle=rng.choice(PARTICLES)))
            elif roll < 0.10:
                pool.append(Person(family=family, given=given, suffix=rng.choice(SUFFIXES)))
            else:
                pool.append(Person(family=family, given=given))
    pool.extend(Person(family=family, given=given) for family, given in CJK_NAMES)
    pool.extend(Person(literal=name) for name in ORGANISATIONS)
    return pool


def _title(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(4, 11))]
    if rng.random() < 0.35:
        words.insert(rng.randrange(len(words)), rng.choice(SPECIAL_TITLE_PARTS))
    title = " ".join(words)
    title = title[0].upper() + title[1:]
    if rng.random() < 0.4:
        title += ": " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6))).capitalize()
    if rng.random() < 0.15:
        title += "?"
    return title


def _abstract(rng: random.Random) -> str:
    sentences = []
    count = 0
    while count < rng.randint(85, 115):
        sentence = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
        if rng.random() < 0.002:  # a rare word (about 2% of abstracts), so a search selects a few works
            sentence.insert(rng.randrange(len(sentence)), QUERY_WORD)
        sentences.append(" ".join(sentence).capitalize() + ".")
        count += len(sentence)
    return " ".join(sentences)


@dataclass(frozen=True)
class Work:
    id: str
    type: str
    title: str
    authors: tuple[Person, ...]
    year: int | None
    status: str
    container: str | None
    volume: str | None
    issue: str | None
    pages: str | None
    publisher: str | None
    place: str | None
    doi: str | None
    themes: tuple[str, ...]
    tags: tuple[str, ...]
    abstract: str
    equal_contribution: bool


def make_works(size: int, seed: int = 20261126) -> list[Work]:
    rng = random.Random(seed + size)
    people = _people(rng)
    kinds = [kind for kind, _ in TYPES]
    weights = [weight for _, weight in TYPES]
    works: list[Work] = []
    for index in range(size):
        kind = rng.choices(kinds, weights)[0]
        authors = tuple(rng.sample(people, rng.choices((1, 2, 3, 4, 5, 6), (20, 30, 22, 14, 8, 6))[0]))
        status = "published" if rng.random() < 0.93 else rng.choice(UNFINISHED)
        year = rng.randint(1990, 2025) if status in ("published", "in-press") else None
        title = _title(rng)
        lead = authors[0]
        slug = _ascii_slug(lead.family or lead.literal or "anon") or "anon"
        work_id = f"{slug}{year or 'nd'}{_ascii_slug(title.split()[0])}{index}"
        journal_like = kind in ("article-journal", "paper-conference")
        container = rng.choice(VENUES) if journal_like or kind == "chapter" else None
        pages = f"{(start := rng.randint(1, 900))}-{start + rng.randint(5, 40)}" if container else None
        works.append(
            Work(
                id=work_id,
                type=kind,
                title=title,
                authors=authors,
                year=year,
                status=status,
                container=container,
                volume=str(rng.randint(1, 80)) if journal_like else None,
                issue=str(rng.randint(1, 12)) if journal_like and rng.random() < 0.8 else None,
                pages=pages,
                publisher=rng.choice(PUBLISHERS) if kind in ("book", "chapter", "report") else None,
                place=rng.choice(PLACES) if kind == "book" else None,
                doi=f"10.{rng.randint(1000, 99999)}/{_ascii_slug(title)[:12]}.{index}"
                if container or rng.random() < 0.5
                else None,
                themes=tuple(rng.sample([theme_id for theme_id, _ in THEMES], rng.randint(1, 3))),
                tags=tuple(
                    rng.sample(("survey", "qualitative", "policy", "r&d", "open-access"), rng.randint(0, 2))
                ),
                abstract=_abstract(rng),
                equal_contribution=len(authors) > 1 and rng.random() < 0.05,
            )
        )
    return works


def store_yaml(works: list[Work]) -> str:
    """publications.yaml text in the style of the default store (mixed plain, quoted and flow forms)."""
    out = ["# Synthetic benchmark records (benchmarks/generate.py); not real data.\n"]
    for work in works:
        lines = [f"\n- id: {work.id}\n  type: {work.type}\n  title: {_scalar(work.title)}\n  authors:\n"]
        lines.extend(f"    - {person.store_form()}\n" for person in work.authors)
        if work.year is not None:
            lines.append(f"  year: {work.year}\n")
        if work.status != "published":
            lines.append(f"  status: {work.status}\n")
        for key in ("container", "volume", "issue", "pages", "publisher", "place", "doi"):
            value = getattr(work, key)
            if value is not None:
                text = _quoted(value) if key in ("volume", "issue") else _scalar(value)
                lines.append(f"  {key}: {text}\n")
        lines.append(f"  themes: [{', '.join(work.themes)}]\n")
        if work.tags:
            lines.append(f"  tags: [{', '.join(_quoted(tag) if '&' in tag else tag for tag in work.tags)}]\n")
        if work.equal_contribution:
            lines.append("  equal_contribution: true\n")
        wrapped = textwrap.wrap(work.abstract, 96)
        lines.append("  abstract: >-\n" + "".join(f"    {line}\n" for line in wrapped))
        out.append("".join(lines))
    return "".join(out)


def themes_yaml() -> str:
    return "".join(f"- id: {theme_id}\n  title: {_quoted(title)}\n" for theme_id, title in THEMES)


PROFILE_YAML = """\
name: Åsa Wójcik
name_variants:
  - Wójcik, Åsa
  - Wójcik, Å.
field: Sociology
affiliation: Synthetic University
"""

_BIBTEX_SPECIALS = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}"}
_BIBTEX_TYPES = {
    "article-journal": "article",
    "chapter": "incollection",
    "paper-conference": "inproceedings",
    "book": "book",
    "report": "techreport",
    "thesis": "phdthesis",
    "manuscript": "unpublished",
}


_PUBSTATES = {
    "in-preparation": "inpreparation",
    "under-review": "submitted",
    "forthcoming": "forthcoming",
    "in-press": "inpress",
}


def _bibtex_escape(text: str) -> str:
    text = text.replace("\\", r"\textbackslash{}").replace("^", r"\^{}")
    return "".join(_BIBTEX_SPECIALS.get(char, char) for char in text)


def bibtex(works: list[Work]) -> str:
    """The same works as BibTeX (UTF-8, LaTeX specials escaped, titles' braces kept balanced)."""
    out = []
    for work in works:
        fields = [("author", " and ".join(person.bibtex_form() for person in work.authors))]
        title = _bibtex_escape(work.title.replace("{", "").replace("}", ""))
        fields.append(("title", title))
        if work.year is not None:
            fields.append(("year", str(work.year)))
        if work.status != "published":  # BibLaTeX's pubstate carries the status of unfinished work
            fields.append(("pubstate", _PUBSTATES[work.status]))
        venue_field = "journal" if work.type == "article-journal" else "booktitle"
        optional = {
            venue_field: work.container,
            "volume": work.volume,
            "number": work.issue,
            "pages": work.pages.replace("-", "--") if work.pages else None,
            "publisher": work.publisher,
            "address": work.place,
            "doi": work.doi,
            "keywords": ", ".join(work.tags) if work.tags else None,
            "abstract": work.abstract,
        }
        fields.extend((key, _bibtex_escape(value)) for key, value in optional.items() if value)
        body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields)
        out.append(f"@{_BIBTEX_TYPES[work.type]}{{{work.id},\n{body}\n}}\n")
    return "\n".join(out)


def write_store(size: int, root: Path = STORES) -> Path:
    works = make_works(size)
    folder = root / f"store-{size}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "profile.yaml").write_text(PROFILE_YAML, encoding="utf-8")
    (folder / "themes.yaml").write_text(themes_yaml(), encoding="utf-8")
    (folder / "publications.yaml").write_text(store_yaml(works), encoding="utf-8")
    meta = {"size": size, "author": QUERY_AUTHOR, "word": QUERY_WORD, "show_id": works[size // 2].id}
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return folder


def write_bibtex(size: int, root: Path = STORES) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    path = root / f"import-{size}.bib"
    path.write_text(bibtex(make_works(size)), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated store sizes")
    parser.add_argument(
        "--bibtex", default="10000", help="comma-separated sizes of BibTeX files ('' for none)"
    )
    parser.add_argument("--out", type=Path, default=STORES, help="output folder")
    args = parser.parse_args(argv)
    for size in (int(s) for s in args.sizes.split(",") if s):
        folder = write_store(size, args.out)
        print(f"{folder}: {size} records", file=sys.stderr)
    for size in (int(s) for s in args.bibtex.split(",") if s):
        print(f"{write_bibtex(size, args.out)}: {size} entries", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
