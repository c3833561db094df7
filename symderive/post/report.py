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

from dataclasses import dataclass, fields

from ..evidence import Approximate, Proved, Refuted, Unknown, Verdict, decode_evidence, encode_evidence, verdict_of

# kinds of relation: only claims are checked
CLAIM, DEFINITION, CONTINUATION, IMPLICATION, CONDITION, SKIPPED, UNREADABLE = (
    "claim", "definition", "continuation", "implication", "condition", "skipped", "unreadable")
CONNECTIVE = IMPLICATION  # an arrow joining two equations: each is a claim of its own

# statuses of a post, as verify has them
VERIFIED, FAILED, INCOMPLETE = "verified", "failed", "incomplete"
NOTHING_CHECKED = "nothing checked"


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
    def verdict(self) -> Verdict | None:
        """The claim's verdict; None for a relation that is not a claim."""
        return None if self.evidence is None else verdict_of(self.evidence)


@dataclass(frozen=True)
class Chain:
    """Displays that continue one another (a leading relation, or the same
    left-hand side restated)."""

    index: int
    line: int
    steps: tuple[PostStep, ...]


@dataclass(frozen=True)
class PostReport:
    """What ``symderive check`` found in one post: its chains of claims, the
    definitions it read, the math it could not read (each with a location),
    how many math blocks it had and how many were parsed, and every relation
    in reading order (``relations``, claims and the kinds that hold nothing
    to prove alike), and what every claim was read under though the post
    does not state it (``assumed``: a cross-entropy's target sums to 1)."""

    file: str
    chains: tuple[Chain, ...]
    definitions: tuple[PostStep, ...]
    unreadable: tuple[PostStep, ...]
    blocks: int
    parsed: int
    relations: tuple[PostStep, ...] = ()
    assumed: tuple[str, ...] = ()

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
        if Verdict.REFUTED in verdicts:
            return FAILED
        if verdicts - {Verdict.PROVED} or self.unreadable or self.nothing_checked:
            return INCOMPLETE
        return VERIFIED

    def counts(self) -> dict:
        """Every count a reader needs to trust the status, by name."""
        claims = self.claims()
        verdicts = [s.verdict for s in claims]
        return {
            "chains": len(self.chains),
            "steps": len(claims),
            "math_blocks": self.blocks,
            "parsed": self.parsed,
            **{verdict.value: verdicts.count(verdict) for verdict in Verdict},
            "unreadable": len(self.unreadable),
            "skipped": len(self.skipped()),
            "definitions": len(self.definitions),
            "large_steps": sum(1 for s in claims if s.large_step),
            "hints_not_justified": sum(1 for s in claims if s.justified is False),
        }


# ---- the verdict cache's form of a report -----------------------------------

def _encode_step(step: PostStep) -> dict:
    data = {f.name: getattr(step, f.name) for f in fields(PostStep)}
    data["evidence"] = encode_evidence(step.evidence)
    data["rule_hint"] = list(step.rule_hint)
    return data


def _decode_step(data: dict) -> PostStep:
    return PostStep(**{**data, "evidence": decode_evidence(data["evidence"]), "rule_hint": tuple(data["rule_hint"])})


def encode_post(report: PostReport) -> dict:
    """A report as JSON values, for the verdict cache."""
    return {"file": report.file, "blocks": report.blocks, "parsed": report.parsed,
            "chains": [{"index": c.index, "line": c.line, "steps": [_encode_step(s) for s in c.steps]}
                       for c in report.chains],
            "definitions": [_encode_step(s) for s in report.definitions],
            "unreadable": [_encode_step(s) for s in report.unreadable],
            "relations": [_encode_step(s) for s in report.relations], "assumed": list(report.assumed)}


def decode_post(data: dict) -> PostReport:
    """The inverse of ``encode_post``."""
    def steps(rows):
        return tuple(_decode_step(row) for row in rows)

    chains = tuple(Chain(c["index"], c["line"], steps(c["steps"])) for c in data["chains"])
    return PostReport(data["file"], chains, steps(data["definitions"]), steps(data["unreadable"]), data["blocks"],
                      data["parsed"], steps(data["relations"]), tuple(data.get("assumed", ())))


def post_is_lasting(report: PostReport) -> bool:
    """False when a verdict depends on the machine (a timeout): not cached."""
    return all(not isinstance(s.evidence, Unknown) or s.evidence.lasting
               for s in report.relations if s.evidence is not None)
