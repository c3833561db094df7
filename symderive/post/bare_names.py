"""A function written bare in a claim: the bare name is its value where the
claim applies it, or where the post defined it.

``\\frac{\\partial}{\\partial \\theta_0} \\log h_\\theta(x^{(i)}) =
\\frac{\\partial \\log h_\\theta(x^{(i)})}{\\partial h_\\theta}
\\frac{\\partial h_\\theta}{\\partial \\theta_0}``: the claim applies h_theta
at x^{(i)} only, and a reader takes the bare h_theta beside it as that value,
h_theta(x^{(i)}). The scope reads a bare function at one argument for the
whole post (its signature's, else the default variable: h_theta(x)), which
is right when the claim applies it nowhere, or there, and makes a different
claim here. Applied nowhere in the claim, a function the post defined at
another parameter (``L(\\hat{y}) = ..``) is read there when the claim writes
that parameter and not the scope's argument (``\\frac{\\partial L}{\\partial
\\hat{y}}``).

So a side is read again with each such function's bare occurrences marked
(a signature of a fresh symbol), and the mark is put where the claim applies
the function when it applies it at exactly one argument (or where the post
defined it). The side read again must be the side as first read once the
mark is the scope's argument, so nothing but the bare names changes. A bare
function the claim applies at two arguments or more is read at each; the
claim is proved or refuted only when every reading agrees, else unknown.
"""

from __future__ import annotations

from dataclasses import replace

import sympy
from sympy.core.function import AppliedUndef

from ..errors import SymderiveError
from ..evidence import Proved, Refuted, Unknown
from ..latex import parse_expression
from .aliases import past_a_named_variable

_MARK = sympy.Symbol("bare\u00b7mark", real=True)  # no LaTeX name reads as it


def _applications(exprs, function) -> set:
    """The arguments ``function`` (of one argument) is applied at in ``exprs``."""
    return {a.args[0] for e in exprs if isinstance(e, sympy.Basic)
            for a in e.atoms(AppliedUndef) if a.func == function and len(a.args) == 1}


def bare_value(scope, function):
    """The argument the scope reads ``function`` at when written bare: its
    signature's one argument (a name differentiated in z is L(z)), else the
    default variable; None for a signature of several (L(y, y_hat))."""
    signature = scope.signatures.get(str(function), (scope.default_variable,))
    return signature[0] if len(signature) == 1 else None


def defined_at(meaning, function, sides):
    """The parameter of ``function``'s definition when a claim applying it
    only where the scope reads it bare writes that parameter and not the
    bare argument elsewhere: ``\\frac{\\partial h_\\theta}{\\partial
    \\theta_1} = h_\\theta (1 - h_\\theta) x^{(i)}`` after ``h_\\theta(x^{(i)}) = ..``
    is about h_theta at x^{(i)}, where the post defined it, and
    ``\\frac{\\partial L}{\\partial \\hat{y}}`` after ``L(\\hat{y}) = ..`` about L
    at y-hat. Else None."""
    entry = meaning.functions.get(function)
    parameter = entry[0] if entry is not None else None
    bare = bare_value(meaning.scope, function)
    if not isinstance(parameter, (sympy.Symbol, sympy.Indexed)) or parameter == bare or bare is None:
        return None
    rest = [s.xreplace({a: sympy.Dummy() for a in s.atoms(AppliedUndef) if a.func == function})
            for s in sides if isinstance(s, sympy.Basic)]
    if any(r.has(bare) for r in rest) or not any(r.has(parameter) for r in rest):
        return None
    return parameter


def suspects(meaning, *sides) -> dict:
    """{function: parameter or None} for the functions of one argument
    applied in ``sides`` where the scope reads them bare (perhaps written
    bare) and at some other argument (None), or there only, where the claim
    is about the place the post defined it (``defined_at``)."""
    scope = meaning.scope
    found = {}
    for function in {a.func for s in sides if isinstance(s, sympy.Basic) for a in s.atoms(AppliedUndef)}:
        bare = bare_value(scope, function)
        if bare is None or str(function) not in scope.functions:
            continue
        applied = _applications(sides, function)
        if bare in applied and len(applied) > 1:
            found[function] = None
        elif applied == {bare} and (parameter := defined_at(meaning, function, sides)) is not None:
            found[function] = parameter
    return found


def _unmarked(scope, expr, functions):
    """``expr`` with each marked application at the bare argument again."""
    return expr.xreplace({f(_MARK): f(bare_value(scope, f)) for f in functions}).xreplace(
        {_MARK: scope.default_variable})


def marked(scope, part, functions):
    """``part`` read again with the bare occurrences of ``functions`` at the
    mark, or None when it does not read as it did (the mark aside)."""
    signatures = {**scope.signatures, **{str(f): (_MARK,) for f in functions}}
    try:
        again = parse_expression(part.text, replace(scope, signatures=signatures), part.origin)
    except SymderiveError:
        return None
    if _unmarked(scope, again, functions) != part.expr:
        return None
    return again


def bare_readings(meaning, lhs_part, rhs_part, lhs, rhs) -> tuple[list, tuple]:
    """(readings, doubted): the readings [(lhs, rhs), ...] of a relation: one, with each bare
    function read where the claim applies it, when that is one argument;
    one for each argument a bare function is applied at when the claim
    applies it at several (the first reads it at the default variable, as
    the scope does). ``lhs_part`` is None when the left side is not written
    in this relation (a chain going on from a display before). ``doubted``
    names the bare functions applied at several arguments; a None reading
    stands for those not tried (several functions in doubt)."""
    scope = meaning.scope
    functions = suspects(meaning, lhs, rhs)
    new_rhs = marked(scope, rhs_part, functions) if functions else None
    new_lhs = marked(scope, lhs_part, functions) if lhs_part is not None and functions else lhs
    if new_rhs is None or new_lhs is None:
        return [(lhs, rhs)], ()
    put, doubted = {}, []
    for function in functions:
        written = _applications((new_lhs, new_rhs), function) - {_MARK}
        if function(_MARK) not in (new_lhs.atoms(AppliedUndef) | new_rhs.atoms(AppliedUndef)):
            continue  # never bare: every application written
        if not written and functions[function] is not None:
            put[function(_MARK)] = function(functions[function])  # where the post defined it
        elif len(written) == 1:
            put[function(_MARK)] = function(*written)
        else:
            doubted.append((function, sorted(written - {bare_value(scope, function)}, key=sympy.default_sort_key)))
    readings = [put]
    if len(doubted) == 1:  # one bare name in doubt: each value it may be
        function, others = doubted[0]
        readings += [{**put, function(_MARK): function(a)} for a in others]
    elif doubted:
        return [(lhs, rhs), None], tuple(str(f) for f, _ in doubted)
    return ([(_unmarked(scope, new_lhs.xreplace(p), functions), _unmarked(scope, new_rhs.xreplace(p), functions))
             for p in readings],
            tuple(str(f) for f, _ in doubted))


def parts_of(display, lhs, rhs):
    """The written (left, right) Parts of the relation with these sides, or None."""
    if display is None:
        return None
    for relation in display.relations():
        if relation.rhs.expr is rhs:
            return (relation.lhs if relation.lhs.expr is lhs else None), relation.rhs
    return None


class BareReading:
    """The proof of a claim with its bare function names read where it applies them."""

    def prove_reading(self, previous, lhs, rhs, hints, approximate, display=None):
        parts = parts_of(display, lhs, rhs)
        if parts is None or not isinstance(lhs, sympy.Basic) or not isinstance(rhs, sympy.Basic):
            return super().prove_reading(previous, lhs, rhs, hints, approximate, display)
        readings, doubted = bare_readings(self.meaning, *parts, lhs, rhs)
        found = []
        for reading in readings:
            if reading is None or found and not isinstance(found[0][0], (Proved, Refuted)):
                break  # a reading not tried, or the first settles nothing
            new_lhs, new_rhs = reading
            start = new_lhs if previous is lhs else previous
            found.append(super().prove_reading(start, new_lhs, new_rhs, hints, approximate, display))
        verdicts = {type(f[0]) for f in found}
        past = past_a_named_variable(self.meaning, self.named, lhs, rhs) if Refuted in verdicts else None
        if past is not None:  # the author's derivative is the chain through the named variable
            return (Unknown(f"{past[0]} is defined without {past[1]}, which is named as an expression of the "
                            f"same names: its derivative in {past[1]} reads as 0, not as the chain through "
                            f"{past[1]}"), *found[0][1:])
        if not doubted or len(found) == len(readings) and len(verdicts) == 1 or verdicts == {Unknown}:
            return found[0]  # one reading, or every reading gives the same verdict
        return (Unknown(f"{', '.join(doubted)} written bare where the claim applies it at several arguments: "
                        f"which value the bare name is, the claim does not say, and its readings differ"),
                *found[0][1:])
