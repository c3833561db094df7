"""A vector written bare where a reader reads its entry: ``y`` for ``y_i``.

Posts on losses write the label of one sample without its index, in the
same breath as the indexed quantities (``-\\sum_i (1 - y)\\log(1 - p_i)``,
``\\frac{d}{d\\hat y_i}(1 - y_i)\\log(1 - \\hat y)``). A bare name of a vector
reads as its entry at i when all of these hold:

* the post writes that vector's entries with the one index letter i and no
  other (``Scope.entries``; ``w_{ij}`` beside ``w_j`` says nothing);
* i is in use where the name stands: bound by a sum being read, or written
  as a subscript somewhere in the display;
* the name is not styled as a vector (``\\mathbf{y}``), not differentiated
  in (``\\partial y``), not the name in a differential's numerator, and not
  among the arguments of a function that is not elementwise
  (``\\mathrm{softmax}(z)``, ``L(y, \\hat y)``): there it is the whole vector.
"""

from __future__ import annotations

import sympy

from .tokens import Token


def subscript_letters(tokens: tuple[Token, ...]) -> frozenset[str]:
    """The letters written as a whole subscript (``_i``, ``_{i}``) in a display."""
    found = set()
    for index, token in enumerate(tokens[:-1]):
        if not (token.kind == "op" and token.value == "_"):
            continue
        after = tokens[index + 1:index + 4]
        if after and after[0].kind == "letter":
            found.add(after[0].value)
        elif (len(after) == 3 and after[0].value == "{" and after[1].kind == "letter"
              and after[2].kind == "op" and after[2].value == "}"):
            found.add(after[1].value)
    return frozenset(found)


def bare_entry(p, name: str, base: sympy.IndexedBase) -> sympy.Basic | None:
    """The entry a bare vector name stands for, or None (module docstring)."""
    written = p.scope.entries.get(name, frozenset())
    if len(written) != 1 or p.whole_vectors or p.index_mode:
        return None
    letter = next(iter(written))
    if len(letter) != 1 or not (letter in p.locals or letter in p.subscript_letters):
        return None
    index = p.locals.get(letter, p.scope.indices.get(letter))
    if not (isinstance(index, sympy.Symbol) and index.is_integer):
        return None
    return sympy.Indexed(base, index)
