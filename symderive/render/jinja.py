"""The jinja2 environments of the documents' templates (``templates/``):
strict (an undefined name is an error), LaTeX-safe delimiters for ``.tex``
templates, and the one escaping filter of each output registered."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from .escape import escape_markdown, escape_tex, markdown_code

TEMPLATES = Path(__file__).resolve().parent / "templates"

_COMMON = dict(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, trim_blocks=True,
               lstrip_blocks=True, autoescape=False)
# LaTeX-safe delimiters: braces and percent signs stay LaTeX's.
_LATEX = dict(block_start_string=r"\BLOCK{", block_end_string="}", variable_start_string=r"\VAR{",
              variable_end_string="}", comment_start_string=r"\#{", comment_end_string="}",
              line_statement_prefix="%%", line_comment_prefix="%#")


@lru_cache(maxsize=None)
def environment(latex: bool) -> jinja2.Environment:
    """The environment of the LaTeX templates (``latex``) or the Markdown ones."""
    options = dict(_COMMON, **(_LATEX if latex else {}))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), **options)
    if latex:
        env.filters["tex"] = escape_tex
    else:
        env.filters["md"] = escape_markdown
        env.filters["mdcode"] = markdown_code
    return env
