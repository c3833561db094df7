"""LaTeX front end: a hand-written tokenizer and recursive-descent parser
that build SymPy objects directly (no string evaluation anywhere).

* ``parse_expression(text, scope, origin)``: one expression.
* ``parse_display(text, scope, origin)``: one display equation as a
  ``Display`` of ``Part``s joined by relations, plus ``Annotation``s and a
  trailing condition (``Display.condition``, ``Display.condition_origin``).
* ``find_math(text, origin)``: the math spans of a prose document.

Every error is a ``LatexSyntaxError`` whose origin is the offending
character. Name resolution rules: ``names``; derivatives and sums:
``calculus``; piecewise: ``cases``; matrices: ``matrices``; braces and
notes over math: ``overlays``; display layout: ``display``, ``model``.
"""

from .display import parse_display, parse_expression
from .model import RELATIONS, Annotation, Display, Part, Relation
from .scope import Scope
from .spans import MathSpan, find_math

__all__ = [
    "parse_expression", "parse_display", "find_math", "MathSpan", "Display", "Part",
    "Annotation", "Relation", "RELATIONS", "Scope",
]
