"""`--format latex` (the LaTeX CV section): golden files, numbering, owner and equal-contribution marks,
escaping of untrusted text, and real pdfLaTeX and XeLaTeX runs over the default, stress and rich stores."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from scholarcli.cli.app import app
from scholarcli.export import ExportOptions, export
from scholarcli.export.cvlatex import PDFLATEX_UTF8, tex_text, tex_url
from scholarcli.model import Library, Name, Profile, Publication
from scholarcli.query import InMemory, Selection, select
from scholarcli.store import open_store
from tests.conftest import (
    DEFAULT_STORE,
    REPO,
    REQUIRE_EXTERNAL_ENV,
    RICH_STORE,
    STRESS_STORE,
    require_program,
)

GOLDEN = REPO / "tests" / "golden" / "latex"
STORES = {"default": DEFAULT_STORE, "stress": STRESS_STORE, "rich": RICH_STORE}
TEX_PACKAGES = (
    "apt-get install texlive-latex-base texlive-latex-recommended texlive-xetex texlive-lang-cjk "
    "latex-cjk-chinese latex-cjk-chinese-arphic-gbsn00lp fonts-arphic-gbsn00lp"
)
# (store, grouping, numbering) of each golden file.
GOLDENS = [(name, "type", "prefix") for name in STORES] + [
    ("default", "year", "plain"),
    ("default", "theme", "none"),
]


def export_store(store_name: str, group_by: str = "type", numbering: str = "prefix") -> str:
    library = open_store(STORES[store_name]).library
    works = select(InMemory(library), Selection()).works
    return export("latex", works, library, ExportOptions(group_by=group_by, numbering=numbering))  # type: ignore[arg-type]


def items(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("\\item")]


@pytest.mark.parametrize(("store_name", "group_by", "numbering"), GOLDENS)
def test_golden_file(store_name: str, group_by: str, numbering: str, update_golden: bool) -> None:
    text = export_store(store_name, group_by, numbering)
    golden = GOLDEN / f"{store_name}-store-{group_by}-{numbering}.tex"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
    assert golden.is_file(), f"{golden} is missing; run pytest --update-golden and review it"
    assert text.encode("utf-8") == golden.read_bytes()


def test_sections_by_type_numbered_in_reverse_with_prefixes() -> None:
    text = export_store("default")
    sections = re.findall(r"^\\scholarsection\{([^}]*)\}\{(\d+)\}$", text, re.MULTILINE)
    assert sections == [("Journal Articles", "5"), ("Book Chapters", "1"), ("Books", "1")]
    labels = re.findall(r"^\\item\[\\scholarlabel\{(\w*)\}\{(\d+)\}\]", text, re.MULTILINE)
    assert labels == [("J", "5"), ("J", "4"), ("J", "3"), ("J", "2"), ("J", "1"), ("C", "1"), ("B", "1")]


def test_plain_numbers_and_none() -> None:
    plain = items(export_store("default", numbering="plain"))
    assert [re.match(r"\\item\[\\scholarlabel\{\}\{(\d+)\}\]", line).group(1) for line in plain] == [  # type: ignore[union-attr]
        "5", "4", "3", "2", "1", "1", "1",
    ]  # fmt: skip
    assert all(line.startswith("\\item{} ") for line in items(export_store("default", numbering="none")))


def test_prefix_numbering_outside_type_sections_is_plain() -> None:
    text = export_store("default", group_by="year", numbering="prefix")
    assert "\\scholarsection{Forthcoming and in Progress}{1}" in text
    assert all(line.startswith("\\item[\\scholarlabel{}{") for line in items(text))


def test_owner_bold_equal_contribution_marked_and_legend() -> None:
    text = export_store("default")
    first = items(text)[0]
    assert first == (
        "\\item[\\scholarlabel{J}{5}] \\scholarowner{Liu, Chuncheng}\\scholarequal{}, and Marianne von "
        "Blomberg\\scholarequal{}. 2026. \\textit{Information, Communication \\& Society} 29(8):2374–90."
    )
    assert "\\scholarowner{Chuncheng Liu}" in text  # the second author's form of the owner
    assert text.count("\\scholarequallegend") == 2  # its definition and its one use, at the end
    assert text.rstrip().endswith("\\scholarequallegend")
    # The rich store's talk has every role: each gets its legend line, in ROLES order.
    assert export_store("rich").endswith(
        "\n\\scholarequallegend\n\\scholarlegend{\\scholarcorresponding{}}{Corresponding author.}\n"
        "\\scholarlegend{\\scholarstudent{}}{Student author (supervised).}\n"
        "\\scholarlegend{\\scholarsenior{}}{Senior author.}\n"
    )


def test_status_and_owner_in_cjk() -> None:
    text = export_store("stress")
    assert "\\scholarowner{\\scholarcjk{刘春成}}" in text
    assert "\\scholarstatus{Under review}" in text
    assert "\\textit{The Handbook of Names: Volume \\scholarchar{Ⅱ}{II}}" in text


def test_no_works_is_a_sentence() -> None:
    library = Library(Profile(name="A"))
    text = export("latex", [], library, ExportOptions())
    assert text.endswith("\\fi\n\nNo works selected.\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100% & $5 #1 a_b", "100\\% \\& \\$5 \\#1 a\\_b"),
        (
            "{x} ~ ^ \\",
            "{\\textbraceleft}x{\\textbraceright} {\\textasciitilde} {\\textasciicircum} {\\textbackslash}",
        ),
        ("</script>", "{\\textless}/script{\\textgreater}"),
        ("a---b -- c", "a-{}-{}-b -{}- c"),
        ("two\nlines", "two lines"),
        ("Émile Łódź – “q”", "Émile Łódź – “q”"),  # what pdfLaTeX's utf8 sets stays UTF-8
        ("刘春成 and 刘 春成", "\\scholarcjk{刘春成} and \\scholarcjk{刘 春成}"),
        ("Ǹ P\u0304 Ω", "{\\`N} {\\=P} {\\ensuremath{\\Omega}}"),
        (
            "Ⅱ Жуков \u200b",
            "\\scholarchar{Ⅱ}{II} "
            + "".join(f"\\scholarchar{{{c}}}{{?}}" for c in "Жуков")
            + " \\scholarchar{\u200b}{}",
        ),
    ],
)
def test_tex_text(text: str, expected: str) -> None:
    assert tex_text(text) == expected


def test_zero_width_character_is_nothing_under_pdflatex() -> None:
    assert tex_text("a\u200bb") == "a\\scholarchar{\u200b}{}b"


def test_link_targets_are_percent_encoded_with_tex_escapes() -> None:
    assert tex_url("https://example.org/a_b/c%20d?x=1&y=~z#frag") == (
        "https://example.org/a\\%5Fb/c\\%20d?x=1\\&y=\\%7Ez\\#frag"
    )
    assert tex_url("https://example.org/{é} x\\") == "https://example.org/\\%7B\\%C3\\%A9\\%7D\\%20x\\%5C"


_TEX_SPECIALS = re.compile(r"(?<!\\)[#$%&_^~]")


@given(st.text(max_size=60))
def test_any_text_is_balanced_and_has_no_raw_special(text: str) -> None:
    tex = tex_text(text)
    depth = 0
    for match in re.finditer(r"\\.|[{}]", tex, re.DOTALL):
        depth += {"{": 1, "}": -1}.get(match.group(), 0)
        assert depth >= 0, tex
    assert depth == 0, tex
    assert _TEX_SPECIALS.search(tex) is None, tex
    # Every non-ASCII character left bare is one pdfLaTeX sets, or sits in a CJK or \scholarchar group.
    bare = re.sub(r"\\scholarcjk\{[^}]*\}|\\scholarchar\{.\}", "", tex)
    assert all(char.isascii() or char in PDFLATEX_UTF8 for char in bare), tex


def test_a_title_opening_with_a_bracket_is_not_an_item_label() -> None:
    work = Publication(id="x", type="book", title="[Draft] Notes", year=2020)
    text = export("latex", [work], Library(Profile(name="A")), ExportOptions(numbering="none"))
    assert "\\item{} [Draft] Notes. 2020.\n" in text  # the title stands in for the missing author


def test_cli_numbering_and_style_refused(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["export", "-f", "latex", "--numbering", "prefix", "--store", str(DEFAULT_STORE)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.encode("utf-8") == (GOLDEN / "default-store-type-prefix.tex").read_bytes()
    refused = runner.invoke(app, ["export", "-f", "latex", "--style", "apa", "--store", str(DEFAULT_STORE)])
    assert refused.exit_code == 2
    assert (
        "Error: --style cannot be combined with --format latex: the LaTeX CV is built-in ASA"
        in refused.output
    )
    assert refused.stdout == ""


# --- compiled ------------------------------------------------------------------------------------


def _compile(engine: str, folder: Path, preamble: str, inputs: list[str]) -> subprocess.CompletedProcess[str]:
    body = "".join(f"\\input{{{name}}}\n" for name in inputs)
    (folder / "doc.tex").write_text(
        f"\\documentclass{{article}}\n{preamble}\\begin{{document}}\n{body}\\end{{document}}\n",
        encoding="utf-8",
    )
    return subprocess.run(
        [engine, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _write_stores(folder: Path) -> list[str]:
    for name in STORES:
        (folder / f"{name}.tex").write_text(export_store(name), encoding="utf-8")
    return list(STORES)


@pytest.mark.slow
def test_pdflatex_compiles_every_store_with_cjkutf8_and_hyperref(tmp_path: Path) -> None:
    pdflatex = require_program("pdflatex", TEX_PACKAGES)
    preamble = (
        "\\usepackage[T1]{fontenc}\n\\usepackage{CJKutf8}\n\\usepackage{hyperref}\n"
        "\\pdfcompresslevel=0 \\pdfobjcompresslevel=0\n"  # so the link targets can be read below
    )
    result = _compile(pdflatex, tmp_path, preamble, _write_stores(tmp_path))
    assert result.returncode == 0, result.stdout[-3000:]
    pdf = (tmp_path / "doc.pdf").read_bytes()
    targets = set(re.findall(rb"/URI\(([^)]*)\)", pdf))
    # The stress store's DOI with `<>;()` and its URL-like report link come out as one address each.
    assert b"https://doi.org/10.5555/markup.2021%5F01" in targets
    assert b"https://example.org/report%5F2017.pdf" in targets
    assert (
        b"https://doi.org/10.1002/%28SICI%291097-4571%28199806%2949%3A8%3C693%3A%3AAID-ASI4%3E3.0.CO%3B2-0"
        in targets
    )


@pytest.mark.slow
def test_pdflatex_without_cjkutf8_or_hyperref_compiles_the_default_store(tmp_path: Path) -> None:
    pdflatex = require_program("pdflatex", TEX_PACKAGES)
    (tmp_path / "default.tex").write_text(export_store("default"), encoding="utf-8")
    result = _compile(pdflatex, tmp_path, "\\usepackage[T1]{fontenc}\n", ["default"])
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.slow
def test_pdflatex_without_cjkutf8_says_what_cjk_text_needs(tmp_path: Path) -> None:
    pdflatex = require_program("pdflatex", TEX_PACKAGES)
    (tmp_path / "stress.tex").write_text(export_store("stress"), encoding="utf-8")
    result = _compile(pdflatex, tmp_path, "\\usepackage[T1]{fontenc}\n", ["stress"])
    assert result.returncode != 0
    assert "! scholarcli: CJK text needs \\usepackage{CJKutf8} with pdfLaTeX (or XeLaTeX)." in result.stdout


@pytest.mark.slow
def test_xelatex_compiles_every_store(tmp_path: Path) -> None:
    xelatex = require_program("xelatex", TEX_PACKAGES)
    fc_list = shutil.which("fc-list")
    fonts = (
        subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
        if fc_list
        else ""
    )
    family = sorted(line.split(",")[0] for line in fonts.splitlines() if line.strip())
    if not family:
        reason = f"no font with Chinese glyphs ({TEX_PACKAGES})"
        if os.environ.get(REQUIRE_EXTERNAL_ENV):
            pytest.fail(f"{reason}, and {REQUIRE_EXTERNAL_ENV} is set")
        pytest.skip(reason)
    # The CV's own hook: CJK runs in a CJK font (xeCJK does this too, where ctex is installed).
    preamble = (
        f"\\usepackage{{fontspec}}\n\\newfontfamily\\cjkfont{{{family[0]}}}\n"
        "\\newcommand{\\scholarcjk}[1]{{\\cjkfont #1}}\n"
    )
    result = _compile(xelatex, tmp_path, preamble, _write_stores(tmp_path))
    assert result.returncode == 0, result.stdout[-3000:]
    log = (tmp_path / "doc.log").read_text(encoding="utf-8", errors="replace")
    missing = re.findall(r"Missing character: There is no (\S+)", log)
    assert "刘" not in missing, missing
    assert "春" not in missing, missing


def test_owner_from_name_variant_only() -> None:
    profile = Profile(name="Ada Lovelace", name_variants=("Lovelace, A.",))
    work = Publication(
        id="x", type="article-journal", title="T", authors=(Name("Lovelace", "A."),), year=2020
    )
    text = export("latex", [work], Library(profile), ExportOptions())
    assert "\\scholarowner{Lovelace, A.}" in text
