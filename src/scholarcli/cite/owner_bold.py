"""Set the owner's name in bold inside a reference pandoc rendered (for `--style`).

A CSL style decides how a name is printed ("Liu, C.", "Chuncheng Liu", "Liu C"); we list the forms a
style can give the owner's names on a work and wrap the first form found, word-aligned, in `Strong`
in pandoc's JSON AST. Only text runs (`Str`, `Space`) are searched; links and quotes are entered.
"""

from __future__ import annotations

from collections.abc import Iterable

from scholarcli.model import Name

# Inline containers whose content is a list of inlines at this position of "c".
_CONTAINERS = {
    "Emph": None,
    "Strong": None,
    "Underline": None,
    "SmallCaps": None,
    "Superscript": None,
    "Subscript": None,
    "Strikeout": None,
    "Span": 1,
    "Link": 1,
    "Quoted": 1,
}


def name_forms(name: Name) -> list[str]:
    """The ways a style may print a name, longest first."""
    if name.literal is not None:
        return [name.literal]
    family = name.full_family
    given = name.given or ""
    if name.family and name.is_cjk:
        return [f"{family}{given}"]
    if not given:
        return [family]
    words = given.replace(".", ". ").replace("-", " -").split()
    initials_spaced = " ".join(f"{word.lstrip('-')[0]}." for word in words)
    initials_joined = initials_spaced.replace(" ", "")
    initials_bare = initials_joined.replace(".", "")
    forms = {
        f"{family}, {given}",
        f"{given} {family}",
        f"{family}, {initials_spaced}",
        f"{family}, {initials_joined}",
        f"{initials_spaced} {family}",
        f"{initials_joined} {family}",
        f"{family} {initials_bare}",
        f"{family}, {initials_bare}",
    }
    return sorted(forms, key=lambda form: (-len(form), form))


def bold_names(blocks: list[object], forms: Iterable[str]) -> None:
    """Wrap the first occurrence of each form (longest first) in Strong, in place."""
    ordered = sorted(set(forms), key=lambda form: (-len(form), form))
    for block in blocks:
        if isinstance(block, dict) and block.get("t") in ("Para", "Plain"):
            for form in ordered:
                _bold_in(block["c"], form)


def _bold_in(inlines: list[dict[str, object]], form: str) -> bool:
    """Bold `form` in this inline list (or a nested one). True when it was found."""
    if _bold_run(inlines, form):
        return True
    for inline in inlines:
        kind = inline.get("t")
        if kind in _CONTAINERS and kind != "Strong":
            position = _CONTAINERS[kind]
            content = inline["c"] if position is None else inline["c"][position]  # type: ignore[index]
            if _bold_in(content, form):  # type: ignore[arg-type]  # pandoc JSON: a list of inlines
                return True
    return False


def _bold_run(inlines: list[dict[str, object]], form: str) -> bool:
    # The text of each maximal run of Str/Space, with where each inline starts in it.
    index = 0
    while index < len(inlines):
        if inlines[index].get("t") not in ("Str", "Space"):
            index += 1
            continue
        end = index
        while end < len(inlines) and inlines[end].get("t") in ("Str", "Space"):
            end += 1
        text = "".join(_text(inline) for inline in inlines[index:end])
        at = _find_word(text, form)
        if at >= 0:
            inlines[index:end] = _split_bold(inlines[index:end], at, at + len(form))
            return True
        index = end
    return False


def _text(inline: dict[str, object]) -> str:
    return inline["c"] if inline.get("t") == "Str" else " "  # type: ignore[return-value]


def _find_word(text: str, form: str) -> int:
    start = text.find(form)
    while start >= 0:
        before = text[start - 1 : start]
        after = text[start + len(form) : start + len(form) + 1]
        if not before.isalnum() and not after.isalnum():
            return start
        start = text.find(form, start + 1)
    return -1


def _split_bold(run: list[dict[str, object]], start: int, end: int) -> list[dict[str, object]]:
    """The run with characters [start, end) moved into one Strong."""
    before: list[dict[str, object]] = []
    inside: list[dict[str, object]] = []
    after: list[dict[str, object]] = []
    position = 0
    for inline in run:
        text = _text(inline)
        for target, low, high in ((before, 0, start), (inside, start, end), (after, end, 10**12)):
            piece = text[max(low - position, 0) : max(high - position, 0)]
            if piece:
                target.append(inline if piece == text else {"t": "Str", "c": piece})
        position += len(text)
    return [*before, {"t": "Strong", "c": inside}, *after]
