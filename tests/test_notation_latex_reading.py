"""Notation the LaTeX front end reads the way the corpus posts mean it.

1. The letter of a sum's upper limit is one symbol in the whole display:
   in ``\\frac{1}{n}\\sum_{i=1}^{n} x_i`` (a mean) the n of the fraction is
   the count of the sum, the same integer symbol, never a real symbol that
   only shares its name (SymPy would hold the two apart: n/n would not be 1).

Each reading is compared with an expression built by hand in SymPy (exact
equality, assumptions included); in a tiny post the true step is proved and
every wrong variant is refuted, the truth of each variant coming from the
oracle (explicit evaluation), not from the tool.
"""

from __future__ import annotations

import pytest
import sympy
from sympy import Symbol

from symderive.latex import Scope, parse_display, parse_expression
from symderive.post.check import check_post

x = Symbol("x", real=True)
y = sympy.IndexedBase("y")
i, k = (Symbol(name, integer=True) for name in "ik")
SCOPE = Scope(variables={"x": x}, default_variable=x, indexed={"y": y})


def count(name: str) -> Symbol:
    """A sum's upper limit as the front end writes it: an integer symbol."""
    return Symbol(name, integer=True)


def verdicts(post: str) -> tuple[list[str], list[str]]:
    report = check_post(post, "notation.md", timeout=10)
    return [claim.verdict.value for claim in report.claims()], [u.evidence.reason for u in report.unreadable]


# -- 1. the letter of a sum's upper limit ------------------------------------------------------------

n, N, m = count("n"), count("N"), count("m")


@pytest.mark.parametrize("tex, built", [
    (r"\frac{1}{n}\sum_{i=1}^{n} y_i", sympy.Sum(y[i], (i, 1, n)) / n),
    (r"\frac{1}{N}\sum_{i=1}^{N} y_i", sympy.Sum(y[i], (i, 1, N)) / N),
    (r"\frac{1}{n}\sum\limits_{i=1}^n y_i", sympy.Sum(y[i], (i, 1, n)) / n),
    (r"n^{-1} \sum_{k=1}^{n} y_k", sympy.Sum(y[k], (k, 1, n)) / n),
    (r"\frac{1}{m - 1}\sum_{i=1}^{m} y_i", sympy.Sum(y[i], (i, 1, m)) / (m - 1)),
    (r"\frac{1}{n}\sum_{i=1}^{n-1} y_i + n", sympy.Sum(y[i], (i, 1, n - 1)) / n + n),
    (r"\frac{1}{N} \prod_{i=1}^{N} y_i", sympy.Product(y[i], (i, 1, N)) / N),
])
def test_the_upper_limit_of_a_sum_is_one_symbol_in_the_whole_display(tex, built):
    value = parse_expression(tex, SCOPE)
    assert value == built
    assert len({s for s in value.free_symbols if isinstance(s, Symbol) and s.name in "nNm"}) == 1


def test_a_count_divided_by_itself_is_one():
    """The consequence the oracle can see: (1/n) * (sum of n ones) is 1 at every n."""
    value = parse_expression(r"\frac{1}{n}\sum_{i=1}^{n} 1", SCOPE)
    assert sympy.simplify(value.doit()) == 1
    for size in (1, 2, 7):
        assert value.xreplace({n: size}).doit() == 1


@pytest.mark.parametrize("tex, letter", [
    (r"\frac{1}{m}\sum_{i=1}^{n} y_i", "m"),  # not a limit: a real number, as any other letter
    (r"a \sum_{i=1}^{n} y_i", "a"),
])
def test_a_letter_that_is_no_limit_stays_a_real_number(tex, letter):
    value = parse_expression(tex, SCOPE)
    named = [s for s in value.free_symbols if isinstance(s, Symbol) and s.name == letter]
    assert named == [Symbol(letter, real=True)]


def test_a_declared_count_is_the_scope_s_symbol():
    declared = Symbol("n", integer=True, positive=True)
    scope = Scope(variables={"x": x}, default_variable=x, indexed={"y": y}, indices={"n": declared, "i": i})
    value = parse_expression(r"\frac{1}{n}\sum_{i=1}^{n} y_i", scope)
    assert value == sympy.Sum(y[i], (i, 1, declared)) / declared


def test_the_count_is_shared_across_the_parts_of_a_display():
    display = parse_display(r"\frac{1}{n}\sum_{i=1}^{n} 2 = \frac{2n}{n}", SCOPE)
    left, right = (part.expr for part in display.parts)
    assert left == sympy.Sum(2, (i, 1, n)) / n and right == 2
    assert sympy.simplify(left.doit() - right) == 0


MEAN_STEPS = [
    # (right side, true): d/dx_k of the mean of x_1 .. x_n
    (r"\frac{1}{n}", True),
    (r"\frac{2}{n}", False),
    (r"1", False),
]


@pytest.mark.parametrize("rhs, true", MEAN_STEPS)
def test_the_derivative_of_a_mean_in_a_post(rhs, true):
    """The oracle: at n = 4 and k = 2, d/dx_2 (x_1 + .. + x_4)/4 is 1/4,
    computed by sympy.diff on the sum written out."""
    xs = sympy.symbols("x1:5", real=True)
    built = {r"\frac{1}{n}": sympy.Rational(1, 4), r"\frac{2}{n}": sympy.Rational(2, 4), "1": 1}[rhs]
    assert (sympy.diff(sum(xs) / 4, xs[1]) == built) == true
    post = (r"The inputs $x_1, \dots, x_n$." "\n\n"
            rf"$$\frac{{\partial}}{{\partial x_k}} \frac{{1}}{{n}}\sum_{{i=1}}^{{n}} x_i = {rhs}$$" "\n")
    found, unreadable = verdicts(post)
    assert not unreadable
    assert found == (["proved"] if true else ["refuted"])


@pytest.mark.parametrize("rhs, true", [("3", True), ("3N", False), (r"\frac{3}{N}", False)])
def test_a_mean_of_a_constant_in_a_post(rhs, true):
    """The oracle: the mean of N copies of 3, evaluated at N = 1 .. 5."""
    built = {"3": lambda size: 3, "3N": lambda size: 3 * size, r"\frac{3}{N}": lambda size: sympy.Rational(3, size)}[rhs]
    assert all((sympy.Rational(3 * size, size) == built(size)) for size in range(1, 6)) == true
    found, unreadable = verdicts(rf"$$\frac{{1}}{{N}}\sum_{{k=1}}^{{N}} 3 = {rhs}$$" "\n")
    assert not unreadable
    assert found == (["proved"] if true else ["refuted"])
