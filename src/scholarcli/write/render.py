"""Rendering values and records as YAML text in the store's house layout, for writes to splice in.

Each value becomes one line (`render_scalar`) that the strict loader reads back as the same text:
plain where that is certain without the emitter, quoted otherwise; a field (`render_field`) or a
whole record (`render_record`, `render_changed`) becomes the lines a splice puts into the file. This
module knows nothing of the file around them: `outline` says where the lines go.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import yaml

from scholarcli.model import Name, Publication

try:  # the C emitter when PyYAML was built with libyaml
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
# Wide enough that the emitter never folds a scalar over lines: every rendered value is one line.
_NO_WRAP = 1 << 30
_SAFE_PLAIN_DIGIT = re.compile(r"[0-9][^:#\x00-\x1f\x7f]*(?<! )")
_RESOLVER = yaml.resolver.Resolver()
_YAML11_WORDS = frozenset(("y", "n", "yes", "no", "on", "off", "true", "false", "null"))


def _is_safe_plain(text: str) -> bool:
    """Whether printable text YAML reads back as the same string when written bare: it starts with a
    letter (so no indicator, number or date), has no ':' or '#' (no key or comment) and no space at its
    end. The regex `[A-Za-z\u00c0-\U0010ffff][^:#\x00-\x1f\x7f]*(?<! )` says the same (a test holds
    them equal), but its huge class took ~9 ms to compile, a fifth of a small add's own work."""
    first = text[:1]
    return (
        ("a" <= first <= "z" or "A" <= first <= "Z" or first >= "\u00c0")
        and text[-1] != " "
        and ":" not in text
        and "#" not in text
        and (text.isprintable() or not any(char <= "\x1f" or char == "\x7f" for char in text))
    )


def _reads_as_text(text: str) -> bool:
    """Whether a YAML 1.1 reader (not ours, which reads all as text) takes the bare text as a string."""
    return _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str"


def render_scalar(value: object) -> str:
    """One value as a one-line YAML scalar that the strict loader reads back as the same text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _is_safe_plain(text) and text.isprintable() and text.casefold() not in _YAML11_WORDS:
        return text
    if _SAFE_PLAIN_DIGIT.fullmatch(text) and text.isprintable() and _reads_as_text(text):
        return text  # `1-20`, `10.1177/0268...`: bare, as the emitter writes them  # the emitter would write it as is; taking the fast path saves most of an import
    if text.isprintable():  # one line, nothing to escape but the quotes themselves
        if "\\" not in text and '"' not in text:
            return f'"{text}"'
        return "'" + text.replace("'", "''") + "'"
    style = '"' if any(ch in text for ch in "\n\r\t") or not text.isprintable() else None
    dumped = yaml.dump(text, Dumper=_Dumper, allow_unicode=True, width=_NO_WRAP, default_style=style)
    dumped = dumped.removesuffix("\n...\n").rstrip("\n")
    if dumped in ("true", "false", "null", "~") or "\n" in dumped:  # pragma: no cover - emitter quotes these
        dumped = yaml.dump(text, Dumper=_Dumper, allow_unicode=True, width=_NO_WRAP, default_style='"')
        dumped = dumped.rstrip("\n")
    return dumped


def _render_flow(value: Any) -> str:
    return yaml.dump(
        value, Dumper=_Dumper, allow_unicode=True, width=_NO_WRAP, default_flow_style=True, sort_keys=False
    ).rstrip("\n")


def render_field(key: str, value: object, indent: int, newline: str = "\n") -> list[str]:
    """The lines of one field at `indent` columns: names as a block list, themes and tags as `[a, b]`."""
    pad = " " * indent
    if key in ("authors", "editors", "translators"):
        lines = [f"{pad}{key}:{newline}"]
        for name in value:  # type: ignore[attr-defined]
            item = render_scalar(name) if isinstance(name, str) else _render_flow(name)
            lines.append(f"{pad}  - {item}{newline}")
        return lines
    if key in ("themes", "tags", "keywords"):
        return [f"{pad}{key}: {_render_flow(list(value))}{newline}"]  # type: ignore[call-overload]
    if key in (
        "extra",
        "links",
    ):  # a block mapping, each value one scalar line (newlines as escapes: verbatim)
        lines = [f"{pad}{key}:{newline}"]
        for name, text in value.items():  # type: ignore[attr-defined]
            lines.append(f"{pad}  {render_scalar(name)}: {render_scalar(text)}{newline}")
        return lines
    return [f"{pad}{key}: {render_scalar(value)}{newline}"]


def render_record(publication: Publication, newline: str = "\n") -> str:
    """A new record in the store's house style: `- id: ...`, fields in the documented order."""
    lines: list[str] = []
    for key, value in publication.to_store_dict().items():
        lines.extend(render_field(key, value, 2, newline))
    lines[0] = "- " + lines[0][2:]
    return "".join(lines)


def _plain(value: object) -> object:
    """Parsed YAML (YamlMap, YamlList, str) as the dicts, lists and strings the emitter writes."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return value
    raise ValueError(f"cannot render {value!r}")


def render_changed(
    data: dict[str, object], changes: dict[str, object | None], order: Sequence[str], newline: str = "\n"
) -> list[str]:
    """A record in the house layout from its parsed fields with `changes` made (None removes a field):
    the fields in their order, a new one after those `order` puts before it. For a record in a layout
    whose lines cannot be spliced field by field (a flow mapping, quoted keys, ...). Raises ValueError
    for a value that has no text to write (an empty item), which the loader refuses anyway."""
    rank = {name: number for number, name in enumerate(order)}
    fields: list[tuple[str, object]] = [(key, _plain(value)) for key, value in data.items()]
    for key, value in changes.items():
        index = next((i for i, (name, _) in enumerate(fields) if name == key), None)
        if value is None:
            if index is not None:
                del fields[index]
        elif index is not None:
            fields[index] = (key, value)
        else:
            wanted = rank.get(key, len(order))
            after = max(
                (i for i, (name, _) in enumerate(fields) if rank.get(name, len(order)) < wanted), default=-1
            )
            fields.insert(after + 1, (key, value))
    lines: list[str] = []
    for key, value in fields:
        if key in ("authors", "editors", "themes", "tags") and not isinstance(value, list):
            value = [value]  # one name or item given alone: a list of one, as the loader reads it
        if key in ("authors", "editors") or key in ("themes", "tags") or not isinstance(value, (dict, list)):
            lines.extend(render_field(key, value, 2, newline))
        else:  # a mapping or list where text belongs: written as it is, for the loader to refuse
            lines.append(f"  {key}: {_render_flow(value)}{newline}")
    if not lines:
        raise ValueError("a record with no fields")
    lines[0] = "- " + lines[0][2:]
    return lines


def store_value(key: str, publication: Publication) -> object | None:
    """The value `to_store_dict` gives one field (None when the field is not written)."""
    return publication.to_store_dict().get(key)


def names_for_store(names: Sequence[Name]) -> list[object]:
    return [name.to_store_value() for name in names]
