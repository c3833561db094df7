"""Post reports as JSON-ready data and as text, with a caret under what
could not be read."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import PurePath

from ..formats import (JSON_VERSION, Problem, _evidence_fields, error_problem, junit_case, junit_document, paint,
                       workflow_command, xml_text)
from dataclasses import fields

from ..cache import decode_evidence, encode_evidence, is_lasting
from ..evidence import Approximate
from .report import CLAIM, NOTHING_CHECKED, Chain, PostReport, PostStep


def step_to_dict(step: PostStep) -> dict:
    data = {
        "line": step.line, "column": step.column, "relation": step.relation,
        "lhs": step.lhs, "rhs": step.rhs, "kind": step.kind, "verdict": step.verdict,
        "condition": step.condition, "rule_hint": ", ".join(step.rule_hint) or None,
        "justified": step.justified, "step_size": step.step_size, "large_step": step.large_step,
        "approximate": step.approximate, "note": step.note,
    }
    if isinstance(step.evidence, Approximate):
        data.update({"method": step.evidence.method, "counterexample": None, "reason": None,
                     "tolerance": step.evidence.tolerance,
                     "points": [dict(point) for point in step.evidence.points]})
    elif step.evidence is not None:
        data.update(_evidence_fields(step.evidence))
    else:
        data.update({"method": None, "counterexample": None, "reason": None})
    return data


def report_to_dict(report: PostReport) -> dict:
    claims = report.claims()
    return {
        "name": report.file.rsplit("/", 1)[-1],
        "file": report.file,
        "kind": "post",
        "status": report.status,
        "nothing_checked": report.nothing_checked,
        "counts": report.counts(),
        "steps": [step_to_dict(s) for s in claims],
        "chains": [{"index": c.index, "line": c.line, "steps": [step_to_dict(s) for s in c.steps]}
                   for c in report.chains],
        "definitions": [step_to_dict(s) for s in report.definitions],
        "unreadable": [step_to_dict(s) for s in report.unreadable],
        "skipped": [step_to_dict(s) for s in report.skipped()],
        "relations": [step_to_dict(s) for s in report.relations],
    }


def to_json(reports: list[PostReport], errors: list[str]) -> str:
    totals: dict = {}
    for report in reports:
        for key, value in report.counts().items():
            totals[key] = totals.get(key, 0) + value
    totals["posts"] = len(reports)
    totals["errors"] = len(errors)
    for status in ("verified", "failed", "incomplete"):
        totals[status] = sum(1 for r in reports if r.status == status)
    return json.dumps({"version": JSON_VERSION, "derivations": [report_to_dict(r) for r in reports],
                       "errors": errors, "summary": totals}, indent=2, ensure_ascii=False) + "\n"


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _mark(step: PostStep) -> str:
    if step.verdict == "proved":
        return "large step" if step.large_step else "ok"
    if step.verdict == "approximate":
        return "APPROX"
    return step.verdict.upper()


def _summary(report: PostReport) -> str:
    """One line: the status, then every count a reader needs to trust it."""
    counts = report.counts()
    status = NOTHING_CHECKED if report.nothing_checked else report.status
    return (f"{report.file}: {status}: {counts['chains']} chains, {counts['steps']} steps: "
            f"{counts['proved']} proved, {counts['refuted']} refuted, {counts['unknown']} unknown, "
            f"{counts['approximate']} approximate, {counts['unreadable']} unreadable "
            f"({counts['math_blocks']} math blocks, {counts['parsed']} parsed, "
            f"{counts['definitions']} definitions, {counts['skipped']} skipped)")


def _points(evidence: Approximate, limit: int = 3) -> str:
    shown = ["(" + ", ".join(f"{k} = {v}" for k, v in point) + ")" for point in evidence.points[:limit]]
    more = len(evidence.points) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


_STEP_COLORS = {"proved": "32", "refuted": "31", "unknown": "33", "approximate": "33"}


def to_text(report: PostReport, source: str, quiet: bool = False, color: bool = False) -> str:
    """The terminal report of one post; ``quiet`` keeps the summary line and
    the claims that are refuted or unknown, and the math that cannot be read."""
    lines = source.splitlines()
    out = [_summary(report)]
    for chain in report.chains:
        shown = [s for s in chain.steps if s.kind == CLAIM and not (quiet and s.verdict == "proved")]
        if not shown:
            continue
        if not quiet:
            out.append(f"  chain {chain.index + 1} (line {chain.line})")
        for step in shown:
            where = f"{report.file}:{step.line}:{step.column}"
            mark = paint(f"{_mark(step):>10}", _STEP_COLORS.get(step.verdict, "0"), color)
            text = f"    {mark}  {where}  {_short(step.lhs, 30)} {step.relation} {_short(step.rhs, 50)}"
            if step.condition:
                text += f"  [if {step.condition}]"
            out.append(text)
            counterexample = step.evidence if step.verdict == "refuted" else None
            if counterexample is not None:
                point = ", ".join(f"{k} = {v}" for k, v in counterexample.point) or "every point"
                out.append(f"{'':>16}counterexample at {point}: left {counterexample.lhs_value}, "
                           f"right {counterexample.rhs_value}")
            if step.verdict == "unknown":
                out.append(f"{'':>16}{step.evidence.reason}")
            if step.verdict == "approximate":
                out.append(f"{'':>16}within {step.evidence.tolerance:g} (relative) at {_points(step.evidence)}; "
                           f"an approximation is not proved")
            if step.justified is False and not quiet:
                out.append(f"{'':>16}rule hint '{', '.join(step.rule_hint)}' does not produce this step")
    if not quiet:
        for step in report.skipped():
            out.append(f"  skipped  {report.file}:{step.line}:{step.column}  {_short(step.lhs, 30)} "
                       f"{step.relation} {_short(step.rhs, 30)}  ({step.note})")
    for step in report.unreadable:
        out.append(f"  {report.file}:{step.line}:{step.column}: {step.evidence.reason}")
        if 0 < step.line <= len(lines):
            out.append(f"    {lines[step.line - 1]}")
            out.append(f"    {' ' * (step.column - 1)}^")
    return "\n".join(out) + "\n"


# ---- CI formats -------------------------------------------------------------

def _claim(step: PostStep) -> str:
    return f"{_short(step.lhs, 40)} {step.relation} {_short(step.rhs, 60)}"


def claim_problem(report: PostReport, step: PostStep) -> Problem | None:
    """Why a claim or a piece of unreadable math needs attention, or None.
    A rule hint that does not produce its step is a warning: posts are
    reported, not failed, for it."""
    where = dict(file=report.file, line=step.line, column=step.column)
    claim = _claim(step)
    if step.kind != CLAIM:
        return Problem("warning", "unreadable", **where, title="symderive: math not read",
                       message=f"cannot read this math: {step.evidence.reason}")
    if step.verdict == "refuted":
        c = step.evidence
        point = ", ".join(f"{k} = {v}" for k, v in c.point) or "every point"
        return Problem("error", "refuted", **where, title="symderive: relation refuted",
                       message=f"{claim} is false: at {point} the left side is {c.lhs_value} "
                               f"and the right side is {c.rhs_value}")
    if step.verdict == "unknown":
        return Problem("warning", "unknown", **where, title="symderive: relation unknown",
                       message=f"{claim} is neither proved nor refuted: {step.evidence.reason}")
    if step.verdict == "approximate":
        return Problem("warning", "approximate", **where, title="symderive: approximation",
                       message=f"{claim} holds only within {step.evidence.tolerance:g} (relative) "
                               f"at {_points(step.evidence)}: not proved")
    if step.justified is False:
        return Problem("warning", "hint-not-justified", **where, title="symderive: rule hint",
                       message=f"{claim}: the rule hint '{', '.join(step.rule_hint)}' does not produce this step")
    return None


def _nothing_checked(report: PostReport) -> Problem:
    return Problem("warning", "nothing-checked", report.file, 1, 1, title="symderive: nothing checked",
                   message="no relation of this post could be checked")


def post_problems(report: PostReport) -> list[Problem]:
    found = [claim_problem(report, s) for s in report.claims()]
    found += [claim_problem(report, s) for s in report.unreadable]
    if report.nothing_checked:
        found.append(_nothing_checked(report))
    return sorted((p for p in found if p is not None), key=lambda p: (p.line, p.column))


def to_github(reports: list[PostReport], errors: list[str]) -> str:
    """GitHub Actions annotations: ``::error`` per refuted claim or unreadable
    file, ``::warning`` per unknown claim, unreadable math or unproductive
    rule hint, a ``::notice`` summary per post."""
    lines = [workflow_command(p.severity, p.message, file=p.file, line=p.line, col=p.column, title=p.title)
             for p in (error_problem(e, "") for e in errors)]
    for report in reports:
        lines += [workflow_command(p.severity, p.message, file=p.file, line=p.line, col=p.column, title=p.title)
                  for p in post_problems(report)]
        lines.append(workflow_command("notice", _summary(report), file=report.file, title="symderive check"))
    return "\n".join(lines) + "\n"


def _classname(file: str) -> str:
    return PurePath(file).name.replace(".", "_")


def to_junit(reports: list[PostReport], errors: list[str], elapsed: float | None = None) -> str:
    """JUnit XML: a ``<testsuite>`` per post, a ``<testcase>`` per claim and
    per piece of unreadable math; a file that cannot be read is a suite with
    one ``<error>``."""
    suites = []
    for error in errors:
        problem = error_problem(error, "")
        suite = ET.Element("testsuite", {"name": xml_text(problem.file)})
        junit_case(suite, "read", _classname(problem.file), problem, problem.file, None)
        suites.append(suite)
    for report in reports:
        suite = ET.Element("testsuite", {"name": xml_text(report.file)})
        steps = sorted([*report.claims(), *report.unreadable], key=lambda s: (s.line, s.column))
        for step in steps:
            problem = claim_problem(report, step)
            if problem is not None and problem.kind == "hint-not-justified":
                problem = None  # a hint is advice; the claim itself is proved
            name = f"line {step.line}:{step.column} " + ("unreadable math" if step.kind != CLAIM else _claim(step))
            junit_case(suite, name, _classname(report.file), problem, report.file, step.line)
        if report.nothing_checked:
            junit_case(suite, "nothing checked", _classname(report.file), _nothing_checked(report), report.file, 1)
        suites.append(suite)
    return junit_document("symderive check", suites, elapsed)


# ---- the verdict cache's form of a report ---------------------------------------

def _encode_evidence(evidence) -> dict | None:
    if isinstance(evidence, Approximate):
        return {"kind": "approximate", "tolerance": evidence.tolerance,
                "points": [[list(pair) for pair in point] for point in evidence.points], "method": evidence.method}
    return encode_evidence(evidence)


def _decode_evidence(data: dict | None):
    if data is not None and data["kind"] == "approximate":
        points = tuple(tuple(tuple(pair) for pair in point) for point in data["points"])
        return Approximate(data["tolerance"], points, data["method"])
    return decode_evidence(data)


def _encode_step(step: PostStep) -> dict:
    data = {f.name: getattr(step, f.name) for f in fields(PostStep)}
    data["evidence"] = _encode_evidence(step.evidence)
    data["rule_hint"] = list(step.rule_hint)
    return data


def _decode_step(data: dict) -> PostStep:
    return PostStep(**{**data, "evidence": _decode_evidence(data["evidence"]), "rule_hint": tuple(data["rule_hint"])})


def encode_post(report: PostReport) -> dict:
    """A report as JSON values, for the verdict cache."""
    return {"file": report.file, "blocks": report.blocks, "parsed": report.parsed,
            "chains": [{"index": c.index, "line": c.line, "steps": [_encode_step(s) for s in c.steps]}
                       for c in report.chains],
            "definitions": [_encode_step(s) for s in report.definitions],
            "unreadable": [_encode_step(s) for s in report.unreadable],
            "relations": [_encode_step(s) for s in report.relations]}


def decode_post(data: dict) -> PostReport:
    steps = lambda rows: tuple(_decode_step(row) for row in rows)  # noqa: E731
    chains = tuple(Chain(c["index"], c["line"], steps(c["steps"])) for c in data["chains"])
    return PostReport(data["file"], chains, steps(data["definitions"]), steps(data["unreadable"]), data["blocks"],
                      data["parsed"], steps(data["relations"]))


def post_is_lasting(report: PostReport) -> bool:
    """False when a verdict depends on the machine (a timeout): not cached."""
    return all(is_lasting(s.evidence) for s in report.relations if s.evidence is not None)
