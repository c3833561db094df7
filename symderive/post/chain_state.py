"""What check keeps while it reads a post: the chain being read, the
definitions in force at a claim and the context of each claim, which
``symderive import`` writes as a derivation file.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from ..meaning import Meaning


@dataclass
class OpenChain:
    """A chain being read: its left-hand side, section, steps, last line."""

    key: str | None
    section: int
    steps: list
    last: object = None


class LetsView:
    """Definitions in force at a claim plus those its section makes later
    (a post may define u(x) just after the quotient rule that uses it). A
    definition in force wins over a later one of the same name (a post may
    reuse f for another function further down the section)."""

    def __init__(self, in_force: dict, section: list):
        self.in_force, self.section = in_force, section

    def __iter__(self):
        merged = dict(self.in_force)
        for name, latex in self.section:
            merged.setdefault(name, latex)
        return iter(merged.items())

    def __bool__(self) -> bool:
        return bool(self.in_force) or bool(self.section)


@dataclass(frozen=True)
class ClaimContext:
    """What was in force at one claim, for writing it as a derivation file."""

    lhs: object
    rhs: object
    condition: sympy.Basic
    meaning: Meaning
    variable: str
    indexed: tuple[str, ...]
    indices: tuple[str, ...]
    lets: tuple  # (name, latex): definitions in force, then those made later in the section
    continued: bool = False  # its left side is the chain's last expression, not written in the relation
