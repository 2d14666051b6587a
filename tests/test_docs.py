"""The README and docs/: every relative link resolves to a file and, with a #fragment, to a heading.

The README is a front page that sends readers into docs/ for the reference (issue #13); a renamed page
or heading would otherwise leave a dead link that nothing notices. Anchors are computed as GitHub
renders them, since that is where the pages are read.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

_FENCE = re.compile(r"^(```|~~~)")
_CODE_SPAN = re.compile(r"(`+).*?\1")
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks, with inline code removed (`[a](b)` there is no link)."""
    lines: list[str] = []
    fenced = False
    for line in text.splitlines():
        if _FENCE.match(line.lstrip()):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(_CODE_SPAN.sub("", line))
    return lines


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = heading.strip().lower()
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LNM")
    return kept.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every heading anchor of a Markdown file, with GitHub's -1, -2 suffixes for repeated headings."""
    seen: dict[str, int] = {}
    found: set[str] = set()
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if _FENCE.match(line.lstrip()):
            fenced = not fenced
            continue
        match = None if fenced else _HEADING.match(line)
        if match:
            slug = github_slug(match.group(2).replace("`", ""))
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def dead_links(path: Path) -> list[str]:
    """The relative links of a Markdown file that lead to no file, or to no heading of it."""
    dead: list[str] = []
    for line in _prose_lines(path.read_text(encoding="utf-8")):
        for target in _LINK.findall(line):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
                continue  # https:, mailto: and the like: not ours to check offline
            file_part, _, fragment = target.partition("#")
            linked = (path.parent / file_part).resolve() if file_part else path
            if not linked.exists():
                dead.append(f"{path.name}: {target}: no such file")
                continue
            if fragment and linked.suffix == ".md" and fragment not in anchors(linked):
                dead.append(f"{path.name}: {target}: no such heading")
    return dead


def _documents() -> list[Path]:
    paths = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    architecture = REPO / "ARCHITECTURE.md"
    return [*paths, architecture] if architecture.exists() else paths


@pytest.mark.parametrize("path", _documents(), ids=lambda p: p.name)
def test_no_dead_relative_links(path: Path) -> None:
    assert dead_links(path) == []


def test_a_dead_link_and_a_dead_anchor_are_found(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# The `scholar build` page: every output\n\n## Twice\n\n## Twice\n")
    page = tmp_path / "page.md"
    page.write_text(
        "# Title\n\n"
        "[ok](other.md#the-scholar-build-page-every-output) [ok](other.md#twice-1) [ok](#title)\n"
        "[gone](missing.md) [bad anchor](other.md#nothing) [bad here](#nowhere)\n"
        "`[code](not-a-link.md)` [web](https://example.org/x)\n"
        "```\n[fenced](not-a-link-either.md)\n```\n",
        encoding="utf-8",
    )
    assert dead_links(page) == [
        "page.md: missing.md: no such file",
        "page.md: other.md#nothing: no such heading",
        "page.md: #nowhere: no such heading",
    ]


def test_github_slugs() -> None:
    assert (
        github_slug("Web sites: --format hugo and --format jekyll")
        == "web-sites---format-hugo-and---format-jekyll"
    )
    assert github_slug("Dependencies, and why each") == "dependencies-and-why-each"
    assert github_slug("Output formats of list") == "output-formats-of-list"


def test_the_readme_is_a_front_page_that_links_every_docs_page() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    for page in sorted((REPO / "docs").glob("*.md")):
        assert f"](docs/{page.name}" in readme, page.name
