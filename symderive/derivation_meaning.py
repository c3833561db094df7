"""A derivation file's names read into a Meaning: its variable or vector,
parameters, indices and indexed data, ``let`` definitions (a ``let`` of
``a_i`` defines the entries of an indexed name), stated sums and the
conditions of its cases."""

from __future__ import annotations

import re

import sympy

from .catalog import function_names
from .derivation import DOMAINS, Derivation, Located
from .errors import DerivationFileError
from .latex import parse_display
from .latex.scope import Scope
from .meaning import CatalogDefinition, Meaning, assumption
from .normal_form import canonical_sum

_INDEXED_KEY = re.compile(r"^([A-Za-z]+)_\{?([A-Za-z]{1,3})\}?$")  # y_i, and y_ij for a matrix's entries


def meaning_of(derivation: Derivation) -> Meaning:
    """Scope and definitions of a derivation, with every let parsed."""
    indices = {n: sympy.Symbol(n, integer=True, positive=True) for n in derivation.indices}
    indexed = {n: sympy.IndexedBase(n, real=True) for n in derivation.indexed}
    dimensions, matrices, variables = {}, {}, {}
    if derivation.matrix:
        length = sympy.Symbol(derivation.dimension or "n", integer=True, positive=True)
        dimensions[str(length)] = length
        variable = sympy.MatrixSymbol(derivation.matrix, length, 1)
        matrices[derivation.matrix] = variable
    else:
        variable = sympy.Symbol(derivation.variable, real=True)
        variables[derivation.variable] = variable
    for name, domain in derivation.parameters:
        variables[name] = sympy.Symbol(name, **DOMAINS[domain])
    let_functions, let_indexed = {}, {}
    for key, located in derivation.lets:
        match = _INDEXED_KEY.match(key)
        letters = match.group(2) if match else ""
        if match and match.group(1) in indexed and len(set(letters)) == len(letters):
            # the key's letters are indices in the body too, declared or not
            found = tuple(indices.setdefault(c, sympy.Symbol(c, integer=True, positive=True)) for c in letters)
            let_indexed[match.group(1)] = (found[0] if len(found) == 1 else found, located)
        else:
            let_functions[key] = sympy.Function(key)
    undefined = {name: sympy.Function(name) for name in derivation.functions}
    functions = {name: sympy.Function(name) for name in function_names()
                 if name not in let_functions and name not in undefined}
    functions.update(let_functions)
    functions.update(undefined)
    scope = Scope(
        variables=variables,
        default_variable=variable,
        functions=functions,
        indexed=indexed,
        indices=indices,
        matrices=matrices,
        dimensions=dimensions,
    )
    meaning = Meaning(scope, variable, independent=frozenset(variables.values()))
    for name, function in functions.items():
        if name not in let_functions and name not in undefined:
            meaning.functions[function] = CatalogDefinition(name)
    for key, located in derivation.lets:
        if key in let_functions:
            meaning.functions[let_functions[key]] = (variable, meaning.parse(located))
    for name, (index, located) in let_indexed.items():
        meaning.indexed[indexed[name]] = (index, meaning.parse(located))
    for located in derivation.assumptions:
        meaning.assumptions.update([_stated_sum(located, meaning)])
    return meaning


def _stated_sum(located: Located, meaning: Meaning) -> tuple:
    stated = assumption(parse_display(located.latex, meaning.scope, located.origin))
    if stated is None:
        raise DerivationFileError("an assumption states the value of a sum, such as '\\sum_k y_k = 1'",
                                  located.origin)
    return canonical_sum(stated[0]), stated[1]


_RELATIONS = {
    "=": sympy.Eq, "<": sympy.Lt, ">": sympy.Gt, "\\leq": sympy.Le, "\\le": sympy.Le, "<=": sympy.Le,
    "\\geq": sympy.Ge, "\\ge": sympy.Ge, ">=": sympy.Ge, "\\neq": sympy.Ne, "\\ne": sympy.Ne,
}


def parse_condition(located: Located, meaning: Meaning) -> sympy.Basic:
    """A case condition such as ``x > 0`` or ``i \\neq k`` as a SymPy relation."""
    display = parse_display(located.latex, meaning.scope, located.origin)
    parts = display.parts
    if len(parts) != 2 or parts[1].relation not in _RELATIONS:
        raise DerivationFileError("a case condition must be one relation such as 'x > 0'", located.origin)
    return _RELATIONS[parts[1].relation](parts[0].expr, parts[1].expr)
