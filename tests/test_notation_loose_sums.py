"""A loose ``\\sum`` over a vector written bare (latex/sums.py, ``bare_vector``).

``o_b = \\frac{e^{z_b}}{\\sum e^{z}}`` beside the entries z_a, z_b, z_c: no
index is written, and the summand holds no entry, only the vector z itself;
a reader sums over z's entries, ``\\sum_{k=1}^{n} e^{z_k}``. With two vectors
bare (``\\sum z w``) there is no one reading, and the display stays
unreadable.

The oracle is the sum written out by hand with SymPy at n = 3 (and the
softmax derivative by sympy.diff); wrong variants are refuted through ``check``.
"""

from __future__ import annotations

import random

import pytest
import sympy

from symderive.errors import LatexSyntaxError
from symderive.latex import Scope, parse_expression
from symderive.post.check import check_post

z, w = sympy.IndexedBase("z", real=True), sympy.IndexedBase("w", real=True)
n = sympy.Symbol("n", integer=True, positive=True)
SCOPE = Scope(indexed={"z": z, "w": w}, indices={"n": n})


def at_three(expr: sympy.Basic, values: list) -> sympy.Basic:
    """``expr`` with n = 3 and z_1..z_3 given ``values``."""
    done = expr.subs(n, 3).doit()
    return done.subs({z[k + 1]: value for k, value in enumerate(values)})


@pytest.mark.parametrize("tex, by_hand", [
    (r"\sum e^{z}", lambda v: sum(sympy.exp(t) for t in v)),
    (r"\sum z^2", lambda v: sum(t**2 for t in v)),
    (r"\sum^{3} \log(1 + e^{z})", lambda v: sum(sympy.log(1 + sympy.exp(t)) for t in v)),
])
def test_a_loose_sum_of_a_bare_vector_runs_over_its_entries(tex, by_hand):
    read = parse_expression(tex, SCOPE)
    for _ in range(3):
        values = [sympy.Rational(random.randint(-9, 9), random.randint(1, 5)) for _ in range(3)]
        assert sympy.simplify(at_three(read, values) - by_hand(values)) == 0


@pytest.mark.parametrize("tex", [
    r"\sum z w",  # two vectors bare: a dot product, or something else
    r"\sum e^{z}",  # z not a vector here: nothing to run over
])
def test_without_one_bare_vector_the_index_stays_unknown(tex):
    scope = SCOPE if "w" in tex else Scope(indices={"n": n})
    with pytest.raises(LatexSyntaxError, match="cannot tell the index"):
        parse_expression(tex, scope)


SOFTMAX = "$$o_i = \\frac{e^{z_i}}{\\sum_{k=1}^{n} e^{z_k}}$$\n\n"


def verdicts(post: str) -> list[str]:
    report = check_post(post, "loose.md", timeout=10)
    assert not report.unreadable, report.unreadable
    return [step.verdict for step in report.claims()]


def test_the_softmax_with_a_loose_sum_restates_the_definition():
    assert verdicts(SOFTMAX + "$$o_b = \\frac{e^{z_b}}{\\sum e^{z}}$$\n") == ["proved"]


@pytest.mark.parametrize("wrong", [
    r"\frac{e^{z_b}}{\sum e^{2z}}",
    r"\frac{e^{z_b}}{\sum z}",
    r"\frac{e^{2 z_b}}{\sum e^{z}}",
])
def test_a_wrong_loose_sum_is_refuted(wrong):
    assert verdicts(SOFTMAX + f"$$o_b = {wrong}$$\n") == ["refuted"]


def test_the_derivative_through_a_loose_sum_matches_sympy():
    """d/dz_b of e^{z_b}/\\sum e^{z} is o_b(1 - o_b): the oracle is sympy.diff at n = 3."""
    entries = sympy.symbols("z1:4", real=True)
    softmax = sympy.exp(entries[1]) / sum(sympy.exp(t) for t in entries)
    by_hand = sympy.diff(softmax, entries[1])
    assert sympy.simplify(by_hand - softmax * (1 - softmax)) == 0
    post = SOFTMAX + ("$$\\frac{\\partial}{\\partial z_b} \\frac{e^{z_b}}{\\sum e^{z}} = o_b (1 - o_b)$$\n"
                      "$$\\frac{\\partial}{\\partial z_b} \\frac{e^{z_b}}{\\sum e^{z}} = o_b (1 + o_b)$$\n")
    assert verdicts(post) == ["proved", "refuted"]
