"""Scripts in either order (latex/script_order.py): ``x^2_i`` is ``x_i^2``,
``\\sum^K_{k=1}`` is ``\\sum_{k=1}^K``, ``y^{(i)}_j`` is ``y_j^{(i)}``, as TeX sets
them alike; ``e^{z}_j`` (the j-th entry of e^z) stays unread.

Oracle: the same expression with the subscript written first, built by hand
and compared at random points (``test_notation.same_value``), and sympy.diff;
wrong variants are refuted through ``check``.
"""

from __future__ import annotations

import pytest
import sympy
from sympy import Symbol

from symderive.errors import LatexSyntaxError
from symderive.latex import Scope, parse_expression
from symderive.post.check import check_post
from test_notation import same_value

x = Symbol("x", real=True)
k = Symbol("k", integer=True, positive=True)
a = sympy.IndexedBase("a", real=True)
SCOPE = Scope(variables={"x": x}, default_variable=x, indices={"k": k}, indexed={"a": a})


@pytest.mark.parametrize("tex, built", [
    (r"x^2_i", Symbol("x_i", real=True) ** 2),
    (r"w^{3}_{ij} + 1", Symbol("w_ij", real=True) ** 3 + 1),
    (r"\sigma^2_j", Symbol("sigma_j", real=True) ** 2),
    (r"\frac{x^2_1}{x_2}", Symbol("x_1", real=True) ** 2 / Symbol("x_2", real=True)),
])
def test_a_superscript_written_first_reads_as_with_the_subscript_first(tex, built):
    assert same_value(parse_expression(tex, SCOPE), built)


@pytest.mark.parametrize("sup_first, sub_first", [
    (r"y^{(i)}_j", r"y_j^{(i)}"), (r"\sum^K_{k=1} a_k", r"\sum_{k=1}^K a_k"), (r"J^T_x z", r"J_x^T z"), (r"\hat{x}^2_{k}", r"\hat{x}_{k}^2"),
])
def test_both_orders_read_the_same(sup_first, sub_first):
    assert parse_expression(sup_first, SCOPE) == parse_expression(sub_first, SCOPE)


@pytest.mark.parametrize("tex", [r"e^{a}_i", r"x_i^2_j"])
def test_the_entry_of_a_power_of_e_and_a_double_subscript_stay_errors(tex):
    with pytest.raises(LatexSyntaxError):
        parse_expression(tex, SCOPE)


STEPS = {r"3 x^2_1 \cos(x^3_1)": True, r"3 x^2_1 \sin(x^3_1)": False, r"x^2_1 \cos(x^3_1)": False}


@pytest.mark.parametrize("rhs", sorted(STEPS))
def test_a_step_written_superscript_first(rhs):
    x1 = Symbol("x_1", real=True)
    truth = same_value(parse_expression(rhs, SCOPE), sympy.diff(sympy.sin(x1**3), x1))
    assert truth == STEPS[rhs]
    report = check_post(f"$$\\frac{{d}}{{dx_1}} \\sin(x^3_1) = {rhs}$$\n", "scripts.md", timeout=10)
    assert not report.unreadable, report.unreadable
    assert [step.verdict for step in report.claims()] == ["proved" if truth else "refuted"]
