"""The adversarial suite: cases read from the TOML files of this folder, run
through symderive's public entry points, and scored against the truth each
case declares (which ``oracle.py`` confirms independently).

A case is one of:

* a **post** claim: ``lhs``/``rhs`` as LaTeX, put in a tiny Markdown post
  ``$$lhs = rhs$$`` after its definitions (``let``, each "Let $...$.") and
  its condition (``condition``, "For $x > 0$:"); ``relation = '\\approx'``
  for an approximation;
  and ``prose`` (a sentence just before the display, e.g. naming a rule);
* a post **chain**: ``chain = [A, B, C]`` written ``$$A = B = C$$``, one
  step per ``=`` (``[[cases.steps]]`` gives each step's truth and oracle);
* a whole **post** text (``post``), its claims in order;
* a **derivation** file text (``derivation``), verified with
  ``symderive.verify``; each step after the first line has a truth and
  ``produces``: whether its cited rule really produces it.

Every step carries its oracle: ``oracle_lhs``, ``oracle_rhs`` in SymPy
syntax, ``variables`` (name -> kind, see ``oracle.KINDS``),
``oracle_condition`` and optionally ``low``/``high``/``breakpoints``.
"""

from __future__ import annotations

import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
TIMEOUT = 10.0  # seconds per claim; a claim that runs out is unknown
PROVED, REFUTED, UNKNOWN, TIMEOUT_, CRASH = "proved", "refuted", "unknown", "timeout", "crash"


@dataclass(frozen=True)
class Step:
    """One claimed equality and what is true of it."""

    truth: bool
    oracle_lhs: str
    oracle_rhs: str
    variables: dict
    oracle_condition: str | None = None
    produces: bool | None = None  # for a step citing a rule
    low: float = -12
    high: float = 12
    breakpoints: tuple = ()


@dataclass(frozen=True)
class Case:
    id: str
    klass: str
    kind: str  # "post" or "derivation"
    text: str  # the post or the derivation file given to symderive
    steps: tuple[Step, ...]
    note: str = ""
    claims_from_line: int = 1  # in a generated post, the claim's display: the definitions before it are not steps


@dataclass(frozen=True)
class Outcome:
    """What symderive said about one step of one case."""

    case: Case
    index: int
    step: Step
    verdict: str  # proved, refuted, unknown, timeout or crash
    justified: bool | None = None
    detail: str = ""
    seconds: float = 0.0

    @property
    def wrong_proved(self) -> bool:
        return not self.step.truth and self.verdict == PROVED

    @property
    def true_refuted(self) -> bool:
        return self.step.truth and self.verdict == REFUTED

    @property
    def rule_wrongly_justified(self) -> bool:
        return self.justified is True and (self.step.produces is False or not self.step.truth)

    @property
    def undecided(self) -> bool:
        return self.verdict in (UNKNOWN, TIMEOUT_, CRASH)

    @property
    def failure(self) -> str | None:
        """Why this outcome misses the acceptance targets, or None."""
        if self.wrong_proved:
            return "wrong step proved"
        if self.true_refuted:
            return "true step refuted"
        if self.rule_wrongly_justified:
            return "rule justifies a step it does not produce"
        return None

    def line(self) -> str:
        truth = "true" if self.step.truth else "wrong"
        rule = "" if self.justified is None else f", justified={self.justified}"
        return f"{self.case.id}#{self.index} [{truth}] tool: {self.verdict}{rule} — {self.detail}"


# -- reading the cases -----------------------------------------------------------

def _step(data: dict, defaults: dict) -> Step:
    merged = {**defaults, **data}
    truth = merged["truth"]
    if truth not in ("true", "false"):
        raise ValueError(f"truth must be 'true' or 'false', not {truth!r}")
    return Step(
        truth=truth == "true", oracle_lhs=merged["oracle_lhs"], oracle_rhs=merged["oracle_rhs"],
        variables=dict(merged.get("variables", {"x": "real"})),
        oracle_condition=merged.get("oracle_condition"), produces=merged.get("produces"),
        low=merged.get("low", -12), high=merged.get("high", 12),
        breakpoints=tuple(str(b) for b in merged.get("breakpoints", ())))


def _post(data: dict) -> str:
    parts = [f"Let ${definition}$." for definition in data.get("let", ())]
    if "condition" in data:
        parts.append(f"For ${data['condition']}$:")
    if "prose" in data:
        parts.append(data["prose"])
    relation = data.get("relation", "=")
    tail = f", \\quad {data['display_condition']}" if "display_condition" in data else ""
    if "chain" in data:
        parts.append("$$\n" + f" {relation} ".join(data["chain"]) + tail + "\n$$")
    else:
        parts.append(f"$$\n{data['lhs']} {relation} {data['rhs']}{tail}\n$$")
    return "\n\n".join(parts) + "\n"


_CASE_KEYS = {"variables", "oracle_condition", "low", "high", "breakpoints"}


def _case(data: dict, klass: str, file_defaults: dict) -> Case:
    defaults = {**file_defaults, **{k: data[k] for k in _CASE_KEYS if k in data}}
    if "steps" in data:
        steps = tuple(_step(s, defaults) for s in data["steps"])
    else:
        steps = (_step(data, file_defaults),)
    if "derivation" in data:
        return Case(data["id"], klass, "derivation", data["derivation"], steps, data.get("note", ""))
    if "post" in data:
        return Case(data["id"], klass, "post", data["post"], steps, data.get("note", ""))
    text = _post(data)
    opening = text.rindex("$$\n", 0, len(text) - len("$$\n"))  # the claim's display is the post's last part
    first_line = text.count("\n", 0, opening) + 1
    return Case(data["id"], klass, "post", text, steps, data.get("note", ""), claims_from_line=first_line)


def load_cases(folder: Path = HERE) -> list[Case]:
    cases = []
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        file_defaults = {k: data[k] for k in _CASE_KEYS if k in data}  # e.g. a class's variables
        cases += [_case(c, data["class"], file_defaults) for c in data["cases"]]
    ids = [c.id for c in cases]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"duplicate case ids: {sorted(duplicates)}")
    return cases


# -- running symderive -------------------------------------------------------------

def _verdict_of(evidence) -> tuple[str, str]:
    from symderive.evidence import Proved, Refuted

    if isinstance(evidence, Proved):
        return PROVED, f"proved ({evidence.method})"
    if isinstance(evidence, Refuted):
        point = ", ".join(f"{k} = {v}" for k, v in evidence.point)
        return REFUTED, f"refuted at {point or 'every point'}: {evidence.lhs_value} vs {evidence.rhs_value}"
    if hasattr(evidence, "tolerance"):  # an approximation's own verdict: neither proved nor refuted
        return UNKNOWN, f"approximate (within {evidence.tolerance:g} at {len(getattr(evidence, 'points', ()))} points)"
    reason = getattr(evidence, "reason", None) or f"{type(evidence).__name__}: {evidence}"
    return (TIMEOUT_ if reason.startswith("timeout") else UNKNOWN), f"unknown ({reason})"


def _run_post(case: Case) -> list[tuple[str, bool | None, str]]:
    from symderive import check_post

    report = check_post(case.text, f"{case.id}.md", timeout=TIMEOUT)
    # every relation given a verdict, in order: claims, and statements taken as
    # definitions but checked (a catalog function's first statement)
    checked = [s for s in report.relations if s.evidence is not None and s.line >= case.claims_from_line]
    results = []
    for s in checked:
        verdict, detail = _verdict_of(s.evidence)
        if s.approximate and verdict == PROVED:
            detail += " [an \\approx line]"
        results.append((verdict, s.justified, detail))
    missing = "not read as a claim" + (f"; unreadable: {report.unreadable[0].evidence.reason}"
                                        if report.unreadable else "")
    while len(results) < len(case.steps):
        results.append((UNKNOWN, None, missing))
    return results[:len(case.steps)]


def _run_derivation(case: Case) -> list[tuple[str, bool | None, str]]:
    import symderive

    report = symderive.verify(case.text, timeout=TIMEOUT)
    if report.error is not None:
        return [(CRASH, None, f"error: {report.error}")] * len(case.steps)
    steps = [s for s in report.steps if s.index > 0 or s.case is not None][: len(case.steps)]
    results = []
    for s in steps:
        verdict, detail = _verdict_of(s.evidence)
        results.append((verdict, s.justified, f"{detail}; rules {', '.join(s.rules) or '-'}"))
    while len(results) < len(case.steps):
        results.append((UNKNOWN, None, "step missing from the report"))
    return results


def run_case(case: Case) -> list[Outcome]:
    """Outcomes of every step; an exception is a crash, never a pass."""
    start = time.perf_counter()
    try:
        results = _run_post(case) if case.kind == "post" else _run_derivation(case)
    except Exception as error:  # the suite measures crashes; it must not stop at one
        results = [(CRASH, None, f"{type(error).__name__}: {error}")] * len(case.steps)
    seconds = time.perf_counter() - start
    return [Outcome(case, i, step, verdict, justified, detail, seconds)
            for i, (step, (verdict, justified, detail)) in enumerate(zip(case.steps, results))]


def run_all(cases: list[Case]) -> list[Outcome]:
    return [o for case in cases for o in run_case(case)]


# -- scoring ---------------------------------------------------------------------------

COLUMNS = ("wrong proved", "wrong refuted", "wrong unknown", "true proved", "true refuted", "true unknown",
           "rule wrongly justified", "crashes", "timeouts")


@dataclass
class Score:
    counts: dict = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))

    def add(self, o: Outcome) -> None:
        side = "true" if o.step.truth else "wrong"
        if o.verdict in (PROVED, REFUTED):
            self.counts[f"{side} {o.verdict}"] += 1
        else:
            self.counts[f"{side} unknown"] += 1
        self.counts["rule wrongly justified"] += o.rule_wrongly_justified
        self.counts["crashes"] += o.verdict == CRASH
        self.counts["timeouts"] += o.verdict == TIMEOUT_

    @property
    def true_steps(self) -> int:
        return sum(self.counts[f"true {v}"] for v in ("proved", "refuted", "unknown"))


def score(outcomes: list[Outcome]) -> dict[str, Score]:
    """Per class, plus "total"."""
    table: dict[str, Score] = {}
    for o in outcomes:
        for key in (o.case.klass, "total"):
            table.setdefault(key, Score()).add(o)
    return table


def failures_by_class(outcomes: list[Outcome]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for o in outcomes:
        if o.failure:
            grouped.setdefault(o.case.klass, []).append(f"{o.failure}: {o.line()}")
    return grouped


def unknown_true_by_class(outcomes: list[Outcome]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for o in outcomes:
        if o.step.truth and o.undecided:
            grouped.setdefault(o.case.klass, []).append(o.line())
    return grouped


def table_text(table: dict[str, Score]) -> str:
    short = ("W proved", "W refuted", "W unknown", "T proved", "T refuted", "T unknown", "rule wrong", "crash",
             "timeout")
    width = max(len(k) for k in table) + 2
    lines = ["class".ljust(width) + " ".join(f"{h:>10}" for h in short)]
    for key in sorted(k for k in table if k != "total") + ["total"]:
        counts = table[key].counts
        lines.append(key.ljust(width) + " ".join(f"{counts[c]:>10}" for c in COLUMNS))
    return "\n".join(lines)
