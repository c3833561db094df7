"""Tests of the LaTeX front end: meaning table, seed posts, errors, fuzzing,
round trips through ``sympy.latex``."""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy
from sympy import (Abs, Derivative, E, Eq, Function, Identity, IndexedBase, Integer, Max,
                   MatrixSymbol, Min, Mul, Ne, OneMatrix, Piecewise, Pow, Product, Rational,
                   Sum, Symbol, Tuple, cosh, exp, log, sinh, sqrt, tanh)

from symderive.errors import LatexSyntaxError, Origin
from symderive.latex import Display, Part, Scope, find_math, parse_display, parse_expression

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "posts"

# -- scopes --------------------------------------------------------------------

x = Symbol("x", real=True)
z_var = Symbol("z", real=True)
a, b, y = (Symbol(name, real=True) for name in "aby")
alpha = Symbol("alpha", real=True)
i, j, k, n = (Symbol(name, integer=True, positive=True) for name in "ijkn")
D = Symbol("D", integer=True, positive=True)
FUNCTION_NAMES = ["sigma", "u", "v", "f", "g", "g_linear", "g_logistic", "g_tanh", "Softmax"]
F = {name: Function(name) for name in FUNCTION_NAMES}
sigma, u, v, f, g = (F[name] for name in ["sigma", "u", "v", "f", "g"])
z, S = IndexedBase("z"), IndexedBase("S")
Z = MatrixSymbol("z", D, 1)
INDICES = {"i": i, "j": j, "k": k, "n": n}
ROW, COL = Symbol("row", integer=True, nonnegative=True), Symbol("col", integer=True, nonnegative=True)


def make_scope(variable: Symbol, indexed: bool) -> Scope:
    return Scope(
        variables={str(variable): variable},
        default_variable=variable,
        functions=dict(F),
        indexed={"z": z, "S": S} if indexed else {},
        indices=dict(INDICES),
        dimensions={"D": D},
    )


SCOPE = make_scope(x, indexed=True)            # seed 000: z is a vector
SCOPE_Z = make_scope(z_var, indexed=False)      # seed 001: z is the variable
MATRIX_SCOPE = Scope(variables={"x": x}, default_variable=x, functions=dict(F),
                     matrices={"z": Z}, dimensions={"D": D}, indices=dict(INDICES))
E_SCOPE = Scope(variables={"x": x, "e": Symbol("e", real=True)}, default_variable=x)
D_SCOPE = Scope(variables={"x": x, "d": Symbol("d", real=True)}, default_variable=x)


def same(actual, expected) -> bool:
    return sympy.srepr(actual) == sympy.srepr(expected)


# -- 1. meaning table ----------------------------------------------------------------

TABLE = [
    # the three SymPy's own parser gets wrong
    ("deriv-operator-sigma", r"\frac{d}{dx}\sigma(x)", Derivative(sigma(x), x, evaluate=False)),
    ("leibniz-unknown-y", r"\frac{dy}{dx}", Derivative(y, x, evaluate=False)),
    ("prime-declared-f", r"f'(x)", Derivative(f(x), x, evaluate=False)),
    # numbers
    ("integer", "2", Integer(2)),
    ("decimal-exact", "0.5", Rational(1, 2)),
    ("decimal-times", "0.25x", Mul(Rational(1, 4), x)),
    # e and exp
    ("e-constant", "e", E),
    ("e-power-is-exp", "e^{x}", exp(x)),
    ("e-power-bare", "e^x", exp(x)),
    ("e-negative", "e^{-x}", exp(-x)),
    ("mathrm-e-braced", r"\mathrm{e}^{x}", exp(x)),
    ("mathrm-e-bare", r"\mathrm e^a", exp(a)),
    ("exp-command", r"\exp(x)", exp(x)),
    ("exp-no-parens", r"\exp x", exp(x)),
    ("exp-word", "exp(x)", exp(x)),
    ("exp-left-right", r"\exp\left(x\right)", exp(x)),
    # builtin functions
    ("tanh-squared-before", r"\tanh^2(x)", tanh(x) ** 2),
    ("tanh-squared-after", r"\tanh(x)^2", tanh(x) ** 2),
    ("text-cosh-squared", r"\text{cosh}^2(x)", cosh(x) ** 2),
    ("tanh-no-parens", r"\tanh x", tanh(x)),
    ("text-sinh", r"\text{sinh}(x)", sinh(x)),
    ("operatorname-tanh", r"\operatorname{tanh}(x)", tanh(x)),
    ("mathrm-tanh", r"\mathrm{tanh}(x)", tanh(x)),
    ("log-natural", r"\log(x)", log(x)),
    ("ln", r"\ln x", log(x)),
    ("max", r"\max(a, b)", Max(a, b)),
    ("min", r"\min(a, b)", Min(a, b)),
    ("abs-bars", "|x|", Abs(x)),
    ("abs-command", r"\abs{x}", Abs(x)),
    ("abs-left-right", r"\left| x \right|", Abs(x)),
    ("sqrt", r"\sqrt{x}", sqrt(x)),
    ("sqrt-nth", r"\sqrt[3]{x}", Pow(x, Rational(1, 3))),
    ("arcsin-inverse-power", r"\sin^{-1} x", sympy.asin(x)),
    # scope names
    ("sigma-applied", r"\sigma(x)", sigma(x)),
    ("sigma-bare", r"\sigma", sigma(x)),
    ("text-softmax", r"\text{Softmax}(x)", F["Softmax"](x)),
    ("softmax-case-insensitive", r"\text{softmax}(x)", F["Softmax"](x)),
    ("subscript-text-name", r"g_{\text{logistic}}(x)", F["g_logistic"](x)),
    ("subscript-letters-name", r"g_{logistic}(x)", F["g_logistic"](x)),
    ("subscript-unbraced-text", r"g_\text{logistic}(x)", F["g_logistic"](x)),
    ("subscript-name-bare", r"g_{\text{tanh}}", F["g_tanh"](x)),
    ("unknown-letter", "a", a),
    ("unknown-greek", r"\alpha", alpha),
    ("unknown-call-is-product", "a(1 - a)", Mul(a, 1 - a)),
    ("function-then-parens", r"\sigma(x)(1 - \sigma(x))", sigma(x) * (1 - sigma(x))),
    # indexed, matrices
    ("indexed-letter", "z_i", z[i]),
    ("indexed-braced", "z_{i}", z[i]),
    ("indexed-number", "z_1", z[1]),
    ("indexed-bold", r"\mathbf{z}_k", z[k]),
    ("indexed-S", "S_k", S[k]),
    ("indexed-unknown-index", "z_m", z[Symbol("m", integer=True)]),
    ("indexed-product", "S_i S_k", S[i] * S[k]),
    ("identity", "I_D", Identity(D)),
    ("identity-braced", "I_{D}", Identity(D)),
    ("identity-bold", r"\mathbf{I}_D", Identity(D)),
    ("ones-vec", r"\vec{1}^{1 \times D}", OneMatrix(1, D)),
    ("ones-mathbf", r"\mathbf{1}^{a\times b}", OneMatrix(Symbol("a", integer=True), Symbol("b", integer=True))),
    ("subscripted-plain-name", "x_0", Symbol("x_0", real=True)),
    ("kronecker-delta", r"S_i(\delta_{ik} - S_k)", S[i] * (sympy.KroneckerDelta(i, k) - S[k])),
    # multiplication and division
    ("cdot", r"a \cdot b", a * b),
    ("times", r"a \times b", a * b),
    ("star", "a * b", a * b),
    ("juxtapose-number", "2x", 2 * x),
    ("juxtapose-parens", "y(1-y)", y * (1 - y)),
    ("juxtapose-groups", "(a)(b)", a * b),
    ("frac", r"\frac{a}{b}", Mul(a, Pow(b, -1))),
    ("dfrac", r"\dfrac{a}{b}", a / b),
    ("tfrac", r"\tfrac{a}{b}", a / b),
    ("frac-digits", r"\frac12", Rational(1, 2)),
    ("over", r"{a \over b}", a / b),
    ("slash", "a / b", a / b),
    ("unary-minus", "-x", Mul(-1, x)),
    ("en-dash-minus", "1 \u2013 x", 1 - x),
    ("em-dash-minus", "1 \u2014 x", 1 - x),
    ("unicode-minus", "1 \u2212 x", 1 - x),
    ("superscript-one-digit", "x^23", 3 * x ** 2),
    # grouping and spacing
    ("brackets", "[a + b]", a + b),
    ("braces-escaped", r"\{a + b\}", a + b),
    ("left-right", r"\left( a + b \right)", a + b),
    ("left-space-paren", r"\left ( a \right )^2", a ** 2),
    ("left-dot", r"\left. a \right|", a),
    ("big", r"\bigl( a \bigr) \Big( b \Big)", a * b),
    ("spacing", r"a \, b \; x \: y \! \quad \qquad ~ \ ", a * b * x * y),
    ("ampersand-ignored", "a & b", a * b),
    ("trailing-period", "x.", x),
    ("trailing-comma", "x,", x),
    ("boxed", r"\boxed{x}", x),
    ("displaystyle", r"\displaystyle x", x),
    ("interval-tuple", r"(-\infty, \infty)", Tuple(-sympy.oo, sympy.oo)),
    # derivatives
    ("mathrm-d", r"\frac{\mathrm{d}}{\mathrm{d}x} x^2", Derivative(x ** 2, x, evaluate=False)),
    ("dfrac-operator", r"\dfrac{d}{dx} \sigma(x)", Derivative(sigma(x), x, evaluate=False)),
    ("operator-stops-at-cdot", r"\frac{d}{dx} \sigma(x) \cdot \frac{du}{dx}",
     Derivative(sigma(x), x, evaluate=False) * Derivative(u(x), x, evaluate=False)),
    ("operator-stops-at-times", r"\frac{\partial}{\partial x} \text{sinh}(x) \times \text{cosh}(x)",
     Derivative(sinh(x), x, evaluate=False) * cosh(x)),
    ("operator-of-quotient", r"\frac{\partial}{\partial x} \frac{\text{sinh}(x)}{\text{cosh}(x)}",
     Derivative(sinh(x) / cosh(x), x, evaluate=False)),
    ("operator-of-group", r"\frac{d}{dx} \left( \frac{u(x)}{v(x)} \right)",
     Derivative(u(x) / v(x), x, evaluate=False)),
    ("operator-takes-product", r"\frac{d}{dx} \sin x \cos x",
     Derivative(sympy.sin(x) * sympy.cos(x), x, evaluate=False)),
    ("operator-stops-at-plus", r"\frac{d}{dx} u + 1", Derivative(u(x), x, evaluate=False) + 1),
    ("operator-wrt-indexed", r"\frac{\partial}{\partial z_k} e^{z_k}", Derivative(exp(z[k]), z[k], evaluate=False)),
    ("operator-wrt-function", r"\frac{d}{du} \sigma", Derivative(sigma(x), u(x), evaluate=False)),
    ("leibniz-functions", r"\frac{d\sigma}{du}", Derivative(sigma(x), u(x), evaluate=False)),
    ("leibniz-u-x", r"\frac{du}{dx}", Derivative(u(x), x, evaluate=False)),
    ("leibniz-indexed", r"\frac{\partial S_i}{\partial z_k}", Derivative(S[i], z[k], evaluate=False)),
    ("leibniz-second", r"\frac{d^2 y}{dx^2}", Derivative(y, (x, 2), evaluate=False)),
    ("leibniz-mixed", r"\frac{\partial^2 \sigma}{\partial x \partial y}",
     Derivative(sigma(x), x, y, evaluate=False)),
    ("frac-not-differential", r"\frac{dx}{2}", Symbol("d", real=True) * x / 2),
    ("prime-curly", "f\u2019(x)", Derivative(f(x), x, evaluate=False)),
    ("prime-unicode", "u\u2032(x)", Derivative(u(x), x, evaluate=False)),
    ("prime-bare", "u'", Derivative(u(x), x, evaluate=False)),
    ("prime-double", "f''(x)", Derivative(f(x), (x, 2), evaluate=False)),
    ("prime-subscript-name", r"g'_{\text{logistic}}(x)", Derivative(F["g_logistic"](x), x, evaluate=False)),
    # sums and products
    ("sum", r"\sum_{j=1}^{n} z_j", Sum(z[j], (j, 1, n))),
    ("sum-limits", r"\sum\limits_{j=1}^{n} e^{z_j}", Sum(exp(z[j]), (j, 1, n))),
    ("sum-no-upper", r"\sum_{j} z_j", Sum(z[j], (j, 1, n))),
    ("sum-index-in-body", r"\sum_{m=0}^{3} m^2",
     Sum(Symbol("m", integer=True) ** 2, (Symbol("m", integer=True), 0, 3))),
    ("sum-body-is-product", r"\sum_{j=1}^{n} z_j S_j + 1", Sum(z[j] * S[j], (j, 1, n)) + 1),
    ("prod", r"\prod_{j=1}^{n} z_j", Product(z[j], (j, 1, n))),
    ("sum-index-from-summand", r"\sum e^{z_k}", Sum(exp(z[k]), (k, 1, n))),
    ("sum-shared-index", r"\sum S_k z_k", Sum(S[k] * z[k], (k, 1, n))),
    ("operator-of-sum", r"\frac{\partial}{\partial z_k} \sum_{j=1}^{n} e^{z_j}",
     Derivative(Sum(exp(z[j]), (j, 1, n)), z[k], evaluate=False)),
    ("ellipsis-unicode", "e^{z_1} + e^{z_2} + \u2026 + e^{z_n}", Sum(exp(z[j]), (j, 1, n))),
    ("ellipsis-cdots", r"z_1 + z_2 + \cdots + z_n", Sum(z[j], (j, 1, n))),
    ("ellipsis-ldots", r"z_1 + \ldots + z_n", Sum(z[j], (j, 1, n))),
    ("ellipsis-dots", r"z_1 + z_2 + \dots + z_{n-1} + z_n", Sum(z[j], (j, 1, n))),
    ("ellipsis-ascii", "S_1 + ... + S_n", Sum(S[j], (j, 1, n))),
    # matrices and determinants
    ("determinant", r"\begin{vmatrix} a & b \\ 1 & y \end{vmatrix}", a * y - b),
    ("determinant-array", r"\left|\begin{array}{cc} a & b \\ 1 & y \end{array}\right|", a * y - b),
    ("matrix-array", r"\left[\begin{array}{cc} a & b \\ 1 & y \end{array}\right]",
     sympy.ImmutableMatrix([[a, b], [1, y]])),
    ("matrix-ellipsis-row", r"\begin{bmatrix} z_1 & \dots & z_n \end{bmatrix}",
     sympy.FunctionMatrix(1, n, sympy.Lambda((ROW, COL), z[COL + 1]))),
    ("matrix-ellipsis-square", r"\begin{bmatrix} S_1 z_1 & \cdots & S_1 z_n \\ \vdots & \ddots & \vdots \\ "
     r"S_n z_1 & \cdots & S_n z_n \end{bmatrix}",
     sympy.FunctionMatrix(n, n, sympy.Lambda((ROW, COL), S[ROW + 1] * z[COL + 1]))),
    ("matrix-ellipsis-zero-based", r"\begin{pmatrix} z_0 \\ \vdots \\ z_{n-1} \end{pmatrix}",
     sympy.FunctionMatrix(n, 1, sympy.Lambda((ROW, COL), z[ROW]))),
    ("matrix-starred", r"\begin{bmatrix*}[r] a & b \\ 1 & y \end{bmatrix*}",
     sympy.ImmutableMatrix([[a, b], [1, y]])),
    ("cases-array", r"\left\{\begin{array}{ll} 1 & x > 0 \\ 0 & \text{otherwise} \end{array}\right.",
     Piecewise((1, x > 0), (0, True))),
    # cases
    ("cases", r"\begin{cases} 1 & \text{if } x > 0 \\ 0 & \text{if } x \leq 0 \end{cases}",
     Piecewise((1, x > 0), (0, x <= 0))),
    ("cases-otherwise", r"\begin{cases} x & x \geq 0 \\ -x & \text{otherwise} \end{cases}",
     Piecewise((x, x >= 0), (-x, True))),
    ("cases-eq-ne", r"\begin{cases} S_k (1 - S_k) & \text{if } i = k \\ -S_i S_k & \text{if } i \neq k \end{cases}",
     Piecewise((S[k] * (1 - S[k]), Eq(i, k)), (-S[i] * S[k], Ne(i, k)))),
    ("cases-for-comma", r"\begin{cases} 1, & \text{for } x < 0 \\ 2, & x \ge 0 \end{cases}",
     Piecewise((1, x < 0), (2, x >= 0))),
    # annotations vanish from the math
    ("annotation-dropped", r"\frac{1}{x} \text{(by chain rule)}", 1 / x),
    ("annotation-bracketed", r"(1 + x)^{-1} \quad[\text{apply chain rule}]", 1 / (1 + x)),
    ("annotation-parenthesized", r"a b \; (\text{by parts})", a * b),
    ("underbrace", r"x \cdot \underbrace{\sigma(x)}_{\text{gate}}", x * sigma(x)),
    ("overbrace", r"\overbrace{a + b}^{\text{sum}} - 1", a + b - 1),
    ("underset", r"\underset{\text{def}}{a} + b", a + b),
    ("color-dropped", r"{\color{red}{-a b}} + \textcolor{blue}{x}", -a * b + x),
    # accents are distinct names
    ("accent-hat", r"\hat{y}", Symbol("y_hat", real=True)),
    ("accent-hat-bare", r"\hat y - y", Symbol("y_hat", real=True) - y),
    ("accent-bar", r"\bar{x}", Symbol("x_bar", real=True)),
    ("accent-tilde-greek", r"\tilde{\alpha}", Symbol("alpha_tilde", real=True)),
    ("accent-dot", r"\dot{x}^2", Symbol("x_dot", real=True) ** 2),
    ("accent-subscript", r"\hat{y}_i", Symbol("y_hat_i", real=True)),
    ("accent-wrt", r"\frac{\partial a}{\partial \hat{y}}",
     Derivative(a, Symbol("y_hat", real=True), evaluate=False)),
    # \partial A / \partial B and \partial_x
    ("partial-slash", r"\partial S_i / \partial z_k", Derivative(S[i], z[k], evaluate=False)),
    ("partial-slash-symbol", r"\partial a / \partial x + 1", Derivative(a, x, evaluate=False) + 1),
    ("partial-subscript", r"\partial_x (x^2 a)", Derivative(x ** 2 * a, x, evaluate=False)),
    ("partial-of-expression", r"\frac{\partial \exp(z_i)}{\partial z_k}",
     Derivative(exp(z[i]), z[k], evaluate=False)),
    ("d-of-group", r"\frac{d(1 + e^{-x})}{dx}", Derivative(1 + exp(-x), x, evaluate=False)),
    ("partial-of-sum", r"\frac{\partial \sum_j e^{z_j}}{\partial z_k}",
     Derivative(Sum(exp(z[j]), (j, 1, n)), z[k], evaluate=False)),
    # a sum leaving one term out
    ("sum-neq", r"\sum_{k \neq i} S_k z_k", Sum(S[k] * z[k], (k, 1, n)) - S[i] * z[i]),
    # matrices
    ("bmatrix", r"\begin{bmatrix} a & b \\ x & 1 \end{bmatrix}", sympy.ImmutableMatrix([[a, b], [x, 1]])),
    ("pmatrix-column", r"\begin{pmatrix} x^2 \\ \frac{1}{2} \\ \end{pmatrix}",
     sympy.ImmutableMatrix([[x ** 2], [Rational(1, 2)]])),
    ("matrix-plain", r"\begin{matrix} a & b \end{matrix}", sympy.ImmutableMatrix([[a, b]])),
]


@pytest.mark.parametrize("latex, expected", [pytest.param(t, e, id=name) for name, t, e in TABLE])
def test_meaning(latex, expected):
    actual = parse_expression(latex, SCOPE)
    assert same(actual, expected), f"{sympy.srepr(actual)} != {sympy.srepr(expected)}"


SCOPED_TABLE = [
    ("matrix-bold", MATRIX_SCOPE, r"\mathbf z", Z),
    ("matrix-boldsymbol", MATRIX_SCOPE, r"\boldsymbol{z}", Z),
    ("matrix-vec", MATRIX_SCOPE, r"\vec z", Z),
    ("matrix-gradient", MATRIX_SCOPE, r"\frac{\partial g(\mathbf z)}{\partial \mathbf z}",
     Derivative(g(Z), Z, evaluate=False)),
    ("e-bound-is-symbol", E_SCOPE, "e^{x}", Pow(Symbol("e", real=True), x)),
    ("d-bound-plain-fraction", D_SCOPE, r"\frac{d}{dx}", Pow(x, -1)),
    ("accent-indexed", Scope(indexed={"y_hat": IndexedBase("y_hat")}, indices=dict(INDICES)),
     r"\hat{y}_i", IndexedBase("y_hat")[i]),
    ("accent-function", Scope(functions={"y_hat": Function("y_hat")}, default_variable=x),
     r"\hat{y}", Function("y_hat")(x)),
    ("plain-word-function", Scope(functions={"softsign": Function("softsign")}, variables={"x": x},
                                  default_variable=x), r"softsign(x)", Function("softsign")(x)),
    ("variable-z-prime", SCOPE_Z, r"g'_{\text{linear}}", Derivative(F["g_linear"](z_var), z_var, evaluate=False)),
]


@pytest.mark.parametrize("scope, latex, expected",
                         [pytest.param(s, t, e, id=name) for name, s, t, e in SCOPED_TABLE])
def test_meaning_in_other_scopes(scope, latex, expected):
    assert same(parse_expression(latex, scope), expected)


def test_derivatives_stay_unevaluated():
    value = parse_expression(r"\frac{d}{dx} x^2", SCOPE)
    assert isinstance(value, Derivative) and value.expr == x ** 2


# -- displays ---------------------------------------------------------------------------

def test_display_chain_and_leading_relation():
    display = parse_display(r"\Rightarrow \frac{d}{dx} \sigma(x) = -\frac{1}{u^2}", SCOPE)
    assert [p.relation for p in display.parts] == [None, "\\Rightarrow", "="]
    assert display.parts[0].expr is None and display.parts[0].text == ""
    assert same(display.parts[1].expr, Derivative(sigma(x), x, evaluate=False))
    assert display.parts[2].text == r"-\frac{1}{u^2}"


def test_display_trailing_relation_is_a_connective():
    text = r"\begin{gather*} a = b \Rightarrow \\ \\ \text{so} \\ \Rightarrow x = 1 \end{gather*}"
    display = parse_display(text, SCOPE)
    assert [(p.relation, p.expr) for p in display.parts] == [
        (None, a), ("=", b), ("\\Rightarrow", None), ("\\Rightarrow", x), ("=", 1)]
    assert display.parts[2].text == "" and display.parts[2].origin.column == 23
    assert [(r.lhs.expr, r.relation, r.rhs.expr) for r in display.relations()] == [
        (a, "=", b), (b, "\\Rightarrow", None), (None, "\\Rightarrow", x), (x, "=", 1)]
    assert [note.text for note in display.annotations] == ["so"]


def test_display_dangling_relation_at_the_end():
    display = parse_display(r"= \frac{1}{x} =", SCOPE)
    assert [(p.relation, p.expr) for p in display.parts] == [(None, None), ("=", 1 / x), ("=", None)]
    assert display.parts[2].origin.column == 15


def test_display_relation_at_end_without_next_relation_is_an_error():
    with pytest.raises(LatexSyntaxError, match="expected an expression after"):
        parse_display(r"a = b \Rightarrow \\ x = 1", SCOPE)


@pytest.mark.parametrize("text, condition, column", [
    pytest.param(r"a = -S_i S_k, \quad i \neq k", r"i \neq k", 21, id="comma-quad"),
    pytest.param(r"a = b \text{ for } i = k", "i = k", 20, id="text-for"),
    pytest.param(r"a = b \quad (i \neq k)", r"i \neq k", 14, id="quad-parens"),
    pytest.param(r"\begin{equation} a = b,\quad i \neq j. \end{equation}", r"i \neq j", 30, id="equation"),
    pytest.param(r"a = b, \text{if } i \not= k", r"i \not= k", 19, id="not-equal"),
])
def test_display_trailing_condition(text, condition, column):
    display = parse_display(text, SCOPE)
    assert [(p.relation, p.text) for p in display.parts][:1] == [(None, "a")]
    assert len(display.relations()) == 1
    assert display.condition == condition and display.condition_origin.column == column
    assert condition in [note.text for note in display.annotations]


def test_display_without_condition_and_cases_keep_theirs():
    assert parse_display("a = b", SCOPE).condition is None
    display = parse_display(r"a = \begin{cases} 1 & \text{if } x > 0 \\ 0 & \text{if } x \leq 0 \end{cases}", SCOPE)
    assert display.condition is None and isinstance(display.parts[1].expr, Piecewise)


def test_not_equal_and_newline():
    display = parse_display(r"a \not= b \newline x = 1", SCOPE)
    assert [(p.relation, p.expr) for p in display.parts] == [(None, a), ("\\neq", b), (None, x), ("=", 1)]


def test_boxed_whole_display_is_unwrapped():
    display = parse_display(r"\boxed{a = b = x}", SCOPE)
    assert [(p.relation, p.expr, p.text) for p in display.parts] == [(None, a, "a"), ("=", b, "b"), ("=", x, "x")]
    assert display.parts[1].origin.column == 12


def test_underbrace_label_is_an_annotation():
    display = parse_display(r"a = x \cdot \underbrace{\sigma(x)}_{\text{gate}}", SCOPE)
    assert [note.text for note in display.annotations] == ["gate"]


def test_display_aligned_rows_and_new_chain():
    display = parse_display(r"\begin{aligned} a &= b \\ &= x \\ y &\leq 2 \end{aligned}", SCOPE)
    assert [(p.relation, p.expr) for p in display.parts] == [(None, a), ("=", b), ("=", x), (None, y), ("\\leq", 2)]
    assert len(display.chains()) == 2 and len(display.relations()) == 3


def test_display_empty_first_column_row_continues_part():
    display = parse_display(r"\begin{align} a &= b \\ &\quad + x \end{align}", SCOPE)
    assert [(p.relation, p.expr) for p in display.parts] == [(None, a), ("=", b + x)]


def test_display_relation_then_ampersand_rows():
    display = parse_display(r"a =& b \\ =& x", SCOPE)
    assert [(p.relation, p.expr) for p in display.parts] == [(None, a), ("=", b), ("=", x)]


def test_display_array_empty_lhs():
    display = parse_display(r"\begin{array}{rcl} &=& b \\ &=& x \end{array}", SCOPE)
    assert [(p.relation, p.expr) for p in display.parts] == [(None, None), ("=", b), ("=", x)]


@pytest.mark.parametrize("text, relation", [
    pytest.param(t, r, id=r.strip("\\") or "eq") for t, r in [
        ("a = b", "="), (r"a \approx b", "\\approx"), (r"a \implies b", "\\implies"),
        ("a < b", "<"), ("a > b", ">"), (r"a \le b", "\\leq"), ("a >= b", "\\geq"),
        (r"a \ne b", "\\neq")]])
def test_display_relations(text, relation):
    assert parse_display(text, SCOPE).parts[1].relation == relation


def test_display_tags_are_annotations():
    display = parse_display(r"x = 1 \tag{2.3}", SCOPE)
    assert [n.text for n in display.annotations] == ["(2.3)"]
    display = parse_display("x = 1 ~~~~~~ (4.1)", SCOPE)
    assert [n.text for n in display.annotations] == ["(4.1)"]
    assert display.annotations[0].origin.column == len("x = 1 ~~~~~~ ") + 1
    assert [p.expr for p in display.parts] == [x, 1]


def test_display_part_origins():
    display = parse_display("a\n  = b", SCOPE, Origin("post.md", 10, 5))
    assert display.parts[1].origin == Origin("post.md", 11, 5)


# -- 2. seed posts -------------------------------------------------------------------------

def seed_displays(name: str):
    text = (SEEDS / name).read_text(encoding="utf-8")
    return [span for span in find_math(text, Origin(name)) if span.display]


SEED_000 = "000_0e0e1611387224ec.txt"
SEED_001 = "001_561817a480d84ffc.txt"


def seed_params():
    if not SEEDS.is_dir():
        return []
    params = []
    for name, scope in ((SEED_000, SCOPE), (SEED_001, SCOPE_Z)):
        for span in seed_displays(name):
            params.append(pytest.param(span, scope, id=f"{name[:3]}-{span.origin.line}-{span.origin.column}"))
    return params


@pytest.mark.parametrize("span, scope", seed_params())
def test_seed_display_parses(span, scope):
    display = parse_display(span.text, scope, span.origin)
    assert display.parts and all(p.origin.file == span.origin.file for p in display.parts)


def test_seed_display_count():
    assert len(seed_displays(SEED_000)) == 30
    assert len(seed_displays(SEED_001)) == 18


def seed_display(name: str, scope: Scope, starts_with: str) -> Display:
    for span in seed_displays(name):
        if span.text.strip().startswith(starts_with):
            return parse_display(span.text, scope, span.origin)
    raise AssertionError(f"no display starts with {starts_with!r}")


def test_seed_sigmoid_chain_rule_line():
    display = seed_display(SEED_000, SCOPE, r"\frac{d}{dx} \sigma(x) = \frac{d}{dx} \sigma(x) \cdot")
    ds = Derivative(sigma(x), x, evaluate=False)
    assert [(p.relation, p.expr) for p in display.parts] == [
        (None, ds), ("=", ds * Derivative(u(x), x, evaluate=False))]
    assert display.parts[0].origin == Origin(SEED_000, 23, 4)


def test_seed_tanh_quotient_line():
    display = seed_display(SEED_000, SCOPE, r"\frac{d}{dx} \left(")
    du, dv = (Derivative(h(x), x, evaluate=False) for h in (u, v))
    assert same(display.parts[0].expr, Derivative(u(x) / v(x), x, evaluate=False))
    assert same(display.parts[1].expr, (v(x) * du - u(x) * dv) / v(x) ** 2)


def test_seed_softmax_ellipsis_line():
    display = seed_display(SEED_000, SCOPE, r"\frac{\partial}{\partial z_k} \sum")
    total = Derivative(Sum(exp(z[j]), (j, 1, n)), z[k], evaluate=False)
    assert [(p.relation, p.expr) for p in display.parts] == [(None, total), ("=", total)]


def test_seed_tag_4_1():
    display = seed_display(SEED_000, SCOPE, r"\Rightarrow \frac{\partial S_i}{\partial z_k} = \frac{e^{z_k}}")
    assert [n.text for n in display.annotations] == ["(4.1)"]
    assert [p.relation for p in display.parts] == [None, "\\Rightarrow", "="]


def test_seed_cases_lines():
    relu = seed_display(SEED_000, SCOPE, r"f'(x) = \begin{cases}")
    assert same(relu.parts[1].expr, Piecewise((1, x > 0), (0, x <= 0)))
    softmax = seed_display(SEED_000, SCOPE, r"\frac{\partial S_i}{\partial z_k} = \begin{cases}")
    assert same(softmax.parts[1].expr, Piecewise((S[k] * (1 - S[k]), Eq(i, k)), (-S[i] * S[k], Ne(i, k))))


def test_seed_logistic_array_chain():
    display = seed_display(SEED_001, SCOPE_Z, r"\begin{array}{rcl} g'_{\text{logistic}}(z) &=&")
    g_logistic = F["g_logistic"](z_var)
    # one left side and seven rows "&=& ...": eight parts
    assert [p.relation for p in display.parts] == [None] + ["="] * 7
    assert same(display.parts[0].expr, Derivative(g_logistic, z_var, evaluate=False))
    assert same(display.parts[-1].expr, g_logistic * (1 - g_logistic))
    assert [n.text for n in display.annotations] == ["(by chain rule)"]
    assert same(display.parts[2].expr, exp(-z_var) / (1 + exp(-z_var)) ** 2)


def test_seed_tanh_array_chain():
    display = seed_display(SEED_001, SCOPE_Z, r"\begin{array}{rcl} g'_{\text{tanh}}(z)")
    dz = (lambda e: Derivative(e, z_var, evaluate=False))
    sh, ch = sinh(z_var), cosh(z_var)
    assert same(display.parts[2].expr, (dz(sh) * ch - dz(ch) * sh) / ch ** 2)
    assert same(display.parts[-1].expr, 1 - tanh(z_var) ** 2)


def test_seed_interval_is_tuple():
    display = seed_display(SEED_001, SCOPE_Z, r"(-\infty")
    assert display.parts[0].expr == Tuple(-sympy.oo, sympy.oo)


# -- 3. errors ---------------------------------------------------------------------------

ERRORS = [
    ("unclosed-brace", r"\frac{a}{b", 1, 9, "unclosed '{'"),
    ("extra-brace", "a + b}", 1, 6, "unexpected '}'"),
    ("unknown-command", r"x + \foo", 1, 5, r"unknown command \foo"),
    ("undeclared-function", "h(x)", 1, 1, "'h(x)': h is not a declared function (declare it in [let])"),
    ("undeclared-prime", "h'(x)", 1, 1, "'h'': h is not a declared function"),
    ("empty", "", 1, 1, "empty expression"),
    ("blank", "  ", 1, 3, "empty expression"),
    ("deep-nesting", "(" * 500 + "x" + ")" * 500, 1, 201, "nested too deeply"),
    ("deep-braces", "{" * 500 + "x" + "}" * 500, 1, 201, "nested too deeply"),
    ("line-two", "a + b\n  + \\foo", 2, 5, r"unknown command \foo"),
    ("line-two-unclosed", "a\n + (b + c d", 2, 12, "expected ')'"),  # (b + c) d or (b + c d)
    ("relation-in-expression", "a = b", 1, 3, "unexpected relation '='"),
    ("unclosed-paren", "(a + b c", 1, 9, "expected ')' to close '(' at <string>:1:1"),
    ("unclosed-abs", "|a", 1, 3, "expected '|'"),
    ("missing-right", r"\left( a", 1, 9, r"expected \right"),
    ("bad-end", r"\begin{cases} 1 & x > 0 \end{array}", 1, 25, r"\end{array} does not match"),
    ("unclosed-env", r"\begin{cases} 1 & x > 0", 1, 1, "never closed"),
    ("cases-without-condition", r"\begin{cases} 1 \end{cases}", 1, 17, "expected '&'"),
    ("unknown-environment", r"\begin{CD} 1 \end{CD}", 1, 1, "unsupported environment"),
    ("matrix-ellipsis-without-pattern", r"\begin{bmatrix} x_1 & \dots & x_n \end{bmatrix}", 1, 1,
     "cannot infer the entries"),
    ("matrix-vdots", r"\begin{pmatrix} a \\ \vdots \end{pmatrix}", 1, 1, "cannot infer the entries"),
    ("matrix-ragged", r"\begin{bmatrix} a & b \\ c \end{bmatrix}", 1, 1, "different lengths"),
    ("matrix-in-matrix", r"\begin{bmatrix} \begin{bmatrix} 2 \end{bmatrix} \end{bmatrix}", 1, 17,
     "entry must be an expression"),
    ("determinant-not-square", r"\begin{vmatrix} a & b \end{vmatrix}", 1, 1, "must be square"),
    ("accent-on-expression", r"\hat{x+1}", 1, 1, "single letter"),
    ("prod-neq", r"\prod_{k \neq i} z_k", 1, 10, r"\prod over k \neq"),
    ("max-over-index", r"-\max_k(z_k)", 1, 2, "max over an index"),
    ("not-in", r"i \not\in S", 1, 3, r"\not\in is not understood"),
    ("partial-slash-power", r"\partial L / \partial w^2", 1, 1, "orders do not match"),  # at the derivative, as for \frac
    ("partial-slash-expression", r"\partial (a) / \partial x", 1, 1, r"\partial A / \partial x"),
    ("operator-without-operand", r"\frac{d}{dx}", 1, 13, "needs an operand"),
    ("order-mismatch", r"\frac{d}{dx^2} y", 1, 1, "orders do not match"),
    ("prime-on-expression", "f'(x^2)", 1, 1, "must be one symbol"),
    ("ellipsis-without-pattern", r"a + \dots + b", 1, 5, "cannot infer"),
    ("ellipsis-at-end", r"z_1 + z_2 + \dots", 1, 13, "cannot read"),
    ("sum-without-index", r"\sum x", 1, 1, "cannot tell the index"),
    ("sum-with-two-free-indices", r"\sum z_i S_j", 1, 1, "cannot tell the index"),
    ("double-superscript", "x^2^3", 1, 4, "double superscript"),
    ("tuple-arithmetic", "(a, b) + 1", 1, 1, "cannot take part in arithmetic"),
    ("bad-character", "x @ y", 1, 3, "unexpected character '@'"),
    ("subscript-expression", "x_{i+1}", 1, 1, "declare x as indexed"),
    ("text-only", r"\text{hello}", 1, 13, "expected an expression"),
    ("partial-alone", r"\partial x", 1, 1, r"\partial"),
    ("undeclared-text-function", r"1 + \text{ReLU}(x)", 1, 5, "ReLU is not a declared function"),
    ("delta-one-index", r"\delta_{i}", 1, 1, "two indices"),
]


@pytest.mark.parametrize("text, line, column, message",
                         [pytest.param(t, ln, c, m, id=name) for name, t, ln, c, m in ERRORS])
def test_errors(text, line, column, message):
    with pytest.raises(LatexSyntaxError) as caught:
        parse_expression(text, SCOPE)
    assert message in caught.value.message
    assert (caught.value.origin.line, caught.value.origin.column) == (line, column)


def test_error_origin_is_shifted_from_base():
    with pytest.raises(LatexSyntaxError) as caught:
        parse_display("a = b\n  = c + \\foo", SCOPE, Origin("d.toml", 7, 12))
    assert caught.value.origin == Origin("d.toml", 8, 9)
    assert str(caught.value).startswith("d.toml:8:9: unknown command \\foo")


@pytest.mark.parametrize("text, message", [
    pytest.param("", "empty display", id="empty"),
    pytest.param("= ", "expected an expression after =", id="relation-alone"),
    pytest.param("a = b c + d )", "unexpected ')'", id="stray-paren"),  # (b c + d) or b (c + d)
])
def test_display_errors(text, message):
    with pytest.raises(LatexSyntaxError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_display(text, SCOPE)


# -- 4. fuzzing: tests/test_fuzz.py (located errors, time limits, the round-trip property) --


# -- 5. round trip through sympy.latex -------------------------------------------------------

ROUND_TRIP = [name for name, _, _ in TABLE if name in {
    "integer", "decimal-exact", "e-power-is-exp", "e-negative", "exp-command", "tanh-squared-before",
    "text-cosh-squared", "log-natural", "max", "min", "abs-bars", "sqrt", "sqrt-nth", "sigma-applied",
    "unknown-greek", "unknown-call-is-product", "frac", "unary-minus", "juxtapose-parens",
    "deriv-operator-sigma", "prime-declared-f", "prime-double", "leibniz-u-x", "sum", "sum-limits",
    "prod", "cases", "cases-otherwise", "indexed-product", "operator-of-quotient", "arcsin-inverse-power",
    "subscript-text-name",
}]


@pytest.mark.parametrize("expected", [pytest.param(e, id=name) for name, _, e in TABLE if name in ROUND_TRIP])
def test_round_trip_through_sympy_latex(expected):
    printed = sympy.latex(expected)
    parsed = parse_expression(printed, SCOPE)
    difference = (parsed - expected) if not isinstance(expected, Piecewise) else None
    if difference is None:
        assert parsed == expected, printed
    else:
        assert sympy.simplify(difference.doit()) == 0, printed


def test_round_trip_covers_enough():
    assert len(ROUND_TRIP) >= 30


def test_find_math_spans_and_origins():
    text = "Let \\( u = 1 \\) so\n\\[ a = b \\]\n$$c$$ and $d$."
    spans = find_math(text, Origin("post.txt"))
    assert [(s.text.strip(), s.display) for s in spans] == [("u = 1", False), ("a = b", True),
                                                              ("c", True), ("d", False)]
    assert spans[1].origin == Origin("post.txt", 2, 3)


def test_part_text_excludes_trailing_period():
    display = parse_display("a = b.", SCOPE)
    assert display.parts[1].text == "b" and display.parts[1].expr == b


def test_part_is_frozen():
    part = Part(None, x, Origin(), "x")
    with pytest.raises(AttributeError):
        part.expr = y  # type: ignore[misc]


def test_prime_on_a_builtin_function_is_its_derivative():
    import sympy
    from symderive.latex import parse_expression
    from symderive.latex.scope import Scope

    x = sympy.Symbol("x", real=True)
    scope = Scope(variables={"x": x}, default_variable=x)
    assert parse_expression("\\tanh'(x)", scope) == sympy.Derivative(sympy.tanh(x), x, evaluate=False)
    assert parse_expression("\\sinh''(x)", scope) == sympy.Derivative(sympy.sinh(x), (x, 2), evaluate=False)


def test_full_stop_between_factors_is_a_product_and_bare_reciprocal():
    import sympy
    from symderive.latex import parse_expression
    from symderive.latex.scope import Scope

    x = sympy.Symbol("x", real=True)
    s, a = sympy.Function("s"), sympy.Function("a")
    scope = Scope(variables={"x": x}, default_variable=x, functions={"s": s, "a": a})
    assert parse_expression("s.(1 - s)", scope) == s(x) * (1 - s(x))
    assert parse_expression("x^2.", scope) == x**2  # a final full stop is punctuation
    assert parse_expression("a^{-1}", scope) == 1 / a(x)  # bare: the reciprocal of the value


# -- the package's shape: no import cycle, modules one can read in a sitting -----------------

LATEX_PACKAGE = Path(__file__).resolve().parents[1] / "symderive" / "latex"


def latex_import_graph() -> dict[str, set[str]]:
    """Every relative import between the modules of symderive/latex, those
    under ``if TYPE_CHECKING`` included (import-linter counts them too)."""
    import ast

    graph = {}
    for path in sorted(LATEX_PACKAGE.glob("*.py")):
        imported = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                imported |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
        graph[path.stem] = {name for name in imported if (LATEX_PACKAGE / f"{name}.py").exists()}
    return graph


def test_the_latex_package_has_no_import_cycle():
    graph = latex_import_graph()
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, f"import cycle: {' -> '.join(path + (module,))}"
        if module in done:
            return
        for imported in graph[module]:
            visit(imported, path + (module,))
        done.add(module)

    for module in graph:
        visit(module, ())
    assert "parser" in graph and graph["names"], "the graph was read"


def test_every_latex_module_is_under_400_lines():
    lengths = {path.name: len(path.read_text().splitlines()) for path in LATEX_PACKAGE.glob("*.py")}
    assert {name: length for name, length in lengths.items() if length >= 400} == {}


def test_a_scalar_named_delta_leaves_two_indexed_delta_to_kronecker():
    """Huber's threshold delta beside dyhat_i/dyhat_k = delta_ik: a number has
    no entries, so delta_{ik} is Kronecker's delta and \\delta alone the number."""
    i, k = (sympy.Symbol(n, integer=True, positive=True) for n in "ik")
    delta = sympy.Symbol("delta", positive=True)
    y = IndexedBase("y", real=True)
    scope = Scope(variables={"delta": delta}, indexed={"y": y}, indices={"i": i, "k": k})
    assert parse_expression(r"\delta_{ik} y_i", scope) == sympy.KroneckerDelta(i, k) * y[i]
    assert parse_expression(r"\delta y_k", scope) == delta * y[k]
    vector = Scope(indexed={"y": y, "delta": IndexedBase("delta", real=True)}, indices={"i": i, "k": k})
    assert not parse_expression(r"\delta_{ik}", vector).has(sympy.KroneckerDelta)  # declared indexed: an entry
