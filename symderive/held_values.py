"""The derivatives of names a post never defines, held as values.

A post on a layer writes the upstream gradient ``\\frac{\\partial f}{\\partial
\\hat{x}_i}`` with f never defined, then rewrites expressions in it: collects
terms, pulls a factor out of a sum, substitutes ``\\mu = \\frac{1}{m}\\sum x_i``.
Such a step is algebra in values the post does not give. Each distinct
derivative of an undefined name becomes one value (an entry of its own vector
when it carries indices, so that the derivative at i inside a sum over i is
a different value per term, and at 1 the same value as at i = 1).

A step that holds for every choice of those values holds for every f: proved.
A step that fails for some choice is not refuted: it may hold for the f the
post means (d/dx y^2 = y dy/dx where dy/dx = 0), and the values of different
derivatives of one f are tied (the chain rule ties df/dx to df/dy).
"""

from __future__ import annotations

import sympy
from sympy.core.function import AppliedUndef

_SLOT = sympy.Dummy("slot", integer=True)


def _undefined(expr, defined) -> bool:
    return isinstance(expr, AppliedUndef) and expr.func not in defined


def _opaque_atoms(expr, defined) -> set:
    """The derivatives of undefined names in ``expr``, outermost, and the
    undefined functions' values outside them."""
    found = set()

    def walk(node):
        if isinstance(node, sympy.Derivative) and _undefined(node.expr, defined):
            found.add(node)
            return
        if isinstance(node, AppliedUndef) and node.func not in defined:
            found.add(node)
            return
        for arg in node.args:
            if isinstance(arg, sympy.Basic):
                walk(arg)

    walk(expr)
    return found


def _slotted(node, places: list):
    """``node`` with each integer-valued place (an entry's index, an integer
    argument of an undefined function, as ``∂f/∂x_hat(y, x, i)`` has i)
    replaced by one slot, the places appended in order: the key of the vector
    the value is an entry of (df/dx_1 and df/dx_i are entries of one)."""
    if isinstance(node, sympy.Indexed):
        places.extend(node.indices)
        return node.base[tuple(_SLOT for _ in node.indices)]
    if isinstance(node, AppliedUndef):
        args = []
        for arg in node.args:
            if arg.is_integer:
                places.append(arg)
                args.append(_SLOT)
            else:
                args.append(_slotted(arg, places))
        return node.func(*args)
    if isinstance(node, sympy.Derivative):
        inner = _slotted(node.expr, places)
        return sympy.Derivative(inner, *[(_slotted(v, places), c) for v, c in node.variable_count], evaluate=False)
    if node.is_Atom or not node.args:
        return node
    return node.func(*[_slotted(arg, places) for arg in node.args])


def held_values(a, b, defined):
    """``(a, b, values of a, values of b)`` with every
    derivative of an undefined name and every undefined function's value
    replaced by a value (a symbol, or an entry ``V1[i]`` when it carries
    indices); None when there is none or one is left."""
    atoms = _opaque_atoms(a, defined) | _opaque_atoms(b, defined)
    if not atoms:
        return None
    names, replacement = {}, {}
    # a held value's name is new to the claim: sigma(y) held beside a symbol sigma is another value
    written = {str(s) for side in (a, b) for s in side.free_symbols}
    written |= {str(e.base) for side in (a, b) for e in side.atoms(sympy.Indexed)}
    for atom in sorted(atoms, key=sympy.default_sort_key):
        places: list = []
        key = _slotted(atom, places)
        if key not in names:
            label = _readable(atom, written | {str(n) for n in names.values()})
            names[key] = sympy.IndexedBase(label, real=True) if places else sympy.Symbol(label, real=True)
        value = names[key]
        replacement[atom] = value[tuple(places)] if places else value
    held_a, held_b = a.xreplace(replacement), b.xreplace(replacement)
    if _opaque_atoms(held_a, defined) or _opaque_atoms(held_b, defined):
        return None
    values_a = {replacement[x] for x in _opaque_atoms(a, defined)}
    values_b = {replacement[x] for x in _opaque_atoms(b, defined)}
    return held_a, held_b, _bases(values_a), _bases(values_b)


def _bases(values) -> frozenset:
    return frozenset(v.base if isinstance(v, sympy.Indexed) else v for v in values)


def _readable(atom, taken: set) -> str:
    """``∂f/∂sigma``, ``∂f/∂x_hat``, ``sigma``: the value's name as a reader
    knows it, primed until it is new."""
    if isinstance(atom, sympy.Derivative):
        wrt = atom.variables[0]
        wrt = wrt.base if isinstance(wrt, sympy.Indexed) else wrt.func if isinstance(wrt, AppliedUndef) else wrt
        name = f"\u2202{atom.expr.func}/\u2202{wrt}"
    else:
        name = str(atom.func)
    while name in taken:
        name += "'"
    return name
