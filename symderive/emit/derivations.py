"""Reports of derivation files (``symderive verify``) as JSON-ready data,
terminal text, GitHub workflow commands and JUnit XML."""

from __future__ import annotations

import json

from ..evidence import Refuted, Unknown, Verdict, verdict_of
from ..report import ERROR, FAILED, INCOMPLETE, VERIFIED, Report, StepReport
from .common import (JSON_VERSION, Problem, counterexample_text, error_problem, evidence_fields, junit_case,
                     junit_document, junit_suite, paint, problem_command, workflow_command)


def step_to_dict(step: StepReport) -> dict:
    """A step under the JSON keys of the README."""
    data = {
        "index": step.index,
        "line": step.line,
        "column": step.column,
        "latex": step.latex,
        "rule": ", ".join(step.rules) if step.rules else None,
        "rules": list(step.rules),
        "verdict": step.verdict,
        "justified": step.justified,
        "expect": step.expect,
        "note": step.note,
        "case": step.case,
        "compared_with": step.compared_with,
    }
    data.update(evidence_fields(step.evidence))
    return data


def report_to_dict(report: Report) -> dict:
    """A report under the keys DESIGN.md and the README document."""
    closed = None
    if report.closed_form is not None:
        closed = {"latex": report.closed_form.latex, "line": report.closed_form.line,
                  "verdict": report.closed_form.verdict}
        closed.update(evidence_fields(report.closed_form.evidence))
        end = report.closed_form.chain_end
        closed["chain_end"] = None if end is None else {
            "verdict": verdict_of(end), **evidence_fields(end)}
    return {
        "name": report.name,
        "file": report.file,
        "title": report.title,
        "activation": report.activation,
        "status": report.status,
        "error": report.error,
        "steps": [step_to_dict(s) for s in report.steps],
        "closed_form": closed,
        "warnings": list(report.warnings),
        "checks": [{"check": c.description, "verdict": c.verdict_text} for c in report.checks],
    }


def summary(reports: list[Report]) -> dict:
    """The counts of the summary line and of the JSON report's ``summary``."""
    counts = {"total": len(reports), VERIFIED: 0, FAILED: 0, INCOMPLETE: 0, ERROR: 0}
    for report in reports:
        counts[report.status] += 1
    counts["steps"] = sum(len(r.steps) for r in reports)
    counts["refuted_as_expected"] = sum(
        1 for r in reports for s in r.steps if s.expected_mistake and s.verdict is Verdict.REFUTED)
    return counts


def to_json(reports: list[Report]) -> str:
    """The JSON report of ``symderive verify --format json``."""
    return json.dumps({"version": JSON_VERSION, "derivations": [report_to_dict(r) for r in reports],
                       "summary": summary(reports)}, indent=2, ensure_ascii=False) + "\n"


def summary_line(reports: list[Report]) -> str:
    """``35 derivations: 34 verified, 1 failed, 0 incomplete, 0 errors``."""
    counts = summary(reports)
    return (f"{counts['total']} derivations: {counts[VERIFIED]} verified, {counts[FAILED]} failed, "
            f"{counts[INCOMPLETE]} incomplete, {counts[ERROR]} errors")


# ---- text ---------------------------------------------------------------------

_MARK = {VERIFIED: "ok", FAILED: "FAILED", INCOMPLETE: "INCOMPLETE", ERROR: "ERROR"}
_COLORS = {VERIFIED: "32", FAILED: "31", INCOMPLETE: "33", ERROR: "31"}


def _step_line(report: Report, step: StepReport) -> str | None:
    where = f"{report.file}:{step.line}:{step.column}"
    rules = ", ".join(step.rules) or "-"
    if step.expected_mistake and step.verdict is Verdict.REFUTED:
        return (f"  {where}: step {step.index} refuted as expected ({rules}): "
                f"{counterexample_text(step.evidence)}")
    if step.ok:
        return None
    if step.verdict is Verdict.REFUTED:
        return f"  {where}: step {step.index} REFUTED ({rules}): {counterexample_text(step.evidence, 'lines')}"
    if step.verdict is Verdict.UNKNOWN:
        return f"  {where}: step {step.index} UNKNOWN ({rules}): {step.evidence.reason}"
    if step.expected_mistake:
        return f"  {where}: step {step.index} was expected to be refuted but is proved"
    return f"  {where}: step {step.index} is true but NOT JUSTIFIED by rule {rules}"


def _why_not(evidence: Refuted | Unknown) -> str:
    """A counterexample, or the reason nothing was decided."""
    return counterexample_text(evidence) if isinstance(evidence, Refuted) else evidence.reason


def to_text(reports: list[Report], quiet: bool = False, color: bool = False) -> str:
    """The terminal report; ``quiet`` keeps only derivations that are not
    verified, their failing steps and the summary line."""
    lines = []
    for report in reports:
        mark = paint(f"{_MARK[report.status]:>10}", _COLORS[report.status], color)
        if report.error is not None:
            lines.append(f"{mark}  {report.file}: {report.error}")
            continue
        if quiet and report.status == VERIFIED:
            continue
        proved = sum(1 for s in report.steps if s.verdict is Verdict.PROVED)
        lines.append(f"{mark}  {report.name}: {report.title} "
                     f"({len(report.steps)} steps, {proved} proved)")
        for step in report.steps:
            line = _step_line(report, step)
            if line and not (quiet and step.ok):
                lines.append(line if step.ok else paint(line, "31", color))
        closed = report.closed_form
        failing = None if closed is None else closed.failing_evidence()
        if failing is not None:
            evidence, against = failing
            lines.append(paint(f"  {report.file}:{closed.line}: closed form {closed.verdict} "
                               f"(against {against}): {_why_not(evidence)}", "31", color))
        if not quiet:
            for warning in report.warnings:
                lines.append(paint(f"  warning: {warning}", "33", color))
    lines.append(summary_line(reports))
    return "\n".join(lines) + "\n"


# ---- CI formats: GitHub workflow commands and JUnit XML --------------------

def step_problem(report: Report, step: StepReport) -> Problem | None:
    """Why ``step`` is not accepted, or None when it is (a step expected to
    be refuted and refuted is accepted)."""
    if step.ok:
        return None
    rules = ", ".join(step.rules) or "no rule"
    label = f"step {step.index} ({rules})"
    where = dict(file=report.file, line=step.line, column=step.column)
    if step.verdict is Verdict.REFUTED and not step.expected_mistake:
        return Problem("error", Verdict.REFUTED, **where, title=f"symderive: {label} refuted",
                       message=f"{label} is false: {counterexample_text(step.evidence, 'sentence')}: {step.latex}")
    if step.verdict is Verdict.UNKNOWN:
        return Problem("warning", Verdict.UNKNOWN, **where, title=f"symderive: {label} unknown",
                       message=f"{label} is neither proved nor refuted: {step.evidence.reason}: {step.latex}")
    if step.expected_mistake:
        return Problem("error", "not-refuted", **where, title=f"symderive: {label} not refuted",
                       message=f"{label} is marked expect = \"{Verdict.REFUTED}\" but is proved: {step.latex}")
    return Problem("error", "unjustified", **where, title=f"symderive: {label} not justified",
                   message=f"{label} is true but the rule {rules} does not produce it: {step.latex}")


def closed_form_problem(report: Report) -> Problem | None:
    """Why the closed form is not proved, or None when it is."""
    closed = report.closed_form
    failing = None if closed is None else closed.failing_evidence()
    if failing is None:
        return None
    severity = "error" if closed.verdict is Verdict.REFUTED else "warning"
    return Problem(severity, closed.verdict, report.file, closed.line, None, f"symderive: closed form {closed.verdict}",
                   f"closed form {closed.verdict} ({_why_not(failing[0])}): {closed.latex}")


def problems(report: Report) -> list[Problem]:
    """Everything in ``report`` a CI run should annotate, in file order."""
    if report.error is not None:
        return [error_problem(report.error, report.file)]
    found = [p for p in (step_problem(report, s) for s in report.steps) if p is not None]
    closed = closed_form_problem(report)
    if closed is not None:
        found.append(closed)
    found.extend(Problem("notice", "kink", report.file, None, None, "symderive: not differentiable", w)
                 for w in report.warnings)
    return found


def to_github(reports: list[Report]) -> str:
    """GitHub Actions annotations: ``::error`` per failing step, closed form
    or bad input, ``::warning`` per unknown step or kink, one ``::notice``
    with the summary."""
    lines = [problem_command(p) for report in reports for p in problems(report)]
    lines.append(workflow_command("notice", summary_line(reports), title="symderive verify"))
    return "\n".join(lines) + "\n"


def _case_name(step: StepReport) -> str:
    name = "first line" if step.index == 0 else f"step {step.index} ({', '.join(step.rules) or 'no rule'})"
    return f"{name} [case {step.case}]" if step.case else name


def to_junit(reports: list[Report], elapsed: float | None = None) -> str:
    """JUnit XML: a ``<testsuite>`` per derivation file, a ``<testcase>`` per
    step and one for the closed form. Per-step time is not measured: cases
    and suites say 0, ``<testsuites>`` the run's wall time when given."""
    suites = []
    for report in reports:
        suite = junit_suite(report.file)
        if report.error is not None:
            junit_case(suite, "load", report.name, error_problem(report.error, report.file), report.file, None)
        for step in report.steps:
            junit_case(suite, _case_name(step), report.name, step_problem(report, step), report.file, step.line)
        if report.closed_form is not None:
            junit_case(suite, "closed form", report.name, closed_form_problem(report), report.file,
                       report.closed_form.line)
        suites.append(suite)
    return junit_document("symderive verify", suites, elapsed)
