"""Sign splits: a claim whose functions depend on the sign of an argument
(sgn, |.|, max, min, Heaviside, a logarithm or a non-integer power, a case
condition), proved case by case on that sign with an exact prover handed in.

Every real number is positive, negative or zero; so a claim holds for
every real value when it holds in each of the three cases. A case is
proved by one of:

* **substitution** (an argument linear in a real variable v, a v + r with
  a a nonzero number): v = v0 + p and v = v0 - p with p a fresh positive
  symbol, and v = v0, where v0 = -r/a. The map p -> v0 + p is a bijection
  of p > 0 onto {v > v0}, so a claim proved for every p > 0 holds on that
  side; SymPy's evaluation then uses the sign of p (|p| = p, log p^2 = 2
  log p, max(y + p, y) = y + p). The region's own half-lines (a condition
  v > c with a number c) are used the same way first.
* **between zeros** (an argument u continuous on the whole line in one
  variable v, with finitely many real zeros found by SymPy's solveset,
  e^v - 1, sigma(v) - 1/2): on each open interval between zeros u keeps
  one sign (intermediate value theorem), read with interval arithmetic at
  three points; there every sign function of u is replaced by its branch;
  at each zero v is substituted.
* **replacement** (an argument u with no variable to solve for, sin x):
  where u > 0, |u| = u, sgn u = 1, H(u) = 1 and max(s, s - u) = s; where
  u < 0 the other branch; where u = 0 every occurrence of u is 0.

A replaced claim is proved for every value of the variables, more than
the case needs.

At a single point (v = v0) a side with no value (0/0, log 0) has nothing to
be equal to: "proved" means equal wherever both sides are defined. A case
whose region is empty (decided exactly, ``regions.is_empty``) needs no
proof. The strategy only proves: when a case is not proved exactly it
declines (None), so a wrong claim is left to the numeric search.
"""

from __future__ import annotations

import time
from functools import cmp_to_key

import sympy
from sympy.core.relational import Relational

from . import sampling
from .case_functions import BY_SIGN, SWITCHING
from .evidence import Proved
from .prove_base import as_expr, substitutable, undefined, within
from .regions import is_empty

MAX_CASES = 48  # proofs tried per claim before the split declines (3 cases per split)
BUDGET = 0.25  # the share of the claim's time limit the split may take before it declines

_SIGN_SENSITIVE = (sympy.log, sympy.atan)  # their branch depends on the sign of a variable argument
_HALF_LINES = (sympy.StrictGreaterThan, sympy.GreaterThan, sympy.StrictLessThan, sympy.LessThan)


def sign_split(a, b, context, prove):
    """Prove a = b in the three cases of the sign of one argument at a time
    (see the module's docstring for the identities and their domains).
    Proved when every case is proved by ``prove``; else None."""
    if not _arguments(sympy.Tuple(a, b), context.condition) and _half_line(
            context.condition, substitutable(sympy.Tuple(a, b, context.condition))) is None:
        return None
    pending = [(as_expr(a), as_expr(b), context.condition)]
    try:
        return _prove_cases(pending, context, prove)
    except (TypeError, ValueError, AttributeError, RecursionError):
        return None  # a substitution SymPy cannot make (a variable of a derivative): not this strategy's case


def _prove_cases(pending, context, prove):
    tried = 0
    ends = time.monotonic() + context.timeout * BUDGET
    while pending:
        if time.monotonic() > ends:
            return None
        left, right, condition = pending.pop()
        if undefined(left) or undefined(right) or is_empty(condition):
            continue
        tried += 1
        if tried > MAX_CASES:
            return None
        if isinstance(prove(left, right, within(context, condition)), Proved):
            continue
        cases = _split(left, right, condition)
        if cases is None:
            return None
        pending.extend(cases)
    return Proved("sign split (every case proved)")


def _split(a, b, condition):
    """The cases of the first split that applies, or None."""
    free = substitutable(sympy.Tuple(a, b, condition))
    half_line = _half_line(condition, free)
    if half_line is not None:
        return [_substituted(a, b, condition, *half_line)]
    arguments = _arguments(sympy.Tuple(a, b), condition)
    for argument in arguments:
        solved = _linear_root(argument, free)
        if solved is not None:
            variable, root = solved
            positive = sympy.Dummy("p", positive=True)
            return [_substituted(a, b, condition, variable, root + positive),
                    _substituted(a, b, condition, variable, root - positive),
                    _substituted(a, b, condition, variable, root)]
    for node in sympy.preorder_traversal(sympy.Tuple(a, b)):
        if isinstance(node, SWITCHING):
            argument = _argument_of(node)
            if argument is not None and argument.free_symbols and _sign_unknown(argument):
                by_zeros = _between_zeros(a, b, condition, argument, free)
                if by_zeros is not None:
                    return by_zeros
                return [_replaced(a, b, condition, argument, sign) for sign in (1, -1, 0)]
    return None


def _between_zeros(a, b, condition, argument, free):
    """The cases of the sign of a continuous argument u of one variable v:
    each open interval between its real zeros, where u keeps one sign (the
    intermediate value theorem), read at three points with interval
    arithmetic, and each zero, where v is substituted. Relies on SymPy's
    solveset for the complete set of real zeros (a finite set, else None)
    and on ``_continuous`` for u being continuous on the whole line."""
    if len(argument.free_symbols) != 1 or not argument.free_symbols <= free:
        return None
    (variable,) = argument.free_symbols
    if sympy.count_ops(argument) > _ZERO_LIMIT or not _continuous(argument):
        return None
    zeros = sympy.solveset(argument, variable, sympy.S.Reals)
    if not isinstance(zeros, (sympy.FiniteSet, type(sympy.S.EmptySet))) or len(zeros) > 8:
        return None
    if not all(z.is_number and z.is_real for z in zeros):
        return None
    zeros = sorted(zeros, key=cmp_to_key(lambda p, q: -1 if bool(p < q) else 1))
    edges = [None] + zeros + [None]
    cases = []
    for zero in zeros:  # the region keeps v = zero, so that a zero outside v's own sign is seen as empty
        left, right, rest = _substituted(a, b, condition, variable, zero)
        cases.append((left, right, sympy.And(rest, sympy.Eq(variable, zero))))
    for low, high in zip(edges, edges[1:]):
        sign = _sign_on(argument, variable, low, high)
        if sign is None:
            return None
        left, right, _ = _replaced(a, b, condition, argument, sign)
        bounds = [variable > low] if low is not None else []
        bounds += [variable < high] if high is not None else []
        cases.append((left, right, sympy.And(condition, *bounds)))
    return cases


def _sign_on(argument, variable, low, high):
    """The sign (+1 or -1) of argument at three points of (low, high), all
    certain and the same; else None."""
    if low is None and high is None:
        points = [sympy.Integer(-1), sympy.Integer(0), sympy.Integer(1)]
    elif low is None:
        points = [high - 1, high - 2, high - 10]
    elif high is None:
        points = [low + 1, low + 2, low + 10]
    else:
        points = [low + (high - low) * sympy.Rational(k, 4) for k in (1, 2, 3)]
    signs = set()
    for point in points:
        separation = sampling.separate(argument.xreplace({variable: point}), sympy.Integer(0), seconds=0.5)
        if separation.outcome is not sampling.SeparationOutcome.DIFFER:
            return None
        signs.add(1 if sampling.midpoint(separation.lhs) > 0 else -1)
    return signs.pop() if len(signs) == 1 else None


_ZERO_LIMIT = 40  # operations in an argument whose zeros are looked for
_CONTINUOUS = (sympy.exp, sympy.sin, sympy.cos, sympy.sinh, sympy.cosh, sympy.tanh, sympy.atan, sympy.erf,
               sympy.Abs)


def _continuous(expr) -> bool:
    """Whether expr is continuous on the whole real line, read from its
    form: sums and products of continuous parts, exp, sin, cos, sinh, cosh,
    tanh, atan, erf, |.|, non-negative integer powers, and any power of a
    base SymPy knows positive (1/(1 + e^{-x}))."""
    if expr.is_Atom:
        return expr.is_Symbol or expr.is_number and expr.is_finite
    if isinstance(expr, (sympy.Add, sympy.Mul)) or isinstance(expr, _CONTINUOUS):
        return all(_continuous(arg) for arg in expr.args)
    if isinstance(expr, sympy.Pow):
        base, exponent = expr.args
        allowed = (exponent.is_Integer and exponent >= 0) or (bool(base.is_positive) and exponent.is_number)
        return allowed and _continuous(base)
    return False


def _half_line(condition, free):
    """(v, v = c + p or c - p) for a fact v > c, v >= c, v < c or v <= c
    of the region, v a real variable and c a real number; else None."""
    for fact in sympy.And.make_args(condition):
        if not isinstance(fact, _HALF_LINES):
            continue
        variable, bound = fact.lhs, fact.rhs
        if not (variable in free and bound.is_number and bound.is_real):
            continue
        strict = isinstance(fact, (sympy.StrictGreaterThan, sympy.StrictLessThan))
        step = sympy.Dummy("p", positive=True) if strict else sympy.Dummy("p", nonnegative=True)
        above = isinstance(fact, (sympy.StrictGreaterThan, sympy.GreaterThan))
        return variable, bound + step if above else bound - step
    return None


def _substituted(a, b, condition, variable, value):
    """The case variable = value, the region's facts carried over."""
    replace = {variable: value}
    rest = sympy.And(*(fact.xreplace(replace) for fact in sympy.And.make_args(condition)))
    return a.xreplace(replace), b.xreplace(replace), rest


def _replaced(a, b, condition, argument, sign):
    """The case sgn(argument) = sign, every sign function of it replaced by
    its value there (for sign 0, every occurrence of the argument is 0)."""
    if sign == 0:
        region = sympy.And(condition, sympy.Eq(argument, 0))
        replace = {argument: sympy.Integer(0), -argument: sympy.Integer(0)}
        return a.xreplace(replace), b.xreplace(replace), region
    region = sympy.And(condition, argument > 0 if sign > 0 else argument < 0)

    def branch(node):
        inner = _argument_of(node)
        if inner == argument:
            orientation = sign
        elif inner == -argument:
            orientation = -sign
        else:
            return node
        return _branch(node, orientation)

    return _rebuilt(a, branch), _rebuilt(b, branch), region


def _rebuilt(expr, branch):
    """expr with each sign function replaced by ``branch`` of it, innermost first."""
    if expr.is_Atom:
        return expr
    rebuilt = expr.func(*(_rebuilt(arg, branch) for arg in expr.args))
    return branch(rebuilt) if isinstance(rebuilt, SWITCHING) else rebuilt


def _argument_of(node):
    if isinstance(node, (sympy.Max, sympy.Min)):
        return node.args[0] - node.args[1] if len(node.args) == 2 else None
    return node.args[0]


def _branch(node, orientation):
    """node where its argument has the sign ``orientation`` (+1 or -1)."""
    if isinstance(node, sympy.Abs):
        return orientation * node.args[0]
    if isinstance(node, sympy.sign):
        return sympy.Integer(orientation)
    if isinstance(node, sympy.Heaviside):
        return sympy.Integer(1 if orientation > 0 else 0)
    first, second = node.args  # first - second has the sign orientation
    larger, smaller = (first, second) if orientation > 0 else (second, first)
    return larger if isinstance(node, sympy.Max) else smaller


def _arguments(expr, condition) -> list:
    """Arguments whose sign decides a branch and is not known: of sgn, |.|
    and H, a variable under log, atan or a non-integer power, the
    differences of two-argument max and min, and the relations of case
    conditions and of the region."""
    found = []
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, BY_SIGN):
            found.append(node.args[0])
        elif isinstance(node, _SIGN_SENSITIVE) and node.args[0].is_Symbol:
            found.append(node.args[0])
        elif isinstance(node, sympy.Pow) and not node.exp.is_Integer and node.base.is_Symbol:
            found.append(node.base)
        elif isinstance(node, (sympy.Max, sympy.Min)) and len(node.args) == 2:
            found.append(node.args[0] - node.args[1])
        elif isinstance(node, Relational):
            found.append(node.lhs - node.rhs)
    for fact in sympy.And.make_args(condition):
        if isinstance(fact, Relational) and not isinstance(fact, (sympy.Eq, sympy.Ne)):
            found.append(fact.lhs - fact.rhs)
    unique = []
    for argument in found:
        if argument.free_symbols and _sign_unknown(argument) and argument not in unique:
            unique.append(argument)
    return unique


def _sign_unknown(argument) -> bool:
    known = (argument.is_positive, argument.is_negative, argument.is_zero, argument.is_nonnegative,
             argument.is_nonpositive)
    return not any(known)


def _linear_root(argument, free):
    """(v, v0) with argument = c (v - v0), c a nonzero number and v one of
    the ``free`` variables that v0 does not contain; the first such v by
    name; else None."""
    for variable in sorted(argument.free_symbols & free, key=str):
        coefficient = argument.diff(variable)
        if not coefficient.is_number or coefficient == 0 or not coefficient.is_real:
            continue
        root = sympy.expand(variable - argument / coefficient)
        if variable not in root.free_symbols:
            return variable, root
    return None
