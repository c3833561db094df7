"""The subscript of an element of an indexed family: ``x_i``, ``w_{ij}``,
``a_{k+1}``, ``\\theta_{i,j}``, and the vector a component is written with
(``g_i(\\vec{x})``).

Letters side by side in an index are separate indices, as every reader
takes them: ``w_{ij}`` is w[i, j], never w[i*j] (which would make
w_{ij} = w_{ji} an identity). A product in an index is written with a digit
or an operator: ``x_{2k}``, ``x_{i \\cdot j}``.
"""

from __future__ import annotations

import sympy

from .cursor import Span
from .grammar import Grammar
from .vocabulary import Occurrence, undeclared

# Up to three letters side by side are indices (w_{ijk}); a longer run is a
# word, read as before.
MAX_JOINED_INDICES = 3


def read_indices(p: Grammar, span: Span) -> list[sympy.Basic]:
    """The indices written in the subscript ``span``, read in index mode."""
    units = letter_units(p, span)
    with p.mode(index_mode=True):
        if units is not None and 2 <= len(units) <= MAX_JOINED_INDICES:
            return [p.within(Span(a, b, b), p.parse_expression) for a, b in units]
        return p.within(span, p.parse_items)


def letter_units(p: Grammar, span: Span) -> list[tuple[int, int]] | None:
    """The letters of the subscript, each with its primes (``j j'`` of
    ``A_{jj'}``: j and j'), as token ranges; None if anything else is written."""
    units: list[tuple[int, int]] = []
    for k in range(span.start, span.end):
        token = p.tokens[k]
        if token.kind == "letter":
            units.append((k, k + 1))
        elif token.kind == "op" and token.value == "'" and units and units[-1][1] == k:
            units[-1] = (units[-1][0], k + 1)
        else:
            return None
    return units


def finish_indexed(p: Grammar, occurrence: Occurrence, base: sympy.IndexedBase) -> sympy.Basic:
    if occurrence.primes:
        raise undeclared(p, occurrence, occurrence.shown)
    indices = read_indices(p, occurrence.subscript)
    skip_vector_argument(p)
    return p.build(sympy.Indexed, base, *indices, at=occurrence.token)


VECTOR_STYLES = frozenset({"vec", "mathbf", "boldsymbol", "bm"})


def skip_vector_argument(p: Grammar) -> None:
    """``g_i(\\vec{x})``, ``y_i(x)``: the i-th component of a vector
    function, written with the vector it is applied to. The component is
    ``g[i]``; the argument, a single vector name, only says what it depends on
    (a vector: an indexed or matrix name, or a variable written bold,
    ``\\ell_i(\\mathbf{w})``, which a reader never takes for ℓ_i times w)."""
    if not p.at("op", "("):
        return
    ahead, letters, styled = 1, [], False
    while ahead < 8:
        token = p.peek(ahead)
        if token.kind == "op" and token.value == ")":
            break
        if token.kind == "letter":
            letters.append(token.value)
        elif token.kind == "cmd" and token.value in VECTOR_STYLES:
            styled = True
        elif not (token.kind == "op" and token.value in "{}"):
            return
        ahead += 1
    else:
        return
    if len(letters) != 1:
        return
    name = letters[0]
    if name in p.scope.indexed or name in p.scope.matrices or (styled and name in p.scope.variables):
        for _ in range(ahead + 1):
            p.next()
