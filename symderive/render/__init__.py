"""Render a Report as Markdown or LaTeX, and compile LaTeX to PDF.

``render_markdown``/``render_latex`` build the view (``view.py``: every
string the documents show) and fill a jinja2 template (``templates/``,
environments in ``jinja.py``); ``escape.py`` is the one place prose is
escaped, registered as the template filters ``md``, ``mdcode`` and ``tex``.
Output is deterministic: no dates, no absolute paths. ``pdf.py`` runs
pdflatex. ``booklet.py`` builds the PDF booklet of many reports
(``booklet.tex.j2``, sharing ``_parts.tex.j2`` with the standalone
``derivation.tex.j2``). Writing the documents of a run into a folder is
``symderive.documents``; the Python API's ``symderive.render_documents``.
"""

from __future__ import annotations

from ..files import write_text_atomically
from ..report import Report
from .jinja import environment
from .pdf import compile_pdf
from .view import build_view

__all__ = ["render_markdown", "render_latex", "write_text_atomically", "compile_pdf"]


def render_markdown(report: Report, plot: str = "") -> str:
    """``report`` as a Markdown document (GitHub/KaTeX math); ``plot`` is the
    relative path of the figure of f and f' to show, if any."""
    template = environment(False).get_template("derivation.md.j2")
    return template.render(doc=build_view(report, "md", plot))


def render_latex(report: Report) -> str:
    """``report`` as a standalone LaTeX document that pdflatex compiles."""
    template = environment(True).get_template("derivation.tex.j2")
    return template.render(doc=build_view(report, "tex"))
