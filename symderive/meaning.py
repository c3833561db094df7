"""What the symbols of one derivation mean: scope for the parser, the
definitions (``let`` names, catalog names) and the evaluation of a step to a
closed expression.

``let`` names and catalog names are undefined SymPy functions of the
derivation's variable (``u`` is ``u(x)``), so a step keeps the names its
author wrote; ``unfold`` replaces them by their definitions. A derivative
with respect to a name (``d sigma / du``) differentiates the definition of
sigma with u held as an independent symbol, then u is unfolded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy
from sympy.core.function import AppliedUndef
from sympy.simplify.simplify import factor_sum

from .case_functions import SWITCHING
from .catalog import lookup
from .derivation import Located
from .errors import DerivationFileError
from .kronecker import bound_apart, collapse_kronecker_sums
from .latex import parse_expression
from .latex.scope import Scope
from .normal_form import canonical_sum
from .regions import as_piecewise

MAX_UNFOLD_DEPTH = 30


class CatalogDefinition:
    """The definition of a catalog name, (variable, expression), read from
    the catalog when it is first needed: every catalog name is in every
    derivation's scope, and a derivation uses one or two of them."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def build(self) -> tuple:
        activation = lookup(self.name)
        return activation.variable, activation.expr


def _built(value):
    """A definition as (parameter, body), a CatalogDefinition built."""
    return value.build() if isinstance(value, CatalogDefinition) else value


class _Definitions(dict):
    """A dict that counts its changes: the evaluation memo keys on the count
    instead of hashing every definition at every call (SymPy's function
    classes hash slowly). A CatalogDefinition value is built
    when it is first read; that is not a change."""

    __slots__ = ("version",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = 0

    def __getitem__(self, key):
        value = super().__getitem__(key)
        if isinstance(value, CatalogDefinition):
            value = value.build()
            super().__setitem__(key, value)  # the same definition, built: not a change
        return value

    def get(self, key, default=None):
        return self[key] if key in self else default

    def values(self):
        return [self[key] for key in self]

    def items(self):
        return [(key, self[key]) for key in self]

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self.version += 1

    def __delitem__(self, key):
        super().__delitem__(key)
        self.version += 1

    def update(self, *args, **kwargs):
        super().update(*args, **kwargs)
        self.version += 1

    def setdefault(self, key, default=None):
        self.version += 1
        super().setdefault(key, default)
        return self[key]

    def pop(self, *args):
        self.version += 1
        return _built(super().pop(*args))

    def popitem(self):
        self.version += 1
        key, value = super().popitem()
        return key, _built(value)

    def clear(self):
        super().clear()
        self.version += 1


@dataclass(frozen=True)
class Meaning:
    scope: Scope
    variable: sympy.Basic
    functions: dict = field(default_factory=dict)  # FunctionClass -> (parameter, body)
    indexed: dict = field(default_factory=dict)  # IndexedBase -> (index, body)
    assumptions: dict = field(default_factory=dict)  # canonical sum -> its stated value
    independent: frozenset = frozenset()  # declared independent of each other (a file's variable, parameters)
    evaluated: dict = field(default_factory=dict, compare=False, repr=False)  # expr -> evaluate(expr)

    def __post_init__(self):
        # definitions are changed only through these attributes (a post's
        # checker adds them as it reads): each is a _Definitions, a copy
        for name in ("functions", "indexed", "assumptions"):
            value = getattr(self, name)
            if not isinstance(value, _Definitions):
                object.__setattr__(self, name, _Definitions(value))

    def parse(self, located: Located) -> sympy.Basic:
        return parse_expression(located.latex, self.scope, located.origin)

    # -- definitions ---------------------------------------------------------

    def definition_of(self, expr: sympy.Basic, keep: frozenset = frozenset()) -> sympy.Basic | None:
        """The body of a name application (``u(x)``, ``S[k]``), one level."""
        if isinstance(expr, AppliedUndef) and expr.func in self.functions and expr.func not in keep:
            parameter, body = self.functions[expr.func]
            parameters = parameter if isinstance(parameter, tuple) else (parameter,)  # J(w, b): several
            if len(parameters) != len(expr.args):  # L(z) defined, L(b, w) written: another function
                return None
            if all(a == p for a, p in zip(expr.args, parameters)):
                return body
            # softmax(z_j) = e^{z_j} / sum_j e^{z_j}: the sum's j is its own, renamed before z_j becomes z_b
            body = bound_apart(body, set().union(*(a.free_symbols for a in (*parameters, *expr.args)
                                                   if isinstance(a, sympy.Basic))))
            return body.xreplace(dict(zip(parameters, expr.args)))
        if isinstance(expr, sympy.Indexed) and expr.base in self.indexed and expr.base not in keep:
            index, body = self.indexed[expr.base]
            index = index if isinstance(index, tuple) else (index,)  # y_{ij} = ...: the entries of a matrix
            if len(index) != len(expr.indices):
                return None
            # r_h of r_i = sum_h x_ih^2: the body's bound h renamed before i becomes h
            body = bound_apart(body, set().union(*(i.free_symbols for i in expr.indices)))
            return body.xreplace(dict(zip(index, expr.indices)))
        if isinstance(expr, sympy.Symbol) and expr in self.functions and expr not in keep:
            return self.functions[expr][1]  # a named constant of a post: L = -sum y log p
        return None

    def unfold(self, expr: sympy.Basic, keep: frozenset = frozenset(), depth: int = 0) -> sympy.Basic:
        """Every name replaced by its definition, except those in ``keep``;
        the variables a derivative is taken with respect to stay as written."""
        if depth > MAX_UNFOLD_DEPTH:
            raise DerivationFileError("definitions refer to each other in a cycle")
        if not isinstance(expr, sympy.Basic):
            return expr
        body = self.definition_of(expr, keep)
        if body is not None:
            return self.unfold(body, keep, depth + 1)
        if expr.is_Atom:
            return expr
        if isinstance(expr, sympy.Derivative):
            wrt_names = frozenset(n for n in (self.held_name(v) for v, _ in expr.variable_count) if n is not None)
            inner = self.unfold(expr.expr, keep | wrt_names, depth)
            return sympy.Derivative(inner, *expr.variable_count, evaluate=False)
        if isinstance(expr, (sympy.Sum, sympy.Product)):
            return expr.func(self.unfold(expr.function, keep, depth), *expr.limits)
        args = [self.unfold(a, keep, depth) for a in expr.args]
        return expr.func(*args) if any(a is not b for a, b in zip(args, expr.args)) else expr

    # -- evaluation ----------------------------------------------------------

    def held_name(self, wrt: sympy.Basic):
        """The defined name a derivative is taken with respect to (u in
        d sigma / du, p in d log p_i / d p_i, y_hat in dL / d y_hat), if any:
        it is held as an independent variable, not unfolded."""
        if isinstance(wrt, AppliedUndef):
            return wrt.func
        if isinstance(wrt, sympy.Indexed) and wrt.base in self.indexed:
            return wrt.base
        if isinstance(wrt, sympy.Symbol) and wrt in self.functions:
            return wrt
        return None

    def differentiate(self, expr: sympy.Basic, wrt: sympy.Basic, count: int) -> sympy.Basic:
        """The derivative of ``expr`` (derivatives inside already evaluated).
        A name with no definition does not have derivative 0: see ``dependents``."""
        held_name = self.held_name(wrt)
        if isinstance(wrt, AppliedUndef):
            body = self.unfold(expr, keep=frozenset({wrt.func}))
            # d/dh of log h(x^(i)): h written bare in the denominator is the one value h takes there
            applied = {a for a in body.atoms(AppliedUndef) if a.func == wrt.func}
            target = applied.pop() if len(applied) == 1 else wrt
            held = sympy.Dummy("held")
            result = self.derivative(body.xreplace({target: held}), held, count).xreplace({held: target})
        elif held_name is not None:
            body = self.unfold(expr, keep=frozenset({held_name}))
            result = self.derivative(body, wrt, count)
        else:
            body = self.unfold(expr)
            if body.has(*SWITCHING):
                body = as_piecewise(body)
            result = self.derivative(body, wrt, count)
        return collapse_kronecker_sums(result)

    def derivative(self, body: sympy.Basic, wrt: sympy.Basic, count: int) -> sympy.Basic:
        """``body`` differentiated ``count`` times, its ``dependents`` made
        functions of ``wrt`` (their derivatives stay unevaluated) and written
        as before wherever they are not differentiated."""
        body = bound_apart(body, wrt.free_symbols)
        for _ in range(count):
            dependents = self.dependents(body, wrt)
            if not dependents:
                body = body.diff(wrt)
                continue
            back = {made: name for name, made in dependents.items()}
            body = _restored(body.xreplace(dependents).diff(wrt), back, wrt)
            if isinstance(wrt, sympy.Indexed):
                body = body.xreplace({sympy.Derivative(made, wrt): _entry_derivative(made, wrt)
                                      for made in dependents.values()})
        return body

    def dependents(self, body: sympy.Basic, wrt: sympy.Basic) -> dict:
        """The names of ``body`` a reader cannot take as constant in ``wrt``,
        each with the function of ``wrt`` it stands for: the body itself when
        it is a bare name with no definition (``dy/dx``, ``dy_i/dx_j``; the
        author says it varies, not how), and every undefined function that
        does not mention ``wrt`` (``h_theta(x)``, its definition unreadable,
        in ``d/d theta_0``). A variable is independent only of itself and of
        the other entries of its vector (``dx/dx``, ``dx_i/dx_j``)."""
        if not isinstance(wrt, (sympy.Symbol, sympy.Indexed)):
            return {}
        bare = self.bare_dependent(body, wrt)
        made = {body: bare} if bare is not None else {}
        made.update({applied: applied.func(*applied.args, wrt) for applied in body.atoms(AppliedUndef)
                     if applied.func not in self.functions and not _mentions(applied, wrt)})
        return made

    def bare_dependent(self, name: sympy.Basic, wrt: sympy.Basic) -> sympy.Basic | None:
        """``name`` as a function of ``wrt``, if it is a bare name with no
        definition, other than ``wrt`` and the entries of its vector."""
        base = name.base if isinstance(name, sympy.Indexed) else name
        if isinstance(wrt, sympy.Indexed) and base == wrt.base or name == wrt or name in self.independent:
            return None
        if isinstance(name, sympy.Indexed) and base not in self.indexed:
            return sympy.Function(str(base), real=True)(*name.indices, wrt)
        if (isinstance(name, sympy.Symbol) and not name.is_integer and name not in self.functions
                or isinstance(name, sympy.IndexedBase) and name not in self.indexed):  # y bare, y_i a vector's entry
            return sympy.Function(str(name), real=True)(wrt)
        return None

    def undefined_derivatives(self, expr: sympy.Basic) -> tuple[str, ...]:
        """The names whose derivative ``expr`` (an evaluated side) leaves
        unevaluated because the post never says what they are."""
        names = {str(d.expr.func) for d in expr.atoms(sympy.Derivative)
                 if isinstance(d.expr, AppliedUndef) and d.expr.func not in self.functions}
        entries = (_ENTRY_DERIVATIVE.match(str(a.func)) for a in expr.atoms(AppliedUndef))
        return tuple(sorted(names | {m.group(1) for m in entries if m}))

    def evaluate_derivatives(self, expr: sympy.Basic) -> sympy.Basic:
        if not isinstance(expr, sympy.Basic) or not expr.has(sympy.Derivative):
            return expr
        if isinstance(expr, sympy.Derivative):
            result = self.evaluate_derivatives(expr.expr)
            for wrt, count in expr.variable_count:
                result = self.differentiate(result, wrt, count)
            return result
        return expr.func(*(self.evaluate_derivatives(a) for a in expr.args))

    def evaluate(self, expr: sympy.Basic) -> sympy.Basic:
        """The closed expression a step stands for: derivatives done, names unfolded.
        (Memoised: each line is the current line of one step and the previous
        line of the next.)"""
        # keyed with the definitions' versions too: a post's checker adds them as it reads
        key = (expr, self.functions.version, self.indexed.version, self.assumptions.version)
        if key in self.evaluated:
            return self.evaluated[key]
        result = self.unfold(self.evaluate_derivatives(expr))
        if result.has(sympy.Derivative):
            result = self.unfold(self.evaluate_derivatives(result))
        result = assume(collapse_kronecker_sums(result), self.assumptions)
        self.evaluated[key] = result
        return result


def _mentions(expr: sympy.Basic, wrt: sympy.Basic) -> bool:
    """Whether ``expr`` is written with ``wrt`` in it as an entry (``f(w_1)``
    for w_1, ``f(w_i)`` for w_j): a function of the whole vector, ``L(b, w)``,
    varies with each entry without showing it, so it does not count."""
    if isinstance(wrt, sympy.Indexed):
        return any(isinstance(a, sympy.Indexed) and a.base == wrt.base for a in expr.atoms(sympy.Indexed))
    return expr.has(wrt)


_ENTRY_DERIVATIVE = re.compile(r"^\u2202(.+?)/\u2202")


def _entry_derivative(made: AppliedUndef, wrt: sympy.Indexed) -> AppliedUndef:
    """The unknown derivative of ``made`` in a vector entry as a function of
    the indices, ``dy_i/dx_j`` as ``∂y/∂x(i, j)``: sampling a claim gives the
    entries values, and a derivative in a value has no meaning."""
    return sympy.Function(f"\u2202{made.func}/\u2202{wrt.base}", real=True)(*made.args[:-1], *wrt.indices)


def _restored(expr: sympy.Basic, back: dict, wrt: sympy.Basic) -> sympy.Basic:
    """``expr`` with the functions of ``back`` written as their names again,
    except inside a derivative in ``wrt``: y(x) stays y outside dy/dx."""
    if expr in back:
        return back[expr]
    if expr.is_Atom:
        return expr
    if isinstance(expr, sympy.Derivative):
        if any(v == wrt for v, _ in expr.variable_count):
            return expr
        inner = _restored(expr.expr, back, wrt)
        return expr if inner is expr.expr else sympy.Derivative(inner, *expr.variable_count, evaluate=False)
    args = [_restored(a, back, wrt) for a in expr.args]
    return expr.func(*args) if any(a is not b for a, b in zip(args, expr.args)) else expr


def assume(expr, assumptions: dict):
    """Sums whose value is stated (sum_k y_k = 1 for a one-hot y) replaced by it."""
    if not assumptions or not expr.has(sympy.Sum):
        return expr
    expr = expr.replace(lambda e: isinstance(e, sympy.Sum), _split_sum)
    return expr.replace(lambda e: isinstance(e, sympy.Sum) and canonical_sum(e) in assumptions,
                        lambda e: assumptions[canonical_sum(e)])


def _split_sum(total):
    """A sum of terms as the terms' sums (sum (z_j + v_j) is sum z_j + sum v_j),
    so a stated value of each one is found."""
    return sympy.Add(*(factor_sum(sympy.Sum(t, *total.limits)) for t in sympy.Add.make_args(total.function)))


def assumption(display):
    """``\\sum_k y_k = 1``: a stated value of a sum (a fact about the data,
    such as a one-hot target), not a step; None for anything else."""
    relations = display.relations()
    if len(relations) != 1 or relations[0].relation != "=":
        return None
    lhs, rhs = relations[0].lhs.expr, relations[0].rhs.expr
    if not (isinstance(lhs, sympy.Sum) and isinstance(rhs, sympy.Number)):
        return None
    if lhs.has(sympy.KroneckerDelta) or not lhs.function.atoms(sympy.Indexed):
        return None  # a sum of deltas or of no data entries is mathematics to check, not data
    return lhs, rhs


def _data_sum(expr) -> bool:
    """A sum of data entries (``\\sum_k y_k``), not of deltas or of no entry."""
    return (isinstance(expr, sympy.Sum) and not expr.has(sympy.KroneckerDelta)
            and bool(expr.function.atoms(sympy.Indexed)))


def stated_sums(display) -> tuple:
    """Every (sum, value) a display states of the data: ``\\sum_k y_k = 1``,
    or a chain of such sums ending in a number (``\\sum_j z_j = \\sum_j v_j = 0``,
    zero-mean logits), each sum then having that value; empty for anything
    else (a chain with an expression that is not a data sum is a derivation)."""
    relations = display.relations()
    if not relations or any(r.relation != "=" or r.lhs.expr is None for r in relations):
        return ()
    if len(display.chains()) != 1:
        return ()
    *sums, value = [relations[0].lhs.expr] + [r.rhs.expr for r in relations]
    if not isinstance(value, sympy.Number) or not all(_data_sum(s) for s in sums):
        return ()
    return tuple((total, value) for total in sums)

