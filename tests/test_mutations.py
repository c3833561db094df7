"""Acceptance: mutate every step of every derivation in turn (sign flip,
changed exponent, dropped term); verify must exit 1 and name that step with
a counterexample. Mutants that an independent oracle finds equivalent to the
original step are skipped and counted."""

import json

import pytest
import sympy

from library import FILES, run_cli
from mutants import MUTATIONS
from oracles import numerically_equal, restrict
from symderive.derivation import Located, load
from symderive.errors import SymderiveError
from symderive.derivation_meaning import meaning_of, parse_condition


def _is_matrix(expr) -> bool:
    """A matrix (hasattr(.., "shape") raises on an Indexed such as p[i])."""
    return isinstance(expr, (sympy.MatrixExpr, sympy.MatrixBase))

TOTALS = {"mutants": 0, "killed": 0, "equivalent": 0}


def _replace_step(text, step, mutant):
    """The file text with the step's LaTeX (on its line) replaced by the mutant."""
    lines = text.splitlines(keepends=True)
    line = lines[step.origin.line - 1]
    for quote in ("'''", "'", '"'):
        old = f"{quote}{step.latex}{quote}" if quote != '"' else json.dumps(step.latex)
        if old in line:
            lines[step.origin.line - 1] = line.replace(old, f"'''{mutant}'''", 1)
            return "".join(lines)
    raise AssertionError(f"step text not found on its line: {line!r}")


def _equivalent(meaning, original, mutant, origin, condition):
    try:
        a = meaning.evaluate(meaning.parse(Located(original, origin)))
        b = meaning.evaluate(meaning.parse(Located(mutant, origin)))
    except SymderiveError:
        return False
    a, b = restrict(a, condition), restrict(b, condition)
    if _is_matrix(a) or _is_matrix(b):
        return False
    return numerically_equal(a, b)


def _checked_against_something(derivation, step):
    """The first line of a derivation with no activation is its claim: nothing
    before it to compare with, so a mutant there shows up one step later."""
    return step.index > 0 or derivation.activation is not None


CASES = [(path, step.index, name)
         for path in FILES for step in load(path).all_steps()
         if step.expect != "refuted" and _checked_against_something(load(path), step)
         for name in MUTATIONS]


@pytest.mark.parametrize("path, index, mutation", CASES,
                         ids=[f"{p.stem}:{i}:{m}" for p, i, m in CASES])
def test_mutated_step_is_refuted(path, index, mutation, tmp_path, capsys):
    derivation = load(path)
    step = next(s for s in derivation.all_steps() if s.index == index)
    mutant = MUTATIONS[mutation](step.latex)
    TOTALS["mutants"] += 1
    meaning = meaning_of(derivation)
    case = next((c for c in derivation.cases if step in c.steps), None)
    condition = parse_condition(case.condition, meaning) if case else None
    equivalent = _equivalent(meaning, step.latex, mutant, step.origin, condition)
    mutated = tmp_path / path.name
    mutated.write_text(_replace_step(path.read_text(encoding="utf-8"), step, mutant), encoding="utf-8")
    code, out, err = run_cli(["verify", mutated, "--format", "json"], capsys)
    if equivalent:
        # counted apart; the verifier must not call an equal step wrong
        TOTALS["equivalent"] += 1
        hit = next(s for s in json.loads(out)["derivations"][0]["steps"] if s["index"] == index)
        assert hit["verdict"] != "refuted", hit
        return
    assert code == 1, (code, err)
    reported = json.loads(out)["derivations"][0]
    hit = next(s for s in reported["steps"] if s["index"] == index)
    assert hit["line"] == step.origin.line
    assert hit["verdict"] == "refuted", hit
    assert hit["counterexample"] is not None and hit["counterexample"]["lhs"] != hit["counterexample"]["rhs"]
    TOTALS["killed"] += 1


SAMPLE = 24  # cases judged here when the selection (-k) ran fewer than this


def test_mutation_totals_are_meaningful(tmp_path, capsys):
    """Runs after the parametrized cases (file order): every non-equivalent
    mutant was killed, and most mutants are not equivalent. Under a
    selection (-k) that ran few or none of the cases, an evenly spread
    sample of them is judged here first, so the totals always assert."""
    if TOTALS["mutants"] < SAMPLE:
        for number, case in enumerate(CASES[::max(1, len(CASES) // SAMPLE)]):
            folder = tmp_path / str(number)
            folder.mkdir()
            test_mutated_step_is_refuted(*case, folder, capsys)
    print(f"mutation totals: {TOTALS}")
    assert TOTALS["mutants"] >= min(SAMPLE, len(CASES)), TOTALS
    assert TOTALS["killed"] + TOTALS["equivalent"] == TOTALS["mutants"], TOTALS
    assert TOTALS["equivalent"] <= TOTALS["mutants"] // 4, TOTALS
