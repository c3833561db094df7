"""Shapes a post declares, and the ranges they give a claim's free indices.

``X \\in \\mathbb{R}^{B \\times M}`` (also ``R^{B\\times M}``, ``\\R^{n}``,
``\\mathbf{x} \\in \\mathbb{R}^d``, a number for a length) says X has B rows
and M columns: an entry x_{ij} or X_{ij} (the same letter in either case,
bold or not) has i in 1..B and j in 1..M. A free index of a claim that
indexes such an axis runs over the declared length, whatever the claim's
own sums run that axis to: sum_{m=1}^{M} delta_{mi} f_m is f_i only where
i <= M, and with X declared B x M that is not every row.

Declarations are read from the post's text with one pattern (never
evaluated); a length is one letter or a positive integer. A name declared
twice with two shapes, an index at two axes of different declared
lengths, an entry whose number of indices is not the declared rank, and
an index that a sum of the claim also binds are given nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy

from ..latex.vocabulary import GREEK
from ..prover import Declared

_STYLE = r"\\(?:mathbf|boldsymbol|bm|vec|mathbfit)"
_LETTER = rf"(?:[A-Za-z]|\\(?:{'|'.join(sorted(GREEK, key=len, reverse=True))})(?![A-Za-z]))"
# one name as written: x, \theta, \mathbf{x}, \mathbf x, \boldsymbol{\theta}
_NAME = rf"(?:{_STYLE}\s*\{{\s*{_LETTER}\s*\}}|{_STYLE}\s+{_LETTER}|{_STYLE}\s*{_LETTER}|{_LETTER})"
# the names of a declaration, read back from its \in: "\mathbf w, \mathbf b \in"
_NAMES_BEFORE = re.compile(rf"(?P<names>{_NAME}(?:\s*,\s*{_NAME})*)\s*\Z")
_REALS = r"(?:\\mathbb\s*\{\s*R\s*\}|\\mathbb\s*R|\\R(?![A-Za-z])|\\Re(?![A-Za-z])|R)"
_LENGTH = r"\s*(?:[A-Za-z]|[1-9][0-9]*)\s*"
_DIMS = rf"(?:\{{(?P<dims>{_LENGTH}(?:(?:\\times|×|,){_LENGTH})*)\}}|(?P<one>[A-Za-z]|[1-9]))"
SPACE = re.compile(rf"\\in\s*{_REALS}\s*\^\s*{_DIMS}")
# what may stand right before the names: not a letter, a command, a sub- or superscript (z_i, \hat{y})
_GLUED = re.compile(r"(?:[A-Za-z0-9_^]|\\[A-Za-z]+\s*\{?\s*|[_^]\s*\{\s*)\Z")


@dataclass(frozen=True)
class Shapes:
    """Declared shapes: (name, (length, ...)) with each length a letter or
    a positive integer, as written."""

    declared: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # (K, M): a definition sums an index over a whole axis of declared length M
    # up to K, a length no shape names (read_lengths)
    read_as: tuple[tuple[str, str], ...] = ()
    # (H, x, 1): a definition sums x's axis 1 from 1 to H (r_i = sum_{h=1}^{H} x_ih^2)
    stated: tuple[tuple[str, str, int], ...] = ()

    def of(self, name: str) -> tuple[str, ...] | None:
        """The shape of the vector or matrix named ``name`` (x_{ij} names
        the entries of a declared X when no x is declared)."""
        table = dict(self.declared)
        if name in table:
            return table[name]
        other = name.swapcase() if len(name) == 1 else None
        return table.get(other) if other is not None else None


def declared_shapes(text: str) -> Shapes:
    """Every ``NAMES \\in R^{...}`` of ``text``; a name declared with two
    different shapes is left out."""
    found: dict[str, tuple[str, ...]] = {}
    clashing = set()
    for space in SPACE.finditer(text):
        before = text[max(0, space.start() - 200):space.start()]
        names = _names(before)
        if names is None:
            continue
        dims = space.group("dims")
        shape = tuple(d.strip() for d in re.split(r"\\times|×|,", dims)) if dims is not None else (space.group("one"),)
        for written in re.finditer(_LETTER, re.sub(_STYLE, "", names)):
            name = written.group().lstrip("\\")
            if found.get(name, shape) != shape:
                clashing.add(name)
            found[name] = shape
    return Shapes(tuple(sorted((n, s) for n, s in found.items() if n not in clashing)))


def _names(before: str) -> str | None:
    """The list of names that ends ``before``, from its first name that is
    not glued to what precedes it (the R of ``\\mathbb R, y`` is not one)."""
    names = _NAMES_BEFORE.search(before)
    if names is None:
        return None
    for one in re.finditer(_NAME, before[names.start():]):
        start = names.start() + one.start()
        if not _GLUED.search(before[:start]) and _NAMES_BEFORE.fullmatch(before[start:].rstrip() + " ") is not None:
            return before[start:]
    return None


def _length(written: str, symbols: dict) -> sympy.Expr:
    """The claim's own symbol of that name (the sums' M) when it is an
    integer, else a new one."""
    if written.isdigit():
        return sympy.Integer(int(written))
    own = symbols.get(written)
    return own if own is not None and own.is_integer else sympy.Symbol(written, integer=True, positive=True)


def length_symbol(written: str, sides) -> sympy.Expr:
    """A declared length as the claim's sides write it (their own integer B)."""
    symbols = {str(s): s for side in sides if isinstance(side, sympy.Basic) for s in side.free_symbols}
    return _length(written, symbols)


def index_lengths(shapes: Shapes, *sides: sympy.Basic) -> Declared:
    """(index, declared length) for each free index of the claim that
    indexes a declared axis, with one declared length among its axes; and
    every length the declarations name, as the claim's symbols."""
    sides = [s for s in sides if isinstance(s, sympy.Basic)]
    if not shapes.declared or not sides:
        return Declared()
    claim = sympy.Tuple(*sides)
    bound = {limit[0] for node in claim.atoms(sympy.Sum, sympy.Product) for limit in node.limits}
    symbols = {str(s): s for s in claim.free_symbols if isinstance(s, sympy.Symbol)}
    seen: dict = {}
    for entry in claim.atoms(sympy.Indexed):
        shape = shapes.of(str(entry.base.label))
        if shape is None or len(shape) != len(entry.indices):
            continue
        for index, written in zip(entry.indices, shape):
            if isinstance(index, sympy.Symbol) and index.is_integer:
                seen.setdefault(index, set()).add(_length(written, symbols))
    indices = tuple(sorted(((index, next(iter(lengths))) for index, lengths in seen.items()
                            if len(lengths) == 1 and index not in bound), key=lambda pair: str(pair[0])))
    named = {_length(written, symbols) for _, shape in shapes.declared for written in shape}
    sums = {s for node in claim.atoms(sympy.Sum, sympy.Product) for *_, upper in node.limits
            for s in upper.free_symbols if s.is_integer} - bound
    return Declared(indices, frozenset(n for n in named if n.is_Symbol), frozenset(sums),
                    _inside(shapes, claim, symbols))


def _inside(shapes: Shapes, claim: sympy.Basic, symbols: dict) -> tuple:
    """(upper, length) for each sum that runs an index over an axis of
    declared length other than its upper limit."""
    found = set()
    for node in claim.atoms(sympy.Sum, sympy.Product):
        for index, _, upper in node.limits:
            for entry in node.function.atoms(sympy.Indexed):
                shape = shapes.of(str(entry.base.label))
                if shape is None or len(shape) != len(entry.indices):
                    continue
                found |= {(upper, _length(written, symbols)) for position, written in zip(entry.indices, shape)
                          if position == index and upper != _length(written, symbols)}
    return tuple(sorted(found, key=str))


def ranged(expr: sympy.Basic, declared: Declared) -> sympy.Basic:
    """``expr`` with each declared index an ``Idx`` over 1..its length, so
    the range travels with the index through evaluation (kronecker.py
    reads it); ``plain`` undoes it."""
    if not declared.indices or not isinstance(expr, sympy.Basic):
        return expr
    return expr.xreplace({index: sympy.Idx(index, (1, length)) for index, length in declared.indices})


def plain(expr: sympy.Basic) -> sympy.Basic:
    """``expr`` with every ``Idx`` its plain index again."""
    if not isinstance(expr, sympy.Basic):
        return expr
    return expr.xreplace({idx: idx.label for idx in expr.atoms(sympy.Idx)})


def loose_length(declared: Declared) -> str | None:
    """Why a claim may be left undecided by its shapes: a sum runs a
    declared axis to a length no shape names (sum_{k=1}^{K} x_{mk} with X
    in R^{B x M}); whether K is M the post does not say."""
    loose = [(upper, length) for upper, length in declared.inside
             if not upper.free_symbols <= declared.lengths]
    if not loose:
        return None
    upper, length = loose[0]
    return f"a sum runs to {upper} over an axis declared of length {length}, and no shape names {upper}"


def with_definitions(shapes: Shapes, made: dict) -> Shapes:
    """``shapes`` and the shape of each vector or matrix the post defines
    entry by entry through declared ones: y_{ij} = \\sum_k w_{jk} x_{ik} + b_j
    with X in R^{B x M} and W in R^{N x M} has B rows (i indexes X's rows)
    and N columns. An axis whose index meets two lengths, or none, gives the
    name no shape."""
    found = dict(shapes.declared)
    for entries in made.values():
        for _, lhs, rhs, _ in entries:
            if not isinstance(lhs, sympy.Indexed) or not isinstance(rhs, sympy.Basic):
                continue
            name = str(lhs.base.label)
            if shapes.of(name) is not None or name in found:
                continue
            shape = tuple(_axis_length(shapes, index, rhs) for index in lhs.indices)
            if all(shape):
                found[name] = shape
                found.update(_added_shapes(Shapes(tuple(found.items())), lhs, rhs, shape))
    return Shapes(tuple(sorted(found.items())), _summed_lengths(shapes, made), _stated_lengths(made))


def _stated_lengths(made: dict) -> tuple[tuple[str, str, int], ...]:
    """(H, x, axis) for each definition's sum from 1 to a length H over an
    index at that axis of an entry of x: the post states that axis runs to H."""
    stated = set()
    for entries in made.values():
        for _, _, rhs, _ in entries:
            for node in rhs.atoms(sympy.Sum) if isinstance(rhs, sympy.Basic) else ():
                for index, lower, upper in node.limits:
                    if lower == 1 and upper.is_Symbol:
                        stated |= {(upper.name, str(entry.base.label), axis)
                                   for entry in node.function.atoms(sympy.Indexed)
                                   for axis, position in enumerate(entry.indices) if position == index}
    return tuple(sorted(stated))


def _added_shapes(known: Shapes, lhs: sympy.Indexed, rhs: sympy.Basic, shape: tuple) -> dict:
    """The shape of each undeclared vector a definition adds entry by entry
    at its own free indices: b of y_{ij} = ... + b_j, with y B x N, has N
    entries (b_j is read for every column j of y). A vector met at two
    different index lists is given nothing."""
    axes = dict(zip(lhs.indices, shape))
    met: dict[str, set] = {}
    bound = {limit[0] for node in rhs.atoms(sympy.Sum, sympy.Product) for limit in node.limits}
    for entry in rhs.atoms(sympy.Indexed):
        if known.of(str(entry.base.label)) is None and not set(entry.indices) & bound:
            met.setdefault(str(entry.base.label), set()).add(entry.indices)
    return {name: tuple(axes[i] for i in indices.copy().pop()) for name, indices in met.items()
            if len(indices) == 1 and all(i in axes for i in next(iter(indices)))}


def _summed_lengths(shapes: Shapes, made: dict) -> tuple[tuple[str, str], ...]:
    """(K, M) for each length K no shape names that a definition's sum runs
    an index up to, from 1, over axes of the one declared length M
    (y_{ij} = \\sum_{k=1}^{K} w_{jk} x_{ik} with X in R^{B x M}): the
    entries stop at M, and a layer's sum over its inputs takes them all. A
    K met over two lengths, or over none, is read as nothing."""
    named = {written for _, shape in shapes.declared for written in shape}
    seen: dict[str, set] = {}
    for entries in made.values():
        for _, _, rhs, _ in entries:
            for node in rhs.atoms(sympy.Sum) if isinstance(rhs, sympy.Basic) else ():
                for index, lower, upper in node.limits:
                    if lower == 1 and upper.is_Symbol and upper.name not in named:
                        seen.setdefault(upper.name, set()).add(_axis_length(shapes, index, node.function))
    return tuple(sorted((name, lengths.pop()) for name, lengths in seen.items()
                        if len(lengths) == 1 and None not in lengths and not lengths <= {name}))


def read_lengths(expr: sympy.Basic, shapes: Shapes) -> sympy.Basic:
    """``expr`` with each length of ``shapes.read_as`` the declared length
    it is read as (K as M), as ``expr``'s own integer symbol of that name."""
    if not shapes.read_as or not isinstance(expr, sympy.Basic):
        return expr
    table = dict(shapes.read_as)
    return expr.xreplace({s: length_symbol(table[s.name], (expr,)) for s in expr.free_symbols
                          if isinstance(s, sympy.Symbol) and s.is_integer and s.name in table})


def _axis_length(shapes: Shapes, index, body) -> str | None:
    """The one declared length at the axes ``index`` stands at in ``body``."""
    lengths = set()
    for entry in body.atoms(sympy.Indexed):
        shape = shapes.of(str(entry.base.label))
        if shape is not None and len(shape) == len(entry.indices):
            lengths |= {length for position, length in zip(entry.indices, shape) if position == index}
    return lengths.pop() if len(lengths) == 1 else None
