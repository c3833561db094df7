"""Names real posts write for values given elsewhere, and a sum with its
i-th term written out (latex/opaque.py, latex/sums.py):

1. a prime on a name that is no function (``e_i'``, ``g'h - h'g`` with g a
   vector): one name, whose value the post gives in a claim; never refuted
   through it, the steps beside it checked as usual;
2. a bare ``\\sum`` with no summand (``\\frac{e_j}{\\sum}``, ``\\sum^2``,
   ``\\sum'``): the name of the sum, defined by ``\\sum = ...``, else unknown;
3. ``a_1 + a_2 + \\dots + b_i + \\dots + a_n``: the pattern's terms 1..n with
   the i-th replaced by the term written between the two ``…``.

Truths come from the oracle of ``test_notation`` (``doit``, evaluation at
random points to 40 digits) or from explicit sums at a concrete n and i,
never from the tool.
"""

from __future__ import annotations

import pytest
import sympy
from sympy import Symbol
from sympy.core.function import AppliedUndef

from symderive.errors import LatexSyntaxError
from symderive.latex import Scope, parse_expression
from symderive.post.check import check_post
from test_notation import holds

x = Symbol("x", real=True)
i, j, k, n = (Symbol(c, integer=True, positive=True) for c in "ijkn")
y, p, e, g = (sympy.IndexedBase(c, real=True) for c in "ypeg")
SCOPE = Scope(variables={"x": x}, default_variable=x, indices={"i": i, "j": j, "k": k, "n": n},
              indexed={"y": y, "p": p, "e": e, "g": g})


def read(tex: str, scope: Scope = SCOPE):
    return parse_expression(tex, scope)


def verdicts(post: str) -> list[str]:
    report = check_post(post, "names.md", timeout=10)
    assert not report.unreadable, report.unreadable
    return [step.verdict for step in report.claims()]


def opaque(expr) -> set[str]:
    return {str(a.func) for a in expr.atoms(AppliedUndef)}


# -- 1. a prime on a name that is no function ------------------------------------------------------

@pytest.mark.parametrize("tex, name", [
    ("e_i'", "e_i'"), ("e_j''", "e_j''"), ("g'", "g'"), (r"\hat{y}'", "y_hat'"), ("q_{k}'", "q_k'"),
    ("x'", "x'"),
])
def test_a_primed_name_that_is_no_function_is_one_name(tex, name):
    assert opaque(read(tex)) == {name}


@pytest.mark.parametrize("tex", [
    r"\mathbf{x}'",  # a transpose in some notations, never a name
    r"\sum_{k=1}^{n} e_k'",  # an entry of a family, bound by the sum: no one name
    "x_{k'}",  # an index, not a value
])
def test_a_prime_that_names_no_value_stays_an_error(tex):
    with pytest.raises(LatexSyntaxError):
        read(tex)


def test_a_prime_without_a_default_variable_stays_an_error():
    """A derivation file declares its names: e_i' there is an undeclared function."""
    with pytest.raises(LatexSyntaxError, match="not a declared function"):
        read("e_i'", Scope(indices={"i": i}))


def test_a_primed_function_is_still_its_derivative():
    """A declared function, and a letter declared nowhere (an unknown function of x)."""
    f = sympy.Function("f")
    value = read("f'", Scope(variables={"x": x}, default_variable=x, functions={"f": f}))
    assert value == sympy.Derivative(f(x), x)
    assert read("u' + q", SCOPE) == sympy.Derivative(sympy.Function("u")(x), x) + Symbol("q", real=True)


@pytest.mark.parametrize("value_tex, value", [
    (r"\exp(x_i)", sympy.exp(Symbol("x_i"))), (r"2\exp(x_i)", 2 * sympy.exp(Symbol("x_i"))),
    (r"x_i \exp(x_i)", Symbol("x_i") * sympy.exp(Symbol("x_i"))),
])
def test_a_primed_name_given_its_value_is_unknown_and_the_step_beside_it_checked(value_tex, value):
    """``e_i' = d e^{x_i}/d x_i = ..``: the first relation says what e_i' is
    (a claim about e_i the post makes in words: unknown, never refuted);
    the second is the derivative, proved or refuted against sympy.diff."""
    xi = Symbol("x_i")
    truth = holds(sympy.diff(sympy.exp(xi), xi), value)
    post = (f"$$\n\\begin{{align}}\ne_i' &= \\frac{{\\partial \\exp(x_i)}}{{\\partial x_i}} \\\\\n"
            f"&= {value_tex}\n\\end{{align}}\n$$\n")
    assert verdicts(post) == ["unknown", "proved" if truth else "refuted"]


QUOTIENT = r"\frac{g'h - h'g}{h^2}"


@pytest.mark.parametrize("rhs_tex, rhs", [
    (r"\frac{g'}{h} - \frac{g h'}{h^2}", lambda gp, hp, g, h: gp / h - g * hp / h**2),
    (r"\frac{g'}{h} + \frac{g h'}{h^2}", lambda gp, hp, g, h: gp / h + g * hp / h**2),
    (r"\frac{g' - h'}{h}", lambda gp, hp, g, h: (gp - hp) / h),
])
def test_algebra_in_primed_names_holds_for_every_value_or_stays_unknown(rhs_tex, rhs):
    """With g and h vectors of the post (g_i = .., h_i = ..), g' and h' are
    names: a step true for every value of them is proved, a wrong one is
    never refuted through values the post gives in words (unknown)."""
    gp, hp, g, h = sympy.symbols("gp hp g h", real=True)
    truth = holds((gp * h - hp * g) / h**2, rhs(gp, hp, g, h))
    post = (f"Here $g_i = e^{{a_i}}$ and $h_i = a_i^2 + 1$.\n\n$$g'h = g'h$$\n\n"
            f"$${QUOTIENT} = {rhs_tex}$$\n")
    assert verdicts(post)[-1] == ("proved" if truth else "unknown")


# -- 2. a bare \sum is a name -------------------------------------------------------------------

SIGMA = sympy.Function("Sigma_sum", real=True)(x)


@pytest.mark.parametrize("tex, expected", [
    (r"\frac{e_j}{\sum}", e[j] / SIGMA),
    (r"\frac{e_j}{\sum_k}", e[j] / SIGMA),
    (r"\sum^2", SIGMA**2),
    (r"\frac{e_j \times \sum - e_j \times e_j}{\sum^2}", (e[j] * SIGMA - e[j]**2) / SIGMA**2),
    (r"\frac{\sum - e_j}{\sum}", (SIGMA - e[j]) / SIGMA),
])
def test_a_bare_sum_is_a_name(tex, expected):
    assert sympy.simplify(read(tex) - expected) == 0


def test_a_sum_with_a_summand_is_still_a_sum():
    assert read(r"\sum_k -y_k \log p_k") == sympy.Sum(-y[k] * sympy.log(p[k]), (k, 1, n))
    assert read(r"\sum_k y_k") == sympy.Sum(y[k], (k, 1, n))
    assert read(r"\sum^{n} y_k") == sympy.Sum(y[k], (k, 1, n))
    # a sign after a bare \sum starts its summand unless the display names the sum elsewhere
    assert read(r"\sum -y_k \log p_k") == sympy.Sum(-y[k] * sympy.log(p[k]), (k, 1, n))
    assert read(r"\sum - y_k") == sympy.Sum(-y[k], (k, 1, n))


def test_a_primed_sum_is_one_name():
    value = read(r"\frac{e_j' \sum - e_j \sum'}{\sum^2}")
    assert opaque(value) == {"e_j'", "Sigma_sum", "Sigma_sum'"}


@pytest.mark.parametrize("tex", [r"\sum_{k=1}^{n}", r"\sum_{k \neq i}"])
def test_a_sum_with_limits_and_no_summand_stays_an_error(tex):
    with pytest.raises(LatexSyntaxError, match="needs an operand"):
        read(tex)


X1, X2, X3 = sympy.symbols("x_1 x_2 x_3", real=True)
TOTAL = sympy.exp(X1) + sympy.exp(X2) + sympy.exp(X3)
RHS = {
    r"\frac{e^{x_1}}{\sum} - \frac{e^{2x_1}}{\sum^2}": sympy.exp(X1) / TOTAL - sympy.exp(2 * X1) / TOTAL**2,
    r"\frac{e^{x_1}}{\sum} + \frac{e^{2x_1}}{\sum^2}": sympy.exp(X1) / TOTAL + sympy.exp(2 * X1) / TOTAL**2,
    r"\frac{e^{x_1}\sum - e^{x_1}}{\sum^2}": (sympy.exp(X1) * TOTAL - sympy.exp(X1)) / TOTAL**2,
}


@pytest.mark.parametrize("rhs_tex", sorted(RHS))
def test_a_sum_the_post_defines_is_that_sum(rhs_tex):
    """``\\sum = e^{x_1} + e^{x_2} + e^{x_3}``: the softmax's derivative
    through it is proved or refuted against sympy.diff."""
    truth = holds(sympy.diff(sympy.exp(X1) / TOTAL, X1), RHS[rhs_tex])
    post = (f"Let $\\sum = e^{{x_1}} + e^{{x_2}} + e^{{x_3}}$.\n\n"
            f"$$\\frac{{\\partial}}{{\\partial x_1}} \\frac{{e^{{x_1}}}}{{\\sum}} = {rhs_tex}$$\n")
    assert verdicts(post) == ["proved" if truth else "refuted"]


@pytest.mark.parametrize("rhs_tex", sorted(RHS))
def test_a_sum_the_post_never_defines_is_never_refuted(rhs_tex):
    """Undefined, the bare \\sum may be any value: no step through it is
    refuted by a guess at it (the true one is unknown too)."""
    post = f"$$\\frac{{\\partial}}{{\\partial x_1}} \\frac{{e^{{x_1}}}}{{e^{{x_1}} + e^{{x_2}}}} = {rhs_tex}$$\n"
    assert verdicts(post) == ["unknown"]


# -- 3. a sum with its i-th term written out ----------------------------------------------------

def written_out(pattern, middle, size: int, place: int):
    """The sum of ``pattern(k)`` for k = 1..size with the term at ``place``
    replaced by ``middle``, term by term, i given the value ``place`` (the oracle)."""
    terms = (middle if index == place else pattern(index) for index in range(1, size + 1))
    return sympy.Add(*terms).subs(i, place)


MIDDLE = {
    r"p_iy_1 + p_iy_2 + \dots + (p_i - y_i) + \dots + p_i y_n": (lambda t: p[i] * y[t], p[i] - y[i]),
    r"y_1 + \dots + y_i + \dots + y_n": (lambda t: y[t], y[i]),
    r"y_1^2 + y_2^2 + \dots + 3 y_i + \dots + y_n^2": (lambda t: y[t]**2, 3 * y[i]),
    r"p_1 y_1 + \dots - p_i + \dots + p_n y_n": (lambda t: p[t] * y[t], -p[i]),
}


@pytest.mark.parametrize("tex", sorted(MIDDLE))
@pytest.mark.parametrize("size, place", [(3, 1), (4, 2), (5, 5)])
def test_a_sum_with_its_ith_term_written_out(tex, size, place):
    pattern, middle = MIDDLE[tex]
    value = read(tex).subs({n: size, i: place}).doit()
    assert holds(value, written_out(pattern, middle, size, place))


@pytest.mark.parametrize("tex", [
    r"y_1 + \dots + y_5 + \dots + y_n",  # no index names the place of the middle term
    r"y_1 + \dots + p_i + p_j + \dots + y_n",  # two terms between the '…'
    r"y_1 + \dots + w_{ij} + \dots + y_n",  # two indices: which place?
    r"y_1 + \dots + y_i + \dots + y_j + \dots + y_n",  # three '…'
])
def test_an_uncertain_middle_term_stays_an_error(tex):
    with pytest.raises(LatexSyntaxError):
        read(tex)


RHS_MIDDLE = {
    r"p_i \sum_{k=1}^{n} y_k + p_i - y_i - p_i y_i": True,
    r"p_i \sum_{k=1}^{n} y_k - y_i": False,
    r"p_i \sum_{k=1}^{n} y_k + p_i - y_i": False,
}


@pytest.mark.parametrize("rhs_tex", sorted(RHS_MIDDLE))
def test_a_claim_on_a_sum_with_its_ith_term_written_out(rhs_tex):
    """Proved or refuted as the explicit sums at n = 4, i = 2 say."""
    rhs = read(rhs_tex).subs({n: 4, i: 2}).doit()
    truth = holds(written_out(lambda t: p[i] * y[t], p[i] - y[i], 4, 2), rhs)
    assert truth == RHS_MIDDLE[rhs_tex]
    post = (f"$$\\frac{{\\partial L}}{{\\partial x_i}} = "
            f"p_iy_1 + p_iy_2 + \\dots + (p_i - y_i) + \\dots + p_i y_n = {rhs_tex}$$\n")
    assert verdicts(post)[-1] == ("proved" if truth else "refuted")


def test_the_index_of_an_ellipsis_sum_is_no_letter_a_derivative_is_taken_in():
    """``d e^{x_1}/d x_j + .. + d e^{x_n}/d x_j`` (post 54): the hidden terms'
    index is not j, which each term differentiates in; at n = 3, j = 2 the
    sum is d(e^{x_1} + e^{x_2} + e^{x_3})/d x_2 (sympy.diff)."""
    vector = sympy.IndexedBase("x", real=True)
    scope = Scope(variables={"x": x}, default_variable=x, indices={"j": j, "k": k, "n": n}, indexed={"x": vector})
    tex = (r"\frac{\partial \exp(x_1)}{\partial x_j} + \frac{\partial \exp(x_2)}{\partial x_j} + \dots + "
           r"\frac{\partial \exp(x_n)}{\partial x_j}")
    value = read(tex, scope).subs(n, 3).doit().subs(j, 2)
    entries = [vector[t] for t in (1, 2, 3)]
    assert holds(value, sympy.diff(sum(map(sympy.exp, entries)), entries[1]))
    assert not holds(value, sympy.diff(sum(map(sympy.exp, entries)), entries[0]))


@pytest.mark.parametrize("tex, written", [
    (r"\frac{1}{n}(0 + \dots + 0 + 1 + 0 + \dots + 0)", [0, 0, 1, 0, 0]),
    (r"0 + \dots + 0", [0, 0, 0]),
    (r"y_1 + 0 + \dots + 0 + y_n", [y[1], 0, 0, 0, y[n]]),
])
def test_terms_hidden_between_zeros_are_zeros(tex, written):
    """However many terms a '…' hides between two zeros, they add nothing:
    the value is that of the terms written (n kept symbolic, then n = 5)."""
    factor = 1 / n if tex.startswith(r"\frac") else 1
    assert holds(read(tex).subs(n, 5), (factor * sympy.Add(*written)).subs(n, 5))


@pytest.mark.parametrize("middle, truth", [("1", True), ("2", False), ("x_i", False)])
def test_a_derivative_written_as_zeros_and_one_term(middle, truth):
    """d/dx_i (1/n sum_r x_r) = (1/n)(0 + .. + 0 + 1 + 0 + .. + 0) (post 72):
    at n = 4, i = 2 sympy.diff gives 1/4, and only the middle term 1 agrees."""
    vector = sympy.IndexedBase("x", real=True)
    entries = [vector[t] for t in range(1, 5)]
    oracle = sympy.diff(sum(entries) / 4, entries[1])
    value = sympy.sympify(middle) if middle != "x_i" else entries[1]
    assert holds(oracle, value / 4) == truth
    post = (f"$$\\frac{{\\partial}}{{\\partial x_i}} \\frac{{1}}{{n}}\\sum_{{r=1}}^n x_r "
            f"= \\frac{{1}}{{n}}(0 + \\dots + 0 + {middle} + 0 + \\dots + 0)$$\n")
    assert verdicts(post) == ["proved" if truth else "refuted"]
