"""Math delimiters a Markdown source escapes (``\\\\( .. \\\\)``, ``\\\\[ .. \\\\]``):
the span found between ``\\(`` and ``\\)`` ends with the first backslash of
the escaped closing delimiter, which is no LaTeX (latex/tokens.py reads a
backslash ending the text as nothing).

Oracle: sympy.diff; wrong variants refuted through ``check``.
"""

from __future__ import annotations

import pytest
import sympy

from symderive.latex import Scope, parse_display
from symderive.post.check import check_post
from test_notation import same_value

x = sympy.Symbol("x", real=True)
SCOPE = Scope(variables={"x": x}, default_variable=x)


def test_a_backslash_ending_the_text_is_nothing():
    display = parse_display("d = x^2 - x \\", SCOPE)
    assert same_value(display.parts[1].expr, x**2 - x)


@pytest.mark.parametrize("rhs", ["2x \\cos(x^2)", "2x \\sin(x^2)", "\\cos(x^2)"])
@pytest.mark.parametrize("opening, closing", [("\\\\[", "\\\\]"), ("\\\\(", "\\\\)")])
def test_a_step_between_escaped_delimiters_is_checked(rhs, opening, closing):
    truth = same_value(parse_display(f"a = {rhs}", SCOPE).parts[1].expr, sympy.diff(sympy.sin(x**2), x))
    post = f"The derivative is\n\n{opening}\\frac{{d}}{{dx}} \\sin(x^2) = {rhs} {closing}\n\nas claimed.\n"
    report = check_post(post, "escaped.md", timeout=10)
    assert not report.unreadable, report.unreadable
    assert [step.verdict for step in report.claims()] == ["proved" if truth else "refuted"]
