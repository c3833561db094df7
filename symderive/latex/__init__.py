"""LaTeX front end: a hand-written tokenizer and recursive-descent parser
that build SymPy objects directly (no string evaluation anywhere).

* ``parse_expression(text, scope, origin)``: one expression.
* ``parse_display(text, scope, origin)``: one display equation as a
  ``Display`` of ``Part``s joined by relations, plus ``Annotation``s and a
  trailing condition (``Display.condition``, ``Display.condition_origin``).
* ``find_math(text, origin)``: the math spans of a prose document.

Every error is a ``LatexSyntaxError`` whose origin is the offending
character. Layers, lowest first (no module imports one above it): the
tokenizer (``lexicon`` tables, ``tokens``); the ``cursor`` over tokens;
``grammar``, the entry points the reading modules call back into; the
reading modules: names (``names``, ``subscripts``, ``labels``,
``functions``, ``vocabulary``), derivatives (``calculus``), sums
(``sums``), piecewise (``cases``), matrices (``matrices``), matrix and
vector notation (``matrix_words``, ``vectors``), braces and notes over math
(``overlays``), atoms (``atoms``); then ``parser``, whose dispatch tables
join them, and the display layout (``display``, ``model``).
"""

from .display import parse_display, parse_expression
from .model import RELATIONS, Annotation, Display, Part, Relation
from .scope import Scope
from .spans import MathSpan, find_math

__all__ = [
    "parse_expression", "parse_display", "find_math", "MathSpan", "Display", "Part",
    "Annotation", "Relation", "RELATIONS", "Scope",
]
