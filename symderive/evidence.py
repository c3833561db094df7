"""What the prover returns: evidence, never a bare boolean.

This is the bottom of the model layer: it imports nothing of symderive.
A verdict's name as text ("proved", "refuted", ...) lives only in
``Verdict``, a ``StrEnum``: code compares members, and the text appears
when a report is written out.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Verdict(StrEnum):
    """The kind of a piece of evidence, named as reports write it."""

    PROVED = "proved"
    REFUTED = "refuted"
    UNKNOWN = "unknown"
    APPROXIMATE = "approximate"


class UnknownKind(StrEnum):
    """Why nothing was decided. Only ``UNDECIDED`` is a lasting answer about
    the mathematics; a ``TIMEOUT`` or an ``ERROR`` depends on the machine
    and the run, so it is never cached."""

    UNDECIDED = "undecided"   # no strategy decides it, or the input is not supported
    TIMEOUT = "timeout"       # the time limit ran out
    ERROR = "error"           # a worker or a library failed outside the mathematics


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

    def point_text(self) -> str:
        """``x = 0, y = 1``, or ``every point`` when the sides differ everywhere."""
        return ", ".join(f"{k} = {v}" for k, v in self.point) or "every point"


@dataclass(frozen=True)
class Unknown:
    """Neither proved nor refuted; ``reason`` says why in words, ``kind``
    whether the answer lasts (see ``UnknownKind``)."""

    reason: str
    kind: UnknownKind = UnknownKind.UNDECIDED

    @property
    def lasting(self) -> bool:
        """True when running again on any machine would give the same answer."""
        return self.kind is UnknownKind.UNDECIDED


@dataclass(frozen=True)
class Approximate:
    """An ``\\approx`` claim: the two sides agree to a relative ``tolerance``
    at ``points`` (names to values, as text), which is all an approximation
    can claim. Never a proof of equality, and ``points`` say where it held."""

    tolerance: float
    points: tuple[tuple[tuple[str, str], ...], ...]
    method: str = "numeric agreement within the tolerance"


Evidence = Proved | Refuted | Unknown

_VERDICTS = {Proved: Verdict.PROVED, Refuted: Verdict.REFUTED, Unknown: Verdict.UNKNOWN,
             Approximate: Verdict.APPROXIMATE}


def verdict_of(evidence: Evidence | Approximate) -> Verdict:
    """The verdict a piece of evidence stands for."""
    return _VERDICTS[type(evidence)]


# -- the one codec of evidence as JSON values (the verdict cache stores these) --

def encode_evidence(evidence: Evidence | Approximate | None) -> dict | None:
    """Evidence as JSON values, ``{"kind": "proved", "method": ...}`` and so on."""
    if evidence is None:
        return None
    kind = verdict_of(evidence)
    if kind is Verdict.PROVED:
        return {"kind": kind.value, "method": evidence.method}
    if kind is Verdict.REFUTED:
        return {"kind": kind.value, "point": [list(p) for p in evidence.point], "lhs": evidence.lhs_value,
                "rhs": evidence.rhs_value, "method": evidence.method}
    if kind is Verdict.APPROXIMATE:
        return {"kind": kind.value, "tolerance": evidence.tolerance,
                "points": [[list(pair) for pair in point] for point in evidence.points], "method": evidence.method}
    data = {"kind": kind.value, "reason": evidence.reason}
    if not evidence.lasting:
        data["unknown_kind"] = evidence.kind.value
    return data


def decode_evidence(data: dict | None) -> Evidence | Approximate | None:
    """The inverse of ``encode_evidence``."""
    if data is None:
        return None
    kind = Verdict(data["kind"])
    if kind is Verdict.PROVED:
        return Proved(data["method"])
    if kind is Verdict.REFUTED:
        return Refuted(tuple(tuple(p) for p in data["point"]), data["lhs"], data["rhs"], data["method"])
    if kind is Verdict.APPROXIMATE:
        points = tuple(tuple(tuple(pair) for pair in point) for point in data["points"])
        return Approximate(data["tolerance"], points, data["method"])
    kind = data.get("unknown_kind")
    return Unknown(data["reason"], UnknownKind.UNDECIDED if kind is None else UnknownKind(kind))
