"""A name the post has already defined, written again with a body: a
restatement, which is a claim against what the name means.

``z = w^T x + b`` again in a later section, ``h_\\theta(x^{(i)}) = \\sigma(z)``
after ``h_\\theta(x) = \\sigma(\\theta^T x)`` and ``z = \\theta^T x^{(i)}``,
``J(w,b) = ...`` with the model substituted, ``\\delta^L = ...`` after
``\\delta^l = ...`` (an instance: the index substituted), ``f(x) = cases``
in ``relu(x) = f(x) = cases`` (f a new name for a catalog function). Each
is proved against an earlier meaning of the name by the prover, never by
numbers. One that is not proved is left to the classification that was
already there, a (re)definition across sections: a post may define a name
again on purpose (a second example, the MAE after the MSE), so it is never
refuted as a restatement. Not unknown either: the claims after it are the
author's under the new body, and keeping the old one for them would refute
true steps (the derivative of the MAE checked against the MSE).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy
from sympy.core.function import AppliedUndef

from ..catalog import lookup
from ..errors import SymderiveError
from ..evidence import Proved
from ..meaning import Meaning
from .chain_state import OpenChain
from .proving import with_named
from .reading import chain_key, known_activation
from .report import CLAIM, DEFINITION, PostStep

_LABELLED = re.compile(r"^(?P<base>.+)\^\((?P<label>[A-Za-z]\w*|\d+)\)$")


@dataclass(frozen=True)
class Earlier:
    """One earlier meaning a relation ``left = right`` may restate: proved
    under ``meaning``, it restates ``what``; ``renames`` when the relation
    also gives its left side's name the right side (f in relu(x) = f(x) = ...)."""

    left: sympy.Basic
    right: sympy.Basic
    meaning: Meaning
    what: str
    renames: bool = False
    in_a_file: bool = True  # False: a derivation file holds the name as a variable, never named again


def defined_name(lhs):
    """The name a left side would define: f of f(x), y of y_i, y itself."""
    if isinstance(lhs, AppliedUndef):
        return lhs.func
    if isinstance(lhs, sympy.Indexed):
        return lhs.base
    return lhs if isinstance(lhs, sympy.Symbol) else None


def as_entries(meaning: Meaning, *sides) -> dict:
    """``\\delta^L`` read as the entry L of ``\\delta^l`` (the post writes a
    layer's index as a superscript; ``\\delta^{()}[l]`` is defined, and
    ``\\delta^{(L)}`` is the same letter's value at L): {symbol: entry} for
    every such name of the sides whose family the post defines or indexes."""
    bases = {str(b): b for b in meaning.indexed}
    for side in sides:
        if isinstance(side, sympy.Basic):
            bases.update({str(e.base): e.base for e in side.atoms(sympy.Indexed)})
    found = {}
    for side in sides:
        if not isinstance(side, sympy.Basic):
            continue
        for symbol in side.atoms(sympy.Symbol):  # the variables of derivatives too
            matched = _LABELLED.match(str(symbol))
            family = bases.get(f"{matched['base']}^()") if matched else None
            if family is not None:
                label = matched["label"]
                index = sympy.Integer(label) if label.isdigit() else sympy.Symbol(label, integer=True)
                found[symbol] = sympy.Indexed(family, index)
    return found


def written_through_names(meaning: Meaning, lhs, rhs) -> set:
    """The defined names ``rhs`` is written in that the body of ``lhs`` (a
    defined name) holds only through their definitions: the left side held
    with each such name kept does not hold it (MSE's sum of squares in w,
    with u = y - w x, does not hold u)."""
    if not isinstance(rhs, sympy.Basic):
        return set()
    written = {a.func for a in rhs.atoms(AppliedUndef)} | rhs.free_symbols
    names = {n for n in written if n in meaning.functions and n != defined_name(lhs)}
    found = set()
    for name in names:
        try:
            held = meaning.unfold(lhs, keep=frozenset({name}))
        except SymderiveError:
            continue
        if held != lhs and not held.has(name):
            found.add(name)
    return found


def read_as_entries(meaning: Meaning, expr, rounds: int = 4):
    """``expr`` with every definition unfolded and every labelled name of a
    defined family read as its entry (a^{(L)} as a^{()}[L]), again until
    none is left: the body of C may hold a^L, which depends on z^L only
    as the entry it is. None when a round leaves one, or unfolding fails."""
    for _ in range(rounds):
        entries = as_entries(meaning, expr)
        try:  # read as entries first: a derivative in z^L holds the entry z^L, which unfolding keeps
            expr = meaning.unfold(expr.xreplace(entries))
        except SymderiveError:
            return None
        if not as_entries(meaning, expr):
            return expr
    return None


class Restating:
    """Restatements found and proved while a post is classified."""

    previous_relation = None  # (left side, right Part) of the relation before, for a = f(x) = body
    at = 0  # the line of the relation being classified, for the bodies defined there
    display_at = 0  # the first line of the display being classified

    @property
    def bodies(self) -> dict:
        """name -> [(line, section, table, (parameter, body))]: each body the post gave it."""
        return self.__dict__.setdefault("_bodies", {})

    def restatement(self, base: dict, lhs, rhs, display) -> PostStep | None:
        """The proved claim a restatement is, or None (then the relation is
        classified as before: a definition, or a claim of its own)."""
        self.at = lhs.origin.line
        previous, self.previous_relation = self.previous_relation, (lhs.expr, rhs)
        if self.definitions_only or not all(isinstance(e, sympy.Expr) for e in (lhs.expr, rhs.expr)):
            return None
        marked = display.vectors_as_numbers
        for earlier in self.earlier_meanings(lhs, rhs.expr, previous):
            meaning = self.settled(with_named(earlier.meaning, self.named))  # z = w^T x + b is the post's too
            sides = [read_as_entries(meaning, side) for side in (earlier.left, earlier.right)]
            # sides the same tree are equal for any reading of their names; any other proof
            # reads a vector the post marks (w^T, \mathbf{x}) as a number (see Proving.prove)
            if None in sides or marked and sides[0] != sides[1]:
                continue
            evidence = self.proved(sides[0], *sides, (), False, meaning)[0]
            if isinstance(evidence, Proved):
                if self.in_run:  # a = b = c: the step is where its new right side is
                    base = dict(base, line=rhs.origin.line, column=rhs.origin.column)
                step = PostStep(**base, kind=CLAIM, evidence=Proved(f"restates {earlier.what} ({evidence.method})"))
                self.named_here(lhs, rhs, earlier.renames)
                claimed = self.claimed(self.own_chain(lhs.text), step, lhs, rhs)
                if not earlier.in_a_file:  # import leaves a claim without its context out of the files
                    del self.contexts[(claimed.line, claimed.column)]
                return claimed
        return None

    def earlier_meanings(self, lhs, rhs, previous):
        """(left side, right side, meaning, what it restates) to prove the
        relation with: the name's bodies, latest first; a variable's named
        expression; the catalog function a chain just named; the instance
        of an indexed definition."""
        expr = lhs.expr
        name = defined_name(expr)
        bodies = self.bodies.get(name, []) if name in self.defined and name not in self.provisional | self.cyclic else []
        if bodies and bodies[-1][1] == self.section:  # an older body only across sections (see definable)
            bodies = bodies[-1:]
        for line, _, key, entry in reversed(bodies):
            yield Earlier(expr, rhs, self.with_entries(key, {name: entry}), f"the definition at line {line}")
        if isinstance(expr, sympy.Symbol) and expr in self.named:
            line = self.definition_line(lhs.text)
            yield Earlier(expr, rhs, self.meaning, f"the definition at line {line}", in_a_file=False)
        chained = self.chain_named(lhs, previous)
        if chained is not None:  # the catalog's body; the new name's, read ahead, would prove it by itself
            (before, known), written = chained, {str(s): s for s in rhs.free_symbols}
            names = {p: written.get(str(p)) for p in known.expr.free_symbols - {known.variable}}
            if all(names.values()):
                body = known.expr.xreplace(names)
                meaning = self.with_entries("functions", {expr.func: None, before.func: (known.variable, body)})
                yield Earlier(before, rhs, meaning, f"the catalog's {known.name}, which {lhs.text.strip()} names", True)
        stated = self.catalog_stated(expr, rhs)
        if stated is not None:  # the catalog's body; the name's own, read ahead, would prove it by itself
            known, body = stated
            meaning = self.with_entries("functions", {expr.func: None})
            yield Earlier(body, rhs, meaning, f"the catalog's {known.name}", True)
        entry = as_entries(self.meaning, expr).get(expr)
        if entry is not None and entry.base in self.meaning.indexed and entry.base in self.defined:
            index = self.meaning.indexed[entry.base][0]
            what = f"the definition at line {self.line_of(entry.base)} at {index} = {entry.indices[0]}"
            yield Earlier(entry, rhs, self.meaning, what)

    def own_chain(self, lhs_text: str) -> OpenChain:
        """The chain of a restatement: the display's own while its relations
        run on (relu(x) = f(x) = cases), else a new one. A restatement states
        a name's body again; it does not go on from an earlier chain that has
        the same left side (which a derivation file would read as one run)."""
        if self.in_run and self.current is not None:
            return self.current
        self.current = OpenChain((chain_key(lhs_text), self.condition_text), self.section, [])
        self.chains.append(self.current)
        return self.current

    def named_here(self, lhs, rhs, renames: bool) -> None:
        """The name is defined here too, as the relation would have defined
        it had it not been proved: a name read ahead from this relation (the
        first pass found its definition here), the new name of a chain (f
        in relu(x) = f(x) = cases), or one whose body is from an earlier
        section, or one now written through a name its body was written
        without (``MSE = \\frac{1}{2n} \\sum u^2`` after ``u = y - w x``:
        the author's derivative in u is the chain through u, which the old
        body holds only unfolded). The proof is also its definition, in the
        form the author now writes (a derivative in p_hat needs the body
        written in p_hat)."""
        name = defined_name(lhs.expr)
        bodies = self.bodies.get(name)
        earlier_section = bool(bodies) and bodies[-1][1] != self.section and name not in self.named
        through = name is not None and bool(written_through_names(self.meaning, lhs.expr, rhs.expr))
        if name is None or name in self.cyclic or not (renames or name in self.provisional or earlier_section
                                                       or through):
            return
        self.provisional.discard(name)
        self.define(name, lhs.expr, rhs.expr, rhs.text.strip())
        self.defined_at[name] = (lhs.origin.line, lhs.origin.column)

    def chain_named(self, lhs, previous):
        """(``relu(x)``, its catalog body) for ``f(x)`` in ``relu(x) = f(x) =
        cases``: the catalog function that the relation just before, in the
        same chain, gave the new name on this left side. The catalog's
        parameters are the post's names of them on the right side (alpha of
        ELU); one the post does not write leaves nothing to prove."""
        expr = lhs.expr
        if previous is None or previous[1] is not lhs or not isinstance(expr, AppliedUndef):
            return None
        before = previous[0]
        if not isinstance(before, AppliedUndef) or before.args != expr.args or len(expr.args) != 1:
            return None
        # a body the post gave the function before this display is its own meaning, not the catalog's
        own = [line for line, *_ in self.bodies.get(before.func, []) if line < self.display_at]
        if before.func in self.provisional or own:
            return None
        known = lookup(str(before.func).replace("\\", ""))
        return None if known is None or known.vector else (before, known)

    def catalog_stated(self, expr, rhs):
        """(entry, body) for ``softmax(z_j) = ...`` or ``elu(x) = ...``: a
        catalog function the post names as a word and has not defined, at a
        variable or at one entry of a vector, with the catalog's body there.
        (A scalar one without parameters is a claim already, see definable.)
        The catalog's names are the post's of the same name (alpha, n);
        one the post does not write leaves nothing to prove."""
        if not isinstance(expr, AppliedUndef) or len(expr.args) != 1 or expr.func in self.cyclic:
            return None
        if expr.func in self.defined and expr.func not in self.provisional:
            return None
        known = lookup(str(expr.func).replace("\\", ""))
        if known is None or known_activation(str(expr.func)) is not None:
            return None
        (arg,), written = expr.args, {str(s): s for s in rhs.free_symbols}
        if known.vector:
            vectors = {e.base for e in known.expr.atoms(sympy.Indexed)}
            free = {i for e in known.expr.atoms(sympy.Indexed) for i in e.indices} & known.expr.free_symbols
            if not isinstance(arg, sympy.Indexed) or len(arg.indices) != 1 or len(vectors) != 1 or len(free) != 1:
                return None
            places = {vectors.pop(): arg.base, free.pop(): arg.indices[0]}
        elif isinstance(arg, sympy.Symbol):
            places = {known.variable: arg}
        else:
            return None
        labels = {b.label for b in places if isinstance(b, sympy.IndexedBase)}
        rest = {s for s in known.expr.free_symbols if isinstance(s, sympy.Symbol)} - set(places) - labels
        names = {p: written.get(str(p)) for p in rest}
        if not all(names.values()):
            return None
        return known, known.expr.xreplace({**places, **names})

    # -- the bodies a name has had -------------------------------------------

    def remember_body(self, name, lhs) -> None:
        """Record the body ``define`` just gave ``name``, with its line."""
        key = "indexed" if isinstance(lhs, sympy.Indexed) else "functions"
        entry = self.meaning_entry(key, name)
        if entry is not None and self.at is not None:
            self.bodies.setdefault(name, []).append((self.at, self.section, key, entry))

    def meaning_entry(self, key: str, name):
        table = getattr(self.meaning, key)
        return table[name] if name in table else None

    def with_entries(self, key: str, changes: dict) -> Meaning:
        """The meaning with ``changes`` made to its table ``key`` (an entry
        None: the name left undefined)."""
        table = dict(getattr(self.meaning, key))
        table.update(changes)
        table = {name: entry for name, entry in table.items() if entry is not None}
        tables = {"functions": dict(self.meaning.functions), "indexed": dict(self.meaning.indexed), key: table}
        return Meaning(self.meaning.scope, self.meaning.variable, **tables,
                       assumptions=dict(self.meaning.assumptions), independent=self.meaning.independent)

    def settled(self, meaning: Meaning) -> Meaning:
        """``meaning`` without the bodies read ahead from later in the section
        (``leaky_relu(x) = f(x)`` before its line): a restatement is proved
        by what the post has said, never by what it is about to say."""
        ahead = self.provisional | {n for n in self.cyclic}
        return Meaning(meaning.scope, meaning.variable,
                       {n: e for n, e in meaning.functions.items() if n not in ahead},
                       {n: e for n, e in meaning.indexed.items() if n not in ahead},
                       dict(meaning.assumptions), meaning.independent)

    def line_of(self, name) -> int:
        bodies = self.bodies.get(name)
        return bodies[-1][0] if bodies else self.at

    def definition_line(self, text: str) -> int:
        """The line of the last definition written with this left side."""
        key = "".join(text.split())
        for step in reversed(self.log):
            if step.kind == DEFINITION and "".join(step.lhs.split()) == key:
                return step.line
        return self.at
