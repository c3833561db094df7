"""The adversarial suite of issue 15, scored per class.

    python bench/adversarial.py              # the table, failures, unknown true steps, time
    python bench/adversarial.py --class sums_kronecker,piecewise
    python bench/adversarial.py --oracle     # also check every declared truth with the oracle

Columns: wrong steps proved / refuted / unknown, true steps proved /
refuted / unknown, rules reported as justifying a step they do not
produce, crashes (an exception or an error report on valid input) and
timeouts (both also counted as unknown). The cases and the runner are
``tests/adversarial/``; the test with the acceptance targets is
``tests/test_adversarial.py``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from adversarial.suite import (failures_by_class, load_cases, run_case, score, table_text,  # noqa: E402
                               unknown_true_by_class)


def _print_groups(title: str, groups: dict) -> None:
    count = sum(len(lines) for lines in groups.values())
    print(f"\n{title} ({count}):")
    for klass, lines in sorted(groups.items()):
        print(f"  [{klass}]")
        for line in lines:
            print(f"    {line}")


def _check_oracle(cases) -> int:
    from adversarial.oracle import decide

    bad = 0
    for case in cases:
        for index, step in enumerate(case.steps):
            result = decide(step.oracle_lhs, step.oracle_rhs, step.variables, step.oracle_condition,
                            step.low, step.high, step.breakpoints)
            if result.truth != ("true" if step.truth else "false"):
                bad += 1
                print(f"oracle disagrees: {case.id}#{index}: {result}")
    return bad


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--class", dest="classes", default="", help="comma-separated classes (default: all)")
    parser.add_argument("--oracle", action="store_true", help="also confirm every truth with the oracle")
    args = parser.parse_args(argv)
    wanted = {c.strip() for c in args.classes.split(",") if c.strip()}
    cases = [c for c in load_cases() if not wanted or c.klass in wanted]
    start = time.perf_counter()
    outcomes = [o for case in cases for o in run_case(case)]
    elapsed = time.perf_counter() - start
    steps = len(outcomes)
    print(f"{len(cases)} cases, {steps} steps "
          f"({sum(not o.step.truth for o in outcomes)} wrong, {sum(o.step.truth for o in outcomes)} true), "
          f"symderive took {elapsed:.1f} s")
    print()
    print(table_text(score(outcomes)))
    _print_groups("Failures (wrong proved, true refuted, rule wrongly justified)", failures_by_class(outcomes))
    _print_groups("True steps left unknown", unknown_true_by_class(outcomes))
    slow = sorted({(o.seconds, o.case.id) for o in outcomes}, reverse=True)[:5]
    print("\nSlowest cases: " + ", ".join(f"{cid} {s:.1f} s" for s, cid in slow))
    if args.oracle:
        start = time.perf_counter()
        bad = _check_oracle(cases)
        print(f"\noracle: {bad} disagreements, {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
