"""Reports as JSON-ready data and as text for a terminal. No proving here."""

from __future__ import annotations

import json

from .evidence import Proved, Refuted, Unknown
from .report import Report, StepReport

JSON_VERSION = 1


def _evidence_fields(evidence) -> dict:
    if isinstance(evidence, Proved):
        return {"method": evidence.method, "counterexample": None, "reason": None}
    if isinstance(evidence, Refuted):
        return {
            "method": evidence.method,
            "counterexample": {"point": dict(evidence.point), "lhs": evidence.lhs_value, "rhs": evidence.rhs_value},
            "reason": None,
        }
    return {"method": None, "counterexample": None, "reason": evidence.reason}


def step_to_dict(step: StepReport) -> dict:
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
    data.update(_evidence_fields(step.evidence))
    return data


def report_to_dict(report: Report) -> dict:
    closed = None
    if report.closed_form is not None:
        closed = {"latex": report.closed_form.latex, "line": report.closed_form.line,
                  "verdict": report.closed_form.verdict}
        closed.update(_evidence_fields(report.closed_form.evidence))
        end = report.closed_form.chain_end
        closed["chain_end"] = None if end is None else {
            "verdict": {Proved: "proved", Refuted: "refuted", Unknown: "unknown"}[type(end)],
            **_evidence_fields(end)}
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
        "checks": [{"check": c, "verdict": v} for c, v in report.extra_checks],
    }


def summary(reports: list[Report]) -> dict:
    counts = {"total": len(reports), "verified": 0, "failed": 0, "incomplete": 0, "error": 0}
    for report in reports:
        counts[report.status] += 1
    counts["steps"] = sum(len(r.steps) for r in reports)
    counts["refuted_as_expected"] = sum(
        1 for r in reports for s in r.steps if s.expect == "refuted" and s.verdict == "refuted")
    return counts


def to_json(reports: list[Report]) -> str:
    return json.dumps({"version": JSON_VERSION, "derivations": [report_to_dict(r) for r in reports],
                       "summary": summary(reports)}, indent=2, ensure_ascii=False) + "\n"


_MARK = {"verified": "ok", "failed": "FAILED", "incomplete": "INCOMPLETE", "error": "ERROR"}


def _step_line(report: Report, step: StepReport) -> str | None:
    where = f"{report.file}:{step.line}:{step.column}"
    rules = ", ".join(step.rules) or "-"
    if step.expect == "refuted" and step.verdict == "refuted":
        c = step.counterexample
        return (f"  {where}: step {step.index} refuted as expected ({rules}): at "
                f"{_point(c)}: {c.lhs_value} vs {c.rhs_value}")
    if step.ok:
        return None
    if step.verdict == "refuted":
        c = step.counterexample
        return (f"  {where}: step {step.index} REFUTED ({rules}): at {_point(c)}: "
                f"previous line = {c.lhs_value}, this line = {c.rhs_value}")
    if step.verdict == "unknown":
        return f"  {where}: step {step.index} UNKNOWN ({rules}): {step.evidence.reason}"
    if step.expect == "refuted":
        return f"  {where}: step {step.index} was expected to be refuted but is proved"
    return f"  {where}: step {step.index} is true but NOT JUSTIFIED by rule {rules}"


def _point(refuted: Refuted) -> str:
    return ", ".join(f"{k} = {v}" for k, v in refuted.point) or "every point"


def to_text(reports: list[Report]) -> str:
    lines = []
    for report in reports:
        if report.error is not None:
            lines.append(f"{_MARK['error']:>10}  {report.file}: {report.error}")
            continue
        proved = sum(1 for s in report.steps if s.verdict == "proved")
        lines.append(f"{_MARK[report.status]:>10}  {report.name}: {report.title} "
                     f"({len(report.steps)} steps, {proved} proved)")
        for step in report.steps:
            line = _step_line(report, step)
            if line:
                lines.append(line)
        closed = report.closed_form
        if closed is not None and closed.verdict != "proved":
            lines.append(f"  {report.file}:{closed.line}: closed form {closed.verdict}")
        for warning in report.warnings:
            lines.append(f"  warning: {warning}")
    counts = summary(reports)
    lines.append(f"{counts['total']} derivations: {counts['verified']} verified, {counts['failed']} failed, "
                 f"{counts['incomplete']} incomplete, {counts['error']} errors")
    return "\n".join(lines) + "\n"
