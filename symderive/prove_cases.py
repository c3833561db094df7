"""Case splits: a claim with functions defined by cases (Piecewise, Max,
Min, Heaviside, Abs) or Kronecker deltas, proved region by region with the
prover handed in."""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from . import sampling
from .case_functions import SPLIT_BY_REGION, has_cases
from .evidence import Proved, Refuted, Unknown
from .prove_base import combine, within
from .prove_numeric import bound_indices, display_value, exact_at, value_at
from .regions import (as_piecewise, breakpoints, has_no_interior, open_intervals, real_variable, symbolic_breakpoints,
                      symbolic_intervals)


def case_split(a, b, context, prove):
    """Piecewise, Max, Heaviside and Kronecker deltas: prove every region.
    Identity: a function defined by cases equals, on each region, the case
    chosen there; delta_ij is 1 where i = j and 0 elsewhere. Holds on every
    region with an interior; a region with none proves nothing (unknown),
    and two sides that differ at a boundary point are unknown."""
    difference = a - b
    bound = bound_indices(difference)
    # a delta of an index bound by a sum is the sum's business (kronecker.py), not a case of the claim
    deltas = [d for d in difference.atoms(sympy.KroneckerDelta)
              if not (d.free_symbols & bound) and not (d.args[0].is_number and d.args[1].is_number)]
    if deltas:
        delta = deltas[0]
        left, right = delta.args[:2]
        known = set(sympy.And.make_args(context.condition))
        verdicts = []
        if not {sympy.Ne(left, right), sympy.Ne(right, left)} & known:
            same = within(context, sympy.And(context.condition, sympy.Eq(left, right)))
            equal = [_set_delta(side, delta, 1).subs(left, right) for side in (a, b)]
            if any(side.has(delta) for side in equal):
                return Unknown(f"the case split on {delta} does not remove it")
            verdicts.append(prove(*equal, same))
        if not {sympy.Eq(left, right), sympy.Eq(right, left)} & known:
            apart = within(context, sympy.And(context.condition, sympy.Ne(left, right)))
            verdicts.append(prove(_drop_delta(a, deltas[0]), _drop_delta(b, deltas[0]), apart))
        return combine(verdicts, "case split on the Kronecker delta", a, b)
    stand_ins = _sums_with_cases_of_their_index(difference)
    if stand_ins:
        # a case whose condition names a sum's index is a different case from
        # term to term: the sum stays whole, a value the regions do not cut
        back = {symbol: node for node, symbol in stand_ins.items()}

        def whole(left, right, region_context):
            return prove(left.xreplace(back), right.xreplace(back), region_context)

        verdict = _region_split(a.xreplace(stand_ins), b.xreplace(stand_ins), context, whole)
        return combine([verdict], "case split by region", a, b) if isinstance(verdict, Refuted) else verdict
    return _region_split(a, b, context, prove)


def _sums_with_cases_of_their_index(expr) -> dict:
    """Each outermost sum holding a function defined by cases that depends
    on the sum's own index, mapped to a symbol standing for its value."""
    found = {}
    for node in sorted(expr.atoms(sympy.Sum), key=sympy.count_ops, reverse=True):
        if any(node in outer.atoms(sympy.Sum) for outer in found):
            continue
        indices = {limit[0] for limit in node.limits}
        cases = [c for c in sympy.preorder_traversal(node.function) if isinstance(c, SPLIT_BY_REGION)]
        if any(c.free_symbols & indices or any(indices & set(e.indices) for e in c.atoms(sympy.Indexed))
               for c in cases):
            found[node] = sympy.Dummy("sum", real=True)
    return found


def _region_split(a, b, context, prove):
    """Every region of the claim's cases, each branch proved with ``prove``."""
    difference = a - b
    if not has_cases(difference, SPLIT_BY_REGION):
        return None
    by_intervals = _interval_split(a, b, context, prove)
    if by_intervals is not None:
        return by_intervals
    folded = sympy.piecewise_fold(as_piecewise(difference))
    if folded == 0:
        return Proved("case split by region")
    if not isinstance(folded, sympy.Piecewise):
        return None
    verdicts = []
    earlier = sympy.false
    for branch, condition in folded.args:
        region = sympy.And(context.condition, condition, sympy.Not(earlier))
        earlier = sympy.Or(earlier, condition)
        if has_no_interior(region):
            continue
        verdicts.append(prove(branch, sympy.Integer(0), within(context, region)))
    if earlier is not sympy.true:
        # cases that do not cover every point: the difference is undefined in the rest
        verdicts.append(_uncovered(a, b, sympy.And(context.condition, sympy.Not(earlier))))
    return combine(verdicts, "case split by region", a, b)


@dataclass(frozen=True)
class _Cut:
    """The line the conditions are cut along: its variable, the ordered
    breakpoints, each open interval with an interior point; ``alone`` when
    the conditions hold no other symbol (numeric breakpoints)."""

    variable: sympy.Basic
    points: list
    intervals: list
    alone: bool


def _line_cut(sources) -> _Cut | None:
    """(x, breakpoints, open intervals) for the variable the conditions are
    cut along: the one real variable when the conditions hold no other
    symbol (numeric breakpoints); else the first real variable every
    relation is linear in, the others held at any admissible values, whose
    breakpoints have an order the assumptions decide (huber's
    |y_k - yhat_k| <= delta cuts yhat_k at y_k - delta < y_k < y_k + delta).
    Each symbol or entry is taken as independent of the others (y_i of a
    sum, another entry y_j): a claim proved for all their values holds for
    the values they take together."""
    relations = set().union(*(e.atoms(sympy.core.relational.Relational) for e in sources))
    symbols = set().union(*(r.free_symbols for r in relations)) if relations else set()
    x = real_variable(symbols)
    if x is not None:
        points = breakpoints(sources, x)
        return None if points is None else _Cut(x, points, open_intervals(points, x), True)
    conditions = [c for e in sources for node in e.atoms(sympy.Piecewise) for _, c in node.args]
    conditions += [e for e in sources if isinstance(e, sympy.logic.boolalg.Boolean)]
    if not all(_of_relations(c) for c in conditions):
        return None  # a condition not made of relations may change truth between the breakpoints
    for x in _line_variables(relations):
        points = symbolic_breakpoints(sources, x)
        if points is not None:
            return _Cut(x, points, symbolic_intervals(points, x), False)
    return None


_CONNECTIVES = (sympy.And, sympy.Or, sympy.Not, sympy.ITE, sympy.Xor, sympy.Implies, sympy.Equivalent)


def _of_relations(condition) -> bool:
    """Whether a condition is relations joined by connectives: its truth
    then changes only where one of its relations does."""
    if condition in (sympy.true, sympy.false) or isinstance(condition, sympy.core.relational.Relational):
        return True
    return isinstance(condition, _CONNECTIVES) and all(_of_relations(arg) for arg in condition.args)


def _line_variables(relations) -> list:
    """The real, non-integer symbols and entries of the relations (an
    entry's base and indices are not variables of their own), those with no
    sign assumption first: a bound of any sign orders no breakpoint."""
    labels = {base.label for r in relations for base in r.atoms(sympy.IndexedBase)}
    bound = set().union(*(bound_indices(r) for r in relations))
    found = {atom for r in relations for atom in r.atoms(sympy.Symbol, sympy.Indexed)
             if atom not in labels and atom.is_real and not atom.is_integer and not atom.free_symbols & bound}
    return sorted(found, key=lambda v: (v.is_positive is not None or v.is_negative is not None,
                                        sympy.default_sort_key(v)))


class _Undecided(Exception):
    """A condition whose truth at a point SymPy does not decide."""


def _interval_split(a, b, context, prove):
    """Conditions linear in one real variable with numeric bounds (the usual
    case: kinks at fixed points), or linear in one variable with bounds in
    the others (``_line_cut``): cut the line at every bound, and on each
    open interval replace every Piecewise by its branch there and prove the
    branches equal. No piecewise_fold, no condition simplification."""
    a, b = as_piecewise(a), as_piecewise(b)
    sources = [a, b] + ([context.condition] if context.condition is not sympy.true else [])
    cut = _line_cut(sources)
    if cut is None:
        return None
    x, points, intervals = cut.variable, cut.points, cut.intervals
    verdicts = []
    try:
        if not cut.alone and any(_differ_at(a, b, x, p, context) for p in points):
            return None  # the symbolic cut only proves (below)
        for region, inside in intervals:
            if context.condition is not sympy.true and _truth(context.condition, x, inside) is not True:
                continue
            left, right = _branch_at(a, x, inside), _branch_at(b, x, inside)
            if left is None or right is None:
                if (left is None) != (right is None):
                    verdicts.append(_uncovered(a, b, region))
            else:
                verdicts.append(prove(left, right, within(context, sympy.And(context.condition, region))))
            if not cut.alone and verdicts and not isinstance(verdicts[-1], Proved):
                # the other symbols held fixed, a region's counterexample lies where the numeric search
                # rarely reaches: the strategies after this one try the whole claim
                return None
        at_bounds = [] if not cut.alone else [p for p in points if _differ_at(a, b, x, p, context)]
    except _Undecided:
        return None
    verdict = combine(verdicts, "case split by region", a, b)
    if isinstance(verdict, Proved) and at_bounds:
        return Unknown(f"equal between the breakpoints, but the two sides differ at {x} = {at_bounds[0]}, "
                       "a boundary between cases (where a derivative's value is a convention)")
    return verdict


def _differ_at(a, b, x, point, context) -> bool:
    """Whether a and b take different values at a breakpoint (the branch
    each selects there, evaluated exactly): such a claim is not proved by
    the open intervals alone."""
    if context.condition is not sympy.true and _truth(context.condition, x, point) is not True:
        return False
    left, right = _branch_at(a, x, point), _branch_at(b, x, point)
    if left is None or right is None:
        return (left is None) != (right is None)
    left, right = left.subs(x, point), right.subs(x, point)
    if left.free_symbols or right.free_symbols or left.has(sympy.Derivative) or right.has(sympy.Derivative):
        # no number to separate: equal there only when the difference expands to 0
        return sympy.expand(left - right) != 0
    return sampling.separate(left, right, seconds=0.5).outcome is sampling.SeparationOutcome.DIFFER


def _truth(condition, x, point) -> bool:
    value = condition.subs(x, point)
    if value is sympy.true or value is sympy.false:
        return bool(value)
    raise _Undecided(condition)


def _branch_at(expr, x, point):
    """expr with each Piecewise replaced by its branch at ``point``; None when
    some Piecewise has no branch there (undefined)."""
    undefined = []

    def choose(node):
        for body, condition in node.args:
            if _truth(condition, x, point):
                return body
        undefined.append(node)
        return sympy.nan

    chosen = expr.replace(lambda e: isinstance(e, sympy.Piecewise), choose)
    return None if undefined else chosen


def _uncovered(a, b, rest):
    """The region no case covers: nothing to prove if it has no interior;
    refuted at a point of it where one side has a value and the other none."""
    if rest is sympy.false or has_no_interior(rest):
        return Proved("the cases cover every point")
    symbols = rest.free_symbols
    if len(symbols) == 1:
        variable = next(iter(symbols))
        for value in sampling.real_points(variable, sympy.Tuple(a, b), rest):
            point = {variable: value}
            lhs, rhs = value_at(a, point), value_at(b, point)
            if (lhs is None) != (rhs is None) and _no_case_at(a if lhs is None else b, point):
                return Refuted(point=sampling.Point(point).describe(),
                               lhs_value="undefined" if lhs is None else display_value(a, point, lhs),
                               rhs_value="undefined" if rhs is None else display_value(b, point, rhs),
                               method="a case is missing: one side is undefined there")
    return Unknown(f"the cases do not cover {sympy.sstr(rest)}")


def _no_case_at(expr, point) -> bool:
    """expr is undefined at point because no case of it holds there (SymPy
    gives nan), not because it could not be evaluated."""
    try:
        return bool(_exact_or_nan(expr, point).has(sympy.nan))
    except (TypeError, ValueError, AttributeError):
        return False


def _exact_or_nan(expr, point):
    value = exact_at(expr, point)
    return value if value is not None else expr.subs(point)



def _drop_delta(expr, delta):
    return _set_delta(expr, delta, 0)


def _set_delta(expr, delta, value):
    return expr.replace(lambda e: e == delta, lambda e: sympy.Integer(value))
