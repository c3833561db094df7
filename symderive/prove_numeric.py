"""Numeric refutation and the last resort: evaluate both sides at points in
every region, and let ``simplify`` try what no exact strategy proved.

Numeric evaluation only refutes: a difference seen at PRECISION digits is
confirmed in interval arithmetic (``sampling.separate``) before it is
reported. ``simplify`` runs in a child process killed at the time limit.
The helpers here also give a point's values to the other strategies
(``value_at``, ``display_value``, ``restate``).
"""

from __future__ import annotations

import itertools
import time
from functools import lru_cache

import mpmath
import sympy
from sympy.core.function import AppliedUndef

from .runner import Timeout, run_with_deadline
from .evidence import Proved, Refuted, Unknown, UnknownKind
from .kronecker import vector_range
from . import sampling
from .sampling import SeparationOutcome

PRECISION = 50
MAX_TERMS = 1000  # a sum over a longer numeric range is not written out to be evaluated
TOLERANCE = mpmath.mpf(10) ** -30
_NOT_SEPARATED = sampling.Separation(SeparationOutcome.PRECISION, 0)


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
    original = a, b
    scalars = sampling.scalar_vectors(sympy.Tuple(a, b))  # a vector never indexed: its one entry
    a, b = a.xreplace(scalars), b.xreplace(scalars)
    for point in _points(a, b, context):
        if sampling.on_a_boundary(sympy.Tuple(a, b), point, context.condition):
            continue
        lhs, rhs = value_at(a, point), value_at(b, point)
        if lhs is None or rhs is None:
            continue
        scale = max(mpmath.mpf(1), abs(lhs), abs(rhs))
        if abs(lhs - rhs) <= TOLERANCE * scale:
            continue
        seconds = min(context.timeout / 4, ends - time.monotonic())
        separation = _separate(a, b, point, seconds) if seconds > 0 else _NOT_SEPARATED
        if separation.outcome is SeparationOutcome.DIFFER:
            left, right = sampling.midpoint(separation.lhs), sampling.midpoint(separation.rhs)
            shown = display_value(a, point, left), display_value(b, point, right)
            if shown[0] == shown[1]:  # close values: as many digits as tell them apart
                shown = mpmath.nstr(left, 40), mpmath.nstr(right, 40)
            return Refuted(
                point=sampling.Point(point).describe() + _vector_entries(sympy.Tuple(a, b), point),
                lhs_value=shown[0], rhs_value=shown[1])
        if separation.outcome is SeparationOutcome.PRECISION and (unsure is None or unsure[1] < separation.digits):
            unsure = (point, separation.digits)
    if unsure is None:
        return None
    verdict = simplify_last_resort(*original, context)
    if isinstance(verdict, Proved):
        return verdict
    point, digits = unsure
    where = ", ".join(f"{k} = {v}" for k, v in sampling.Point(point).describe())
    return Unknown(f"precision: the two sides differ at {where} when evaluated to {PRECISION} digits, "
                   f"but interval arithmetic up to {digits} digits does not separate them")


def _separate(a, b, point, seconds) -> sampling.Separation:
    """Both sides at ``point``, exactly, through ``sampling.separate``."""
    lhs, rhs = exact_at(a, point), exact_at(b, point)
    if lhs is None or rhs is None:
        return _NOT_SEPARATED
    return sampling.separate(lhs, rhs, seconds=seconds)


def exact_at(expr, point):
    """expr at point as an exact constant expression, or None."""
    try:
        concrete = _concretised(expr, tuple(sorted(((k, v) for k, v in point.items() if k.is_integer),
                                                   key=lambda item: str(item[0]))))
        if concrete.atoms(AppliedUndef):
            return None  # a function the post never defines: no value at any point (and doit may be slow)
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
        return Unknown(f"simplify: {error}", UnknownKind.TIMEOUT)
    except RuntimeError as error:
        return Unknown(f"simplify failed: {error}", UnknownKind.ERROR)
    except (StopIteration, ValueError, TypeError, AttributeError, RecursionError) as error:
        # SymPy's own failure inside a worker, where simplify runs inline
        return Unknown(f"simplify failed: {type(error).__name__}", UnknownKind.ERROR)
    return Unknown("no strategy proved or refuted the step")


def restate(refuted: Refuted, a, b) -> Refuted:
    """A refutation found on a part of a and b, restated with their own values."""
    names = {str(s): s for s in (a - b).free_symbols}
    point = {names[k]: sympy.Rational(v) for k, v in refuted.point if k in names}
    if len(point) != len(refuted.point) and not point:
        return refuted  # a length the sides no longer show (B of X in R^{B x M}) is kept in the point
    lhs, rhs = value_at(a, point), value_at(b, point)
    if lhs is None or rhs is None:
        return refuted
    return Refuted(refuted.point, display_value(a, point, lhs), display_value(b, point, rhs), refuted.method)


def _vector_entries(expr, point) -> tuple[tuple[str, str], ...]:
    """The values given to z_1..z_n, so a softmax counterexample can be replayed."""
    lengths = [point[s] for s in _lengths(expr) if s in point]
    if not lengths:  # no length: the entries the claim writes, at the point's indices (theta_0, x_1)
        indices = {k: v for k, v in point.items() if k.is_integer}
        entries = {entry.xreplace(indices) for entry in expr.atoms(sympy.Indexed)}
        return tuple((f"{e.base.label}_{','.join(map(str, e.indices))}",
                      str(sampling.vector_value(tuple(int(i) for i in e.indices), e.base.label)))
                     for e in sorted(entries, key=str) if all(i.is_Integer for i in e.indices))
    # a matrix's entries are not z_1..z_n: only the vectors (one index) are listed
    ranks = {}
    for entry in expr.atoms(sympy.Indexed):
        ranks.setdefault(entry.base, set()).add(len(entry.indices))
    labels = sorted({str(base.label) for base in expr.atoms(sympy.IndexedBase) if ranks.get(base, {1}) == {1}})
    return tuple((f"{label}_{m}", str(sampling.vector_value(m, label)))
                 for label in labels for m in range(1, max(lengths) + 1))


def bound_indices(expr) -> set:
    bound = set()
    for node in expr.atoms(sympy.Sum, sympy.Product):
        bound |= {limit[0] for limit in node.limits}
    return bound


def _lengths(expr, condition=sympy.true) -> set:
    """The lengths: integer symbols in a sum's upper limit, and those that
    bound an index in an inequality of a case condition, either way round:
    the symbols of a bound written as an expression (t <= N + 1, b > d + 1),
    or a bound that is one capital letter (t <= N); never a symbol that
    indexes an entry. After a sum over the batch collapses its length is
    left only there, and sampled as an index it would put t outside the
    batch (t = 3 with N = 1)."""
    found = set()
    for node in expr.atoms(sympy.Sum):
        for _, _, upper in node.limits:
            found |= {s for s in upper.free_symbols if s.is_integer}
    conditions = [c for node in expr.atoms(sympy.Piecewise) for _, c in node.args]
    if condition not in (True, sympy.true):
        conditions.append(condition)
    indices = {i for entry in expr.atoms(sympy.Indexed) for i in entry.indices if i.is_Symbol}
    for relation in (r for c in conditions if isinstance(c, sympy.Basic)
                     for r in c.atoms(sympy.core.relational.Relational)):
        if not isinstance(relation, (sympy.Le, sympy.Lt, sympy.Ge, sympy.Gt)):
            continue
        for index, bound in ((relation.lhs, relation.rhs), (relation.rhs, relation.lhs)):
            if index.is_Symbol and index.is_integer and (not bound.is_Symbol or len(bound.name) == 1
                                                          and bound.name.isupper()):
                found |= {s for s in bound.free_symbols if s.is_integer and s not in indices and s != index}
    return found - bound_indices(expr)


def _points(a, b, context):
    """Assignments for every free symbol of a and b, indices first."""
    expr = sympy.Tuple(a, b)  # not a - b: the difference may cancel a symbol away
    condition = context.condition
    bound = bound_indices(expr)
    free = expr.free_symbols | (condition.free_symbols if condition not in (True, sympy.true) else set())
    declared = dict(context.declared.indices)
    lengths = sorted(_lengths(expr, condition) | {n for n in declared.values() if n.is_Symbol}
                     | (context.declared.sums & free), key=str)
    integers = sorted((s for s in free if s.is_integer and s not in lengths and s not in bound), key=str)
    labels = {base.label for base in expr.atoms(sympy.IndexedBase)}
    reals = sorted((s for s in free if isinstance(s, sympy.Symbol) and not s.is_integer
                    and s not in bound and s not in labels), key=str)
    tried = diagonals = 0  # the diagonal points have a budget of their own
    within = vector_range(expr, context.declared.indices)
    first = within.base if within is not None else 1
    stretch = declared if set(lengths) <= context.declared.lengths else {}
    for assignment in _index_assignments(integers, lengths, condition, first, stretch, context.declared.inside,
                                         context.declared.lengths if stretch else ()):
        try:
            concrete = _concretise(expr, assignment)
        except (TypeError, ValueError, ZeroDivisionError, AttributeError):
            continue  # no value with these indices (a derivative with respect to an entry given a value)
        real_lists = [sampling.real_points(r, concrete, _condition_for(condition, r)) for r in reals]
        for values, diagonal in _spread(real_lists):
            if diagonal and diagonals >= 30:
                break
            point = dict(assignment)
            point.update(zip(reals, values))
            if condition not in (True, sympy.true) and not _inside(condition, assignment, point):
                continue  # outside the region (x > lambda with both sampled), or not known inside
            yield point
            diagonals += diagonal
            tried += not diagonal
            if tried > 60:
                return


DECLARED_SIZES = (2, 3)  # the other lengths' value when one declared length is one longer


def _index_assignments(integers, lengths, condition, first, declared: dict, inside=(), named=()):
    """``sampling.index_assignments``, which gives every length one value;
    with declared lengths (X in R^{B x M}: i in 1..B) first each declared
    length one longer than every other, each declared index over its own
    length, so that rows B > M are visited where the sums stop at M. The
    caller stretches only when every length of the claim is declared: a
    sum to K that no shape names may run to one of them; and only to sizes
    where each sum over a declared axis stays inside it (``inside``). Every
    length a shape names (``named``) is stretched, not only those of a free
    index: a batch B of y = X W^T has rows past M with no free index at B."""
    stretched = sorted({n for n in declared.values() if n.is_Symbol} | {n for n in named if n.is_Symbol}, key=str)
    for size in DECLARED_SIZES if stretched else ():
        for longer in stretched:
            sizes = {n: size + (n == longer) for n in lengths}
            if not all(sympy.Le(upper, length).xreplace(sizes) is sympy.true for upper, length in inside):
                continue
            ranges = [_declared_range(s, declared, sizes) or _own_range(s, first, size) for s in integers]
            for values in itertools.product(*ranges):
                assignment = dict(sizes)
                assignment.update(zip(integers, values))
                if condition in (True, sympy.true) or not condition.free_symbols <= set(assignment) \
                        or condition.subs(assignment) is sympy.true:
                    yield assignment
    yield from sampling.index_assignments(integers, lengths, condition, first)


def _own_range(index, first: int, size: int) -> list:
    return [v for v in range(first, first + size) if not (index.is_positive and v < 1)]


def _declared_range(index, declared: dict, sizes: dict) -> range | None:
    length = declared.get(index)
    if length is None:
        return None
    top = sizes.get(length) if length.is_Symbol else int(length) if length.is_Integer else None
    return range(1, top + 1) if top is not None else None


def _inside(condition, assignment, point) -> bool:
    """Whether the point is certainly in the region. A condition that does not
    evaluate to true there (a sum of data entries equal to 1, with the entries
    the search gives vectors; a function the post never defines) is no place
    for a counterexample: a point outside the case refutes nothing."""
    try:
        return _concretise(condition, assignment).subs(point) is sympy.true
    except (TypeError, ValueError, ZeroDivisionError, AttributeError):
        return False  # no value there (1/x > 0 at x = 0)


def _condition_for(condition, variable):
    if condition in (True, sympy.true):
        return True
    relevant = [c for c in sympy.And.make_args(condition) if c.free_symbols == {variable}]
    return sympy.And(*relevant) if relevant else True


def _spread(lists):
    """Combinations of the per-symbol point lists, as (values, diagonal):
    first each symbol one position further along its list than the one
    before, then every symbol at the same position. The lists alternate in
    sign, so the first kind alone never gives two symbols one sign (y s >= 1
    would go unsampled)."""
    if not lists:
        yield (), False
        return
    if not all(lists):
        return  # a symbol with no point in the region: nothing to try
    longest = max(len(values) for values in lists)
    seen = set()
    for shift in (1, 0):
        for offset in range(longest):
            values = tuple(v[(shift * index + offset) % len(v)] for index, v in enumerate(lists))
            if values not in seen:
                seen.add(values)
                yield values, shift == 0


def _concretise(expr, assignment):
    """Expand sums over concrete lengths and give vector entries values."""
    expr = expr.subs(assignment)
    if expr.has(sympy.Sum, sympy.Product):
        expr = _expand_sums(expr)
    indexed = {node: sampling.vector_value(tuple(int(k) for k in node.indices), node.base.label)
               for node in expr.atoms(sympy.Indexed) if all(k.is_Integer for k in node.indices)}
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


def value_at(expr, point):
    """The value of expr at point, to PRECISION digits, or None if undefined there."""
    concrete = exact_at(expr, point)
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


def display_value(expr, point, value) -> str:
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
