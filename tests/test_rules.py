"""Every derivative rule against the independent oracle sympy.diff, and the
justification check's power to tell rules apart."""

import pytest
import sympy
from sympy import Derivative, exp, sinh, cosh, tanh, log

from oracles import oracle_equal
from symderive.latex.scope import Scope
from symderive.meaning import Meaning
from symderive.rules import RULES, RuleContext, apply_rules, justify

x = sympy.Symbol("x", real=True)
u = sympy.Function("u")
sigma = sympy.Function("sigma")
i, j, k, n = sympy.symbols("i j k n", integer=True, positive=True)
z = sympy.IndexedBase("z", real=True)


def plain_context():
    return RuleContext(Meaning(Scope(variables={"x": x}, default_variable=x), x))


# (rule, expression it applies to at the top)
CASES = [
    ("sum", 1 + exp(-x) + x**3),
    ("constant", 5 * sinh(x)),
    ("product", x**2 * exp(x)),
    ("quotient", sinh(x) / cosh(x)),
    ("quotient", 1 / (1 + exp(-x))),
    ("power", (1 + x**2) ** 3),
    ("exp", exp(x**2)),
    ("log", log(1 + exp(x))),
    ("hyperbolic", tanh(2 * x)),
    ("hyperbolic", cosh(x)),
    ("chain", exp(-x)),
    ("chain", (1 + exp(-x)) ** -1),
    ("cases", sympy.Max(0, x)),
    ("erf", sympy.erf(x / sympy.sqrt(2))),
    ("erf", sympy.erf(x**2 + 1)),
    ("chain", sympy.erf(3 * x**2)),
    ("atan", sympy.atan(x)),
    ("atan", sympy.atan(exp(x))),
    ("chain", sympy.atan(x**3)),
    ("hyperbolic", sympy.sin(2 * x)),
]


@pytest.mark.parametrize("name, expr", CASES, ids=[f"{n}:{e}" for n, e in CASES])
def test_rule_then_evaluation_matches_sympy_diff(name, expr):
    ctx = plain_context()
    rewritten = apply_rules(Derivative(expr, x), (name,), ctx)
    assert rewritten != Derivative(expr, x), "the rule applies"
    truth = sympy.diff(expr.rewrite(sympy.Piecewise) if expr.has(sympy.Max) else expr, x)
    assert oracle_equal(rewritten.doit(), truth)


@pytest.mark.parametrize("name", sorted(RULES))
def test_every_rule_has_a_statement(name):
    assert RULES[name].statement


def test_quotient_step_is_justified_only_by_the_quotient_rule():
    ctx = plain_context()
    previous = Derivative(sinh(x) / cosh(x), x)
    step = (Derivative(sinh(x), x) * cosh(x) - Derivative(cosh(x), x) * sinh(x)) / cosh(x) ** 2
    assert justify(previous, step, ("quotient",), ctx)
    assert not justify(previous, step, ("product",), ctx)
    assert not justify(previous, step, ("chain",), ctx)
    assert not justify(previous, step, ("algebra",), ctx)


def test_algebra_does_not_know_hyperbolic_identities():
    ctx = plain_context()
    previous = (cosh(x) ** 2 - sinh(x) ** 2) / cosh(x) ** 2
    assert justify(previous, 1 - sinh(x) ** 2 / cosh(x) ** 2, ("algebra",), ctx)
    assert not justify(1 - sinh(x) ** 2 / cosh(x) ** 2, 1 - tanh(x) ** 2, ("algebra",), ctx)
    assert justify(1 - sinh(x) ** 2 / cosh(x) ** 2, 1 - tanh(x) ** 2, ("identity",), ctx)


def test_chain_rule_through_a_named_inner_function():
    meaning = Meaning(Scope(variables={"x": x}, default_variable=x, functions={"u": u, "sigma": sigma}), x)
    meaning.functions[u] = (x, 1 + exp(-x))
    meaning.functions[sigma] = (x, 1 / u(x))
    ctx = RuleContext(meaning)
    previous = Derivative(sigma(x), x)
    right = Derivative(sigma(x), u(x)) * Derivative(u(x), x)
    wrong = Derivative(sigma(x), x) * Derivative(u(x), x)
    assert justify(previous, right, ("chain",), ctx)
    assert not justify(previous, wrong, ("chain",), ctx)
    # d sigma/du by the power rule: -1/u^2
    assert justify(right, -Derivative(u(x), x) / u(x) ** 2, ("power",), ctx)
    assert not justify(right, -Derivative(u(x), x) / u(x) ** 2, ("exp",), ctx)


def test_kronecker_rule_collapses_the_sum():
    ctx = plain_context()
    total = sympy.Sum(exp(z[j]), (j, 1, n))
    result = apply_rules(Derivative(total, z[k]), ("kronecker", "exp"), ctx)
    assert result == exp(z[k])


def test_erf_and_atan_steps_are_justified_only_by_their_rules():
    ctx = plain_context()
    previous = Derivative(sympy.erf(x / sympy.sqrt(2)), x)
    step = sympy.sqrt(2) / sympy.sqrt(sympy.pi) * exp(-x**2 / 2)
    assert justify(previous, step, ("erf",), ctx)
    assert not justify(previous, step, ("exp",), ctx)
    assert not justify(previous, 2 * step, ("erf",), ctx)
    assert justify(Derivative(sympy.atan(x**2), x), 2 * x / (1 + x**4), ("chain", "power"), ctx)
    assert not justify(Derivative(sympy.atan(x**2), x), 2 * x / (1 + x**2), ("atan",), ctx)


def test_quotient_rule_keeps_the_numerator_as_written():
    ctx = plain_context()
    previous = Derivative(exp(-x) / (1 + x**2), x)
    step = (Derivative(exp(-x), x) * (1 + x**2) - exp(-x) * Derivative(1 + x**2, x)) / (1 + x**2) ** 2
    assert justify(previous, step, ("quotient",), ctx)


def test_a_case_i_neq_k_makes_the_kronecker_delta_zero():
    ctx = RuleContext(plain_context().meaning, sympy.Ne(i, k))
    assert justify(Derivative(z[i], z[k]), sympy.Integer(0), ("algebra",), ctx)
    assert not justify(Derivative(z[i], z[k]), sympy.Integer(0), ("algebra",), plain_context())
