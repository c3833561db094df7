"""Derivatives in a name that another name merely renames.

``a = \\hat{y}`` then ``\\frac{\\partial L}{\\partial a}`` with L written in
y-hat: a and y-hat are one quantity, so the derivative in a is the
derivative in y-hat. Held as written, L does not hold a, and the
derivative would read as 0. A name whose definition is one other name
(``a = \\hat{y}``, ``\\hat{y} = \\sigma(z)``: a bare name or one name
applied) is an *alias* of it; inside a derivative in a name, every alias
of that name is written as the name itself before the derivative is taken.
The value of the expression is unchanged (each alias equals the name by
the post's own definitions); only the reading of the derivative is.
"""

from __future__ import annotations

import sympy
from sympy.core.function import AppliedUndef

from ..errors import SymderiveError

MAX_ALIASES = 10


def _name_of(expr, meaning):
    """The defined name ``expr`` is (y_hat, a(z), sigma(z)), or None."""
    if isinstance(expr, AppliedUndef) and expr.func in meaning.functions:
        return expr.func
    if isinstance(expr, sympy.Symbol) and expr in meaning.functions:
        return expr
    return None


def aliases(meaning, wrt) -> dict:
    """{alias: wrt} for each name ``wrt`` stands for through definitions that
    are one name each (a(z) -> y_hat -> sigma(z)); empty when there is none."""
    found, current = {}, wrt
    for _ in range(MAX_ALIASES):
        if _name_of(current, meaning) is None:
            break
        body = meaning.definition_of(current)
        if body is None or body == wrt or body in found or _name_of(body, meaning) is None:
            break
        found[body] = wrt
        current = body
    return found


def through_aliases(meaning, expr):
    """``expr`` with each derivative in a name written with that name in place
    of its aliases (see the module's docstring); ``expr`` itself when no
    derivative has any."""
    if not isinstance(expr, sympy.Basic) or not expr.has(sympy.Derivative):
        return expr
    if isinstance(expr, sympy.Derivative) and len(expr.variable_count) == 1:
        inner = through_aliases(meaning, expr.expr)
        wrt = expr.variable_count[0][0]
        renamed = aliases(meaning, wrt)
        if renamed:
            keep = frozenset(_name_of(alias, meaning) for alias in renamed) | {_name_of(wrt, meaning)}
            try:
                unfolded = meaning.unfold(inner, keep=keep)
            except SymderiveError:
                return expr
            written = unfolded.xreplace(renamed)
            if written != unfolded:
                inner = written
        return expr if inner is expr.expr else sympy.Derivative(inner, *expr.variable_count, evaluate=False)
    args = [through_aliases(meaning, a) for a in expr.args]
    return expr.func(*args) if any(a is not b for a, b in zip(args, expr.args)) else expr


def written_past(meaning, *sides) -> tuple[str, str] | None:
    """``d p_i / d z_i`` with p defined through w (``p_i = \\sigma(w x_i)``)
    and z a defined name of w (``z_i = w x_i``): held as written, p does not
    hold z, so the derivative reads as 0 where the author means the chain
    through z. The two names (``("p_hat", "z")``), or None."""
    for side in sides:
        if not isinstance(side, sympy.Basic):
            continue
        for derivative in through_aliases(meaning, side).atoms(sympy.Derivative):
            if isinstance(derivative.expr, AppliedUndef) and derivative.expr.func not in meaning.functions:
                continue  # f never defined: any function, not one written without the name
            for wrt, _ in derivative.variable_count:
                name = meaning.held_name(wrt)
                if name is None:
                    continue
                body = meaning.definition_of(wrt)
                try:
                    held = meaning.unfold(derivative.expr, keep=frozenset({name}))
                except SymderiveError:  # a cycle of definitions: no reading to doubt
                    continue
                # a = 2 y_hat, y_hat = sigma(z): a is an expression of z, as held is
                if body is None or held.has(name) or not held.free_symbols & _reached(meaning, body) - {wrt}:
                    continue
                top = derivative.expr.base if isinstance(derivative.expr, sympy.Indexed) else derivative.expr
                return str(top), str(name)
    return None


def _reached(meaning, body) -> set:
    """The symbols of ``body``, its names unfolded or not."""
    try:
        return body.free_symbols | meaning.unfold(body).free_symbols
    except SymderiveError:
        return body.free_symbols


def past_a_named_variable(meaning, named: dict, *sides) -> tuple[str, str] | None:
    """``\\frac{\\partial E}{\\partial u}`` with ``E = \\frac{1}{2}(y - w x)^2``
    and the variable u named ``u = y - w x``: E's body does not hold u, only
    what u is named from, so the derivative reads as 0 where the author
    (``E = \\frac{1}{2} u^2``) means the chain through u. The two names, or None."""
    for side in sides:
        if not isinstance(side, sympy.Basic):
            continue
        for derivative in side.atoms(sympy.Derivative):
            for wrt, _ in derivative.variable_count:
                if wrt not in named or _name_of(derivative.expr, meaning) is None:
                    continue
                try:
                    body = meaning.unfold(derivative.expr)
                except SymderiveError:
                    continue
                if not body.has(wrt) and body.free_symbols & named[wrt].free_symbols:
                    return str(_name_of(derivative.expr, meaning)), str(wrt)
    return None
