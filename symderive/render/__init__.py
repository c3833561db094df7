"""Render a Report as Markdown or LaTeX, and compile LaTeX to PDF.

``render_markdown``/``render_latex`` build the view (``view.py``: every
string the documents show) and fill a jinja2 template (``templates/``);
``escape.py`` is the one place prose is escaped, registered as the template
filters ``md``, ``mdcode`` and ``tex``. Output is deterministic: no dates,
no absolute paths. ``pdf.py`` writes files atomically and runs pdflatex.
``booklet.py`` builds the PDF booklet of many reports (``booklet.tex.j2``,
sharing ``_parts.tex.j2`` with the standalone ``derivation.tex.j2``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from ..report import Report
from .escape import escape_markdown, escape_tex, markdown_code
from .pdf import compile_pdf, write_text_atomically
from .view import build_view

__all__ = ["render_markdown", "render_latex", "write_text_atomically", "compile_pdf"]

TEMPLATES = Path(__file__).resolve().parent / "templates"

_COMMON = dict(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=True,
               lstrip_blocks=True, autoescape=False)
# LaTeX-safe delimiters: braces and percent signs stay LaTeX's.
_LATEX = dict(block_start_string=r"\BLOCK{", block_end_string="}", variable_start_string=r"\VAR{",
              variable_end_string="}", comment_start_string=r"\#{", comment_end_string="}",
              line_statement_prefix="%%", line_comment_prefix="%#")


@lru_cache(maxsize=None)
def _environment(latex: bool) -> jinja2.Environment:
    options = dict(_COMMON, **(_LATEX if latex else {}))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), **options)
    if latex:
        env.filters["tex"] = escape_tex
    else:
        env.filters["md"] = escape_markdown
        env.filters["mdcode"] = markdown_code
    return env


def render_markdown(report: Report, plot: str = "") -> str:
    """``report`` as a Markdown document (GitHub/KaTeX math); ``plot`` is the
    relative path of the figure of f and f' to show, if any."""
    template = _environment(False).get_template("derivation.md.j2")
    return template.render(doc=build_view(report, "md", plot))


def render_latex(report: Report) -> str:
    """``report`` as a standalone LaTeX document that pdflatex compiles."""
    template = _environment(True).get_template("derivation.tex.j2")
    return template.render(doc=build_view(report, "tex"))


from .._callable import make_callable  # noqa: E402

make_callable(__name__, "render")  # symderive.render(report, "out/") is the API's render
