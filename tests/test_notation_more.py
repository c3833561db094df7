"""More notation real posts use (corpus posts 17-36, issue 14 item 3, issue 15).

As in ``test_notation``: each class is a tiny post whose claim is also built
by hand in SymPy; the independent oracle (``sympy.doit`` then 40-digit
evaluation at random points) says which variant holds, and the tool must
prove the true one and refute every wrong one. Where a class is about
reading, the parsed expression is compared with the hand-built one.
"""

from __future__ import annotations

import mpmath
import pytest
import sympy
from sympy import Derivative, Function, Symbol

from symderive.errors import LatexSyntaxError
from symderive.latex import Scope, parse_display, parse_expression
from symderive.post.check import check_post
from test_notation import holds, parsed, run_class, run_class_as_numbers, same_value, sigma, verdict_of_claim

x = Symbol("x", real=True)
a = Symbol("a", real=True)
E = sympy.exp


def claims(post: str) -> list[str]:
    report = check_post(post, "notation.md", timeout=10)
    assert not report.unreadable, report.unreadable
    return [claim.verdict for claim in report.claims()]


# -- 1. braces around a differential or an operand change nothing ----------------------------

BRACES = {
    "braced-differential": ("", r"\frac{d}{{dx}}{e^x}", Derivative(E(x), x),
                            [(r"{e^x}", E(x)), (r"-{e^x}", -E(x)), (r"{e^{2x}}", E(2 * x))]),
    "braced-numerator-and-operand": ("", r"\frac{{d}}{{{dx}}}\left( {\tanh x} \right)",
                                     Derivative(sympy.tanh(x), x),
                                     [(r"1 - {\tanh^2 x}", 1 - sympy.tanh(x)**2),
                                      (r"1 + {\tanh^2 x}", 1 + sympy.tanh(x)**2)]),
    "braced-named-numerator": ("", r"\frac{{d\sigma}}{{dx}}", Derivative(sigma(x), x),
                               [(r"\sigma(1-\sigma)", sigma(x) * (1 - sigma(x))),
                                (r"\sigma(1+\sigma)", sigma(x) * (1 + sigma(x)))]),
}


@pytest.mark.parametrize("case", sorted(BRACES))
def test_braces_around_a_differential(case):
    run_class(BRACES, case)


@pytest.mark.parametrize("tex", [r"\frac{d}{{dx}}{e^x}", r"\frac{{d}}{{dx}}e^x", r"\frac{d}{{{dx}}}{{e^x}}"])
def test_braces_do_not_change_the_reading(tex):
    assert same_value(parsed("", tex), Derivative(E(x), x))


# -- 2. operator names: known inverses are functions, unknown ones applications --------------

OPERATOR_NAMES = {
    "artanh": ("", r"\frac{d}{dx}\operatorname{artanh}(x)", Derivative(sympy.atanh(x), x),
               [(r"\frac{1}{1-x^2}", 1 / (1 - x**2)), (r"\frac{1}{1+x^2}", 1 / (1 + x**2))]),
    "arsinh": ("", r"\frac{d}{dx}\operatorname{arsinh}(x)", Derivative(sympy.asinh(x), x),
               [(r"\frac{1}{\sqrt{x^2+1}}", 1 / sympy.sqrt(x**2 + 1)),
                (r"\frac{1}{\sqrt{x^2+2}}", 1 / sympy.sqrt(x**2 + 2))]),
    "logit-of-sigmoid": ("", r"\operatorname{logit}(\sigma(x))", x,
                         [(r"x", x), (r"-x", -x), (r"2x", 2 * x)]),
    "mathrm-arcosh": ("", r"\cosh(\mathrm{arcosh}(x))", sympy.cosh(sympy.acosh(x)),
                      [(r"x", x), (r"-x", -x)]),
}


@pytest.mark.parametrize("case", sorted(OPERATOR_NAMES))
def test_known_operator_names_are_their_functions(case):
    run_class(OPERATOR_NAMES, case)


@pytest.mark.parametrize("tex, built", [
    (r"\operatorname{artanh}(\tanh x)", sympy.atanh(sympy.tanh(x))),
    (r"\operatorname{arctanh}(x)", sympy.atanh(x)), (r"\operatorname{atanh}(x)", sympy.atanh(x)),
    (r"\operatorname{arsinh}(\sinh x)", sympy.asinh(sympy.sinh(x))),
    (r"\operatorname{arcosh}(x)", sympy.acosh(x)), (r"\operatorname{arccosh}(x)", sympy.acosh(x)),
    (r"\operatorname{arcoth}(x)", sympy.acoth(x)),
    (r"\operatorname{logit}(p)", sympy.log(Symbol("p", real=True) / (1 - Symbol("p", real=True)))),
])
def test_operator_names_are_read_as_functions(tex, built):
    assert same_value(parsed("", tex), built)


def test_inverse_of_a_function_applied_to_it_is_not_refuted():
    """artanh(tanh x) = x holds for every real x; a wrong variant is refuted."""
    assert verdict_of_claim(r"$$\operatorname{artanh}(\tanh x) = x$$") != "refuted"
    assert verdict_of_claim(r"$$\operatorname{arsinh}(\sinh x) = x$$") != "refuted"
    assert verdict_of_claim(r"$$\operatorname{artanh}(\tanh x) = 2x$$") == "refuted"


def test_an_unknown_operator_name_is_an_applied_function():
    value = parsed("", r"\operatorname{foo}(x^2 + 1)")
    assert isinstance(value, sympy.core.function.AppliedUndef)
    assert value.func.__name__ == "foo" and value.args == (x**2 + 1,)
    assert Symbol("foo", real=True) not in value.free_symbols


def test_an_unknown_operator_name_is_not_a_factor():
    """foo(x + 1) = foo·x + foo holds only if foo is a number times its
    argument: read as an application it is no identity."""
    assert verdict_of_claim(r"$$\operatorname{foo}(x + 1) = \operatorname{foo} x + \operatorname{foo}$$") \
        != "proved"


# -- 3. notation from the corpus -----------------------------------------------------------------

CORPUS_NOTATION = {
    "e-to-minus-x-without-braces": ("", r"\frac{d}{dx} e^-x", Derivative(E(-x), x),
                                    [(r"-e^{-x}", -E(-x)), (r"e^{-x}", E(-x))]),
    "prime-as-superscript": ("$$f(x) = x^3$$", r"f^{'}(x)", Derivative(x**3, x),
                             [(r"3x^2", 3 * x**2), (r"3x", 3 * x)]),
    "backtick-prime": ("$$f(x) = x^3$$", r"f^{`}(x)", Derivative(x**3, x),
                       [(r"3x^2", 3 * x**2), (r"x^2", x**2)]),
    "two-primes-as-superscript": ("$$f(x) = x^3$$", r"f^{''}(x)", Derivative(x**3, (x, 2)),
                                  [(r"6x", 6 * x), (r"3x^2", 3 * x**2)]),
    "prime-command": ("$$f(x) = x^3$$", r"f^\prime(x)", Derivative(x**3, x),
                      [(r"3x^2", 3 * x**2), (r"3x", 3 * x)]),
    "prime-on-a-parenthesis": ("", "(1+\\exp(-x))\u2019", Derivative(1 + E(-x), x),
                               [(r"-\exp(-x)", -E(-x)), (r"\exp(-x)", E(-x))]),
    "rm-erf": ("", r"\frac{d}{dx}{\rm erf}(x)", Derivative(sympy.erf(x), x),
               [(r"\frac{2}{\sqrt{\pi}} e^{-x^2}", 2 / sympy.sqrt(sympy.pi) * E(-x**2)),
                (r"e^{-x^2}", E(-x**2))]),
    "euler-D": ("", r"D(e^{-x}) + D(1)", Derivative(E(-x), x),
                [(r"-e^{-x}", -E(-x)), (r"e^{-x}", E(-x))]),
    "euler-D-left-right": ("", r"D\left(\frac1{1+e^{-x}}\right)", Derivative(1 / (1 + E(-x)), x),
                           [(r"\frac{e^{-x}}{(1+e^{-x})^2}", E(-x) / (1 + E(-x))**2),
                            (r"\frac{-e^{-x}}{(1+e^{-x})^2}", -E(-x) / (1 + E(-x))**2)]),
    "glued-sinhx": ("", r"\frac{d}{dx}sinhx", Derivative(sympy.sinh(x), x),
                    [(r"coshx", sympy.cosh(x)), (r"-coshx", -sympy.cosh(x)), (r"sinhx", sympy.sinh(x))]),
    "glued-tanhx": ("", r"\frac{d}{dx}tanhx", Derivative(sympy.tanh(x), x),
                    [(r"1-tanh^2(x)", 1 - sympy.tanh(x)**2), (r"1+tanh^2(x)", 1 + sympy.tanh(x)**2)]),
    "over": ("", r"{d \over dx} {1 \over {1 + {e^{ - x}}}}", Derivative(1 / (1 + E(-x)), x),
             [(r"{{e^{ - x}} \over {{{\left( {1 + {e^{ - x}}} \right)}^2}}}", E(-x) / (1 + E(-x))**2),
              (r"{1 \over {{{\left( {1 + {e^{ - x}}} \right)}^2}}}", 1 / (1 + E(-x))**2)]),
}


@pytest.mark.parametrize("case", sorted(CORPUS_NOTATION))
def test_corpus_notation_in_claims(case):
    run_class(CORPUS_NOTATION, case)


@pytest.mark.parametrize("tex, built", [
    (r"1 / (1 + e^-x)", 1 / (1 + E(-x))), (r"e^-x", E(-x)), (r"e^+x", E(x)),
    (r"sinhx", sympy.sinh(x)), (r"coshx + tanhx", sympy.cosh(x) + sympy.tanh(x)), (r"logx", sympy.log(x)),
    (r"{\rm erf}(x)", sympy.erf(x)), (r"{\rm erfc}(x/\sqrt2)", sympy.erfc(x / sympy.sqrt(2))),
    ("(x^2)\u2019", Derivative(x**2, x)),
])
def test_corpus_notation_is_read_as_readers_take_it(tex, built):
    assert same_value(parsed("", tex), built)


def test_a_glued_letter_that_is_no_variable_is_not_an_argument():
    """``cost`` with t no variable stays c·o·s·t (not cos t)."""
    names = [Symbol(letter, real=True) for letter in "cost"]
    assert parsed("", "cost") == sympy.Mul(*names)


def test_D_is_a_variable_when_the_post_declares_it():
    D = Symbol("D", real=True)
    scope = Scope(variables={"x": x, "D": D}, default_variable=x)
    assert parse_expression(r"D(x + 1)", scope) == D * (x + 1)


def test_eqalign_rows_are_a_chain():
    post = (r"$$\eqalign{ & f\left( x \right) = {x^3} \cr & f'\left( x \right) = {3x^2} \cr "
            r"& f''\left( x \right) = {3x} \cr}$$")
    assert claims(post) == ["proved", "refuted"]
    assert holds(Derivative(x**3, x), 3 * x**2) and not holds(Derivative(x**3, (x, 2)), 3 * x)


def test_primes_in_align_star():
    post = ("$$\\begin{align*}f(x)=&\\ x^2 + 1\\\\ f\u2019(x)=&\\ (x^2 + 1)\u2019\\\\=&\\ 2x"
            "\\\\=&\\ 2x + 1\\end{align*}$$")
    assert claims(post) == ["proved", "proved", "refuted"]


def test_equations_separated_by_commas_are_each_checked():
    post = (r"$$sinh(x)=\frac{e^x-e^{-x}}{2}, \quad cosh(x)=\frac{e^x-e^{-x}}{2}, \quad "
            r"tanh(x)=\frac{sinh(x)}{cosh(x)}$$")
    report = check_post(post, "notation.md", timeout=10)
    verdicts = [type(relation.evidence).__name__ for relation in report.relations]
    assert verdicts == ["Proved", "Refuted", "Proved"]
    assert holds(sympy.sinh(x), (E(x) - E(-x)) / 2) and not holds(sympy.cosh(x), (E(x) - E(-x)) / 2)


def test_cases_drawn_as_a_matrix_inside_a_brace():
    built = sympy.Piecewise((x, x > 0), (a * x, sympy.And(x <= 0, a > 0)))
    tex = r"\left\{\begin{matrix*}[l] x & x > 0 \\ ax & x <= 0, & a > 0 \\ \end{matrix*}\right."
    assert parsed("", tex) == built
    post = ("$$g(x) = \\left\\{\\begin{matrix*}[l] x^2 & x > 0 \\\\ -x & x <= 0 \\\\ \\end{matrix*}\\right.$$\n\n"
            "$$g'(x) = \\left\\{\\begin{matrix} 2x & x > 0 \\\\ -1 & x <= 0 \\end{matrix}\\right.$$\n\n"
            "$$g'(x) = \\left\\{\\begin{matrix} 2x & x > 0 \\\\ 1 & x <= 0 \\end{matrix}\\right.$$")
    assert claims(post) == ["proved", "refuted"]


def test_an_escaped_underscore_joins_a_name():
    scope = Scope(variables={"x": x}, default_variable=x, functions={"leaky_relu": Function("leaky_relu")})
    assert parse_expression(r"leaky\_relu(x)", scope) == Function("leaky_relu")(x)


def test_zero_width_spaces_are_spacing():
    assert parsed("", "2\u200bx") == 2 * x


# -- 4. floor, ceiling, sign ---------------------------------------------------------------------

ROUNDING = {
    "floor-shift": ("", r"\lfloor x + 1 \rfloor", sympy.floor(x + 1),
                    [(r"\lfloor x \rfloor + 1", sympy.floor(x) + 1), (r"\lfloor x \rfloor", sympy.floor(x)),
                     (r"\lceil x \rceil + 1", sympy.ceiling(x) + 1)]),
    "ceil-left-right": ("", r"\left\lceil x + 2 \right\rceil", sympy.ceiling(x + 2),
                        [(r"\left\lceil x \right\rceil + 2", sympy.ceiling(x) + 2),
                         (r"\left\lfloor x \right\rfloor + 2", sympy.floor(x) + 2)]),
    "operatorname-floor": ("", r"\operatorname{floor}(x) + 3", sympy.floor(x) + 3,
                           [(r"\operatorname{floor}(x + 3)", sympy.floor(x + 3)),
                            (r"\operatorname{ceil}(x + 3)", sympy.ceiling(x + 3))]),
    "sgn": ("", r"\operatorname{sgn}(x) \cdot x", sympy.sign(x) * x,
            [(r"|x|", abs(x)), (r"-|x|", -abs(x)), (r"x", x)]),
    "sign": ("", r"\operatorname{sign}(x) |x|", sympy.sign(x) * abs(x),
             [(r"x", x), (r"|x|", abs(x))]),
}


@pytest.mark.parametrize("case", sorted(ROUNDING))
def test_floor_ceiling_and_sign(case):
    run_class(ROUNDING, case)


@pytest.mark.parametrize("tex, built", [
    (r"\lfloor x \rfloor", sympy.floor(x)), (r"\lceil x/2 \rceil", sympy.ceiling(x / 2)),
    (r"\left\lfloor \frac{x}{3} \right\rfloor", sympy.floor(x / 3)),
    (r"\operatorname{ceil}(x)", sympy.ceiling(x)), (r"\operatorname{sgn}(x)", sympy.sign(x)),
])
def test_floor_and_ceiling_are_read(tex, built):
    assert same_value(parsed("", tex), built)


def test_an_unclosed_floor_is_a_located_error():
    with pytest.raises(LatexSyntaxError, match="rfloor"):
        parse_expression(r"\lfloor x + 1", Scope(variables={"x": x}, default_variable=x))


# -- 5. connectives ------------------------------------------------------------------------------

@pytest.mark.parametrize("connective", [r"\therefore", r"\iff", r"\Leftrightarrow", r"\because"])
def test_connectives_are_relations(connective):
    display = parse_display(rf"a = b {connective} c = d", Scope(variables={}))
    assert connective in [relation.relation for relation in display.relations()]


CONNECTIVES = {
    name: ("$$f(x) = x^3$$", rf"{lead} f'(x)", Derivative(x**3, x),
           [(r"3x^2", 3 * x**2), (r"3x", 3 * x)])
    for name, lead in [("therefore", r"\therefore"), ("iff", r"x^2 = x \cdot x \iff"),
                       ("leftrightarrow", r"x^2 = x \cdot x \Leftrightarrow"), ("unicode-therefore", "\u2234")]
}


@pytest.mark.parametrize("case", sorted(CONNECTIVES))
def test_connectives_in_claims(case):
    run_class(CONNECTIVES, case)


# -- 6. trailing conditions with signed numbers ------------------------------------------------

CONDITIONS = {
    "log-above-minus-one": ("", r"\frac{d}{dx} \log(1+x)", Derivative(sympy.log(1 + x), x),
                            [(r"\frac{1}{1+x}, \quad x > -1", 1 / (1 + x)),
                             (r"\frac{1}{1-x}, \quad x > -1", 1 / (1 - x))]),
}


@pytest.mark.parametrize("case", sorted(CONDITIONS))
def test_conditions_with_negative_numbers(case):
    run_class(CONDITIONS, case)


@pytest.mark.parametrize("bound", ["-1/2", "-0.5", "- 1"])
def test_a_condition_with_a_negative_bound_restricts_the_claim(bound):
    """d|x|/dx = -1 only where x < 0: proved under x < bound, and 1 refuted."""
    for point in (-0.6, -3.0, -10.0):
        assert mpmath.diff(abs, point) == -1
    assert verdict_of_claim(rf"$$\frac{{d}}{{dx}} |x| = -1, \quad x < {bound}$$") == "proved"
    assert verdict_of_claim(rf"$$\frac{{d}}{{dx}} |x| = 1, \quad x < {bound}$$") == "refuted"


# -- 7. small numbers in exponents ---------------------------------------------------------------

TINY = {
    "tiny-rate": ("", r"\frac{d}{dx} e^{10^{-60}x}", Derivative(E(x / 10**60), x),
                  [(r"10^{-60} e^{10^{-60}x}", E(x / 10**60) / 10**60), (r"e^{10^{-60}x}", E(x / 10**60))]),
}


@pytest.mark.parametrize("case", sorted(TINY))
def test_small_numbers_in_exponents(case):
    run_class(TINY, case)


def test_exponent_guard_bounds_magnitude_and_digits():
    scope = Scope(variables={"x": x}, default_variable=x)
    assert parse_expression(r"e^{10^{-60}x}", scope) == E(x / 10**60)
    assert parse_expression(r"x^{10^{-60}}", scope) == x**sympy.Rational(1, 10**60)
    for huge in (r"x^{10^{5}}", r"x^{1/10^{100}}", r"10^{5000}", r"\left(\left(\frac32\right)^{5000}\right)^{9999}"):
        with pytest.raises(LatexSyntaxError, match="too large"):
            parse_expression(huge, scope)


# -- 8. transposes -------------------------------------------------------------------------------

def test_transposes_are_read():
    w, b = Symbol("w", real=True), Symbol("b", real=True)
    W, v = sympy.MatrixSymbol("W", 3, 3), sympy.MatrixSymbol("v", 3, 1)
    scope = Scope(variables={"x": x, "w": w, "b": b}, matrices={"W": W, "v": v}, default_variable=x)
    read = [parse_expression(tex, scope) for tex in
            (r"w^T x + b", r"W^\top", r"W^{T}", r"\mathbf{v}^\intercal W \mathbf{v}", r"W^{\mathsf{T}} W")]
    assert read == [w * x + b, W.T, W.T, v.T * W * v, W.T * W]
    assert parse_expression(r"e^T", scope) == E(Symbol("T", real=True))  # e and numbers: a power
    assert parse_expression(r"2^T", scope) == 2 ** Symbol("T", real=True)


TRANSPOSES = {
    "scalar-weight": ("", r"\frac{d}{dx} (w^T x + b)", Derivative(Symbol("w", real=True) * x, x),
                      [(r"w", Symbol("w", real=True)), (r"x", x), (r"w^2", Symbol("w", real=True)**2)]),
}


@pytest.mark.parametrize("case", sorted(TRANSPOSES))
def test_transposes_in_claims(case):
    run_class_as_numbers(TRANSPOSES, case)


# -- 9. a decorated name applied to several arguments is a function ----------------------------------

y_ = Symbol("y", real=True)
LOSS = -(y_ * sympy.log(a) + (1 - y_) * sympy.log(1 - a))
MULTI_ARGUMENT = {
    "calligraphic-loss": ("$$\\mathcal{L}(a, y) = -\\big(y\\log a + (1-y)\\log(1 - a)\\big)$$",
                          r"\frac{\partial}{\partial a} \mathcal{L}(a, y)", Derivative(LOSS, a),
                          [(r"-\frac{y}{a} + \frac{1-y}{1-a}", -y_ / a + (1 - y_) / (1 - a)),
                           (r"-\frac{y}{a} - \frac{1-y}{1-a}", -y_ / a - (1 - y_) / (1 - a)),
                           (r"\frac{y}{a} + \frac{1-y}{1-a}", y_ / a + (1 - y_) / (1 - a))]),
}


@pytest.mark.parametrize("case", sorted(MULTI_ARGUMENT))
def test_a_decorated_name_applied_to_several_arguments(case):
    run_class(MULTI_ARGUMENT, case)


@pytest.mark.parametrize("tex, name, arity", [
    (r"\mathcal{L}(a, y)", "L_cal", 2), (r"\hat{y}(a, b) + 1", "y_hat", 2), (r"g(a, b, c)", "g", 3),
])
def test_a_name_before_a_list_of_arguments_is_applied(tex, name, arity):
    """A name times a list means nothing, so the list holds its arguments;
    one argument in parentheses stays a product (a(1 - a))."""
    value = parse_expression(tex, Scope())
    applied = [f for f in value.atoms(sympy.Function) if f.func.__name__ == name]
    assert len(applied) == 1 and len(applied[0].args) == arity
    assert parse_expression(r"a(1 - a)", Scope()) == a * (1 - a)


# -- 10. a word in text before a parenthesis is a function, not prose to drop -----------------------

@pytest.mark.parametrize("claim", [r"\text{foo}(2x) = 2x", r"\text{bar} (x + 1) = x + 1"])
def test_an_unknown_word_applied_to_math_is_unreadable(claim):
    """Dropping the word as prose would prove foo(2x) = 2x."""
    report = check_post(f"$${claim}$$\n", "word.md", timeout=10)
    assert report.claims() == () or all(step.verdict != "proved" for step in report.claims())
    assert report.unreadable and "not a known function" in report.unreadable[0].evidence.reason


def test_a_joining_word_before_a_parenthesis_stays_prose():
    """x = \\text{so } (2x)/2: 'so' joins the sentence; the claim x = 2x/2 is proved."""
    assert claims("$$x = \\text{so } (2x)/2$$\n") == ["proved"]
