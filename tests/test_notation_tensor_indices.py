"""Indices written up, Einstein's convention (latex/tensor.py).

``O^{ib} = A^{ij} V^{jb}``: a display writing a name with a superscript of
two or more letters uses tensor notation; there ``A^{ij}`` is the entry
A_{ij}, ``\\delta^j_m`` Kronecker's delta, and an index written twice in a
product, not free in the first part, is summed. An index the first part
leaves free is never summed; one written three times has no reading.

The oracle: the same products built by hand with SymPy matrices of size 3
(``(A V)[i, b]`` and its ``sympy.diff`` by an entry V[m, n]), compared at
every index; wrong variants (indices swapped) are refuted through ``check``.
"""

from __future__ import annotations

import itertools
import random

import pytest
import sympy

from symderive.errors import LatexSyntaxError
from symderive.latex import Scope, parse_display
from symderive.latex.upper_indices import written_up_in
from symderive.post.check import check_post

SIZE = 3
A_ = sympy.Matrix(SIZE, SIZE, lambda r, c: sympy.Symbol(f"a{r + 1}{c + 1}", real=True))
V_ = sympy.Matrix(SIZE, SIZE, lambda r, c: sympy.Symbol(f"v{r + 1}{c + 1}", real=True))


def parts(tex: str) -> list:
    return [part.expr for part in parse_display(tex, Scope()).parts]


def at_size(expr: sympy.Basic, **indices) -> sympy.Basic:
    """``expr`` with every sum run to SIZE, the entries of A and V given as
    A_ and V_'s symbols, and the free indices given ``indices``."""
    sizes = {s: SIZE for s in expr.free_symbols if str(s).startswith("N_")}
    named = {sympy.Symbol(k, integer=True): v for k, v in indices.items()}
    done = expr.subs(sizes).subs(named).doit()
    entries = {}
    for element in done.atoms(sympy.Indexed):
        row, column = (int(i) - 1 for i in element.indices)
        entries[element] = {"A": A_, "V": V_}[str(element.base)][row, column]
    return done.xreplace(entries)


def test_a_repeated_index_is_summed_as_the_matrix_product():
    _, product = parts(r"O^{ib} = A^{ij} V^{jb}")
    by_hand = A_ * V_
    for i, b in itertools.product(range(1, SIZE + 1), repeat=2):
        assert sympy.expand(at_size(product, i=i, b=b) - by_hand[i - 1, b - 1]) == 0


def test_the_derivative_by_an_entry_matches_sympy_diff():
    """∂O^{ib}/∂V^{mn} = A^{ij} δ^j_m δ^b_n = A^{im} δ^b_n, against sympy.diff of (A V)[i, b]."""
    _, summed, contracted = parts(r"\frac{\partial O^{ib}}{\partial V^{mn}} = A^{ij} \delta^j_m \delta^b_n"
                                  r" = A^{im} \delta^b_n")
    by_hand = A_ * V_
    for i, b, m, n in itertools.product(range(1, SIZE + 1), repeat=4):
        oracle = sympy.diff(by_hand[i - 1, b - 1], V_[m - 1, n - 1])
        assert sympy.expand(at_size(summed, i=i, b=b, m=m, n=n) - oracle) == 0
        assert sympy.expand(at_size(contracted, i=i, b=b, m=m, n=n) - oracle) == 0


def test_an_index_free_on_the_left_is_never_summed():
    """∂A^{ij}/∂S^{mn} = δ^i_m A^{ij}(δ^j_n - A^{in}): j is the entry's, no sum over it."""
    left, right = parts(r"\frac{\partial A^{ij}}{\partial S^{mn}} = \delta^i_m A^{ij} (\delta^j_n - A^{in})")
    assert not right.has(sympy.Sum)
    i, j, m, n = sympy.symbols("i j m n", integer=True)
    A = sympy.IndexedBase("A", real=True)
    assert sympy.expand(right - sympy.KroneckerDelta(i, m) * A[i, j] * (sympy.KroneckerDelta(j, n) - A[i, n])) == 0


def test_an_index_written_three_times_has_no_reading():
    with pytest.raises(LatexSyntaxError, match="written 3 times"):
        parse_display(r"O^{ib} = A^{ij} V^{jb} W^{jb}", Scope())


def test_without_a_superscript_of_two_letters_a_letter_superscript_is_a_power():
    x, n = sympy.Symbol("x", real=True), sympy.Symbol("n", real=True)
    assert parts(r"y = x^{n}")[1] == x**n


GIVEN = "Given: $O^{ib} = A^{ij} V^{jb}$\n\n"


def verdicts(post: str) -> list[str]:
    report = check_post(post, "tensor.md", timeout=10)
    assert not report.unreadable, report.unreadable
    return [step.verdict for step in report.claims() if step.line > 1]


def test_the_derivatives_of_a_product_written_with_upper_indices_are_proved():
    post = GIVEN + ("$$\\frac{\\partial O^{ib}}{\\partial V^{mn}} = A^{ij} \\delta^j_m \\delta^b_n = A^{im} \\delta^b_n$$"
                    "\n\n$$\\frac{\\partial O^{ib}}{\\partial A^{mn}} = \\delta^i_m V^{nb}$$\n")
    assert verdicts(post) == ["proved", "proved", "proved"]


@pytest.mark.parametrize("wrong", [
    r"\frac{\partial O^{ib}}{\partial V^{mn}} = A^{in} \delta^b_m",
    r"\frac{\partial O^{ib}}{\partial V^{mn}} = A^{ij} \delta^j_n \delta^b_m",
    r"\frac{\partial O^{ib}}{\partial A^{mn}} = \delta^i_n V^{mb}",
    r"\frac{\partial O^{ib}}{\partial A^{mn}} = \delta^i_m V^{bn}",
])
def test_a_wrong_index_is_refuted(wrong):
    assert verdicts(GIVEN + f"$${wrong}$$\n") == ["refuted"]


def test_random_values_agree_with_the_oracle():
    """A sampled instance: (A V)[2, 3] by the reading and by hand."""
    _, product = parts(r"O^{ib} = A^{ij} V^{jb}")
    values = {s: sympy.Rational(random.randint(-9, 9), random.randint(1, 4)) for s in A_.free_symbols | V_.free_symbols}
    assert at_size(product, i=2, b=3).subs(values) == (A_ * V_)[1, 2].subs(values)


def test_a_repeated_index_on_the_left_is_summed_there_too():
    product, _ = parts(r"A^{ij} V^{jb} = O^{ib}")
    by_hand = A_ * V_
    assert sympy.expand(at_size(product, i=1, b=2) - by_hand[0, 1]) == 0


@pytest.mark.parametrize("tex", [
    r"y = (A^{ij} V^{jb})^2",  # the square of a sum, or a sum of squares
    r"y = \exp(A^{ij} V^{jb})",
    r"y = A^{jj}",  # a trace, or one diagonal entry
])
def test_a_repeated_index_outside_a_product_has_no_reading(tex):
    with pytest.raises(LatexSyntaxError, match="index j"):
        parse_display(tex, Scope())


S_ = sympy.Matrix(SIZE, SIZE, lambda r, c: sympy.Symbol(f"s{r + 1}{c + 1}", real=True))


def softmax_by_hand(i: int, j: int) -> sympy.Basic:
    return sympy.exp(S_[i - 1, j - 1]) / sum(sympy.exp(S_[i - 1, k]) for k in range(SIZE))


def with_s(expr: sympy.Basic, **indices) -> sympy.Basic:
    """``expr`` at SIZE with S's entries S_'s symbols and A's entries the softmax written by hand."""
    sizes = {s: SIZE for s in expr.free_symbols if str(s).startswith("N_")}
    named = {sympy.Symbol(k, integer=True): v for k, v in indices.items()}
    done = expr.subs(sizes).subs(named).doit()
    entries = {}
    for element in done.atoms(sympy.Indexed):
        row, column = (int(i) for i in element.indices)
        entries[element] = S_[row - 1, column - 1] if str(element.base) == "S" else softmax_by_hand(row, column)
    return done.xreplace(entries)


def test_a_softmax_over_one_index_is_the_softmax_of_that_row():
    _, read = parts(r"A^{ij} = \text{softmax}_j(S^{ij})")
    for i, j in itertools.product(range(1, SIZE + 1), repeat=2):
        assert sympy.simplify(with_s(read, i=i, j=j) - softmax_by_hand(i, j)) == 0


def test_the_softmax_jacobian_in_upper_indices_matches_sympy_diff():
    _, read = parts(r"\frac{\partial A^{ij}}{\partial S^{mn}} = \delta^i_m A^{ij} (\delta^j_n - A^{in})")
    for i, j, m, n in itertools.product(range(1, SIZE + 1), repeat=4):
        oracle = sympy.diff(softmax_by_hand(i, j), S_[m - 1, n - 1])
        assert sympy.simplify(with_s(read, i=i, j=j, m=m, n=n) - oracle) == 0


def test_a_softmax_over_an_index_its_argument_does_not_write_has_no_reading():
    with pytest.raises(LatexSyntaxError, match="does not write k"):
        parse_display(r"A^{ij} = \text{softmax}_k(S^{ij})", Scope())


SOFTMAX = "For softmax $A^{ij} = \\text{softmax}_j(S^{ij})$:\n\n"


def test_the_softmax_jacobian_in_upper_indices_is_proved():
    post = SOFTMAX + "$$\\frac{\\partial A^{ij}}{\\partial S^{mn}} = \\delta^i_m A^{ij} (\\delta^j_n - A^{in})$$\n"
    assert verdicts(post) == ["proved"]


@pytest.mark.parametrize("wrong", [
    r"\delta^i_m A^{ij} (\delta^j_n + A^{in})",
    r"\delta^i_n A^{ij} (\delta^j_m - A^{im})",
    r"\delta^j_n A^{ij} (\delta^i_m - A^{in})",
])
def test_a_wrong_softmax_jacobian_in_upper_indices_is_refuted(wrong):
    post = SOFTMAX + f"$$\\frac{{\\partial A^{{ij}}}}{{\\partial S^{{mn}}}} = {wrong}$$\n"
    assert verdicts(post) == ["refuted"]


@pytest.mark.parametrize("tex", [r"\text{the } x_i^{th} = 1", r"y = i^{th}", r"a_{2}^{nd} = b"])
def test_an_ordinal_superscript_is_no_index(tex):
    assert not written_up_in(tex)
