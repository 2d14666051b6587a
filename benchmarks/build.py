"""Time `scholar build` of every output for a synthetic store: a first build (everything written), a
build with nothing changed (everything compared, nothing written) and one after a single work changed.

    python benchmarks/generate.py --sizes 10000      # once: benchmarks/stores/store-10000
    python benchmarks/build.py [--size 10000] [--runs 3]

The store is copied to a temp folder with a scholar.toml naming one output per kind: Markdown CV,
HTML page, LaTeX CV, BibTeX, Hugo site, Jekyll site. A benchmark, not a test: it prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCHOLAR = shutil.which("scholar") or str(Path(sys.executable).with_name("scholar"))
TOML = """\
[[output]]
path = "cv.md"
format = "markdown"
[[output]]
path = "publications.html"
format = "html"
[[output]]
path = "cv.tex"
format = "latex"
[[output]]
path = "all.bib"
format = "bibtex"
[[output]]
path = "hugo/"
format = "hugo"
[[output]]
path = "jekyll/"
format = "jekyll"
"""


def timed(store: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [SCHOLAR, "build", "--store", str(store)], env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"scholar build failed:\n{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    source = HERE / "stores" / f"store-{args.size}"
    if not source.is_dir():
        sys.exit(f"{source} is missing: run python benchmarks/generate.py --sizes {args.size}")
    rows: dict[str, list[float]] = {
        "first build (all written)": [],
        "nothing changed": [],
        "one work changed": [],
    }
    with tempfile.TemporaryDirectory() as temp:
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(temp) / "cache")}
        for run in range(args.runs):
            store = Path(temp) / f"store{run}"
            shutil.copytree(source, store, ignore=shutil.ignore_patterns("meta.json"))
            (store / "scholar.toml").write_text(TOML, encoding="utf-8")
            rows["first build (all written)"].append(timed(store, env))
            rows["nothing changed"].append(timed(store, env))
            work_id = json.loads((source / "meta.json").read_text(encoding="utf-8"))["show_id"]
            subprocess.run(
                [SCHOLAR, "set", work_id, "pages=1-2", "--store", str(store)],
                env=env,
                capture_output=True,
                check=True,
            )
            rows["one work changed"].append(timed(store, env))
            files = sum(1 for path in store.rglob("*") if path.is_file())
    print(f"scholar build, {args.size} works, 6 outputs ({files} files), median of {args.runs} runs\n")
    print("| build | median s | min–max s |\n|---|---|---|")
    for name, times in rows.items():
        print(f"| {name} | {statistics.median(times):.2f} | {min(times):.2f}–{max(times):.2f} |")


if __name__ == "__main__":
    main()
