"""Reports as JSON-ready data and as text for a terminal. No proving here."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

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


def _closed_detail(closed) -> str:
    """Why the result does not hold: the counterexample, or the reason it is unknown."""
    for evidence, against in ((closed.evidence, "the derivative"), (closed.chain_end, "the last line")):
        if isinstance(evidence, Refuted):
            return (f" (against {against}): at {_point(evidence)}: "
                    f"{evidence.lhs_value} vs {evidence.rhs_value}")
        if isinstance(evidence, Unknown):
            return f" (against {against}): {evidence.reason}"
    return ""


def _point(refuted: Refuted) -> str:
    return ", ".join(f"{k} = {v}" for k, v in refuted.point) or "every point"


_COLORS = {"verified": "32", "failed": "31", "incomplete": "33", "error": "31"}


def paint(text: str, code: str, color: bool) -> str:
    """``text`` in the ANSI colour ``code`` when ``color`` is on."""
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def to_text(reports: list[Report], quiet: bool = False, color: bool = False) -> str:
    """The terminal report; ``quiet`` keeps only derivations that are not
    verified, their failing steps and the summary line."""
    lines = []
    for report in reports:
        mark = paint(f"{_MARK[report.status]:>10}", _COLORS[report.status], color)
        if report.error is not None:
            lines.append(f"{mark}  {report.file}: {report.error}")
            continue
        if quiet and report.status == "verified":
            continue
        proved = sum(1 for s in report.steps if s.verdict == "proved")
        lines.append(f"{mark}  {report.name}: {report.title} "
                     f"({len(report.steps)} steps, {proved} proved)")
        for step in report.steps:
            line = _step_line(report, step)
            if line and not (quiet and step.ok):
                lines.append(line if step.ok else paint(line, "31", color))
        closed = report.closed_form
        if closed is not None and closed.verdict != "proved":
            lines.append(paint(f"  {report.file}:{closed.line}: closed form {closed.verdict}{_closed_detail(closed)}",
                               "31", color))
        if not quiet:
            for warning in report.warnings:
                lines.append(paint(f"  warning: {warning}", "33", color))
    lines.append(summary_line(reports))
    return "\n".join(lines) + "\n"


# ---- CI formats: GitHub workflow commands and JUnit XML --------------------

@dataclass(frozen=True)
class Problem:
    """Something a CI run should point at: ``severity`` is "error" or
    "warning"; ``kind`` is the JUnit failure type (refuted, unjustified,
    unknown, not-refuted, bad-input, kink)."""

    severity: str
    kind: str
    file: str
    line: int | None
    column: int | None
    title: str
    message: str


_LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<message>.*)$", re.S)


def error_problem(error: str, file: str) -> Problem:
    """Bad input, from a ``file:line:column: message`` error string."""
    found = _LOCATED.match(error)
    if found is None:
        return Problem("error", "bad-input", file, None, None, "symderive: bad input", error)
    return Problem("error", "bad-input", found["file"], int(found["line"]), int(found["column"]),
                   "symderive: bad input", found["message"])


def step_problem(report: Report, step: StepReport) -> Problem | None:
    """Why ``step`` is not accepted, or None when it is (a step expected to
    be refuted and refuted is accepted)."""
    if step.ok:
        return None
    rules = ", ".join(step.rules) or "no rule"
    label = f"step {step.index} ({rules})"
    where = dict(file=report.file, line=step.line, column=step.column)
    if step.verdict == "refuted" and step.expect != "refuted":
        c = step.counterexample
        return Problem("error", "refuted", **where, title=f"symderive: {label} refuted",
                       message=f"{label} is false: at {_point(c)} the previous line is {c.lhs_value} "
                               f"and this line is {c.rhs_value}: {step.latex}")
    if step.verdict == "unknown":
        return Problem("warning", "unknown", **where, title=f"symderive: {label} unknown",
                       message=f"{label} is neither proved nor refuted: {step.evidence.reason}: {step.latex}")
    if step.expect == "refuted":
        return Problem("error", "not-refuted", **where, title=f"symderive: {label} not refuted",
                       message=f"{label} is marked expect = \"refuted\" but is proved: {step.latex}")
    return Problem("error", "unjustified", **where, title=f"symderive: {label} not justified",
                   message=f"{label} is true but the rule {rules} does not produce it: {step.latex}")


def closed_form_problem(report: Report) -> Problem | None:
    closed = report.closed_form
    if closed is None or closed.verdict == "proved":
        return None
    evidence = next(e for e in (closed.evidence, closed.chain_end)
                    if e is not None and not isinstance(e, Proved))
    detail = (f"at {_point(evidence)}: {evidence.lhs_value} vs {evidence.rhs_value}"
              if isinstance(evidence, Refuted) else evidence.reason)
    return Problem("error" if closed.verdict == "refuted" else "warning", closed.verdict, report.file,
                   closed.line, None, f"symderive: closed form {closed.verdict}",
                   f"closed form {closed.verdict} ({detail}): {closed.latex}")


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


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(command: str, message: str, **properties) -> str:
    """One GitHub Actions workflow command line, ``::command k=v,...::message``,
    with the escapes of the runner (``%``, CR, LF; also ``:`` and ``,`` in values)."""
    given = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties.items()
                     if value is not None)
    return f"::{command}{' ' + given if given else ''}::{_escape_data(message)}"


def problem_command(problem: Problem) -> str:
    return workflow_command(problem.severity, problem.message, file=problem.file, line=problem.line,
                            col=problem.column, title=problem.title)


def summary_line(reports: list[Report]) -> str:
    counts = summary(reports)
    return (f"{counts['total']} derivations: {counts['verified']} verified, {counts['failed']} failed, "
            f"{counts['incomplete']} incomplete, {counts['error']} errors")


def to_github(reports: list[Report]) -> str:
    """GitHub Actions annotations: ``::error`` per failing step, closed form
    or bad input, ``::warning`` per unknown step or kink, one ``::notice``
    with the summary."""
    lines = [problem_command(p) for report in reports for p in problems(report)]
    lines.append(workflow_command("notice", summary_line(reports), title="symderive verify"))
    return "\n".join(lines) + "\n"


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return _XML_INVALID.sub("\ufffd", text)


def junit_case(suite: ET.Element, name: str, classname: str, problem: Problem | None,
               file: str, line: int | None) -> None:
    """A ``<testcase>``; bad input is an ``<error>``, any other problem a ``<failure>``."""
    attributes = {"name": xml_text(name), "classname": xml_text(classname), "time": "0", "file": xml_text(file)}
    if line is not None:
        attributes["line"] = str(line)
    case = ET.SubElement(suite, "testcase", attributes)
    if problem is not None:
        tag = "error" if problem.kind == "bad-input" else "failure"
        where = f"{problem.file}:{problem.line or 1}:{problem.column or 1}"
        outcome = ET.SubElement(case, tag, {"message": xml_text(problem.message), "type": problem.kind})
        outcome.text = xml_text(f"{where}: {problem.message}")


def junit_document(name: str, suites: list[ET.Element], elapsed: float | None) -> str:
    """``<testsuites>`` around ``suites``, with every count filled in from the cases."""
    root = ET.Element("testsuites", {"name": name})
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for suite in suites:
        cases = suite.findall("testcase")
        counts = {"tests": len(cases), "failures": sum(1 for c in cases if c.find("failure") is not None),
                  "errors": sum(1 for c in cases if c.find("error") is not None)}
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("skipped", "0")
        suite.set("time", "0")
        root.append(suite)
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", f"{elapsed or 0:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _case_name(step: StepReport) -> str:
    name = "first line" if step.index == 0 else f"step {step.index} ({', '.join(step.rules) or 'no rule'})"
    return f"{name} [case {step.case}]" if step.case else name


def to_junit(reports: list[Report], elapsed: float | None = None) -> str:
    """JUnit XML: a ``<testsuite>`` per derivation file, a ``<testcase>`` per
    step and one for the closed form. Per-step time is not measured: cases
    and suites say 0, ``<testsuites>`` the run's wall time when given."""
    suites = []
    for report in reports:
        suite = ET.Element("testsuite", {"name": xml_text(report.file)})
        if report.error is not None:
            junit_case(suite, "load", report.name, error_problem(report.error, report.file), report.file, None)
        for step in report.steps:
            junit_case(suite, _case_name(step), report.name, step_problem(report, step), report.file, step.line)
        if report.closed_form is not None:
            junit_case(suite, "closed form", report.name, closed_form_problem(report), report.file,
                       report.closed_form.line)
        suites.append(suite)
    return junit_document("symderive verify", suites, elapsed)
