"""prove_equal(a, b, context) -> Proved | Refuted | Unknown.

Strategies are small functions tried in the order of ``STRATEGIES``, cheapest
first; each returns a verdict or ``None`` ("not my case"). Exact methods come
before numeric search, and ``simplify`` is the last resort, run in a child
process that is killed at the time limit. Numeric evaluation only refutes.

The contract: ``Proved`` means a and b are equal for every real value of the
variables in ``context.condition`` (undefined functions are real-valued; a
free index runs over the vector range, see kronecker.py), except at isolated
points where a case boundary lies (a derivative's value at a kink is a
convention). Each strategy's docstring names the identity it relies on and
where it holds; a rewrite valid on part of the region only is split into
cases or not made. ``Refuted`` means a point where the two sides differ with
certainty (interval arithmetic); ``Unknown`` otherwise, with the reason.
"""

from __future__ import annotations

import itertools
import time
from functools import lru_cache
from dataclasses import dataclass
from typing import Callable

import mpmath
import sympy
from sympy.core.function import AppliedUndef

from .deadline import Timeout, run_with_deadline
from .evidence import Proved, Refuted, Unknown
from .kronecker import collapse_kronecker_sums, vector_range
from .normal_form import exp_rational_normal_form
from .regions import as_piecewise, breakpoints, has_no_interior, open_intervals, real_variable
from . import sampling

PRECISION = 50
MAX_TERMS = 1000  # a sum over a longer numeric range is not written out to be evaluated
TOLERANCE = mpmath.mpf(10) ** -30


@dataclass(frozen=True)
class ProofContext:
    """What a proof may assume: the region (``condition``, e.g. x > 0 or
    Eq(i, k)) and the time limit of the costly strategies in seconds."""

    condition: sympy.Basic = sympy.true
    timeout: float = 5.0


Strategy = Callable[[sympy.Expr, sympy.Expr, ProofContext], object]


def structural(a, b, context):
    """a and b are the same tree. Identity: x = x; holds everywhere (SymPy's
    automatic evaluation, e.g. sqrt(x^2) -> |x| for real x, uses only the
    symbols' assumptions)."""
    return Proved("structural equality") if a == b else None


def matrix_shapes(a, b, context):
    """Matrices: different shapes refute; same shapes reduce to entry
    (i, k) for symbolic i, k. Identity: matrices of one shape are equal iff
    every entry is; holds for every shape and index in range."""
    if not (_is_matrix(a) or _is_matrix(b)):
        return None
    shape_a, shape_b = _shape(a), _shape(b)
    shape_a, shape_b = tuple(map(_as_expr, shape_a)), tuple(map(_as_expr, shape_b))
    lengths = sorted(set().union(*(s.free_symbols for s in shape_a + shape_b)), key=str)
    for values in itertools.product((1, 2, 3), repeat=len(lengths)):
        point = dict(zip(lengths, values))
        concrete_a = tuple(s.subs(point) for s in shape_a)
        concrete_b = tuple(s.subs(point) for s in shape_b)
        if concrete_a != concrete_b:
            return Refuted(
                point=tuple((str(k), str(v)) for k, v in point.items()),
                lhs_value=_explicit(a, point),
                rhs_value=_explicit(b, point),
                method="matrix shapes differ",
            )
    if isinstance(a, sympy.MatrixBase) or isinstance(b, sympy.MatrixBase):
        return _explicit_entries(a, b, context)
    i, k = sympy.symbols("_row _col", integer=True, positive=True)
    return prove_equal(_entry(a, i, k), _entry(b, i, k), context)


def _explicit_entries(a, b, context):
    """An explicit matrix against a matrix of the same concrete shape: every
    entry proved equal proves; one refuted entry refutes (at its point);
    else unknown. A shape with a symbolic length cannot be written out."""
    if not all(isinstance(size, (int, sympy.Integer)) for size in _shape(a) + _shape(b)):
        return Unknown("an explicit matrix against one of symbolic size")
    a, b = _written_out(a), _written_out(b)
    open_entries = []
    for row, col in itertools.product(range(a.shape[0]), range(a.shape[1])):
        verdict = prove_equal(a[row, col], b[row, col], context)
        if isinstance(verdict, Refuted):
            return Refuted(verdict.point, verdict.lhs_value, verdict.rhs_value,
                           method=f"entry ({row + 1}, {col + 1}) differs: {verdict.method}")
        if not isinstance(verdict, Proved):
            open_entries.append((row + 1, col + 1))
    if open_entries:
        return Unknown(f"matrix entries {open_entries} neither proved nor refuted")
    return Proved("every matrix entry proved equal")


def _written_out(expr):
    return expr if isinstance(expr, sympy.MatrixBase) else (
        expr.as_explicit() if _is_matrix(expr) else sympy.Matrix([[expr]]))


def tuples(a, b, context):
    """Pairs and lists ((x, y) = (1, 1/2)): equal when they have the same
    length and every entry is proved equal; a differing entry refutes.
    Identity: tuples are equal iff their entries are; holds everywhere."""
    if not (isinstance(a, sympy.Tuple) or isinstance(b, sympy.Tuple)):
        return None
    if not (isinstance(a, sympy.Tuple) and isinstance(b, sympy.Tuple)) or len(a) != len(b):
        return Unknown("a tuple compared with something of another length or kind")
    verdicts = [prove_equal(p, q, context) for p, q in zip(a, b)]
    for kind in (Refuted, Unknown):
        found = next((v for v in verdicts if isinstance(v, kind)), None)
        if found is not None:
            return found  # an entry's own values: the tuples have none as a whole
    return Proved("entry by entry")


def exp_normal_form(a, b, context):
    """Difference is 0 as a rational function of exp monomials
    (normal_form.py). Identities: trig and hyperbolic functions as exp and
    erfc = 1 - erf (every complex value); e^{c m} = (e^m)^c for integer c
    (always) and rational c (m real only, where e^m > 0); log splits only
    where SymPy knows the factors positive. sgn, Abs, sqrt, non-integer
    powers, log, inverse trig, floor stay functions of their normalised
    argument, never rewritten by a branch. Declines on cases (Piecewise,
    Max, Min, Heaviside, Abs): case_split takes those."""
    if _is_piecewise(a) or _is_piecewise(b):
        return None
    if exp_rational_normal_form(a - b) == 0:
        return Proved("exp-rational normal form")
    return None


def case_split(a, b, context):
    """Piecewise, Max, Heaviside and Kronecker deltas: prove every region.
    Identity: a function defined by cases equals, on each region, the case
    chosen there; delta_ij is 1 where i = j and 0 elsewhere. Holds on every
    region with an interior; a region with none proves nothing (unknown),
    and two sides that differ at a boundary point are unknown."""
    difference = a - b
    bound = _bound_indices(difference)
    # a delta of an index bound by a sum is the sum's business (kronecker.py), not a case of the claim
    deltas = [d for d in difference.atoms(sympy.KroneckerDelta)
              if not (d.free_symbols & bound) and not (d.args[0].is_number and d.args[1].is_number)]
    if deltas:
        delta = deltas[0]
        left, right = delta.args[:2]
        known = set(sympy.And.make_args(context.condition))
        verdicts = []
        if not {sympy.Ne(left, right), sympy.Ne(right, left)} & known:
            same = ProofContext(sympy.And(context.condition, sympy.Eq(left, right)), context.timeout)
            equal = [_set_delta(side, delta, 1).subs(left, right) for side in (a, b)]
            if any(side.has(delta) for side in equal):
                return Unknown(f"the case split on {delta} does not remove it")
            verdicts.append(prove_equal(*equal, same))
        if not {sympy.Eq(left, right), sympy.Eq(right, left)} & known:
            apart = ProofContext(sympy.And(context.condition, sympy.Ne(left, right)), context.timeout)
            verdicts.append(prove_equal(_drop_delta(a, deltas[0]), _drop_delta(b, deltas[0]), apart))
        return _combine(verdicts, "case split on the Kronecker delta", a, b)
    if not _is_piecewise(difference):
        return None
    by_intervals = _interval_split(a, b, context)
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
        verdicts.append(prove_equal(branch, sympy.Integer(0), ProofContext(region, context.timeout)))
    if earlier is not sympy.true:
        # cases that do not cover every point: the difference is undefined in the rest
        verdicts.append(_uncovered(a, b, sympy.And(context.condition, sympy.Not(earlier))))
    return _combine(verdicts, "case split by region", a, b)


class _Undecided(Exception):
    """A condition whose truth at a point SymPy does not decide."""


def _interval_split(a, b, context):
    """Conditions linear in one real variable with numeric bounds (the usual
    case: kinks at fixed points): cut the line at every bound, and on each
    open interval replace every Piecewise by its branch there and prove the
    branches equal. No piecewise_fold, no condition simplification."""
    a, b = as_piecewise(a), as_piecewise(b)
    sources = [a, b] + ([context.condition] if context.condition is not sympy.true else [])
    relations = set().union(*(e.atoms(sympy.core.relational.Relational) for e in sources))
    x = real_variable(set().union(*(r.free_symbols for r in relations)) if relations else set())
    if x is None:
        return None
    points = breakpoints(sources, x)
    if points is None:
        return None
    verdicts = []
    try:
        for region, inside in open_intervals(points, x):
            if context.condition is not sympy.true and _truth(context.condition, x, inside) is not True:
                continue
            left, right = _branch_at(a, x, inside), _branch_at(b, x, inside)
            if left is None or right is None:
                if (left is None) != (right is None):
                    verdicts.append(_uncovered(a, b, region))
                continue
            verdicts.append(prove_equal(left, right, ProofContext(sympy.And(context.condition, region),
                                                                  context.timeout)))
        at_bounds = [p for p in points if _differ_at(a, b, x, p, context)]
    except _Undecided:
        return None
    verdict = _combine(verdicts, "case split by region", a, b)
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
        return False
    return sampling.separate(left, right, seconds=0.5).outcome == "differ"


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
            lhs, rhs = _value(a, point), _value(b, point)
            if (lhs is None) != (rhs is None) and _no_case_at(a if lhs is None else b, point):
                return Refuted(point=sampling.Point(point).describe(),
                               lhs_value="undefined" if lhs is None else _show(a, point, lhs),
                               rhs_value="undefined" if rhs is None else _show(b, point, rhs),
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
    value = _exact(expr, point)
    return value if value is not None else expr.subs(point)


def numeric_refutation(a, b, context):
    """Evaluate both sides at points in every region (``_points``); a
    difference refutes once it is certain. Relies on no identity and never
    proves. A difference seen at PRECISION digits is re-evaluated in
    interval arithmetic at rising precision (``sampling.separate``): only
    disjoint enclosures refute; enclosures that agree mean the difference
    was rounding (the search goes on); when neither is certain in time the
    step is ``Unknown`` (precision) unless ``simplify`` proves it."""
    unsure = None
    ends = time.monotonic() + context.timeout / 2  # all confirmations together
    for point in _points(a, b, context):
        if sampling.on_a_boundary(sympy.Tuple(a, b), point):
            continue
        lhs, rhs = _value(a, point), _value(b, point)
        if lhs is None or rhs is None:
            continue
        scale = max(mpmath.mpf(1), abs(lhs), abs(rhs))
        if abs(lhs - rhs) <= TOLERANCE * scale:
            continue
        seconds = min(context.timeout / 4, ends - time.monotonic())
        separation = _separate(a, b, point, seconds) if seconds > 0 else sampling.Separation("precision", 0)
        if separation.outcome == "differ":
            left, right = sampling.midpoint(separation.lhs), sampling.midpoint(separation.rhs)
            shown = _show(a, point, left), _show(b, point, right)
            if shown[0] == shown[1]:  # close values: as many digits as tell them apart
                shown = mpmath.nstr(left, 40), mpmath.nstr(right, 40)
            return Refuted(
                point=sampling.Point(point).describe() + _vector_entries(sympy.Tuple(a, b), point),
                lhs_value=shown[0], rhs_value=shown[1])
        if separation.outcome == "precision" and (unsure is None or unsure[1] < separation.digits):
            unsure = (point, separation.digits)
    if unsure is None:
        return None
    verdict = simplify_last_resort(a, b, context)
    if isinstance(verdict, Proved):
        return verdict
    point, digits = unsure
    where = ", ".join(f"{k} = {v}" for k, v in sampling.Point(point).describe())
    return Unknown(f"precision: the two sides differ at {where} when evaluated to {PRECISION} digits, "
                   f"but interval arithmetic up to {digits} digits does not separate them")


def _separate(a, b, point, seconds) -> sampling.Separation:
    """Both sides at ``point``, exactly, through ``sampling.separate``."""
    lhs, rhs = _exact(a, point), _exact(b, point)
    if lhs is None or rhs is None:
        return sampling.Separation("precision", 0)
    return sampling.separate(lhs, rhs, seconds=seconds)


def _exact(expr, point):
    """expr at point as an exact constant expression, or None."""
    try:
        concrete = _concretised(expr, tuple(sorted(((k, v) for k, v in point.items() if k.is_integer),
                                                   key=lambda item: str(item[0]))))
        concrete = concrete.subs({k: v for k, v in point.items() if not k.is_integer})
        if concrete.has(sympy.Derivative):
            concrete = concrete.doit()
    except (TypeError, ValueError, ZeroDivisionError, AttributeError, RecursionError):
        return None
    if concrete.atoms(sympy.Derivative, AppliedUndef, sympy.Sum, sympy.Product) or concrete.free_symbols:
        return None
    return concrete


def _simplify_is_zero(difference):
    return sympy.simplify(difference) == 0


def simplify_last_resort(a, b, context):
    """sympy.simplify of the difference, under the time limit. Relies on
    SymPy's rewrites, which use the symbols' assumptions and never force a
    branch (no force=True: sqrt(x^2) stays |x| for real x, log(x y) is not
    split); by the time it runs, the numeric search found no counterexample."""
    try:
        if run_with_deadline(_simplify_is_zero, (a - b,), context.timeout):
            return Proved("simplify")
    except Timeout as error:
        return Unknown(f"simplify: {error}")
    except RuntimeError as error:
        return Unknown(f"simplify failed: {error}")
    except (StopIteration, ValueError, TypeError, AttributeError, RecursionError) as error:
        # SymPy's own failure inside a worker, where simplify runs inline
        return Unknown(f"simplify failed: {type(error).__name__}")
    return Unknown("no strategy proved or refuted the step")


STRATEGIES: tuple[Strategy, ...] = (
    structural,
    matrix_shapes,
    tuples,
    exp_normal_form,
    case_split,
    numeric_refutation,
    simplify_last_resort,
)


def prove_equal(a: sympy.Expr, b: sympy.Expr, context: ProofContext = ProofContext()):
    """Evidence that ``a == b`` holds in ``context.condition``, or a point where it fails."""
    a, b = _plain_indices(a), _plain_indices(b)
    within = vector_range(sympy.Tuple(a, b))
    # collapsed with the index free (1 <= k <= n known), then the case k = c decides what is left
    a, b = collapse_kronecker_sums(a, within), collapse_kronecker_sums(b, within)
    a, b, context = _apply_equalities(a, b, context)
    for strategy in STRATEGIES:
        verdict = strategy(a, b, context)
        if verdict is not None:
            return verdict
    return Unknown("no strategy applies")


# -- helpers -----------------------------------------------------------------

def _plain_indices(expr):
    """Every index bound by a sum or product made an integer without a sign:
    sum_{j=0}^{n-1} with j declared positive would let SymPy decide
    delta_{1, j+1} = 0 (j + 1 >= 2) though j = 0 is in the range."""
    if not isinstance(expr, sympy.Basic) or not expr.has(sympy.Sum, sympy.Product):
        return expr

    def plain(node):
        replace = {index: sympy.Symbol(index.name, integer=True) for index, *_ in node.limits
                   if index.is_Symbol and index.assumptions0.get("positive") is not None}
        if not replace:
            return node
        limits = [(replace.get(i, i), *bounds) for i, *bounds in node.limits]
        return node.func(node.function.xreplace(replace), *limits)

    return expr.replace(lambda e: isinstance(e, (sympy.Sum, sympy.Product)), plain)


def _apply_equalities(a, b, context):
    """A case i = k is used as the substitution i -> k everywhere, and a
    case k = 1 as k -> 1 (an index's value decides the Piecewise a sum's
    range left: sum_{j=2}^{n} delta_jk f_j is 0 at k = 1); a case x = c
    as x -> c, except at a kink of either side (the value of a derivative
    there is a convention: such a case stays unknown)."""
    for fact in sympy.And.make_args(context.condition):
        if not isinstance(fact, sympy.Eq):
            continue
        symbol, value = (fact.lhs, fact.rhs) if fact.lhs.is_Symbol else (fact.rhs, fact.lhs)
        if symbol.is_Symbol and (value.is_Symbol or value.is_Integer and symbol.is_integer
                                 or value.is_number and value.is_real
                                 and not sampling.on_a_boundary(sympy.Tuple(a, b), {symbol: value})):
            replace = {symbol: value}
            a, b = a.subs(replace), b.subs(replace)
            context = ProofContext(context.condition.subs(replace), context.timeout)
    return a, b, context


def _combine(verdicts, method, a, b):
    if not verdicts:
        # every region was skipped: the region in force has no interior, nothing was shown
        return Unknown("the region has no interior: a value at a single point is not proved by cases")
    for verdict in verdicts:
        if isinstance(verdict, Refuted):
            return _restate(verdict, a, b)
    for verdict in verdicts:
        if isinstance(verdict, Unknown):
            return verdict
    methods = sorted({v.method for v in verdicts})
    return Proved(f"{method} ({'; '.join(methods)})" if methods else method)


def _vector_entries(expr, point) -> tuple[tuple[str, str], ...]:
    """The values given to z_1..z_n, so a softmax counterexample can be replayed."""
    lengths = [point[s] for s in _lengths(expr) if s in point]
    if not lengths:
        return ()
    labels = sorted({str(base.label) for base in expr.atoms(sympy.IndexedBase)})
    return tuple((f"{label}_{m}", str(sampling.vector_value(m)))
                 for label in labels for m in range(1, max(lengths) + 1))


def _drop_delta(expr, delta):
    return _set_delta(expr, delta, 0)


def _set_delta(expr, delta, value):
    return expr.replace(lambda e: e == delta, lambda e: sympy.Integer(value))


def _restate(refuted: Refuted, a, b) -> Refuted:
    """A refutation found on a part of a and b, restated with their own values."""
    names = {str(s): s for s in (a - b).free_symbols}
    point = {names[k]: sympy.Rational(v) for k, v in refuted.point if k in names}
    if len(point) != len(refuted.point):
        return refuted
    lhs, rhs = _value(a, point), _value(b, point)
    if lhs is None or rhs is None:
        return refuted
    return Refuted(refuted.point, _show(a, point, lhs), _show(b, point, rhs), refuted.method)


def _is_piecewise(expr) -> bool:
    return isinstance(expr, sympy.Basic) and expr.has(
        sympy.Piecewise, sympy.Max, sympy.Min, sympy.Heaviside, sympy.Abs
    )


def _is_matrix(expr) -> bool:
    return isinstance(expr, (sympy.MatrixExpr, sympy.MatrixBase))


def _as_expr(size):
    return sympy.Integer(size) if isinstance(size, int) else size


def _shape(expr):
    return tuple(expr.shape) if _is_matrix(expr) else (1, 1)


def _entry(expr, i, k):
    if isinstance(expr, sympy.MatrixBase):
        return sympy.Integer(0) if expr.shape != (1, 1) else expr[0, 0]
    if _is_matrix(expr):
        return expr[i - 1, k - 1]
    return expr


def _explicit(expr, point):
    if _is_matrix(expr):
        return sympy.sstr(expr.subs(point).as_explicit().tolist())
    return sympy.sstr(expr.subs(point))


def _bound_indices(expr) -> set:
    bound = set()
    for node in expr.atoms(sympy.Sum, sympy.Product):
        bound |= {limit[0] for limit in node.limits}
    return bound


def _lengths(expr) -> set:
    found = set()
    for node in expr.atoms(sympy.Sum):
        for _, _, upper in node.limits:
            found |= {s for s in upper.free_symbols if s.is_integer}
    return found


def _points(a, b, context):
    """Assignments for every free symbol of a and b, indices first."""
    expr = sympy.Tuple(a, b)  # not a - b: the difference may cancel a symbol away
    condition = context.condition
    lengths = sorted(_lengths(expr), key=str)
    bound = _bound_indices(expr)
    free = expr.free_symbols | (condition.free_symbols if condition not in (True, sympy.true) else set())
    integers = sorted((s for s in free if s.is_integer and s not in lengths and s not in bound), key=str)
    labels = {base.label for base in expr.atoms(sympy.IndexedBase)}
    reals = sorted((s for s in free if isinstance(s, sympy.Symbol) and not s.is_integer
                    and s not in bound and s not in labels), key=str)
    tried = 0
    within = vector_range(expr)
    first = within.base if within is not None else 1
    for assignment in sampling.index_assignments(integers, lengths, condition, first):
        try:
            concrete = _concretise(expr, assignment)
        except (TypeError, ValueError, ZeroDivisionError, AttributeError):
            continue  # no value with these indices (a derivative with respect to an entry given a value)
        real_lists = [sampling.real_points(r, concrete, _condition_for(condition, r)) for r in reals]
        for values in _spread(real_lists):
            point = dict(assignment)
            point.update(zip(reals, values))
            if condition not in (True, sympy.true) and _outside(condition, point):
                continue  # outside the region (x > lambda with both sampled)
            yield point
            tried += 1
            if tried > 60:
                return


def _outside(condition, point) -> bool:
    try:
        return condition.subs(point) is sympy.false
    except (TypeError, ValueError):
        return True  # no value there (1/x > 0 at x = 0)


def _condition_for(condition, variable):
    if condition in (True, sympy.true):
        return True
    relevant = [c for c in sympy.And.make_args(condition) if c.free_symbols == {variable}]
    return sympy.And(*relevant) if relevant else True


def _spread(lists):
    """A few combinations of the per-symbol point lists, diagonal first."""
    if not lists:
        yield ()
        return
    if not all(lists):
        return  # a symbol with no point in the region: nothing to try
    longest = max(len(values) for values in lists)
    for offset in range(longest):
        yield tuple(values[(index + offset) % len(values)] for index, values in enumerate(lists))


def _concretise(expr, assignment):
    """Expand sums over concrete lengths and give vector entries values."""
    expr = expr.subs(assignment)
    if expr.has(sympy.Sum, sympy.Product):
        expr = _expand_sums(expr)
    indexed = {node: sampling.vector_value(int(node.indices[0]))
               for node in expr.atoms(sympy.Indexed) if node.indices[0].is_Integer}
    return expr.xreplace(indexed)


def _expand_sums(expr):
    """Sums and products over numeric ranges written out, innermost first;
    a range whose end is below its start is empty (a sum 0, a product 1),
    as a reader means it (SymPy's doit follows Karr's convention there:
    sum_{j=3}^{1} f_j = -f_2)."""
    def expand(node):
        for index, lower, upper in node.limits:
            if not (lower.is_Integer and upper.is_Integer):
                return node.doit()
            if upper - lower >= MAX_TERMS:
                return node  # too long to write out: no value at this point
        body = node.function
        for index, lower, upper in reversed(node.limits):
            values = [body.xreplace({index: sympy.Integer(v)}) for v in range(int(lower), int(upper) + 1)]
            body = sympy.Add(*values) if isinstance(node, sympy.Sum) else sympy.Mul(*values)
        return body

    return expr.replace(lambda e: isinstance(e, (sympy.Sum, sympy.Product)), expand)


@lru_cache(maxsize=256)
def _concretised(expr, assignment: tuple):
    """_concretise, once per expression and index assignment (every real point
    of a numeric search shares it)."""
    return _concretise(expr, dict(assignment))


def _value(expr, point):
    """The value of expr at point, to PRECISION digits, or None if undefined there."""
    concrete = _exact(expr, point)
    if concrete is None:
        return None  # an undefined function or a symbol left: no value here
    try:
        number = concrete.evalf(PRECISION)
        if not number.is_number or number.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            return None
        value = mpmath.mpmathify(complex(number)) if not number.is_real else mpmath.mpf(str(number))
        if isinstance(value, mpmath.mpc):
            return None
        return value
    except (TypeError, ValueError, ZeroDivisionError, AttributeError, RecursionError):
        return None


def _show(expr, point, value) -> str:
    """A short fraction (1/4) when the value is one, else 12 significant digits.

    The value is known to PRECISION digits; a fraction with a small
    denominator that agrees with it to all but the last few digits is shown
    as that fraction (display only: the refutation itself compares the
    values to the last digits)."""
    try:
        exact = _concretise(expr, point).subs(point)
        if exact.is_Rational and len(str(exact)) <= 12:
            return str(exact)
        fraction = sympy.Rational(mpmath.nstr(value, PRECISION)).limit_denominator(10_000)
        if abs(mpmath.mpf(fraction.p) / fraction.q - value) <= mpmath.mpf(10) ** (5 - PRECISION) * max(1, abs(value)):
            if len(str(fraction)) <= 12:
                return str(fraction)
    except (TypeError, ValueError, AttributeError):
        pass
    return mpmath.nstr(value, 12)
