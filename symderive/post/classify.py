"""Which relations are definitions or conditions, not claims.

A definition has a name not yet defined in this section on its left (or
any name after "let", "define", "where", "in this case"); a condition is
an inline ``x > 0`` or ``i = k``, or one ending a display, and restricts
the claims after it. Deciding this never proves anything, except that a
restated definition is a claim when its body is the one the name has.
"""

from __future__ import annotations

import re

import sympy
from sympy.core.function import AppliedUndef

from ..errors import LatexSyntaxError, SymderiveError
from ..evidence import Proved, Refuted
from ..latex import parse_display
from ..latex.calculus import ELLIPSIS
from ..meaning import Meaning, stated_sums
from .extract import MathBlock
from .context import introduces_function
from .reading import (CONDITION_RELATIONS, introduces_condition, is_atomic, known_activation,
                      last_sentence, LET_WORDS)
from .bare_names import BareReading
from .restatements import Restating


def _names_a_function(arg) -> bool:
    """``h`` in ``g(h) = \\ln(h)``, read h(x): an undefined function applied to symbols."""
    return isinstance(arg, AppliedUndef) and all(a.is_Symbol for a in arg.args)


def _entry_of(arg) -> str | None:
    """The vector an entry belongs to: x of x[1], or of a name x_1."""
    if isinstance(arg, sympy.Indexed) and len(arg.indices) == 1:
        return str(arg.base)
    base, _, index = str(arg).rpartition("_") if isinstance(arg, sympy.Symbol) else ("", "", "")
    return base if base and index else None


def abstracted(lhs, rhs) -> bool:
    """``Cost(h(x^{(i)}), y^{(i)}) = -y^{(i)} \\log h(x^{(i)}) - ..``: a function
    of several arguments written at expressions, whose body holds what the
    arguments are made of only inside those arguments; each argument is then
    the place of a parameter (``Cost(p, q) = -q log p - ..``)."""
    if not isinstance(lhs, AppliedUndef) or len(lhs.args) < 2 or len(set(lhs.args)) != len(lhs.args):
        return False
    if not isinstance(rhs, sympy.Expr) or any(not isinstance(a, sympy.Expr) or a.is_number for a in lhs.args):
        return False
    if any(a.has(b) for a in lhs.args for b in lhs.args if a is not b):
        return False  # f(x, g(x)): the arguments overlap
    held = rhs.xreplace({a: sympy.Dummy() for a in lhs.args})
    parts = set().union(*(a.free_symbols | a.atoms(sympy.Indexed, AppliedUndef) for a in lhs.args))
    return not any(held.has(part) for part in parts)


def listed_vector(expr) -> str | None:
    """The vector x of ``f(x_0, x_1, …, x_{m-1})``: a function written with
    the list of a vector's entries is a function of that vector."""
    if not isinstance(expr, AppliedUndef) or ELLIPSIS not in expr.args:
        return None
    vectors = [_entry_of(a) for a in expr.args if a != ELLIPSIS]
    if len(vectors) < 2 or None in vectors or len(set(vectors)) != 1:
        return None
    return vectors[0]


def entry_key(lhs: sympy.Indexed):
    """The index of a vector's defined entry, or the tuple of a matrix's."""
    return lhs.indices[0] if len(lhs.indices) == 1 else tuple(lhs.indices)


def closes_cycle(meaning, name, lhs, rhs) -> bool:
    """Whether defining ``name`` by ``lhs = rhs`` makes the definitions refer
    to each other in a cycle (a = b + 1 after b = a x)."""
    trial = Meaning(meaning.scope, meaning.variable, dict(meaning.functions), dict(meaning.indexed))
    if isinstance(lhs, sympy.Indexed):
        trial.indexed[name] = (entry_key(lhs), rhs)
    elif isinstance(lhs, sympy.Symbol):
        trial.functions[name] = (None, rhs)
    elif isinstance(lhs, AppliedUndef) and len(lhs.args) == 1:
        trial.functions[name] = (lhs.args[0], rhs)
    else:
        return False
    try:
        trial.unfold(rhs)
    except SymderiveError:
        return True
    return False


class Classifying(Restating, BareReading):
    """Sections, definitions and conditions of the post being checked."""

    def enter(self, block: MathBlock) -> None:
        self.at = self.display_at = block.origin.line
        if block.section != self.section:
            self.section = block.section
            self.section_lets = []
            self.condition, self.condition_text = sympy.true, None
            self.current, self.last, self.section_functions, self.case_base = None, None, [], None
            # names defined later in this section, or first defined in a later one
            later = [entry for section in sorted(self.predefined) if section >= block.section
                     for entry in self.predefined[section]]
            self.at = None  # a body defined ahead is the post's once its line is read
            for name, lhs, rhs, text in later:
                if name not in self.defined:
                    self.define(name, lhs, rhs, text)
                    self.provisional.add(name)
            self.at = block.origin.line

    def definable(self, expr, prose: str, where=None, notes=(), rhs=None) -> object | None:
        """The name ``expr`` introduces, if it is a definition's left side:
        a function, vector or constant name not defined yet, or defined in an
        earlier section, or any name after 'let', 'define', 'in this case'."""
        if listed_vector(expr) is not None:
            name = expr.func  # y(x_0, …, x_{m-1}) = ...: bare y is its value at those entries
        elif isinstance(expr, AppliedUndef) and len(expr.args) == 1 and (
                isinstance(expr.args[0], (sympy.Symbol, sympy.Indexed, sympy.IndexedBase))
                or _names_a_function(expr.args[0]) and expr.args[0].func != expr.func):
            name = expr.func  # g(h) = ln(h) with h a function of x: g's parameter is h; h(x) of a vector x
        elif isinstance(expr, AppliedUndef) and len(set(expr.args)) == len(expr.args) > 1 and all(
                isinstance(a, (sympy.Symbol, sympy.IndexedBase)) for a in expr.args) or abstracted(expr, rhs):
            name = expr.func  # J(w, b) = ...: a function of several names
        elif isinstance(expr, sympy.Indexed) and all(i.is_Symbol for i in expr.indices) and len(
                set(expr.indices)) == len(expr.indices):
            name = expr.base  # y_i = ..., and y_{ij} = ... for the entries of a matrix
        elif isinstance(expr, sympy.Symbol) and not self.binds(expr):
            name = expr
        else:
            return None
        known = known_activation(str(name))
        if known is not None and name not in self.defined and name in self.meaning.functions:
            return None  # a catalog function: its definition is checked as a claim
        if name in self.provisional:  # defined ahead, from later in this section
            self.provisional.discard(name)
            return name
        sentence = last_sentence(prose)
        if self.defined.get(name) == self.section and not LET_WORDS.search(sentence):
            if self.remark_between(name, where, notes):
                return name
            if self.in_run or not introduces_function(sentence) or self.same_body(expr, rhs):
                return None
        return name

    def same_body(self, lhs, rhs) -> bool:
        """Whether a name's new body is the one it has (a restatement, a
        claim), or might be: only a body shown different defines it again."""
        if rhs is None or self.definitions_only:
            return rhs is not None
        evidence, _, _, _ = self.prove(lhs, lhs, rhs, (), False)
        return not isinstance(evidence, Refuted)

    def remark_between(self, name, where, notes) -> bool:
        """A row of prose inside the display, between a name's definition and
        this relation, starts a new remark: the author may reuse the name."""
        if where is None or name not in self.defined_at:
            return False
        start, end = self.defined_at[name], (where.line, where.column)
        return any(start < (n.origin.line, n.origin.column) < end for n in notes)

    def defines_known(self, lhs, evidence) -> bool:
        """A proved first statement of a catalog or builtin function,
        ``\\sigma(x) = 1/(1 + e^{-x})``: reported as its definition."""
        if not isinstance(evidence, Proved) or self.in_run:
            return False
        if isinstance(lhs, AppliedUndef):
            known = known_activation(str(lhs.func))
            fresh = known is not None and lhs.func not in self.defined
        else:
            fresh = isinstance(lhs, (sympy.tanh, sympy.sinh, sympy.cosh)) and lhs.func not in self.stated
        if not fresh or len(lhs.args) != 1 or not isinstance(lhs.args[0], sympy.Symbol):
            return False
        self.stated.add(lhs.func)
        return True

    def binds(self, symbol) -> bool:
        """Variables and indices are not defined by a post, only named."""
        scope = self.scope
        return symbol in scope.variables.values() or symbol in scope.indices.values() or symbol.is_integer

    def define(self, name, lhs, rhs, rhs_text: str = "") -> None:
        if closes_cycle(self.meaning, name, lhs, rhs):
            # o_j = softmax(z_j), then z_j = sum_i w_ij o_i + b: the same letter for two layers. The
            # earlier meaning stays; claims using the name cannot be refuted (see proving.REFUTATION_DOUBTS)
            self.cyclic.add(name)
            return
        if name not in self.provisional:
            self.made.setdefault(self.section, []).append((name, lhs, rhs, rhs_text))
        if isinstance(lhs, sympy.Indexed):
            self.meaning.indexed[name] = (entry_key(lhs), rhs)
            self.remember_let(f"{name}_{''.join(map(str, lhs.indices))}", rhs_text)  # y_i, y_ij
        elif isinstance(lhs, sympy.Symbol):
            self.meaning.functions[name] = (None, rhs)
            entry = self.entry_named(lhs)
            if entry is not None and entry[0] not in self.meaning.indexed:
                self.meaning.indexed[entry[0]] = (entry[1], rhs)
            if rhs_text:
                self.remember_let(str(name), rhs_text)  # y = f(x), L = -sum y log p: a file needs them
        elif listed_vector(lhs) is not None:
            # a parameter no value is put for: the body already names the entries
            self.meaning.functions[name] = (sympy.Dummy("listed"), rhs)
        elif len(lhs.args) > 1:  # a file's let is a function of its one variable: not written for import
            self.meaning.functions[name] = (tuple(lhs.args), rhs)
        else:
            if lhs.args[0] == self.scope.default_variable:
                self.remember_let(str(name), rhs_text)
            self.meaning.functions[name] = (lhs.args[0], rhs)
            self.section_functions.append(name)
        self.defined[name] = self.section
        self.remember_body(name, lhs)
        if self.at is not None:  # defined at its own line (u = y - w x naming a variable): no longer read ahead
            self.provisional.discard(name)

    def entry_named(self, name):
        """(vector, index) for a name written as one entry with an index
        letter, ``\\hat{y}_i`` read as the name y_hat_i outside a sum: inside
        a sum over i the same writing is the vector's entry y_hat[i], which
        the definition gives its value too (else a claim samples it free)."""
        base, _, letter = str(name).rpartition("_")
        index = self.scope.indices.get(letter)
        if not base or index is None or self.binds(name):
            return None
        return sympy.IndexedBase(base, real=True), index

    def remember_let(self, key: str, latex: str) -> None:
        self.lets[key] = latex
        self.section_lets.append((key, latex))

    def display_condition(self, block: MathBlock, display) -> None:
        """``..., \\quad i \\neq k`` at the end of a display: its claims hold under it."""
        try:
            condition = parse_display(display.condition, self.scope, display.condition_origin or block.origin)
        except LatexSyntaxError:
            return
        relations = condition.relations()
        if len(relations) == 1 and relations[0].relation in CONDITION_RELATIONS and relations[0].lhs.expr is not None:
            relation = relations[0]
            self.condition = CONDITION_RELATIONS[relation.relation](relation.lhs.expr, relation.rhs.expr)
            self.condition_text = display.condition

    def as_condition(self, block: MathBlock, display) -> bool:
        relations = display.relations()
        if stated_sums(display):
            return True  # collected before checking: see check_post_with_state
        if block.display or len(relations) != 1 or not introduces_condition(block):
            return False
        relation = relations[0]
        if relation.relation not in CONDITION_RELATIONS or relation.lhs.expr is None:
            return False
        lhs, rhs = relation.lhs.expr, relation.rhs.expr
        if not (is_atomic(lhs) and is_atomic(rhs)) or not isinstance(lhs, sympy.Symbol):
            return False
        point = relation.relation == "=" and self.binds(lhs) and not lhs.is_integer and rhs.is_number
        if relation.relation == "=" and not point and not (lhs.is_integer and (rhs.is_Symbol or rhs.is_Integer)):
            return False
        if self.condition is sympy.true or self.case_base is None or self.case_base[1] is not self.current:
            self.case_base = (self.last, self.current)  # what the cases branch from, in which chain
        else:  # the next case of the same chain: a display opening with "=" goes on from where they branched
            self.last = self.case_base[0]
        self.condition = CONDITION_RELATIONS[relation.relation](lhs, rhs)
        self.condition_text = block.text.strip()
        # "when x = 0, f'(x) = 1/4": a point holds for the next statement only
        self.point_condition = point
        return True


_DERIVATIVE_OPERATOR = re.compile(r"^\s*\\d?frac\s*\{\s*(?:d|\\partial)\s*\}\s*\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}\s*")


def operand_text(text: str) -> str | None:
    """The LaTeX a derivative operator applies to: ``BODY`` of
    ``\\frac{d}{dx} \\left( BODY \\right)``; None when it is not written so."""
    found = _DERIVATIVE_OPERATOR.match(text)
    if found is None:
        return None
    rest = text[found.end():].strip()
    for opening, closing in (("\\left(", "\\right)"), ("\\left[", "\\right]"), ("(", ")")):
        if rest.startswith(opening) and rest.endswith(closing):
            inner = rest[len(opening):len(rest) - len(closing)]
            return inner.strip() if _balanced(inner) else None
    return None


def _balanced(text: str) -> bool:
    depth = 0
    for character in text:
        depth += {"(": 1, ")": -1, "{": 1, "}": -1}.get(character, 0)
        if depth < 0:
            return False
    return depth == 0


def named_by_its_derivative(meaning: Meaning, binds, lhs, rhs, rhs_text: str, again: bool = False):
    """``(name, left, body, its LaTeX)`` for ``s'(x) = \\frac{d}{dx}(\\frac{1}{1 + e^{-x}})``
    or ``\\frac{\\partial J}{\\partial \\theta_0} = \\frac{\\partial}{\\partial
    \\theta_0}(-\\frac{1}{m}\\sum ...)``: a name the post never defines,
    differentiated on the left as its body is on the right. The reader takes
    the body for the name (its definition sits in a picture or the prose);
    the relation is then that definition, never a claim proved by it
    (``again`` when the first pass read it so, and the name has its body)."""
    if not (isinstance(lhs, sympy.Derivative) and isinstance(rhs, sympy.Derivative)):
        return None
    if lhs.variable_count != rhs.variable_count:
        return None
    named = lhs.expr
    if isinstance(named, AppliedUndef) and _names_a_function(named):
        name = named.func
    elif isinstance(named, sympy.Symbol) and not binds(named):
        name = named
    else:
        return None
    if name in meaning.functions and not again:
        return None
    body_text = operand_text(rhs_text)
    if rhs.expr.has(name) or not rhs.expr.free_symbols or body_text is None:
        return None
    return name, named, rhs.expr, body_text
