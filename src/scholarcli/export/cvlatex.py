r"""LaTeX CV publications section (`--format latex`): a fragment to `\input` into a CV.

Sections follow `--group-by` as in the Markdown CV (type by default: Journal Articles, Book Chapters,
Books, ...); inside a section works are newest first and numbered in reverse (`--numbering`): `plain`
gives 5. 4. ... 1., `prefix` gives each type section its letter (J5 ... J1, C for chapters, B for
books; with another grouping the numbers are plain), `none` gives bullets. Citations are the built-in
ASA formatter's (`cite/asa.py`) rendered to LaTeX: the owner bold, equal contribution marked.

Every piece of layout is a `\scholar...` command defined with `\providecommand` (an environment
only when not defined yet), so a CV restyles the list by defining them before the `\input`.

Text from the store is escaped with `export/latex.py`'s rules (the ten specials, `<>|`, ligatures
such as `---`, whitespace). Non-ASCII text stays UTF-8 where pdfLaTeX's `utf8` input encoding sets it
with the T1 and TS1 font encodings (Latin letters with accents, typographic quotes and dashes);
XeLaTeX and LuaLaTeX read all of it. The rest, so that no store can stop a pdfLaTeX run:

- CJK runs (`刘春成`) go in `\scholarcjk{...}`: under pdfLaTeX a `CJK` environment (`CJKutf8`, family
  `\scholarcjkfamily`, `gbsn` by default), under XeLaTeX/LuaLaTeX the text itself (load `xeCJK` or
  `luatexja` and a CJK font to see it); pdfLaTeX without `CJKutf8` stops with a message saying so;
- another Latin letter with accents (`Ḱ`) as accent commands, a Greek letter as its math symbol;
- any other character (`Ⅱ`, Cyrillic) as `\scholarchar{Ⅱ}{II}`: the character under XeLaTeX and
  LuaLaTeX, its compatibility form (or `?`) under pdfLaTeX.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from urllib.parse import quote

from scholarcli.cite.asa import citation
from scholarcli.cite.styled import Rich, Span
from scholarcli.export.base import (
    DEFAULT_MARKS,
    ROLE_LEGENDS,
    ExportOptions,
    WorkExtras,
    fold_preprints,
    used_roles,
    work_extras,
)
from scholarcli.export.latex import accent_command, escape, latex_char
from scholarcli.export.markdown import OTHER_SECTION, Section, group
from scholarcli.model import Library, Publication

# Each type section's number prefix for `--numbering prefix` (section titles from markdown.py).
PREFIXES: dict[str, str] = {
    "Journal Articles": "J",
    "Book Chapters": "C",
    "Books": "B",
    "Conference Papers": "P",
    "Reports": "R",
    "Working Papers and Manuscripts": "W",
    "Theses": "D",
    "Reviews": "V",
    "Encyclopedia Entries": "E",
    "Magazine and Newspaper Articles": "M",
    "Presentations": "T",
    "Data Sets and Software": "S",
    "Web Publications": "O",
    OTHER_SECTION: "X",
}

# LaTeX for the marks a citation puts after names (`Span.mark`); new roles get a command here.
MARK_COMMANDS: dict[str, str] = {
    "equal": r"\scholarequal{}",
    "corresponding": r"\scholarcorresponding{}",
    "student": r"\scholarstudent{}",
    "senior": r"\scholarsenior{}",
}

PREAMBLE = r"""% Publications: a CV section written by scholarcli (scholar export --format latex).
% \input this file into a LaTeX document. pdfLaTeX needs \usepackage[T1]{fontenc} (UTF-8 input is the
% default) and, for CJK names, \usepackage{CJKutf8}; XeLaTeX and LuaLaTeX need nothing (xeCJK or
% luatexja and a CJK font to show CJK names). With hyperref loaded, DOIs and links are clickable.
% Restyle by defining any \scholar... command below with \newcommand before the \input.
\providecommand{\scholarsection}[2]{\section*{#1}}% #1 heading, #2 number of works
\providecommand{\scholarintro}[1]{#1\par}% a theme's summary (--group-by theme)
\providecommand{\scholarlabel}[2]{#1#2.}% #1 prefix (J, C, B, ... or empty), #2 number
\providecommand{\scholarowner}[1]{\textbf{#1}}
\providecommand{\scholarequal}{\textdagger}
\providecommand{\scholarequallegend}{\par\medskip\noindent\scholarequal{} Equal contribution.\par}
\providecommand{\scholarcorresponding}{*}
\providecommand{\scholarstudent}{\textdaggerdbl}
\providecommand{\scholarsenior}{\S}
\providecommand{\scholarlegend}[2]{\par\noindent#1 #2\par}% #1 the mark, #2 what it means
\providecommand{\scholarstatus}[1]{ \textit{(#1)}}
\providecommand{\scholarlink}[2]{\ifdefined\href\href{#1}{#2}\else#2\fi}
\providecommand{\scholarlinks}[1]{ [#1]}% a work's links: \scholarlink{url}{pdf}, ... (issue #14)
\providecommand{\scholarnote}[1]{ #1.}% a linked preprint with no address: Preprint: SocArXiv
\providecommand{\scholaraward}[1]{ \textit{#1.}}
\providecommand{\scholarfeatured}{ (Featured)}
\providecommand{\scholarcjkfamily}{gbsn}
\providecommand{\scholarcjk}[1]{\ifdefined\XeTeXversion#1\else\ifdefined\directlua#1\else
  \ifdefined\CJKfamily\begin{CJK}{UTF8}{\scholarcjkfamily}#1\end{CJK}\else
  \errmessage{scholarcli: CJK text needs \string\usepackage{CJKutf8} with pdfLaTeX (or XeLaTeX)}\fi\fi\fi}
\providecommand{\scholarchar}[2]{\ifdefined\XeTeXversion#1\else\ifdefined\directlua#1\else#2\fi\fi}
\ifcsname scholarpublications\endcsname\else
\newenvironment{scholarpublications}{\list{\textbullet}{\setlength{\labelwidth}{2.5em}%
  \setlength{\leftmargin}{3em}\setlength{\labelsep}{0.5em}}}{\endlist}
\fi
"""

# What pdfLaTeX's utf8 input encoding sets under T1, TS1, OT1 and OMS (the kernel's t1enc.dfu,
# ts1enc.dfu, ot1enc.dfu and omsenc.dfu, TeX Live 2022; each one compiled in a test document).
_PDFLATEX_RANGES = (
    "00A0-0125 0128-0137 0139-013E 0141-0148 014A-0165 0168-017E 0192 01C4-01D4 01E2-01E3 01E6-01EB "
    "01F0 01F4-01F5 0218-021B 0232-0233 0237 02C7 02D8-02D9 02DB 02DD 0E3F 1E02-1E03 1E0D 1E1E-1E21 "
    "1E25 1E30-1E31 1E37 1E43 1E45 1E47 1E5B 1E63 1E6D 1E8E-1E91 1E9E 1EF2-1EF3 200C 2010-2016 "
    "2018-201A 201C-201E 2020-2022 2026 2030-2031 2039-203B 203D 2044 204E 2052 20A1 20A4 20A6 20A9 "
    "20AB-20AC 20B1 2103 2116-2117 211E 2120 2122 2126-2127 212E 2190-2193 2329-232A 2422-2423 "
    "25E6 25EF 266A 27E8-27E9 3008-3009 FB00-FB06"
)


def _ranges(text: str) -> frozenset[str]:
    chars: set[str] = set()
    for item in text.split():
        low, _, high = item.partition("-")
        chars.update(chr(code) for code in range(int(low, 16), int(high or low, 16) + 1))
    return frozenset(chars)


PDFLATEX_UTF8 = _ranges(_PDFLATEX_RANGES)
# The Greek letters plain TeX has as math symbols (no \Alpha: it is an A).
_GREEK = frozenset(
    (
        *("Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"),
        *("alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta"),
        *("vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "varpi", "rho", "varrho"),
        *("sigma", "varsigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega"),
    )
)
_MATH_SYMBOL = re.compile(r"\{\\ensuremath\{\\([A-Za-z]+)\}\}")
# A run of CJK text (with the spaces inside it), a letter with combining accents, or any other
# non-ASCII character. The CJK class is model.py's.
_NON_ASCII = re.compile(
    r"(?P<cjk>[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0002fa1f]+"
    r"(?:[ \u3000]+[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0002fa1f]+)*)"
    r"|(?P<accented>[A-Za-z\u0131\u0237][\u0300-\u036f]+)"
    r"|[^\x00-\x7f]"
)
# What stays as is in a link target (after percent-encoding the rest); `#`, `%` and `&` are then
# written `\#`, `\%` and `\&`, which hyperref's \href reads back inside another command's argument.
_URL_SAFE = ":/?=,;@+!'()*#%&"
_URL_COMMANDS = str.maketrans({"#": r"\#", "%": r"\%", "&": r"\&"})


@functools.lru_cache(maxsize=4096)
def _non_ascii_char(char: str) -> str:
    if char in PDFLATEX_UTF8:
        return char
    accented = accent_command(char)
    if accented is not None:
        return accented
    symbol = _MATH_SYMBOL.fullmatch(latex_char(char))
    if symbol is not None and symbol.group(1) in _GREEK:
        return symbol.group()
    if unicodedata.category(char) in ("Cf", "Mn", "Me"):
        fallback = ""  # invisible, or an accent with no letter to sit on: nothing under pdfLaTeX
    else:
        compatible = unicodedata.normalize("NFKC", char)
        fallback = (
            escape(compatible, ascii_only=False) if compatible != char and compatible.isascii() else "?"
        )
    return r"\scholarchar{" + char + "}{" + fallback + "}"


def _non_ascii(match: re.Match[str]) -> str:
    if match.group("cjk") is not None:
        return r"\scholarcjk{" + match.group() + "}"
    if match.group("accented") is not None:
        return accent_command(match.group()) or "".join(_non_ascii_char(char) for char in match.group())
    return _non_ascii_char(match.group())


def tex_text(text: str) -> str:
    """Any text as LaTeX that pdfLaTeX, XeLaTeX and LuaLaTeX set (see the module docstring)."""
    text = escape(text, ascii_only=False)
    if text.isascii():
        return text
    return _NON_ASCII.sub(_non_ascii, unicodedata.normalize("NFC", text))


def tex_url(url: str) -> str:
    """A link target for `\\scholarlink`: percent-encoded but for URL syntax, `#%&` escaped. `_` and `~`
    are encoded too (`%5F`, `%7E` name the same address) as TeX reads them as commands."""
    encoded = quote(url, safe=_URL_SAFE).replace("_", "%5F").replace("~", "%7E")
    return encoded.translate(_URL_COMMANDS)


def _key(span: Span) -> tuple[bool, bool, str | None, str | None]:
    return span.italic, span.bold, span.link, span.mark


class LatexRenderer:
    """Styled citation text as LaTeX: `\\textit`, `\\scholarowner` (bold), `\\scholarlink`, marks.

    A mark is its `\\scholar...` command (MARK_COMMANDS) unless `commands` leaves its role out (a mark
    chosen with `--marks`), which then prints as text.
    """

    def __init__(self, commands: dict[str, str] | None = None) -> None:
        self.commands = MARK_COMMANDS if commands is None else commands

    def render(self, rich: Rich) -> str:
        pieces: list[str] = []
        for run in _runs(rich):
            first = run[0]
            if first.mark is not None and first.mark in self.commands:
                pieces.append(self.commands[first.mark])
                continue
            raw = "".join(span.text for span in run)
            core = tex_text(raw)
            if not core:
                pieces.append(" " if raw else "")
                continue
            # Spaces stay outside the commands, as the Markdown renderer keeps them outside `*...*`.
            lead = " " if raw[:1].isspace() else ""
            trail = " " if raw[-1:].isspace() else ""
            if first.bold:
                core = r"\scholarowner{" + core + "}"
            if first.italic:
                core = r"\textit{" + core + "}"
            if first.link is not None:
                core = r"\scholarlink{" + tex_url(first.link) + "}{" + core + "}"
            pieces.append(lead + core + trail)
        return " ".join("".join(pieces).split())


def _runs(rich: Sequence[Span]) -> list[list[Span]]:
    runs: list[list[Span]] = []
    for span in rich:
        if runs and _key(runs[-1][0]) == _key(span):
            runs[-1].append(span)
        else:
            runs.append([span])
    return runs


def export(works: Sequence[Publication], library: Library, options: ExportOptions) -> str:
    """The LaTeX publications section of the given works (see the module docstring)."""
    listed, preprints = fold_preprints(works)
    sections = group(listed, library, options.group_by)
    owner = functools.lru_cache(maxsize=None)(library.profile.is_owner)  # names recur across works
    marks = options.role_marks()
    # A role keeps its restylable command while its mark is the default one.
    commands = {role: MARK_COMMANDS[role] for role, mark in marks.items() if mark == DEFAULT_MARKS[role]}
    renderer = LatexRenderer(commands)
    cache: dict[str, str] = {}  # a work under several themes is formatted once

    def cite(publication: Publication) -> str:
        text = cache.get(publication.id)
        if text is None:
            rich = citation(publication, owner=owner, marks=marks)
            text = cache[publication.id] = renderer.render(rich)
        return text

    lines = [PREAMBLE.rstrip("\n")]
    if not sections:
        lines += ["", "No works selected."]
    for section in sections:
        prefix = PREFIXES.get(section.title, "") if options.group_by == "type" else ""
        lines += ["", _section(section), r"\begin{scholarpublications}"]
        for position, publication in enumerate(section.works):
            number = len(section.works) - position  # newest first, numbered in reverse: J5 ... J1
            if options.numbering == "none":
                label = r"\item{}"  # `{}`: a citation opening with `[` is not read as a label
            else:
                label = r"\item[\scholarlabel{" + (prefix if options.numbering == "prefix" else "") + "}{"
                label += f"{number}}}]"
            extras = _extras(work_extras(publication, preprints))
            lines.append(f"{label} {cite(publication)}{_status(publication)}{extras}")
        lines.append(r"\end{scholarpublications}")
    legend = _legend(
        used_roles((work for section in sections for work in section.works), marks), commands, marks
    )
    if legend:
        lines += ["", *legend]
    return "\n".join(lines) + "\n"


def _legend(roles: Sequence[str], commands: dict[str, str], marks: dict[str, str]) -> list[str]:
    """A legend line per role used: `\\scholarequallegend` for the default equal mark (as before roles),
    `\\scholarlegend{mark}{meaning}` for the others."""
    lines = []
    for role in roles:
        if role == "equal" and role in commands:
            lines.append(r"\scholarequallegend")
            continue
        mark = commands.get(role) or tex_text(marks[role])
        lines.append(r"\scholarlegend{" + mark + "}{" + tex_text(ROLE_LEGENDS[role]) + "}")
    return lines


def _section(section: Section) -> str:
    heading = r"\scholarsection{" + tex_text(section.title) + "}{" + str(len(section.works)) + "}"
    if section.intro:
        heading += "\n" + r"\scholarintro{" + tex_text(section.intro) + "}"
    return heading


def _extras(extras: WorkExtras) -> str:
    r"""`\scholarlinks{\scholarlink{url}{pdf}, ...}`, `\scholarnote`, `\scholaraward`, `\scholarfeatured`."""
    text = ""
    links = [
        r"\scholarlink{" + tex_url(url) + "}{" + tex_text(label) + "}"
        for label, url in extras.links
        if url.lower().startswith(("http://", "https://"))
    ]
    if links:
        text += r"\scholarlinks{" + ", ".join(links) + "}"
    if extras.preprint_note:
        text += r"\scholarnote{" + tex_text("Preprint: " + extras.preprint_note) + "}"
    if extras.award:
        text += r"\scholaraward{" + tex_text(extras.award) + "}"
    if extras.featured:
        text += r"\scholarfeatured{}"
    return text


def _status(publication: Publication) -> str:
    if publication.status == "published":
        return ""
    return r"\scholarstatus{" + tex_text(publication.status_label) + "}"
