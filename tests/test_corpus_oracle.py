"""The corpus's expected truths are the mathematics, not the tool's output:
every expected file is well formed, every proved or refuted relation has an
oracle pair, and the oracle (SymPy and mpmath, tests/corpus_oracle.py)
confirms each truth. The oracle itself is tested to fail where it must."""

import pytest
import sympy

import corpus_oracle as oracle
from corpus_oracle import CHECKED, README, Expected, Relation, confirm, load, posts

POSTS = posts()


def test_every_post_has_a_well_formed_expected_file():
    problems = [problem for post in POSTS for problem in load(post).problems]
    assert not problems, "\n".join(problems)


def test_every_proved_or_refuted_relation_has_an_oracle_pair():
    missing = [r.where for post in POSTS for r in load(post).relations if r.truth in CHECKED and r.pair is None]
    assert not missing, f"{len(missing)} relations without an oracle pair: {missing}"


def test_every_skip_is_listed_in_the_readme_with_its_reason():
    readme = README.read_text(encoding="utf-8")
    unlisted = [r.where for post in POSTS for r in load(post).relations
                if r.truth == "skip" and not oracle.skips_listed(readme, r)]
    assert not unlisted, f"skips not listed in tests/corpus/README.md: {unlisted}"


@pytest.mark.parametrize("post", POSTS, ids=[p.stem for p in POSTS])
def test_the_oracle_confirms_every_truth(post):
    expected = load(post)
    names = oracle.namespace(expected)
    findings = [confirm(expected, r, names) for r in expected.relations if r.truth in CHECKED]
    problems = [f"{f.relation.where} ({f.relation.truth}): {f.problem}" for f in findings if f.problem]
    symbolic = sum(1 for f in findings if f.symbolic)
    print(f"{post.name}: {len(findings)} pairs, {symbolic} also confirmed by simplify")
    assert not problems, "\n".join(problems)


# -- the oracle can fail ----------------------------------------------------------

def _expected(symbols="x", positive="", unit="", lets=(), functions=""):
    return Expected(oracle.CORPUS / "none.md", tuple(symbols.split()), tuple(positive.split()),
                    tuple(unit.split()), tuple(lets), (), (), tuple(functions.split()))


def _relation(truth, lhs, rhs):
    return Relation("none.md", 1, 0, truth, 1, (lhs, rhs), "")


@pytest.mark.parametrize("lhs, rhs", [
    ("diff(sigma(x), x)", "sigma(x)*(1 - sigma(x))"),
    ("diff(tanh(x), x)", "1 - tanh(x)**2"),
    ("sqrt(x**2)", "Abs(x)"),
])
def test_a_true_pair_is_confirmed_and_refuting_it_is_a_problem(lhs, rhs):
    assert confirm(_expected(), _relation("proved", lhs, rhs)).problem is None
    assert "agree" in confirm(_expected(), _relation("refuted", lhs, rhs)).problem


@pytest.mark.parametrize("lhs, rhs", [
    ("diff(sigma(x), x)", "sigma(x)*(1 + sigma(x))"),  # a sign error
    ("diff(tanh(x), x)", "2/(exp(x) + exp(-x))**2"),  # a factor 2 lost
    ("sqrt(x**2)", "x"),  # true only for x > 0: the negative region must be sampled
])
def test_a_wrong_pair_is_refuted_and_proving_it_is_a_problem(lhs, rhs):
    assert confirm(_expected(), _relation("refuted", lhs, rhs)).problem is None
    assert "differ" in confirm(_expected(), _relation("proved", lhs, rhs)).problem


def test_a_difference_below_rounding_does_not_refute_and_simplify_catches_it():
    tiny = ("x", "x + 10**(-70)")
    assert "agree" in confirm(_expected(), _relation("refuted", *tiny)).problem
    assert "nonzero constant" in confirm(_expected(), _relation("proved", *tiny)).problem


def test_points_where_a_side_is_not_real_are_skipped_not_counted():
    finding = confirm(_expected(), _relation("proved", "exp(log(x))", "x"))
    assert finding.problem is None and finding.defined >= oracle.MIN_POINTS
    assert "only 0 points" in confirm(_expected(), _relation("proved", "log(-x**2 - 1)", "0")).problem


def test_every_sign_region_is_sampled():
    symbols = sympy.symbols("a b c", real=True)
    points = oracle._points(list(symbols), _expected("a b c"), seed=7)
    signs = {tuple(value < 0 for value in point) for _, _, point in (next(points) for _ in range(8))}
    assert len(signs) == 8


def test_declared_positive_and_unit_symbols_keep_their_range():
    symbols = sympy.symbols("c p", real=True)
    points = oracle._points(list(symbols), _expected("c p", positive="c", unit="p"), seed=3)
    for _, _, (c, p) in (next(points) for _ in range(40)):
        assert c > 0 and 0 < p < 1


@pytest.mark.parametrize("text", ["__import__('os')", "open('x')", "undeclared + x", "eval('1')"])
def test_a_pair_reads_only_the_declared_names(text):
    assert "cannot read" in confirm(_expected(), _relation("proved", text, "x")).problem


def test_lets_and_lambdas_see_the_declared_names():
    lets = (("S", "exp(z1) + exp(z2)"), ("g", "Matrix([exp(z1)/S, exp(z2)/S])"))
    pair = ("g.jacobian([z1, z2])", "Matrix(2, 2, lambda i, j: g[i]*(KroneckerDelta(i, j) - g[j]))")
    assert confirm(_expected("z1 z2", lets=lets), _relation("proved", *pair)).problem is None


def test_abstract_functions_become_the_same_concrete_function_on_both_sides():
    quotient = ("diff(u(x)/v(x), x)", "(v(x)*diff(u(x), x) - u(x)*diff(v(x), x))/v(x)**2")
    flipped = ("diff(u(x)/v(x), x)", "(u(x)*diff(v(x), x) - v(x)*diff(u(x), x))/v(x)**2")
    rules = _expected("x", functions="u v")
    assert confirm(rules, _relation("proved", *quotient)).problem is None
    assert confirm(rules, _relation("refuted", *flipped)).problem is None
    assert "differ" in confirm(rules, _relation("proved", *flipped)).problem
