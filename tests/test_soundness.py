"""Soundness of the prover and of rule replay: never a false "proved", never
a false counterexample.

Each strategy of ``prover.STRATEGIES`` is run on its own, outside the domain
of the identity it relies on (it must decline: None, Unknown, or a
refutation) and inside it (it must still prove). The truth of every claim
is the mathematics, confirmed here by an independent oracle: mpmath at 60
digits at a witness point for a wrong claim, and at random points for a
true one (``_witness``, ``_agrees``), written without the prover's code.
"""

import random
import sys
from pathlib import Path

import mpmath
import pytest
import sympy
from sympy.core.function import AppliedUndef
from sympy import Abs, Piecewise, Rational, exp, log, sign, sqrt

from symderive import prover, sampling
from symderive.batch import verify_file
from symderive.derivation import loads
from symderive.engine import Settings, verify_derivation
from symderive.evidence import Proved, Refuted, Unknown
from symderive.kronecker import collapse_kronecker_sums
from symderive.prove_base import combine
from symderive.prover import ProofContext, prove_equal

sys.path.insert(0, str(Path(__file__).resolve().parent))
from library import run_cli  # noqa: E402

x = sympy.Symbol("x", real=True)
y = sympy.Symbol("y", real=True)
s = sympy.Function("s")
j, k, n = sympy.symbols("j k n", integer=True, positive=True)
m = sympy.Symbol("m", integer=True, nonnegative=True)
z = sympy.IndexedBase("z", real=True)
CONTEXT = ProofContext(sympy.true, 5.0)


# -- the independent oracle ------------------------------------------------------

def _mp(expr, values):
    """expr at values with mpmath at 60 digits (None where it has no real value)."""
    function = sympy.lambdify(list(values), expr, modules="mpmath")
    with mpmath.workdps(60):
        try:
            value = function(*[mpmath.mpf(v.p) / v.q for v in values.values()])
        except (ValueError, ZeroDivisionError, TypeError):
            return None
        return value if isinstance(value, mpmath.mpf) or isinstance(value, (int, float)) else None


def _witness(a, b, point):
    """The oracle's check that a wrong claim is wrong: a and b differ at point."""
    left, right = _mp(a, point), _mp(b, point)
    return left is not None and right is not None and abs(left - right) > mpmath.mpf(10) ** -20


def _agrees(a, b, symbols, low=-3, high=3, trials=12):
    """The oracle's check that a true claim is true: equal at random points
    (an undefined function's value or derivative given a random value too)."""
    unknown = sorted(a.atoms(sympy.Derivative, AppliedUndef) | b.atoms(sympy.Derivative, AppliedUndef),
                     key=sympy.default_sort_key) if not _is_matrix_claim(a) else []
    if unknown:  # xreplace meets a derivative before the function inside it
        held = {t: sympy.Symbol(f"held{k}", real=True) for k, t in enumerate(unknown)}
        a, b = a.xreplace(held), b.xreplace(held)
        symbols = sorted((a - b).free_symbols | set(held.values()), key=str)
    rng = random.Random(7)
    for _ in range(trials):
        point = {sym: Rational(rng.randint(max(low, 1), high + 9)) if sym.is_integer
                 else Rational(rng.randint(low * 97, high * 97), 97) for sym in symbols}
        left, right = _mp(a, point), _mp(b, point)
        if left is not None and right is not None and abs(left - right) > mpmath.mpf(10) ** -30 * max(1, abs(left)):
            return False
    return True


# -- 1. each strategy declines outside its domain ----------------------------------

# (a, b, a point where they differ): wrong for some real x, each a rewrite
# valid only on part of the line (sgn, Abs, sqrt of a square, log of a
# product, non-integer powers, inverse trig, floor)
WRONG = [
    ("sgn(cos x) = 1", sign(sympy.cos(x)), sympy.Integer(1), {x: Rational(2)}),
    ("-sin x sgn(cos x) = -sin x", -sympy.sin(x) * sign(sympy.cos(x)), -sympy.sin(x), {x: Rational(2)}),
    ("sqrt(x^2) = x", sqrt(x**2), x, {x: Rational(-1)}),
    ("(x^2)^(1/2) = x", sympy.Pow(x**2, Rational(1, 2), evaluate=False), x, {x: Rational(-1)}),
    ("sqrt(cos^2 x) = cos x", sqrt(sympy.cos(x) ** 2), sympy.cos(x), {x: Rational(2)}),
    ("|x| = x", Abs(x), x, {x: Rational(-1)}),
    ("floor(x) = x", sympy.floor(x), x, {x: Rational(1, 2)}),
    ("asin(sin x) = x", sympy.asin(sympy.sin(x)), x, {x: Rational(2)}),
    ("atan(tan x) = x", sympy.atan(sympy.tan(x)), x, {x: Rational(2)}),
    ("sgn(x) = 1", sign(x), sympy.Integer(1), {x: Rational(-1)}),
    ("sqrt(x^2 y^2) = x y", sqrt(x**2 * y**2), x * y, {x: Rational(-1), y: Rational(2)}),
    ("|sin x| = sin x", Abs(sympy.sin(x)), sympy.sin(x), {x: Rational(4)}),
    ("(x^2)^(3/2) = x^3", sympy.Pow(x**2, Rational(3, 2), evaluate=False), x**3, {x: Rational(-1)}),
    ("sgn(e^x - 2) = 1", sign(exp(x) - 2), sympy.Integer(1), {x: Rational(0)}),
    ("sqrt((e^x - 2)^2) = e^x - 2", sqrt((exp(x) - 2) ** 2), exp(x) - 2, {x: Rational(0)}),
    ("e^{ix/2} squared halves", sympy.cos(x / 2) ** 2, (1 + sympy.cos(x)) / 2 + sign(sympy.cos(x / 2)) - 1,
     {x: Rational(4)}),
]

# (a, b, symbols): identities for every real value of the symbols (where defined)
TRUE = [
    ("sqrt(e^{2x}) = e^x", sqrt(exp(2 * x)), exp(x), [x]),
    ("e^{x/2} e^{x/2} = e^x", exp(x / 2) * exp(x / 2), exp(x), [x]),
    ("cosh^2 - sinh^2 = 1", sympy.cosh(x) ** 2 - sympy.sinh(x) ** 2, sympy.Integer(1), [x]),
    ("tanh = sinh/cosh", sympy.tanh(x), sympy.sinh(x) / sympy.cosh(x), [x]),
    ("erfc = 1 - erf", sympy.erfc(3 * x), 1 - sympy.erf(3 * x), [x]),
    ("exp(log(1 + x^2)) = 1 + x^2", exp(log(1 + x**2)), 1 + x**2, [x]),
    ("sin^2 + cos^2 = 1", sympy.sin(x) ** 2 + sympy.cos(x) ** 2, sympy.Integer(1), [x]),
    ("sigmoid' = s(1-s)", exp(-x) / (1 + exp(-x)) ** 2, 1 / (1 + exp(-x)) * (1 - 1 / (1 + exp(-x))), [x]),
    ("log(e^x/(1+e^x)) = x - log(1+e^x)", log(exp(x) / (1 + exp(x))), x - log(1 + exp(x)), [x]),
    ("sqrt(cos^2 s) = |cos s|", sqrt(sympy.cos(x) ** 2), Abs(sympy.cos(x)), [x]),
]


# wrong claims one step outside the domain of an identity a split or the
# normal form relies on (a boundary point, the wrong half-line, a missing
# case), each with a point where it fails
n_int = sympy.Symbol("n_int", integer=True, positive=True)
WRONG += [
    ("sgn(x)^2 = 1 (fails at 0 only)", sign(x) ** 2, sympy.Integer(1), {x: Rational(0)}),
    ("|x| sgn(x) = |x|", Abs(x) * sign(x), Abs(x), {x: Rational(-1)}),
    ("x/|x| = 1", x / Abs(x), sympy.Integer(1), {x: Rational(-1)}),
    ("sqrt(x^2 + 2x + 1) = x + 1", sqrt(x**2 + 2 * x + 1), x + 1, {x: Rational(-3)}),
    ("max(x, y) = (x + y + (x - y))/2", sympy.Max(x, y), x, {x: Rational(0), y: Rational(1)}),
    ("|sin x| sgn(sin x) = |sin x|", Abs(sympy.sin(x)) * sign(sympy.sin(x)), Abs(sympy.sin(x)), {x: Rational(4)}),
    ("sqrt(x^2) log(x^2) = 2 x log|x|", sqrt(x**2) * log(x**2), 2 * x * log(Abs(x)), {x: Rational(-2)}),
    ("atan x + atan(1/x) = pi/2", sympy.atan(x) + sympy.atan(1 / x), sympy.pi / 2, {x: Rational(-1)}),
    ("acosh(cosh x) = x", sympy.acosh(sympy.cosh(x)), x, {x: Rational(-1)}),
    ("acos(-x) = acos(x) - pi", sympy.acos(-x), sympy.acos(x) - sympy.pi, {x: Rational(1, 2)}),
    ("floor x + floor(-x) = -1 (fails at the integers)", sympy.floor(x) + sympy.floor(-x), sympy.Integer(-1),
     {x: Rational(2)}),
    ("ceil x - floor x = 1 (fails at the integers)", sympy.ceiling(x) - sympy.floor(x), sympy.Integer(1),
     {x: Rational(0)}),
    ("floor 2x = floor x + floor(x + 1/3)", sympy.floor(2 * x), sympy.floor(x) + sympy.floor(x + Rational(1, 3)),
     {x: Rational(1, 2)}),
    ("floor(x + 1/2) = ceil(x - 1/2) (fails at half-integers)", sympy.floor(x + Rational(1, 2)),
     sympy.ceiling(x - Rational(1, 2)), {x: Rational(1, 2)}),
    ("floor(n/2) + floor(n/2) = n", 2 * sympy.floor(n_int / 2), n_int, {n_int: Rational(3)}),
    ("floor(e^x) + floor(-e^x) = -1 (fails where e^x is an integer)", sympy.floor(exp(x)) + sympy.floor(-exp(x)),
     sympy.Integer(-1), {x: Rational(0)}),
]


@pytest.mark.parametrize("name, a, b, point", WRONG, ids=[w[0] for w in WRONG])
def test_the_oracle_confirms_each_wrong_claim(name, a, b, point):
    assert _witness(a, b, point), name


TRUE += [
    ("|xy| = |x||y|", Abs(x * y), Abs(x) * Abs(y), [x, y]),
    ("|sin x| sgn(sin x) = sin x", Abs(sympy.sin(x)) * sign(sympy.sin(x)), sympy.sin(x), [x]),
    ("x/|x| = sgn x (x != 0)", x / Abs(x), sign(x), [x]),
    ("max(x, y) = (x + y + |x - y|)/2", sympy.Max(x, y), (x + y + Abs(x - y)) / 2, [x, y]),
    ("log(x^2) = 2 log|x|", log(x**2), 2 * log(Abs(x)), [x]),
    ("atan x + atan(1/x) = pi/2 sgn x", sympy.atan(x) + sympy.atan(1 / x), sympy.pi / 2 * sign(x), [x]),
    ("asin x + acos x = pi/2", sympy.asin(x / 4) + sympy.acos(x / 4), sympy.pi / 2, [x]),
    ("atanh(tanh x) = x", sympy.atanh(sympy.tanh(x)), x, [x]),
    ("acosh(cosh x) = |x|", sympy.acosh(sympy.cosh(x)), Abs(x), [x]),
    ("sqrt(x^2 + 2x + 1) = |x + 1|", sqrt(x**2 + 2 * x + 1), Abs(x + 1), [x]),
    ("floor x = -ceil(-x)", sympy.floor(x), -sympy.ceiling(-x), [x]),
    ("floor 3x = floor x + floor(x + 1/3) + floor(x + 2/3)", sympy.floor(3 * x),
     sympy.floor(x) + sympy.floor(x + Rational(1, 3)) + sympy.floor(x + Rational(2, 3)), [x]),
]


@pytest.mark.parametrize("name, a, b, symbols", TRUE, ids=[t[0] for t in TRUE])
def test_the_oracle_confirms_each_true_claim(name, a, b, symbols):
    assert _agrees(a, b, symbols), name


@pytest.mark.parametrize("strategy", prover.STRATEGIES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("name, a, b, point", WRONG, ids=[w[0] for w in WRONG])
def test_no_strategy_proves_a_claim_outside_its_domain(strategy, name, a, b, point):
    verdict = strategy(a, b, CONTEXT)
    assert not isinstance(verdict, Proved), (strategy.__name__, name, verdict)


@pytest.mark.parametrize("name, a, b, point", WRONG, ids=[w[0] for w in WRONG])
def test_wrong_claims_are_refuted_or_unknown(name, a, b, point):
    verdict = prove_equal(a, b, CONTEXT)
    assert isinstance(verdict, (Refuted, Unknown)), (name, verdict)
    if isinstance(verdict, Refuted):
        # the reported point is a real counterexample (checked by the oracle)
        reported = {sympy.Symbol(k, real=True): Rational(v) for k, v in verdict.point}
        assert _witness(a, b, reported), (name, verdict)


@pytest.mark.parametrize("name, a, b, symbols", TRUE, ids=[t[0] for t in TRUE])
def test_true_claims_are_still_proved(name, a, b, symbols):
    assert isinstance(prove_equal(a, b, CONTEXT), Proved), name


def test_each_strategy_still_proves_inside_its_domain():
    """The same strategies, each on an identity that is its own case."""
    assert isinstance(prover.structural(sqrt(x**2), Abs(x), CONTEXT), Proved)  # SymPy: sqrt(x^2) is |x|
    a = sympy.MatrixSymbol("A", 2, 2)
    assert isinstance(prover.matrix_shapes(a + a, 2 * a, CONTEXT), Proved)
    assert isinstance(prover.tuples(sympy.Tuple(x, exp(x)), sympy.Tuple(x, exp(x / 2) ** 2), CONTEXT), Proved)
    for _, left, right, _symbols in TRUE[:5]:
        assert isinstance(prover.exp_normal_form(left, right, CONTEXT), Proved), (left, right)
    kink = Piecewise((x, x > 0), (0, True))
    assert isinstance(prover.case_split(sympy.Max(x, 0), kink, CONTEXT), Proved)
    assert isinstance(prover.case_split(Abs(x) * sign(x), x, CONTEXT), Proved)
    assert isinstance(prover.simplify_last_resort(sympy.gamma(x + 1), x * sympy.gamma(x), CONTEXT), Proved)


# -- every strategy of the list, just outside and inside its own domain ---------------

A21, B12 = sympy.MatrixSymbol("A", 2, 1), sympy.MatrixSymbol("B", 1, 2)
ABOVE_HALF, FROM_ONE = ProofContext(x > Rational(1, 2), 5.0), ProofContext(x >= 1, 5.0)
# name -> (a, b, context, a point of the region where a != b): the strategy must not prove any of them
OUTSIDE = {
    "structural": [(sqrt(x**2), x, CONTEXT, {x: Rational(-1)})],
    "matrix_shapes": [(A21, B12, CONTEXT, None),
                      (sympy.Matrix([[x, 1]]), sympy.Matrix([[x, 2]]), CONTEXT, None)],
    "tuples": [(sympy.Tuple(x, 1), sympy.Tuple(x, 2), CONTEXT, None),
               (sympy.Tuple(x), sympy.Tuple(x, x), CONTEXT, None)],
    "exp_normal_form": [
        (sign(sympy.cos(x)), sympy.Integer(1), CONTEXT, {x: Rational(2)}),
        (sympy.atan(sympy.tan(x)), x, CONTEXT, {x: Rational(2)}),
        (sympy.acos(sympy.cos(x)), x, CONTEXT, {x: Rational(-1)}),
        (sympy.acosh(sympy.cosh(x)), x, CONTEXT, {x: Rational(-1)}),
        (sympy.atan(x) + sympy.atan(1 / x), sympy.pi / 2, CONTEXT, {x: Rational(-1)}),
        (sqrt(sympy.cos(x) ** 2 + 2 * sympy.cos(x) + 1), sympy.cos(x) + 1, CONTEXT, None),  # true: cos x >= -1
        (sqrt((x - 3) ** 2), x - 3, CONTEXT, {x: Rational(0)}),
    ],
    "case_split": [(Piecewise((1, x >= 0), (0, True)), Piecewise((1, x > 0), (0, True)), CONTEXT, {x: Rational(0)}),
                   (sympy.Max(x, 0), x, CONTEXT, {x: Rational(-1)})],
    "numeric_refutation": [(exp(x) ** 2, exp(2 * x), CONTEXT, None)],  # true: it never proves
    "sign_split": [
        (sign(x) ** 2, sympy.Integer(1), CONTEXT, {x: Rational(0)}),
        (sign(x**2 - 1), sympy.Integer(1), ABOVE_HALF, {x: Rational(3, 4)}),
        (sign(x**2 - 1), sympy.Integer(1), FROM_ONE, {x: Rational(1)}),
        (x / Abs(x), sympy.Integer(1), CONTEXT, {x: Rational(-1)}),
        (Abs(sympy.sin(x)) * sign(sympy.sin(x)), Abs(sympy.sin(x)), CONTEXT, {x: Rational(4)}),
        (sympy.Max(x, y), x, CONTEXT, {x: Rational(0), y: Rational(1)}),
        (log(Abs(x * y)), log(x) + log(Abs(y)), ProofContext(x > -1, 5.0), None),  # log x undefined for x < 0
        # one sign between zeros: a zero in the wrong place, a function that is not monotone, a zero itself
        (sign(1 / (1 + exp(-x)) - Rational(1, 3)), sign(x), CONTEXT, {x: Rational(-1, 2)}),
        (sign(exp(x) - 2), sign(x), CONTEXT, {x: Rational(1, 2)}),
        (Abs(sympy.sin(x)), sympy.sin(Abs(x)), CONTEXT, {x: Rational(4)}),
        (sign(exp(x) - 1) ** 2, sympy.Integer(1), CONTEXT, {x: Rational(0)}),
        # where sin x = 0 the first case has no value, but the other case (y <= 0) has one
        (Abs(sympy.sin(x)) * sign(sympy.sin(x)) + Piecewise((1 / sympy.sin(x), y > 0), (0, True)),
         sympy.sin(x) + Piecewise((1 / sympy.sin(x), y > 0), (1, True)), CONTEXT, {x: Rational(1), y: Rational(-1)}),
    ],
    "floor_split": [
        (sympy.floor(x) + sympy.floor(-x), sympy.Integer(-1), CONTEXT, {x: Rational(2)}),
        (sympy.ceiling(x) - sympy.floor(x), sympy.Integer(1), CONTEXT, {x: Rational(0)}),
        (sympy.floor(2 * x), sympy.floor(x) + sympy.floor(x + Rational(1, 3)), CONTEXT, {x: Rational(1, 2)}),
        (2 * sympy.floor(n_int / 2), n_int, CONTEXT, {n_int: Rational(3)}),
        (sympy.floor(x + y), sympy.floor(x) + sympy.floor(y), CONTEXT, {x: Rational(1, 2), y: Rational(1, 2)}),
        (sympy.floor(exp(x)) + sympy.floor(-exp(x)), sympy.Integer(-1), CONTEXT, {x: Rational(0)}),
    ],
    # an undefined function's derivative is not a free value where the claim ties it (d/dx y^2 is
    # 2 y y', never y y'), and two derivatives of one f are two values: no point, none evaluates
    "held_derivatives": [(2 * s(x) * sympy.Derivative(s(x), x), s(x) * sympy.Derivative(s(x), x), CONTEXT, None),
                         (sympy.Derivative(s(x), x), sympy.Derivative(s(x, y), x), CONTEXT, None),
                         (s(x), sympy.Symbol("s", real=True), CONTEXT, None)],
    "simplify_last_resort": [(sqrt(x**2), x, CONTEXT, {x: Rational(-1)}),
                             (log(x * y), log(x) + log(y), CONTEXT, None)],
}
# name -> (a, b, context): an identity that is the strategy's own case (for numeric_refutation, a wrong claim)
INSIDE = {
    "structural": [(sqrt(x**2), Abs(x), CONTEXT)],
    "matrix_shapes": [(sympy.MatrixSymbol("A", 2, 2) * 2, sympy.MatrixSymbol("A", 2, 2) + sympy.MatrixSymbol("A", 2, 2),
                       CONTEXT)],
    "tuples": [(sympy.Tuple(x, exp(x)), sympy.Tuple(x, exp(x / 2) ** 2), CONTEXT)],
    "exp_normal_form": [(sympy.asin(x) + sympy.acos(x), sympy.pi / 2, CONTEXT),
                        (sympy.acos(-x), sympy.pi - sympy.acos(x), CONTEXT),
                        (sympy.atanh(sympy.tanh(x)), x, CONTEXT), (sympy.asinh(sympy.sinh(x)), x, CONTEXT),
                        (sympy.atan(exp(x)) + sympy.atan(exp(-x)), sympy.pi / 2, CONTEXT)],
    "case_split": [(sympy.Max(x, 0), Piecewise((x, x > 0), (0, True)), CONTEXT)],
    "numeric_refutation": [(sign(sympy.cos(x)), sympy.Integer(1), CONTEXT)],
    "sign_split": [(Abs(x * y), Abs(x) * Abs(y), CONTEXT),
                   (Abs(sympy.sin(x)) * sign(sympy.sin(x)), sympy.sin(x), CONTEXT),
                   (sign(x**2 - 1), sympy.Integer(1), ProofContext(x > 1, 5.0)),
                   (x / Abs(x), sign(x), CONTEXT),
                   (sympy.Max(x, y), (x + y + Abs(x - y)) / 2, CONTEXT),
                   (log(x**2), 2 * log(Abs(x)), CONTEXT),
                   (sympy.atan(x) + sympy.atan(1 / x), sympy.pi / 2 * sign(x), CONTEXT),
                   (log(1 / x), -log(x), ProofContext(x > 0, 5.0)),
                   (sign(1 / (1 + exp(-x)) - Rational(1, 2)), sign(x), CONTEXT),
                   (Piecewise((x, x > 0), (exp(x) - 1, True)), sympy.Max(0, x) + sympy.Min(0, exp(x) - 1), CONTEXT)],
    "floor_split": [(sympy.floor(x), -sympy.ceiling(-x), CONTEXT),
                    (sympy.floor(2 * x), sympy.floor(x) + sympy.floor(x + Rational(1, 2)), CONTEXT),
                    (sympy.floor(n_int / 2) + sympy.ceiling(n_int / 2), n_int, CONTEXT),
                    (sympy.floor((n_int + 1) / 2), sympy.ceiling(n_int / 2), CONTEXT),
                    (sympy.floor(exp(x)) + sympy.floor(-exp(x)), -sympy.ceiling(exp(x) - sympy.floor(exp(x))),
                     CONTEXT)],
    # algebra in the values of an undefined function and its derivative (an identity in them)
    "held_derivatives": [((x + 1) * sympy.Derivative(s(x), x) * s(x),
                          x * s(x) * sympy.Derivative(s(x), x) + sympy.Derivative(s(x), x) * s(x), CONTEXT)],
    "simplify_last_resort": [(sympy.gamma(x + 1), x * sympy.gamma(x), CONTEXT)],
}


def test_every_strategy_has_its_domain_tests():
    names = {strategy.__name__ for strategy in prover.STRATEGIES}
    assert names == set(OUTSIDE) == set(INSIDE), names ^ set(OUTSIDE)


@pytest.mark.parametrize("name", sorted(OUTSIDE))
def test_each_strategy_declines_just_outside_its_domain(name):
    strategy = getattr(prover, name)
    for a, b, context, point in OUTSIDE[name]:
        if point is not None:
            assert _witness(a, b, point), (name, a, b)  # the oracle: wrong at a point of the region
            assert context.condition.subs(point) is not sympy.false
        verdict = strategy(a, b, context)
        assert not isinstance(verdict, Proved), (name, a, b, context.condition, verdict)


@pytest.mark.parametrize("name", sorted(INSIDE))
def test_each_strategy_proves_inside_its_domain(name):
    strategy = getattr(prover, name)
    for a, b, context in INSIDE[name]:
        symbols = sorted((a - b).free_symbols if not _is_matrix_claim(a) else set(), key=str)
        wrong = name == "numeric_refutation"
        if symbols and not wrong:
            low = 2 if context.condition is not sympy.true else -3
            assert _agrees(a, b, symbols, low=low), (name, a, b)  # the oracle: an identity
        verdict = strategy(a, b, context)
        assert isinstance(verdict, Refuted if wrong else Proved), (name, a, b, verdict)


def _is_matrix_claim(expr):
    return isinstance(expr, (sympy.MatrixBase, sympy.MatrixExpr, sympy.Tuple))


def test_complex_arguments_are_not_cancelled():
    """atanh(tanh w) = w only for real w: at w = 2i it is i atan(tan 2) = (2 - pi) i."""
    w = sympy.I * x
    left = complex(sympy.atanh(sympy.tanh(w)).subs(x, 2).evalf(30))
    assert abs(left - 2j) > 1
    assert not isinstance(prover.exp_normal_form(sympy.atanh(sympy.tanh(w)), w, CONTEXT), Proved)
    assert not isinstance(prover.prove_exactly(sympy.acosh(sympy.cosh(w)), Abs(w), CONTEXT), Proved)


def test_the_normal_form_keeps_branches_of_an_undeclared_function():
    """sqrt(cos^2(s(x))) = cos(s(x)) for an undefined s: not proved (no point
    can be evaluated, so unknown is the honest verdict)."""
    wrong = prove_equal(sqrt(sympy.cos(s(x)) ** 2), sympy.cos(s(x)), CONTEXT)
    assert not isinstance(wrong, Proved), wrong
    assert prover.exp_normal_form(sign(sympy.cos(s(x))), sympy.Integer(1), CONTEXT) is None
    right = prove_equal(sqrt(exp(2 * s(x))), exp(s(x)), CONTEXT)  # s is real-valued: e^s > 0
    assert isinstance(right, Proved), right


def test_structural_and_matrix_strategies_decline_what_is_not_theirs():
    assert prover.structural(sqrt(x**2), x, CONTEXT) is None
    assert prover.matrix_shapes(sqrt(x**2), x, CONTEXT) is None
    a, b = sympy.MatrixSymbol("A", 2, 1), sympy.MatrixSymbol("B", 1, 2)
    assert isinstance(prover.matrix_shapes(a, b, CONTEXT), Refuted)


def test_numeric_refutation_never_proves():
    for _, a, b, _symbols in TRUE:
        assert not isinstance(prover.numeric_refutation(a, b, CONTEXT), (Proved, Refuted))


def test_simplify_does_not_prove_the_branch_rewrites():
    for name, a, b, _ in WRONG[:8]:
        assert not isinstance(prover.simplify_last_resort(a, b, CONTEXT), Proved), name


def test_log_of_a_product_and_non_integer_powers_are_not_proved():
    """log(xy) = log x + log y and x^(2/3) = (x^2)^(1/3) fail for negative
    real values (a side has no real value or another branch)."""
    assert not isinstance(prove_equal(log(x * y), log(x) + log(y), CONTEXT), Proved)
    assert not isinstance(prove_equal(x ** Rational(2, 3), (x**2) ** Rational(1, 3), CONTEXT), Proved)
    positive = sympy.Symbol("p", positive=True)
    assert isinstance(prove_equal(log(positive * exp(x)), log(positive) + x, CONTEXT), Proved)


def test_two_cases_that_differ_only_at_a_boundary_are_not_proved():
    step = Piecewise((1, x >= 0), (0, True))
    other = Piecewise((1, x > 0), (0, True))
    assert _witness(step, other, {x: Rational(0)}) or step.subs(x, 0) != other.subs(x, 0)
    assert not isinstance(prove_equal(step, other, CONTEXT), Proved)
    assert isinstance(prove_equal(step, Piecewise((0, x < 0), (1, True)), CONTEXT), Proved)



def test_a_difference_at_a_boundary_is_seen_beside_another_symbol():
    # y + [0 if x <= 0 else 1] and y + [0 if x < 0 else 1] differ at x = 0 for every y
    step = y + Piecewise((0, x <= 0), (1, True))
    other = y + Piecewise((0, x < 0), (1, True))
    assert _witness(step, other, {x: Rational(0), y: Rational(3)})
    assert not isinstance(prove_equal(step, other, CONTEXT), Proved)
    assert isinstance(prove_equal(step, y + Piecewise((1, x > 0), (0, True)), CONTEXT), Proved)
    with_a_symbol = y * x + Piecewise((y, x <= 0), (2 * y, True))
    assert not isinstance(prove_equal(with_a_symbol, y * x + Piecewise((y, x < 0), (2 * y, True)), CONTEXT), Proved)
    assert isinstance(prove_equal(with_a_symbol, Piecewise((y * (x + 1), x <= 0), (y * (x + 2), True)), CONTEXT),
                      Proved)

def test_a_region_with_no_interior_proves_nothing_by_cases():
    verdict = prove_equal(Piecewise((1, x > 0), (0, True)), sympy.Integer(5), ProofContext(sympy.Eq(x, 0), 3))
    assert not isinstance(verdict, Proved), verdict
    assert isinstance(prove_equal(x**2, sympy.Integer(4), ProofContext(sympy.Eq(x, 2), 3)), Proved)


# -- 2. sums with limits ---------------------------------------------------------

def _brute_force(lower, upper, index, length):
    """sum_{j=lower}^{upper} delta_{j,index} e^{z_j} - e^{z_index}, by counting."""
    values = {v: Rational(v + 2, 3) for v in range(-1, length + 2)}
    total = sum((exp(values[v]) for v in range(lower, upper + 1) if v == index), sympy.Integer(0))
    return total - exp(values[index])


RANGES = [  # (lower, upper): the range of a sum of delta_jk e^{z_j}; the vector is z_1..z_n
    (1, n), (2, n), (1, n - 1), (3, n), (0, n - 1), (0, n), (0, n - 2), (k + 1, n), (1, k - 1), (1, k), (k, n),
    (0, k), (k - 1, k + 1),
]


@pytest.mark.parametrize("lower, upper", RANGES, ids=[f"{r[0]}..{r[1]}" for r in RANGES])
def test_a_collapsed_delta_knows_the_sum_range(lower, upper):
    """The claim sum_{j=lower}^{upper} delta_jk e^{z_j} = e^{z_k} is proved
    exactly when every k of the vector range 1..n lies in the sum's range
    (decided here by counting, for n = 1..5), and otherwise refuted at a k
    where it fails."""
    claim = sympy.Sum(sympy.KroneckerDelta(j, k) * exp(z[j]), (j, lower, upper))
    holds = all(_brute_force(int(sympy.sympify(lower).subs({k: v})), int(upper.subs({n: length, k: v})),
                             v, length) == 0
                for length in range(1, 6) for v in range(1, length + 1))
    verdict = prove_equal(claim, exp(z[k]), CONTEXT)
    if holds:
        assert isinstance(verdict, Proved), verdict
    else:
        assert isinstance(verdict, Refuted), verdict
        point = dict(verdict.point)
        length, value = int(point.get("n", 0)), int(point["k"])
        assert _brute_force(int(sympy.sympify(lower).subs({k: value})),
                            int(upper.subs({n: length, k: value})), value, length) != 0


def test_a_shifted_index_collapses_at_its_solution():
    """sum_{j=0}^{n-1} delta_{j+1,k} e^{z_{j+1}} = e^{z_k} for 1 <= k <= n
    (j = k - 1), though the index j is declared positive and the sum starts
    at 0; stopping at n - 2 misses k = n."""
    shifted = sympy.Sum(sympy.KroneckerDelta(j + 1, k) * exp(z[j + 1]), (j, 0, n - 1))
    assert isinstance(prove_equal(shifted, exp(z[k]), CONTEXT), Proved)
    short = sympy.Sum(sympy.KroneckerDelta(j + 1, k) * exp(z[j + 1]), (j, 0, n - 2))
    assert isinstance(prove_equal(short, exp(z[k]), ProofContext(sympy.Eq(k, n), 5.0)), Refuted)
    assert isinstance(prove_equal(short, sympy.Integer(0), ProofContext(sympy.Eq(k, n), 5.0)), Proved)


@pytest.mark.parametrize("lower, upper, k_value, expected", [
    (2, n, 1, 0), (1, n - 1, n, 0), (1, n, 1, 1), (2, n, 2, 1), (3, 5, 4, 1), (3, 5, 2, 0), (3, 5, 6, 0),
])
def test_a_case_on_the_index_decides_the_collapse(lower, upper, k_value, expected):
    """In the case k = value, the collapsed sum is e^{z_k} or 0 as counting says."""
    total = sympy.Sum(sympy.KroneckerDelta(j, k) * exp(z[j]), (j, lower, upper))
    for length in (5, 6):
        value = k_value.subs(n, length) if hasattr(k_value, "subs") else k_value
        count = sum(1 for v in range(int(sympy.sympify(lower)), int(upper.subs(n, length)
                                                                     if hasattr(upper, "subs") else upper) + 1)
                    if v == value)
        assert count == expected
    context = ProofContext(sympy.Eq(k, k_value), 5.0)
    right = exp(z[k]) if expected else sympy.Integer(0)
    wrong = sympy.Integer(0) if expected else exp(z[k])
    assert isinstance(prove_equal(total, right, context), Proved)
    assert isinstance(prove_equal(total, wrong, context), Refuted)


def test_collapse_leaves_an_undecided_range_as_cases():
    collapsed = collapse_kronecker_sums(sympy.Sum(sympy.KroneckerDelta(j, k) * z[j], (j, 2, n)))
    assert isinstance(collapsed, Piecewise)
    assert collapsed.subs(k, 1) == 0 and collapsed.subs(k, 3) == z[3]


def test_an_empty_numeric_range_is_empty():
    """sum_{j=3}^{1} is 0 for a reader (SymPy's doit says -f(2))."""
    total = sympy.Sum(z[j], (j, 3, 1))
    assert isinstance(prove_equal(total, sympy.Integer(0), CONTEXT), (Proved, Unknown))
    assert not isinstance(prove_equal(total, sympy.Integer(0), CONTEXT), Refuted)


DERIVATION = r"""title = "delta over a sum with limits"
variable = "z_k"
indexed = ["z"]
indices = ["i", "j", "k", "n"]

[[steps]]
latex = '\frac{{\partial}}{{\partial z_k}} \sum_{{j={lower}}}^{{{upper}}} e^{{z_j}}'

[[cases]]
condition = '{condition}'

[[cases.steps]]
latex = '{claim}'
rule = ["kronecker", "exp"]
"""


def _verify(text):
    report = verify_derivation(loads(text, "<test>"), Settings(timeout=5.0))
    return report.steps[-1]


@pytest.mark.parametrize("lower, upper, condition, claim, truth", [
    ("2", "n", "k = 1", "e^{z_k}", False),
    ("2", "n", "k = 1", "0", True),
    ("1", "n-1", "k = n", "e^{z_k}", False),
    ("1", "n-1", "k = n", "0", True),
    ("k+1", "n", "k = 1", "e^{z_k}", False),
    ("1", "k-1", "k = 2", "e^{z_k}", False),
    ("1", "n", "k = 1", "e^{z_k}", True),
    ("2", "n", "k = 2", "e^{z_k}", True),
])
def test_kronecker_replay_through_a_derivation(lower, upper, condition, claim, truth):
    """The engine on a derivation file: a wrong collapse is refuted and not
    justified; a right one is proved and the rules produce it."""
    step = _verify(DERIVATION.format(lower=lower, upper=upper, condition=condition, claim=claim))
    if truth:
        assert isinstance(step.evidence, Proved), step.evidence
        assert step.justified is True
    else:
        assert isinstance(step.evidence, Refuted), step.evidence
        assert step.justified is not True


# -- 3. a counterexample is confirmed before it is reported ----------------------------

CANCELLING = [
    (exp(100 * x) * (log(1 + exp(100 * x)) - 100 * x), exp(100 * x) * log(1 + exp(-100 * x))),
    (exp(10000 * x**2) * (1 - sympy.erf(100 * x)), exp(10000 * x**2) * sympy.erfc(100 * x)),
    (exp(200 * x) * (sqrt(1 + exp(-200 * x)) - 1), exp(200 * x) * exp(-200 * x) / (sqrt(1 + exp(-200 * x)) + 1)),
]


@pytest.mark.parametrize("a, b", CANCELLING)
def test_cancellation_is_not_a_counterexample(a, b):
    """Identities whose 50-digit evaluation cancels (the oracle checks them
    at small x, where 100 digits suffice: the same functions of x)."""
    with mpmath.workdps(100):
        for value in (Rational(1, 100), Rational(-1, 70), Rational(1, 30)):
            left = sympy.lambdify(x, a, "mpmath")(mpmath.mpf(value.p) / value.q)
            right = sympy.lambdify(x, b, "mpmath")(mpmath.mpf(value.p) / value.q)
            assert abs(left - right) < mpmath.mpf(10) ** -60 * max(1, abs(right))
    assert not isinstance(prover.numeric_refutation(a, b, CONTEXT), Refuted)
    assert isinstance(prove_equal(a, b, CONTEXT), (Proved, Unknown))


def test_a_true_counterexample_is_still_reported_with_its_point():
    a = exp(100 * x) * (log(1 + exp(100 * x)) - 100 * x)
    b = exp(100 * x) * log(1 + exp(-100 * x)) + Rational(1, 1000)
    verdict = prove_equal(a, b, CONTEXT)
    assert isinstance(verdict, Refuted), verdict
    point = {x: Rational(dict(verdict.point)["x"])}
    with mpmath.workdps(400):
        left = sympy.lambdify(x, a, "mpmath")(mpmath.mpf(point[x].p) / point[x].q)
        right = sympy.lambdify(x, b, "mpmath")(mpmath.mpf(point[x].p) / point[x].q)
        assert abs(left - right) > mpmath.mpf(10) ** -4


def test_interval_separation():
    assert sampling.separate(exp(200) * log(1 + exp(-200)), exp(200) * (log(1 + exp(200)) - 200)).outcome == "agree"
    assert sampling.separate(sign(sympy.cos(2)), sympy.Integer(1)).outcome == "differ"
    assert sampling.separate(sympy.atan(2) + sympy.atan(Rational(1, 2)), sympy.pi / 2).outcome == "agree"
    assert sampling.separate(log(sympy.Integer(-2) + sympy.sqrt(2)), sympy.Integer(0)).outcome != "differ"
    # 1 - erf(100) is 10^-4345: no precision in the time allowed separates it from 0 by luck
    assert sampling.separate(exp(10000) * (1 - sympy.erf(100)), exp(10000) * sympy.erfc(100),
                             seconds=0.5).outcome != "differ"


# -- 4. sample points see every region -----------------------------------------

NARROW = [
    Piecewise((x, x < 5), (x + 1, x < 6), (x, True)),
    Piecewise((x, x < Rational(1, 2)), (x + 1, x < Rational(3, 5)), (x, True)),
    Piecewise((x**2, x < 5), (x**2 + Rational(1, 100), x < 6), (x**2, True)),
    Piecewise((0, x**2 < 30), (1, x**2 < 36), (0, True)) + x,
    Piecewise((x, x < Rational(1, 2)), (x + 1, x < Rational(3, 5)), (x, True)) * exp(x),
]


@pytest.mark.parametrize("wrong", NARROW)
def test_a_branch_wrong_only_on_a_narrow_interval_is_refuted(wrong):
    right = wrong.replace(lambda e: isinstance(e, Piecewise), lambda e: e.args[0][0])
    assert _witness(wrong, right, {x: Rational(11, 2)}) or _witness(wrong, right, {x: Rational(11, 20)}) \
        or _witness(wrong, right, {x: Rational(57, 10)})
    verdict = prove_equal(wrong, right, CONTEXT)
    assert isinstance(verdict, Refuted), verdict
    reported = {x: Rational(dict(verdict.point)["x"])}
    assert _witness(wrong, right, reported)


def test_floor_jumps_are_sampled():
    verdict = prove_equal(sympy.floor(10 * x) - 10 * sympy.floor(x), sympy.Integer(0), CONTEXT)
    assert isinstance(verdict, Refuted), verdict
    point = {x: Rational(dict(verdict.point)["x"])}
    assert sympy.floor(10 * point[x]) - 10 * sympy.floor(point[x]) != 0


# -- 5. reading and replay are bounded ---------------------------------------------

CASES_AND_CHAIN = """title = "cases and chain"
variable = "x"
[let]
f = '{body}'
[[steps]]
latex = "f'(x)"
[[steps]]
latex = '{claim}'
rule = ["cases", "chain"]
"""


@pytest.mark.parametrize("body, claim", [
    (r"\max(0, \sin x)", r"\begin{cases} 1 & \text{if } x > 0 \\ 0 & \text{otherwise} \end{cases}"),
    (r"\max(0, 1/x)", "0"),
    (r"\max(0, x)^2", r"\begin{cases} 2x & \text{if } x > 0 \\ 0 & \text{otherwise} \end{cases}"),
])
def test_cases_with_chain_gives_a_verdict_not_an_internal_error(body, claim):
    step = _verify(CASES_AND_CHAIN.format(body=body, claim=claim))
    assert "internal error" not in str(step.evidence), step.evidence


def test_cyclic_definitions_are_a_located_error(tmp_path, capsys):
    path = tmp_path / "cyclic.toml"
    path.write_text('title = "cyclic"\nvariable = "x"\n\n[let]\na = \'b + 1\'\nb = \'a x\'\n\n'
                    "[[steps]]\nlatex = '\\frac{d}{dx} a'\n\n[[steps]]\nlatex = 'x'\nrule = \"definition\"\n",
                    encoding="utf-8")
    _, report = verify_file(path)
    assert report.error is not None and f"{path}:5:" in report.error and "cycle" in report.error
    code, _, _ = run_cli(["verify", str(path), "--no-cache"], capsys)
    assert code == 2


# -- a case condition the search cannot evaluate ------------------------------

_CROSS_ENTROPY_UNDER_A_SUM = r"""
title = 'cross-entropy under a stated sum'
variable = "z_k"
indexed = ["y", "z", "S"]
indices = ["i", "j", "k", "n"]

[let]
L = '-\sum_{i=1}^{n} y_i \log S_i'
S_i = '\frac{e^{z_i}}{\sum_{j=1}^{n} e^{z_j}}'

[[steps]]
latex = '-\sum_{i=1}^{n} y_i (\delta_{ik} - S_k)'

[[cases]]
condition = '\sum_{i=1}^{n} y_i = 1'

[[cases.steps]]
latex = '%s'
rule = "algebra"
"""


def _cross_entropy_step_holds_under_the_sum(rhs) -> bool:
    """The oracle: at n = 3 with y_3 = 1 - y_1 - y_2, whether
    -sum_i y_i (delta_ik - S_k) equals rhs at random points (k = 1)."""
    y1, y2, z1, z2, z3 = sympy.symbols("y1 y2 z1 z2 z3", real=True)
    ys, zs = (y1, y2, 1 - y1 - y2), (z1, z2, z3)
    s1 = sympy.exp(z1) / sum(sympy.exp(z) for z in zs)
    lhs = -sum(y * ((1 if i == 0 else 0) - s1) for i, y in enumerate(ys))
    value = sympy.lambdify((y1, y2, z1, z2, z3), lhs - rhs(ys, s1), "mpmath")
    rng = random.Random(5)
    with mpmath.workdps(40):
        return all(abs(value(*[mpmath.mpf(rng.uniform(-2, 2)) for _ in range(5)])) < 1e-30 for _ in range(20))


def test_a_point_outside_a_case_it_cannot_evaluate_refutes_nothing():
    """A case condition on data (the labels sum to one) that the search's
    points do not satisfy: the true step must not be refuted there."""
    assert _cross_entropy_step_holds_under_the_sum(lambda ys, s1: s1 - ys[0])
    report = verify_derivation(loads(_CROSS_ENTROPY_UNDER_A_SUM % "S_k - y_k", "ce.toml", "ce"),
                               Settings(timeout=20))
    last = report.steps[-1]
    assert not isinstance(last.evidence, Refuted), last.evidence


def test_a_wrong_step_under_such_a_case_is_not_proved():
    assert not _cross_entropy_step_holds_under_the_sum(lambda ys, s1: s1 + ys[0])
    report = verify_derivation(loads(_CROSS_ENTROPY_UNDER_A_SUM % "S_k + y_k", "ce.toml", "ce"),
                               Settings(timeout=20))
    assert not isinstance(report.steps[-1].evidence, Proved), report.steps[-1].evidence


def test_two_symbols_of_one_sign_are_sampled_and_a_region_edge_is_not():
    # the hinge's derivative with 1 for 0 where y s >= 1, a region only points with y and s of one sign reach
    s = sympy.Symbol("s", real=True)
    derivative = Piecewise((0, y * s >= 1), (-y, True))
    wrong = Piecewise((-y, y * s < 1), (1, True))
    verdict = prove_equal(derivative, wrong, CONTEXT)
    assert isinstance(verdict, Refuted), verdict
    point = {sympy.Symbol(name, real=True): Rational(value) for name, value in verdict.point}
    assert (y * s).subs(point) > 1, point  # inside the region, not on its edge (a convention there)
    assert _witness(derivative, wrong, point)


# ---- cases inside a sum, over the sum's own index ---------------------------------

_I, _K, _N = sympy.symbols("i k N", integer=True, positive=True)
_Y, _Z = sympy.IndexedBase("y", real=True), sympy.IndexedBase("z", real=True)
_HINGE_TERMS = sympy.Sum(Piecewise((0, _Y[_I] * _Z[_I] >= 1), (-sympy.KroneckerDelta(_I, _K) * _Y[_I], True)),
                         (_I, 1, _N)) / _N


def _hinge_oracle(rhs, sizes=(1, 2, 3)):
    """sum_i [y_i z_i < 1] (-delta_ik y_i) / N against rhs, written out at
    each N and each k in 1..N, at points on both sides of y_k z_k = 1."""
    for n in sizes:
        for k in range(1, n + 1):
            for scale in (Rational(1, 3), Rational(5, 2)):  # y_k z_k = scale * 13/7 ... below and above 1
                values = {_Y[j]: Rational(13 + 4 * j, 7) * (-1) ** j for j in range(1, n + 1)}
                values.update({_Z[j]: scale * (-1) ** j / Rational(13 + 4 * j, 7) * Rational(3, 2)
                               for j in range(1, n + 1)})
                left = sum(((0 if values[_Y[j]] * values[_Z[j]] >= 1 else -(j == k) * values[_Y[j]])
                            for j in range(1, n + 1)), Rational(0)) / n
                right = rhs.subs({_N: n, _K: k}).xreplace(values)
                yield left, sympy.nsimplify(right)


def test_a_case_on_a_sums_index_is_not_split_outside_the_sum():
    """The case y_i z_i >= 1 differs from term to term of the sum: a region
    split that reads it as a case of the whole claim refuted this true step
    (at i = 2, a bound index, with both sides shown equal)."""
    right = Piecewise((-_Y[_K] / _N, _Y[_K] * _Z[_K] < 1), (0, True))
    assert all(left == value for left, value in _hinge_oracle(right))  # the oracle: true for k in 1..N
    assert not isinstance(prove_equal(_HINGE_TERMS, right, CONTEXT), Refuted)
    wrong = Piecewise((_Y[_K] / _N, _Y[_K] * _Z[_K] < 1), (0, True))
    assert not all(left == value for left, value in _hinge_oracle(wrong))
    assert not isinstance(prove_equal(_HINGE_TERMS, wrong, CONTEXT), Proved)


def test_a_regions_counterexample_that_the_claim_does_not_share_is_not_reported():
    """combine restates a region's refutation with the claim's own values;
    where those agree there is no counterexample to show."""
    x = sympy.Symbol("x", real=True)
    found = Refuted(point=(("x", "1"),), lhs_value="0", rhs_value="1", method="evaluation at a point")
    assert combine([found], "case split", x**2, x) is None  # 1 = 1 at x = 1: the split decided nothing
    assert isinstance(combine([found], "case split", x**2, 2 * x), Refuted)  # 1 != 2 at x = 1
