"""Styled citation text, and renderers that turn it into plain text, Markdown or HTML.

A formatter builds a citation once as spans (text with italic, bold or a link); punctuation is settled
on the plain text of the spans, so every renderer prints the same words with its own markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple, Protocol

from scholarcli.text import visible


class Span(NamedTuple):
    """A run of text with one style. `link` is the URL the run points to, if any.

    `mark` names what a mark after a name means (`"equal"` for equal contribution; issue #14's roles
    such as `"corresponding"` later): plain text and Markdown print the text, a renderer with its own
    form of the mark (the LaTeX CV's `\\scholarequal`) prints that instead.

    A named tuple rather than a dataclass: a citation makes dozens, and tuples are made fastest.
    """

    text: str
    italic: bool = False
    bold: bool = False
    link: str | None = None
    mark: str | None = None


Rich = tuple[Span, ...]

EMPTY: Rich = ()
_END_PUNCTUATION = ".,;:!?"


def plain(text: str, **style: object) -> Rich:
    """One span, or nothing for empty text (so empty parts drop out of joins)."""
    if not text:
        return EMPTY
    return (Span(text, **style),) if style else (Span(text),)  # type: ignore[arg-type]


def text_of(rich: Rich) -> str:
    return "".join(span.text for span in rich)


def styled(rich: Rich, **style: object) -> Rich:
    """The same text with a style added to every span (italic title, bold owner, linked title)."""
    return tuple(span._replace(**style) for span in rich)  # type: ignore[arg-type]  # Span's own fields


def concat(left: Rich, right: Rich) -> Rich:
    """`left` then `right`, settling punctuation where they meet as CSL processors do.

    A period or comma after a closing quote moves inside it ("Title.”), unless the quoted text already
    ends in punctuation; a period after a word that ends in `.`, `?` or `!` is dropped (`Jr. 2019`).
    """
    if not left or not right:
        return left or right
    head = right[0].text[:1]
    if head not in ".,!?":
        return left + right
    first = right[0]
    rest = ((_with_text(first, first.text[1:]),) if len(first.text) > 1 else ()) + right[1:]
    before = _last_chars(left, 2)
    if before.endswith("”") and head in ".,":
        if before[-2:-1] and before[-2] in _END_PUNCTUATION:
            return left + rest
        return _insert_before_last_char(left, head) + rest
    if head == "." and before[-1:] in (".", "?", "!"):
        return left + rest
    return left + right


def _with_text(span: Span, text: str) -> Span:
    return Span(text, span.italic, span.bold, span.link, span.mark)


def _last_chars(rich: Rich, count: int) -> str:
    """The last characters of the text, read from the last spans only (joins stay linear)."""
    tail = ""
    for span in reversed(rich):
        tail = span.text + tail
        if len(tail) >= count:
            break
    return tail[-count:]


def _insert_before_last_char(rich: Rich, text: str) -> Rich:
    spans = [span for span in rich if span.text]
    last = spans[-1]
    return (*spans[:-1], _with_text(last, last.text[:-1] + text + last.text[-1]))


def join(parts: Iterable[Rich], delimiter: str = "") -> Rich:
    """The non-empty parts with a delimiter between them."""
    result: Rich = EMPTY
    for part in parts:
        if not part:
            continue
        result = concat(concat(result, plain(delimiter)), part) if result else part
    return result


def affix(rich: Rich, prefix: str = "", suffix: str = "") -> Rich:
    """Prefix and suffix around non-empty text (nothing around nothing)."""
    if not rich:
        return EMPTY
    return concat(concat(plain(prefix), rich), plain(suffix))


class Renderer(Protocol):
    def render(self, rich: Rich) -> str: ...


class PlainRenderer:
    """The words only: for terminals, `scholar show` and comparisons."""

    def render(self, rich: Rich) -> str:
        return " ".join(text_of(rich).split())


# Characters that start Markdown syntax anywhere in a line (pandoc's and CommonMark's readers).
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|@~^$#])")
_WHITESPACE = re.compile(r"\s+")
_NEEDS_ESCAPE = re.compile(
    "[\\\\`*_\\[\\]<>|@~^$#&:\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]|[^\\S ]"
)
_ENTITY = re.compile(r"&(?=#?\w+;)")
_EMOJI = re.compile(r":(?=[A-Za-z0-9_+\-\\]+:)")  # GitHub's :shortcode: emoji
# What would open a block when it starts a line: a list marker, a quote, a heading underline.
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+=:>])")
_URL_UNSAFE = re.compile(r"[^A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]")


def _escape_inline(text: str) -> str:
    if _NEEDS_ESCAPE.search(text) is None:  # most runs: words, spaces and plain punctuation
        return text
    # Line breaks become spaces; control and bidi characters become visible `\x1b`-style escapes.
    text = visible(_WHITESPACE.sub(" ", text))
    text = _ENTITY.sub("\\\\&", _MARKDOWN_INLINE.sub(r"\\\1", text))
    return _EMOJI.sub("\\\\:", text) if ":" in text else text


def escape_markdown(text: str) -> str:
    """Text that Markdown readers print literally (no emphasis, links, HTML, citations, tables)."""
    return escape_line_start(_escape_inline(" ".join(text.split())))


def escape_line_start(line: str) -> str:
    """Escape a list number (`1984.`) or block marker that would begin the line."""
    return _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", line)


def safe_url(url: str) -> str:
    """A link target with spaces, angle brackets and other unsafe characters percent-encoded."""
    return _URL_UNSAFE.sub(lambda m: "".join(f"%{byte:02X}" for byte in m.group().encode()), url)


class MarkdownRenderer:
    """Markdown (pandoc and CommonMark): `*italic*`, `**bold**`, links; record text escaped."""

    def render(self, rich: Rich) -> str:
        pieces: list[str] = []
        for run in _runs(rich):
            first = run[0]
            raw = "".join(_escape_inline(span.text) for span in run)
            core = raw.strip()
            if not core:
                pieces.append(" " if raw else "")
                continue
            # Markup hugs the words: spaces stay outside `*...*`, or the emphasis would not open.
            lead = " " if raw[:1].isspace() else ""
            trail = " " if raw[-1:].isspace() else ""
            if first.link is not None:
                target = safe_url(first.link)
                is_bare_url = core == _escape_inline(first.link) and target == first.link
                core = f"<{target}>" if is_bare_url else f"[{core}](<{target}>)"
            if first.bold:
                core = f"**{core}**"
            if first.italic:
                core = f"*{core}*"
            pieces.append(lead + core + trail)
        return escape_line_start(" ".join("".join(pieces).split()))


_WEB_URL = re.compile(r"https?://", re.IGNORECASE)
_SPACES = re.compile(" {2,}")
_HTML_SPECIAL = re.compile("[<>&\"']")


def is_web_url(url: str) -> bool:
    """Whether a link may become an `href`: http(s) only, so `javascript:` or `data:` stay text."""
    return _WEB_URL.match(url) is not None


# Unicode noncharacters: U+FDD0..U+FDEF and the last two code points of every plane. HTML makes each
# one a parse error in the input stream.
_NONCHARACTER = re.compile(
    "[\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
    + "]"
)


def _escape_noncharacter(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def escape_html(text: str, *, attribute: bool = False) -> str:
    """Record text as HTML text: whitespace runs are one space, control, bidi and noncharacters
    visible escapes (they would be parse errors or reorder the page), `<`, `>`, `&` escaped, and
    quotes too for an `attribute` value."""
    if text.isprintable() and _HTML_SPECIAL.search(text) is None:
        # Most runs: words, spaces and punctuation. Everything the slow path changes (tabs and line
        # breaks, controls, bidi and noncharacters) is not printable.
        return text
    return html.escape(visible_in_html(_WHITESPACE.sub(" ", text)), quote=attribute)


def visible_in_html(text: str) -> str:
    """`text` with each character HTML forbids or that reorders the page (controls, bidi,
    noncharacters) written as a visible escape; markup is left as it is."""
    text = visible(text)
    if _NONCHARACTER.search(text) is not None:
        text = _NONCHARACTER.sub(_escape_noncharacter, text)
    return text


class HtmlRenderer:
    """HTML: `<i>`, `<strong>` (the owner), `<a href>` for http(s) links only; record text escaped."""

    def render(self, rich: Rich) -> str:
        pieces: list[str] = []
        for run in _runs(rich):
            first = run[0]
            core = "".join(escape_html(span.text) for span in run)
            if not core.strip():
                pieces.append(core)
                continue
            if first.link is not None and is_web_url(first.link):
                core = f'<a href="{escape_html(safe_url(first.link), attribute=True)}">{core}</a>'
            if first.bold:
                core = f"<strong>{core}</strong>"
            if first.italic:
                core = f"<i>{core}</i>"
            pieces.append(core)
        return _SPACES.sub(" ", "".join(pieces)).strip(" ")


def _runs(rich: Sequence[Span]) -> list[list[Span]]:
    """Consecutive spans of the same style, grouped so markup opens and closes once per run."""
    runs: list[list[Span]] = []
    for span in rich:
        key = (span.italic, span.bold, span.link)
        if runs and (runs[-1][0].italic, runs[-1][0].bold, runs[-1][0].link) == key:
            runs[-1].append(span)
        else:
            runs.append([span])
    return runs
