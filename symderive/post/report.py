"""What checking a post finds: relations grouped in chains, each with evidence.

Every relation a reader sees is one of the kinds below. Only a claim has a
verdict (proved, refuted, approximate or unknown); the other kinds hold
nothing to prove: a definition names something, a condition restricts the
claims after it, a connective (an arrow between two equations) only joins
claims that are checked on their own, and a skipped relation is a remark in
a sentence with no mathematical content (``where j \\neq k``), shown in the
report with its reason. CONTINUATION is kept for readers of older reports:
a relation continuing a chain is now a claim.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..evidence import Approximate, Proved, Refuted, Unknown

# kinds of relation: only claims are checked
CLAIM, DEFINITION, CONTINUATION, IMPLICATION, CONDITION, SKIPPED, UNREADABLE = (
    "claim", "definition", "continuation", "implication", "condition", "skipped", "unreadable")
CONNECTIVE = IMPLICATION  # an arrow joining two equations: each is a claim of its own

# statuses of a post, as verify has them
VERIFIED, FAILED, INCOMPLETE = "verified", "failed", "incomplete"
NOTHING_CHECKED = "nothing checked"

_VERDICTS = {Proved: "proved", Refuted: "refuted", Unknown: "unknown", Approximate: "approximate"}


@dataclass(frozen=True)
class PostStep:
    """One relation ``lhs relation rhs`` of a post, where it is, what it is,
    and (for a claim) whether it holds and whether its rule hint produces it."""

    line: int
    column: int
    relation: str
    lhs: str
    rhs: str
    kind: str
    evidence: Proved | Refuted | Unknown | Approximate | None = None
    condition: str | None = None
    rule_hint: tuple[str, ...] = ()
    justified: bool | None = None
    step_size: int | None = None
    large_step: bool = False
    approximate: bool = False
    block_line: int = 0
    note: str | None = None  # why a relation is not a claim (a connective, a remark)

    @property
    def verdict(self) -> str | None:
        if self.evidence is None:
            return None
        return _VERDICTS[type(self.evidence)]


@dataclass(frozen=True)
class Chain:
    """Displays that continue one another (a leading relation, or the same
    left-hand side restated)."""

    index: int
    line: int
    steps: tuple[PostStep, ...]


@dataclass(frozen=True)
class PostReport:
    file: str
    chains: tuple[Chain, ...]
    definitions: tuple[PostStep, ...]
    unreadable: tuple[PostStep, ...]
    blocks: int
    parsed: int
    relations: tuple[PostStep, ...] = ()

    def claims(self) -> list[PostStep]:
        return [s for c in self.chains for s in c.steps if s.kind == CLAIM]

    def skipped(self) -> list[PostStep]:
        return [s for s in self.relations if s.kind == SKIPPED]

    @property
    def nothing_checked(self) -> bool:
        return not self.claims() and not self.unreadable

    @property
    def status(self) -> str:
        """``verified`` only when every claim is proved; an approximation
        holds only within its tolerance, so it leaves a post incomplete."""
        verdicts = {s.verdict for s in self.claims()}
        if "refuted" in verdicts:
            return FAILED
        if verdicts - {"proved"} or self.unreadable or self.nothing_checked:
            return INCOMPLETE
        return VERIFIED

    def counts(self) -> dict:
        claims = self.claims()
        verdicts = [s.verdict for s in claims]
        return {
            "chains": len(self.chains),
            "steps": len(claims),
            "math_blocks": self.blocks,
            "parsed": self.parsed,
            "proved": verdicts.count("proved"),
            "refuted": verdicts.count("refuted"),
            "unknown": verdicts.count("unknown"),
            "approximate": verdicts.count("approximate"),
            "unreadable": len(self.unreadable),
            "skipped": len(self.skipped()),
            "definitions": len(self.definitions),
            "large_steps": sum(1 for s in claims if s.large_step),
            "hints_not_justified": sum(1 for s in claims if s.justified is False),
        }
