"""The built wheel, installed into a fresh virtual environment, runs on its embedded default store."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


def test_wheel_in_a_fresh_venv_finds_the_embedded_store(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(REPO)],
        check=True,
    )
    (wheel,) = wheels.glob("scholarcli-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([venv / "bin" / "pip", "install", "--quiet", str(wheel)], check=True)

    # Run from an unrelated folder so nothing can be found through the checkout.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [venv / "bin" / "scholar", "list", "--theme", "west-imaginary"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("liu2026imaginary\t2026\t")

    where = subprocess.run(
        [venv / "bin" / "scholar", "where"], cwd=elsewhere, capture_output=True, text=True, check=False
    )
    store = Path(where.stdout.strip())
    assert "site-packages" in store.parts
    assert store.parts[-2:] == ("scholarcli", "data")
    for name in ("profile.yaml", "themes.yaml", "publications.yaml"):
        assert (store / name).read_bytes() == (REPO / "data" / name).read_bytes()
    # The example templates ship inside the package, where `--template` names them.
    for name in ("cv.md.j2", "publications.html.j2"):
        shipped = store.parent / "templates" / name
        assert shipped.read_bytes() == (REPO / "src" / "scholarcli" / "templates" / name).read_bytes()
