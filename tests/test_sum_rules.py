"""Rules through sums: linearity as the ``sum`` rule, sum algebra as
algebra in the justification check (a sum of an Add split, factors free of
the index pulled out, deltas summed only within the sum's range), stated
sums only where a comparing rule is cited. Each rule class is shown to
justify the step it produces and NOT to justify a wrong citation or a
wrong step. Rule outputs are checked against sympy.diff of the sums written
out at n = 2, 3, 4."""

import random

import pytest
import sympy
from sympy import Derivative, KroneckerDelta, Sum, exp, log

from symderive.derivation import Located, loads
from symderive.derivation_meaning import meaning_of
from symderive.rules import RuleContext, apply_rules, justify
from symderive.sum_algebra import sum_normal_form

i, j, k, n, N = sympy.symbols("i j k n N", integer=True, positive=True)

VECTOR = """
title = "sums"
variable = "z_k"
indexed = ["z", "y", "w", "p", "a", "b", "S"]
indices = ["i", "j", "k", "l", "m", "n", "N"]
{extra}
[let]
S_i = '\\frac{{e^{{z_i}}}}{{\\sum_{{j=1}}^{{n}} e^{{z_j}}}}'
L = '-\\sum_{{i=1}}^{{n}} y_i \\log S_i'
Q = '\\frac{{1}}{{N}} \\sum_{{i=1}}^{{N}} (p_i - y_i)^2'
[[steps]]
latex = '\\frac{{\\partial L}}{{\\partial z_k}}'
"""


def meaning(stated=False):
    extra = "assumptions = ['\\sum_{i=1}^{n} y_i = 1']" if stated else ""
    return meaning_of(loads(VECTOR.format(extra=extra)))


def line(m, latex):
    return m.parse(Located(latex, None))


def justified(previous, step, rules, stated=False, condition=sympy.true):
    m = meaning(stated)
    return justify(line(m, previous), line(m, step), tuple(rules), RuleContext(m, condition))


# -- linearity is the sum rule -----------------------------------------------------

def test_minus_a_sum_of_constant_multiples_is_the_sum_rule():
    previous = '\\frac{\\partial}{\\partial z_k} \\left(-\\sum_{i=1}^{n} y_i \\log S_i\\right)'
    step = '-\\sum_{i=1}^{n} y_i \\frac{\\partial}{\\partial z_k} \\log S_i'
    assert justified(previous, step, ["sum"])
    assert not justified(previous, step, ["algebra"])
    assert not justified(previous, step, ["log"])
    # the factor y_i stays outside the derivative only once it is outside: no rule drops it
    assert not justified(previous, '-\\sum_{i=1}^{n} \\frac{\\partial}{\\partial z_k} \\log S_i', ["sum"])


def test_a_constant_times_a_sum_keeps_its_constant():
    previous = '\\frac{\\partial}{\\partial p_k} \\frac{1}{N} \\sum_{i=1}^{N} (p_i - y_i)^2'
    right = '\\frac{1}{N} \\sum_{i=1}^{N} \\frac{\\partial}{\\partial p_k} (p_i - y_i)^2'
    dropped = '\\sum_{i=1}^{N} \\frac{\\partial}{\\partial p_k} (p_i - y_i)^2'
    assert justified(previous, right, ["sum"])
    assert not justified(previous, dropped, ["sum"])
    assert not justified(previous, dropped, ["sum", "algebra"])


def test_the_definition_and_the_sum_rule_open_a_named_loss():
    assert justified('\\frac{\\partial L}{\\partial z_k}',
                     '-\\sum_{i=1}^{n} y_i \\frac{\\partial}{\\partial z_k} \\log S_i', ["definition", "sum"])
    assert justified('\\frac{\\partial Q}{\\partial p_k}',
                     '\\frac{1}{N} \\sum_{i=1}^{N} \\frac{\\partial}{\\partial p_k} (p_i - y_i)^2',
                     ["definition", "sum"])
    assert not justified('\\frac{\\partial Q}{\\partial p_k}',
                         '\\frac{2}{N} \\sum_{i=1}^{N} \\frac{\\partial}{\\partial p_k} (p_i - y_i)^2',
                         ["definition", "sum"])


def test_a_sum_of_sums_is_differentiated_term_by_term():
    previous = '\\frac{\\partial}{\\partial z_k} \\sum_{m=1}^{N} \\sum_{i=1}^{n} a_m z_i^2'
    step = '\\sum_{m=1}^{N} \\sum_{i=1}^{n} a_m \\frac{\\partial}{\\partial z_k} z_i^2'
    assert justified(previous, step, ["sum"])
    assert not justified(previous, step, ["constant"])


def test_a_factor_that_varies_is_not_pulled_out_by_the_sum_rule():
    # S_k depends on z_k: d(S_k sum_i y_i z_i) needs the product rule
    previous = '\\frac{\\partial}{\\partial z_k} \\left(S_k \\sum_{i=1}^{n} y_i z_i\\right)'
    wrong = 'S_k \\sum_{i=1}^{n} y_i \\frac{\\partial}{\\partial z_k} z_i'
    assert not justified(previous, wrong, ["sum"])
    assert not justified(previous, wrong, ["sum", "kronecker", "algebra"])


# -- dz_i/dz_k = delta_ik is the kronecker rule's ----------------------------------------

def test_citing_sum_for_a_step_that_needs_kronecker_is_not_justified():
    previous = '\\frac{\\partial}{\\partial z_k} \\sum_{i=1}^{n} w_i z_i'
    assert justified(previous, 'w_k', ["sum", "kronecker"])
    assert not justified(previous, 'w_k', ["sum"])
    assert not justified(previous, 'w_k', ["sum", "algebra"])
    assert justified('\\frac{\\partial z_i}{\\partial z_k}', '\\delta_{ik}', ["kronecker"])
    assert not justified('\\frac{\\partial z_i}{\\partial z_k}', '\\delta_{ik}', ["algebra"])


# -- sum algebra is algebra ---------------------------------------------------------------

def test_a_sum_of_an_add_is_split_and_its_constants_pulled_out():
    assert justified('-\\sum_{i=1}^{n} y_i (\\delta_{ik} - S_k)', '-y_k + S_k \\sum_{i=1}^{n} y_i', ["algebra"])
    assert justified('\\sum_{i=1}^{n} 3 a_i b_k', '3 b_k \\sum_{j=1}^{n} a_j', ["algebra"])
    assert justified('\\sum_{i=1}^{n} (a_i - b_i)^2', '\\sum_{i=1}^{n} (b_i - a_i)^2', ["algebra"])
    # a factor that depends on the index stays inside
    assert not justified('\\sum_{i=1}^{n} a_i b_i', 'b_k \\sum_{i=1}^{n} a_i', ["algebra"])
    assert not justified('-\\sum_{i=1}^{n} y_i (\\delta_{ik} - S_k)', '-y_k + S_k', ["algebra"])
    assert not justified('\\sum_{i=1}^{n} 3 a_i b_k', '3 b_k \\sum_{j=1}^{N} a_j', ["algebra"])


def test_a_sum_of_a_constant_counts_its_terms():
    assert justified('\\sum_{i=1}^{N} 2 b_k', '2 N b_k', ["algebra"])
    assert not justified('\\sum_{i=1}^{N} 2 b_k', '2 b_k', ["algebra"])


def test_a_delta_is_summed_only_within_the_range():
    assert justified('\\sum_{i=1}^{n} \\delta_{ik} y_i', 'y_k', ["kronecker"])
    assert justified('\\sum_{i=1}^{n} \\delta_{ik} y_i', 'y_k', ["algebra"])
    # k = 1 is outside 2..n, k = n outside 1..n-1: no collapse without the case split
    for rules in (["kronecker"], ["algebra"], ["kronecker", "algebra"]):
        assert not justified('\\sum_{i=2}^{n} \\delta_{ik} y_i', 'y_k', rules)
        assert not justified('\\sum_{i=1}^{n-1} \\delta_{ik} y_i', 'y_k', rules)
        assert not justified('\\sum_{i=k+1}^{n} \\delta_{ik} y_i', 'y_k', rules)
    # in the case k >= 2 the collapse holds
    assert justified('\\sum_{i=2}^{n} \\delta_{ik} y_i', 'y_k', ["kronecker"], condition=sympy.Ge(k, 2))
    assert not justified('\\sum_{i=2}^{n} \\delta_{ik} y_i', 'y_k', ["kronecker"], condition=sympy.Eq(k, 1))


def test_a_delta_between_two_bound_indices_is_not_summed_across_ranges():
    # j runs to N, i to n: sum_j sum_i delta_ij a_i b_j is sum over j <= min(n, N)
    assert not justified('\\sum_{j=1}^{N} \\sum_{i=1}^{n} \\delta_{ij} a_i b_j', '\\sum_{j=1}^{N} a_j b_j', ["algebra"])


# -- stated sums: only for a comparing rule -----------------------------------------------

def test_a_stated_sum_is_algebra_only_where_algebra_is_cited():
    before, after = 'S_k \\sum_{i=1}^{n} y_i - y_k', 'S_k - y_k'
    assert justified(before, after, ["algebra"], stated=True)
    assert not justified(before, after, ["algebra"], stated=False)
    assert not justified(before, after, ["kronecker"], stated=True)
    assert not justified(before, after, ["sum"], stated=True)
    # the stated sum is over 1..n: a sum over 1..N is another sum
    assert not justified('S_k \\sum_{i=1}^{N} y_i - y_k', after, ["algebra"], stated=True)
    assert not justified(before, '2 S_k - y_k', ["algebra"], stated=True)


# -- the whole softmax cross-entropy replay ---------------------------------------------

def test_the_cross_entropy_chain_is_justified_step_by_step():
    chain = [
        ('\\frac{\\partial L}{\\partial z_k}', None),
        ('-\\sum_{i=1}^{n} y_i \\frac{\\partial}{\\partial z_k} \\log S_i', ["definition", "sum"]),
        ('-\\sum_{i=1}^{n} y_i (\\delta_{ik} - S_k)',
         ["log", "quotient", "exp", "kronecker", "definition"]),
        ('-y_k + S_k \\sum_{i=1}^{n} y_i', ["kronecker"]),
        ('S_k - y_k', ["algebra"]),
    ]
    for (previous, _), (step, rules) in zip(chain, chain[1:]):
        assert justified(previous, step, rules, stated=True), (previous, step, rules)
    # the same lines citing a rule that does not produce them
    assert not justified(chain[1][0], chain[2][0], ["log", "quotient", "exp", "definition"], stated=True)
    assert not justified(chain[0][0], chain[1][0], ["definition"], stated=True)
    # a wrong step (i where k is meant) is not produced by the right rules
    assert not justified(chain[1][0], '-\\sum_{i=1}^{n} y_i (\\delta_{ik} - S_i)',
                         ["log", "quotient", "exp", "kronecker", "definition"], stated=True)


# -- the rules' output against sympy.diff at explicit sizes ------------------------------

def _explicit(expr, size, index_value, seed):
    """``expr`` at n = N = size, k = index_value, entries at random rationals."""
    rng = random.Random(seed)
    expr = expr.subs({n: size, N: size}).subs(k, index_value).doit()
    entries = sorted(expr.atoms(sympy.Indexed), key=str)
    return expr.xreplace({e: sympy.Rational(rng.randint(-30, 30), 11) for e in entries})


z, y, w, a = (sympy.IndexedBase(name, real=True) for name in "zywa")
RULE_CASES = [
    (("sum", "kronecker", "log", "exp", "quotient"), -Sum(y[i] * log(exp(z[i]) / Sum(exp(z[j]), (j, 1, n))), (i, 1, n))),
    (("sum", "kronecker", "power"), Sum((z[i] - y[i]) ** 2, (i, 1, N)) / N),
    (("sum", "kronecker"), 3 * Sum(w[i] * z[i], (i, 1, n))),
    (("sum", "kronecker", "product", "exp"), Sum(Sum(a[j] * z[i] * exp(z[i]), (i, 1, n)), (j, 1, N))),
]


@pytest.mark.parametrize("rules, expr", RULE_CASES, ids=[str(e)[:40] for _, e in RULE_CASES])
def test_rules_through_sums_agree_with_sympy_diff_written_out(rules, expr):
    m = meaning()
    rewritten = apply_rules(Derivative(expr, z[k]), rules, RuleContext(m))
    assert not rewritten.has(Derivative)
    for size in (2, 3, 4):
        for index_value in range(1, size + 1):
            written_out = expr.subs({n: size, N: size}).doit()
            truth = sympy.diff(written_out, z[index_value])
            got = rewritten.subs({n: size, N: size}).subs(k, index_value).doit()
            seed = 100 * size + index_value
            difference = (_explicit(truth, size, index_value, seed) - _explicit(got, size, index_value, seed))
            assert abs(sympy.N(difference, 40)) < sympy.Float("1e-30"), (size, index_value)


def test_sum_normal_form_is_an_identity_at_explicit_sizes():
    exprs = [
        Sum(y[i] * (KroneckerDelta(i, k) - exp(z[k])), (i, 1, n)),
        Sum(Sum(a[i] * w[j] + 2 * a[j], (j, 1, n)), (i, 1, n)),
        Sum((z[i] - y[i]) ** 2 * w[k], (i, 2, n)),
        Sum(KroneckerDelta(i, k) * z[i], (i, 1, n - 1)),
    ]
    for expr in exprs:
        shaped = sum_normal_form(expr)
        for size in (2, 3, 4):
            for index_value in range(1, size + 1):
                seed = 7 * size + index_value
                left = _explicit(expr, size, index_value, seed)
                right = _explicit(shaped, size, index_value, seed)
                assert sympy.simplify(left - right) == 0, (expr, shaped, size, index_value)
