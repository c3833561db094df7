"""The result of replaying a derivation: frozen data, ready to print or render."""

from __future__ import annotations

from dataclasses import dataclass, field

from .evidence import Proved, Refuted, Unknown

VERIFIED, FAILED, INCOMPLETE, ERROR = "verified", "failed", "incomplete", "error"


@dataclass(frozen=True)
class StepReport:
    """One step: its truth (verdict) and whether its named rules produce it."""

    index: int
    line: int
    column: int
    latex: str
    rules: tuple[str, ...]
    evidence: Proved | Refuted | Unknown
    justified: bool | None
    expect: str | None = None
    note: str | None = None
    case: str | None = None
    compared_with: int | None = None

    @property
    def verdict(self) -> str:
        return {Proved: "proved", Refuted: "refuted", Unknown: "unknown"}[type(self.evidence)]

    @property
    def ok(self) -> bool:
        if self.expect == "refuted":
            return self.verdict == "refuted"
        return self.verdict == "proved" and self.justified is not False

    @property
    def counterexample(self) -> Refuted | None:
        return self.evidence if isinstance(self.evidence, Refuted) else None


@dataclass(frozen=True)
class ClosedFormReport:
    """The result checked against sympy.diff of the activation, and the
    last step of every branch checked against the result."""

    latex: str
    line: int
    evidence: Proved | Refuted | Unknown
    chain_end: Proved | Refuted | Unknown | None = None

    @property
    def verdict(self) -> str:
        verdicts = [self.evidence] + ([self.chain_end] if self.chain_end is not None else [])
        for kind, name in ((Refuted, "refuted"), (Unknown, "unknown")):
            if any(isinstance(v, kind) for v in verdicts):
                return name
        return "proved"


@dataclass(frozen=True)
class Report:
    name: str
    file: str
    title: str
    source: str
    activation: str | None
    steps: tuple[StepReport, ...]
    closed_form: ClosedFormReport | None
    warnings: tuple[str, ...] = ()
    definitions: tuple[tuple[str, str], ...] = ()
    cases: tuple[tuple[str, str], ...] = ()
    error: str | None = None
    extra_checks: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def status(self) -> str:
        if self.error is not None:
            return ERROR
        verdicts = [s.verdict for s in self.steps if s.expect != "refuted"]
        if self.closed_form is not None:
            verdicts.append(self.closed_form.verdict)
        if any(s.expect == "refuted" and s.verdict == "proved" for s in self.steps):
            return FAILED
        if "refuted" in verdicts or any(s.justified is False for s in self.steps if s.expect != "refuted"):
            return FAILED
        if "unknown" in verdicts or any(s.expect == "refuted" and s.verdict == "unknown" for s in self.steps):
            return INCOMPLETE
        return VERIFIED
