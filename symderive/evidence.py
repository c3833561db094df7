"""What the prover returns: evidence, never a bare boolean."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Proved:
    """The two sides are equal; ``method`` names the strategy that showed it."""

    method: str


@dataclass(frozen=True)
class Refuted:
    """The two sides differ at ``point`` (names to exact values, as text)."""

    point: tuple[tuple[str, str], ...]
    lhs_value: str
    rhs_value: str
    method: str = "evaluation at a point"

    def point_dict(self) -> dict[str, str]:
        return dict(self.point)


@dataclass(frozen=True)
class Unknown:
    """Neither proved nor refuted; ``reason`` says why (timeout, unsupported)."""

    reason: str


@dataclass(frozen=True)
class Approximate:
    """An ``\\approx`` claim: the two sides agree to a relative ``tolerance``
    at ``points`` (names to values, as text), which is all an approximation
    can claim. Never a proof of equality, and ``points`` say where it held."""

    tolerance: float
    points: tuple[tuple[tuple[str, str], ...], ...]
    method: str = "numeric agreement within the tolerance"


Verdict = Proved | Refuted | Unknown
