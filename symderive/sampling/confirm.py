"""Confirming a difference: both sides of a step at one exact point in
interval arithmetic at rising precision, until the enclosures are disjoint
(a certain counterexample), agree, or time runs out (unknown: precision)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum

import mpmath
import sympy
from mpmath import iv

from .intervals import Undefined, Unsure, bounds, enclosure

PRECISIONS = (30, 60, 120, 240, 480, 960, 1920, 3840, 7680)  # decimal digits
AGREE_DIGITS = 40  # beyond the 30 digits at which the first evaluation sees a difference


class SeparationOutcome(StrEnum):
    """What interval evaluation of both sides at one exact point showed."""

    DIFFER = "differ"          # the enclosures are disjoint: a certain counterexample
    AGREE = "agree"            # they overlap, both narrower than AGREE_DIGITS: the difference seen was rounding
    UNDEFINED = "undefined"    # a side has no real value there
    PRECISION = "precision"    # neither, up to the digits tried


@dataclass(frozen=True)
class Separation:
    """The outcome of interval evaluation at one point, at ``digits`` digits,
    with the two enclosures when they were computed."""

    outcome: SeparationOutcome
    digits: int
    lhs: object = None
    rhs: object = None


def _narrow(value, digits: int) -> bool:
    low, high = bounds(value)
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
        except Undefined:
            return Separation(SeparationOutcome.UNDEFINED, digits)
        except (Unsure, ZeroDivisionError, mpmath.libmp.ComplexResult, ValueError, OverflowError, TypeError,
                NotImplementedError):
            left = right = None
        if left is not None:
            (l_low, l_high), (r_low, r_high) = bounds(left), bounds(right)
            if l_high < r_low or r_high < l_low:
                return Separation(SeparationOutcome.DIFFER, digits, left, right)
            if _narrow(left, AGREE_DIGITS) and _narrow(right, AGREE_DIGITS):
                return Separation(SeparationOutcome.AGREE, digits, left, right)
        now = time.monotonic()
        if now - start + 4 * (now - began) > seconds:  # twice the digits cost about four times as much
            break
    return Separation(SeparationOutcome.PRECISION, digits)


def _enclosures(lhs, rhs, digits):
    saved = iv.dps
    iv.dps = digits
    try:
        return enclosure(lhs), enclosure(rhs)
    finally:
        iv.dps = saved


def midpoint(value) -> mpmath.mpf:
    low, high = bounds(value)
    return (low + high) / 2
