"""Input limits of the LaTeX front end, in one place.

Every limit is far above what a real derivation writes (the longest display
of the import corpus has about 1,400 characters, the largest exponent 200)
and low enough that nothing the parser builds can make SymPy compute for
minutes or exhaust memory later: numbers are exact, so ``9^{9^{9}}``,
``x^{10^{100}}`` evaluated at x = 1/3, ``\\prod_{k=1}^{10^6} k`` or a
millionth derivative would each be a computation without end. Text over a
limit is a ``LatexSyntaxError`` at the offending token, never a hang.

The checks here are pure: each returns a message, or None when the value
is within its limit; the parser raises the error at the right place.
"""

from __future__ import annotations

import math

import sympy

MAX_LATEX_CHARS = 20_000  # one expression or display (a whole aligned block)
MAX_NESTING = 400  # parse_sum + parse_factor frames: about 200 nested groups
MAX_DIGITS = 4_000  # digits of a number, written or computed as a power
MAX_EXPONENT = 10_000  # absolute value of a number inside an exponent
MAX_EXPONENT_DIGITS = 100  # digits of its numerator or denominator
MAX_DERIVATIVE_ORDER = 100
MAX_TERMS = 10_000  # terms of a sum or product with numeric limits
MAX_PARTS = 500  # parts of one display: a = b = c ... has 3


def text_too_long(text: str) -> str | None:
    if len(text) > MAX_LATEX_CHARS:
        return f"LaTeX text too long ({len(text)} characters, the limit is {MAX_LATEX_CHARS})"
    return None


def exponent_too_large(exponent: sympy.Basic) -> str | None:
    """A number in an exponent beyond MAX_EXPONENT in absolute value
    (``x^{10^{100}}``, ``x^{10^{100} y}``: an exact power of a sample point
    would have that many digits), or written with more than
    MAX_EXPONENT_DIGITS digits (``x^{1/10^{100}}``). A small number with a
    long denominator, as ``e^{10^{-60} x}``, builds nothing large."""
    for number in exponent.atoms(sympy.Rational):
        if abs(number) > MAX_EXPONENT:
            return (f"exponent too large: {_short(number)} (numbers in an exponent are limited to "
                    f"{MAX_EXPONENT} in absolute value)")
        if max(abs(number.p), number.q) >= 10 ** MAX_EXPONENT_DIGITS:
            return (f"exponent too large: {_short(number)} (numbers in an exponent are limited to "
                    f"{MAX_EXPONENT_DIGITS} digits)")
    return None


def power_too_long(base: sympy.Basic, exponent: sympy.Basic) -> str | None:
    """A power whose exact value holds a number of more than MAX_DIGITS
    digits (``10^{5000}``, ``2^{-20000}``, ``((3/2)^{5000})^{9999}``,
    ``(10 x)^{5000}``), estimated without computing it: SymPy folds a
    power of a power, and distributes an integer power over a product, so
    the numbers of the base's powers and factors count, however deeply
    they are nested (a sum is not expanded, so its terms do not)."""
    if not exponent.is_Rational:
        return None
    digits = number_digits(base) * float(abs(exponent))
    if digits > MAX_DIGITS:
        return (f"number too large: ({_short(base)})^{_short(exponent)} has about {digits:.3g} "
                f"digits (the limit is {MAX_DIGITS})")
    return None


def number_digits(expr: sympy.Basic) -> float:
    """An upper bound on the decimal digits of the numbers SymPy may compute
    from ``expr`` when raising it to a power: those of a rational, times the
    exponent of a power, added over the factors of a product."""
    if expr.is_Rational:
        return max(_log10(abs(expr.p)), _log10(expr.q))
    if expr.is_Pow and expr.exp.is_Rational:
        return number_digits(expr.base) * float(abs(expr.exp))
    if expr.is_Mul:
        return sum((number_digits(arg) for arg in expr.args), 0.0)
    return 0.0


def order_too_large(digits: str) -> str | None:
    if len(digits) > len(str(MAX_DERIVATIVE_ORDER)) or int(digits) > MAX_DERIVATIVE_ORDER:
        return f"derivative order {_short_text(digits)} too large (the limit is {MAX_DERIVATIVE_ORDER})"
    return None


def too_many_terms(lower: sympy.Basic, upper: sympy.Basic) -> str | None:
    """A sum or product whose numeric limits span more than MAX_TERMS terms."""
    if not (lower.is_Number and upper.is_Number):
        return None
    if upper.is_finite and lower.is_finite and abs(upper - lower) + 1 > MAX_TERMS:
        return (f"too many terms: {_short(lower)} to {_short(upper)} (a sum or product with numeric "
                f"limits has at most {MAX_TERMS} terms)")
    return None


def _log10(n: int) -> float:
    return math.log10(n) if n > 0 else 0.0


def _short(number: sympy.Basic) -> str:
    return _short_text(str(number))


def _short_text(text: str) -> str:
    return text if len(text) <= 24 else f"{text[:10]}...({len(text)} characters)"
