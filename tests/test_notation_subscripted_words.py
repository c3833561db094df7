"""A function word with a subscript, applied: ``\\mathrm{softmax}_j(z)`` (latex/names.py).

The subscript names an entry or an axis of the word's value, which the front
end does not read outside tensor notation (there ``\\text{softmax}_j(S^{ij})``
is the softmax over j, see test_notation_tensor_indices). The reading it had,
the name softmax_j times the parenthesis, made a true claim through it
refutable; now the display is unreadable and nothing is decided through it.

The oracle: sympy.diff of the softmax written out at n = 3, which the claim
below states truly.
"""

from __future__ import annotations

import pytest
import sympy

from symderive.errors import LatexSyntaxError
from symderive.latex import Scope, parse_display
from symderive.post.check import check_post


@pytest.mark.parametrize("tex", [
    r"p_j = \mathrm{softmax}_j(z)",
    r"p_j = \mathrm{softmax}_{j}(z)",
    r"L = \operatorname{CE}_i(y, p)",
])
def test_a_subscripted_word_applied_is_not_read_as_a_product(tex):
    with pytest.raises(LatexSyntaxError, match="with a subscript, applied"):
        parse_display(tex, Scope())


def test_the_word_without_its_subscript_is_read_as_before():
    assert "softmax" in str(parse_display(r"p = \mathrm{softmax}(z)", Scope()).parts[1].expr)


def test_a_true_claim_through_a_subscripted_word_is_never_refuted():
    z = sympy.symbols("z1:4", real=True)
    p = [sympy.exp(t) / sum(sympy.exp(u) for u in z) for t in z]
    assert sympy.simplify(sympy.diff(p[1], z[1]) - p[1] * (1 - p[1])) == 0  # the claim is true
    post = ("$$p_j = \\mathrm{softmax}_j(z)$$\n\n"
            "$$\\frac{\\partial p_j}{\\partial z_j} = p_j (1 - p_j)$$\n")
    report = check_post(post, "words.md", timeout=10)
    assert report.unreadable
    assert all(step.verdict != "refuted" for step in report.claims())
