"""The adversarial suite of issue 15: hand-written wrong identities and hard
true ones (``tests/adversarial/*.toml``), each step's truth confirmed by an
independent oracle (``tests/adversarial/oracle.py``: mpmath at rising
precision, never symderive), then given to symderive through its public
entry points (``check_post`` on a tiny post, ``verify`` on a derivation
file).

Acceptance (issue 15): 0 wrong steps proved, 0 true steps refuted, 0 rules
justifying a step they do not produce, and at most 10% of the true steps
unknown — all held outright. The unknown share is also held near the level
reached (TRUE_UNKNOWN_REACHED; 8 of 255 = 3.1% when written, with room for
a claim or two that runs out of time on a loaded machine), so that a
strategy lost is noticed before the target is. A failure lists the case ids
by class with what symderive said.
``python bench/adversarial.py`` prints the scored table per class.
"""

from collections import Counter

import pytest

from adversarial.oracle import decide
from adversarial.suite import (failures_by_class, load_cases, run_all, score, table_text,
                               unknown_true_by_class)

CASES = load_cases()
STEPS = [(case, index, step) for case in CASES for index, step in enumerate(case.steps)]
MAX_TRUE_UNKNOWN = 0.10          # issue 15's target
TRUE_UNKNOWN_REACHED = 0.05      # the level reached, held; lower it as strategies land


def test_suite_size_and_classes():
    wrong = sum(1 for _, _, step in STEPS if not step.truth)
    true = sum(1 for _, _, step in STEPS if step.truth)
    assert wrong >= 150 and true >= 150, f"{wrong} wrong and {true} true steps; issue 15 asks 150 of each"
    per_class = Counter(case.klass for case in CASES)
    small = {k: n for k, n in per_class.items() if n < 10}
    assert not small, f"classes with fewer than 10 cases: {small}"
    for klass in per_class:
        truths = {step.truth for case, _, step in STEPS if case.klass == klass}
        assert truths == {True, False}, f"class {klass} needs wrong and true steps"
    assert all(step.produces is not True or step.truth for _, _, step in STEPS), "a rule cannot produce a false step"


def test_oracle_confirms_every_truth():
    """Independent of symderive: every declared truth is what the oracle finds
    (a separating point, certain at 3000 digits, for a wrong step; agreement
    at every sample point for a true one)."""
    mismatches = []
    for case, index, step in STEPS:
        result = decide(step.oracle_lhs, step.oracle_rhs, step.variables, step.oracle_condition,
                        step.low, step.high, step.breakpoints)
        declared = "true" if step.truth else "false"
        if result.truth != declared:
            mismatches.append(f"{case.id}#{index}: declared {declared}, oracle {result.truth} "
                              f"(agreeing {result.agreeing}, witness {result.witness}, values {result.values})")
    assert not mismatches, "\n".join(mismatches)


@pytest.fixture(scope="module")
def outcomes():
    return run_all(CASES)


def _grouped(groups: dict) -> str:
    return "\n".join(f"[{klass}]\n  " + "\n  ".join(lines) for klass, lines in sorted(groups.items()))


def test_acceptance_targets(outcomes):
    table = score(outcomes)
    total = table["total"].counts
    true_steps = table["total"].true_steps
    unknown_share = total["true unknown"] / true_steps
    problems = []
    if total["wrong proved"]:
        problems.append(f"{total['wrong proved']} wrong steps proved (target 0)")
    if total["true refuted"]:
        problems.append(f"{total['true refuted']} true steps refuted (target 0)")
    if total["rule wrongly justified"]:
        problems.append(f"{total['rule wrongly justified']} rules justify a step they do not produce (target 0)")
    if unknown_share > MAX_TRUE_UNKNOWN:
        problems.append(f"{total['true unknown']} of {true_steps} true steps unknown "
                        f"({unknown_share:.0%}, target at most {MAX_TRUE_UNKNOWN:.0%})")
    elif unknown_share > TRUE_UNKNOWN_REACHED:
        problems.append(f"{total['true unknown']} of {true_steps} true steps unknown "
                        f"({unknown_share:.0%}, reached {TRUE_UNKNOWN_REACHED:.0%}, target at most {MAX_TRUE_UNKNOWN:.0%})")
    message = "; ".join(problems)
    if problems:
        message += ("\n\n" + table_text(table) + "\n\nFailures by class:\n" + _grouped(failures_by_class(outcomes))
                    + "\n\nTrue steps left unknown, by class:\n" + _grouped(unknown_true_by_class(outcomes)))
    assert not problems, message
