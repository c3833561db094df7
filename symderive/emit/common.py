"""What the emitters of derivation and post reports share."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Callable

from ..evidence import Approximate, Refuted, Verdict, verdict_of

JSON_VERSION = 1

# How a counterexample reads in each place it is shown: one sentence, several wordings.
COUNTEREXAMPLE_FORMS = {
    "short": "at {point}: {lhs} vs {rhs}",
    "lines": "at {point}: previous line = {lhs}, this line = {rhs}",
    "sentence": "at {point} the previous line is {lhs} and this line is {rhs}",
    "sides": "at {point} the left side is {lhs} and the right side is {rhs}",
    "claim": "counterexample at {point}: left {lhs}, right {rhs}",
    "note": "at {point}, {lhs} against {rhs}",
}


def counterexample_text(refuted: Refuted, form: str = "short", quote: Callable[[str], str] = str) -> str:
    """Where the two sides differ and their values there, worded as ``form``;
    ``quote`` marks up the point and the values (as code in Markdown, say)."""
    return COUNTEREXAMPLE_FORMS[form].format(point=quote(refuted.point_text()), lhs=quote(refuted.lhs_value),
                                             rhs=quote(refuted.rhs_value))


def evidence_fields(evidence) -> dict:
    """The JSON fields every verdict carries: method, counterexample, reason
    (and tolerance and points for an approximation); all None without evidence."""
    kind = None if evidence is None else verdict_of(evidence)
    if kind is Verdict.PROVED:
        return {"method": evidence.method, "counterexample": None, "reason": None}
    if kind is Verdict.REFUTED:
        return {
            "method": evidence.method,
            "counterexample": {"point": dict(evidence.point), "lhs": evidence.lhs_value, "rhs": evidence.rhs_value},
            "reason": None,
        }
    if kind is Verdict.APPROXIMATE:
        return {"method": evidence.method, "counterexample": None, "reason": None,
                "tolerance": evidence.tolerance, "points": [dict(point) for point in evidence.points]}
    if kind is Verdict.UNKNOWN:
        return {"method": None, "counterexample": None, "reason": evidence.reason}
    return {"method": None, "counterexample": None, "reason": None}


def approximation_points(evidence: Approximate, limit: int = 3) -> str:
    """``(x = 1), (x = 2), (x = 3) and 2 more``."""
    shown = ["(" + ", ".join(f"{k} = {v}" for k, v in point) + ")" for point in evidence.points[:limit]]
    more = len(evidence.points) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def paint(text: str, code: str, color: bool) -> str:
    """``text`` in the ANSI colour ``code`` when ``color`` is on."""
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def short(text: str, width: int = 70) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


# ---- CI problems: GitHub workflow commands and JUnit XML ----------------------

@dataclass(frozen=True)
class Problem:
    """Something a CI run should point at: ``severity`` is "error",
    "warning" or "notice"; ``kind`` is the JUnit failure type (refuted,
    unjustified, unknown, not-refuted, bad-input, kink, ...)."""

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
    """``problem`` as a workflow command pointing at its file, line and column."""
    return workflow_command(problem.severity, problem.message, file=problem.file, line=problem.line,
                            col=problem.column, title=problem.title)


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


def junit_suite(name: str) -> ET.Element:
    """An empty ``<testsuite>``; ``junit_document`` fills in its counts."""
    return ET.Element("testsuite", {"name": xml_text(name)})


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
