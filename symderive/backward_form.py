"""The backward form of an activation: F with f'(x) = F(y), y = f(x).

Backpropagation keeps y = f(x) and wants f'(x) from it (sigmoid: y(1 - y),
tanh: 1 - y^2, softplus: 1 - e^{-y}, ELU for x < 0: y + alpha). The search
is elimination by linear algebra over the exp-substituted field: F is sought
as a combination of a basis in y (powers up to the given degree, and
e^{+-s y} for s = 1 and each positive parameter); substituting y = f(x),
writing e^{kx} as powers of one symbol t and every other transcendental
atom (x itself, erf(x), ...) as an independent symbol, the identity
f'(x) = F(f(x)) becomes a polynomial identity whose coefficients are linear
equations in the unknown weights. No solution means "none in this basis".
Piecewise activations are searched region by region.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import exp
from sympy.polys.fields import sfield
from sympy.polys.matrices import DomainMatrix

from .runner import Timeout, run_with_deadline
from .evidence import Proved
from .normal_form import exp_rational_normal_form
from .prover import prove_equal
from .regions import as_piecewise
from .settings import DEFAULT_TIMEOUT

Y = sympy.Symbol("y", real=True)
DEFAULT_DEGREE = 4


@dataclass(frozen=True)
class RegionForm:
    """The output form found for one region (condition True: everywhere)."""

    condition: sympy.Basic
    form: sympy.Expr | None
    note: str


def _basis(parameters, degree):
    """1, y, ..., y^degree, then e^{s y} and e^{-s y} for each scale s."""
    scales = [sympy.Integer(1)] + [p for p in parameters if p.is_positive]
    basis = [Y**k for k in range(degree + 1)]
    for s in scales:
        basis += [exp(s * Y), exp(-s * Y)]
    return basis


def _rationalize(expr, x):
    """expr with exp(k x + c) -> e^c t^k (k rational) and every other atom
    that depends on x (x itself, erf(x), exp of anything else) as an
    independent symbol, read top-down."""
    expr = exp_rational_normal_form_input(expr)
    names: dict = {}
    t = sympy.Symbol("t_exp", positive=True)

    def name(atom):
        if atom not in names:
            names[atom] = sympy.Symbol(f"g{len(names)}", real=True)
        return names[atom]

    def rewrite(node):
        if not node.has(x):
            return node
        if node == x:
            return name(x)
        if isinstance(node, sympy.exp):
            constant, rest = sympy.expand(node.args[0]).as_independent(x, as_Add=True)
            k, monomial = rest.as_coeff_Mul()
            if monomial == x and k.is_Rational:
                return exp(constant) * t**k
            return name(node)
        if isinstance(node, sympy.Function):
            return name(node)
        return node.func(*(rewrite(a) for a in node.args))

    return rewrite(expr)


def exp_rational_normal_form_input(expr):
    return expr.rewrite(exp) if expr.has(sympy.tanh, sympy.sinh, sympy.cosh) else expr


def _search_region(expr, derivative, x, parameters, degree):
    basis = _basis(parameters, degree)
    weights = sympy.symbols(f"w0:{len(basis)}")
    candidate = sum(w * b for w, b in zip(weights, basis))
    try:
        try:
            chosen = _weights_by_polys(derivative, basis, degree, expr, x, weights, parameters)
        except (_OutsidePolys, sympy.PolynomialError):
            residual = _rationalize(derivative - candidate.subs(Y, expr), x)
            chosen = _weights_by_linsolve(residual, weights, parameters)
    except sympy.PolynomialError:
        return None, "not polynomial after substitution"
    if chosen is None:
        return None, f"none of degree <= {degree} in y, e^(+-y)"
    raw = candidate.xreplace(chosen)
    form = min((sympy.factor(raw), sympy.expand(raw)), key=sympy.count_ops)
    if not _checks(form.subs(Y, expr), derivative):
        return None, "candidate did not check"
    return form, "found by elimination"


class _OutsidePolys(Exception):
    """The coefficients need SymPy's general expression domain (sqrt(2), pi):
    left to the expression-level elimination."""


def _weights_by_polys(derivative, basis, degree, expr, x, weights, parameters):
    """The weights with f' = sum w_m b_m(f) as an identity of rational
    functions, by linear algebra over the parameters' fraction field in
    SymPy's polynomial domains (not together, expand and linsolve on
    expressions, which are slower). With several solutions, the free weights
    are 0; None when there is none."""
    # one call, so that each atom gets the same name in every item; the
    # powers of y are taken in the field, not expanded as expressions
    powers = degree + 1  # the basis is 1, y, ..., y^degree, then exponentials (_basis)
    items = list(_rationalize(sympy.Tuple(derivative, expr, *(b.subs(Y, expr) for b in basis[powers:])), x))
    generators = sorted(set().union(*(item.free_symbols for item in items)) - set(parameters), key=str)
    if not generators:
        raise _OutsidePolys()
    field, (target, y, *rest) = sfield(items, *generators)
    if field.domain.is_EX:
        raise _OutsidePolys()
    terms = [y**k for k in range(powers)] + rest
    common = target.denom
    for term in terms:
        common = common.lcm(term.denom)
    # clear denominators: target * common = sum w_m term_m * common, monomial by monomial
    columns = [dict(term.numer * common.exquo(term.denom)) for term in terms]
    right = dict(target.numer * common.exquo(target.denom))
    monomials = sorted(set(right).union(*columns))
    domain = field.domain.get_field()
    rows = [[domain.convert(column.get(m, 0)) for column in columns] + [domain.convert(right.get(m, 0))]
            for m in monomials]
    reduced, pivots = DomainMatrix(rows, (len(rows), len(terms) + 1), domain).rref()
    if len(terms) in pivots:  # a pivot in the right-hand side: inconsistent
        return None
    values = [domain.zero] * len(terms)
    for row, column in enumerate(pivots):
        values[column] = reduced[row, len(terms)].element
    return {w: domain.to_sympy(v) for w, v in zip(weights, values)}


def _weights_by_linsolve(residual, weights, parameters):
    """As _weights_by_polys, on expressions (any coefficients)."""
    numerator = sympy.expand(sympy.together(residual).as_numer_denom()[0])
    generators = sorted(numerator.free_symbols - set(weights) - set(parameters), key=str)
    polynomial = sympy.Poly(numerator, *generators) if generators else sympy.Poly(numerator, sympy.Dummy())
    equations = [c for c in polynomial.coeffs() if c != 0]
    solutions = sympy.linsolve(equations, weights)  # linear in the weights: no general solve
    if not solutions:
        return None
    solution = next(iter(solutions))
    free = {u: 0 for u in weights}  # a family of solutions: the one with the free weights 0
    return {w: v.xreplace(free) for w, v in zip(weights, solution)}  # linsolve gives SymPy values


def _checks(value, derivative) -> bool:
    """The candidate F(f(x)) equals f'(x): by the exp-rational normal form,
    else by the prover (which the engine runs again on every form found)."""
    if exp_rational_normal_form(value - derivative) == 0:
        return True
    return isinstance(prove_equal(value, derivative), Proved)


def _regions(expr, x):
    """(condition, piece, derivative of the piece) for each region of f; in
    the interior of a region f' is the derivative of its piece."""
    pieces = sympy.piecewise_fold(as_piecewise(expr))
    if not isinstance(pieces, sympy.Piecewise):
        return [(sympy.true, pieces, sympy.diff(pieces, x))]
    regions, earlier = [], sympy.false
    for body, condition in pieces.args:  # a Piecewise's conditions are read in order
        regions.append((interval_condition(sympy.And(condition, sympy.Not(earlier)), x), body,
                        sympy.diff(body, x)))
        earlier = sympy.Or(earlier, condition)
    return regions


_STRICT = {sympy.StrictGreaterThan: True, sympy.GreaterThan: False,
           sympy.StrictLessThan: True, sympy.LessThan: False}


def _bound(relation, x):
    """(side, bound, strict) of an inequality linear in x (``lambda >= -x``
    is the lower bound x >= -lambda), side "lower" or "upper"; None for any
    other relation or where the sign of x's coefficient is not known."""
    if type(relation) not in _STRICT:
        return None
    difference = relation.lhs - relation.rhs  # op 0, op as in the relation
    slope = difference.diff(x)
    if slope.has(x) or not (slope.is_positive or slope.is_negative):
        return None
    bound = sympy.simplify(-(difference - slope * x) / slope)
    greater = isinstance(relation, (sympy.StrictGreaterThan, sympy.GreaterThan))
    side = "lower" if greater == bool(slope.is_positive) else "upper"
    return side, bound, _STRICT[type(relation)]


def _tightest(bounds, side):
    """The bound of ``bounds`` that implies all the others, or None when
    their order is not known (symbolic bounds of unknown sign)."""
    best = bounds[0]
    for bound, strict in bounds[1:]:
        gap = bound - best[0] if side == "lower" else best[0] - bound
        if gap.is_positive or (gap.is_zero and strict):
            best = (bound, strict)
        elif not (gap.is_nonpositive or gap.is_zero):
            return None
    return best


def interval_condition(condition, x):
    """A region of x as a reader writes it: ``~((lambda < x) | (lambda >= -x))``
    becomes ``x < -lambda`` when every part bounds x and the bounds' order is
    known (lambda > 0 here). The same set either way; anything else is
    returned as it is."""
    conjuncts = sympy.to_nnf(condition)
    parts = conjuncts.args if isinstance(conjuncts, sympy.And) else (conjuncts,)
    bounds = {"lower": [], "upper": []}
    for part in parts:
        found = _bound(part, x) if isinstance(part, sympy.core.relational.Relational) else None
        if found is None:
            return condition
        bounds[found[0]].append(found[1:])
    kept = []
    for side, make in (("lower", (sympy.Ge, sympy.Gt)), ("upper", (sympy.Le, sympy.Lt))):
        if bounds[side]:
            best = _tightest(bounds[side], side)
            if best is None:
                return condition
            kept.append(make[best[1]](x, best[0], evaluate=False))
    return sympy.And(*kept) if kept else sympy.true


def _search(expr, x, parameters, degree):
    found = []
    for condition, body, slope in _regions(expr, x):
        if not body.has(x):
            found.append(RegionForm(condition, None, "f is constant here: y does not determine x"))
            continue
        if not parameters and _changes_sign(slope, x, condition):
            found.append(RegionForm(condition, None, "f' changes sign here, so f is not one-to-one: "
                                                     "y does not determine f'"))
            continue
        form, note = _search_region(body, slope, x, parameters, degree)
        found.append(RegionForm(condition, form, note))
    return tuple(found)


_SAMPLES = tuple(sympy.Rational(k) for k in ("-4", "-2", "-1", "-1/2", "0", "1/2", "1", "2", "4"))


def _changes_sign(slope, x, condition) -> bool:
    """f' > 0 at one sample point of the region and f' < 0 at another: then f
    has an extremum between them, and near it one y comes from two x with
    derivatives of opposite signs, so no F(y) can give f'. (A shortcut past
    the search, whose answer would be 'none'.)"""
    signs = set()
    for point in _SAMPLES:
        if condition is not sympy.true and condition.subs(x, point) is not sympy.true:
            continue
        value = slope.evalf(15, subs={x: point})  # no substituted expression built
        if value.is_number and value.is_real and abs(value) > 1e-9:
            signs.add(value > 0)
    return len(signs) == 2


def output_forms(activation, degree: int = DEFAULT_DEGREE, timeout: float = DEFAULT_TIMEOUT) -> tuple[RegionForm, ...]:
    """The output form of an activation's derivative, region by region."""
    x = activation.variable
    parameters = tuple(sorted((s for s in activation.expr.free_symbols if s != x), key=str))
    try:
        return run_with_deadline(_search, (activation.expr, x, parameters, degree), timeout)
    except Timeout as error:
        return (RegionForm(sympy.true, None, f"search stopped: {error}"),)
    except RuntimeError as error:
        return (RegionForm(sympy.true, None, f"search failed: {error}"),)
