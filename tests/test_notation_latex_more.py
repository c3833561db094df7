"""Notation of the corpus posts the LaTeX front end used to reject (issue 14, item 3).

Each class is read in several spellings and compared with an expression
built by hand in SymPy (the independent oracle: exact comparison, or 40-digit
evaluation at points that cover every case of a condition). In a tiny post
the true step is proved, or at least never refuted, and every wrong variant
is refuted; the truth of each variant comes from the oracle, not the tool.

1. The indicator of a condition: ``1_{i=j}``, ``\\mathbf{1}_{i=k}``,
   ``\\mathbb{1}\\{i=j\\}``, ``\\mathbb{1}(x > 0)`` (softmax Jacobians, the
   centring of a layer norm, ReLU's derivative).
2. ``\\odot`` between numbers: entries of vectors (``\\sigma(z_i) \\odot (1 -
   \\sigma(z_i))``), indices, the declared variable; between names the post
   never declares it stays unreadable, since read as numbers it would prove
   ``x \\odot y = x y``, which fails for vectors.
"""

from __future__ import annotations

import itertools
import random

import pytest
import sympy
from sympy import Symbol

from symderive.errors import LatexSyntaxError
from symderive.latex import Scope, parse_display, parse_expression
from symderive.post.check import check_post

x = Symbol("x", real=True)
i, j, k, n = (Symbol(name, integer=True) for name in "ijkn")
a, b, s, z = (sympy.IndexedBase(name) for name in "absz")
SCOPE = Scope(variables={"x": x}, default_variable=x, indices={"i": i, "j": j, "k": k, "n": n},
              indexed={"a": a, "b": b, "s": s, "z": z})
sigma = sympy.Function("sigma")


def values_agree(parsed: sympy.Basic, built: sympy.Basic, points) -> bool:
    """Equal at every point (a dict of symbol values), to 40 digits; the
    symbols of the two sides are matched by name."""
    parsed, built = sympy.sympify(parsed), sympy.sympify(built)  # SymPy objects or plain ints, never text
    by_name = {str(sym): sym for sym in built.free_symbols}
    renamed = parsed.xreplace({sym: by_name.get(str(sym), sym) for sym in parsed.free_symbols})
    for point in points:
        difference = (renamed - built).xreplace(point).doit()
        if abs(sympy.N(difference, 40)) > sympy.Float("1e-30"):
            return False
    return True


def verdicts(post: str) -> tuple[list[str], list[str]]:
    report = check_post(post, "notation.md", timeout=10)
    return [claim.verdict.value for claim in report.claims()], [u.evidence.reason for u in report.unreadable]


# -- 1. the indicator of a condition ---------------------------------------------------------------

INDEX_POINTS = [{i: p, j: q, k: q} for p, q in itertools.product((1, 2, 3), repeat=2)]
REAL_POINTS = [{x: sympy.Rational(v, 7)} for v in (-15, -3, 0, 4, 22)]


@pytest.mark.parametrize("tex, built", [
    (r"1_{i=j}", sympy.KroneckerDelta(i, j)),
    (r"1_{i = k}", sympy.KroneckerDelta(i, k)),
    (r"\mathbf{1}_{i=j}", sympy.KroneckerDelta(i, j)),
    (r"\mathbf 1_{i=k}", sympy.KroneckerDelta(i, k)),
    (r"\mathbb{1}_{i=j}", sympy.KroneckerDelta(i, j)),
    (r"\mathbb{1}\{i=j\}", sympy.KroneckerDelta(i, j)),
    (r"\mathbb 1[i = j]", sympy.KroneckerDelta(i, j)),
    (r"\mathbb{1}(i=j)", sympy.KroneckerDelta(i, j)),
    (r"1_{i \neq j}", 1 - sympy.KroneckerDelta(i, j)),
    (r"\mathbb{1}_{i \ne j}", 1 - sympy.KroneckerDelta(i, j)),
    (r"s_i(1_{i=j} - s_j)", s[i] * (sympy.KroneckerDelta(i, j) - s[j])),
    (r"1_{i=j} - \frac{1}{n}", sympy.KroneckerDelta(i, j) - 1 / n),
])
def test_an_indicator_of_two_indices_is_kroneckers_delta(tex, built):
    """1 where the indices are equal, 0 elsewhere: checked at every pair of
    small indices, equal and unequal."""
    value = parse_expression(tex, SCOPE)
    points = [point | {s[i]: sympy.Rational(2, 7), s[j]: sympy.Rational(-3, 5)} for point in INDEX_POINTS]
    assert values_agree(value, built, points)


@pytest.mark.parametrize("tex, built", [
    (r"\mathbb{1}(x > 0)", sympy.Piecewise((1, x > 0), (0, True))),
    (r"\mathbf{1}[x > 0]", sympy.Piecewise((1, x > 0), (0, True))),
    (r"\mathbb{1}\{x \leq 0\}", sympy.Piecewise((1, x <= 0), (0, True))),
    (r"\mathbb{1}_{x \geq 0}", sympy.Piecewise((1, x >= 0), (0, True))),
    (r"1_{x < 0} x", sympy.Piecewise((x, x < 0), (0, True))),
])
def test_an_indicator_of_a_comparison_is_one_where_it_holds(tex, built):
    """Checked on both sides of 0 and at 0, where > and >= differ."""
    assert values_agree(parse_expression(tex, SCOPE), built, REAL_POINTS)


@pytest.mark.parametrize("tex, message", [
    (r"1_{x = 0}", "between indices"),  # 1 only at one point: no check at points would see it
    (r"\mathbb{1}_{i}", "one condition"),
    (r"\mathbf{1}", "needs its size"),  # a styled 1 with nothing after it is still the vector of ones
    (r"11_{i=j}", "not a name"),
])
def test_what_is_not_an_indicator_stays_an_error(tex, message):
    with pytest.raises(LatexSyntaxError, match=message):
        parse_expression(tex, SCOPE)


def test_an_indicator_does_not_split_the_display():
    """The = inside 1_{i=j} or \\mathbb{1}\\{i=j\\} is no relation of the display."""
    display = parse_display(r"y = \mathbb{1}\{i=j\} x = 1_{i=j} x", SCOPE)
    assert [part.relation for part in display.parts] == [None, "=", "="]
    assert display.parts[1].expr == display.parts[2].expr == x * sympy.KroneckerDelta(i, j)


SOFTMAX = "Let $s_i = \\frac{e^{z_i}}{\\sum_k e^{z_k}}$.\n\n$$\\frac{\\partial s_i}{\\partial z_j} = %s$$\n"


def softmax_jacobian_holds(rhs: sympy.Basic) -> bool:
    """The oracle: sympy.diff of softmax at n = 3, at every pair (i, j)."""
    zs = sympy.symbols("z1:4", real=True)
    total = sum(sympy.exp(v) for v in zs)
    soft = [sympy.exp(v) / total for v in zs]
    point = dict(zip(zs, (sympy.Rational(1, 3), sympy.Rational(-2, 5), sympy.Rational(7, 4))))
    for p, q in itertools.product(range(3), repeat=2):
        truth = sympy.diff(soft[p], zs[q])
        claim = rhs.xreplace({i: p + 1, j: q + 1}).doit().replace(
            lambda e: isinstance(e, sympy.Indexed), lambda e: soft[int(e.indices[0]) - 1])
        if abs(sympy.N((truth - claim).xreplace(point), 40)) > 1e-30:
            return False
    return True


@pytest.mark.parametrize("tex, built", [
    (r"s_i(1_{i=j} - s_j)", s[i] * (sympy.KroneckerDelta(i, j) - s[j])),
    (r"s_i(\mathbb{1}_{i=j} - s_j)", s[i] * (sympy.KroneckerDelta(i, j) - s[j])),
    (r"s_i(\mathbb{1}\{i=j\} - s_j)", s[i] * (sympy.KroneckerDelta(i, j) - s[j])),
    (r"s_i \mathbf{1}_{i=j} - s_i s_j", s[i] * sympy.KroneckerDelta(i, j) - s[i] * s[j]),
    (r"s_i(1_{i \neq j} - s_j)", s[i] * (1 - sympy.KroneckerDelta(i, j) - s[j])),
    (r"s_i(1_{i=j} + s_j)", s[i] * (sympy.KroneckerDelta(i, j) + s[j])),
    (r"1_{i=j} - s_i s_j", sympy.KroneckerDelta(i, j) - s[i] * s[j]),
])
def test_the_softmax_jacobian_with_an_indicator(tex, built):
    found, unreadable = verdicts(SOFTMAX % tex)
    assert not unreadable
    assert found == (["proved"] if softmax_jacobian_holds(built) else ["refuted"])


INDICATOR_STEPS = {
    # claim, oracle: the two sides as SymPy expressions of x (or of entries a_i and indices)
    "relu-derivative": (r"\frac{d}{dx}\max(0, x) = \mathbb{1}(x > 0)",
                        sympy.Heaviside(x), sympy.Piecewise((1, x > 0), (0, True))),
    "relu-derivative-wrong-side": (r"\frac{d}{dx}\max(0, x) = \mathbb{1}(x < 0)",
                                   sympy.Heaviside(x), sympy.Piecewise((1, x < 0), (0, True))),
    "relu-as-product": (r"x\,\mathbb{1}(x > 0) = \max(0, x)", sympy.Piecewise((x, x > 0), (0, True)),
                        sympy.Max(0, x)),
    "relu-as-product-wrong": (r"x\,\mathbb{1}(x > 0) = \max(0, -x)", sympy.Piecewise((x, x > 0), (0, True)),
                              sympy.Max(0, -x)),
    "complementary": (r"\mathbb{1}(x > 0) + \mathbb{1}(x \leq 0) = 1",
                      sympy.Piecewise((1, x > 0), (0, True)) + sympy.Piecewise((1, x <= 0), (0, True)), 1),
}
AWAY_FROM_ZERO = [{x: sympy.Rational(v, 7)} for v in (-15, -3, 4, 22)]


@pytest.mark.parametrize("case", sorted(INDICATOR_STEPS))
def test_steps_with_an_indicator_of_a_comparison(case):
    """ReLU's derivative is undefined at 0; the oracle compares away from it."""
    claim, lhs, rhs = INDICATOR_STEPS[case]
    holds = values_agree(lhs, rhs, AWAY_FROM_ZERO)
    found, unreadable = verdicts(f"$${claim}$$\n")
    assert not unreadable
    assert found == (["proved"] if holds else ["refuted"])


def test_strict_and_loose_comparisons_are_never_proved_equal():
    """1(x > 0) and 1(x >= 0) differ at x = 0 only: a point check misses it,
    so the step may stay unknown, but it must not be proved."""
    assert not values_agree(sympy.Piecewise((1, x > 0), (0, True)), sympy.Piecewise((1, x >= 0), (0, True)),
                            REAL_POINTS)
    found, _ = verdicts(r"$$\mathbb{1}(x > 0) = \mathbb{1}(x \geq 0)$$" + "\n")
    assert "proved" not in found
    found, _ = verdicts(r"$$\mathbb{1}(x > 0) + \mathbb{1}(x < 0) = 1$$" + "\n")
    assert "proved" not in found


DELTA_IK = sympy.KroneckerDelta(i, k)
SUM_STEPS = [
    # claim, the two sides built by hand
    (r"\sum_{i=1}^n a_i 1_{i=k} = a_k", sympy.Sum(a[i] * DELTA_IK, (i, 1, n)), a[k]),
    (r"\sum_{i=1}^n a_i (\mathbf 1_{i=k} - 1/n) = a_k - \frac{1}{n}\sum_{i=1}^n a_i",
     sympy.Sum(a[i] * (DELTA_IK - 1 / n), (i, 1, n)), a[k] - sympy.Sum(a[i], (i, 1, n)) / n),
    (r"\sum_{i=1}^n a_i 1_{i \neq k} = a_k", sympy.Sum(a[i] * (1 - DELTA_IK), (i, 1, n)), a[k]),
    (r"\sum_{i=1}^n a_i (\mathbf 1_{i=k} - 1/n) = a_k - \sum_{i=1}^n a_i",
     sympy.Sum(a[i] * (DELTA_IK - 1 / n), (i, 1, n)), a[k] - sympy.Sum(a[i], (i, 1, n))),
]


@pytest.mark.parametrize("claim, lhs, rhs", SUM_STEPS)
def test_an_indicator_picks_one_term_of_a_sum(claim, lhs, rhs):
    """The oracle: the sums written out at n = 3, for each k in range."""
    rng = random.Random(14)
    entries = {a[m]: sympy.Rational(rng.randint(-20, 20), 7) for m in range(1, 4)}
    true = all(
        sympy.N((lhs - rhs).subs(n, 3).doit().xreplace({k: kk}).xreplace(entries), 40) == 0 for kk in (1, 2, 3))
    assert values_agree(parse_expression(claim.split(" = ")[0], SCOPE), lhs,
                        [{n: 3, k: kk} | entries for kk in (1, 2, 3)])
    found, unreadable = verdicts(f"$${claim}$$\n")
    assert not unreadable
    assert found == (["proved"] if true else ["refuted"])


# -- 2. \odot between numbers ------------------------------------------------------------------------

@pytest.mark.parametrize("tex, built", [
    (r"a_i \odot b_i", a[i] * b[i]),
    (r"a_i \bigodot b_i", a[i] * b[i]),
    (r"a_i ⊙ b_i", a[i] * b[i]),
    (r"\sigma(z_i) \odot (1 - \sigma(z_i))", sigma(z[i]) * (1 - sigma(z[i]))),
    (r"(a_i - b_i) \odot 2", 2 * (a[i] - b[i])),
    (r"x \odot x", x**2),
    (r"\sum_{j=1}^n a_j \odot b_j", sympy.Sum(a[j] * b[j], (j, 1, n))),
])
def test_odot_of_numbers_is_their_product(tex, built):
    scope = Scope(**{**SCOPE.__dict__, "functions": {"sigma": sigma}})
    assert sympy.simplify(parse_expression(tex, scope) - built) == 0


@pytest.mark.parametrize("tex, names", [
    (r"x \odot y", "y"), (r"a \odot b", "a, b"), (r"\mathbf{x} \odot x", "x"), (r"x^T \odot x", "x"),
    (r"\mathbf{do} \odot (c \times \mathbf{r})", "c, do, r"),
])
def test_odot_of_names_the_post_does_not_declare_is_noted_as_vectors_read_as_numbers(tex, names):
    """Read as numbers they would prove x ⊙ y = x y: the display notes them
    (Display.vectors_as_numbers), and check then proves nothing there."""
    display = parse_display(f"{tex} = 0", SCOPE)
    assert set(display.vectors_as_numbers) >= set(names.split(", "))


ODOT_STEPS = {
    # claim, lhs, rhs: the oracle's sides, with sigma the logistic function
    "sigmoid-derivative": (r"\frac{\partial}{\partial z_i}\sigma(z_i) = \sigma(z_i) \odot (1 - \sigma(z_i))",
                           "d", "s*(1 - s)"),
    "sigmoid-derivative-sign": (r"\frac{\partial}{\partial z_i}\sigma(z_i) = \sigma(z_i) \odot (1 + \sigma(z_i))",
                                "d", "s*(1 + s)"),
    "sigmoid-derivative-bigodot": (r"\frac{\partial}{\partial z_i}\sigma(z_i) = \sigma(z_i) \bigodot (1 - \sigma(z_i))",
                                   "d", "s*(1 - s)"),
    "cube": (r"\frac{d}{dx} x^3 = 3x \odot x", "3*x**2", "3*x**2"),
    "cube-wrong": (r"\frac{d}{dx} x^3 = 3x \odot x \odot x", "3*x**2", "3*x**3"),
    "sum-of-products": (r"\sum_{i=1}^n a_i \odot b_i = \sum_{i=1}^n a_i b_i", "ab", "ab"),
    "sum-shifted": (r"\sum_{i=1}^n a_i \odot b_i = \sum_{i=1}^n a_i b_{i+1}", "ab", "ab+"),
}


def odot_oracle(side: str) -> sympy.Basic:
    """The sides at a point: z = 0.7 for the sigmoid, x = 5/7, n = 3 entries."""
    t = sympy.Rational(7, 10)
    logistic = 1 / (1 + sympy.exp(-t))
    av, bv = (2, -1, 3), (5, 4, -2, 7)
    return {
        "d": sympy.diff(1 / (1 + sympy.exp(-x)), x).subs(x, t), "s*(1 - s)": logistic * (1 - logistic),
        "s*(1 + s)": logistic * (1 + logistic), "3*x**2": 3 * sympy.Rational(5, 7)**2,
        "3*x**3": 3 * sympy.Rational(5, 7)**3,
        "ab": sum(p * q for p, q in zip(av, bv)), "ab+": sum(p * q for p, q in zip(av, bv[1:])),
    }[side]


@pytest.mark.parametrize("case", sorted(ODOT_STEPS))
def test_steps_with_odot_of_entries(case):
    claim, lhs, rhs = ODOT_STEPS[case]
    holds = abs(sympy.N(odot_oracle(lhs) - odot_oracle(rhs), 40)) < 1e-30
    found, unreadable = verdicts(f"$${claim}$$\n")
    assert not unreadable
    assert found == (["proved"] if holds else ["refuted"])


@pytest.mark.parametrize("claim", [
    r"x \odot y = x y",  # for vectors x y is no product at all, for numbers it would be proved
    r"\mathbf{a} \odot \mathbf{b} = \mathbf{a}^T \mathbf{b}",  # entrywise is not the inner product
    r"a \odot b = a b",
])
def test_a_vector_claim_in_odot_is_never_proved_on_numbers(claim):
    found, unreadable = verdicts(f"$${claim}$$\n")
    assert not unreadable and found == ["unknown"]  # true for numbers: proved only for them


# -- 3. a sum written with … and terms after its last one ---------------------------------------

p_, y_ = sympy.IndexedBase("p"), sympy.IndexedBase("y")
SUM_SCOPE = Scope(variables={"x": x}, default_variable=x, indices={"i": i, "j": j, "k": k, "n": n},
                  indexed={"a": a, "p": p_, "y": y_})


@pytest.mark.parametrize("tex, built", [
    (r"a_1 + \dots + a_n + x", sympy.Sum(a[k], (k, 1, n)) + x),
    (r"a_1 + a_2 + \cdots + a_n - x", sympy.Sum(a[k], (k, 1, n)) - x),
    (r"p_i y_1 + p_i y_2 + \dots + p_i y_n - y_i", sympy.Sum(p_[i] * y_[k], (k, 1, n)) - y_[i]),
    (r"1 + x + \dots + x^n - 1", sympy.Sum(x**k, (k, 0, n)) - 1),
    (r"a_1 + \dots + a_n", sympy.Sum(a[k], (k, 1, n))),
])
def test_terms_after_the_last_term_of_an_elided_sum_are_added(tex, built):
    """Written out at n = 3 and 4, at a random point."""
    value = parse_expression(tex, SUM_SCOPE)
    rng = random.Random(14)
    for size in (3, 4):
        point = {entry: sympy.Rational(rng.randint(-20, 20), 7)
                 for base in (a, p_, y_) for entry in (base[m] for m in range(0, size + 1))}
        point |= {x: sympy.Rational(5, 7), i: 2, y_[i]: point[y_[2]], p_[i]: point[p_[2]]}
        assert values_agree(value.subs(n, size).doit(), built.subs(n, size).doit(), [point])


@pytest.mark.parametrize("tex", [r"a_1 + \dots + a_{n-1} + y_n"])  # zeros around a 1: test_notation_primes_sums
def test_an_elided_sum_without_a_pattern_stays_an_error(tex):
    with pytest.raises(LatexSyntaxError, match="…"):
        parse_expression(tex, SUM_SCOPE)


@pytest.mark.parametrize("rhs, true", [
    (r"x_1 + x_2 + \dots + x_n - x_1", True),
    (r"x_1 + x_2 + \dots + x_n - x_n", False),
    (r"x_1 + x_2 + \dots + x_n + x_1", False),
    (r"x_1 + x_2 + \dots + x_n - 1", False),
])
def test_steps_with_a_term_after_an_elided_sum(rhs, true):
    """The oracle: both sides written out at n = 4 (the sum of x_1 .. x_n less x_1)."""
    xs = sympy.symbols("x1:5", real=True)
    built = {
        r"x_1 + x_2 + \dots + x_n - x_1": sum(xs) - xs[0], r"x_1 + x_2 + \dots + x_n - x_n": sum(xs) - xs[3],
        r"x_1 + x_2 + \dots + x_n + x_1": sum(xs) + xs[0], r"x_1 + x_2 + \dots + x_n - 1": sum(xs) - 1,
    }[rhs]
    point = dict(zip(xs, (sympy.Rational(3, 7), sympy.Rational(-2, 5), sympy.Rational(9, 4), sympy.Rational(1, 3))))
    assert (sympy.N((built - sum(xs[1:])).xreplace(point), 40) == 0) == true
    found, unreadable = verdicts(f"$$\\sum_{{j=1}}^{{n}} x_j - x_1 = {rhs}$$\n")
    assert not unreadable
    assert found == (["proved"] if true else ["refuted"])


# -- 4. a coloured display: \color{red}{a = b} ----------------------------------------------------

@pytest.mark.parametrize("tex", [
    r"\color{red}{\frac{d}{dx} x^3 = 3x^2}", r"\boxed{\color{blue}{\frac{d}{dx} x^3 = 3x^2}}",
    r"{\frac{d}{dx} x^3 = 3x^2}", r"\textcolor{red}{\frac{d}{dx} x^3} = 3x^2", r"\color{red} \frac{d}{dx} x^3 = 3x^2",
])
def test_colour_and_braces_around_a_whole_display_change_nothing(tex):
    display = parse_display(tex, SCOPE)
    assert [part.relation for part in display.parts] == [None, "="]
    assert display.parts[0].expr == sympy.Derivative(x**3, x) and display.parts[1].expr == 3 * x**2


@pytest.mark.parametrize("rhs", ["3x^2", "3x^3", "2x^2"])
def test_steps_in_a_coloured_box(rhs):
    power = {"3x^2": 3 * x**2, "3x^3": 3 * x**3, "2x^2": 2 * x**2}[rhs]
    true = sympy.simplify(sympy.diff(x**3, x) - power) == 0
    found, unreadable = verdicts(f"$$\\boxed{{\\color{{red}}{{\\frac{{d}}{{dx}} x^3 = {rhs}}}}}$$\n")
    assert not unreadable
    assert found == (["proved"] if true else ["refuted"])


def test_braces_around_part_of_a_display_are_still_one_expression():
    """{a = b} + 1 holds a relation inside an operand: no reading of it is a claim."""
    with pytest.raises(LatexSyntaxError):
        parse_display(r"{x = 1} + 1", SCOPE)
