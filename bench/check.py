"""`symderive check` of each seed post against `python -c "import sympy"`,
measured in the same run on the same machine:

  cold: an empty verdict cache (a fresh $SYMDERIVE_CACHE_DIR per run);
  warm: the cache filled by the cold run just before.

Each check run is paired with a floor run (import sympy) just before it;
the figure is the median over --repeat pairs of check/floor, and the
quickest check over the quickest floor (interference only adds time).
Targets (issue 14): cold <= 2.0x, warm <= 1.2x.

With --import: `symderive import` of the whole corpus (tests/corpus, one
run, files written to a temporary folder) against `symderive check` of it,
both cold, paired in the same run; the figure is import/check.
Target (issue 14): <= 2.0x.

Usage: python bench/check.py [--repeat N] [--import]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POSTS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples" / "posts").glob("*.txt"))
CORPUS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "corpus").glob("[0-9]*.md"))
FLOOR = [sys.executable, "-c", "import sympy"]


def timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def measure(post: str, repeat: int) -> dict:
    check = [sys.executable, "-m", "symderive", "check", post, "--quiet"]
    rows = {"cold": [], "warm": [], "floor": [], "cold_s": [], "warm_s": []}
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "SYMDERIVE_CACHE_DIR": cache}
            floor = timed(FLOOR, env)
            cold = timed(check, env)
            floor_warm = timed(FLOOR, env)
            warm = timed(check, env)
        rows["floor"] += [floor, floor_warm]
        rows["cold"].append(cold / floor)
        rows["warm"].append(warm / floor_warm)
        rows["cold_s"].append(cold)
        rows["warm_s"].append(warm)
    return rows


def cold(command: list[str]) -> float:
    with tempfile.TemporaryDirectory() as cache:
        return timed(command, {**os.environ, "SYMDERIVE_CACHE_DIR": cache})


def measure_import(repeat: int) -> None:
    """import of the corpus over check of it, both cold, paired per repeat."""
    check = [sys.executable, "-m", "symderive", "check", *CORPUS, "--quiet"]
    ratios = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as out:
            checked = cold(check)
            imported = cold([sys.executable, "-m", "symderive", "import", *CORPUS, "-o", out])
        ratios.append(imported / checked)
        print(f"corpus ({len(CORPUS)} posts): check {checked:.1f}s, import {imported:.1f}s, "
              f"import/check {imported / checked:.2f}x", flush=True)
    print(f"import/check median {statistics.median(ratios):.2f}x over {repeat} pairs  <= 2.0x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=None, help="pairs per figure (7; 1 with --import)")
    parser.add_argument("--import", dest="import_", action="store_true",
                        help="import of the corpus against check of it, instead of the seed posts")
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "symderive")], check=False)
    if args.import_:
        measure_import(args.repeat or 1)
        return
    args.repeat = args.repeat or 7
    print(f"{'post':<44} {'run':>5} {'median':>8} {'best':>8} {'seconds':>8}  target")
    for post in POSTS:
        rows = measure(post, args.repeat)
        floor = min(rows["floor"])
        for run, target in (("cold", 2.0), ("warm", 1.2)):
            median = statistics.median(rows[run])
            best = min(rows[f"{run}_s"]) / floor
            seconds = statistics.median(rows[f"{run}_s"])
            print(f"{post:<44} {run:>5} {median:>7.2f}x {best:>7.2f}x {seconds:>7.2f}s  <= {target}x", flush=True)
    print(f"floor: python -c 'import sympy', quickest {floor:.2f}s")


if __name__ == "__main__":
    main()
