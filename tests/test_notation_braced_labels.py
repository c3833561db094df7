"""A layer label on a braced differential: ``\\partial{z^l}`` as ``\\partial z^l`` (latex/cursor.py, label_bases).

Braces around a differential's variable change nothing (``\\partial{z_k}`` is
``\\partial z_k``); so a name differentiated in as ``\\partial{A^{O}}`` with a
letter superscript carries a label (a layer), as ``\\partial A^{O}`` does, and
is read so wherever the display writes it.

The oracle: sympy.diff of the layer's affine map written by hand, with the
labelled names as plain symbols; wrong variants are refuted through ``check``.
"""

from __future__ import annotations

import pytest
import sympy

from symderive.latex import Scope, parse_display
from symderive.post.check import check_post


@pytest.mark.parametrize("braced, plain", [
    (r"\frac{\partial L}{\partial{z^l}} = w^l", r"\frac{\partial L}{\partial z^l} = w^l"),
    (r"\frac{\partial{z^{L}}}{\partial{b^{L}}} = a^{L-1}", r"\frac{\partial z^{L}}{\partial b^{L}} = a^{L-1}"),
    (r"\frac{\partial E}{\partial{A^{O}}} = A^{O} - T", r"\frac{\partial E}{\partial A^{O}} = A^{O} - T"),
])
def test_a_braced_labelled_differential_reads_as_the_plain_one(braced, plain):
    read = [part.expr for part in parse_display(braced, Scope()).parts]
    assert read == [part.expr for part in parse_display(plain, Scope()).parts]
    assert not any(isinstance(e, sympy.Pow) for side in read for e in sympy.preorder_traversal(side))


LAYER = "$$z^l = w^l a^{l-1} + b^l$$\n\n"
w, a, b = sympy.symbols("w a b", real=True)


def verdicts(post: str) -> list[str]:
    report = check_post(post, "labels.md", timeout=10)
    assert not report.unreadable, report.unreadable
    return [step.verdict for step in report.claims()]


@pytest.mark.parametrize("variable, oracle", [("b^l", sympy.diff(w * a + b, b)), ("w^l", sympy.diff(w * a + b, w))])
def test_the_derivative_by_a_braced_label_is_proved(variable, oracle):
    shown = {1: "1", a: "a^{l-1}"}[oracle]
    assert verdicts(LAYER + f"$$\\frac{{\\partial z^l}}{{\\partial{{{variable}}}}} = {shown}$$\n") == ["proved"]


@pytest.mark.parametrize("variable, wrong", [("b^l", "0"), ("w^l", "w^l"), ("w^l", "a^{l}")])
def test_a_wrong_derivative_by_a_braced_label_is_refuted(variable, wrong):
    assert verdicts(LAYER + f"$$\\frac{{\\partial z^l}}{{\\partial{{{variable}}}}} = {wrong}$$\n") == ["refuted"]
