"""Performance figures, each a ratio against a baseline measured on the same
machine in the same run:

  (a) our prover vs sympy.simplify(a - b) == 0 on every proof obligation of
      derivations/ and of the import corpus (tests/corpus/*.md): total time
      and the steps where the verdicts differ;
  (b) cold `symderive verify` (empty cache) vs `python -c "import sympy"`:
      the seeds' derivations, and the whole library with --jobs 2; each run
      paired with a floor run just before it, the median of the ratios; our
      bytecode compiled first, as SymPy's is (an install or any run with
      bytecode writing on leaves it);
  (c) the same runs warm (cache filled) vs the floor, paired the same way;
      the seeds get three times --repeat pairs (short runs, the closest to
      their target); each line also gives the quickest run over the
      quickest floor (the least disturbed of each: interference only ever
      adds time);
  (d) the softmax Jacobian at n = 8, 16, 32, 64: ours and the naive
      baseline (explicit sympy.diff, simplify per entry), and t(64)/t(16);
  (e) peak RSS of verifying the whole library vs `import sympy` alone.

Usage: python bench/run.py [--only a,b,c,d,e] [--limit SECONDS] [--repeat N]

Each prover runs in a forked child started from the same state (the
obligations read, nothing proved), timed inside the child: in (a) each
prover takes every obligation in turn, as a run does; a baseline proof
that overruns --limit counts as the limit and is shown as ">".
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEEDS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "derivations").glob("00[01]_*.toml"))


def line(label: str, ours: str, baseline: str, ratio: str, note: str = "") -> None:
    print(f"{label:<44} {ours:>12} {baseline:>12} {ratio:>10}  {note}", flush=True)


# -- running things -------------------------------------------------------------

def in_child(fn, args, limit: float):
    """(status, value, seconds) of fn(*args) in a forked child, timed inside it."""
    import pickle

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            start = time.perf_counter()
            value = fn(*args)
            payload = ("ok", value, time.perf_counter() - start)
        except BaseException as error:  # reported, not raised, in the child
            payload = ("error", repr(error), 0.0)
        os.write(write, pickle.dumps(payload))
        os._exit(0)
    os.close(write)
    import select

    ready, _, _ = select.select([read], [], [], limit)
    if not ready:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(read)
        return "timeout", None, limit
    chunks = []
    while chunk := os.read(read, 1 << 16):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    return pickle.loads(b"".join(chunks)) if chunks else ("error", "no result", 0.0)


def wall(command: list[str], environment=None, repeat: int = 3) -> float:
    """Median wall time of a command."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_floor(repeat: int) -> float:
    return wall([sys.executable, "-c", "import sympy"], repeat=repeat)


# -- (a) prover vs simplify ----------------------------------------------------------

def obligations():
    """Every top-level prove_equal call of verifying derivations/ and checking the corpus."""
    from symderive import engine, runner
    from symderive.post import reading

    recorded = []
    original = engine.prove_equal

    def recording(source):
        def prove(a, b, context=None):
            recorded.append((source, a, b, context.condition if context is not None else True))
            return original(a, b, context) if context is not None else original(a, b)
        return prove

    runner._IN_WORKER = True  # run inline, so the calls are seen here
    engine.prove_equal, reading.prove_equal = recording("derivations"), recording("corpus")
    try:
        from symderive import batch
        from symderive.post.check import check_post

        batch.verify_files([ROOT / "derivations"])
        engine.prove_equal = recording("derivations")
        for post in sorted((ROOT / "tests" / "corpus").glob("*.md")):
            check_post(post.read_text(encoding="utf-8"), str(post), timeout=30)
    finally:
        engine.prove_equal = reading.prove_equal = original
        runner._IN_WORKER = False
    return recorded


def ours(a, b, condition):
    from symderive.evidence import Proved, Refuted
    from symderive.prover import ProofContext, prove_equal

    verdict = prove_equal(a, b, ProofContext(condition, 10.0))
    return {Proved: "proved", Refuted: "refuted"}.get(type(verdict), "unknown")


def baseline(a, b, condition):
    import sympy

    return "proved" if sympy.simplify(a - b) == 0 else "not proved"


class _Overrun(Exception):
    pass


def _sequence(fn, items, limit):
    """[(verdict, seconds)] of fn on every obligation, one after another in
    this process (as a run proves them), each stopped at ``limit``. As in a
    run's worker, nested limits run inline (this process is the worker)."""
    import signal

    from symderive import runner

    runner._IN_WORKER = True

    def overrun(*_):
        raise _Overrun()

    signal.signal(signal.SIGALRM, overrun)
    results = []
    for _, a, b, condition in items:
        start = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            verdict = fn(a, b, condition)
        except _Overrun:
            verdict = "timeout"
        except Exception as error:  # the baseline fails on some inputs (matrices of unequal shape)
            verdict = f"error: {type(error).__name__}"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        results.append((verdict, time.perf_counter() - start))
    return results


def _collected():
    """The obligations, collected in a child so that this process has proved nothing."""
    import pickle

    status, data, _ = in_child(lambda: pickle.dumps(obligations()), (), 3600)
    if status != "ok":
        raise SystemExit(f"collecting obligations failed: {data}")
    return pickle.loads(data)


def figure_a(limit: float) -> None:
    print("collecting proof obligations ...", file=sys.stderr, flush=True)
    items = _collected()
    print(f"proving {len(items)} obligations with each prover ...", file=sys.stderr, flush=True)
    _, mine, _ = in_child(_sequence, (ours, items, limit), 3600 * 4)
    _, theirs, _ = in_child(_sequence, (baseline, items, limit), 3600 * 4)
    total_ours = sum(seconds for _, seconds in mine)
    total_baseline = sum(seconds for _, seconds in theirs)
    decided = [i for i, (verdict, _) in enumerate(theirs) if verdict == "proved"]
    differ = [i for i in decided if mine[i][0] != "proved"]
    ours_only = sum(1 for i, (verdict, _) in enumerate(mine) if verdict == "proved" and theirs[i][0] != "proved")
    refuted = sum(1 for verdict, _ in mine if verdict == "refuted")
    timeouts = sum(1 for verdict, _ in theirs if verdict == "timeout")
    for i in differ:
        print(f"  differs: {items[i][0]} #{i}: ours {mine[i][0]}, simplify proved", flush=True)
    line(f"(a) prover vs simplify, {len(items)} obligations", f"{total_ours:.1f} s",
         f"{'>' if timeouts else ''}{total_baseline:.1f} s", f"{total_baseline / total_ours:.1f}x",
         f"differ where simplify proves: {len(differ)} of {len(decided)}; proved by ours only: {ours_only}; "
         f"refuted by ours: {refuted}; simplify over {limit:g} s: {timeouts}")


# -- (b), (c), (e) the CLI ----------------------------------------------------------

def _compiled() -> None:
    """Our modules' bytecode written, as installing the package or any earlier
    run leaves it: SymPy's is, and a machine that sets PYTHONDONTWRITEBYTECODE
    (this one does) would otherwise make every run compile our modules from
    source (~60 ms of 64 files), which is not what a user's cold run pays."""
    import compileall

    compileall.compile_dir(str(ROOT / "symderive"), quiet=1)


def figures_bc(repeat: int) -> None:
    """Each cold and warm run is paired with a floor run just before it, and
    the ratio is the median of the pairs' ratios: the machine's speed drifts
    (a shared virtual machine), and a floor measured once at the start would
    carry that drift into every ratio."""
    _compiled()
    command = [sys.executable, "-m", "symderive", "verify"]
    # the seeds' runs are short and the closest to their target: three times
    # as many pairs, for a median that moves less with the machine's drift
    runs = [("seeds (9 files)", SEEDS + ["-j", "2"], 3), ("library, --jobs 2", ["derivations", "-j", "2"], 1),
            ("library, --jobs 1", ["derivations", "-j", "1"], 1)]
    floors = []
    for label, arguments, times in runs:
        colds, warms = [], []
        for _ in range(repeat * times):
            with tempfile.TemporaryDirectory() as cache:
                environment = {**os.environ, "SYMDERIVE_CACHE_DIR": cache}
                floor = import_floor(1)
                colds.append((wall(command + arguments, environment, repeat=1), floor))
                floor = import_floor(1)
                warms.append((wall(command + arguments, environment, repeat=1), floor))
                floors += [colds[-1][1], warms[-1][1]]
        for kind, pairs in (("cold", colds), ("warm", warms)):
            seconds = statistics.median(t for t, _ in pairs)
            floor = statistics.median(f for _, f in pairs)
            ratio = statistics.median(t / f for t, f in pairs)
            figure = "(b)" if kind == "cold" else "(c)"
            best = min(t for t, _ in pairs) / min(f for _, f in pairs)
            line(f"{figure} {kind} verify, {label}", f"{seconds:.2f} s", f"{floor:.2f} s", f"{ratio:.2f}x",
                 f"ratios {min(t / f for t, f in pairs):.2f}..{max(t / f for t, f in pairs):.2f}; "
                 f"quickest/quickest {best:.2f}x")
    line("floor: python -c 'import sympy'", f"{statistics.median(floors):.2f} s", "", "1.00x",
         f"{min(floors):.2f}..{max(floors):.2f} s over {len(floors)} runs")


def peak_rss(code: str) -> int:
    """Peak RSS in KiB of a Python snippet and every process it waited for."""
    probe = (f"{code}\nimport resource\n"
             "s = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
             "c = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
             "print(max(s, c))\n")
    run = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={**os.environ, "SYMDERIVE_CACHE_DIR": tempfile.mkdtemp()})
    return int(run.stdout.strip().splitlines()[-1])


def figure_e() -> None:
    floor = peak_rss("import sympy")
    # the prover worker is stopped (and so waited for) before the children's peak is read
    ours_rss = peak_rss("from symderive.cli import main\nmain(['verify', 'derivations', '-j', '1', '--no-cache'])\n"
                        "from symderive import runner\nrunner.shared().close()")
    line("(e) peak RSS, verify library vs import sympy", f"{ours_rss / 1024:.1f} MB", f"{floor / 1024:.1f} MB",
         f"{ours_rss / floor:.2f}x")


# -- (d) softmax Jacobian -------------------------------------------------------------

def _cold_caches() -> None:
    """SymPy's cache and our memoised proofs emptied: what a proof finds in a
    fresh process, without the one-time cost of SymPy's lazy imports."""
    from sympy.core.cache import clear_cache

    from symderive import jacobian, normal_form

    clear_cache()
    jacobian.entry_identity.cache_clear()
    for memo in (normal_form.exp_rational_normal_form, normal_form.rational_normal_form, normal_form.together,
                 normal_form._factored, normal_form._named_sum, normal_form._one_fraction):
        memo.cache_clear()


def _ours_jacobian(n):
    from symderive import jacobian

    _cold_caches()
    return type(jacobian.check_softmax_jacobian(n).verdict).__name__


def naive_check(n: int) -> bool:
    """The baseline: the explicit n x n Jacobian of softmax by sympy.diff,
    every entry's difference from diag(S) - S S^T simplified to 0."""
    import sympy

    z = sympy.symbols(f"z1:{n + 1}", real=True)
    total = sum(sympy.exp(v) for v in z)
    s = sympy.Matrix([sympy.exp(v) / total for v in z])
    difference = s.jacobian(sympy.Matrix(z)) - (sympy.diag(*s) - s * s.T)
    return all(sympy.simplify(entry) == 0 for entry in difference)


def _naive_jacobian(n):
    _cold_caches()
    return naive_check(n)


def figure_d(limit: float) -> None:
    from symderive import jacobian

    # both methods once at n = 2, so that neither pays SymPy's lazy imports in the timings
    jacobian.check_softmax_jacobian(2)
    naive_check(2)
    times = {}
    for n in (8, 16, 32, 64):
        status, verdict, seconds = in_child(_ours_jacobian, (n,), limit)
        times[n] = seconds
        if n <= 16:
            base_status, base_verdict, base_seconds = in_child(_naive_jacobian, (n,), limit)
            shown = f"{'>' if base_status == 'timeout' else ''}{base_seconds:.2f} s"
            ratio = f"{'>' if base_status == 'timeout' else ''}{base_seconds / seconds:.0f}x"
        else:
            shown, ratio = "not run", ""
        line(f"(d) softmax Jacobian n = {n}", f"{seconds:.3f} s", shown, ratio,
             f"ours: {verdict if status == 'ok' else status}")
    line("(d) growth t(64)/t(16)", f"{times[64] / times[16]:.1f}", "", "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="a,b,c,d,e", help="which figures (default: all)")
    parser.add_argument("--limit", type=float, default=60.0, help="time limit per baseline proof (s)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per CLI figure (median)")
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    line("figure", "ours", "baseline", "ratio")
    if wanted & {"b", "c"}:
        figures_bc(args.repeat)
    if "e" in wanted:
        figure_e()
    if "d" in wanted:
        figure_d(args.limit)
    if "a" in wanted:
        figure_a(args.limit)


if __name__ == "__main__":
    main()
