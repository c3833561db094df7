"""prove_equal(a, b, context) -> Proved | Refuted | Unknown.

Strategies are small functions tried in the order of ``STRATEGIES``, cheapest
first; each returns a verdict or ``None`` ("not my case"). Exact methods come
before numeric search; the splits on signs and floors (``EXACT_SPLITS``),
which only prove, come after it, so a wrong claim is refuted before they
are tried; ``simplify`` is the last resort, run in a child process that is
killed at the time limit. Numeric evaluation only refutes. The strategies
live in the ``prove_*`` modules; those that prove parts are handed the
prover (``_with_prover``), so none of them imports this module.

The contract: ``Proved`` means a and b are equal for every real value of the
variables in ``context.condition`` where both sides are defined (undefined
functions are real-valued; a free index runs over the vector range, see
kronecker.py, or over the length a declared shape gives it,
``context.declared``). Each strategy's docstring names the identity it relies on
and where it holds; a rewrite valid on part of the region only is split
into cases or not made. Two sides that differ at a single point where a
case boundary lies (a derivative's value at a kink is a convention) are
``Unknown``, not proved. ``Refuted`` means a point where the two sides
differ with certainty (interval arithmetic); ``Unknown`` otherwise, with
the reason.
"""

from __future__ import annotations

from functools import lru_cache, wraps

import sympy

from . import sampling, prove_cases, prove_floors, prove_matrices, prove_signs
from .case_functions import SPLIT_BY_REGION, has_cases
from .evidence import Proved, Unknown
from .held_values import held_values
from .kronecker import bound_apart, collapse_kronecker_sums, limits_as_counts, vector_range
from .normal_form import exp_rational_normal_form
from .prove_base import Declared, ProofContext, Strategy, within
from .prove_numeric import numeric_refutation, simplify_last_resort

__all__ = ["EXACT_SPLITS", "Declared", "ProofContext", "STRATEGIES", "Strategy", "case_split", "exp_normal_form", "floor_split",
           "matrix_shapes", "numeric_refutation", "prove_equal", "prove_exactly", "sign_split", "simplify_last_resort",
           "structural", "tuples"]


def structural(a, b, context):
    """a and b are the same tree. Identity: x = x; holds everywhere (SymPy's
    automatic evaluation, e.g. sqrt(x^2) -> |x| for real x, uses only the
    symbols' assumptions)."""
    return Proved("structural equality") if a == b else None


def exp_normal_form(a, b, context):
    """Difference is 0 as a rational function of exp monomials
    (normal_form.py). Identities: trig and hyperbolic functions as exp and
    erfc = 1 - erf (every complex value); e^{c m} = (e^m)^c for integer c
    (always) and rational c (m real only, where e^m > 0); log splits only
    where SymPy knows the factors positive; acos = pi/2 - asin (every
    complex value); atanh(tanh u) = asinh(sinh u) = u, acosh(cosh u) = |u|
    for real u only; atan(c/v) = +-pi/2 - atan(v/c) only where the sign of
    v is known. sgn, Abs, sqrt, non-integer powers, log, inverse trig, floor
    stay functions of their normalised (factored) argument, never rewritten
    by a branch. Declines on cases (Piecewise, Max, Min, Heaviside, Abs):
    case_split takes those."""
    if has_cases(a, SPLIT_BY_REGION) or has_cases(b, SPLIT_BY_REGION):
        return None
    return _by_normal_form(a, b)


def _by_normal_form(a, b):
    return Proved("exp-rational normal form") if exp_rational_normal_form(a - b) == 0 else None


def _with_prover(strategy):
    """``strategy`` proving its parts (entries, regions) with ``prove_equal``:
    the strategy modules are handed the prover instead of importing it."""
    @wraps(strategy)
    def bound(a, b, context):
        return strategy(a, b, context, prove_equal)
    return bound


def prove_exactly(a, b, context):
    """Proved by an exact identity of the two sides as they stand (the same
    tree, or the normal form, sign functions included as functions of their
    normalised arguments); else None. The splits prove their cases with it:
    no sampling, no simplify, no further split."""
    return structural(a, b, context) or _by_normal_form(a, b)


def _with_exact_prover(strategy):
    """``strategy`` proving its cases with ``prove_exactly``."""
    @wraps(strategy)
    def bound(a, b, context):
        return strategy(a, b, context, prove_exactly)
    return bound


matrix_shapes = _with_prover(prove_matrices.matrix_shapes)
tuples = _with_prover(prove_matrices.tuples)
sign_split = _with_exact_prover(prove_signs.sign_split)
floor_split = _with_exact_prover(prove_floors.floor_split)
EXACT_SPLITS: tuple[Strategy, ...] = (sign_split, floor_split)


def case_split(a, b, context):
    """``prove_cases.case_split``, the regions proved by ``prove_equal``; a
    claim it leaves unknown (a boundary, a region in two variables) is
    given to the exact splits, which only prove."""
    verdict = prove_cases.case_split(a, b, context, prove_equal)
    if isinstance(verdict, Unknown):
        return next((v for v in (split(a, b, context) for split in EXACT_SPLITS) if isinstance(v, Proved)), verdict)
    return verdict


def held_derivatives(a, b, context):
    """Proved when the claim holds with every derivative of an undefined
    name (and every undefined function's value) held as a free value
    (held_values.py): algebra in df/dx_hat_i, true whatever f is. It
    never refutes: a step false for most values holds for some f."""
    held = held_values(a, b, frozenset())
    if held is None:
        return None
    left, right, values_left, values_right = held
    verdict = prove_equal(left, right, context)
    if not isinstance(verdict, Proved):
        return None
    names = ", ".join(sorted(str(v) for v in values_left | values_right))
    return Proved(f"{verdict.method}, for every value of {names}")


STRATEGIES: tuple[Strategy, ...] = (
    structural,
    matrix_shapes,
    tuples,
    exp_normal_form,
    case_split,
    held_derivatives,
    numeric_refutation,
    *EXACT_SPLITS,
    simplify_last_resort,
)


def prove_equal(a: sympy.Expr, b: sympy.Expr, context: ProofContext = ProofContext(), strategies=None):
    """Evidence that ``a == b`` holds in ``context.condition``, or a point where it fails
    (by ``strategies``, all of ``STRATEGIES`` unless given)."""
    a, b, condition = _prepared_or_not(a, b, context.condition, context.declared.indices)
    if condition is not context.condition:
        context = within(context, condition)
    for strategy in STRATEGIES if strategies is None else strategies:
        verdict = strategy(a, b, context)
        if verdict is not None:
            return verdict
    return Unknown("no strategy applies")


# -- helpers -----------------------------------------------------------------

def _prepared_or_not(a, b, condition, declared_indices):
    """``_prepare``, memoised where the claim can key a memo (a mutable
    Matrix cannot): a claim recurs as a step, as its rules' check and as
    the region of a split, and its sums are read the same way each time."""
    try:
        return _prepared(a, b, condition, declared_indices)
    except TypeError:  # unhashable
        return _prepare(a, b, condition, declared_indices)


@lru_cache(maxsize=4096)
def _prepared(a, b, condition, declared_indices):
    return _prepare(a, b, condition, declared_indices)


def _prepare(a, b, condition, declared_indices):
    """The two sides and the region as the strategies read them: each sum's
    upper limit a count, its indices plain integers and apart from the free
    names, the Kronecker sums collapsed, the case's equalities substituted."""
    counts = limits_as_counts(a, b, condition)
    if counts:  # the n of sum_{r=1}^n read as a real elsewhere in the post: a count everywhere
        condition = condition.xreplace(counts) if isinstance(condition, sympy.Basic) else condition
        a, b = a.xreplace(counts), b.xreplace(counts)
    a, b = _plain_indices(a), _plain_indices(b)
    # w_h beside sum_h x_h^2 (a definition unfolded): the bound h renamed, so h can be given values
    free = sympy.Tuple(a, b).free_symbols
    a, b = bound_apart(a, free), bound_apart(b, free)
    span = vector_range(sympy.Tuple(a, b), declared_indices)
    # collapsed with the index free (1 <= k <= n known), then the case k = c decides what is left
    a, b = collapse_kronecker_sums(a, span), collapse_kronecker_sums(b, span)
    return _apply_equalities(a, b, condition)


def _plain_indices(expr):
    """``_plain``, memoised where ``expr`` can key a memo: a side recurs
    as a step, as its rules' check and in a split's regions."""
    try:
        return _memoised_plain(expr)
    except TypeError:  # unhashable: a mutable Matrix
        return _plain(expr)


@lru_cache(maxsize=4096)
def _memoised_plain(expr):
    return _plain(expr)


def _plain(expr):
    """Every index bound by a sum or product made an integer without a sign:
    sum_{j=0}^{n-1} with j declared positive would let SymPy decide
    delta_{1, j+1} = 0 (j + 1 >= 2) though j = 0 is in the range."""
    if not isinstance(expr, sympy.Basic) or not expr.has(sympy.Sum, sympy.Product):
        return expr
    if not any(index.is_Symbol and index.assumptions0.get("positive") is not None
               for node in expr.atoms(sympy.Sum, sympy.Product) for index, *_ in node.limits):
        return expr

    def plain(node):
        replace = {index: sympy.Symbol(index.name, integer=True) for index, *_ in node.limits
                   if index.is_Symbol and index.assumptions0.get("positive") is not None}
        if not replace:
            return node
        limits = [(replace.get(i, i), *bounds) for i, *bounds in node.limits]
        return node.func(node.function.xreplace(replace), *limits)

    return expr.replace(lambda e: isinstance(e, (sympy.Sum, sympy.Product)), plain)


def _apply_equalities(a, b, condition):
    """A case i = k is used as the substitution i -> k everywhere, and a
    case k = 1 as k -> 1 (an index's value decides the Piecewise a sum's
    range left: sum_{j=2}^{n} delta_jk f_j is 0 at k = 1); a case x = c
    as x -> c, except at a kink of either side (the value of a derivative
    there is a convention: such a case stays unknown)."""
    for fact in sympy.And.make_args(condition):
        if not isinstance(fact, sympy.Eq):
            continue
        symbol, value = (fact.lhs, fact.rhs) if fact.lhs.is_Symbol else (fact.rhs, fact.lhs)
        if symbol.is_Symbol and (value.is_Symbol or value.is_Integer and symbol.is_integer
                                 or value.is_number and value.is_real
                                 and not sampling.on_a_boundary(sympy.Tuple(a, b), {symbol: value})):
            replace = {symbol: value}
            a, b = a.subs(replace), b.subs(replace)
            condition = condition.subs(replace)
    return a, b, condition
