"""What the site formats (Hugo, Jekyll) share: safe file names from ids, YAML front matter, bodies.

A site format is a pure function `(works, library, options) -> dict[relative path, text]`; the files
are put in place by `scholarcli.export.sitewrite` (only what changed, never a file we did not write).
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import yaml

from scholarcli.cite.styled import escape_markdown
from scholarcli.ids import ascii_fold
from scholarcli.model import Publication

# A slug that is safe as one path component everywhere: lower-case ASCII, digits, `-`, `_`, `.`,
# starting with a letter or digit (no hidden files, no `..`).
_SAFE_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*")
_UNSAFE_RUN = re.compile(r"[^a-z0-9]+")
# Names Windows refuses as a file name whatever the extension (a site is often edited on Windows).
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)
_MAX_SLUG = 80


def _hash(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def slug(work_id: str) -> str:
    """A file name for a record id: the id itself when it is already a safe lower-case ASCII name
    (`liu2019multiple`), else its ASCII form with a short hash of the id (`smith2020-1f2e3d4c`).

    Deterministic (the same id always gives the same slug, whatever else is exported) and unique: ids
    are unique ignoring case, and an id that is not kept as it is gets a hash of its exact text, so
    `a/b`, `a:b` and `A-B` get different names. Never `..`, never absolute, never hidden.
    """
    if (
        work_id == work_id.lower()
        and len(work_id) <= _MAX_SLUG
        and _SAFE_SLUG.fullmatch(work_id)
        and work_id.split(".")[0] not in _RESERVED
    ):
        return work_id
    folded = unicodedata.normalize("NFKC", work_id)
    base = _UNSAFE_RUN.sub("-", " ".join(ascii_fold(word) for word in re.split(r"[/:.+\s]", folded))).strip(
        "-"
    )
    base = base[:_MAX_SLUG].strip("-") or "work"
    return f"{base}-{_hash(work_id)}"


def slugs(works: Iterable[Publication]) -> dict[str, str]:
    """Each work's slug, by id. Two slugs that collide (an id spelled like another's hashed slug,
    a 1 in 4 billion chance) are made apart with a longer hash, so no file overwrites another."""
    result: dict[str, str] = {}
    taken: dict[str, str] = {}
    for work in sorted(works, key=lambda work: work.id):
        name = slug(work.id)
        if name.casefold() in taken:
            name = f"{name}-{_hash(work.id, 16)}"
        taken[name.casefold()] = work.id
        result[work.id] = name
    return result


class _Quoted(str):
    """A string value written double-quoted, so YAML never reads it as anything but a string."""


# libyaml's emitter when PyYAML has it (as the store reader uses its loader): the pure-Python one
# takes ~4 ms a page, 40 s for a 10k-work site. Both write the same text for what we give them.
_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _FrontMatterDumper(_BaseDumper):  # type: ignore[valid-type,misc]
    def ignore_aliases(self, data: Any) -> bool:
        # `date: &id001 2026-01-01` / `publishDate: *id001` is valid YAML but surprises every reader.
        return True


def _represent_quoted(dumper: Any, value: _Quoted) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style='"')


_FrontMatterDumper.add_representer(_Quoted, _represent_quoted)


def _quote_strings(value: Any) -> Any:
    if isinstance(value, str):
        return _Quoted(value)
    if isinstance(value, Mapping):
        return {key: _quote_strings(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_quote_strings(item) for item in value]
    return value


def front_matter(fields: Mapping[str, Any]) -> str:
    """A `---` YAML block: every string double-quoted on one line (a line break, `---`, `: `, `#`,
    quotes or `{}` in a title stay inside the string), keys in the given order, UTF-8 kept as is."""
    text = yaml.dump(
        _quote_strings(dict(fields)),
        Dumper=_FrontMatterDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=2**30,  # never fold a line: one key, one line
    )
    return f"---\n{text}---\n"


def escape_body(text: str) -> str:
    """Record text as one Markdown paragraph of a page body: escaped as markdown.py does, and `{`
    and `}` written as the character references `&#123;` `&#125;`, which Markdown prints as braces:
    a backslash would not do, since Liquid (Jekyll) reads `\\{% x` as a tag all the same (and fails
    the build on one left open) and Hugo reads `{{<` as a shortcode before Markdown sees it."""
    return escape_markdown(text).replace("{", "&#123;").replace("}", "&#125;")


def markdown_inline(text: str) -> str:
    """Text for a front-matter field the site renders with `markdownify`: escaped like a body."""
    return escape_body(text)


def work_date(work: Publication) -> datetime.date | None:
    """The work's date for a site (year, and month and day when known); None without a year."""
    if work.year is None:
        return None
    try:
        return datetime.date(work.year, work.month or 1, work.day or 1 if work.month else 1)
    except ValueError:  # a year the date type cannot hold (validation allows it); day/month checked
        return None
