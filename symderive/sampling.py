"""Points at which to evaluate two expressions to look for a counterexample.

Numbers found here may refute a step, never prove one. Points cover every
region of piecewise expressions (both sides of each kink, never the kink
itself), respect the region a case is restricted to, and give indices and
symbolic lengths small concrete values so sums can be expanded.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Iterator

import mpmath
import sympy
from mpmath import iv
from sympy import Rational

# Nice points first: a counterexample at x = 0 reads better than at x = 7/3.
REAL_POINTS = tuple(
    Rational(p) for p in ("0", "1", "-1", "1/2", "-1/2", "2", "-2", "1/3", "-3/2", "3", "-5/2", "7/3")
)
VECTOR_VALUES = tuple(Rational(p) for p in ("1/2", "-1", "2", "1/3", "-1/4", "3/2", "0", "-2"))
LENGTHS = (3, 4, 2)


@dataclass(frozen=True)
class Point:
    """An assignment of exact values to symbols, plus values for sums' lengths."""

    values: dict

    def describe(self) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((str(k), str(v)) for k, v in self.values.items()))


def boundaries(expr: sympy.Basic) -> list[sympy.Expr]:
    """Expressions that are zero where a piecewise part of ``expr`` switches
    (x - lambda for a kink at x = lambda): points where one is zero are not
    sampled, since a derivative's value there is a convention."""
    found = []
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, (sympy.Max, sympy.Min)):
            found += [a - b for a, b in itertools.combinations(node.args, 2)]
        elif isinstance(node, (sympy.Heaviside, sympy.Abs, sympy.sign)):
            found.append(node.args[0])
        elif isinstance(node, sympy.Piecewise):
            for _, condition in node.args:
                found += [r.lhs - r.rhs for r in condition.atoms(sympy.core.relational.Relational)]
    return found


def on_a_boundary(expr: sympy.Basic, point: dict) -> bool:
    for boundary in boundaries(expr):
        value = boundary.subs(point)
        if value.is_number and value == 0:
            return True
    return False


def _switching(node) -> list:
    """Expressions that are zero where ``node`` switches branch."""
    if isinstance(node, (sympy.Max, sympy.Min)):
        return [a - b for a, b in itertools.combinations(node.args, 2)]
    if isinstance(node, (sympy.Heaviside, sympy.Abs, sympy.sign)):
        return [node.args[0]]
    if isinstance(node, (sympy.Piecewise, sympy.And, sympy.Or, sympy.Not, sympy.core.relational.Relational)):
        relations = node.atoms(sympy.core.relational.Relational)
        return [r.lhs - r.rhs for r in relations if not isinstance(r, (sympy.Eq, sympy.Ne))]
    return []


def _polynomial(candidate, variable):
    if not candidate.has(variable) or not candidate.is_polynomial(variable):
        return None
    try:
        polynomial = sympy.Poly(candidate, variable)
    except sympy.PolynomialError:
        return None
    return polynomial if all(c.is_number for c in polynomial.all_coeffs()) else None


def kinks(expr: sympy.Basic, variable: sympy.Symbol) -> set[sympy.Expr]:
    """Exact points where a piecewise part of ``expr`` (or a condition)
    switches, in ``variable``: the roots of linear switching expressions."""
    found: set[sympy.Expr] = set()
    for node in sympy.preorder_traversal(expr):
        for candidate in _switching(node):
            polynomial = _polynomial(candidate, variable)
            if polynomial is not None and polynomial.degree() == 1:
                low, high = polynomial.all_coeffs()[1], polynomial.all_coeffs()[0]
                root = -low / high
                if root.is_real:
                    found.add(root)
    return found


WINDOW = 6  # where jumps of floor and ceiling are looked for: -6 <= x <= 6
MAX_BREAKS = 48


def approximate_breaks(expr: sympy.Basic, variable: sympy.Symbol) -> list[sympy.Rational]:
    """Rational points near where ``expr`` switches but no exact linear root
    says so: real roots of polynomial switching expressions of higher degree
    (x^2 < 30 switches near 5.477), and the jumps of floor and ceiling of a
    linear argument inside the window. Points around them are sampled, not
    the points themselves, so an approximation is enough."""
    found = []
    for node in sympy.preorder_traversal(expr):
        for candidate in _switching(node):
            polynomial = _polynomial(candidate, variable)
            if polynomial is not None and 1 < polynomial.degree() <= 8:
                try:
                    roots = polynomial.nroots(n=20)
                except (sympy.polys.polyerrors.PolynomialError, mpmath.libmp.NoConvergence):
                    continue
                found += [Rational(str(r)) for r in roots if r.is_real]
        if isinstance(node, (sympy.floor, sympy.ceiling)):
            polynomial = _polynomial(node.args[0], variable)
            if polynomial is not None and polynomial.degree() == 1:
                slope, offset = polynomial.all_coeffs()
                if slope.is_Rational and offset.is_Rational:
                    ends = sorted((slope * -WINDOW + offset, slope * WINDOW + offset))
                    jumps = range(int(sympy.ceiling(ends[0])), int(sympy.floor(ends[1])) + 1)
                    found += [(m - offset) / slope for m in jumps[:MAX_BREAKS]]  # a range: sliced lazily
    return found[:MAX_BREAKS]


def real_points(variable: sympy.Symbol, expr: sympy.Expr, condition) -> list[sympy.Expr]:
    """Sample values for ``variable``: the nice points, both sides of every
    kink, and a point inside every interval between the breakpoints found
    (kinks, case bounds, zeros of sgn and Abs arguments, roots of polynomial
    conditions, floor and ceiling jumps), so that a branch wrong only on
    [5, 6) or [1/2, 3/5) is seen; never a kink itself, never a point
    outside ``condition``."""
    region = condition if condition not in (True, sympy.true) else sympy.true
    breaks = kinks(sympy.Tuple(expr, region), variable)
    points = list(REAL_POINTS)
    for k in sorted(breaks, key=sympy.default_sort_key):
        points += [k + Rational(1, 7), k - Rational(1, 7), k + Rational(1, 1000), k - Rational(1, 1000)]
    near = approximate_breaks(sympy.Tuple(expr, region), variable)
    for k in near:
        points += [k + Rational(1, 1000), k - Rational(1, 1000)]
    ordered = sorted(set(near) | {b for b in breaks if b.is_Rational} | {_rational(b) for b in breaks},
                     key=float)
    points += [(low + high) / 2 for low, high in zip(ordered, ordered[1:])]
    if ordered:
        points += [ordered[0] - 1, ordered[-1] + 1]
    points = [p for p in dict.fromkeys(points) if p not in breaks and _allowed(variable, p)]
    if region is not sympy.true and region.free_symbols == {variable}:
        points = [p for p in points if _holds(region, variable, p)]
    return points


def _rational(value) -> Rational:
    return value if value.is_Rational else Rational(str(value.evalf(20)))


def _holds(condition, variable, value) -> bool:
    """Whether ``condition`` is true at variable = value (False when SymPy
    cannot decide, or the condition has no value there: 1/x > 0 at 0)."""
    try:
        return condition.subs(variable, value) is sympy.true
    except (TypeError, ValueError):
        return False


def _allowed(symbol: sympy.Symbol, value) -> bool:
    """A value the symbol's assumptions allow (a parameter declared positive
    is never given -1: SymPy may already have simplified with its sign)."""
    if symbol.is_positive and not value > 0:
        return False
    if symbol.is_nonnegative and value < 0:
        return False
    if symbol.is_negative and not value < 0:
        return False
    if symbol.is_nonpositive and value > 0:
        return False
    return True


def index_assignments(integers: list[sympy.Symbol], lengths: list[sympy.Symbol], condition,
                      first: int = 1) -> Iterator[dict]:
    """Concrete values for free index symbols and symbolic lengths (n): the
    indices run over the vector range, first..first + n - 1 (1..n, or
    0..n-1 for a 0-based claim), as far as their declarations allow."""
    for n_value in LENGTHS:
        base = {n: n_value for n in lengths}
        ranges = [[v for v in range(first, first + n_value) if _allowed(symbol, v)] for symbol in integers]
        for values in itertools.product(*ranges):
            assignment = dict(base)
            assignment.update(zip(integers, values))
            if condition not in (True, sympy.true) and condition.free_symbols <= set(assignment):
                if condition.subs(assignment) is not sympy.true:
                    continue
            yield assignment


def vector_value(position: int) -> sympy.Expr:
    return VECTOR_VALUES[position % len(VECTOR_VALUES)] + Rational(position // len(VECTOR_VALUES), 5)


# -- confirming a difference: interval arithmetic at rising precision ----------

PRECISIONS = (30, 60, 120, 240, 480, 960, 1920, 3840, 7680)  # decimal digits
AGREE_DIGITS = 40  # beyond the 30 digits at which the first evaluation sees a difference


class _Undefined(Exception):
    """The expression has no real value at the point (log of a negative, ...)."""


class _Unsure(Exception):
    """The enclosure at this precision is too wide to decide (a branch, a sign)."""


@dataclass(frozen=True)
class Separation:
    """What interval evaluation of both sides at one exact point showed:
    ``differ`` (the enclosures are disjoint: a certain counterexample),
    ``agree`` (they overlap and are both narrower than AGREE_DIGITS: the
    difference seen at lower precision was rounding), ``undefined`` (a side
    has no real value there) or ``precision`` (neither, up to ``digits``)."""

    outcome: str
    digits: int
    lhs: object = None
    rhs: object = None


def _bounds(value):
    return mpmath.mpf(value._mpi_[0]), mpmath.mpf(value._mpi_[1])


def _interval(low, high):
    return iv.mpf([low, high])


def _sign_of(value) -> int:
    low, high = _bounds(value)
    if low > 0:
        return 1
    if high < 0:
        return -1
    if low == 0 and high == 0:
        return 0
    raise _Unsure("sign")


def _positive(value):
    """value, known to be > 0 (log, fractional powers); else undefined or unsure."""
    low, high = _bounds(value)
    if high < 0 or (high == 0 and low == 0):
        raise _Undefined("no real value")
    if low <= 0:
        raise _Unsure("argument near 0")
    return value


def _monotone(function, increasing: bool):
    """An enclosure of a monotone function from its values at the ends,
    computed 10 digits beyond the working precision and widened by a
    relative 10^-(working digits) (mpmath is accurate to a few units in the
    last place of that precision)."""
    def enclose(value):
        low, high = _bounds(value)
        with mpmath.workdps(iv.dps + 10):
            at_low, at_high = function(low), function(high)
            complex_ends = [isinstance(v, mpmath.mpc) for v in (at_low, at_high)]
            if all(complex_ends):
                raise _Undefined("no real value")
            if any(complex_ends):
                raise _Unsure("at the edge of the domain")
            if not increasing:
                at_low, at_high = at_high, at_low
            slack = mpmath.mpf(10) ** (2 - iv.dps)  # also covers rounding to the interval's precision
            return _interval(at_low - abs(at_low) * slack, at_high + abs(at_high) * slack)
    return enclose


def _atan(value):
    return iv.atan2(value, iv.mpf(1))


def _asin(value):
    return iv.atan2(value, iv.sqrt(_non_negative(1 - value * value)))


def _acos(value):
    return iv.atan2(iv.sqrt(_non_negative(1 - value * value)), value)


def _non_negative(value):
    low, high = _bounds(value)
    if high < 0:
        raise _Undefined("no real value")
    if low < 0:
        raise _Unsure("argument near 0")
    return value


def _nonzero(value):
    """A divisor, known not to be 0."""
    if _sign_of(value) == 0:
        raise _Undefined("division by zero")
    return value


def _integer_part(function):
    def enclose(value):
        low, high = _bounds(value)
        if function(low) != function(high):
            raise _Unsure("at a jump")
        return iv.mpf(function(low))
    return enclose


_FUNCTIONS = {
    sympy.exp: iv.exp,
    sympy.log: lambda v: iv.log(_positive(v)),
    sympy.sin: iv.sin,
    sympy.cos: iv.cos,
    sympy.tan: iv.tan,
    sympy.atan: _atan,
    sympy.asin: _asin,
    sympy.acos: _acos,
    sympy.sinh: lambda v: (iv.exp(v) - iv.exp(-v)) / 2,
    sympy.cosh: lambda v: (iv.exp(v) + iv.exp(-v)) / 2,
    sympy.tanh: lambda v: 1 - 2 / (iv.exp(2 * v) + 1),
    sympy.sech: lambda v: 2 / (iv.exp(v) + iv.exp(-v)),
    sympy.csch: lambda v: 2 / _nonzero(iv.exp(v) - iv.exp(-v)),
    sympy.coth: lambda v: 1 + 2 / _nonzero(iv.exp(2 * v) - 1),
    sympy.sec: lambda v: 1 / _nonzero(iv.cos(v)),
    sympy.csc: lambda v: 1 / _nonzero(iv.sin(v)),
    sympy.cot: lambda v: iv.cos(v) / _nonzero(iv.sin(v)),
    sympy.atanh: _monotone(mpmath.atanh, True),
    sympy.acosh: _monotone(mpmath.acosh, True),
    sympy.erf: _monotone(mpmath.erf, True),
    sympy.erfc: _monotone(mpmath.erfc, False),
    sympy.asinh: _monotone(mpmath.asinh, True),
    sympy.floor: _integer_part(mpmath.floor),
    sympy.ceiling: _integer_part(mpmath.ceil),
    sympy.Abs: lambda v: iv.mpf(_sign_of(v)) * v,
    sympy.sign: lambda v: iv.mpf(_sign_of(v)),
    sympy.Heaviside: lambda v: iv.mpf((_sign_of(v) + 1) / 2) if _sign_of(v) else _raise_unsure(),
}


def _raise_unsure():
    raise _Unsure("Heaviside at 0")


def enclosure(expr: sympy.Expr):
    """An interval (mpmath.iv, at iv.dps digits) that contains the value of
    the exact constant expression ``expr``."""
    if expr.is_Integer:
        return iv.mpf(int(expr))
    if expr.is_Rational:
        return iv.mpf(int(expr.p)) / int(expr.q)
    if expr.is_Float:
        return iv.mpf(mpmath.mpf(expr._mpf_))
    if expr is sympy.pi:
        return iv.pi
    if expr is sympy.E:
        return iv.e
    if expr.is_Add:
        return _fold(expr.args, lambda x, y: x + y)
    if expr.is_Mul:
        return _fold(expr.args, lambda x, y: x * y)
    if expr.is_Pow:
        return _power(*expr.args)
    if isinstance(expr, (sympy.Max, sympy.Min)):
        return _extreme(expr)
    if isinstance(expr, sympy.Piecewise):
        raise _Unsure("a condition SymPy did not decide")
    function = _FUNCTIONS.get(expr.func)
    if function is None or len(expr.args) != 1:
        raise _Unsure(f"no interval extension of {expr.func}")
    return function(enclosure(expr.args[0]))


def _fold(args, combine):
    values = [enclosure(a) for a in args]
    result = values[0]
    for value in values[1:]:
        result = combine(result, value)
    return result


def _power(base, exponent):
    if exponent.is_Integer:
        value = enclosure(base)
        if exponent < 0 and _sign_of(value) == 0:
            raise _Undefined("division by zero")
        return value ** int(exponent)
    if exponent.is_Rational and exponent.q == 2 and exponent.p > 0:
        return iv.sqrt(_non_negative(enclosure(base))) ** int(exponent.p)
    return iv.exp(enclosure(exponent) * iv.log(_positive(enclosure(base))))


def _extreme(expr):
    values = [enclosure(a) for a in expr.args]
    pick = max if isinstance(expr, sympy.Max) else min
    lows = [_bounds(v)[0] for v in values]
    highs = [_bounds(v)[1] for v in values]
    return _interval(pick(lows), pick(highs))


def _narrow(value, digits: int) -> bool:
    low, high = _bounds(value)
    scale = max(abs(low), abs(high))
    return high - low <= scale * mpmath.mpf(10) ** -digits or high == low


def separate(lhs: sympy.Expr, rhs: sympy.Expr, seconds: float = 3.0) -> Separation:
    """Both sides (exact constants) evaluated in interval arithmetic at
    rising precision until the enclosures are disjoint, agree, or a side is
    undefined; ``precision`` when none of these is certain in time."""
    start = time.monotonic()
    digits = PRECISIONS[0]
    for digits in PRECISIONS:
        began = time.monotonic()
        try:
            left, right = _enclosures(lhs, rhs, digits)
        except _Undefined:
            return Separation("undefined", digits)
        except (_Unsure, ZeroDivisionError, mpmath.libmp.ComplexResult, ValueError, OverflowError, TypeError,
                NotImplementedError):
            left = right = None
        if left is not None:
            (l_low, l_high), (r_low, r_high) = _bounds(left), _bounds(right)
            if l_high < r_low or r_high < l_low:
                return Separation("differ", digits, left, right)
            if _narrow(left, AGREE_DIGITS) and _narrow(right, AGREE_DIGITS):
                return Separation("agree", digits, left, right)
        now = time.monotonic()
        if now - start + 4 * (now - began) > seconds:  # twice the digits cost about four times as much
            break
    return Separation("precision", digits)


def _enclosures(lhs, rhs, digits):
    saved = iv.dps
    iv.dps = digits
    try:
        return enclosure(lhs), enclosure(rhs)
    finally:
        iv.dps = saved


def midpoint(value) -> mpmath.mpf:
    low, high = _bounds(value)
    return (low + high) / 2
