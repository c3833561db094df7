"""How reports, steps and derivations look in Jupyter: the drawers
``display.py`` hands Jupyter's ``_repr_markdown_``/``_repr_latex_`` to.
Importing this module registers them."""

from __future__ import annotations

from ..derivation import Derivation, Step
from ..display import LATEX, MARKDOWN, register_display
from ..emit.common import counterexample_text
from ..evidence import Unknown, Verdict
from ..report import Report, StepReport
from . import render_latex, render_markdown
from .escape import clean_math, escape_markdown, escape_tex, markdown_code

# what a LaTeX fragment keeps of the standalone document's preamble
_PREAMBLE_DEFINITIONS = ("\\newcommand", "\\renewcommand", "\\newenvironment", "\\definecolor")


def report_markdown(report: Report) -> str:
    """The Markdown document ``symderive render`` writes."""
    if report.error is not None:
        return f"**{escape_markdown(report.name)}: error** — {escape_markdown(report.error)}\n"
    return render_markdown(report)


def report_latex(report: Report) -> str:
    """The body of the LaTeX document ``symderive render`` writes, in a group
    with the commands its preamble defines (it needs amsmath, amssymb and
    xcolor): what nbconvert's LaTeX export can include."""
    if report.error is not None:
        return f"\\textbf{{{escape_tex(report.name)}: error}} {escape_tex(report.error)}\n"
    preamble, _, rest = render_latex(report).partition("\\begin{document}")
    body = rest.rpartition("\\end{document}")[0]
    definitions = [line for line in preamble.splitlines() if line.startswith(_PREAMBLE_DEFINITIONS)]
    return "\n".join(["\\begingroup", *definitions, body.strip(), "\\endgroup"]) + "\n"


def step_heading(step: StepReport, mark: bool = True) -> str:
    """``Step 2 by chain: ✓ refuted as expected``."""
    label = "First line" if step.index == 0 else f"Step {step.index}"
    rules = f" by {', '.join(step.rules)}" if step.rules else ""
    if step.expected_mistake:
        state = ("refuted as expected" if step.verdict is Verdict.REFUTED
                 else f"{step.verdict}, expected {Verdict.REFUTED}")
    elif step.justified is False:
        state = f"{step.verdict}, not justified by its rule"
    else:
        state = step.verdict
    symbol = ("✓ " if step.ok else "✗ ") if mark else ""
    return f"{label}{rules}: {symbol}{state}"


def step_markdown(step: StepReport) -> str:
    """The step as a display with its rule and verdict, and its counterexample or reason."""
    lines = [f"**{step_heading(step)}**", "", f"$$ {clean_math(step.latex, 'md')} $$"]
    if step.counterexample is not None:
        lines += ["", f"> Counterexample: {counterexample_text(step.counterexample, 'sentence', markdown_code)}."]
    elif isinstance(step.evidence, Unknown):
        lines += ["", f"> Unknown: {escape_markdown(step.evidence.reason)}"]
    return "\n".join(lines) + "\n"


def step_latex(step: StepReport) -> str:
    """The step in display math, its verdict as a tag."""
    heading = step_heading(step, mark=False).replace(":", " --")
    return (f"\\begin{{equation*}} {clean_math(step.latex)} \\tag*{{\\text{{{escape_tex(heading)}}}}} "
            f"\\end{{equation*}}")


def derivation_markdown(derivation: Derivation) -> str:
    """The derivation as written, before any checking."""
    def step(s: Step, first: bool) -> list[str]:
        label = "**First line**" if first else f"**Step {s.index}** by {escape_markdown(', '.join(s.rules))}"
        if s.expect:
            label += f" (expected {s.expect})"
        return [label, "", f"$$ {'' if first else '= '}{clean_math(s.latex, 'md')} $$", ""]

    lines = [f"### {escape_markdown(derivation.title)}", "", "*Not checked yet: `symderive.verify` proves or "
             "refutes each step.*", ""]
    for name, definition in derivation.lets:
        lines += [f"$$ {clean_math(name, 'md')} = {clean_math(definition.latex, 'md')} $$", ""]
    for s in derivation.steps:
        lines += step(s, s.index == 0)
    for case in derivation.cases:
        lines += [f"**Case** ${clean_math(case.condition.latex, 'md')}$", ""]
        for s in case.steps:
            lines += step(s, False)
    if derivation.closed_form is not None:
        lines += ["**Closed form**", "", f"$$ {clean_math(derivation.closed_form.latex, 'md')} $$"]
    return "\n".join(lines).rstrip() + "\n"


def derivation_latex(derivation: Derivation) -> str:
    """The steps aligned on ``=``, each rule as a tag."""
    def row(s: Step) -> str:
        tag = f"\\tag*{{\\text{{{escape_tex(', '.join(s.rules) or 'first line')}}}}}"
        return f"{'&' if s.index == 0 else '&= '}{clean_math(s.latex)} {tag}"

    rows = [row(s) for s in derivation.steps]
    for case in derivation.cases:
        rows.append(f"&\\text{{if }} {clean_math(case.condition.latex)}:\\notag")
        rows += [row(s) for s in case.steps]
    return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}\n"


for _cls, _markdown, _latex in ((Report, report_markdown, report_latex), (StepReport, step_markdown, step_latex),
                                (Derivation, derivation_markdown, derivation_latex)):
    register_display(_cls, MARKDOWN, _markdown)
    register_display(_cls, LATEX, _latex)
