"""Post reports as JSON-ready data and as text, with a caret under what
could not be read."""

from __future__ import annotations

import json

from ..formats import JSON_VERSION, _evidence_fields
from .report import CLAIM, PostReport, PostStep


def step_to_dict(step: PostStep) -> dict:
    data = {
        "line": step.line, "column": step.column, "relation": step.relation,
        "lhs": step.lhs, "rhs": step.rhs, "kind": step.kind, "verdict": step.verdict,
        "condition": step.condition, "rule_hint": ", ".join(step.rule_hint) or None,
        "justified": step.justified, "step_size": step.step_size, "large_step": step.large_step,
        "approximate": step.approximate,
    }
    if step.evidence is not None:
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
        "counts": report.counts(),
        "steps": [step_to_dict(s) for s in claims],
        "chains": [{"index": c.index, "line": c.line, "steps": [step_to_dict(s) for s in c.steps]}
                   for c in report.chains],
        "definitions": [step_to_dict(s) for s in report.definitions],
        "unreadable": [step_to_dict(s) for s in report.unreadable],
    }


def to_json(reports: list[PostReport], errors: list[str]) -> str:
    totals: dict = {}
    for report in reports:
        for key, value in report.counts().items():
            totals[key] = totals.get(key, 0) + value
    totals["posts"] = len(reports)
    totals["errors"] = len(errors)
    return json.dumps({"version": JSON_VERSION, "derivations": [report_to_dict(r) for r in reports],
                       "errors": errors, "summary": totals}, indent=2, ensure_ascii=False) + "\n"


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _mark(step: PostStep) -> str:
    if step.verdict == "proved":
        return "large step" if step.large_step else "ok"
    return step.verdict.upper()


def to_text(report: PostReport, source: str) -> str:
    lines = source.splitlines()
    counts = report.counts()
    out = [f"{report.file}: {counts['chains']} chains, {counts['steps']} steps: {counts['proved']} proved, "
           f"{counts['refuted']} refuted, {counts['unknown']} unknown "
           f"({counts['math_blocks']} math blocks, {counts['parsed']} parsed, "
           f"{counts['definitions']} definitions)"]
    for chain in report.chains:
        out.append(f"  chain {chain.index + 1} (line {chain.line})")
        for step in chain.steps:
            if step.kind != CLAIM:
                continue
            where = f"{report.file}:{step.line}:{step.column}"
            text = f"    {_mark(step):>10}  {where}  {_short(step.lhs, 30)} {step.relation} {_short(step.rhs, 50)}"
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
            if step.justified is False:
                out.append(f"{'':>16}rule hint '{', '.join(step.rule_hint)}' does not produce this step")
    for step in report.unreadable:
        out.append(f"  {report.file}:{step.line}:{step.column}: {step.evidence.reason}")
        if 0 < step.line <= len(lines):
            out.append(f"    {lines[step.line - 1]}")
            out.append(f"    {' ' * (step.column - 1)}^")
    return "\n".join(out) + "\n"
