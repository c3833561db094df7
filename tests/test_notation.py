"""The notation real posts use, one class at a time (issue 14, item 3).

Each case is a tiny post with one claim. The relation is also built by hand
in SymPy, and an independent oracle (``sympy.diff``/``doit`` then mpmath at
random points) says whether it holds: the tool must prove the true
relation and refute every wrong variant. Where a class is about reading,
the parsed expression is compared with the one built by hand.
"""

from __future__ import annotations

import random
import time

import pytest
import sympy
from sympy import Derivative, Function, IndexedBase, Symbol

from symderive.latex import parse_expression
from symderive.post.check import check_post
from symderive.post.names import infer_scope

SIGMOID = sympy.Lambda(sympy.Symbol("t"), 1 / (1 + sympy.exp(-sympy.Symbol("t"))))
DEFINITIONS = {"sigma": SIGMOID}
x, w, c = (Symbol(name, real=True) for name in "xwc")
m = Symbol("m", integer=True, positive=True)
i = Symbol("i", integer=True, positive=True)
sigma = Function("sigma")


# -- the oracle ------------------------------------------------------------------------

def concrete(expr: sympy.Basic) -> sympy.Basic:
    """Undefined functions replaced by their definitions, derivatives done."""
    for name, body in DEFINITIONS.items():
        expr = expr.replace(Function(name), body)
    return expr.doit()


def holds(lhs: sympy.Basic, rhs: sympy.Basic, trials: int = 6) -> bool:
    """lhs = rhs at random points, to 40 digits (symbols matched by name;
    a symbolic sum limit is given small integer values first, then every
    element x[i] of a family its own value)."""
    difference = concrete(lhs) - concrete(rhs)
    rng = random.Random(14)
    for _ in range(trials):
        limits = {s: rng.randint(1, 4) for s in difference.free_symbols if s.is_integer}
        value = concrete(difference.subs(limits))
        atoms = value.atoms(sympy.Indexed) | {s for s in value.free_symbols
                                               if not isinstance(s, sympy.Indexed)}
        atoms -= {s for a in value.atoms(sympy.Indexed) for s in a.base.free_symbols}
        point = {a: sympy.Rational(rng.randint(-30, 30), 7) for a in atoms}
        value = concrete(value.xreplace(point))
        if abs(sympy.N(value, 40)) > sympy.Float("1e-30"):
            return False
    return True


def same_value(parsed: sympy.Basic, built: sympy.Basic) -> bool:
    """The parsed and hand-built expressions agree, symbols matched by name."""
    names = {s: Symbol(str(s), real=True) for s in parsed.free_symbols | built.free_symbols
             if not s.is_integer}
    return holds(parsed.xreplace(names), built.xreplace(names))


# -- the tool ---------------------------------------------------------------------------

def verdict_of_claim(post: str) -> str:
    """The verdict of the post's one claim (the last relation it checks)."""
    report = check_post(post, "notation.md", timeout=10)
    claims = report.claims()
    assert claims, (post, report.unreadable)
    return claims[-1].verdict


def expected(lhs: sympy.Basic, rhs: sympy.Basic) -> str:
    return "proved" if holds(lhs, rhs) else "refuted"


def check_case(prelude: str, lhs_tex: str, rhs_tex: str, lhs: sympy.Basic, rhs: sympy.Basic) -> None:
    post = f"{prelude}\n\n$${lhs_tex} = {rhs_tex}$$\n"
    assert verdict_of_claim(post) == expected(lhs, rhs), post


def parsed(prelude: str, tex: str) -> sympy.Basic:
    """``tex`` read with the scope inferred from the whole post."""
    texts = [piece for piece in prelude.split("$") if piece.strip()] + [tex]
    return parse_expression(tex, infer_scope(texts))


def run_class(cases, case_id):
    prelude, lhs_tex, lhs, variants = cases[case_id]
    truths = [holds(lhs, rhs) for _, rhs in variants]
    assert truths[0] and not any(truths[1:]), "the first variant is the true one, the others wrong"
    for rhs_tex, rhs in variants:
        check_case(prelude, lhs_tex, rhs_tex, lhs, rhs)


def run_class_as_numbers(cases, case_id):
    """As run_class, for a claim whose names the author marks as vectors
    (bold, transposed) and the post's scope reads as numbers: the oracle's
    true variant holds for numbers, which is only the one-dimensional case
    of the author's claim, so it is unknown, never proved; the wrong ones,
    wrong for numbers already, are refuted."""
    prelude, lhs_tex, lhs, variants = cases[case_id]
    truths = [holds(lhs, rhs) for _, rhs in variants]
    assert truths[0] and not any(truths[1:]), "the first variant is the true one, the others wrong"
    for (rhs_tex, rhs), truth in zip(variants, truths):
        post = f"{prelude}\n\n$${lhs_tex} = {rhs_tex}$$\n"
        assert verdict_of_claim(post) == ("unknown" if truth else "refuted"), post


# -- 1. indexed names used as variables ------------------------------------------------------

theta_j, theta_0, theta_1 = (Symbol(name, real=True) for name in ("theta_j", "theta_0", "theta_1"))
x_1, x_2, y_1 = (Symbol(name, real=True) for name in ("x_1", "x_2", "y_1"))
w_ij, x_j = Symbol("w_ij", real=True), Symbol("x_j", real=True)

INDEXED_NAMES = {
    "symbolic-index": ("", r"\frac{\partial}{\partial \theta_j} \theta_j^3",
                       Derivative(theta_j**3, theta_j),
                       [(r"3\theta_j^2", 3 * theta_j**2), (r"3\theta_j", 3 * theta_j)]),
    "numeric-index": ("", r"\frac{\partial}{\partial \theta_0} (\theta_0 + \theta_1 x)^2",
                      Derivative((theta_0 + theta_1 * x)**2, theta_0),
                      [(r"2(\theta_0 + \theta_1 x)", 2 * (theta_0 + theta_1 * x)),
                       (r"2x(\theta_0 + \theta_1 x)", 2 * x * (theta_0 + theta_1 * x))]),
    "defined-indexed-name": ("Let $y_1 = x_1^2 + x_2^3$.", r"\frac{\partial y_1}{\partial x_2}",
                             Derivative(x_1**2 + x_2**3, x_2),
                             [(r"3x_2^2", 3 * x_2**2), (r"2x_1", 2 * x_1), (r"3x_2", 3 * x_2)]),
    "double-index": ("", r"\frac{\partial}{\partial w_{ij}} \sigma(w_{ij} x_j)",
                     Derivative(sigma(w_ij * x_j), w_ij),
                     [(r"x_j \sigma(w_{ij} x_j)(1 - \sigma(w_{ij} x_j))",
                       x_j * sigma(w_ij * x_j) * (1 - sigma(w_ij * x_j))),
                      (r"\sigma(w_{ij} x_j)(1 - \sigma(w_{ij} x_j))",
                       sigma(w_ij * x_j) * (1 - sigma(w_ij * x_j)))]),
}


@pytest.mark.parametrize("case", sorted(INDEXED_NAMES))
def test_indexed_names_as_variables(case):
    run_class(INDEXED_NAMES, case)


THETA = IndexedBase("theta", real=True)
BOUND = {
    "greek-vector": ("", r"\frac{\partial}{\partial \theta_k} \sum_{j=1}^{n} \theta_j x_j",
                     Derivative(sympy.Sum(THETA[Symbol("j", integer=True, positive=True)]
                                          * IndexedBase("x", real=True)[Symbol("j", integer=True, positive=True)],
                                          (Symbol("j", integer=True, positive=True), 1, 3)),
                                THETA[2]),
                     [(r"x_k", IndexedBase("x", real=True)[2]), (r"2x_k", 2 * IndexedBase("x", real=True)[2])]),
}


@pytest.mark.parametrize("case", sorted(BOUND))
def test_a_name_indexed_by_a_sum_index_varies_with_it(case):
    """θ_j inside Σ_j is the j-th θ, not one name: the oracle fixes n = 3, k = 2."""
    prelude, lhs_tex, lhs, variants = BOUND[case]
    truths = [holds(lhs, rhs) for _, rhs in variants]
    assert truths == [True, False]
    verdicts = [verdict_of_claim(f"$${lhs_tex} = {rhs_tex}$$") for rhs_tex, _ in variants]
    assert verdicts == ["proved", "refuted"]


def test_a_wrong_sum_of_indexed_greek_names_is_not_proved():
    """Σ_j θ_j x_j = θ_j Σ_j x_j is false (θ_j varies with j)."""
    assert verdict_of_claim(r"$$\sum_{j=1}^{n} \theta_j x_j = \theta_j \sum_{j=1}^{n} x_j$$") != "proved"


@pytest.mark.parametrize("tex", [r"\sum_{j=1}^{n} a_j", r"\sum_{j=1}^{n} a_{j}", r"\sum_{j=1}^{n} \alpha_j"])
def test_a_subscript_naming_the_sum_index_is_an_element_even_undeclared(tex):
    """Without a scope that makes a a vector, a_j inside the sum over j
    still depends on j (never the single name a_j)."""
    from symderive.latex import Scope
    value = parse_expression(tex, Scope())
    assert isinstance(value.function, sympy.Indexed)


# -- 2. superscripts that are labels; primes ----------------------------------------------

h_l, a_l = IndexedBase("h^()", real=True)[Symbol("l", integer=True, positive=True)], None
u_next, h_L = Symbol("u^(L+1)", real=True), Symbol("h^(L)", real=True)
X, Y = IndexedBase("x^()", real=True), IndexedBase("y^()", real=True)
f = Function("f")

LABELS = {
    "layer-label": ("", r"\frac{\partial}{\partial h^{(l)}} (h^{(l)})^3", Derivative(h_l**3, h_l),
                    [(r"3(h^{(l)})^2", 3 * h_l**2), (r"3(h^{(l)})^3", 3 * h_l**3)]),
    "bracket-label": ("", r"\frac{d}{d a^{[2]}} e^{a^{[2]}}",
                      Derivative(sympy.exp(Symbol("a^[2]", real=True)), Symbol("a^[2]", real=True)),
                      [(r"e^{a^{[2]}}", sympy.exp(Symbol("a^[2]", real=True))),
                       (r"a^{[2]} e^{a^{[2]}}",
                        Symbol("a^[2]", real=True) * sympy.exp(Symbol("a^[2]", real=True)))]),
    "defined-label": ("$$u^{(L+1)} = 3 h^{(L)} + c$$", r"\frac{\partial u^{(L+1)}}{\partial h^{(L)}}",
                      Derivative(3 * h_L + c, h_L), [("3", sympy.Integer(3)), (r"3 h^{(L)}", 3 * h_L)]),
    "samples": ("", r"\frac{\partial}{\partial w} \frac{1}{m}\sum_{i=1}^{m} (w x^{(i)} - y^{(i)})^2",
                Derivative(sympy.Sum((w * X[i] - Y[i])**2, (i, 1, m)) / m, w),
                [(r"\frac{2}{m}\sum_{i=1}^{m} x^{(i)} (w x^{(i)} - y^{(i)})",
                  2 / m * sympy.Sum(X[i] * (w * X[i] - Y[i]), (i, 1, m))),
                 (r"\frac{2}{m}\sum_{i=1}^{m} (w x^{(i)} - y^{(i)})",
                  2 / m * sympy.Sum(w * X[i] - Y[i], (i, 1, m))),
                 (r"\frac{1}{m}\sum_{i=1}^{m} x^{(i)} (w x^{(i)} - y^{(i)})",
                  1 / m * sympy.Sum(X[i] * (w * X[i] - Y[i]), (i, 1, m)))]),
}


@pytest.mark.parametrize("case", sorted(LABELS))
def test_superscript_labels(case):
    run_class(LABELS, case)


@pytest.mark.parametrize("tex, name", [
    (r"x^{(i)}", "x^()"), (r"u^{( L + 1 )}", "u^(L+1)"), (r"a^{[l]}", "a^[]"), (r"x_j^{(i)}", "x^()"),
])
def test_a_label_is_a_name_never_a_power(tex, name):
    value = parsed("", tex)
    assert not value.is_Pow
    base = value.base.name if isinstance(value, sympy.Indexed) else value.name
    assert base == name


def test_a_sum_over_labelled_samples_is_not_m_times_one_sample():
    """x^{(i)} inside the sum over i depends on i: Σ x^{(i)} = m x^{(1)} is false."""
    post = r"$$\sum_{i=1}^{m} x^{(i)} = m x^{(1)}$$"
    assert verdict_of_claim(post) == "refuted"


PRIME_POST = "$$f(x) = x^3$$\n\n$$f{primes}(x) = {rhs}$$\n"


@pytest.mark.parametrize("primes, order", [("'", 1), ("''", 2), ("\u2019", 1), ("\u2032", 1),
                                           ("\u2032\u2032", 2), ("^{(2)}", 2)])
def test_primes(primes, order):
    derivative = sympy.diff(x**3, x, order)
    for rhs in (derivative, derivative + x):
        post = PRIME_POST.format(primes=primes, rhs=sympy.latex(rhs))
        assert verdict_of_claim(post) == expected(Derivative(x**3, (x, order)), rhs), post


# -- 7. a function name written bare stands for its value --------------------------------

BARE = {
    "sigma-bare": ("", r"\frac{d}{dx}\sigma(x)", Derivative(sigma(x), x),
                   [(r"\sigma(1-\sigma)", sigma(x) * (1 - sigma(x))),
                    (r"\sigma(1+\sigma)", sigma(x) * (1 + sigma(x))),
                    (r"\sigma(1-\sigma(x))^2", sigma(x) * (1 - sigma(x))**2)]),
    "defined-value": ("$$y = \\sigma(x)$$", r"\frac{dy}{dx}", Derivative(sigma(x), x),
                      [(r"y(1-y)", sigma(x) * (1 - sigma(x))), (r"y(1+y)", sigma(x) * (1 + sigma(x))),
                       (r"(1-y)", 1 - sigma(x))]),
    "power-of-bare": ("", r"\frac{d}{dx}\sigma^2(x)", Derivative(sigma(x)**2, x),
                      [(r"2\sigma^2(1-\sigma)", 2 * sigma(x)**2 * (1 - sigma(x))),
                       (r"\sigma^2(1-\sigma)", sigma(x)**2 * (1 - sigma(x)))]),
}


@pytest.mark.parametrize("case", sorted(BARE))
def test_bare_function_name_is_its_value(case):
    run_class(BARE, case)


def test_a_written_argument_is_still_an_application():
    assert same_value(parsed("", r"\sigma(\sigma(x))"), sigma(sigma(x)))
    assert same_value(parsed("", r"\sigma(2x)"), sigma(2 * x))


# -- 8. function arguments without parentheses ---------------------------------------------

@pytest.mark.parametrize("tex, built", [
    (r"\sin 2x", sympy.sin(2 * x)), (r"\cosh 2x", sympy.cosh(2 * x)),
    (r"\sin \pi x", sympy.sin(sympy.pi * x)),
    (r"\log 2x", sympy.log(2 * x)), (r"\tanh^2 x", sympy.tanh(x)**2), (r"\sin 2x^2", sympy.sin(2 * x**2)),
    (r"\sin x \cos x", sympy.sin(x) * sympy.cos(x)), (r"\sin x + 1", sympy.sin(x) + 1),
    (r"\tanh x (1 - \tanh x)", sympy.tanh(x) * (1 - sympy.tanh(x))),
    (r"\sin x e^{x}", sympy.sin(x) * sympy.exp(x)), (r"2\cos 2x \cdot x", 2 * sympy.cos(2 * x) * x),
])
def test_arguments_without_parentheses_are_read_as_readers_take_them(tex, built):
    assert same_value(parsed("", tex), built)


ARGUMENTS = {
    "sin-2x": ("", r"\frac{d}{dx} \sin 2x", Derivative(sympy.sin(2 * x), x),
               [(r"2\cos 2x", 2 * sympy.cos(2 * x)), (r"\cos 2x", sympy.cos(2 * x)),
                (r"2\cos(2)x", 2 * sympy.cos(2) * x)]),
    "sin-pi-x": ("", r"\frac{d}{dx} \sin \pi x", Derivative(sympy.sin(sympy.pi * x), x),
                 [(r"\pi \cos \pi x", sympy.pi * sympy.cos(sympy.pi * x)), (r"\cos \pi x", sympy.cos(sympy.pi * x))]),
    "log-2x": ("", r"\frac{d}{dx} \log 2x", Derivative(sympy.log(2 * x), x),
               [(r"\frac{1}{x}", 1 / x), (r"\frac{2}{x}", 2 / x)]),
    "tanh-squared": ("", r"\frac{d}{dx} \tanh^2 x", Derivative(sympy.tanh(x)**2, x),
                     [(r"2\tanh x (1 - \tanh^2 x)", 2 * sympy.tanh(x) * (1 - sympy.tanh(x)**2)),
                      (r"2\tanh x", 2 * sympy.tanh(x))]),
    "cosh-2x": ("", r"\frac{d}{dx} \cosh 2x", Derivative(sympy.cosh(2 * x), x),
                [(r"2\sinh 2x", 2 * sympy.sinh(2 * x)), (r"2\sinh x", 2 * sympy.sinh(x))]),
}


@pytest.mark.parametrize("case", sorted(ARGUMENTS))
def test_arguments_without_parentheses_in_claims(case):
    run_class(ARGUMENTS, case)


# -- reading is bounded (issue 15) -------------------------------------------------------------

def test_a_huge_power_is_a_located_error_at_once():
    post = "Intro\n\n$$\\left(\\left(\\frac32\\right)^{5000}\\right)^{9999} = 1$$\n"
    start = time.perf_counter()
    report = check_post(post, "huge.md", timeout=5)
    assert time.perf_counter() - start < 5
    (unreadable,) = report.unreadable
    assert (unreadable.line, unreadable.column) == (3, 43)  # the outer power's caret
    assert "number too large" in unreadable.evidence.reason


# -- 4. cases with text conditions ----------------------------------------------------------

RELU_SQUARED = sympy.Piecewise((x**2, x > 0), (0, True))
DEFINITIONS_OF_F = [
    r"\begin{cases} x^2 & \text{if $x$ > 0} \\ 0 & \text{otherwise} \end{cases}",
    r"\begin{cases} x^2 & \text{if } x > 0 \\ 0 & \text{else} \end{cases}",
    r"\begin{cases} x^2, & x > 0 \\ 0; & x \leq 0 \end{cases}",
    r"\begin{cases} x^2 \quad x > 0 \\ 0 \quad x \leq 0 \end{cases}",
    r"\begin{cases} x^2 , x > 0 \\ 0 \text{ if x < 0} \\ 0 ; \text{else} \end{cases}",
    r"\begin{cases} x^2 & \text{for $x>0$,} \\ 0 & \text{if $x \le 0$.} \end{cases}",
    r"\begin{cases} x^2 \qquad \text{if $x>0$} \\ 0 \qquad \text{otherwise.} \end{cases}",
]
CLAIMS_OF_F = [  # (LaTeX of f'(x), its value built by hand)
    (r"\begin{cases} 2x & \text{if } x > 0 \\ 0 & \text{otherwise} \end{cases}",
     sympy.Piecewise((2 * x, x > 0), (0, True))),
    (r"\begin{cases} 2x & \text{if } x > 0 \\ 1 & \text{else} \end{cases}",
     sympy.Piecewise((2 * x, x > 0), (1, True))),
    (r"\begin{cases} 2x \quad x > 1 \\ 0 \quad x \leq 1 \end{cases}",
     sympy.Piecewise((2 * x, x > 1), (0, True))),
    (r"\begin{cases} x & \text{if $x$ > 0} \\ 0 & \text{otherwise} \end{cases}",
     sympy.Piecewise((x, x > 0), (0, True))),
]


@pytest.mark.parametrize("definition", DEFINITIONS_OF_F, ids=range(len(DEFINITIONS_OF_F)))
def test_cases_with_text_conditions_are_read(definition):
    assert same_value(parsed("", definition), RELU_SQUARED)


@pytest.mark.parametrize("definition", DEFINITIONS_OF_F, ids=range(len(DEFINITIONS_OF_F)))
def test_cases_with_text_conditions_in_claims(definition):
    lhs = Derivative(RELU_SQUARED, x)
    truths = [holds(lhs, rhs) for _, rhs in CLAIMS_OF_F]
    assert truths == [True, False, False, False]
    for rhs_tex, rhs in CLAIMS_OF_F:
        check_case(f"$$f(x) = {definition}$$", "f'(x)", rhs_tex, lhs, rhs)


# -- 3. functions written as words or operators; decorated names ------------------------------

y_hat, x_bar, z_tilde, L_cal = (Symbol(name, real=True) for name in ("y_hat", "x_bar", "z_tilde", "L_cal"))
theta = Symbol("theta", real=True)
h_theta = Function("h_theta")

WORDS = {
    "sigmoid-word": ("", r"\frac{d}{dx} sigmoid(x)", Derivative(sigma(x), x),
                     [(r"sigmoid(x)(1 - sigmoid(x))", sigma(x) * (1 - sigma(x))),
                      (r"sigmoid(x)(1 + sigmoid(x))", sigma(x) * (1 + sigma(x)))]),
    "operatorname": ("", r"\frac{d}{dx} \operatorname{sigmoid}(x)", Derivative(sigma(x), x),
                     [(r"\operatorname{sigmoid}(x)(1 - \operatorname{sigmoid}(x))", sigma(x) * (1 - sigma(x))),
                      (r"\operatorname{sigmoid}(x)", sigma(x))]),
    "words-without-backslash": ("", r"\frac{d}{dx} \left(exp(2x) + log(x) + tanh(x)\right)",
                                Derivative(sympy.exp(2 * x) + sympy.log(x) + sympy.tanh(x), x),
                                [(r"2exp(2x) + 1/x + 1 - tanh(x)^2",
                                  2 * sympy.exp(2 * x) + 1 / x + 1 - sympy.tanh(x)**2),
                                 (r"exp(2x) + 1/x + 1 - tanh(x)^2",
                                  sympy.exp(2 * x) + 1 / x + 1 - sympy.tanh(x)**2)]),
    "mathrm-tanh": ("", r"\frac{d}{dx} \mathrm{tanh}(x)", Derivative(sympy.tanh(x), x),
                    [(r"1 - \mathrm{tanh}^2(x)", 1 - sympy.tanh(x)**2), (r"1 + \mathrm{tanh}^2(x)", 1 + sympy.tanh(x)**2)]),
    "subscripted-hypothesis": ("Let $h_\\theta(x) = \\sigma(\\theta x)$.", r"\frac{d}{dx} \log h_\theta(x)",
                               Derivative(sympy.log(sigma(theta * x)), x),
                               [(r"\theta(1 - h_\theta(x))", theta * (1 - sigma(theta * x))),
                                (r"\theta h_\theta(x)", theta * sigma(theta * x)),
                                (r"1 - h_\theta(x)", 1 - sigma(theta * x))]),
    "hat-bar-tilde": ("", r"\frac{\partial}{\partial \hat{y}} (\hat{y} - \bar{x})^2 \tilde{z}",
                      Derivative((y_hat - x_bar)**2 * z_tilde, y_hat),
                      [(r"2(\hat{y} - \bar{x})\tilde{z}", 2 * (y_hat - x_bar) * z_tilde),
                       (r"2(\hat{y} - \bar{x})", 2 * (y_hat - x_bar)),
                       (r"2(y - \bar{x})\tilde{z}", 2 * (Symbol("y", real=True) - x_bar) * z_tilde)]),
    "mathcal": ("$$\\mathcal{L} = (w - 1)^2$$", r"\frac{\partial \mathcal{L}}{\partial w}",
                Derivative((w - 1)**2, w), [(r"2(w - 1)", 2 * (w - 1)), (r"2w", 2 * w)]),
}
BOLD = {  # bold names read as numbers: the one-dimensional case (see run_class_as_numbers)
    "boldsymbol-mathbf": ("", r"\frac{\partial}{\partial \boldsymbol{\theta}} \boldsymbol{\theta}^2 \mathbf{x}",
                          Derivative(theta**2 * x, theta),
                          [(r"2\boldsymbol{\theta} \mathbf{x}", 2 * theta * x), (r"2\boldsymbol{\theta}", 2 * theta)]),
}


@pytest.mark.parametrize("case", sorted(WORDS))
def test_functions_as_words_and_decorated_names(case):
    run_class(WORDS, case)


@pytest.mark.parametrize("case", sorted(BOLD))
def test_bold_names_read_as_numbers(case):
    run_class_as_numbers(BOLD, case)


@pytest.mark.parametrize("tex, built", [
    (r"Cost(h_\theta(x), y)", Function("Cost")(h_theta(x), Symbol("y", real=True))),
    (r"L(y, \hat{y})", Function("L")(Symbol("y", real=True), y_hat)),
    (r"\frac{\partial L(y, \hat{y})}{\partial \hat{y}}", Derivative(Function("L")(Symbol("y", real=True), y_hat), y_hat)),
    (r"\mathcal{L} + L", L_cal + Symbol("L", real=True)),
    (r"\hat{y} \bar{x} \tilde{z}", y_hat * x_bar * z_tilde),
])
def test_multi_argument_functions_and_decorated_names_are_read(tex, built):
    value = parsed(f"${tex}$", tex)
    assert sympy.srepr(value) == sympy.srepr(built)


def test_a_multi_argument_function_claim():
    """With L undefined, the prover proves the true step; the wrong one
    (L's derivative in y instead of ŷ) is never proved."""
    lhs = r"\frac{\partial}{\partial \hat{y}} \left(L(y, \hat{y}) + \hat{y}^2\right)"
    true = rf"$${lhs} = \frac{{\partial L(y, \hat{{y}})}}{{\partial \hat{{y}}}} + 2\hat{{y}}$$"
    wrong = rf"$${lhs} = \frac{{\partial L(y, \hat{{y}})}}{{\partial y}} + 2\hat{{y}}$$"
    assert verdict_of_claim(true) == "proved"
    assert verdict_of_claim(wrong) != "proved"


# -- 6. loose sums and averages ------------------------------------------------------------------

T, XS, YS = IndexedBase("t", real=True), IndexedBase("x", real=True), IndexedBase("y", real=True)
k, j, n = (Symbol(name, integer=True, positive=True) for name in "kjn")
i0, k0 = Symbol("i", integer=True), Symbol("k", integer=True)  # a dummy that may be 0

SUMS = {
    "index-from-summand": ("", r"\sum e^{t_k}", sympy.Sum(sympy.exp(T[k]), (k, 1, n)),
                           [(r"\sum_{k=1}^{n} e^{t_k}", sympy.Sum(sympy.exp(T[k]), (k, 1, n))),
                            (r"\sum_{k=0}^{n} e^{t_k}", sympy.Sum(sympy.exp(T[k0]), (k0, 0, n))),
                            (r"\sum_{k=1}^{n} e^{t_k} + 1", sympy.Sum(sympy.exp(T[k]), (k, 1, n)) + 1)]),
    "subscript-without-braces": ("", r"\sum_k t_k^2", sympy.Sum(T[k]**2, (k, 1, n)),
                                 [(r"\sum_{k} t_k t_k", sympy.Sum(T[k] * T[k], (k, 1, n))),
                                  (r"\sum_{k} 2t_k", sympy.Sum(2 * T[k], (k, 1, n)))]),
    "average-one-based": ("", r"\frac{\partial}{\partial w} \frac{1}{m}\sum_{i=1}^{m} (w x_i - y_i)^2",
                          Derivative(sympy.Sum((w * XS[i] - YS[i])**2, (i, 1, m)) / m, w),
                          [(r"\frac{2}{m}\sum_{i=1}^{m} x_i (w x_i - y_i)",
                            2 / m * sympy.Sum(XS[i] * (w * XS[i] - YS[i]), (i, 1, m))),
                           (r"\frac{2}{m}\sum_{i=0}^{m-1} x_i (w x_i - y_i)",
                            2 / m * sympy.Sum(XS[i0] * (w * XS[i0] - YS[i0]), (i0, 0, m - 1)))]),
    "average-zero-based": ("", r"\frac{\partial}{\partial w} \frac{1}{m}\sum_{i=0}^{m-1} (w x_i - y_i)^2",
                           Derivative(sympy.Sum((w * XS[i0] - YS[i0])**2, (i0, 0, m - 1)) / m, w),
                           [(r"\frac{2}{m}\sum_{i=0}^{m-1} x_i (w x_i - y_i)",
                             2 / m * sympy.Sum(XS[i0] * (w * XS[i0] - YS[i0]), (i0, 0, m - 1))),
                            (r"\frac{1}{m}\sum_{i=0}^{m-1} x_i (w x_i - y_i)",
                             1 / m * sympy.Sum(XS[i0] * (w * XS[i0] - YS[i0]), (i0, 0, m - 1)))]),
}


@pytest.mark.parametrize("case", sorted(SUMS))
def test_loose_sums_and_averages(case):
    run_class(SUMS, case)


# -- 5. matrices, determinants, Jacobians --------------------------------------------------------

a, b, cc, d = (Symbol(name, real=True) for name in ("a", "b", "c", "d"))
ROW, COL = Symbol("row", integer=True, nonnegative=True), Symbol("col", integer=True, nonnegative=True)
MATRIX = sympy.ImmutableMatrix([[a, b], [cc, d]])
MATRIX_FORMS = [
    (r"\begin{bmatrix} a & b \\ c & d \end{bmatrix}", MATRIX),
    (r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", MATRIX),
    (r"\begin{Bmatrix} a & b \\ c & d \end{Bmatrix}", MATRIX),
    (r"\begin{bmatrix*}[r] a & b \\ c & d \end{bmatrix*}", MATRIX),
    (r"\begin{pmatrix*} a & b \\ c & d \end{pmatrix*}", MATRIX),
    (r"\left[\begin{array}{cc} a & b \\ c & d \end{array}\right]", MATRIX),
    (r"\left(\begin{array}{rr} a & b \\ c & d \end{array}\right)", MATRIX),
    (r"\begin{vmatrix} a & b \\ c & d \end{vmatrix}", a * d - b * cc),
    (r"\left|\begin{array}{cc} a & b \\ c & d \end{array}\right|", a * d - b * cc),
    (r"\begin{vmatrix*} a & b \\ c & d \end{vmatrix*}", a * d - b * cc),
]


@pytest.mark.parametrize("tex, built", MATRIX_FORMS, ids=[tex.split("}")[0] + "}" for tex, _ in MATRIX_FORMS])
def test_matrix_environments_are_read(tex, built):
    assert parsed("", tex) == built


Y_, X_ = IndexedBase("y", real=True), IndexedBase("x", real=True)
JACOBIAN_GENERAL = sympy.FunctionMatrix(n, n, sympy.Lambda((ROW, COL), Derivative(Y_[ROW + 1], X_[COL + 1])))
ELLIPSIS_FORMS = [
    (r"\frac{\partial(y_1,\dots,y_n)}{\partial(x_1,\dots,x_n)}", JACOBIAN_GENERAL),
    (r"\frac{\partial \left(y_1, \ldots, y_n\right)}{\partial (x_1, x_2, \ldots, x_n)}", JACOBIAN_GENERAL),
    (r"\begin{bmatrix} \frac{\partial y_1}{\partial x_1} & \cdots & \frac{\partial y_1}{\partial x_n} \\ "
     r"\vdots & \ddots & \vdots \\ \frac{\partial y_n}{\partial x_1} & \cdots & \frac{\partial y_n}{\partial x_n}"
     r" \end{bmatrix}", JACOBIAN_GENERAL),
    (r"\begin{bmatrix} x_1 & x_2 & \cdots & x_n \end{bmatrix}",
     sympy.FunctionMatrix(1, n, sympy.Lambda((ROW, COL), X_[COL + 1]))),
    (r"\begin{pmatrix} x_0 \\ \vdots \\ x_{n-1} \end{pmatrix}",
     sympy.FunctionMatrix(n, 1, sympy.Lambda((ROW, COL), X_[ROW]))),
    (r"\frac{\partial(y_1, y_2)}{\partial(x_1, x_2)}",
     sympy.ImmutableMatrix([[Derivative(Y_[r], X_[c]) for c in (1, 2)] for r in (1, 2)])),
]


@pytest.mark.parametrize("tex, built", ELLIPSIS_FORMS, ids=range(len(ELLIPSIS_FORMS)))
def test_dots_matrices_and_jacobians_are_read(tex, built):
    assert parsed("$x_i y_i$", tex) == built


def test_a_transposed_jacobian_is_read_as_a_different_matrix():
    transposed = (r"\begin{bmatrix} \frac{\partial y_1}{\partial x_1} & \cdots & \frac{\partial y_n}{\partial x_1}"
                  r" \\ \vdots & \ddots & \vdots \\ \frac{\partial y_1}{\partial x_n} & \cdots & "
                  r"\frac{\partial y_n}{\partial x_n} \end{bmatrix}")
    built = sympy.FunctionMatrix(n, n, sympy.Lambda((ROW, COL), Derivative(Y_[COL + 1], X_[ROW + 1])))
    assert parsed("$x_i y_i$", transposed) == built != JACOBIAN_GENERAL


def test_determinant_claims():
    lhs = r"\begin{vmatrix} a & b \\ c & d \end{vmatrix}"
    for rhs_tex, rhs in ((r"ad - bc", a * d - b * cc), (r"ad + bc", a * d + b * cc), (r"ad", a * d)):
        check_case("", lhs, rhs_tex, a * d - b * cc, rhs)


x1, x2 = X_[1], X_[2]
MATRIX_CLAIMS = {
    "jacobian": ("Let $y_1 = x_1 x_2$ and $y_2 = x_1 + x_2^2$.", r"\frac{\partial(y_1, y_2)}{\partial(x_1, x_2)}",
                 sympy.ImmutableMatrix([[x2, x1], [1, 2 * x2]]),
                 [(r"\begin{bmatrix} x_2 & x_1 \\ 1 & 2x_2 \end{bmatrix}", sympy.ImmutableMatrix([[x2, x1], [1, 2 * x2]])),
                  (r"\begin{bmatrix} x_1 & x_2 \\ 1 & 2x_2 \end{bmatrix}", sympy.ImmutableMatrix([[x1, x2], [1, 2 * x2]]))]),
    "vector-derivative": ("", r"\frac{d}{dx}\begin{pmatrix} x^2 \\ \sin x \end{pmatrix}",
                          sympy.ImmutableMatrix([2 * x, sympy.cos(x)]),
                          [(r"\begin{pmatrix} 2x \\ \cos x \end{pmatrix}", sympy.ImmutableMatrix([2 * x, sympy.cos(x)])),
                           (r"\begin{pmatrix} 2x \\ \sin x \end{pmatrix}", sympy.ImmutableMatrix([2 * x, sympy.sin(x)]))]),
}


def matrix_holds(lhs, rhs) -> bool:
    return lhs.shape == rhs.shape and all(holds(p, q) for p, q in zip(lhs, rhs))


@pytest.mark.parametrize("case", sorted(MATRIX_CLAIMS))
def test_matrix_claims(case):
    """A true matrix step proved, a wrong entry refuted (this needs the
    prover to compare explicit matrices entry by entry)."""
    prelude, lhs_tex, lhs, variants = MATRIX_CLAIMS[case]
    assert [matrix_holds(lhs, rhs) for _, rhs in variants] == [True, False]
    for rhs_tex, rhs in variants:
        post = f"{prelude}\n\n$${lhs_tex} = {rhs_tex}$$\n"
        assert verdict_of_claim(post) == ("proved" if matrix_holds(lhs, rhs) else "refuted"), post


def test_a_bare_multi_argument_function_stands_for_its_application():
    """After L(y, ŷ), a bare L is L(y, ŷ) (not L of the default variable), so
    ∂L/∂ŷ is not 0 by accident: '∂L/∂ŷ = 0' is never proved."""
    prelude = r"$L(y, \hat{y}) = (y - \hat{y})^2$"
    value = parsed(prelude, r"\frac{\partial L}{\partial \hat{y}}")
    assert value == Derivative(Function("L")(Symbol("y", real=True), y_hat), y_hat)
    post = "$$L(y, \\hat{y}) = (y - \\hat{y})^2$$\n\n$$\\frac{\\partial L}{\\partial \\hat{y}} = 0$$\n"
    assert verdict_of_claim(post) != "proved"
