"""A lone d written before a name is a differential (Leibniz notation written
inline, ``d\\sigma/dz``), not a number: a step that is wrong only when d is
read as a number is unknown, never refuted. A d the post uses as a number
(``g(x) = d x^2``) or as a size (``\\sqrt{d}``, ``\\frac{1}{d}``) still
refutes a wrong step.

Truths come from SymPy: each wrong step's two sides are evaluated with
``sympy.diff`` of the post's own formula and must differ.
"""

from __future__ import annotations

import sympy

from symderive.post.check import check_post

x, d = sympy.symbols("x d", real=True)


def verdict(text: str, line: int) -> tuple[str, str]:
    found = [s for s in check_post(text).claims() if s.line == line]
    assert len(found) == 1
    evidence = found[0].evidence
    return found[0].verdict, getattr(evidence, "reason", "") or ""


def test_a_differential_before_a_name_is_not_refuted_as_a_number():
    post = "$$\\sigma(x) = \\frac{1}{1+e^{-x}}$$\n\n$$d\\sigma(x) = d\\sigma/dz \\cdot 1 + 3$$\n"
    found, reason = verdict(post, 3)
    assert found == "unknown"
    assert "differential" in reason


def test_a_coefficient_named_d_in_a_definition_still_refutes():
    # g(x) = d x^2, so g'(x) = 2 d x; the post's d x is wrong wherever d x != 0
    wrong = d * x
    truth = sympy.diff(d * x**2, x)
    assert sympy.simplify(truth - wrong) != 0
    post = "$$g(x) = d x^2$$\n\n$$g'(x) = d x$$\n"
    assert verdict(post, 3)[0] == "refuted"
    right = "$$g(x) = d x^2$$\n\n$$g'(x) = 2 d x$$\n"
    assert verdict(right, 3)[0] == "proved"


def test_a_size_named_d_still_refutes():
    # f(x) = x/d: f' = 1/d, and the post's 2/d is wrong for every d
    assert sympy.simplify(sympy.diff(x / d, x) - 2 / d) != 0
    post = "$$f(x) = x/d$$\n\n$$f'(x) = 2/d$$\n"
    assert verdict(post, 3)[0] == "refuted"
