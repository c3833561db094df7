"""Declared shapes (symderive/post/shapes.py): ``X \\in \\mathbb{R}^{B \\times M}``
gives the free index i of x_{ij} the range 1..B, whatever the claim's sums
run that axis to.

The expected verdicts come from an oracle that builds each claim with
SymPy at explicit sizes (a matrix of B x C entry symbols, sympy.diff of
one entry in another, the sum written out term by term) and compares the
two sides at every index in the declared ranges: a claim that differs
somewhere must be refuted, one that agrees everywhere proved. A
counterexample the tool reports is replayed in the oracle at its sizes."""

from dataclasses import dataclass
from itertools import product

import pytest
import sympy

from symderive.evidence import Proved, Refuted
from symderive.kronecker import collapse_kronecker_sums
from symderive.post.check import check_post
from symderive.post.shapes import declared_shapes
from symderive.prover import Declared, ProofContext, prove_equal

SIZES = range(1, 5)
COLUMNS = 2  # the axis no claim here sums over: j in x_{ij} runs over it


@dataclass(frozen=True)
class Case:
    """A post declaring shapes and one claim
    sum_{m=1}^{upto} a_m d x_{m..} / d x_{i..} = a_i, with x's summed axis
    of length ``rows`` (j in 1..COLUMNS for a matrix)."""

    id: str
    post: str
    rows: str
    upto: str
    matrix: bool


def _post(declarations: str, claim: str) -> str:
    return f"{declarations}\n\n$${claim}$$\n"


def _matrix_claim(upto, x="x", a="a"):
    return rf"\sum_{{m=1}}^{{{upto}}} {a}_m \frac{{\partial {x}_{{mj}}}}{{\partial {x}_{{ij}}}} = {a}_i"


def _vector_claim(upto, x="x", v="v", k="k"):
    return rf"\sum_{{{k}=1}}^{{{upto}}} {v}_{k} \frac{{\partial {x}_{k}}}{{\partial {x}_i}} = {v}_i"


MATRIX_BB = r"Let $X \in \mathbb{R}^{B \times M}$ and $a \in \mathbb{R}^{B}$."
MATRIX_PLAIN_R = r"The input $X \in R^{B\times M}$ and the row weights $c \in R^{B}$."
MATRIX_LOWER = r"With $W \in \mathbb{R}^{n \times d}$ and $b \in \mathbb{R}^{n}$, $c \in \mathbb{R}^{d}$:"
VECTOR_BOLD = r"Let $\mathbf{x} \in \mathbb{R}^{n}$, $\mathbf{v} \in \mathbb{R}^{n}$ and $\mathbf{u} \in \mathbb{R}^{d}$."
VECTOR_BARE = r"Take $x \in \mathbb{R}^n$, $v \in \mathbb R^n$ and $u \in \mathbb{R}^d$."
VECTOR_LIST = r"Here $\mathbf w, \mathbf b \in \mathbb R^d$ and $\mathbf q \in \mathbb R^m$."

CASES = [
    Case("matrix-bb-sum-to-M", _post(MATRIX_BB, _matrix_claim("M")), "B", "M", True),
    Case("matrix-bb-sum-to-B", _post(MATRIX_BB, _matrix_claim("B")), "B", "B", True),
    Case("matrix-plain-R-sum-to-M", _post(MATRIX_PLAIN_R, _matrix_claim("M", "X", "c")), "B", "M", True),
    Case("matrix-plain-R-sum-to-B", _post(MATRIX_PLAIN_R, _matrix_claim("B", "X", "c")), "B", "B", True),
    Case("matrix-lower-sum-to-d", _post(MATRIX_LOWER, _matrix_claim("d", "w", "b")), "n", "d", True),
    Case("matrix-lower-sum-to-n", _post(MATRIX_LOWER, _matrix_claim("n", "w", "b")), "n", "n", True),
    Case("vector-bold-sum-to-d", _post(VECTOR_BOLD, _vector_claim("d")), "n", "d", False),
    Case("vector-bold-sum-to-n", _post(VECTOR_BOLD, _vector_claim("n")), "n", "n", False),
    Case("vector-bare-sum-to-d", _post(VECTOR_BARE, _vector_claim("d")), "n", "d", False),
    Case("vector-bare-sum-to-n", _post(VECTOR_BARE, _vector_claim("n")), "n", "n", False),
    Case("vector-list-sum-to-m", _post(VECTOR_LIST, _vector_claim("m", "w", "b", "l")), "d", "m", False),
    Case("vector-list-sum-to-d", _post(VECTOR_LIST, _vector_claim("d", "w", "b", "l")), "d", "d", False),
]


def oracle_difference(case: Case, sizes: dict, i: int, j: int = 1) -> sympy.Expr:
    """lhs - rhs of the case's claim at explicit sizes, by SymPy alone."""
    rows, upto = sizes[case.rows], sizes[case.upto]
    a = [sympy.Symbol(f"a{k}") for k in range(1, rows + 1)]
    if case.matrix:
        x = sympy.Matrix(rows, COLUMNS, lambda r, c: sympy.Symbol(f"x{r + 1}_{c + 1}"))
        lhs = sum(a[m - 1] * sympy.diff(x[m - 1, j - 1], x[i - 1, j - 1]) for m in range(1, upto + 1))
    else:
        x = [sympy.Symbol(f"x{k}") for k in range(1, rows + 1)]
        lhs = sum(a[m - 1] * sympy.diff(x[m - 1], x[i - 1]) for m in range(1, upto + 1))
    return sympy.expand(lhs - a[i - 1])


def oracle_verdict(case: Case) -> str:
    """refuted when some sizes (each length on its own, the sum within the
    axis it runs over) and some indices in the declared ranges make the two
    sides differ; proved when none do."""
    names = sorted({case.rows, case.upto})
    for values in product(SIZES, repeat=len(names)):
        sizes = dict(zip(names, values))
        if sizes[case.upto] > sizes[case.rows]:
            continue  # the sum would run past the declared axis: no such entries
        for i, j in product(range(1, sizes[case.rows] + 1), range(1, COLUMNS + 1) if case.matrix else (1,)):
            if oracle_difference(case, sizes, i, j) != 0:
                return "refuted"
    return "proved"


def _claim(text: str):
    claims = check_post(text, "shapes.md", 10).claims()
    assert len(claims) == 1, [(c.lhs, c.rhs) for c in claims]
    return claims[0]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_sum_to_another_length_than_declared_is_refuted_and_to_the_declared_one_proved(case):
    expected = oracle_verdict(case)
    step = _claim(case.post)
    assert step.verdict == expected, step.evidence
    if expected == "refuted":
        point = {name: int(value) for name, value in step.evidence.point if name in {case.rows, case.upto, "i", "j"}}
        sizes = {case.rows: point[case.rows], case.upto: point[case.upto]}
        assert sizes[case.upto] < sizes[case.rows]  # the counterexample is a row the sum never reaches
        assert 1 <= point["i"] <= sizes[case.rows]
        assert oracle_difference(case, sizes, point["i"], point.get("j", 1)) != 0


def test_the_cases_hold_both_kinds():
    # the oracle, not the case's name, decides; each notation has a wrong and a right variant
    verdicts = {c.id: (c.upto == c.rows, oracle_verdict(c)) for c in CASES}
    assert {same for same, v in verdicts.values() if v == "proved"} == {True}
    assert {same for same, v in verdicts.values() if v == "refuted"} == {False}
    assert len(verdicts) == 2 * sum(1 for same, _ in verdicts.values() if same)


def test_a_sum_to_a_length_no_shape_names_is_never_proved():
    # x has n entries; K is named by no declaration: the claim holds only if K = n
    post = _post(r"Take $x \in \mathbb{R}^n$ and $v \in \mathbb{R}^n$.", _vector_claim("K"))
    case = Case("undeclared", post, "n", "K", False)
    assert oracle_verdict(case) == "refuted"  # K = 1, n = 2, i = 2
    assert _claim(post).verdict != "proved"


UPSTREAM = (r"The weight $W \in \mathbb{R}^{N \times M}$ and the input $X \in \mathbb{R}^{B \times M}$.",
            r"\sum_{m=1}^{%s} \sum_{n=1}^N \frac{\partial L}{\partial y_{mn}} w_{nj} "
            r"\frac{\partial x_{mj}}{\partial x_{ij}} = \sum_{n=1}^N \frac{\partial L}{\partial y_{in}} w_{nj}")


def _upstream_difference(sizes: dict, i: int, j: int, upto: str) -> sympy.Expr:
    """The claim for the linear loss L = sum g_mn y_mn (dL/dy_mn = g_mn), by SymPy."""
    rows, columns, outputs = sizes["B"], sizes["M"], sizes["N"]
    x = sympy.Matrix(rows, columns, lambda r, c: sympy.Symbol(f"x{r + 1}_{c + 1}"))
    g = sympy.Matrix(rows, outputs, lambda r, c: sympy.Symbol(f"g{r + 1}_{c + 1}"))
    w = sympy.Matrix(outputs, columns, lambda r, c: sympy.Symbol(f"w{r + 1}_{c + 1}"))
    lhs = sum(g[m, n] * w[n, j - 1] * sympy.diff(x[m, j - 1], x[i - 1, j - 1])
              for m in range(sizes[upto]) for n in range(outputs))
    rhs = sum(g[i - 1, n] * w[n, j - 1] for n in range(outputs))
    return sympy.expand(lhs - rhs)


def test_an_upstream_gradient_summed_over_too_few_rows_is_refuted_at_a_row_past_the_sum():
    step = _claim(_post(UPSTREAM[0], UPSTREAM[1] % "M"))
    assert step.verdict == "refuted", step.evidence
    point = {name: int(value) for name, value in step.evidence.point if name in {"B", "M", "N", "i", "j"}}
    sizes = {"N": 2, **point}
    assert sizes["M"] < sizes["B"] and point["i"] > sizes["M"]
    assert _upstream_difference(sizes, point["i"], point.get("j", 1), "M") != 0


def test_an_upstream_gradient_summed_over_every_row_is_not_refuted():
    for sizes in ({"B": 3, "M": 2, "N": 2}, {"B": 2, "M": 3, "N": 1}):
        assert all(_upstream_difference(sizes, i, j, "B") == 0
                   for i in range(1, sizes["B"] + 1) for j in range(1, sizes["M"] + 1))
    step = _claim(_post(UPSTREAM[0], UPSTREAM[1] % "B"))
    assert step.verdict != "refuted", step.evidence


@pytest.mark.parametrize("text, expected", [
    (r"$X \in \mathbb{R}^{B \times M}$", {"X": ("B", "M")}),
    (r"$X \in R^{B\times M}$", {"X": ("B", "M")}),
    (r"$W \in \mathbb{R}^{n \times d}$", {"W": ("n", "d")}),
    (r"$x \in \mathbb{R}^n$", {"x": ("n",)}),
    (r"$\mathbf{x} \in \mathbb{R}^{d}$", {"x": ("d",)}),
    (r"$\mathbf w, \mathbf b\in \mathbb R^d$", {"w": ("d",), "b": ("d",)}),
    (r"$c\in\mathbb R, y\in \mathbb R^2$", {"y": ("2",)}),
    (r"$\boldsymbol{\theta} \in \mathbb{R}^{p}$", {"theta": ("p",)}),
    # an accented or subscripted letter is another name; one name with two shapes is no declaration
    (r"$\hat{y} \in \mathbb{R}^n$ and $z_i \in \mathbb{R}^d$ and $\bar x \in R^n$", {}),
    (r"$A \in \mathbb{R}^{m \times n}$, later $A \in \mathbb{R}^{n \times n}$", {}),
])
def test_declarations_are_read_in_their_notations(text, expected):
    assert dict(declared_shapes(text).declared) == expected


# -- the prover and the Kronecker collapse, handed the lengths directly ------------------------------

I, M_, B_, NN = sympy.Symbol("i", integer=True), *sympy.symbols("M B N", integer=True, positive=True)
MM = sympy.Symbol("m", integer=True)
A = sympy.IndexedBase("a", real=True)


def _explicit(upto: int, i: int) -> sympy.Expr:
    """sum_{m=1}^{upto} delta_{mi} a_m - a_i, written out term by term."""
    terms = [sympy.Symbol(f"a{m}") * (1 if m == i else 0) for m in range(1, upto + 1)]
    return sympy.Add(*terms) - sympy.Symbol(f"a{i}")


@pytest.mark.parametrize("upper, refuted", [(M_, True), (B_, False)], ids=["sum-to-M", "sum-to-B"])
def test_the_prover_takes_declared_lengths_from_its_context(upper, refuted):
    declared = Declared(((I, B_),), frozenset({B_, M_}), frozenset({upper}), ((upper, B_),) if upper != B_ else ())
    lhs = sympy.Sum(sympy.KroneckerDelta(MM, I) * A[MM], (MM, 1, upper))
    verdict = prove_equal(lhs, A[I], ProofContext(sympy.true, 10, declared))
    if refuted:
        assert isinstance(verdict, Refuted), verdict
        point = {k: int(v) for k, v in verdict.point if k in {"B", "M", "i"}}
        assert point["M"] < point["B"] and _explicit(point["M"], point["i"]) != 0
    else:
        assert isinstance(verdict, Proved), verdict
        assert all(_explicit(b, i) == 0 for b in SIZES for i in range(1, b + 1))


def test_a_carried_range_keeps_the_collapse_guard():
    ranged_i = sympy.Idx(I, (1, B_))
    collapsed = collapse_kronecker_sums(sympy.Sum(sympy.KroneckerDelta(MM, ranged_i) * A[MM], (MM, 1, M_)))
    for b, m in product(SIZES, SIZES):
        for i in range(1, b + 1):
            value = collapsed.xreplace({ranged_i: i}).subs({B_: b, M_: m})
            value = value.xreplace({A[k]: sympy.Symbol(f"a{k}") for k in range(1, 5)})
            assert sympy.expand(value - sympy.Symbol(f"a{i}") - _explicit(m, i)) == 0, (b, m, i, collapsed)
