"""A parenthesis typed twice or left out (latex/parentheses.py).

``\\frac{2}{N} (x_i - \\mu) )`` and ``\\frac{\\partial (1 - h(x)}{\\partial t}``
are read when every place the partner of the stray parenthesis could go
(or dropping it) reads the same; when two places read differently
(``(a b - c d) e`` or ``a b - c d e``) the display stays unreadable.

The oracle: the expression written with its parentheses balanced by hand,
compared at random points (``test_notation.same_value``) or through
sympy.diff; wrong variants are refuted through ``check``.
"""

from __future__ import annotations

import pytest
import sympy
from sympy import Symbol

from symderive.errors import LatexSyntaxError
from symderive.latex import Scope, parse_display, parse_expression
from symderive.post.check import check_post
from test_notation import same_value

x, t, a, b, c, d, e, mu, N = sympy.symbols("x t a b c d e mu N", real=True)
SCOPE = Scope(variables={"x": x, "t": t}, default_variable=x)


def verdicts(post: str) -> list[str]:
    report = check_post(post, "parens.md", timeout=10)
    assert not report.unreadable, report.unreadable
    return [step.verdict for step in report.claims()]


@pytest.mark.parametrize("tex, built", [
    (r"\frac{2}{N} (x - \mu) )", 2 * (x - mu) / N),  # doubled at the end
    (r"a b) + c", a * b + c),
    (r"\left( a + b \right) c)", (a + b) * c),
    (r"(a + \left( b \right)", a + b),  # never closed, at the end of the stretch
    (r"\sqrt{(1 - x}", sympy.sqrt(1 - x)),  # never closed, at the end of a group
    (r"\frac{(a + b}{c}", (a + b) / c),
    (r"e^{(x + 1} + a", sympy.exp(x + 1) + a),
])
def test_a_stray_parenthesis_whose_place_does_not_matter_is_read(tex, built):
    assert same_value(parse_expression(tex, SCOPE), built)


@pytest.mark.parametrize("tex", [
    r"a (b) + c)",  # (a (b) + c) or a ((b) + c)
    r"(a + \frac{b}{c} d",  # (a + b/c) d or (a + b/c d)
    r"- \left[ a b - c d) e \right]",  # (a b - c d) e or a b - c d e
    r"(a + b(c",  # two without a partner
    r"\sin(x + \cos(x)",  # sin(x) + cos(x) or sin(x + cos(x))
    r"a ) + b )",
])
def test_a_stray_parenthesis_whose_place_matters_stays_unreadable(tex):
    with pytest.raises(LatexSyntaxError):
        parse_expression(tex, SCOPE)


def test_the_partner_never_parts_a_function_from_its_argument_or_a_name_from_its_script():
    """``(1 - h(x)``: a ``)`` between h and (x), or between x and ^{(i)},
    is no mending a reader makes; the reading is 1 - h(x)."""
    scope = Scope(variables={"x": x, "t": t}, default_variable=t, functions={"h": sympy.Function("h")})
    value = parse_display(r"\frac{\partial (1 - h(x^{2})}{\partial x} = 1", scope).parts[0].expr
    h = sympy.Function("h")
    assert same_value(value.doit(), sympy.diff(1 - h(x**2), x).doit())


def test_a_balanced_display_is_read_as_before():
    assert same_value(parse_expression(r"\frac{2}{N} (x - \mu)", SCOPE), 2 * (x - mu) / N)


def test_offsets_stay_where_they_were():
    """The stray parenthesis becomes a blank: the part after it starts at the same column."""
    display = parse_display(r"a = b) + c = a", Scope())
    assert [part.origin.column for part in display.parts] == [1, 5, 14]


DERIVATIVE = r"\frac{\partial (x^2 - \sin(x)}{\partial x}"
STEPS = {
    r"2x - \cos(x)": True,
    r"2x + \cos(x)": False,
    r"2 - \cos(x)": False,
}


@pytest.mark.parametrize("rhs", sorted(STEPS))
def test_a_derivative_of_a_parenthesis_never_closed(rhs):
    """The operand closed at the end of the numerator: proved against sympy.diff, wrong variants refuted."""
    truth = same_value(parse_expression(rhs, SCOPE), sympy.diff(x**2 - sympy.sin(x), x))
    assert truth == STEPS[rhs]
    post = f"$$f(x) = x^2$$\n\n$${DERIVATIVE} = {rhs}$$\n"
    assert verdicts(post)[-1] == ("proved" if truth else "refuted")


@pytest.mark.parametrize("rhs, truth", [
    (r"\frac{2}{N} (x - a) )", True), (r"\frac{2}{N} (x + a) )", False), (r"\frac{1}{N} (x - a) )", False),
])
def test_a_doubled_closing_parenthesis_in_a_step(rhs, truth):
    built = 2 * (x - a) / N
    assert same_value(parse_expression(rhs, SCOPE), built) == truth
    post = f"$$\\frac{{\\partial}}{{\\partial x}} \\frac{{(x - a)^2}}{{N}} = {rhs}$$\n"
    assert verdicts(post)[-1] == ("proved" if truth else "refuted")
