"""Replay a derivation: prove or refute every step, check its rules, check
the result against sympy.diff of the activation. Returns a Report; prints
nothing.

Every step's proof runs under a hard time limit (``deadline``): a step that
does not finish in time is ``Unknown("timeout ...")`` and the run goes on.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from . import catalog
from .deadline import Timeout, run_with_deadline
from .derivation import Derivation, Located, Step
from .evidence import Proved, Refuted, Unknown
from .meaning import Meaning, meaning_of, parse_condition
from .normal_form import exp_rational_normal_form
from .prover import ProofContext, prove_equal
from .report import ClosedFormReport, Report, StepReport
from .rules import RuleContext, justify

DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class Settings:
    timeout: float = DEFAULT_TIMEOUT


def _prove_step(meaning: Meaning, previous, current, rules, condition, timeout):
    """Truth of previous = current under condition, and whether rules justify it."""
    context = ProofContext(condition, timeout)
    evidence = prove_equal(meaning.evaluate(previous), meaning.evaluate(current), context)
    justified = None
    if rules:
        justified = justify(previous, current, rules, RuleContext(meaning, condition))
    return evidence, justified


def _guarded(fn, args, timeout):
    """fn(*args) under the hard limit; a timeout or an internal failure is Unknown."""
    try:
        return run_with_deadline(fn, args, timeout)
    except Timeout as error:
        return Unknown(f"timeout: {error}"), None
    except RuntimeError as error:
        return Unknown(f"internal error: {error}"), None


def _expected_derivative(derivation: Derivation, meaning: Meaning):
    """sympy.diff of the activation's definition, in this derivation's variables."""
    activation = catalog.lookup(derivation.activation) if derivation.activation else None
    if activation is None:
        return None
    if activation.vector:
        return meaning.evaluate(sympy.Derivative(activation.expr, catalog.Z_[catalog.K_], evaluate=False))
    definition = activation.expr.xreplace({activation.variable: meaning.variable})
    return meaning.evaluate(sympy.Derivative(definition, meaning.variable, evaluate=False))


def _first_step_evidence(expr, expected, meaning, timeout):
    if expected is None:
        return Proved("first line")
    return prove_equal(meaning.evaluate(expr), expected, ProofContext(sympy.true, timeout))


class _Replay:
    def __init__(self, derivation: Derivation, settings: Settings):
        self.derivation, self.settings = derivation, settings
        self.meaning = meaning_of(derivation)
        self.reports: list[StepReport] = []
        self.ends: list[tuple[sympy.Basic, sympy.Basic, str | None]] = []

    def chain(self, steps: tuple[Step, ...], start, condition, case_text: str | None):
        last, last_index = start
        for step in steps:
            expr = self.meaning.parse(Located(step.latex, step.origin))
            if last is None:
                evidence = _guarded(
                    lambda: (_first_step_evidence(expr, self.expected, self.meaning, self.settings.timeout), None),
                    (), self.settings.timeout)[0]
                justified = None
            else:
                evidence, justified = _guarded(
                    _prove_step, (self.meaning, last, expr, step.rules, condition, self.settings.timeout),
                    self.settings.timeout + 1)
            self.reports.append(StepReport(
                index=step.index, line=step.origin.line, column=step.origin.column, latex=step.latex,
                rules=step.rules, evidence=evidence, justified=justified, expect=step.expect,
                note=step.note, case=case_text, compared_with=last_index))
            if step.expect != "refuted":
                last, last_index = expr, step.index
        return last, last_index

    def run(self) -> Report:
        derivation = self.derivation
        self.expected = _expected_derivative(derivation, self.meaning)
        self.first = self.meaning.parse(Located(derivation.steps[0].latex, derivation.steps[0].origin))
        top = self.chain(derivation.steps, (None, None), sympy.true, None)
        cases = []
        if derivation.cases:
            for case in derivation.cases:
                condition = parse_condition(case.condition, self.meaning)
                end = self.chain(case.steps, top, condition, case.condition.latex)
                self.ends.append((end[0], condition, case.condition.latex))
                cases.append((case.condition.latex, str(condition)))
        else:
            self.ends.append((top[0], sympy.true, None))
        return Report(
            name=derivation.name, file=derivation.file, title=derivation.title,
            source=derivation.source, activation=derivation.activation,
            steps=tuple(self.reports), closed_form=self.closed_form(),
            warnings=self.kink_warnings(), definitions=tuple((k, v.latex) for k, v in derivation.lets),
            cases=tuple(cases), extra_checks=self.extra_checks(),
        )

    def closed_form(self) -> ClosedFormReport | None:
        located = self.derivation.closed_form
        if located is None:
            return None
        expr = self.meaning.parse(located)

        def check():
            value = self.meaning.evaluate(expr)
            context = ProofContext(sympy.true, self.settings.timeout)
            reference = self.expected
            if reference is None and self.first is not None:
                # no catalog entry: the result must be the derivative the first line stands for
                reference = self.meaning.evaluate(self.first)
            evidence = (prove_equal(value, reference, context) if reference is not None
                        else Unknown("no activation to compare with"))
            ends = [prove_equal(self.meaning.evaluate(end), value, ProofContext(condition, self.settings.timeout))
                    for end, condition, _ in self.ends if end is not None]
            chain_end = next((v for v in ends if not isinstance(v, Proved)), ends[0] if ends else None)
            return evidence, chain_end

        evidence, chain_end = _guarded(check, (), self.settings.timeout + 1)
        return ClosedFormReport(located.latex, located.origin.line, evidence, chain_end)

    def backward_checks(self, activation) -> tuple[tuple[str, str], ...]:
        if activation.vector:
            return ()
        try:
            return run_with_deadline(_backward_check, (activation, self.settings.timeout),
                                     self.settings.timeout * 3)
        except (Timeout, RuntimeError) as error:
            return (("backward from the cached output y", f"unknown ({error})"),)

    def kink_warnings(self) -> tuple[str, ...]:
        activation = catalog.lookup(self.derivation.activation) if self.derivation.activation else None
        if activation is None or not activation.kinks:
            return ()
        warnings = []
        variable = self.meaning.variable
        given = None
        if self.derivation.closed_form is not None:
            closed = self.meaning.evaluate(self.meaning.parse(self.derivation.closed_form))
        for kink in activation.kinks:
            if self.derivation.closed_form is not None:
                given = closed.subs(variable, kink.at)
            text = (f"{activation.title} is not differentiable at {variable} = {kink.at}: "
                    f"left derivative {kink.left}, right derivative {kink.right}, "
                    f"generalized gradient {_interval(kink.left, kink.right)}")
            if given is not None and given.is_number:
                text += (f"; the value {given} this derivation gives there is a convention, "
                         f"not a derivative ({kink.convention_source})")
            warnings.append(text)
        return tuple(warnings)

    def extra_checks(self) -> tuple[tuple[str, str], ...]:
        activation = catalog.lookup(self.derivation.activation) if self.derivation.activation else None
        if activation is None:
            return ()
        if activation.name != "softmax":
            return self.backward_checks(activation)
        checks = []
        for n in (2, 3, 4, 5):
            by_diff, closed = catalog.softmax_jacobian(n)
            zero = all(exp_rational_normal_form(e) == 0 for e in (by_diff - closed))
            checks.append((f"Jacobian diag(S) - S S^T, n = {n}", "proved" if zero else "refuted"))
        return tuple(checks)


def _backward_check(activation, timeout):
    """Each output-only form found by elimination, proved by the prover:
    F(f(x)) = f'(x) in its region (the derivative backpropagation computes
    from the cached output y)."""
    from .output_form import Y, output_forms

    x = activation.variable
    checks = []
    for region in output_forms(activation, timeout=timeout):
        if region.form is None:
            continue
        derivative = sympy.diff(activation.expr.rewrite(sympy.Piecewise)
                                if activation.expr.has(sympy.Max, sympy.Min, sympy.Abs) else activation.expr, x)
        verdict = prove_equal(region.form.subs(Y, activation.expr), derivative,
                              ProofContext(region.condition, timeout))
        where = "" if region.condition is sympy.true else f" where {sympy.sstr(region.condition)}"
        name = {Proved: "proved", Refuted: "refuted"}.get(type(verdict), "unknown")
        checks.append((f"backward from the cached output y: f'(x) = {sympy.sstr(region.form)}{where}", name))
    return tuple(checks)


def _interval(left, right) -> str:
    """[low, high] of the one-sided derivatives (Clarke's generalized
    gradient at a kink; the subdifferential where f is convex)."""
    if (left - right).is_number and left > right:
        left, right = right, left
    return f"[{left}, {right}]"


def verify_derivation(derivation: Derivation, settings: Settings = Settings()) -> Report:
    """Replay ``derivation``; raises SymderiveError when its LaTeX cannot be read."""
    return _Replay(derivation, settings).run()
