"""Cold verification time of each derivation file, slowest first.

Each file is verified alone in a fresh process with an empty verdict cache
(``symderive verify FILE --no-cache``), as a user's first run would, and
timed by wall clock; each is paired with a ``python -c "import sympy"`` run
just before it, and its ratio is its quickest run over the quickest floor
(on a shared machine interference only ever adds time, so the quickest of
each is the least disturbed).

Usage: python bench/per_file.py [FILE-OR-FOLDER ...] [--repeat N] [--limit RATIO]

A file whose run does not exit 0 is marked; with --limit, the files over
that ratio are counted at the end.
"""

from __future__ import annotations

import argparse
import compileall
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str], environment: dict | None = None) -> tuple[float, int]:
    """(wall seconds, exit status) of one run."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start, done.returncode


def files_of(paths: list[str]) -> list[Path]:
    found = []
    for raw in paths:
        path = Path(raw)
        found.extend(sorted(path.glob("*.toml")) if path.is_dir() else [path])
    return found


def measure(file: Path, repeat: int) -> tuple[float, float, int]:
    """(quickest run, quickest floor, exit status of the last run) of one file."""
    runs, floors, status = [], [], 0
    for _ in range(repeat):
        floors.append(timed([sys.executable, "-c", "import sympy"])[0])
        with tempfile.TemporaryDirectory() as cache:
            environment = {**os.environ, "SYMDERIVE_CACHE_DIR": cache}
            seconds, status = timed([sys.executable, "-m", "symderive", "verify", str(file), "-j", "1",
                                     "-q", "--no-cache"], environment)
        runs.append(seconds)
    return min(runs), min(floors), status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", default=["derivations"])
    parser.add_argument("--repeat", type=int, default=1, help="runs per file (the quickest is kept)")
    parser.add_argument("--limit", type=float, default=None, help="count the files over this ratio")
    args = parser.parse_args()
    # our bytecode compiled, as an install leaves it (SymPy's is)
    compileall.compile_dir(str(ROOT / "symderive"), quiet=1)
    rows = []
    for file in files_of(args.paths):
        seconds, floor, status = measure(file, args.repeat)
        rows.append((seconds, floor, status, file))
        print(f"  {file.name:<48} {seconds:6.2f} s", file=sys.stderr, flush=True)
    floor = min(f for _, f, _, _ in rows)
    print(f"{'file':<48} {'cold':>8} {'ratio':>7}  (floor: import sympy {floor:.2f} s, quickest of "
          f"{len(rows) * args.repeat} runs)")
    for seconds, _, status, file in sorted(rows, key=lambda row: -row[0]):
        mark = "" if status == 0 else f"  exit {status}"
        print(f"{file.name:<48} {seconds:6.2f} s {seconds / floor:6.2f}x{mark}")
    total = sum(seconds for seconds, _, _, _ in rows)
    print(f"{'total':<48} {total:6.2f} s {total / floor:6.2f}x")
    if args.limit is not None:
        over = sum(1 for seconds, _, _, _ in rows if seconds / floor > args.limit)
        print(f"over {args.limit:g}x: {over} of {len(rows)}")


if __name__ == "__main__":
    main()
