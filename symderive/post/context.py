"""What a careful reader takes from a post's context, beyond its math: a
name whose built-in meaning the post leaves in doubt, prose that
introduces a new function, data given as numbers,
the case an off-diagonal derivative is about, names read off a relation
(constants matched, a new name solved for), and readings of names that
make a refutation or a proof rest on one choice (an index written as a
superscript, a variable named as an expression, a labelled form). None of
these proves anything; each says what a claim means or that it is in doubt.
"""

from __future__ import annotations

import re

import sympy
from sympy.core.function import AppliedUndef

from ..catalog import function_names
from ..errors import SymderiveError
from ..latex.opaque import SUM_NAME
from ..normal_form import canonical_sum
from .assumptions import readable_blocks
from .reading import BUILTIN_PROSE


def free_values(blocks, parse) -> set[str]:
    """The names some relation of a post writes on both of its sides: values
    the author treats as given (data, a variable), never named by a relation."""
    found = set()
    for _, display in readable_blocks(blocks, parse):
        for relation in display.relations():
            found |= {str(n) for n in plain_names(relation.lhs.expr) & plain_names(relation.rhs.expr)}
    return found


# "the derivative of g", "the gradient of $g_{\text{linear}}$": the function a


def _function_words() -> re.Pattern:
    names = {n.lower().replace("_", " ") for n in function_names() if not n.startswith("g_")}
    names |= set(BUILTIN_PROSE) | {"softmax", "log softmax", "leaky relu", "relu"}
    words = sorted((re.escape(n).replace("\\ ", r"[\s_-]*") for n in names), key=len, reverse=True)
    return re.compile(rf"(?<![A-Za-z])(?:{'|'.join(words)})(?![A-Za-z])", re.I)


FUNCTION_WORDS = _function_words()
CONCLUDES = re.compile(r"\b(?:we (?:get|have|obtain|find)|thus|therefore|hence|so|then|gives|becomes|yields)\b", re.I)
DEFINITION_WORDS = re.compile(r"\b(?:is|are|gives?) the definitions?\b", re.I)


def introduces_function(sentence: str) -> bool:
    """Prose that introduces the function of the display after it: it names
    one ("Tanh激活函数", "the Leaky ReLU function") or says "this is the
    definition". A name the section defined before (f for the sigmoid) is
    then defined again, as in a table of activations, not restated."""
    if CONCLUDES.search(sentence):
        return False
    return bool(FUNCTION_WORDS.search(sentence) or DEFINITION_WORDS.search(sentence))


def names_a_square(lhs, known: set) -> bool:
    """``\\sigma_j^2 = ...`` with sigma_j new: the relation names the square (a
    variance); sigma_j stays a free name, never a claim about a free value."""
    return (isinstance(lhs, sympy.Pow) and lhs.exp == 2 and isinstance(lhs.base, sympy.Symbol)
            and not lhs.base.is_integer and lhs.base not in known)


def unindexed_sum(latex: str) -> bool:
    """``\\sum e^z``: a sum whose index the post's reading tells, a file's not."""
    return re.search(r"\\sum(?![A-Za-z])(?!\s*(?:\\limits\s*)?[_^])", latex) is not None


def plain_names(expr) -> set:
    """The names an expression writes: vectors of its entries (q for q_i)
    and plain symbols, not indices nor the variables of sums."""
    if not isinstance(expr, sympy.Basic):
        return set()
    entries = expr.atoms(sympy.Indexed)
    indices = {s for e in entries for i in e.indices for s in i.free_symbols}
    bases = {e.base for e in entries}
    labels = {b.label for b in bases}
    symbols = {s for s in expr.free_symbols if isinstance(s, sympy.Symbol)} - indices - labels
    return bases | symbols


def gives_value(vector, lhs, rhs) -> bool:
    """Whether ``lhs = rhs`` can give the entries of ``vector`` a value: it is
    linear in them, with a coefficient holding no entry of any vector
    (``(q_i - p_i)/T = ...`` names q_i; ``(a_i - y_i) x_i = a_i - y_i`` only
    says x_i = 1, a factor dropped rather than a name given)."""
    if not all(isinstance(e, sympy.Expr) for e in (lhs, rhs)):
        return False
    held = sympy.Dummy("entry")
    difference = (lhs - rhs).replace(lambda e: isinstance(e, sympy.Indexed) and e.base == vector, lambda e: held)
    coefficient = sympy.diff(difference, held)
    return coefficient != 0 and not coefficient.has(held) and not coefficient.atoms(sympy.Indexed)


def combines_cases(display, condition) -> bool:
    """Whether a display writes a Kronecker delta of the indices the
    condition in force is about (``p_j(\\delta_{ij} - p_i)`` after the cases
    i = j and i != j): it combines the cases, so the condition ends."""
    if condition is sympy.true or not condition.free_symbols:
        return False
    deltas = [d for p in display.parts if isinstance(p.expr, sympy.Basic) for d in p.expr.atoms(sympy.KroneckerDelta)]
    return any(condition.free_symbols <= d.free_symbols for d in deltas)


def constant_in_variable(meaning, *sides) -> str | None:
    """The name of a function a side differentiates in its own parameter
    (``g'(x)``) whose definition does not hold that parameter but other
    names (``g(x) = e^{a_i}``): the author differentiates in one of those,
    which the prime does not say. None when there is none."""
    for side in sides:
        if not isinstance(side, sympy.Basic):
            continue
        for derivative in side.atoms(sympy.Derivative):
            applied = derivative.expr
            if not isinstance(applied, AppliedUndef) or applied.func not in meaning.functions:
                continue
            parameter, body = meaning.functions[applied.func]
            if isinstance(parameter, tuple) or not isinstance(body, sympy.Basic):
                continue
            wrt = {v for v, _ in derivative.variable_count}
            held = {parameter} | set(applied.args)
            try:
                # sigma = 1/u with u = 1 + e^{-x} holds x through u; g(h) = ln(h) holds its parameter h
                body = meaning.unfold(body, keep=frozenset(filter(None, map(meaning.held_name, held))))
            except SymderiveError:
                continue
            if wrt <= held and not body.has(*held) and body.free_symbols:
                return str(applied.func)
    return None


def _is_matrix(expr) -> bool:
    """A matrix or vector, also under a derivative not yet taken (d/dx of a
    column, which SymPy holds as a Derivative of it)."""
    if isinstance(expr, sympy.Derivative):
        return _is_matrix(expr.expr)
    return isinstance(expr, (sympy.MatrixBase, sympy.MatrixExpr))


def scalar_against_matrix(lhs, rhs) -> bool:
    """One side a matrix or vector, the other written as a scalar: a post
    rarely says which of its names are vectors (dL/dz for a vector z, A^O
    for the softmax's outputs), so the shapes say nothing against it."""
    return _is_matrix(lhs) != _is_matrix(rhs)


def names_data(lhs, rhs) -> bool:
    """``T = (0, 1)``, ``A^{O} = (0.5, 0.5)``, ``x_0^{(i)} = 1``: a name (maybe
    labelled, or one entry of a vector) given numbers: data the post states,
    not a step to derive."""
    name = (isinstance(lhs, (sympy.Symbol, sympy.IndexedBase))
            or isinstance(lhs, sympy.Pow) and all(isinstance(e, (sympy.Symbol, sympy.IndexedBase)) for e in lhs.args)
            or isinstance(lhs, sympy.Indexed) and any(i.is_number for i in lhs.indices))
    numbers = (rhs.is_number if isinstance(rhs, sympy.Expr) and not _is_matrix(rhs)
               else isinstance(rhs, sympy.MatrixBase) and all(e.is_number for e in rhs))
    return bool(name and numbers)


def entry_derivative(expr):
    """(a, x, i, j) for a derivative of one vector's entry in another's,
    ``\\partial a_i / \\partial x_j``; None for anything else."""
    if not isinstance(expr, sympy.Derivative) or len(expr.variable_count) != 1:
        return None
    top, (wrt, count) = expr.expr, expr.variable_count[0]
    if count != 1 or not all(isinstance(e, sympy.Indexed) and len(e.indices) == 1 for e in (top, wrt)):
        return None
    return top.base, wrt.base, top.indices[0], wrt.indices[0]


def off_diagonal(expr, rhs, diagonals: set):
    """``i \\neq j`` for a claim ``\\partial a_i / \\partial x_j = ...`` made after
    the section treated ``\\partial a_i / \\partial x_i``: the reader takes the
    second case as the other one (the author writes "and" between them).
    A right side with a Kronecker delta or cases covers both: no condition."""
    found = entry_derivative(expr)
    if found is None or (found[0], found[1]) not in diagonals:
        return None
    top, wrt, i, j = found
    if i == j or not (i.is_Symbol and j.is_Symbol) or not isinstance(rhs, sympy.Expr):
        return None
    if rhs.has(sympy.KroneckerDelta, sympy.Piecewise) or any("delta" in str(f.func) for f in rhs.atoms(AppliedUndef)):
        return None
    return sympy.Ne(i, j), f"{i} \\neq {j}"


def fitted_constants(lhs, rhs, fresh: set, variable):
    """``x(a + b x^2)`` written for a polynomial in x, with a and b names the
    post has not used before: the constants a reader reads off by matching
    coefficients, as {a: ..., b: ...}; None when the sides are not
    polynomials in the variable or no single set of values fits."""
    if not fresh or not all(isinstance(e, sympy.Expr) for e in (lhs, rhs)):
        return None
    difference = sympy.expand(lhs - rhs)
    if not difference.is_polynomial(variable) or difference.has(sympy.Function):
        return None
    coefficients = sympy.Poly(difference, variable).coeffs()
    unknowns = sorted(fresh, key=str)
    if not all(c.is_polynomial(*unknowns) and sympy.Poly(c, *unknowns).total_degree() <= 1 for c in coefficients):
        return None  # linear in the constants only: solved at once, never a search
    solutions = sympy.solve(coefficients, sorted(fresh, key=str), dict=True)
    if len(solutions) != 1 or set(solutions[0]) != fresh:
        return None
    values = solutions[0]
    return values if all(not v.free_symbols for v in values.values()) else None


def index_powers(scope, labelled: set, *sides) -> list[str]:
    """Powers whose exponent is an index letter of the post (``s^i``), or
    any power of a name the post raises to one (``s^2`` after ``s^i``),
    written as the post writes them: ambiguous, since posts write indices
    as superscripts too."""
    letters = {v for k, v in scope.indices.items() if k != "n"}
    found = []
    for side in sides:
        if isinstance(side, sympy.Basic):
            found += [f"{p.base}^{p.exp}" for p in side.atoms(sympy.Pow) if not p.base.is_number
                      and (p.exp in letters or p.base in labelled or _letters_product(p.exp))]
    return found


def _letters_product(exponent) -> bool:
    """``ij``, ``ia``: two or more one-letter names side by side as an
    exponent, which a post under the summation convention writes for the
    indices of an entry (``S^{ij}``), not a power."""
    factors = sympy.Mul.make_args(exponent)
    return len(factors) > 1 and all(isinstance(f, (sympy.Symbol, sympy.IndexedBase)) and len(str(f)) == 1
                                    for f in factors)


def labelled_bases(scope, display) -> set:
    """The names a display raises to an index letter (``s^i``, ``y^i``)."""
    letters = {v for k, v in scope.indices.items() if k != "n"}
    return {p.base for part in display.parts if isinstance(part.expr, sympy.Basic)
            for p in part.expr.atoms(sympy.Pow) if p.exp in letters and p.base.is_Symbol}


def solved_for(name, lhs, rhs):
    """{name: value} when ``lhs = rhs`` is linear in ``name`` with a number
    as its coefficient; None otherwise."""
    difference = sympy.expand(lhs - rhs)
    if not difference.is_polynomial(name) or sympy.degree(difference, name) != 1:
        return None
    coefficient = difference.coeff(name, 1)
    if not coefficient.is_number or coefficient == 0:
        return None
    return {name: sympy.expand(-(difference - coefficient * name) / coefficient)}


def _names(expr) -> set[str]:
    found = {str(s) for s in expr.free_symbols}
    found |= {str(i.base) for i in expr.atoms(sympy.Indexed)}
    return found | {str(m) for m in expr.atoms(sympy.MatrixSymbol)}


def varies_through(meaning, named: dict, *sides):
    """(z, w) when a side differentiates in w an expression holding a
    variable z the post named as an expression of w (``z = w^T x + b``):
    the checker keeps z a variable, so that derivative would be read as if
    z did not vary; None otherwise."""
    for side in sides:
        if not isinstance(side, sympy.Basic) or not side.has(sympy.Derivative):
            continue
        for derivative in meaning.unfold(side).atoms(sympy.Derivative):
            wrt = set().union(*(_names(v) for v, _ in derivative.variable_count))
            for name, body in named.items():
                if derivative.expr.has(name) and isinstance(body, sympy.Basic) and _names(body) & wrt:
                    return str(name), ", ".join(sorted(_names(body) & wrt))
    return None


# the reasons of an unknown that rest on how the post reads a name (see Proving.prove)
READING_DOUBTS = ("may be an entry (an index written as a superscript)", "is written as an expression of",
                  "for one sample they are the same quantity", "not as the chain through",
                  "is defined without its variable", "the relation may be what names",
                  "read as a number where the post may mean a vector", "one name for its entries",
                  "may be a differential", "the partial of backpropagation's graph", "as the mean or deviation of the",
                  "under one reading of the slash", "where the post may mean a vector or matrix",
                  "the post may mean a model with more entries", "may name the same layer",
                  "with the entries held it is 0")


def reading_doubt(evidence) -> str | None:
    """The reason of an unknown that rests on a reading of the post's names
    (a derivation file would read them one way and decide), else None."""
    reason = getattr(evidence, "reason", "") or ""
    return reason if any(phrase in reason for phrase in READING_DOUBTS) else None


def labelled_and_bare(meaning, *sides) -> dict:
    """Names the post defines bare (``\\hat{y} = \\sigma(z)``) of which a side
    writes the labelled form ``\\hat{y}^{(i)}`` (an entry of a vector named
    ``y_hat^()``): for one sample the two are one quantity, which the reading
    keeps apart. Each labelled entry with its bare name (the one-sample
    reading); empty when no side has one."""
    defined = {str(name): name for name in meaning.functions if isinstance(name, sympy.Symbol)}
    found = {}
    for side in sides:
        if isinstance(side, sympy.Basic):
            for entry in side.atoms(sympy.Indexed):
                name = str(entry.base).split("^", 1)[0]
                if "^" in str(entry.base) and name in defined:
                    found[entry] = defined[name]
    return found


def name_the_sum(meaning, made: dict) -> None:
    """A bare ``\\sum`` the post never defines (``\\frac{e^{a_i} \\times \\sum -
    e^{a_i} e^{a_j}}{\\sum^2}``) is the sum the post is about, when its
    definitions write exactly one sum that depends on no free index
    (``S_i = e^{a_i} / \\sum_k e^{a_k}``): the reader has no other to take.
    With none or several, it stays a name never refuted through."""
    variable = meaning.scope.default_variable
    bare = sympy.Function(SUM_NAME, real=True)
    if variable is None or bare in meaning.functions:
        return
    bodies = [right for entries in made.values() for name, _, right, _ in entries if isinstance(right, sympy.Basic)]
    if any(str(name) == SUM_NAME for entries in made.values() for name, *_ in entries):
        return
    found = {canonical_sum(s): s for body in bodies for s in body.atoms(sympy.Sum)}
    if len(found) != 1:
        return
    (total,) = found.values()
    index = total.limits[0][0] if len(total.limits) == 1 else None
    if index is None or total.has(sympy.KroneckerDelta) or any(
            s.is_integer for s in total.function.free_symbols - {index}):
        return
    meaning.functions[bare] = (variable, total)
