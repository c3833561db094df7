"""Interval extensions (mpmath.iv) of the functions a step may hold: an
enclosure of an exact constant expression at the working precision, or an
exception saying the value is undefined there or the enclosure too wide to
decide a branch."""

from __future__ import annotations

import mpmath
import sympy
from mpmath import iv


class Undefined(Exception):
    """The expression has no real value at the point (log of a negative, ...)."""


class Unsure(Exception):
    """The enclosure at this precision is too wide to decide (a branch, a sign)."""


def bounds(value):
    return mpmath.mpf(value._mpi_[0]), mpmath.mpf(value._mpi_[1])


def _interval(low, high):
    return iv.mpf([low, high])


def _sign_of(value) -> int:
    low, high = bounds(value)
    if low > 0:
        return 1
    if high < 0:
        return -1
    if low == 0 and high == 0:
        return 0
    raise Unsure("sign")


def _positive(value):
    """value, known to be > 0 (log, fractional powers); else undefined or unsure."""
    low, high = bounds(value)
    if high < 0 or (high == 0 and low == 0):
        raise Undefined("no real value")
    if low <= 0:
        raise Unsure("argument near 0")
    return value


def _monotone(function, increasing: bool):
    """An enclosure of a monotone function from its values at the ends,
    computed 10 digits beyond the working precision and widened by a
    relative 10^-(working digits) (mpmath is accurate to a few units in the
    last place of that precision)."""
    def enclose(value):
        low, high = bounds(value)
        with mpmath.workdps(iv.dps + 10):
            at_low, at_high = function(low), function(high)
            complex_ends = [isinstance(v, mpmath.mpc) for v in (at_low, at_high)]
            if all(complex_ends):
                raise Undefined("no real value")
            if any(complex_ends):
                raise Unsure("at the edge of the domain")
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
    low, high = bounds(value)
    if high < 0:
        raise Undefined("no real value")
    if low < 0:
        raise Unsure("argument near 0")
    return value


def _nonzero(value):
    """A divisor, known not to be 0."""
    if _sign_of(value) == 0:
        raise Undefined("division by zero")
    return value


def _integer_part(function):
    def enclose(value):
        low, high = bounds(value)
        if function(low) != function(high):
            raise Unsure("at a jump")
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
    raise Unsure("Heaviside at 0")


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
        raise Unsure("a condition SymPy did not decide")
    function = _FUNCTIONS.get(expr.func)
    if function is None or len(expr.args) != 1:
        raise Unsure(f"no interval extension of {expr.func}")
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
            raise Undefined("division by zero")
        return value ** int(exponent)
    if exponent.is_Rational and exponent.q == 2 and exponent.p > 0:
        return iv.sqrt(_non_negative(enclosure(base))) ** int(exponent.p)
    return iv.exp(enclosure(exponent) * iv.log(_positive(enclosure(base))))


def _extreme(expr):
    values = [enclosure(a) for a in expr.args]
    pick = max if isinstance(expr, sympy.Max) else min
    lows = [bounds(v)[0] for v in values]
    highs = [bounds(v)[1] for v in values]
    return _interval(pick(lows), pick(highs))
