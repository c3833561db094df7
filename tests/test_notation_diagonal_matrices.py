"""Matrices with dots whose diagonal follows one pattern and the rest another
(latex/patterns.py ``diagonal_apart``): the softmax Jacobian written
``s_1(1 - s_1) & -s_1 s_2 & \\cdots`` is the n×n matrix with s_i(1 - s_i) on
the diagonal and -s_i s_j off it; entries that fit no pattern stay unread.
A row break doubled (Markdown's escaped ``\\\\\\\\``) is one break.

Oracle: the Jacobian of softmax by sympy.diff at n = 3, and explicit
matrices built by hand; through ``check`` the true claim is never refuted.
"""

from __future__ import annotations

import pytest
import sympy
from sympy import IndexedBase, Symbol

from symderive.errors import LatexSyntaxError
from symderive.latex import Scope, parse_expression
from symderive.post.check import check_post

n = Symbol("n", integer=True, positive=True)
s, y = IndexedBase("s", real=True), IndexedBase("y", real=True)
SCOPE = Scope(indexed={"s": s, "y": y}, indices={"n": n})
SOFTMAX_JACOBIAN = (r"\begin{bmatrix} s_1(1 - s_1) & -s_1 s_2 & \cdots & -s_1 s_n \\ -s_2 s_1 & s_2(1-s_2) & \cdots"
                    r" & -s_2 s_n \\ \vdots & \vdots & \ddots & \vdots \\ -s_n s_1 & -s_n s_2 & \cdots & %s"
                    r" \end{bmatrix}")


def at_three(tex: str) -> sympy.Matrix:
    return parse_expression(tex, SCOPE).subs(n, 3).as_explicit()


def differs_from_softmax_jacobian(read: sympy.Matrix) -> bool:
    """``read`` (in s_1..s_3) against d softmax(z)_i / d z_j by sympy.diff at n = 3,
    at a random point z, with s_k = softmax(z)_k, to 40 digits."""
    z = sympy.symbols("z1:4", real=True)
    total = sum(sympy.exp(v) for v in z)
    soft = [sympy.exp(v) / total for v in z]
    jacobian = sympy.Matrix(3, 3, lambda i, j: sympy.diff(soft[i], z[j]))
    point = {v: sympy.Rational(k * 7 - 5, 9) for k, v in enumerate(z)}
    values = {s[k + 1]: soft[k].subs(point) for k in range(3)}
    difference = (read.xreplace(values) - jacobian.subs(point)).applyfunc(lambda e: sympy.N(e, 40))
    return any(abs(entry) > 1e-30 for entry in difference)


def test_the_softmax_jacobian_with_dots_is_read():
    assert not differs_from_softmax_jacobian(at_three(SOFTMAX_JACOBIAN % r"s_n(1-s_n)"))


def test_a_wrong_diagonal_read_consistently_differs_from_the_oracle():
    wrong = (r"\begin{bmatrix} s_1(1 + s_1) & -s_1 s_2 & \cdots & -s_1 s_n \\ -s_2 s_1 & s_2(1+s_2) & \cdots"
             r" & -s_2 s_n \\ \vdots & \vdots & \ddots & \vdots \\ -s_n s_1 & -s_n s_2 & \cdots & s_n(1+s_n)"
             r" \end{bmatrix}")
    assert differs_from_softmax_jacobian(at_three(wrong))


def test_identity_minus_a_row_and_markdown_row_breaks():
    """``1 - y_1 & -y_2 & ... \\\\\\\\``: I minus the stacked y, rows broken with ``\\\\\\\\``."""
    tex = (r"\begin{bmatrix}  1 - y_1 & - y_2 & ... &  - y_n \\\\ - y_1 & 1 - y_2 & ... &  - y_n \\\\"
           r"  \vdots & \ddots \\\\ - y_1 & - y_2 & ... & 1 - y_n \end{bmatrix}")
    built = sympy.Matrix(3, 3, lambda i, j: (1 if i == j else 0) - y[j + 1])
    assert at_three(tex) == built


@pytest.mark.parametrize("last", [r"s_n(1+s_n)", r"-s_n s_n", r"s_1(1-s_1)"])
def test_entries_no_pattern_fits_stay_unread(last):
    with pytest.raises(LatexSyntaxError):
        parse_expression(SOFTMAX_JACOBIAN % last, SCOPE)


def test_a_lone_diagonal_entry_shows_no_pattern():
    """Only the corner on the diagonal: no second diagonal entry, no reading."""
    with pytest.raises(LatexSyntaxError):
        parse_expression(r"\begin{bmatrix} 1 - y_1 & -y_2 & \cdots & -y_n \end{bmatrix}", SCOPE)


def test_the_true_jacobian_claim_is_never_refuted():
    post = (r"Let $$s_i = \frac{e^{z_i}}{\sum_{k=1}^n e^{z_k}}$$" + "\n\n"
            + r"$$\frac{\partial(s_1, \dots, s_n)}{\partial(z_1, \dots, z_n)} = "
            + SOFTMAX_JACOBIAN % r"s_n(1-s_n)" + "$$\n")
    report = check_post(post, "jacobian.md", timeout=20)
    assert not report.unreadable, report.unreadable
    assert [step.verdict for step in report.claims()] in (["proved"], ["unknown"])
