"""``a \\approx b`` in a post: where the two sides agree, to a relative
tolerance, at points near 0 and further out. Numeric agreement never
proves an equality; an approximation is reported as approximate where it
holds, and refuted only where it holds at none of the points tried.
"""

from __future__ import annotations

import sympy

from ..evidence import Approximate, Refuted, Unknown

APPROX_TOLERANCE = 1e-2

# Where an approximation is tried: near 0 first (Taylor polynomials), then
# further out (asymptotic forms such as sigma(x) ~ 1 for large x). It holds
# where it holds; it is refuted only when it holds at none of them.
APPROX_POINTS = ("1/10", "-1/10", "1/4", "-1/4", "1/2", "-1/2", "1", "-1", "2", "-2", "5", "-5", "10", "-10")
APPROX_DIGITS = 30


def _point_values(symbols, value: str) -> dict:
    """Every free symbol near ``value``: the k-th one at value * (1 + k/10),
    so that two of them are not the same number."""
    base = sympy.Rational(value)
    return {s: base * (1 + sympy.Rational(k, 10)) for k, s in enumerate(symbols)}


def _close(a, b) -> bool | None:
    try:
        left, right = complex(a.evalf(APPROX_DIGITS)), complex(b.evalf(APPROX_DIGITS))
    except (TypeError, ValueError):
        return None
    if not all(map(_finite, (left, right))):
        return None
    return abs(left - right) <= APPROX_TOLERANCE * max(1.0, abs(left))


def _finite(z: complex) -> bool:
    return abs(z.real) < float("inf") and abs(z.imag) < float("inf") and z == z


def approximation(a, b, condition) -> Approximate | Refuted | Unknown:
    """``a \\approx b``: the points of APPROX_POINTS (within the condition)
    where the two sides agree to APPROX_TOLERANCE, relative. Refuted when
    they agree at none of the points that could be evaluated."""
    if isinstance(a, sympy.MatrixBase) or isinstance(b, sympy.MatrixBase):
        return Unknown("an approximation between matrices is not checked")
    symbols = sorted((a.free_symbols | b.free_symbols) - {sympy.S.Pi}, key=str)
    held, missed = [], []
    for value in APPROX_POINTS:
        point = _point_values(symbols, value)
        if condition is not sympy.true and condition.xreplace(point) is not sympy.true:
            continue
        left, right = a.xreplace(point), b.xreplace(point)
        close = _close(left, right)
        if close is None:
            continue
        named = tuple((str(s), str(v)) for s, v in point.items())
        (held if close else missed).append((named, left, right))
    if held:
        return Approximate(APPROX_TOLERANCE, tuple(p for p, _, _ in held))
    if missed:
        named, left, right = missed[0]
        return Refuted(named, str(left.evalf(12)), str(right.evalf(12)),
                       f"no agreement within {APPROX_TOLERANCE:g} (relative) at any point tried")
    return Unknown("the approximation could not be evaluated at any point")
