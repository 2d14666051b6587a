"""Compare two installs of `scholar` command by command, runs interleaved (A B B A ...).

    python benchmarks/ab.py --a /tmp/venv-old --b /tmp/venv-new --store benchmarks/stores/store-10000

On a shared machine the speed drifts by tens of percent within minutes, so two `run.py` tables taken
at different times cannot show a 10% change; runs interleaved here see the same drift. Each install
gets its own cache folder and one warm-up run per command; the table gives the median and the minimum
of each and their ratios (B / A).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

COMMANDS: dict[str, list[str]] = {
    "list (pipe)": ["list"],
    "list --format keys": ["list", "--format", "keys"],
    "list --author": ["list", "--author", "a"],
    "list -q word": ["list", "-q", "the"],
    "export bibtex": ["export", "--format", "bibtex"],
    "export csl-json": ["export", "--format", "csl-json"],
    "export ris": ["export", "--format", "ris"],
    "check": ["check"],
    "stats": ["stats"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", type=Path, required=True, help="the first install's virtual environment")
    parser.add_argument("--b", type=Path, required=True, help="the second install's virtual environment")
    parser.add_argument("--store", type=Path, required=True, help="the store folder both read")
    parser.add_argument("--rounds", type=int, default=15, help="runs of each install per command")
    args = parser.parse_args()
    installs = {"A": args.a, "B": args.b}
    envs = {}
    for name in installs:
        env = dict(os.environ)
        env["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix=f"scholar-ab-{name}-")
        env.pop("NO_COLOR", None)
        envs[name] = env
    commands = {
        **COMMANDS,
        "show ID": ["show", first_id(installs["A"], args.store, envs["A"])],
        "--help": ["--help"],
    }
    print(
        "| command | A median | B median | B / A | A min | B min | B / A (min) |\n|---|---:|---:|---:|---:|---:|---:|"
    )
    for label, arguments in commands.items():
        full = (
            arguments
            if arguments == ["--help"]
            else [*arguments[:1], "--store", str(args.store), *arguments[1:]]
        )
        times: dict[str, list[float]] = {name: [] for name in installs}
        for name in installs:  # warm-up: the parse cache and the entry cache are written here
            run(installs[name], full, envs[name])
        for round_number in range(args.rounds):
            for name in ("A", "B") if round_number % 2 == 0 else ("B", "A"):
                times[name].append(run(installs[name], full, envs[name]))
        a, b = statistics.median(times["A"]), statistics.median(times["B"])
        a_min, b_min = min(times["A"]), min(times["B"])
        print(
            f"| {label} | {a:.3f} s | {b:.3f} s | {b / a:.2f} | {a_min:.3f} s | {b_min:.3f} s | {b_min / a_min:.2f} |"
        )
    return 0


def first_id(venv: Path, store: Path, env: dict[str, str]) -> str:
    listed = subprocess.run(
        [str(venv / "bin" / "scholar"), "list", "--store", str(store), "--format", "keys", "--limit", "1"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return listed.stdout.strip()


def run(venv: Path, arguments: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(venv / "bin" / "scholar"), *arguments],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - started


if __name__ == "__main__":
    raise SystemExit(main())
