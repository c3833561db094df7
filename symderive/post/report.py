"""What checking a post finds: relations grouped in chains, each with evidence."""

from __future__ import annotations

from dataclasses import dataclass

from ..evidence import Proved, Refuted, Unknown

# kinds of relation: only claims are checked
CLAIM, DEFINITION, CONTINUATION, IMPLICATION, CONDITION, SKIPPED, UNREADABLE = (
    "claim", "definition", "continuation", "implication", "condition", "skipped", "unreadable")


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
    evidence: Proved | Refuted | Unknown | None = None
    condition: str | None = None
    rule_hint: tuple[str, ...] = ()
    justified: bool | None = None
    step_size: int | None = None
    large_step: bool = False
    approximate: bool = False
    block_line: int = 0

    @property
    def verdict(self) -> str | None:
        if self.evidence is None:
            return None
        return {Proved: "proved", Refuted: "refuted", Unknown: "unknown"}[type(self.evidence)]


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

    @property
    def status(self) -> str:
        verdicts = {s.verdict for s in self.claims()}
        if "refuted" in verdicts:
            return "failed"
        if "unknown" in verdicts or self.unreadable:
            return "incomplete"
        return "verified"

    def counts(self) -> dict:
        claims = self.claims()
        return {
            "chains": len(self.chains),
            "steps": len(claims),
            "math_blocks": self.blocks,
            "parsed": self.parsed,
            "proved": sum(1 for s in claims if s.verdict == "proved"),
            "refuted": sum(1 for s in claims if s.verdict == "refuted"),
            "unknown": sum(1 for s in claims if s.verdict == "unknown") + len(self.unreadable),
            "definitions": len(self.definitions),
            "large_steps": sum(1 for s in claims if s.large_step),
            "hints_not_justified": sum(1 for s in claims if s.justified is False),
        }
