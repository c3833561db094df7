"""The result of replaying a derivation: frozen data, ready to print or render."""

from __future__ import annotations

from dataclasses import dataclass, field

from .evidence import Proved, Refuted, Unknown

VERIFIED, FAILED, INCOMPLETE, ERROR = "verified", "failed", "incomplete", "error"


@dataclass(frozen=True)
class StepReport:
    """One step: its truth (verdict) and whether its named rules produce it."""

    index: int
    line: int
    column: int
    latex: str
    rules: tuple[str, ...]
    evidence: Proved | Refuted | Unknown
    justified: bool | None
    expect: str | None = None
    note: str | None = None
    case: str | None = None
    compared_with: int | None = None

    @property
    def verdict(self) -> str:
        return {Proved: "proved", Refuted: "refuted", Unknown: "unknown"}[type(self.evidence)]

    @property
    def ok(self) -> bool:
        if self.expect == "refuted":
            return self.verdict == "refuted"
        return self.verdict == "proved" and self.justified is not False

    @property
    def counterexample(self) -> Refuted | None:
        return self.evidence if isinstance(self.evidence, Refuted) else None

    def _heading(self, mark: bool = True) -> str:
        label = "First line" if self.index == 0 else f"Step {self.index}"
        rules = f" by {', '.join(self.rules)}" if self.rules else ""
        if self.expect == "refuted":
            state = "refuted as expected" if self.verdict == "refuted" else f"{self.verdict}, expected refuted"
        elif self.justified is False:
            state = f"{self.verdict}, not justified by its rule"
        else:
            state = self.verdict
        symbol = ("✓ " if self.ok else "✗ ") if mark else ""
        return f"{label}{rules}: {symbol}{state}"

    def _repr_markdown_(self) -> str:
        """Jupyter: the step as a display with its rule and verdict."""
        from .render.escape import clean_math, markdown_code

        lines = [f"**{self._heading()}**", "", f"$$ {clean_math(self.latex, 'md')} $$"]
        c = self.counterexample
        if c is not None:
            point = ", ".join(f"{k} = {v}" for k, v in c.point) or "every point"
            lines += ["", f"> Counterexample: at {markdown_code(point)} the previous line is "
                          f"{markdown_code(c.lhs_value)} and this line is {markdown_code(c.rhs_value)}."]
        elif isinstance(self.evidence, Unknown):
            lines += ["", f"> Unknown: {_md_text(self.evidence.reason)}"]
        return "\n".join(lines) + "\n"

    def _repr_latex_(self) -> str:
        """Jupyter: the step in display math, its verdict as a tag."""
        heading = self._heading(mark=False).replace(":", " --")
        from .render.escape import clean_math

        return (f"\\begin{{equation*}} {clean_math(self.latex)} \\tag*{{\\text{{{_tex_text(heading)}}}}} "
                f"\\end{{equation*}}")


@dataclass(frozen=True)
class ClosedFormReport:
    """The result checked against sympy.diff of the activation, and the
    last step of every branch checked against the result."""

    latex: str
    line: int
    evidence: Proved | Refuted | Unknown
    chain_end: Proved | Refuted | Unknown | None = None

    @property
    def verdict(self) -> str:
        verdicts = [self.evidence] + ([self.chain_end] if self.chain_end is not None else [])
        for kind, name in ((Refuted, "refuted"), (Unknown, "unknown")):
            if any(isinstance(v, kind) for v in verdicts):
                return name
        return "proved"


BACKWARD = "backward from the cached output y"  # how an output-only form's check begins


@dataclass(frozen=True)
class Report:
    name: str
    file: str
    title: str
    source: str
    activation: str | None
    steps: tuple[StepReport, ...]
    closed_form: ClosedFormReport | None
    warnings: tuple[str, ...] = ()
    definitions: tuple[tuple[str, str], ...] = ()
    cases: tuple[tuple[str, str], ...] = ()
    error: str | None = None
    extra_checks: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    # the output-only forms among extra_checks, in the same order, as LaTeX for
    # documents: ("f'(x) = 1 - y^{2}", verdict)
    output_forms: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def status(self) -> str:
        if self.error is not None:
            return ERROR
        verdicts = [s.verdict for s in self.steps if s.expect != "refuted"]
        if self.closed_form is not None:
            verdicts.append(self.closed_form.verdict)
        if any(s.expect == "refuted" and s.verdict == "proved" for s in self.steps):
            return FAILED
        if "refuted" in verdicts or any(s.justified is False for s in self.steps if s.expect != "refuted"):
            return FAILED
        if "unknown" in verdicts or any(s.expect == "refuted" and s.verdict == "unknown" for s in self.steps):
            return INCOMPLETE
        return VERIFIED

    def _repr_markdown_(self) -> str:
        """Jupyter: the Markdown document ``symderive render`` writes."""
        if self.error is not None:
            return f"**{_md_text(self.name)}: error** — {_md_text(self.error)}\n"
        from .render import render_markdown

        return render_markdown(self)

    def _repr_latex_(self) -> str:
        """Jupyter and nbconvert's LaTeX export: the body of the LaTeX
        document ``symderive render`` writes, in a group with the commands
        its preamble defines (it needs amsmath, amssymb and xcolor)."""
        if self.error is not None:
            return f"\\textbf{{{_tex_text(self.name)}: error}} {_tex_text(self.error)}\n"
        from .render import render_latex

        document = render_latex(self)
        preamble, _, rest = document.partition("\\begin{document}")
        body = rest.rpartition("\\end{document}")[0]
        definitions = [line for line in preamble.splitlines()
                       if line.startswith(("\\newcommand", "\\renewcommand", "\\newenvironment", "\\definecolor"))]
        return "\n".join(["\\begingroup", *definitions, body.strip(), "\\endgroup"]) + "\n"


def _md_text(text: str) -> str:
    from .render.escape import escape_markdown

    return escape_markdown(text)


def _tex_text(text: str) -> str:
    from .render.escape import escape_tex

    return escape_tex(text)
