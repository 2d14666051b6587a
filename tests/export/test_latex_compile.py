"""pdfLaTeX + BibTeX (plain, apalike, plainnat) and pdfLaTeX + biber + biblatex compile a document citing
every entry of the rich store's export (issue #11: every new field, extra fields included)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from scholarcli.export import ExportOptions, export
from scholarcli.query import InMemory, Selection, select
from scholarcli.store import StoreLocation, load_library
from tests.conftest import RICH_STORE, require_program

TEX_PACKAGES = "apt-get install texlive-latex-base texlive-latex-recommended texlive-bibtex-extra biber"


def _export(dialect: str, store: Path) -> tuple[str, list[str]]:
    library = load_library(StoreLocation(store, "test")).library
    works = list(select(InMemory(library), Selection()).works)
    return export(dialect, works, library, ExportOptions()), [work.id for work in works]


def _run(args: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=folder, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.slow
@pytest.mark.parametrize("style", ["plain", "apalike", "plainnat"])
def test_pdflatex_and_bibtex_compile_every_entry(tmp_path: Path, style: str) -> None:
    pdflatex = require_program("pdflatex", TEX_PACKAGES)
    bibtex = require_program("bibtex", TEX_PACKAGES)
    text, ids = _export("bibtex", RICH_STORE)
    (tmp_path / "refs.bib").write_text(text, encoding="ascii")  # the bibtex dialect is pure ASCII
    packages = "\\usepackage{natbib}\n" if style == "plainnat" else ""
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n"
        + packages
        + "\\begin{document}\n"
        + "".join(f"\\cite{{{key}}}\n" for key in ids)
        + f"\\bibliographystyle{{{style}}}\n\\bibliography{{refs}}\n\\end{{document}}\n",
        encoding="utf-8",
    )
    first = _run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], tmp_path)
    assert first.returncode == 0, first.stdout[-3000:]
    result = _run([bibtex, "doc"], tmp_path)
    # Exit 1 is "warnings" (plain.bst warns of an @book with both author and editor); 2 is an error.
    assert result.returncode in (0, 1), result.stdout
    assert "error message" not in result.stdout, result.stdout
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    assert bbl.count("\\bibitem") == len(ids)
    for _ in range(2):
        final = _run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], tmp_path)
        assert final.returncode == 0, final.stdout[-3000:]
    assert "undefined" not in final.stdout.lower().replace("undefined references", ""), final.stdout[-2000:]


@pytest.mark.slow
def test_pdflatex_biber_and_biblatex_compile_every_entry(tmp_path: Path) -> None:
    pdflatex = require_program("pdflatex", TEX_PACKAGES)
    biber = require_program("biber", TEX_PACKAGES)
    text, ids = _export("biblatex", RICH_STORE)
    (tmp_path / "refs.bib").write_text(text, encoding="utf-8")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n"
        "\\usepackage[backend=biber]{biblatex}\n\\addbibresource{refs.bib}\n\\begin{document}\n"
        + "".join(f"\\cite{{{key}}}\n" for key in ids)
        + "\\printbibliography\n\\end{document}\n",
        encoding="utf-8",
    )
    first = _run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], tmp_path)
    assert first.returncode == 0, first.stdout[-3000:]
    result = _run([biber, "doc"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ERROR" not in result.stdout, result.stdout
    final = _run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], tmp_path)
    assert final.returncode == 0, final.stdout[-3000:]
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    assert bbl.count("\\entry{") == len(ids)
