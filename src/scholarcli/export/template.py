"""`scholar export --template FILE`: the selected works rendered through a user's Jinja2 template.

The template runs in Jinja2's `SandboxedEnvironment`: it reads the context below and calls the
filters, but cannot reach Python internals (`works.__class__`, `_private` attributes, unsafe
methods), so a template found on the web cannot run code. Settings, and why:

- `undefined=StrictUndefined`: a misspelt variable or field is an error, not an empty string that
  silently drops a line from a CV;
- autoescape for templates named `*.html`, `*.htm`, `*.xml` (optionally followed by `.j2`, `.jinja`,
  `.jinja2`): every value from the store is HTML-escaped unless a filter returns safe markup;
- `keep_trailing_newline`, `trim_blocks` and `lstrip_blocks`: the output ends as the file does, and a
  line holding only a `{% ... %}` tag leaves no blank line, so line-oriented formats are easy to write;
- `finalize`: a field that is not set (`None`) prints as nothing rather than `None`.

The template's *target* (html, markdown, latex or plain) is read from its name, `cv.md.j2` is
markdown; `citation`, `owner_bold` and `escape` use it unless given another (`work|citation('html')`).

Context: `works` (the selection, in selection order), `groups` (Markdown's `--group-by` sections:
`title`, `works`, `intro`, `counted`; a preprint whose published version is selected too is folded
into it, as `--format markdown` does), `profile`, `themes`, `target`, `marks` (each role's mark in
the built-in citations, after `--marks`; empty with `--style`), `legend` (the lines explaining the
marks the grouped works use, `† Equal contribution.`; empty with `--style`), `equal_marker` and
`equal_legend` (the equal-contribution mark and its line, kept for older templates),
`latex_preamble` (the `\\scholar...` commands LaTeX citations use) and `generated_by`. Nothing in it
depends on the date or the machine, so the output is deterministic.

Each author has `roles` (issue #14: `equal`, `corresponding`, `student`, `senior`; the record's
`equal_contribution` counts as `equal` for every author); each work has the record's `links` (label
-> URL), `award` and `featured`, and `extras`: what a CV shows after the citation (`links` as
(label, URL) pairs, http(s) only, with a folded preprint's address as `preprint`; `preprint_note`
for a folded preprint with no address; `award`; `featured`).
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from scholarcli import __version__
from scholarcli.cite import styled
from scholarcli.cite.asa import doi_url as link
from scholarcli.cite.styled import (
    HtmlRenderer,
    MarkdownRenderer,
    PlainRenderer,
    Renderer,
    escape_html,
    is_web_url,
    safe_url,
    visible_in_html,
)
from scholarcli.errors import ScholarError
from scholarcli.export import Exported
from scholarcli.export.base import (
    ROLE_LEGENDS,
    ExportOptions,
    WorkExtras,
    fold_preprints,
    legend_lines,
    work_extras,
)
from scholarcli.export.cvlatex import PREAMBLE, LatexRenderer, tex_text
from scholarcli.export.markdown import citations, group
from scholarcli.model import STATUS_LABELS, Library, Name, Profile, Publication
from scholarcli.query import select

if TYPE_CHECKING:
    from scholarcli.query import Selection
    from scholarcli.store import LoadedStore

TARGETS = ("html", "markdown", "latex", "plain")
# The target a template writes, from its name (after a `.j2`, `.jinja` or `.jinja2` ending).
_TARGET_OF_SUFFIX = {
    ".html": "html",
    ".htm": "html",
    ".xml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".tex": "latex",
    ".latex": "latex",
}
_TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2")
_AUTOESCAPED = frozenset((".html", ".htm", ".xml"))

# A CSL type as a singular label ("Journal article"); other types read from their name.
TYPE_LABELS: dict[str, str] = {
    "article-journal": "Journal article",
    "article-magazine": "Magazine article",
    "article-newspaper": "Newspaper article",
    "article": "Preprint",
    "chapter": "Book chapter",
    "paper-conference": "Conference paper",
    "entry-encyclopedia": "Encyclopedia entry",
    "entry-dictionary": "Dictionary entry",
    "review-book": "Book review",
    "post-weblog": "Blog post",
    "speech": "Talk",
    "dataset": "Data set",
    "legal_case": "Legal case",
    "motion_picture": "Film",
    "musical_score": "Musical score",
    "personal_communication": "Personal communication",
}
_MONTHS = (
    *("January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
)


class TemplateError(ScholarError):
    """A template that cannot be read or rendered: `FILE:line: message`."""


# The example templates shipped in the package; `--template builtin:cv.md.j2` names one.
BUILTIN_PREFIX = "builtin:"
BUILTIN_FOLDER = Path(__file__).resolve().parent.parent / "templates"


def builtin_templates() -> list[str]:
    """The names of the shipped templates, sorted."""
    return sorted(path.name for path in BUILTIN_FOLDER.glob("*.j2"))


def template_path(name: str | Path) -> Path:
    """The file a `--template` value names: `builtin:NAME` is a shipped template, else a path."""
    text = str(name)
    if not text.startswith(BUILTIN_PREFIX):
        return Path(name)
    builtin = text.removeprefix(BUILTIN_PREFIX)
    if builtin not in builtin_templates():
        raise TemplateError(
            f"no built-in template '{builtin}': the built-in templates are "
            + ", ".join(BUILTIN_PREFIX + known for known in builtin_templates())
        )
    return BUILTIN_FOLDER / builtin


def target_of(name: str) -> str:
    """The target of a template file name: `cv.md.j2` is markdown, `page.html` html, else plain."""
    suffix = _real_suffix(name)
    return _TARGET_OF_SUFFIX.get(suffix, "plain")


def autoescaped(name: str | None) -> bool:
    """Whether a template is HTML or XML by its name, so its values are escaped."""
    return name is not None and _real_suffix(name) in _AUTOESCAPED


def _real_suffix(name: str) -> str:
    path = Path(name.lower())
    if path.suffix in _TEMPLATE_SUFFIXES:
        path = path.with_suffix("")
    return path.suffix


# --- the context ---------------------------------------------------------------------------------
# Plain objects with the values as attributes: the sandbox lets a template read them, and the
# record behind a work is kept in an `_underscore` attribute, which filters use and templates cannot.


class TemplateName:
    """One name: `family`, `given`, `particle`, `suffix`, `literal`, `display` (`Marianne von
    Blomberg`), `inverted` (`von Blomberg, Marianne`), `full_family`, `is_owner`, `roles` (the
    author's roles on the work, in ROLES order). Prints as `display`."""

    def __init__(self, name: Name, is_owner: bool, roles: tuple[str, ...] = ()) -> None:
        self._name = name
        self.family = name.family
        self.given = name.given
        self.particle = name.particle
        self.suffix = name.suffix
        self.literal = name.literal
        self.full_family = name.full_family
        self.display = name.display()
        self.inverted = name.inverted()
        self.is_owner = is_owner
        self.roles = list(roles)

    def __str__(self) -> str:
        return self.display


class TemplateWork:
    """One work: every record field (`as_dict()`'s keys; names as `TemplateName`s, `links` a mapping
    label -> URL), and `status_label`, `type_label`, `is_out`, `extras`. Prints as its id."""

    def __init__(
        self, publication: Publication, owner: Callable[[Name], bool], extras: WorkExtras | None = None
    ) -> None:
        self._publication = publication
        for key, value in publication.as_dict().items():
            setattr(self, key, value)
        self.authors = [
            TemplateName(name, owner(name), publication.author_roles(name)) for name in publication.authors
        ]
        self.editors = [TemplateName(name, owner(name), name.roles) for name in publication.editors]
        self.translators = [TemplateName(name, owner(name), name.roles) for name in publication.translators]
        self.extras = TemplateExtras(extras or work_extras(publication, {}))
        self.status_label = publication.status_label
        self.type_label = TYPE_LABELS.get(publication.type, publication.type.replace("-", " ").capitalize())
        self.is_out = publication.is_out

    def __str__(self) -> str:
        return self._publication.id


class TemplateExtras:
    """What a CV shows after a work's citation: `links` ((label, URL) pairs, http(s) addresses only,
    a folded preprint's address as `preprint`), `preprint_note`, `award`, `featured`."""

    def __init__(self, extras: WorkExtras) -> None:
        self.links = [(label, address) for label, address in extras.links if is_web_url(address)]
        self.preprint_note = extras.preprint_note
        self.award = extras.award
        self.featured = extras.featured


@dataclass
class TemplateGroup:
    """A section as Markdown's `--group-by` makes it."""

    title: str
    works: list[TemplateWork]
    intro: str | None = None
    counted: bool = True


@dataclass
class TemplateProfile:
    name: str
    native_name: str | None = None
    name_variants: list[str] = field(default_factory=list)
    field: str | None = None
    affiliation: str | None = None
    homepage: str | None = None
    orcid: str | None = None
    email: str | None = None


@dataclass
class TemplateTheme:
    id: str
    title: str
    summary: str | None = None


def _profile(profile: Profile) -> TemplateProfile:
    return TemplateProfile(
        profile.name,
        profile.native_name,
        list(profile.name_variants),
        profile.field,
        profile.affiliation,
        profile.homepage,
        profile.orcid,
        profile.email,
    )


# --- rendering -----------------------------------------------------------------------------------


def render_template(
    path: Path, works: Sequence[Publication], library: Library, options: ExportOptions | None = None
) -> str:
    """The template at `path` rendered with the works (see the module docstring). Raises
    TemplateError for a template that cannot be read, parsed or rendered, StyleUnavailableError for
    a `--style` pandoc cannot use."""

    options = options or ExportOptions()
    shown = str(path)
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TemplateError(f"{shown}: cannot read the template: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise TemplateError(
            f"{shown}: the template is not UTF-8 ({exc.reason} at byte {exc.start})"
        ) from None

    loaded = {shown}  # the files read, to find the template lines in an error's frames

    def load(name: str) -> tuple[str, str, Callable[[], bool]]:
        # `{% include %}` and `{% extends %}` read files beside the template (no `..`: Jinja2 refuses it).
        if name == shown:
            return source, shown, lambda: True
        included = path.parent / name
        try:
            text = included.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise jinja2.TemplateNotFound(name) from None
        loaded.add(str(included))
        return text, str(included), lambda: True

    environment = SandboxedEnvironment(
        loader=jinja2.FunctionLoader(load),
        autoescape=autoescaped,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=jinja2.pass_eval_context(_finalize),
    )
    filters = Filters(works, library, options, target_of(shown))
    environment.filters.update(filters.table())
    context = _context(works, library, options, filters)
    try:
        return environment.get_template(shown).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or shown}:{exc.lineno}: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"{_where(exc, shown, loaded)}: template not found: {exc.name}") from None
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
        # A runtime error in the template (an undefined name, the sandbox refusing an attribute, a
        # filter given the wrong value): its line, read from the frames Jinja2 maps to the template.
        raise TemplateError(f"{_where(exc, shown, loaded)}: {_describe(exc)}") from None
    except ScholarError:
        raise
    except ArithmeticError as exc:  # `{{ 1 / 0 }}`
        raise TemplateError(f"{_where(exc, shown, loaded)}: {exc}") from None


def _finalize(eval_context: Any, value: object) -> object:
    """What an expression prints: nothing for an unset field; in an HTML template, control, bidi and
    noncharacters of a value as visible escapes (they are HTML parse errors or reorder the page),
    before autoescape escapes its markup."""
    if value is None:
        return ""
    if eval_context.autoescape and isinstance(value, str) and not hasattr(value, "__html__"):
        return visible_in_html(value)
    return value


def _where(exc: BaseException, shown: str, loaded: set[str]) -> str:
    """`FILE:line` of the innermost template frame of a rendering error (`FILE` alone if none):
    Jinja2 rewrites the traceback so a template's frames carry its file name and line."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename in loaded:
            return f"{frame.filename}:{frame.lineno}"
    return shown


def _describe(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, SecurityError):
        return f"not allowed in a template: {text}"
    if isinstance(exc, jinja2.UndefinedError):
        # Jinja2 names our classes by module path; a template author knows them as a work, a name...
        for cls, what in _OBJECT_NAMES.items():
            text = text.replace(f"'{cls.__module__}.{cls.__name__} object'", what)
        return f"undefined: {text}"
    return text


def _context(
    works: Sequence[Publication], library: Library, options: ExportOptions, filters: Filters
) -> dict[str, object]:
    view = filters.view
    marker = "" if options.style is not None else filters.equal_marker
    marks = {} if options.style is not None else filters.marks
    sections = group(filters.listed, library, options.group_by)
    return {
        "works": [view(work) for work in works],
        "groups": [
            TemplateGroup(
                section.title, [view(work) for work in section.works], section.intro, section.counted
            )
            for section in sections
        ],
        "marks": dict(marks),
        "legend": legend_lines((work for section in sections for work in section.works), marks),
        "profile": _profile(library.profile),
        "themes": [TemplateTheme(theme.id, theme.title, theme.summary) for theme in library.themes],
        "target": filters.target,
        "equal_marker": marker,
        "equal_legend": f"{marker} {ROLE_LEGENDS['equal']}" if marker else "",
        "latex_preamble": PREAMBLE,
        "generated_by": f"scholarcli {__version__}",
    }


class Filters:
    """The filters a template may use; each is documented in docs/cv.md (Templates)."""

    def __init__(
        self, works: Sequence[Publication], library: Library, options: ExportOptions, target: str
    ) -> None:
        self.works = works
        self.library = library
        self.style = options.style
        self.target = target
        self.marks = options.role_marks()
        self.equal_marker = self.marks["equal"]
        self.listed, self.preprints = fold_preprints(works)
        self.owner = functools.lru_cache(maxsize=None)(library.profile.is_owner)
        self._views: dict[str, TemplateWork] = {}
        self._cites: dict[str, Callable[[Publication], str]] = {}

    def view(self, publication: Publication) -> TemplateWork:
        """One object per work, so a work under several themes is built once."""
        work = self._views.get(publication.id)
        if work is None:
            work = self._views[publication.id] = TemplateWork(
                publication, self.owner, work_extras(publication, self.preprints)
            )
        return work

    def table(self) -> dict[str, Callable[..., Any]]:
        return {
            "citation": self.citation,
            "owner_bold": self.owner_bold,
            "names": self.names,
            "date": self.date,
            "escape_latex": escape_latex,
            "escape_markdown": escape_markdown,
            "doi_url": doi_url,
            "url": url,
        }

    def _target(self, target: str | None) -> str:
        chosen = target or self.target
        if chosen not in TARGETS:
            raise ValueError(f"unknown target {chosen!r}: use one of {', '.join(TARGETS)}")
        return chosen

    def citation(self, work: object, target: str | None = None) -> str:
        """`work|citation` or `work|citation('html')`: the work's ASA citation (or `--style`'s) with
        the owner bold, in the target's markup; HTML comes back as safe markup."""

        chosen = self._target(target)
        cite = self._cites.get(chosen)
        if cite is None:
            cite = self._cites[chosen] = self._citations(chosen)
        text = cite(_publication(work, "citation"))
        return Markup(text) if chosen == "html" else text  # noqa: S704  # the renderer escaped it

    def _citations(self, target: str) -> Callable[[Publication], str]:
        if self.style is not None and target not in ("markdown", "html"):
            raise ValueError(f"with --style, citations are markdown or html (pandoc), not {target}")
        renderer: Renderer
        if target == "latex":
            renderer = LatexRenderer()
        elif target == "html":
            renderer = HtmlRenderer()
        elif target == "markdown":
            renderer = MarkdownRenderer()
        else:
            renderer = PlainRenderer()
        cite, _ = citations(self.works, self.library, self.style, renderer, target=target, marks=self.marks)
        return cite

    def owner_bold(self, names: object, target: str | None = None) -> str:
        """`work.authors|owner_bold`: the names as `A, B, and C` with the owner's in bold, each name
        escaped for the target (HTML comes back as safe markup)."""

        chosen = self._target(target)
        escape, bold = _BOLD[chosen]
        parts = []
        for name in _names(names, "owner_bold"):
            text = escape(name.display)
            parts.append(bold(text) if name.is_owner else text)
        joined = _and_list(parts)
        return Markup(joined) if chosen == "html" else joined  # noqa: S704  # each name escaped above

    def names(self, names: object, form: str = "display") -> str:
        """`work.authors|names` (`A, B, and C`) or `|names('inverted')` (`Liu, Chuncheng, and ...`),
        as plain text (autoescape or an `escape_*` filter escapes it)."""
        if form not in ("display", "inverted", "family"):
            raise ValueError(f"names: unknown form {form!r}: use display, inverted or family")
        attribute = "full_family" if form == "family" else form
        return _and_list([str(getattr(name, attribute)) for name in _names(names, "names")])

    def date(self, work: object) -> str:
        """A work's date as text: `2026`, `March 2026`, `March 4, 2026`; its status label (`Under
        review`) when it is not out and has no year; "" for a published work with no year."""
        publication = _publication(work, "date")
        if publication.year is None:
            return "" if publication.is_out else STATUS_LABELS[publication.status]
        if publication.month is None:
            return str(publication.year)
        month = _MONTHS[publication.month - 1]
        if publication.day is None:
            return f"{month} {publication.year}"
        return f"{month} {publication.day}, {publication.year}"


def _publication(work: object, filter_name: str) -> Publication:
    if isinstance(work, TemplateWork):
        return work._publication
    raise TypeError(f"{filter_name}: expected a work (an item of works), got {type(work).__name__}")


def _names(names: object, filter_name: str) -> list[TemplateName]:
    if isinstance(names, TemplateName):
        return [names]
    if isinstance(names, Iterable) and not isinstance(names, str):
        items = list(names)
        if all(isinstance(item, TemplateName) for item in items):
            return items
    raise TypeError(f"{filter_name}: expected a list of names (work.authors), got {type(names).__name__}")


def _and_list(parts: list[str]) -> str:
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + ", and " + parts[-1]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def escape_latex(value: object) -> str:
    """Text as LaTeX (the ten specials, `<>|`, `---`, non-ASCII as the LaTeX CV sets it; CJK and rare
    characters use `\\scholarcjk`/`\\scholarchar` from `latex_preamble`)."""

    return tex_text(_text(value))


def escape_markdown(value: object) -> str:
    """Text that Markdown prints literally (no emphasis, links, HTML, list markers)."""

    return styled.escape_markdown(_text(value))


def doi_url(value: object) -> str:
    """`work|doi_url` or `work.doi|doi_url`: the doi.org link, percent-encoded; "" without a DOI."""

    doi = value._publication.doi if isinstance(value, TemplateWork) else value
    return link(str(doi)) if doi else ""


def url(value: object) -> str:
    """A link target with spaces, angle brackets and other unsafe characters percent-encoded."""

    return safe_url(_text(value))


def _html_escape(text: str) -> str:
    return escape_html(text)


_BOLD: dict[str, tuple[Callable[[str], str], Callable[[str], str]]] = {
    "html": (_html_escape, lambda text: f"<strong>{text}</strong>"),
    "markdown": (escape_markdown, lambda text: f"**{text}**"),
    "latex": (escape_latex, lambda text: r"\scholarowner{" + text + "}"),
    "plain": (str, str),
}


_OBJECT_NAMES: dict[type, str] = {
    TemplateWork: "a work",
    TemplateName: "a name",
    TemplateExtras: "a work's extras",
    TemplateGroup: "a group",
    TemplateProfile: "the profile",
    TemplateTheme: "a theme",
}


def export_template(
    template: str | Path, loaded: LoadedStore, selection: Selection, options: ExportOptions | None = None
) -> Exported:
    """The works of a store that a selection picks, rendered through a template (a path or
    `builtin:NAME`), as `export_selection` gives a format's. Raises BadSelectionError (an unknown
    theme), TemplateError."""

    path = template_path(template)
    works = select(loaded, selection).works
    return Exported(render_template(path, works, loaded.library, options), len(works))
