"""Plain view data for the templates, built from a Report.

Every string the documents show is computed here: labels, rule wording,
marks, status sentences, counterexample sentences. The templates only lay
them out. Prose stays unescaped here (the templates escape it with exactly
one filter, ``md`` or ``tex``); the author's math is normalised by
``escape.clean_math`` and goes into math mode as it is; marks and colours
are trusted fragments of the target language. Sentences that mix prose,
math and code are tuples of ``values.Segment``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..evidence import Proved, Refuted, Unknown, Verdict
from ..report import BACKWARD, Report, StepReport
from .escape import clean_math
from .values import (Segment, Sentence, condition_math, counterexample_sentence, name_math, text_sentence as _text,
                     title_sentence, value_segment)

__all__ = ["MARKS", "Segment", "Definition", "StepView", "Row", "Group", "Section", "ClosedFormView",
           "CheckView", "DocumentView", "build_view", "name_math", "value_segment"]

TARGETS = ("md", "tex")


@dataclass(frozen=True)
class Definition:
    """A definition shown before the steps: ``name = math``."""

    name: str   # math: \sigma, g_{\text{logistic}}, S_i
    math: str   # the author's math, cleaned
    end: str    # LaTeX row end in an align* (" \\" or "")


@dataclass(frozen=True)
class StepView:
    """One step as the documents show it: its math, rule words, mark, status and annotations."""

    index: int
    label: str            # "First line", "Step 3"
    math: str             # the author's math, cleaned
    display: str          # the math as displayed: "= <math>" after the first line
    rules: str            # "chain", "sum, exp", "" for the first line
    rule_words: str       # "by the chain rule", "by sum, exp", ""
    tag: str              # rule_words, or "first line": the right-margin text
    verdict: Verdict
    justified: bool | None
    expected_mistake: bool
    mark: str             # ✓ ✗ ? (Markdown) or a LaTeX fragment
    status: str           # words: "proved", "expected mistake, refuted as expected", ...
    ok: bool
    boxed: bool           # shown in a framed box in LaTeX (refuted steps)
    annotations: tuple[Sentence, ...]   # counterexample, "rule not justified: ...", note


@dataclass(frozen=True)
class Row:
    """A step in an align* with the LaTeX that ends its row."""

    step: StepView
    end: str              # LaTeX row end in an align* (" \\" or "")


@dataclass(frozen=True)
class Group:
    """Consecutive steps shown together: one align* of rows (followed by the
    annotations of its last row), or one boxed step."""

    boxed: bool
    rows: tuple[Row, ...]
    after: tuple[Sentence, ...]


@dataclass(frozen=True)
class Section:
    """The main chain (no heading) or one case under its condition."""

    heading: str | None   # math of the case condition, None for the main chain
    steps: tuple[StepView, ...]
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class ClosedFormView:
    """The closed form, its mark and the sentences saying what it was checked against."""

    math: str
    verdict: str
    mark: str
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class CheckView:
    """An extra check of the activation with its verdict and mark."""

    description: str
    verdict: str
    mark: str
    math: str = ""  # an output-only form: f'(x) = 1 - y^{2}, as math after the description


@dataclass(frozen=True)
class DocumentView:
    """Everything one document of a report shows, for the target "md" or "tex"."""

    target: str
    name: str
    title: str
    heading: Sentence      # the title with its $...$ parts as math
    source: str
    status: str            # verified | failed | incomplete | error
    status_color: str      # xcolor expression (LaTeX)
    summary: str           # "8 steps: 7 proved and justified, 1 expected mistake refuted; ..."
    error: str
    definitions: tuple[Definition, ...]
    sections: tuple[Section, ...]
    closed_form: ClosedFormView | None
    warnings: tuple[str, ...]
    checks: tuple[CheckView, ...]
    plot: str = ""         # relative path of the figure of f and f' (Markdown only), or ""


# --- marks -------------------------------------------------------------------

# The tone of a mark: accepted, wrong, or not decided (the keys of MARKS).
OK, BAD, UNSURE = "ok", "bad", "unknown"

MARKS = {
    "md": {OK: "✓", BAD: "✗", UNSURE: "?"},
    "tex": {OK: r"\textcolor{green!45!black}{$\checkmark$}",
            BAD: r"\textcolor{red!75!black}{$\times$}",
            UNSURE: r"\textcolor{orange!85!black}{\textbf{?}}"},
}
_STATUS_COLORS = {"verified": "green!45!black", "failed": "red!75!black",
                  "incomplete": "orange!85!black", "error": "red!75!black"}

# --- rule wording ---------------------------------------------------------------

_RULE_WORDS = {
    "chain": "the chain rule", "quotient": "the quotient rule", "product": "the product rule",
    "sum": "the sum rule", "constant": "the constant rule", "power": "the power rule",
    "exp": "the derivative of the exponential", "log": "the derivative of the logarithm",
    "hyperbolic": "the hyperbolic derivatives", "identity": "an identity",
    "algebra": "algebra", "cases": "cases", "kronecker": "the Kronecker delta",
    "definition": "definition", "substitution": "substitution",
}


def rule_words(rules: tuple[str, ...]) -> str:
    """"by the chain rule" for one rule, "by sum, exp" for several."""
    if not rules:
        return ""
    if len(rules) == 1:
        return "by " + _RULE_WORDS.get(rules[0], rules[0])
    return "by " + ", ".join(rules)


# --- steps ------------------------------------------------------------------------

def _step_label(step: StepReport) -> str:
    return "First line" if step.index == 0 else f"Step {step.index}"


# (tone, status words) of a step, by whether it replays a mistake and its verdict
_EXPECTED_MISTAKE_STATES = {Verdict.REFUTED: (BAD, "expected mistake, refuted as expected"),
                            Verdict.PROVED: (BAD, "expected mistake, but the step is true"),
                            Verdict.UNKNOWN: (UNSURE, "expected mistake, not decided")}
_STEP_STATES = {Verdict.REFUTED: (BAD, "refuted"), Verdict.UNKNOWN: (UNSURE, "not decided"),
                Verdict.PROVED: (OK, "proved")}


def _step_state(step: StepReport) -> tuple[str, str]:
    """(tone, status words) of a step."""
    if step.expected_mistake:
        return _EXPECTED_MISTAKE_STATES[step.verdict]
    if step.verdict is Verdict.PROVED and step.justified is False:
        return BAD, "true, but the rule does not justify it"
    return _STEP_STATES[step.verdict]


def _annotations(step: StepReport, previous_shown: int | None, target: str) -> tuple[Sentence, ...]:
    lines: list[Sentence] = []
    evidence = step.evidence
    if step.compared_with is not None and step.compared_with != previous_shown:
        other = "the first line" if step.compared_with == 0 else f"step {step.compared_with}"
        lines.append(_text(f"Compared with {other}."))
    if isinstance(evidence, Refuted):
        if step.index == 0 and step.compared_with is None:
            lines.append(counterexample_sentence(evidence, "this line", "the derivative computed by SymPy",
                                                 target))
        else:
            lines.append(counterexample_sentence(evidence, "the previous line", "this line", target))
    elif isinstance(evidence, Unknown):
        lines.append(_text(f"Not decided: {evidence.reason}"))
    if step.expected_mistake and isinstance(evidence, Proved):
        lines.append(_text("This step was expected to be refuted (the author's mistake), "
                           "but it is true."))
    elif not step.expected_mistake and isinstance(evidence, Proved) and step.justified is False:
        lines.append(_text(f"rule not justified: {', '.join(step.rules)}"))
    if step.note:
        lines.append(_text(f"Note: {step.note}"))
    return tuple(lines)


def _step_view(step: StepReport, target: str, first: bool, previous_shown: int | None) -> StepView:
    tone, status = _step_state(step)
    math = clean_math(step.latex, target)
    words = rule_words(step.rules)
    return StepView(
        index=step.index,
        label=_step_label(step),
        math=math,
        display=math if first else f"= {math}",
        rules=", ".join(step.rules),
        rule_words=words,
        tag=words or ("first line" if first else ""),
        verdict=step.verdict,
        justified=step.justified,
        expected_mistake=step.expected_mistake,
        mark=MARKS[target][tone],
        status=status,
        ok=step.ok,
        boxed=step.verdict is Verdict.REFUTED,
        annotations=_annotations(step, previous_shown, target),
    )


def _groups(steps: list[StepView]) -> tuple[Group, ...]:
    groups: list[Group] = []
    rows: list[StepView] = []

    def close(after: tuple[Sentence, ...] = ()):
        if rows:
            ends = [" \\\\"] * (len(rows) - 1) + [""]
            groups.append(Group(False, tuple(Row(s, e) for s, e in zip(rows, ends)), after))
            rows.clear()

    for step in steps:
        if step.boxed:
            close()
            groups.append(Group(True, (Row(step, ""),), step.annotations))
            continue
        rows.append(step)
        if step.annotations:
            close(step.annotations)
    close()
    return tuple(groups)


def _sections(report: Report, target: str) -> tuple[Section, ...]:
    chunks: list[tuple[str | None, list[StepReport]]] = []
    previous: StepReport | None = None
    for step in report.steps:
        new_case = previous is None or step.case != previous.case or (
            step.case is not None and step.index <= previous.index)
        if new_case:
            chunks.append((step.case, []))
        chunks[-1][1].append(step)
        previous = step
    sections = []
    first = True
    previous_shown: int | None = None
    for case, steps in chunks:
        views = []
        for step in steps:
            views.append(_step_view(step, target, first, previous_shown))
            first = False
            previous_shown = step.index
        heading = None if case is None else condition_math(case, target)
        sections.append(Section(heading, tuple(views), _groups(views)))
    return tuple(sections)


# --- closed form, summary ------------------------------------------------------------

_TONES = {Verdict.PROVED: OK, Verdict.REFUTED: BAD}


def tone(verdict: Verdict) -> str:
    """OK, BAD or UNSURE for a verdict."""
    return _TONES.get(verdict, UNSURE)


def _closed_form(report: Report, target: str) -> ClosedFormView | None:
    closed = report.closed_form
    if closed is None:
        return None
    activation = report.activation
    reference = f"the derivative of {activation} computed by SymPy" if activation else \
        "the derivative computed by SymPy"
    sentences: list[Sentence] = []
    evidence = closed.evidence
    if isinstance(evidence, Proved):
        sentences.append(_text(f"Equal to {reference} ({evidence.method})."))
    elif isinstance(evidence, Refuted):
        sentences.append(_text(f"Not equal to {reference}."))
        sentences.append(counterexample_sentence(evidence, "the closed form", "SymPy's derivative", target))
    else:
        sentences.append(_text(f"Not decided whether it equals {reference}: {evidence.reason}"))
    end = closed.chain_end
    last = "the last line of every case" if report.cases or any(s.case for s in report.steps) \
        else "the last line of the derivation"
    if isinstance(end, Proved):
        sentences.append(_text(f"Equal to {last} ({end.method})."))
    elif isinstance(end, Refuted):
        sentences.append(_text(f"Not equal to {last}."))
        sentences.append(counterexample_sentence(end, "the last line", "the closed form", target))
    elif isinstance(end, Unknown):
        sentences.append(_text(f"Not decided whether it equals {last}: {end.reason}"))
    return ClosedFormView(math=clean_math(closed.latex, target), verdict=closed.verdict,
                          mark=MARKS[target][tone(closed.verdict)], sentences=tuple(sentences))


_EXPECTED_MISTAKE_WORDS = {Verdict.REFUTED: "refuted", Verdict.PROVED: "not refuted",
                           Verdict.UNKNOWN: "not decided"}
_CLOSED_FORM_WORDS = {Verdict.PROVED: "proved", Verdict.REFUTED: "refuted", Verdict.UNKNOWN: "not decided"}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _summary(report: Report) -> str:
    if report.error is not None:
        return "the derivation could not be read"
    steps = report.steps
    normal = [s for s in steps if not s.expected_mistake]
    expected = [s for s in steps if s.expected_mistake]
    counts = [
        (sum(1 for s in normal if s.verdict is Verdict.PROVED and s.justified is not False), "proved and justified"),
        (sum(1 for s in normal if s.verdict is Verdict.PROVED and s.justified is False), "true but not justified"),
        (sum(1 for s in normal if s.verdict is Verdict.REFUTED), "refuted"),
        (sum(1 for s in normal if s.verdict is Verdict.UNKNOWN), "not decided"),
    ]
    parts = [f"{count} {words}" for count, words in counts if count]
    for verdict, words in _EXPECTED_MISTAKE_WORDS.items():
        count = sum(1 for s in expected if s.verdict is verdict)
        if count:
            parts.append(f"{_plural(count, 'expected mistake')} {words}")
    text = f"{_plural(len(steps), 'step')}: " + ", ".join(parts) if parts else _plural(len(steps), "step")
    if report.closed_form is not None:
        text += f"; closed form {_CLOSED_FORM_WORDS[report.closed_form.verdict]}"
    return text


def _checks(report: Report, target: str) -> tuple[CheckView, ...]:
    """The extra checks; an output-only form's shows its formula as math
    (the report's LaTeX for it), not as SymPy text."""
    return tuple(CheckView(BACKWARD if check.latex is not None else check.description, check.verdict_text,
                           MARKS[target][tone(check.verdict)],
                           "" if check.latex is None else clean_math(check.latex, target))
                 for check in report.checks)


def build_view(report: Report, target: str, plot: str = "") -> DocumentView:
    """The view of ``report`` for ``target`` "md" or "tex"; ``plot`` is the
    relative path of a figure to show (Markdown)."""
    if target not in TARGETS:
        raise ValueError(f"unknown render target {target!r}")
    status = report.status
    return DocumentView(
        target=target,
        name=report.name,
        title=report.title or report.name,
        heading=title_sentence(report.title or report.name, target),
        source=report.source or "",
        status=status,
        status_color=_STATUS_COLORS[status],
        summary=_summary(report),
        error=report.error or "",
        definitions=tuple(
            Definition(name_math(name), clean_math(latex, target), " \\\\" if number < len(report.definitions) - 1 else "")
            for number, (name, latex) in enumerate(report.definitions)),
        sections=_sections(report, target),
        closed_form=_closed_form(report, target),
        warnings=tuple(report.warnings),
        checks=_checks(report, target),
        plot=plot,
    )
