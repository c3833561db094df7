"""Floor and ceiling: a claim whose floors have arguments linear in one
generator g (a real variable, an integer variable, or a real-valued
expression such as e^x) with rational slopes, proved piece by piece on one
period, with an exact prover handed in.

The identities relied on, each valid for every real u and integer m:

* ``ceil u = -floor(-u)``;
* ``floor(u + m) = floor(u) + m`` (SymPy applies it when m is known to be
  an integer);
* every real g is ``L N + t`` for one integer N and one t in [0, L); with
  L a common multiple of the slopes' denominators, ``floor(c (L N + t) + d)
  = c L N + floor(c t + d)``;
* on an open interval of t where no argument crosses an integer, each
  floor is constant (its value at any point of the interval); at the
  finitely many crossing points t is a number and each floor is evaluated
  exactly.

An integer generator n is ``L N + r`` with r = 0..L-1. A non-variable
generator (e^x) is replaced by a real variable: the claim is then proved
for every real value, more than g takes. Each piece is proved by the exact
prover for every value of N and t (more than the piece needs); a piece not
proved makes the strategy decline (None): it only proves.
"""

from __future__ import annotations

from functools import reduce

import sympy

from .evidence import Proved
from .normal_form import is_real_valued
from .prove_base import as_expr, substitutable, undefined

_BINDING = (sympy.Derivative, sympy.Subs, sympy.Integral, sympy.Sum, sympy.Product)

MAX_PIECES = 64


def floor_split(a, b, context, prove):
    """Prove a = b piece by piece over one period of the floors' generator
    (identities in the module docstring); None when not every piece is
    proved or the floors are not of that form."""
    try:
        return _floor_split(a, b, context, prove)
    except (TypeError, ValueError, AttributeError, RecursionError):
        return None  # a substitution SymPy cannot make: not this strategy's case


def _floor_split(a, b, context, prove):
    a, b = _without_ceilings(as_expr(a)), _without_ceilings(as_expr(b))
    pair = sympy.Tuple(a, b)
    if not pair.has(sympy.floor):
        return None
    if isinstance(prove(a, b, context), Proved):
        return Proved("floor and ceiling identities (ceil u = -floor(-u), integer shifts)")
    generator = _generator(pair)
    if generator is None:
        return None
    g, slopes = generator
    period = reduce(sympy.ilcm, (slope.q for slope in slopes), 1)
    whole = sympy.Dummy("N", integer=True)
    if g.is_Symbol and g.is_integer:
        cases = [pair.xreplace({g: period * whole + r}) for r in range(period)]
        return _all_proved(cases, context, prove, "floor: an integer split by its residue")
    t = sympy.Dummy("t", real=True)
    pair = pair.xreplace({g: period * whole + t})
    pieces = _pieces(pair, t, sympy.Integer(0), sympy.Integer(period))
    if pieces is None or len(pieces) > MAX_PIECES:
        return None
    return _all_proved(pieces, context, prove, "floor: one period, piece by piece")


def _without_ceilings(expr):
    return expr.replace(lambda e: isinstance(e, sympy.ceiling), lambda e: -sympy.floor(-e.args[0]))


def _generator(pair):
    """(g, slopes): the one generator of every floor argument and the
    argument's slope in it, when each argument is c g + d with c a nonzero
    rational and d free of g; else None."""
    arguments = [node.args[0] for node in pair.atoms(sympy.floor)]
    candidates = set()
    for argument in arguments:
        for term in sympy.Add.make_args(sympy.expand(argument)):
            coefficient, rest = term.as_coeff_Mul()
            if rest.has(sympy.floor) or not rest.free_symbols:
                continue
            candidates.add(rest)
    variables = substitutable(pair, integers=True)
    for g in sorted(candidates, key=sympy.default_sort_key):
        if not (g in variables or not g.is_Symbol and is_real_valued(g) and not g.atoms(*_BINDING)):
            continue
        slopes = _slopes(arguments, g)
        if slopes is not None:
            return g, slopes
    return None


def _slopes(arguments, g):
    held = sympy.Dummy("g", real=True)
    slopes = []
    for argument in arguments:
        linear = sympy.expand(argument.xreplace({g: held}) if not g.is_Symbol else argument.subs(g, held))
        slope = linear.diff(held)
        if slope == 0:
            if linear.free_symbols - {s for s in linear.free_symbols if s.is_integer}:
                return None  # an argument in another real variable: not this generator's
            continue
        if not slope.is_Rational or (linear - slope * held).has(held):
            return None
        slopes.append(slope)
    return slopes


def _pieces(pair, t, low, high, closed=True):
    """The claim at every crossing point of (low, high) (and at low when
    ``closed``) and on every open interval between them, innermost floors
    first: on an interval they are replaced by their constant value there,
    and the floors around them are cut again. None when a floor's argument
    is not linear in t with a rational slope."""
    floors = [node for node in pair.atoms(sympy.floor) if node.has(t)]
    innermost = [node for node in floors if not any(other != node and node.args[0].has(other) for other in floors)]
    if not innermost:
        return [pair]
    cuts = set()
    for node in innermost:
        crossings = _crossings(node.args[0], t, low, high)
        if crossings is None:
            return None
        cuts |= {point for point in crossings if low < point < high}
    cuts = sorted(cuts)
    pieces = [pair.xreplace({t: point}) for point in ([low] if closed else []) + cuts]
    edges = [low] + cuts + [high]
    for left, right in zip(edges, edges[1:]):
        middle = (left + right) / 2
        constant = {node: sympy.floor(node.args[0].xreplace({t: middle})) for node in innermost}
        inner = _pieces(pair.xreplace(constant), t, left, right, closed=False)
        if inner is None or len(pieces) + len(inner) > MAX_PIECES:
            return None
        pieces += inner
    return pieces


def _crossings(argument, t, low, high):
    """The t in [low, high) where c t + d is an integer, c rational and d a
    rational number; None when the argument is not of that form."""
    slope = argument.diff(t)
    offset = sympy.expand(argument - slope * t)
    if not slope.is_Rational or slope == 0 or not offset.is_Rational:
        return None
    ends = sorted((slope * low + offset, slope * high + offset))
    if ends[1] - ends[0] > MAX_PIECES:
        return None  # more crossings than pieces allowed
    return {point for k in range(int(sympy.floor(ends[0])), int(sympy.ceiling(ends[1])) + 1)
            if low <= (point := (k - offset) / slope) < high}


def _all_proved(cases, context, prove, method):
    for left, right in cases:
        if undefined(left) or undefined(right):
            continue  # no value there
        if not isinstance(prove(left, right, context), Proved):
            return None
    return Proved(method)
