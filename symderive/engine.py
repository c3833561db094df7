"""Replay a derivation: prove or refute every step, check its rules, check the result against
sympy.diff of the activation. Returns a Report; prints nothing. Every step's proof runs under a
hard time limit (``runner``): a step over it is ``Unknown("timeout ...")`` and the run goes on.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy.core.function import AppliedUndef

from . import catalog
from .cache import checks_are_lasting, is_lasting
from .derivation import Derivation, Located, Step
from .errors import CyclicDefinitionError, DerivationFileError, Origin
from .evidence import Proved, Unknown, UnknownKind, Verdict, decode_evidence, encode_evidence, verdict_of
from .derivation_meaning import meaning_of, parse_condition
from .meaning import Meaning
from .prover import ProofContext, prove_equal
from .report import BACKWARD, ClosedFormReport, Report, StepReport
from .entry_gradients import doubt as entry_gradient
from .rules import RuleContext, justify
from .runner import Task, run_tasks
from .settings import DEFAULT_TIMEOUT, Settings  # noqa: F401 (re-exported)

def _prove_step(meaning: Meaning, previous, current, rules, condition, timeout):
    """Truth of previous = current under condition, and whether rules justify it."""
    context = ProofContext(condition, timeout)
    evidence = prove_equal(meaning.evaluate(previous), meaning.evaluate(current), context)
    if not isinstance(evidence, Unknown) and (gradient := entry_gradient(meaning, previous, current)):
        evidence = Unknown(gradient)  # d/dz of z's entries only: 0 or a gradient (entry_gradients.py)
    justified = None
    if rules:
        justified = justify(previous, current, rules, RuleContext(meaning, condition))
    return evidence, justified


def _expected_derivative(derivation: Derivation, meaning: Meaning):
    """sympy.diff of the activation's definition, in this derivation's variables."""
    activation = catalog.lookup(derivation.activation) if derivation.activation else None
    if activation is None:
        if derivation.activation:
            # a misspelt name would silently drop the check against sympy.diff
            raise DerivationFileError(
                f"unknown activation {derivation.activation!r}; `symderive list` shows the catalog",
                derivation.activation_origin or Origin(derivation.file, 1, 1))
        return None
    if activation.vector:
        return meaning.evaluate(sympy.Derivative(activation.expr, catalog.Z_[catalog.K_], evaluate=False))
    definition = activation.expr.xreplace({activation.variable: meaning.variable})
    return meaning.evaluate(sympy.Derivative(definition, meaning.variable, evaluate=False))


def _first_step_evidence(expr, expected, meaning, timeout):
    """The first line against the activation's derivative (no rule to check)."""
    if expected is None:
        return Proved("first line"), None
    return prove_equal(meaning.evaluate(expr), expected, ProofContext(sympy.true, timeout)), None


@dataclass
class _Pending:
    """A step whose verdict is being computed: where its report goes."""

    step: Step
    task: int
    case_text: str | None
    compared_with: int | None


class _Replay:
    """Three passes: plan (parse every line, make one proof task per claim,
    in the caller), prove (all tasks in one worker, each under its limit, the
    cached ones skipped), assemble (the Report)."""

    def __init__(self, derivation: Derivation, settings: Settings, cache=None):
        self.derivation, self.settings, self.cache = derivation, settings, cache
        self.meaning = meaning_of(derivation)
        _check_acyclic(derivation, self.meaning)
        self.tasks: list[tuple[Task, str | None]] = []  # (task, cache key)
        self.pending: list[_Pending] = []
        self.ends: list[tuple[sympy.Basic, sympy.Basic, str | None]] = []
        self.context = _context_of(derivation)
        self.sreprs: dict[int, tuple[sympy.Basic, str]] = {}
        self.parsed: dict[str, sympy.Basic] = {}

    def add(self, fn, args, seconds, key_parts, of_derivation: bool = True) -> int:
        """A task; ``key_parts()`` gives what its verdict depends on besides
        the derivation's context (called only with a cache: the sreprs are not
        free). A check of the activation alone (``of_derivation`` False) is
        keyed without that context, so every derivation of the activation,
        in any worker, reads the verdict the first one stored."""
        if self.cache is None:
            key = None
        else:
            key = self.cache.key(fn.__name__, [self.context, key_parts()] if of_derivation else key_parts())
        self.tasks.append((Task(fn, args, seconds), key))
        return len(self.tasks) - 1

    def srepr(self, expr) -> str | None:
        """sympy.srepr for cache keys, once per expression object: each line
        is keyed twice (as the current line of its step and the previous
        line of the next), and the closed form's check keys the chains' ends."""
        if expr is None:
            return None
        found = self.sreprs.get(id(expr))
        if found is None:
            found = self.sreprs[id(expr)] = (expr, sympy.srepr(expr))  # the object kept: its id stays its own
        return found[1]

    def parse(self, located: Located):
        """A line's expression, read once per text: the first line is read
        again for the closed form's reference, the closed form is often the
        last line, and the kink warnings read it again. (The text alone
        decides the expression; where it is written only places an error,
        and a text read once without error reads again without one.)"""
        found = self.parsed.get(located.latex)
        if found is None:
            found = self.parsed[located.latex] = self.meaning.parse(located)
        return found

    def chain(self, steps: tuple[Step, ...], start, condition, case_text: str | None):
        last, last_index = start
        timeout = self.settings.timeout
        for step in steps:
            expr = self.parse(Located(step.latex, step.origin))
            if last is None:
                task = self.add(_first_step_evidence, (expr, self.expected, self.meaning, timeout), timeout,
                                lambda: [self.srepr(expr), self.srepr(self.expected), timeout])
            else:
                task = self.add(_prove_step, (self.meaning, last, expr, step.rules, condition, timeout),
                                timeout + 1,
                                lambda: [self.srepr(last), self.srepr(expr), list(step.rules),
                                         self.srepr(condition), timeout])
            self.pending.append(_Pending(step, task, case_text, last_index))
            if step.expect != Verdict.REFUTED:
                last, last_index = expr, step.index
        return last, last_index

    def run(self) -> Report:
        derivation = self.derivation
        self.expected = _expected_derivative(derivation, self.meaning)
        self.first = self.parse(Located(derivation.steps[0].latex, derivation.steps[0].origin))
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
        closed_task = self.plan_closed_form()
        extra_task = self.plan_extra_checks()
        outcomes = self.prove()
        steps = []
        for pending in self.pending:
            evidence, justified = outcomes[pending.task]
            step = pending.step
            steps.append(StepReport(
                index=step.index, line=step.origin.line, column=step.origin.column, latex=step.latex,
                rules=step.rules, evidence=evidence, justified=justified, expect=step.expect,
                note=step.note, case=pending.case_text, compared_with=pending.compared_with))
        extra = () if extra_task is None else outcomes[extra_task]  # (description, verdict[, LaTeX])
        closed_form = None
        if closed_task is not None:
            located = self.derivation.closed_form
            evidence, chain_end = outcomes[closed_task]
            closed_form = ClosedFormReport(located.latex, located.origin.line, evidence, chain_end)
        return Report(
            name=derivation.name, file=derivation.file, title=derivation.title,
            source=derivation.source, activation=derivation.activation,
            steps=tuple(steps), closed_form=closed_form,
            warnings=self.kink_warnings(), definitions=tuple((k, v.latex) for k, v in derivation.lets),
            cases=tuple(cases), extra_checks=tuple((c[0], c[1]) for c in extra),
            output_forms=tuple((c[2], c[1]) for c in extra if len(c) > 2),
        )

    def prove(self) -> list:
        """Every task's result: from the cache, or computed in one worker."""
        results: list = [None] * len(self.tasks)
        to_run = []
        for index, (task, key) in enumerate(self.tasks):
            cached = self.cache.get(key) if key is not None else None
            if cached is not None:
                results[index] = _decode(task.fn, cached)
            else:
                to_run.append(index)
        outcomes = run_tasks([self.tasks[i][0] for i in to_run])
        for index, outcome in zip(to_run, outcomes):
            task, key = self.tasks[index]
            results[index] = _result(task.fn, outcome)
            if key is not None and outcome.status == "ok" and _lasting(task.fn, results[index]):
                self.cache.put(key, _encode(task.fn, results[index]))
        return results

    def plan_closed_form(self) -> int | None:
        located = self.derivation.closed_form
        if located is None:
            return None
        expr = self.parse(located)
        reference = self.expected
        if reference is None and self.first is not None:
            # no catalog entry: the result must be the derivative the first line stands for
            reference = self.meaning.evaluate(self.first)
        ends = tuple((end, condition) for end, condition, _ in self.ends if end is not None)
        timeout = self.settings.timeout
        return self.add(_check_closed_form, (self.meaning, expr, reference, ends, timeout), timeout + 1,
                        lambda: [self.srepr(expr), self.srepr(reference),
                                 [[self.srepr(e), self.srepr(c)] for e, c in ends], timeout])

    def plan_extra_checks(self) -> int | None:
        activation = catalog.lookup(self.derivation.activation) if self.derivation.activation else None
        if activation is None:
            return None
        timeout = self.settings.timeout
        if activation.name == "softmax":
            return self.add(_softmax_checks, (), timeout, lambda: [timeout], of_derivation=False)
        if activation.vector:
            return None
        return self.add(_backward_check, (activation, timeout), timeout * 3, lambda: [activation.name, timeout],
                        of_derivation=False)

    def kink_warnings(self) -> tuple[str, ...]:
        activation = catalog.lookup(self.derivation.activation) if self.derivation.activation else None
        if activation is None or not activation.kinks:
            return ()
        warnings = []
        variable = self.meaning.variable
        given = None
        if self.derivation.closed_form is not None:
            closed = self.meaning.evaluate(self.parse(self.derivation.closed_form))
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


def _check_acyclic(derivation: Derivation, meaning: Meaning) -> None:
    """A let that refers to itself through other lets has no meaning:
    refused where it is written (file:line:column), before any step is read."""
    names = {}
    for function, value in dict.items(meaning.functions):  # not the catalog's, which would be built
        if isinstance(value, tuple):
            names[function] = value[1]
    for base, (_, body) in meaning.indexed.items():
        names[base] = body
    lets = dict(derivation.lets)

    def uses(body) -> set:
        found = {a.func for a in body.atoms(AppliedUndef) if a.func in names}
        found |= {i.base for i in body.atoms(sympy.Indexed) if i.base in names}
        return found | {s for s in body.free_symbols if s in names}

    graph = {name: uses(body) for name, body in names.items()}
    for start in graph:
        path = _cycle_from(start, graph)
        if path:
            written = [str(name) for name in path]
            origin = next((lets[n].origin for n in lets if n in written or _base_name(n) in written), None)
            raise CyclicDefinitionError(
                f"definitions refer to each other in a cycle: {' -> '.join(written + written[:1])}",
                origin or Origin(derivation.file, 1, 1))


def _base_name(let_key: str) -> str:
    return let_key.split("_")[0]  # S_i defines the vector S


def _cycle_from(start, graph) -> list:
    """A cycle through ``start`` (its names in order), or []."""
    stack = [(start, [start])]
    seen = set()
    while stack:
        node, path = stack.pop()
        for successor in graph.get(node, ()):
            if successor == start:
                return path
            if successor not in seen:
                seen.add(successor)
                stack.append((successor, path + [successor]))
    return []


def _context_of(derivation: Derivation) -> list:
    """What a step's meaning depends on besides its own lines (for the cache key)."""
    return [derivation.variable, derivation.matrix, derivation.dimension, list(derivation.indices),
            list(derivation.indexed), list(derivation.functions), [a.latex for a in derivation.assumptions],
            [list(p) for p in derivation.parameters],
            [[name, located.latex] for name, located in derivation.lets]]


def _check_closed_form(meaning, expr, reference, ends, timeout):
    """The result against the reference derivative, and every branch's last
    line against the result."""
    value = meaning.evaluate(expr)
    evidence = (prove_equal(value, reference, ProofContext(sympy.true, timeout)) if reference is not None
                else Unknown("no activation to compare with"))
    verdicts = [prove_equal(meaning.evaluate(end), value, ProofContext(condition, timeout))
                for end, condition in ends]
    chain_end = next((v for v in verdicts if not isinstance(v, Proved)), verdicts[0] if verdicts else None)
    return evidence, chain_end


def _softmax_checks():
    """diag(S) - S S^T: by explicit differentiation for n = 2, 3 (of the n
    explicit entries, as rational functions of the e^{z_j}), and for every n
    by the entry identity proved with symbolic n (jacobian.py)."""
    from .jacobian import check_softmax_jacobian, explicit_jacobian

    checks = []
    for n in (2, 3):
        exact = explicit_jacobian(n)
        checks.append((f"Jacobian diag(S) - S S^T, n = {n}, explicit", Verdict.PROVED if exact else Verdict.REFUTED))
    general = check_softmax_jacobian(8)
    checks.append(("Jacobian diag(S) - S S^T for every n (entry identity with symbolic n; "
                   "matrix algebra and a numeric check at n = 8)", verdict_of(general.verdict)))
    return tuple(checks)


# -- task results: what a task returns, when it does not finish, in the cache --

_PAIRS = (_prove_step, _first_step_evidence, _check_closed_form)


def _result(fn, outcome):
    """A task's value, or its stand-in when the task did not finish."""
    if outcome.status == "ok":
        return outcome.value
    timeout = outcome.status == "timeout"
    reason = outcome.value if timeout else f"internal error: {outcome.value}"
    if fn in _PAIRS:
        return Unknown(reason, UnknownKind.TIMEOUT if timeout else UnknownKind.ERROR), None
    name = "backward from the cached output y" if fn is _backward_check else "softmax Jacobian"
    return ((name, f"unknown ({reason})"),)


def _encode(fn, value):
    if fn in _PAIRS:
        first, second = value
        return [encode_evidence(first), second if fn is _prove_step else encode_evidence(second)]
    return [list(pair) for pair in value]


def _decode(fn, data):
    if fn in _PAIRS:
        first, second = data
        return decode_evidence(first), (second if fn is _prove_step else decode_evidence(second))
    return tuple(tuple(pair) for pair in data)


def _lasting(fn, value) -> bool:
    if fn in _PAIRS:
        return all(v is None or isinstance(v, bool) or is_lasting(v) for v in value)
    return checks_are_lasting(value)


def _backward_check(activation, timeout):
    """Each output-only form found by elimination, proved by the prover:
    F(f(x)) = f'(x) in its region (the derivative backpropagation computes
    from the cached output y)."""
    from .backward_form import Y, output_forms
    from .regions import as_piecewise

    derivative = sympy.diff(as_piecewise(activation.expr), activation.variable)
    checks = []
    for region in output_forms(activation, timeout=timeout):
        if region.form is None:
            continue
        verdict = prove_equal(region.form.subs(Y, activation.expr), derivative,
                              ProofContext(region.condition, timeout))
        where = "" if region.condition is sympy.true else f" where {sympy.sstr(region.condition)}"
        where_latex = ("" if region.condition is sympy.true
                       else rf" \quad \text{{where }} {sympy.latex(region.condition)}")
        checks.append((f"{BACKWARD}: f'(x) = {sympy.sstr(region.form)}{where}", verdict_of(verdict),
                       f"f'(x) = {sympy.latex(region.form)}{where_latex}"))
    return tuple(checks)


def _interval(left, right) -> str:
    """[low, high] of the one-sided derivatives (Clarke's generalized
    gradient at a kink; the subdifferential where f is convex)."""
    if (left - right).is_number and left > right:
        left, right = right, left
    return f"[{left}, {right}]"


def verify_derivation(derivation: Derivation, settings: Settings = Settings(), cache=None) -> Report:
    """Replay ``derivation``; raises SymderiveError when its LaTeX cannot be read.
    With a ``cache`` (cache.VerdictCache) verdicts proved before are reused."""
    return _Replay(derivation, settings, cache).run()
