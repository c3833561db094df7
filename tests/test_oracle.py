"""Acceptance: the prover's verdict on every step of derivations/ matches an
independent oracle: sympy.simplify(a - b) == 0, plus evaluation at random
points (with concrete lengths and indices for sums) to find differences."""

import pytest
import sympy

from library import FILES, compared_pairs
from oracles import numerically_equal, restrict
from symderive.derivation import Located, load
from symderive.derivation_meaning import meaning_of, parse_condition
from symderive.prover import ProofContext, prove_equal
from symderive.evidence import Proved, Refuted


def _is_matrix(expr) -> bool:
    """A matrix (hasattr(.., "shape") raises on an Indexed such as p[i])."""
    return isinstance(expr, (sympy.MatrixExpr, sympy.MatrixBase))

PAIRS = [(path, previous.index, step.index) for path in FILES
         for previous, step, _ in compared_pairs(load(path))]


@pytest.mark.parametrize("path, previous_index, index", PAIRS,
                         ids=[f"{p.stem}:{a}->{b}" for p, a, b in PAIRS])
def test_prover_agrees_with_simplify_and_evaluation(path, previous_index, index):
    derivation = load(path)
    meaning = meaning_of(derivation)
    steps = {s.index: s for s in derivation.all_steps()}
    previous, step = steps[previous_index], steps[index]
    case = next((c for c in derivation.cases if step in c.steps), None)
    condition = parse_condition(case.condition, meaning) if case else None
    a = meaning.evaluate(meaning.parse(Located(previous.latex, previous.origin)))
    b = meaning.evaluate(meaning.parse(Located(step.latex, step.origin)))
    verdict = prove_equal(a, b, ProofContext(condition if condition is not None else sympy.true))
    if _is_matrix(a) or _is_matrix(b):
        lengths = (a.free_symbols | b.free_symbols) - {meaning.variable}
        same = all(a.subs(dict.fromkeys(lengths, size)).as_explicit()
                   == b.subs(dict.fromkeys(lengths, size)).as_explicit() for size in (1, 2, 3, 4))
        assert isinstance(verdict, Proved) == same
        return
    ra, rb = restrict(a, condition), restrict(b, condition)
    by_simplify = _simplifies_to_zero(ra - rb)
    by_numbers = numerically_equal(ra, rb)
    if isinstance(verdict, Proved):
        assert by_numbers, "proved, but the oracle finds a difference"
    if isinstance(verdict, Refuted):
        assert not by_simplify and not by_numbers
    if by_simplify:
        assert isinstance(verdict, Proved)
    if not by_numbers:  # the oracle decides "different": an Unknown is a miss, not a pass
        assert isinstance(verdict, Refuted), verdict


def _simplifies_to_zero(difference) -> bool:
    """sympy.simplify's word, where it gives one: a sum over a symbolic
    length (layer norm, batch norm) takes it minutes or ends in an error
    inside SymPy (StopIteration in sum_simplify), and is left to the
    evaluation at points, which expands such sums."""
    if difference.has(sympy.Sum):
        return False
    try:
        return sympy.simplify(difference.doit()) == 0
    except (StopIteration, ValueError, TypeError, RecursionError):
        return False

