"""A claim read with the post's vectors as vectors, entry by entry.

The front end reads ``w^T x``, ``\\mathbf{w}``, ``\\theta^T x^{(i)}`` as
numbers (``Display.vectors_as_numbers``), which settles only the
one-dimensional case of the claim. This reading gives each vector a general
length ``n_vec`` (the declared one, ``X \\in R^{n x p}``, when the post gives
it) and states the claim for its entry ``c_vec``:

* a vector name ``w`` is the entry ``w[c]``; a sample ``x_i`` (``x[i]``)
  of a vector name is the entry ``x[i, c]``;
* a product of two vectors is their dot product, ``sum_k w[k] x[k]``
  (``w^T x``), a product of one vector with numbers is a vector; a marked
  vector times one other name (``w^T x_i``) makes that name a vector too;
* a derivative of a number in a vector ``w`` is its gradient, entry
  ``d/dw[c]``; a derivative in an entry ``theta_j`` stays one;
* anything else (a vector in a function, a power of a vector, a vector plus
  a number, three vectors in one product, a derivative of a vector, a display
  writing an entrywise or outer product) is not read: None, and the claim
  keeps the verdict of its number reading.

Which names are vectors: those the display marks, and those the claim writes
both bare and with one more index (``\\theta`` beside ``\\theta_j``,
``x^{(i)}`` beside ``x_j^{(i)}``): a reader takes no such name for a number.
How the verdicts combine is Proving's: a claim with marked vectors is proved
only when both readings prove it, never refuted by this one; a claim that
differentiates in theta_j through a name written with theta bare is the
post's vector claim, and this reading decides it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import sympy
from sympy.core.function import AppliedUndef

from ..errors import SymderiveError
from ..evidence import Proved
from .shapes import length_symbol

LENGTH = sympy.Symbol("n_vec", integer=True, positive=True)  # the vectors' general length
ENTRY = sympy.Symbol("c_vec", integer=True, positive=True)  # the entry a vector-valued claim states
_SUMMED = sympy.Symbol("k_vec", integer=True, positive=True)  # the index of a dot product


class NotRead(Exception):
    """The claim mixes vectors and numbers in a way this reading does not give a meaning."""


@dataclass(frozen=True)
class Vector:
    """A vector, as its entry at ``ENTRY``."""
    entry: sympy.Expr


def vector_names(marked, *sides) -> set:
    """The names read as vectors: ``marked`` ones, and those written both bare
    and with one index more (a symbol beside its entries, a sample beside its
    entries' entries)."""
    names = {str(m) for m in marked}
    symbols = set().union(set(), *(_bare(s, sympy.Symbol) for s in sides))
    ranks = _ranks(*sides)
    for symbol in symbols:
        if isinstance(symbol, sympy.Symbol) and 1 in ranks.get(str(symbol), ()):
            names.add(str(symbol))
    for base, found in ranks.items():
        if any(r + 1 in found for r in found):
            names.add(base)
    # an IndexedBase written bare: the post writes its entries elsewhere (x beside x_j)
    return names | {str(b) for side in sides for b in _bare(side, sympy.IndexedBase)}


def _bare(expr, kind) -> set:
    """The atoms of ``kind`` written bare, not as the base or label of an entry."""
    if isinstance(expr, kind):
        return {expr}
    if not isinstance(expr, sympy.Basic) or isinstance(expr, (sympy.Indexed, sympy.IndexedBase)):
        return set()
    return set().union(set(), *(_bare(a, kind) for a in expr.args))


@dataclass(frozen=True)
class Vectors:
    """The names read as vectors, and the numbers of indices each base is written with."""
    names: frozenset
    ranks: dict
    bases: dict  # each name's IndexedBase as the claim writes it (theta of theta_j)
    marked: frozenset = frozenset()  # written transposed or bold (w^T): the author's vectors
    bold: frozenset = frozenset()  # bases written bold with a subscript: x_i is the i-th vector

    def __contains__(self, name) -> bool:
        return name in self.names


def _entry_of(expr, vectors: Vectors):
    """The entry at ``ENTRY`` of a vector name, else None."""
    if isinstance(expr, sympy.IndexedBase) and str(expr) in vectors:
        return expr[ENTRY]
    if isinstance(expr, sympy.Symbol) and str(expr) in vectors and not expr.is_integer:
        base = vectors.bases.get(str(expr)) or sympy.IndexedBase(str(expr), real=True)
        return base[ENTRY]
    if isinstance(expr, sympy.Indexed) and str(expr.base) in vectors:
        ranks = vectors.ranks.get(str(expr.base), ())
        if len(expr.indices) in ranks and len(expr.indices) + 1 not in ranks and str(expr.base) not in vectors.bold:
            return None  # the entry of a vector, not a sample of vectors
        return expr.base[(*expr.indices, ENTRY)]
    return None


def _at(entry, index):
    return entry.xreplace({ENTRY: index})


def _dot(one: Vector, other: Vector) -> sympy.Expr:
    return sympy.Sum(_at(one.entry, _SUMMED) * _at(other.entry, _SUMMED), (_SUMMED, 1, LENGTH))


def read(expr, vectors: Vectors):
    """``expr`` with its vectors as entries: a number, or a ``Vector``."""
    entry = _entry_of(expr, vectors)
    if entry is not None:
        return Vector(entry)
    if not isinstance(expr, sympy.Basic) or expr.is_Atom or isinstance(expr, sympy.Indexed):
        return expr
    if isinstance(expr, sympy.Mul):
        return _product(_partnered([read(a, vectors) for a in expr.args], expr.args, vectors))
    if isinstance(expr, sympy.Add):
        return _total([read(a, vectors) for a in expr.args])
    if isinstance(expr, sympy.Derivative):
        return _derivative(expr, vectors)
    if isinstance(expr, sympy.Sum):
        inner = read(expr.function, vectors)
        if isinstance(inner, Vector):
            return Vector(sympy.Sum(inner.entry, *expr.limits))
        return sympy.Sum(inner, *expr.limits)
    args = [read(a, vectors) for a in expr.args]
    if any(isinstance(a, Vector) for a in args):
        raise NotRead(f"a vector inside {type(expr).__name__}")
    if isinstance(expr, AppliedUndef) and any(isinstance(a, sympy.Basic) and a.has(_SUMMED) for a in args):
        raise NotRead("an undefined function of a vector")
    return expr.func(*args)


def _partnered(factors, written, vectors: Vectors) -> list:
    """``w^T x_i`` with only w marked: a product of one marked vector and one
    other name (numbers aside) is a dot product, the name a vector too (a
    sample x_i is then x[i, c]), unless that name is an entry of a vector the
    claim writes bare (x_i beside x)."""
    found = [n for n, f in enumerate(factors) if isinstance(f, Vector)]
    names = [n for n, (f, w) in enumerate(zip(factors, written))
             if not isinstance(f, Vector) and isinstance(w, (sympy.Symbol, sympy.Indexed)) and not w.is_integer]
    others = [w for n, w in enumerate(written) if n not in found and n not in names]
    if len(found) != 1 or len(names) != 1 or not all(w.is_number for w in others):
        return factors
    if not isinstance(written[found[0]], (sympy.Symbol, sympy.IndexedBase)) or str(written[found[0]]) not in vectors.marked:
        return factors
    partner = written[names[0]]
    if isinstance(partner, sympy.Indexed):
        if str(partner.base) in vectors.names:
            return factors  # x_i beside x: an entry
        entry = partner.base[(*partner.indices, ENTRY)]
    else:
        entry = (vectors.bases.get(str(partner)) or sympy.IndexedBase(str(partner), real=True))[ENTRY]
    return [Vector(entry) if n == names[0] else f for n, f in enumerate(factors)]


def _product(factors) -> sympy.Basic | Vector:
    vectors = [f for f in factors if isinstance(f, Vector)]
    numbers = sympy.Mul(*(f for f in factors if not isinstance(f, Vector)))
    if not vectors:
        return numbers
    if len(vectors) == 1:
        return Vector(numbers * vectors[0].entry)
    if len(vectors) == 2:
        return numbers * _dot(*vectors)
    raise NotRead("three vectors in one product")


def _total(terms) -> sympy.Basic | Vector:
    kinds = {isinstance(t, Vector) for t in terms}
    if kinds == {True}:
        return Vector(sympy.Add(*(t.entry for t in terms)))
    if kinds == {False}:
        return sympy.Add(*terms)
    raise NotRead("a vector added to a number")


def _derivative(expr: sympy.Derivative, vectors: Vectors):
    body = read(expr.expr, vectors)
    if isinstance(body, Vector):
        raise NotRead("a derivative of a vector")
    gradient = False
    variables = []
    for wrt, count in expr.variable_count:
        entry = _entry_of(wrt, vectors)
        if entry is not None and isinstance(wrt, (sympy.Symbol, sympy.IndexedBase)):
            if gradient or count != 1:
                raise NotRead("a second derivative in a vector")
            gradient = True
            variables.append((entry, 1))
        elif isinstance(wrt, sympy.Indexed) and str(wrt.base) in vectors and entry is not None:
            raise NotRead("a derivative in a sample of vectors")
        else:
            variables.append((wrt, count))
    derivative = sympy.Derivative(body, *variables, evaluate=False)
    return Vector(derivative) if gradient else derivative


def _ranks(*sides) -> dict:
    ranks: dict = {}
    for side in sides:
        for atom in side.atoms(sympy.Indexed) if isinstance(side, sympy.Basic) else ():
            ranks.setdefault(str(atom.base), set()).add(len(atom.indices))
    return ranks


def entrywise(lhs, rhs, marked=(), bold=(), bodies=None) -> tuple | None:
    """``(lhs, rhs)`` read entry by entry with the post's vectors as vectors,
    or None when nothing is a vector or the reading gives the claim no meaning;
    with ``bodies`` (name -> expression, ``z = \\theta^T x``), also those
    bodies read so, as a third item (a derivative in z keeps z until it is done)."""
    given, bodies = bodies, bodies or {}
    names = vector_names(marked, lhs, rhs) | set(bold)
    if not names:
        return None
    bases = {str(a.base): a.base for side in (lhs, rhs, *bodies.values()) if isinstance(side, sympy.Basic)
             for a in side.atoms(sympy.Indexed)}
    vectors = Vectors(frozenset(names), _ranks(lhs, rhs, *bodies.values()), bases, frozenset(map(str, marked)),
                      frozenset(bold))
    try:
        left, right = read(lhs, vectors), read(rhs, vectors)
        read_bodies = {name: read(body, vectors) for name, body in bodies.items()}
    except NotRead:
        return None
    if isinstance(left, Vector) != isinstance(right, Vector) or any(
            isinstance(b, Vector) for b in read_bodies.values()):
        return None
    if isinstance(left, Vector):
        left, right = left.entry, right.entry
    if left == lhs and right == rhs and read_bodies == bodies:
        return None  # no vector in it: the number reading is the only one
    return (left, right, read_bodies) if given is not None else (left, right)


def with_bodies(meaning, named: dict):
    """``meaning`` with each variable the post named as an expression
    (``z = \\theta^T x``) defined as it, so that unfolding reaches the vectors."""
    functions = dict(meaning.functions)
    functions.update({name: (None, body) for name, body in named.items() if name not in functions})
    return replace(meaning, functions=functions, evaluated={})


def held_bodies(meaning, sides) -> dict:
    """The bodies of the names the unfolded sides still hold (z_i in d sigma(z_i) / d z_i):
    evaluated later, they are read as the sides are."""
    found = {}
    for side in sides:
        if not isinstance(side, sympy.Basic):
            continue
        for atom in side.atoms(sympy.Indexed):
            if atom.base in meaning.indexed:
                found[atom.base] = meaning.indexed[atom.base][1]
        for symbol in side.free_symbols:
            if symbol in meaning.functions and meaning.functions[symbol][0] is None:
                found[symbol] = meaning.functions[symbol][1]
    return found


def with_read_bodies(meaning, bodies: dict):
    """``meaning`` with the held names' bodies as ``entrywise`` read them."""
    functions, indexed = dict(meaning.functions), dict(meaning.indexed)
    for name, body in bodies.items():
        if name in indexed:
            indexed[name] = (indexed[name][0], body)
        else:
            functions[name] = (None, body)
    return replace(meaning, functions=functions, indexed=indexed, evaluated={})


# a product this reading does not give: entrywise (\odot, \circ), Kronecker or outer (\otimes), and a
# transpose with no operand after it (x w^T, \delta (a)^T: an outer product, a matrix)
_OTHER_PRODUCT = re.compile(r"\\(?:odot|bigodot|circ|otimes|times)(?![A-Za-z])"
                            r"|\^\s*(?:\{\s*)?(?:T|\\top|\\intercal|\\mathsf\s*\{?\s*T\s*\}?)\s*\}?"
                            r"\s*(?:\\right\s*)?(?:$|[=+\-),.\]]|\\\\|\\right|\\end|&|\\quad)")


def other_products(texts) -> bool:
    """Whether the LaTeX writes a product the dot-product reading does not give."""
    return any(_OTHER_PRODUCT.search(text or "") for text in texts)


_BOLD_ENTRY = r"\\(?:mathbf|boldsymbol|bm|vec)\s*\{\s*\\?([A-Za-z]+)\s*\}\s*_"


def bold_entries(texts) -> set:
    """Bases written bold with a subscript (``\\mathbf{x}_i``): each x_i a vector."""
    return {m.group(1) for text in texts for m in re.finditer(_BOLD_ENTRY, text or "")}


def declared_length(shapes, sides) -> sympy.Expr:
    """The length the post declares for the axis the vectors' entries run
    along (X in R^{n x p}: p for x_{i, c}), else the general ``LENGTH``; a
    vector with more than one declared length keeps the general one."""
    found = set()
    for side in sides:
        for entry in side.atoms(sympy.Indexed) if isinstance(side, sympy.Basic) else ():
            shape = shapes.of(str(entry.base.label))
            if entry.indices[-1] in (ENTRY, _SUMMED) and shape is not None and len(shape) == len(entry.indices):
                found.add(shape[-1])
    return length_symbol(found.pop(), sides) if len(found) == 1 else LENGTH


def written_names(expr) -> set:
    """The names ``expr`` writes, as ``vectors_as_numbers`` spells them
    (w, x of x_i, a^(L-1) of a labelled a^{(L-1)}, f of f(x))."""
    if not isinstance(expr, sympy.Basic):
        return set()
    names = {str(s) for s in expr.free_symbols if isinstance(s, (sympy.Symbol, sympy.IndexedBase))}
    for entry in expr.atoms(sympy.Indexed):
        base = str(entry.base)
        names.add(base)
        if base.endswith("^()") and len(entry.indices) == 1:
            names.add(f"{base[:-1]}{entry.indices[0]})")
    return names | {str(f.func) for f in expr.atoms(AppliedUndef)}


def read_as_vectors(checker, previous, lhs, rhs, hints, approximate, display=None, number=None, guard=None):
    """The evidence of the claim read entry by entry (``entrywise``) under the
    post's definitions, named variables unfolded; None when it is not read so.
    With ``number``, the evidence of the number reading: a relation that,
    unfolded, writes none of the names its display marks as vectors (they are
    in another relation of it) keeps that evidence. ``guard``: a display whose
    products alone are looked at (``other_products``), its marks not taken."""
    source = display if display is not None else guard
    parts = source.parts if source is not None else ()
    texts = [p.text for p in parts if p.expr is lhs or p.expr is rhs] or [p.text for p in parts]
    if other_products(texts):
        return None
    marked = display.vectors_as_numbers if display is not None else ()
    bold = bold_entries(texts)
    meaning = with_bodies(checker.meaning, checker.named)
    try:
        sides = [meaning.unfold(side) for side in (lhs, rhs)]
        bodies = held_bodies(meaning, sides)
        written = set().union(*(written_names(e) for e in (*sides, *(meaning.unfold(b) for b in bodies.values()))))
    except SymderiveError:
        return None
    if number is not None and marked and not written & set(marked):
        return number
    read = entrywise(*sides, marked=marked, bold=bold, bodies=bodies)
    if read is None:
        return None
    length = {LENGTH: declared_length(checker.shapes, read[:2])}
    left, right = (side.xreplace(length) for side in read[:2])
    bodies = {name: body.xreplace(length) for name, body in read[2].items()}
    evidence = checker.proved(previous, left, right, (), approximate, with_read_bodies(meaning, bodies))[0]
    if isinstance(evidence, Proved):
        return Proved(f"{evidence.method}, with the vectors read as vectors of any length, entry by entry")
    return evidence
