"""The PDF booklet: every derivation of a run in one document.

A title page (how many derivations, what the marks mean), a table of
contents, then one part per family present (activations, losses, layers
and models: a library file named ``loss_*`` or ``layer_*`` is a loss or a
layer, any other an activation) and in it one section per derivation: the activation's definition from
the catalog, the derivation's definitions, its steps aligned on ``=`` with
each step's rule and mark in the right margin, refuted steps boxed with their
counterexample, the closed form, the output-only forms (the derivative from
the cached output y, as backpropagation computes it) and a plot of f and f'.

The view of each derivation is ``view.build_view(report, "tex")``; this
module adds what only the booklet shows. The plots are PDF figures drawn with
matplotlib (pdflatex cannot include the SVG files of ``output/plots``); without
matplotlib the booklet says so in place of each figure.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import sympy

from ..catalog import lookup
from ..plot import available as plot_available, figure_of
from ..report import BACKWARD, Check, Report, decode_check
from .escape import clean_math
from .jinja import environment
from .pdf import PDFLATEX_TIMEOUT, compile_pdf
from .view import BAD, MARKS, OK, UNSURE, CheckView, DocumentView, Segment, Sentence, build_view, name_math, tone

__all__ = ["BOOKLET_NAME", "BookletView", "Chapter", "Part", "build_booklet_view", "family", "write_booklet"]

BOOKLET_NAME = "symderive"
NO_MATPLOTLIB = "The plot of f and f' needs matplotlib: pip install 'symderive[plot]'."


@dataclass(frozen=True)
class Figure:
    file: str   # name of the PDF figure beside the booklet's source, or ""
    note: str   # why there is no figure ("" when there is one, or none is expected)


@dataclass(frozen=True)
class OutputFormView:
    """f'(x) = F(y) with y = f(x), one region of it, and whether it is proved."""

    sentence: Sentence
    verdict: str
    mark: str


@dataclass(frozen=True)
class Chapter:
    doc: DocumentView
    activation: str                          # the activation's title, or ""
    definition: str                          # math "f(x) = ..." from the catalog, or ""
    parameters: tuple[Sentence, ...]         # "alpha: alpha > 0", one per parameter
    output_forms: tuple[OutputFormView, ...]
    output_note: str                         # when there is no output-only form to show
    checks: tuple[CheckView, ...]            # the further checks that are not output-only forms
    figure: Figure


@dataclass(frozen=True)
class LegendItem:
    mark: str
    text: str


@dataclass(frozen=True)
class Part:
    """The chapters of one family; ``title`` is "" in a booklet of one family."""

    title: str
    chapters: tuple[Chapter, ...]


@dataclass(frozen=True)
class BookletView:
    title: str
    subtitle: str
    summary: str
    legend: tuple[LegendItem, ...]
    parts: tuple[Part, ...]

    @property
    def chapters(self) -> tuple[Chapter, ...]:
        return tuple(chapter for part in self.parts for chapter in part.chapters)


# each family's title and the prefix of its files' names; the first takes the rest
FAMILIES = (("Activations", ""), ("Losses", "loss_"), ("Layers and models", "layer_"))


def family(report: Report) -> str:
    """The family a derivation belongs to, read from its file's name."""
    return next((title for title, prefix in FAMILIES[1:] if report.name.startswith(prefix)), FAMILIES[0][0])


def _parts(chapters: list[tuple[str, Chapter]]) -> tuple[Part, ...]:
    """The chapters grouped by family in the order of FAMILIES, each
    family's chapters in the run's order; untitled when only one is present."""
    grouped = [(title, tuple(c for f, c in chapters if f == title)) for title, _ in FAMILIES]
    grouped = [(title, group) for title, group in grouped if group]
    if len(grouped) == 1:
        return (Part("", grouped[0][1]),)
    return tuple(Part(title, group) for title, group in grouped)


def _activation(report: Report):
    return lookup(report.activation) if report.activation else None


def _definition(activation) -> str:
    lhs = "f_i" if activation.vector else f"f({sympy.latex(activation.variable)})"
    return f"{lhs} = {sympy.latex(activation.expr)}"


def _output_form(form: Check) -> OutputFormView:
    """One output-only form, f'(x) = 1 - y^{2} (where x > 0), as math."""
    return OutputFormView((Segment("math", clean_math(form.latex, "tex")),), form.verdict_text,
                          MARKS["tex"][tone(form.verdict)])


def _chapter(report: Report, figure: Figure) -> Chapter:
    doc = build_view(report, "tex")
    activation = _activation(report)
    forms = tuple(_output_form(decode_check(BACKWARD, verdict, latex)) for latex, verdict in report.output_forms)
    note = ""
    if activation is not None and not activation.vector and not forms:
        note = "No output-only form: the derivative is not a function of the output y alone."
    return Chapter(
        doc=doc,
        activation=activation.title if activation is not None else "",
        definition=_definition(activation) if activation is not None else "",
        parameters=tuple((Segment("math", name_math(name)), Segment("text", f": {domain}"))
                         for name, domain in (activation.parameters.items() if activation else ())),
        output_forms=forms,
        output_note=note,
        checks=tuple(check for check in doc.checks if not check.description.startswith(BACKWARD)),
        figure=figure,
    )


def _summary(reports: list[Report]) -> str:
    counts: dict[str, int] = {}
    for report in reports:
        counts[report.status] = counts.get(report.status, 0) + 1
    parts = [f"{counts[s]} {s}" for s in ("verified", "failed", "incomplete", "error") if counts.get(s)]
    noun = "derivation" if len(reports) == 1 else "derivations"
    return f"{len(reports)} {noun}: " + ", ".join(parts) if parts else f"{len(reports)} {noun}"


_LEGEND = (
    (OK, "a step proved equal to the line before it, and justified by the rule named beside it"),
    (BAD, "a step refuted: shown in a box with a counterexample (an author's mistake replayed on "
            "purpose is marked as an expected mistake)"),
    (UNSURE, "a step whose truth was not decided"),
)


def build_booklet_view(reports: list[Report], figures: dict[str, Figure] | None = None) -> BookletView:
    """The booklet of ``reports`` in their order; ``figures`` maps a report's
    name to its figure (none when missing)."""
    figures = figures or {}
    return BookletView(
        title="symderive",
        subtitle="Derivatives of activations, losses and layers, replayed step by step",
        summary=_summary(reports),
        legend=tuple(LegendItem(MARKS["tex"][mark], text) for mark, text in _LEGEND),
        parts=_parts([(family(r), _chapter(r, figures.get(r.name, Figure("", "")))) for r in reports]),
    )


def render_booklet(reports: list[Report], figures: dict[str, Figure] | None = None) -> str:
    """The booklet's LaTeX source."""
    template = environment(True).get_template("booklet.tex.j2")
    return template.render(booklet=build_booklet_view(reports, figures))


# --- figures ----------------------------------------------------------------------

def _plot_pdf(activation) -> bytes:
    """f and f' of a scalar activation as a PDF figure (the same figure as
    the SVG beside the Markdown)."""
    import io

    figure = figure_of(activation)  # selects the Agg backend before pyplot is imported
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="pdf", bbox_inches="tight",
                   metadata={"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None})
    plt.close(figure)
    return buffer.getvalue()


def figures_for(reports: list[Report]) -> tuple[dict[str, Figure], dict[str, bytes]]:
    """(each report's Figure, the figure files by name): one PDF per scalar
    activation, shared by the reports about it."""
    if not plot_available():
        return ({r.name: Figure("", NO_MATPLOTLIB) for r in reports
                 if (a := _activation(r)) is not None and not a.vector}, {})
    figures: dict[str, Figure] = {}
    files: dict[str, bytes] = {}
    for report in reports:
        activation = _activation(report)
        if activation is None or activation.vector:
            continue
        name = f"plot-{activation.name.replace('_', '-')}.pdf"
        if name not in files:
            files[name] = _plot_pdf(activation)
        figures[report.name] = Figure(name, "")
    return figures, files


def write_booklet(reports: list[Report], out: Path, timeout: float = PDFLATEX_TIMEOUT) -> Path:
    """Compile the booklet of ``reports`` to ``out/symderive.pdf``; its path."""
    figures, files = figures_for(reports)
    source = render_booklet(reports, figures)
    with tempfile.TemporaryDirectory(prefix="symderive-booklet-") as temp:
        tex = Path(temp) / f"{BOOKLET_NAME}.tex"
        tex.write_text(source, encoding="utf-8")
        return compile_pdf(tex, out, timeout, files=files)
