"""What names mean while LaTeX is read: the scope of one derivation.

Ambiguity is settled here, by data, never by a guess inside the parser:

* ``variables``: the symbols derivatives are taken with respect to (``x``).
* ``functions``: ``let`` names and catalog names. Each is a SymPy undefined
  function; a bare occurrence ``u`` means ``u(x)`` (applied to the default
  variable) and ``\\sigma(x)`` is an application, never a product.
* ``indexed``: vector names such as ``z`` or ``S``; ``z_i`` is ``z[i]``.
* ``indices``: integer symbols such as ``i, j, k, n``.
* ``matrices``: matrix symbols (a vector variable ``\\mathbf z`` of length D).
* ``signatures``: the arguments a function of several variables stands for
  when written bare (``L`` for ``L(y, \\hat{y})``); others take the default
  variable.
* ``free_indices``: index letters the scope declares free (a derivation's
  ``k`` of ``z_k``); a sum never takes a term using one of them into its
  scope (see ``sums.extend_operand``). ``declared_free()`` adds the index
  letters written in the names of the variables (``z_k`` declares k).
* ``entries``: for a vector, the subscripts its entries are written with
  (a post's ``y_i`` gives y {"i"}); with one index letter, a bare ``y`` where
  that index is in use reads as ``y_i`` (see ``entries.bare_entry``).
* ``labelled``: names a letter superscript labels (``z^l``, ``a^{L-1}``: the
  post differentiates in ``z^l``, so l is a layer, not a power); read as
  ``z^{(l)}`` (see ``labels.letter_label``).
* ``e`` is Euler's number unless a scope name binds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy


@dataclass(frozen=True)
class Scope:
    variables: dict[str, sympy.Symbol] = field(default_factory=dict)
    default_variable: sympy.Symbol | None = None
    functions: dict[str, sympy.FunctionClass] = field(default_factory=dict)
    indexed: dict[str, sympy.IndexedBase] = field(default_factory=dict)
    indices: dict[str, sympy.Symbol] = field(default_factory=dict)
    matrices: dict[str, sympy.MatrixSymbol] = field(default_factory=dict)
    dimensions: dict[str, sympy.Symbol] = field(default_factory=dict)
    signatures: dict[str, tuple] = field(default_factory=dict)
    free_indices: frozenset = frozenset()
    entries: dict[str, frozenset] = field(default_factory=dict)
    labelled: frozenset = frozenset()
    label_letters: frozenset = frozenset()  # l, L of z^l, a^L: they label any name they are put on

    def declared_free(self) -> frozenset:
        """The free index letters: declared, or written in a variable's name."""
        names = [str(v) for v in self.variables] + [str(self.default_variable or "")]
        written = {letter for name in names if "_" in name for letter in name.rsplit("_", 1)[1]
                   if letter in self.indices}
        return frozenset(self.free_indices) | written

    def binds(self, name: str) -> bool:
        return any(
            name in table
            for table in (self.variables, self.functions, self.indexed,
                          self.indices, self.matrices, self.dimensions)
        )
