"""A cancel stroke over signed terms is read as the reader sees it typeset:
``a \\cancel{- b c}`` is "a −bc" struck through, a − bc, not a·(−bc). A
stroke in a script keeps its group (``x^\\cancel{-2+1}`` is x^{-1}), and one
over an unsigned term is a factor as before (``a \\cancel{b}`` is ab).

The oracle is SymPy built by hand from the terms as typeset.
"""

from __future__ import annotations

import pytest
import sympy

from symderive.latex import parse_expression
from symderive.latex.scope import Scope
from symderive.post.check import check_post

a, b, c, d, x = sympy.symbols("a b c d x")
SCOPE = Scope(variables={"x": x}, default_variable=x)


@pytest.mark.parametrize("latex, typeset", [
    ("a \\cancel{- b c} - d \\cancel{+ b c}", a - b * c - d + b * c),
    ("a \\cancel{-b}", a - b),
    ("a \\bcancel{-b + c}", a - b + c),
    ("a \\xcancel{- \\frac{b}{c}}", a - b / c),
    ("\\cancel{-b} + a", a - b),
    ("a \\cancel{b}", a * b),
    ("x^\\cancel{-2+1}", x ** -1),
    ("x^{\\cancel{-2+1}}", x ** -1),
    ("e^{\\cancel{-x}}", sympy.exp(-x)),
])
def test_a_stroke_reads_as_typeset(latex, typeset):
    read = parse_expression(latex, SCOPE)
    read = read.xreplace({s: sympy.Symbol(s.name) for s in read.free_symbols})  # the parser's are real
    assert sympy.simplify(read - typeset) == 0


def test_a_step_that_strikes_terms_out_is_checked_as_typeset():
    # (1 - x) x + x^2 = x: the author strikes the x^2 terms that cancel
    assert sympy.expand((1 - x) * x + x ** 2 - x) == 0
    right = "$$f(x) = (1 - x) x + x^2$$\n\n$$f(x) = x \\cancel{- x^2} \\cancel{+ x^2}$$\n"
    assert [s.verdict for s in check_post(right).claims()] == ["proved"]
    # the same with one stroke's sign slipped: x - 2x^2, not x
    assert sympy.expand(x - 2 * x ** 2 - x) != 0
    wrong = "$$f(x) = (1 - x) x + x^2$$\n\n$$f(x) = x \\cancel{- x^2} \\cancel{- x^2}$$\n"
    assert [s.verdict for s in check_post(wrong).claims()] == ["refuted"]
