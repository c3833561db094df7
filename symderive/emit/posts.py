"""Reports of posts (``symderive check``) as JSON-ready data, terminal text
with a caret under what could not be read, GitHub workflow commands and
JUnit XML."""

from __future__ import annotations

import json
from pathlib import PurePath

from ..evidence import Verdict
from ..post.report import CLAIM, FAILED, INCOMPLETE, NOTHING_CHECKED, VERIFIED, PostReport, PostStep
from .common import (JSON_VERSION, Problem, approximation_points, counterexample_text, error_problem,
                     evidence_fields, junit_case, junit_document, junit_suite, paint, problem_command, short,
                     workflow_command)


def step_to_dict(step: PostStep) -> dict:
    """A relation of a post under the JSON keys of ``symderive check``."""
    data = {
        "line": step.line, "column": step.column, "relation": step.relation,
        "lhs": step.lhs, "rhs": step.rhs, "kind": step.kind, "verdict": step.verdict,
        "condition": step.condition, "rule_hint": ", ".join(step.rule_hint) or None,
        "justified": step.justified, "step_size": step.step_size, "large_step": step.large_step,
        "approximate": step.approximate, "note": step.note,
    }
    data.update(evidence_fields(step.evidence))
    return data


def report_to_dict(report: PostReport) -> dict:
    """A post's report: its status, counts, claims, chains and the relations of each kind."""
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
        "assumed": list(report.assumed),
    }


def to_json(reports: list[PostReport], errors: list[str]) -> str:
    """The JSON report of ``symderive check --format json``; ``errors`` are the posts that could not be read."""
    totals: dict = {}
    for report in reports:
        for key, value in report.counts().items():
            totals[key] = totals.get(key, 0) + value
    totals["posts"] = len(reports)
    totals["errors"] = len(errors)
    for status in (VERIFIED, FAILED, INCOMPLETE):
        totals[status] = sum(1 for r in reports if r.status == status)
    return json.dumps({"version": JSON_VERSION, "derivations": [report_to_dict(r) for r in reports],
                       "errors": errors, "summary": totals}, indent=2, ensure_ascii=False) + "\n"


# ---- text ---------------------------------------------------------------------

_STEP_MARKS = {Verdict.REFUTED: "REFUTED", Verdict.UNKNOWN: "UNKNOWN", Verdict.APPROXIMATE: "APPROX"}
_STEP_COLORS = {Verdict.PROVED: "32", Verdict.REFUTED: "31", Verdict.UNKNOWN: "33", Verdict.APPROXIMATE: "33"}


def _mark(step: PostStep) -> str:
    if step.verdict is Verdict.PROVED:
        return "large step" if step.large_step else "ok"
    return _STEP_MARKS[step.verdict]


def summary_line(report: PostReport) -> str:
    """One line: the status, then every count a reader needs to trust it."""
    counts = report.counts()
    status = NOTHING_CHECKED if report.nothing_checked else report.status
    return (f"{report.file}: {status}: {counts['chains']} chains, {counts['steps']} steps: "
            f"{counts['proved']} proved, {counts['refuted']} refuted, {counts['unknown']} unknown, "
            f"{counts['approximate']} approximate, {counts['unreadable']} unreadable "
            f"({counts['math_blocks']} math blocks, {counts['parsed']} parsed, "
            f"{counts['definitions']} definitions, {counts['skipped']} skipped)")


def _details(step: PostStep, quiet: bool) -> list[str]:
    """What follows a claim's line: its counterexample, reason or tolerance,
    and a rule hint that does not produce it."""
    details = []
    if step.verdict is Verdict.REFUTED:
        details.append(counterexample_text(step.evidence, "claim"))
    elif step.verdict is Verdict.UNKNOWN:
        details.append(step.evidence.reason)
    elif step.verdict is Verdict.APPROXIMATE:
        details.append(f"within {step.evidence.tolerance:g} (relative) at {approximation_points(step.evidence)}; "
                       f"an approximation is not proved")
    if step.justified is False and not quiet:
        details.append(f"rule hint '{', '.join(step.rule_hint)}' does not produce this step")
    return [f"{'':>16}{detail}" for detail in details]


def to_text(report: PostReport, source: str, quiet: bool = False, color: bool = False) -> str:
    """The terminal report of one post; ``quiet`` keeps the summary line and
    the claims that are refuted or unknown, and the math that cannot be read."""
    lines = source.splitlines()
    out = [summary_line(report)]
    for total in report.assumed:
        out.append(f"  assumed {total}: a cross-entropy's target is a distribution (the post does not say so)")
    for chain in report.chains:
        shown = [s for s in chain.steps if s.kind == CLAIM and not (quiet and s.verdict is Verdict.PROVED)]
        if not shown:
            continue
        if not quiet:
            out.append(f"  chain {chain.index + 1} (line {chain.line})")
        for step in shown:
            where = f"{report.file}:{step.line}:{step.column}"
            mark = paint(f"{_mark(step):>10}", _STEP_COLORS.get(step.verdict, "0"), color)
            text = f"    {mark}  {where}  {short(step.lhs, 30)} {step.relation} {short(step.rhs, 50)}"
            if step.condition:
                text += f"  [if {step.condition}]"
            out.append(text)
            out += _details(step, quiet)
    if not quiet:
        for step in report.skipped():
            out.append(f"  skipped  {report.file}:{step.line}:{step.column}  {short(step.lhs, 30)} "
                       f"{step.relation} {short(step.rhs, 30)}  ({step.note})")
    for step in report.unreadable:
        out.append(f"  {report.file}:{step.line}:{step.column}: {step.evidence.reason}")
        if 0 < step.line <= len(lines):
            out.append(f"    {lines[step.line - 1]}")
            out.append(f"    {' ' * (step.column - 1)}^")
    return "\n".join(out) + "\n"


# ---- CI formats -------------------------------------------------------------

def _claim(step: PostStep) -> str:
    return f"{short(step.lhs, 40)} {step.relation} {short(step.rhs, 60)}"


def claim_problem(report: PostReport, step: PostStep) -> Problem | None:
    """Why a claim or a piece of unreadable math needs attention, or None.
    A rule hint that does not produce its step is a warning: posts are
    reported, not failed, for it."""
    where = dict(file=report.file, line=step.line, column=step.column)
    claim = _claim(step)
    if step.kind != CLAIM:
        return Problem("warning", "unreadable", **where, title="symderive: math not read",
                       message=f"cannot read this math: {step.evidence.reason}")
    if step.verdict is Verdict.REFUTED:
        return Problem("error", Verdict.REFUTED, **where, title="symderive: relation refuted",
                       message=f"{claim} is false: {counterexample_text(step.evidence, 'sides')}")
    if step.verdict is Verdict.UNKNOWN:
        return Problem("warning", Verdict.UNKNOWN, **where, title="symderive: relation unknown",
                       message=f"{claim} is neither proved nor refuted: {step.evidence.reason}")
    if step.verdict is Verdict.APPROXIMATE:
        return Problem("warning", "approximate", **where, title="symderive: approximation",
                       message=f"{claim} holds only within {step.evidence.tolerance:g} (relative) "
                               f"at {approximation_points(step.evidence)}: not proved")
    if step.justified is False:
        return Problem("warning", "hint-not-justified", **where, title="symderive: rule hint",
                       message=f"{claim}: the rule hint '{', '.join(step.rule_hint)}' does not produce this step")
    return None


def _nothing_checked(report: PostReport) -> Problem:
    return Problem("warning", "nothing-checked", report.file, 1, 1, title="symderive: nothing checked",
                   message="no relation of this post could be checked")


def post_problems(report: PostReport) -> list[Problem]:
    """Everything in ``report`` a CI run should annotate, in file order."""
    found = [claim_problem(report, s) for s in report.claims()]
    found += [claim_problem(report, s) for s in report.unreadable]
    if report.nothing_checked:
        found.append(_nothing_checked(report))
    return sorted((p for p in found if p is not None), key=lambda p: (p.line, p.column))


def to_github(reports: list[PostReport], errors: list[str]) -> str:
    """GitHub Actions annotations: ``::error`` per refuted claim or unreadable
    file, ``::warning`` per unknown claim, unreadable math or unproductive
    rule hint, a ``::notice`` summary per post."""
    lines = [problem_command(error_problem(e, "")) for e in errors]
    for report in reports:
        lines += [problem_command(p) for p in post_problems(report)]
        lines.append(workflow_command("notice", summary_line(report), file=report.file, title="symderive check"))
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
        suite = junit_suite(problem.file)
        junit_case(suite, "read", _classname(problem.file), problem, problem.file, None)
        suites.append(suite)
    for report in reports:
        suite = junit_suite(report.file)
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
