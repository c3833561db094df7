"""The result of replaying a derivation: frozen data, ready to print or render.

Verdicts are ``evidence.Verdict`` members; statuses are the strings below.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .display import Displayed
from .evidence import Evidence, Refuted, Unknown, Verdict, verdict_of

VERIFIED, FAILED, INCOMPLETE, ERROR = "verified", "failed", "incomplete", "error"


@dataclass(frozen=True)
class StepReport(Displayed):
    """One step: its truth (verdict) and whether its named rules produce it."""

    index: int
    line: int
    column: int
    latex: str
    rules: tuple[str, ...]
    evidence: Evidence
    justified: bool | None
    expect: Verdict | None = None
    note: str | None = None
    case: str | None = None
    compared_with: int | None = None

    @property
    def verdict(self) -> Verdict:
        return verdict_of(self.evidence)

    @property
    def expected_mistake(self) -> bool:
        """The step replays an author's mistake: it is meant to be refuted."""
        return self.expect == Verdict.REFUTED

    @property
    def ok(self) -> bool:
        """Accepted: refuted when it replays a mistake, else proved and not
        shown unjustified by its rules."""
        if self.expected_mistake:
            return self.verdict is Verdict.REFUTED
        return self.verdict is Verdict.PROVED and self.justified is not False

    @property
    def counterexample(self) -> Refuted | None:
        return self.evidence if isinstance(self.evidence, Refuted) else None

@dataclass(frozen=True)
class ClosedFormReport:
    """The result checked against sympy.diff of the activation, and the
    last step of every branch checked against the result."""

    latex: str
    line: int
    evidence: Evidence
    chain_end: Evidence | None = None

    @property
    def verdict(self) -> Verdict:
        """Refuted when either check is, else unknown when either is, else proved."""
        verdicts = {verdict_of(e) for e in (self.evidence, self.chain_end) if e is not None}
        return next((v for v in (Verdict.REFUTED, Verdict.UNKNOWN) if v in verdicts), Verdict.PROVED)

    def failing_evidence(self) -> tuple[Refuted | Unknown, str] | None:
        """The first check that does not prove the result, with what it was
        checked against ("the derivative", "the last line"); None when both prove it."""
        for evidence, against in ((self.evidence, "the derivative"), (self.chain_end, "the last line")):
            if isinstance(evidence, (Refuted, Unknown)):
                return evidence, against
        return None


BACKWARD = "backward from the cached output y"  # how an output-only form's check begins


@dataclass(frozen=True)
class Check:
    """A further check of the activation's derivative (the softmax Jacobian
    for every n; an output-only form f'(x) = F(y), proved in its region):
    what it states, its verdict, ``reason`` when it did not finish, and for
    an output-only form its formula as LaTeX."""

    description: str
    verdict: Verdict
    reason: str | None = None
    latex: str | None = None

    @property
    def verdict_text(self) -> str:
        """The verdict as reports write it: "proved", "unknown (timeout after 10 s)"."""
        return self.verdict if self.reason is None else f"{self.verdict} ({self.reason})"


def decode_check(description: str, verdict_text: str, latex: str | None = None) -> Check:
    """A ``Check`` from the (description, verdict text) pair the engine reports."""
    name, _, reason = verdict_text.partition(" (")
    return Check(description, Verdict(name), reason[:-1] or None, latex)


@dataclass(frozen=True)
class Report(Displayed):
    """The result of replaying one derivation file: each step's evidence and
    justification (``steps``, in file order, case steps after the main
    chain), the closed form's check, warnings about points where the
    activation is not differentiable, and the extra checks of its
    activation. ``error`` is set, and everything else empty, when the file
    could not be read (``bad_input``)."""

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
    # the output-only forms among extra_checks, in the same order, as LaTeX for
    # documents: ("f'(x) = 1 - y^{2}", verdict)
    output_forms: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def checks(self) -> tuple[Check, ...]:
        """The extra checks, typed; each output-only form carries its LaTeX."""
        forms = iter(self.output_forms)
        return tuple(decode_check(description, verdict,
                                  next(forms, (None,))[0] if description.startswith(BACKWARD) else None)
                     for description, verdict in self.extra_checks)

    @property
    def status(self) -> str:
        """verified (every step accepted, the closed form proved), failed
        (something refuted, unjustified, or a mistake not refuted),
        incomplete (something unknown), or error."""
        if self.error is not None:
            return ERROR
        verdicts = {s.verdict for s in self.steps}
        if self.closed_form is not None:
            verdicts.add(self.closed_form.verdict)
        if any(s.verdict is Verdict.PROVED if s.expected_mistake
               else s.verdict is Verdict.REFUTED or s.justified is False for s in self.steps):
            return FAILED
        if self.closed_form is not None and self.closed_form.verdict is Verdict.REFUTED:
            return FAILED
        if Verdict.UNKNOWN in verdicts:
            return INCOMPLETE
        return VERIFIED
