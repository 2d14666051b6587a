"""Issue #11: every .bib file TeX Live ships (biblatex-examples.bib, xampl.bib, beebe's tugboat.bib,
texbook*.bib, the archaeologie and jurabib files, ...) imports with no traceback, and every entry
not taken is rejected as `file:line (key): reason` for one of a few known reasons.

A new reason fails the test on purpose: it is reviewed (is the entry really broken, or does BibTeX
read it?) and then added to KNOWN_REASONS or fixed. Debian ships the files in texlive-base and
texlive-bibtex-extra; without them the test skips, except in CI (SCHOLAR_REQUIRE_EXTERNAL_TOOLS=1).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scholarcli.cli.app import app

from ..conftest import REQUIRE_EXTERNAL_ENV

pytestmark = pytest.mark.slow

# The reasons an entry of these files may be rejected for: each is an entry BibTeX too reads wrongly.
KNOWN_REASONS = [
    re.compile(r"the value of '[^']+' has no closing '[}\"]'"),  # frankenstein.bib:441, `{"` never closed
    re.compile(r"missing ',' after the value of '[^']+' \(before '[^']*'\); add the comma"),
    re.compile(r"the entry is not closed: '[})]' is missing"),
    re.compile(r"braces nested deeper than 40 levels"),
    re.compile(r"an '@' starts this line inside the value of '[^']+': .*"),
]
REJECTION = re.compile(r"^error: (?P<file>.+?):(?P<line>[0-9]+) \((?P<key>[^)]*)\): (?P<reason>.+)$")
# A keyless entry is named by its line: `file:line: @book on line 7: the entry has no key ...`
KEYLESS = re.compile(r"^error: (?P<file>.+?):(?P<line>[0-9]+): @\w+ on line [0-9]+: (?P<reason>.+)$")
SUMMARY = re.compile(
    r"^would add [0-9]+, would update 0, skipped 0 as duplicate, rejected (?P<rejected>[0-9]+) "
    r"\(dry run: nothing written(?:; would not import: [0-9]+, exit status 1)?\)$"
)


def texmf_bib_folder() -> Path:
    kpsewhich = shutil.which("kpsewhich")
    folder = None
    if kpsewhich is not None:
        found = subprocess.run(
            [kpsewhich, "-var-value", "TEXMFDIST"], capture_output=True, text=True, check=False
        )
        folder = Path(found.stdout.strip()) / "bibtex" / "bib" if found.stdout.strip() else None
    if folder is None or not folder.is_dir():
        reason = "TeX Live's .bib files are not installed (apt-get install texlive-base texlive-bibtex-extra)"
        if os.environ.get(REQUIRE_EXTERNAL_ENV):
            pytest.fail(f"{reason}, and {REQUIRE_EXTERNAL_ENV} is set")
        pytest.skip(reason)
    return folder


def test_every_texlive_bib_file_imports_with_known_rejections_only(runner: CliRunner, tmp_path: Path) -> None:
    folder = texmf_bib_folder()
    files = sorted(folder.rglob("*.bib"))
    assert files, f"no .bib files under {folder}"
    store = tmp_path / "store"
    assert runner.invoke(app, ["init", str(store)]).exit_code == 0
    unknown: list[str] = []
    for bib in files:
        command = ["import", str(bib), "--dry-run", "--store", str(store), "--on-duplicate", "keep-both"]
        result = runner.invoke(app, command)  # the runner fails the test on any traceback
        if result.exit_code == 1 and "run again with --encoding latin-1" in result.stderr:
            result = runner.invoke(app, [*command, "--encoding", "latin-1"])  # jurabib, gloss: Latin-1
        lines = result.stderr.splitlines()
        assert result.exit_code in (0, 1), (bib, result.stderr)
        summary = SUMMARY.match(lines[-1]) if lines else None
        assert summary is not None, (bib, result.stderr)
        errors = [line for line in lines if line.startswith("error: ")]
        assert len(errors) == int(summary.group("rejected")), (bib, errors)
        assert result.exit_code == (1 if errors else 0), (bib, result.stderr)
        for line in errors:
            found = REJECTION.match(line) or KEYLESS.match(line)
            assert found is not None, line
            assert found.group("file") == str(bib), line
            if not any(reason.fullmatch(found.group("reason")) for reason in KNOWN_REASONS):
                unknown.append(line)
    assert unknown == [], "new rejection reasons: review them, then fix or add to KNOWN_REASONS"
