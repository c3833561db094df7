"""Proving a claim of a post: under the definitions and condition in force,
as one time-limited task of the prover worker, with the justification of
its rule hints and the size of the step.
"""

from __future__ import annotations

import re
from dataclasses import replace

import sympy

from ..errors import SymderiveError
from ..runner import Task, Timeout, run_tasks
from ..evidence import Proved, Refuted, Unknown, UnknownKind
from ..latex.vocabulary import BUILTIN_FUNCTIONS
from ..meaning import Meaning
from ..rules import RuleContext, step_size
from .context import constant_in_variable, gives_value, index_powers, plain_names, labelled_and_bare, varies_through
from .aliases import written_past
from .vector_reading import read_as_vectors
from .reading import after, before_next, hints_justify, prove_claim, rule_hints, written_through
from .chain_state import ClaimContext, LetsView
from .notation_doubts import differential_letter, intermediate_held, numbered_entries_only, undefined_statistic


class Proving:
    """The proof of one claim and what was in force at it."""

    proving_display = None  # the display of the claim being proved

    def hints_at(self, notes, display, rhs) -> tuple[str, ...]:
        return tuple(
            h for n in notes if rhs.origin.line <= n.origin.line and after(n.origin, rhs.origin)
            and before_next(n.origin, display, rhs) for h in rule_hints(n.text))

    def prove_reading(self, previous, lhs, rhs, hints, approximate, display=None):
        """``prove``, and when the left side applies a function to an
        intermediate name, also the chain-rule reading of it; returns the
        left side that was proved."""
        found = self.prove(previous, lhs, rhs, hints, approximate, display)
        through = written_through(self.meaning, self.scope, lhs)
        if through is None or isinstance(found[0], Proved):
            return (*found, lhs)
        again = self.prove(through, through, rhs, hints, approximate, display)
        return (*again, through) if isinstance(again[0], Proved) else (*found, lhs)

    def prove(self, previous, lhs, rhs, hints, approximate, display=None):
        """Evidence, justification of the hints, step size, and whether the
        prose's hint was used (it goes to the first claim that evaluates a
        derivative, since prose before a chain often opens with a definition).
        A proof of a ``display`` that reads a vector the author marks (w^T,
        \\mathbf{x}) as a number settles only the one-dimensional case: unknown;
        so is a refutation resting on how the display is read (``DISPLAY_DOUBTS``)."""
        self.proving_display = display  # its products guard the vector reading of proved (see there)
        found = self.proved(previous, lhs, rhs, hints, approximate)
        marked = display.vectors_as_numbers if display is not None else ()
        if marked and isinstance(found[0], Proved):
            # proved only when the reading with the vectors as vectors proves it too (vector_reading.py)
            if isinstance(entrywise := read_as_vectors(self, previous, lhs, rhs, hints, approximate, display,
                                                       found[0]), Proved):
                return (entrywise, *found[1:])
            return (Unknown(f"{', '.join(marked)} read as a number where the post may mean a vector (w^T, "
                            f"\\mathbf{{w}}, a factor of \\odot): proved for numbers only, the one-dimensional "
                            f"case of the claim"), None, None, False)
        doubt = display_doubt(self, display, found[0], lhs, rhs) if isinstance(found[0], Refuted) else None
        if doubt is not None:
            return (Unknown(doubt), *found[1:])
        return found

    def proved(self, previous, lhs, rhs, hints, approximate, meaning=None):
        """``prove`` with every name read as the scope reads it (or as
        ``meaning`` defines them)."""
        meaning = self.meaning if meaning is None else meaning
        condition, timeout, prose = self.condition, self.timeout, self.prose_hints
        assumptions = self.assumptions

        def work():
            evidence = prove_claim(meaning, lhs, rhs, condition, timeout, approximate, assumptions, self.shapes)
            justified, size, used = None, None, bool(prose) and not isinstance(evidence, Proved)
            if isinstance(evidence, Proved) and not approximate:
                size = step_size(previous, rhs, RuleContext(meaning, condition))
                used = bool(prose) and size > 0
                justified = hints_justify(meaning, previous, rhs, hints + (prose if used else ()), condition)
            return evidence, justified, size, used

        try:
            # one task: in check's prover worker the supervisor holds it to its limit
            # (no fork); called directly, it runs in a child killed at the limit
            found = run_tasks([Task(work, (), timeout + 1)])[0].unwrap()
        except Timeout as error:
            return Unknown(f"timeout: {error}", UnknownKind.TIMEOUT), None, None, False
        except RuntimeError as error:
            return Unknown(f"internal error: {error}", UnknownKind.ERROR), None, None, False
        through = varies_through(self.meaning, self.named, lhs, rhs) if meaning is self.meaning else None
        if through is not None:
            # the author's reading: z is its expression of w (z = w^T x + b), the chain through it taken
            again = self.proved(previous, lhs, rhs, hints, approximate, with_named(self.meaning, self.named))
            if isinstance(again[0], (Proved, Refuted)):
                return again
            # theta beside theta_j: the post means a vector, read entry by entry (vector_reading.py)
            entrywise = read_as_vectors(self, previous, lhs, rhs, hints, approximate, guard=self.proving_display)
            if isinstance(entrywise, (Proved, Refuted)):
                return (entrywise, *again[1:])
            # d/dw of an expression in z, with z = w^T x + b: read with z held, the claim says nothing
            return (Unknown(f"{through[0]} is written as an expression of {through[1]}, and the claim "
                            f"differentiates in {through[1]} through it"), None, None, False)
        mixed = labelled_and_bare(self.meaning, lhs, rhs)
        if isinstance(found[0], Refuted) and mixed:
            # "(sigma(z) - y^(i)) x^(i) = (y-hat^(i) - y^(i)) x^(i)" with y-hat = sigma(z): one sample's
            # quantity; refuted only when the one-sample reading refutes it too
            again = self.prove(previous, lhs.xreplace(mixed), rhs.xreplace(mixed), hints, approximate)
            if not isinstance(again[0], Refuted):
                name = next(iter(mixed.values()))
                return (Unknown(f"{name} is defined, and {name}^(i) is written here too: for one sample they are "
                                f"the same quantity, and then the claim is not refuted"), *found[1:])
        doubt = refutation_doubt(self, lhs, rhs) if isinstance(found[0], Refuted) else None
        if doubt is not None:
            return (Unknown(doubt), *found[1:])
        return found

    def names_it(self, lhs, rhs) -> tuple[str, ...]:
        """The vectors on one side of a link of a chain only that the post neither
        defines, nor uses in any definition (in any section), nor writes on
        both sides of any relation (a free value, as data is): the claim may
        be where the author names them, not a statement about free values."""
        if not self.chained:  # "q_i - y_i = 0" alone states something of q; a chain may be naming it
            return ()
        meaning = self.meaning
        used = set(meaning.functions) | set(meaning.indexed)
        for made in (self.predefined, self.made):
            for entries in made.values():
                for name, left, right, _ in entries:
                    used |= {name} | plain_names(left) | plain_names(right)
        used = {str(u) for u in used} | self.free_values
        left, right = plain_names(lhs), plain_names(rhs)
        used |= {u.split("^", 1)[0] for u in used}  # y_hat^() is the labelled form of y_hat
        # only vectors: a post names an entry by a formula (q_i = ...); a constant written on one side is
        # read off by matching coefficients (fitted), and when none fits the claim is wrong whatever it is
        return tuple(sorted(str(n) for n in left ^ right
                            if isinstance(n, sympy.IndexedBase) and str(n).split("^", 1)[0] not in used
                            and gives_value(n, lhs, rhs)))

    def context(self, lhs, rhs, continued: bool = False) -> ClaimContext:
        """What is in force at a claim (``continued`` when the display opened
        with its relation and the left side is the chain's last expression)."""
        meaning = Meaning(self.meaning.scope, self.meaning.variable, dict(self.meaning.functions),
                          dict(self.meaning.indexed))
        return ClaimContext(lhs, rhs, self.condition, meaning, str(self.scope.default_variable),
                            tuple(self.scope.indexed), tuple(self.scope.indices),
                            LetsView(dict(self.lets), self.section_lets), continued)


def with_named(meaning: Meaning, named: dict) -> Meaning:
    """``meaning`` with each variable the post named as an expression
    (``z = w_1 x_1 + w_2 x_2 + b``) defined as that expression: a derivative
    in w through z is then the chain the post means, one in z holds z."""
    functions = dict(meaning.functions)
    functions.update({name: (None, body) for name, body in named.items() if name not in functions})
    return replace(meaning, functions=functions, evaluated={})


# Readings of a display a refutation may rest on (the names it marks, how it is written): each
# gives the reason the refuted claim is unknown instead, or None.

def _vector_given_a_number(checker, display, refuted, lhs, rhs) -> str | None:
    # X^T (p - y) read as a product of numbers: a name the post may mean as a vector, given a number by
    # the counterexample, that only the result writes (a name for what the left side builds) or that
    # sits beside a sum over entries (X for the x_i): a number for it is no instance of the claim.
    # Dropped from a side without entries (d/dw w^2 x = 2w), it is wrong under every reading.
    given = {name for name, _ in refuted.point} & set(display.vectors_as_numbers)
    left, right = ({str(n) for n in plain_names(side)} for side in (lhs, rhs))
    names = sorted(n for n in given if (n in left) != (n in right)
                   and (n in right or _over_entries(checker, rhs)))
    return None if not names else (f"{', '.join(names)} given a number at the counterexample, written on one "
                                   f"side only, where the post may mean a vector or matrix (\\mathbf{{X}}^\\top "
                                   f"for the x_i, \\hat{{\\mathbf{{p}}}}): refuted only when read as numbers")


def _over_entries(checker, side) -> bool:
    """Whether ``side``, its definitions unfolded, sums over or writes entries (x_i)."""
    try:
        side = checker.meaning.unfold(side)
    except SymderiveError:
        return True  # not known: the doubt stands
    return isinstance(side, sympy.Basic) and side.has(sympy.Sum, sympy.Indexed)


# ``1/d \\left( ... \\right)``, ``a/2 (x + 1)``: a slash, one factor, then a parenthesis
SLASH_BEFORE_PRODUCT = re.compile(r"/\s*(?P<factor>\d+|[A-Za-z]|\\[A-Za-z]+|\{[^{}]*\})"
                                  r"(?:\^\s*(?:\{[^{}]*\}|\w))?\s*(?:\\left\s*|\\big\w*\s*)?[(\[]")


def _slash_before_factors(checker, display, refuted, lhs, rhs) -> str | None:
    # a/b (c) with b no function (1/\sigma(x) applies sigma) is read a/(b c); a reader may take
    # (a/b) c, and the expression keeps no trace of which was written
    functions = {*checker.scope.functions, *BUILTIN_FUNCTIONS}
    written = [part.text for part in display.parts if part.expr is lhs or part.expr is rhs]
    slashed = any(m.group("factor").lstrip("\\") not in functions
                  for text in written for m in SLASH_BEFORE_PRODUCT.finditer(text))
    return None if not slashed else ("a/b (c) is read as a/(b c); a reader may take it as (a/b) c: refuted "
                                     "only under one reading of the slash")


DISPLAY_DOUBTS = (_vector_given_a_number, _slash_before_factors)


def display_doubt(checker, display, refuted: Refuted, lhs, rhs) -> str | None:
    """The first reading of ``display`` a refutation of ``lhs = rhs`` rests on, if any."""
    if display is None:
        return None
    return next((reason for doubt in DISPLAY_DOUBTS
                 if (reason := doubt(checker, display, refuted, lhs, rhs)) is not None), None)


# Readings a refutation may rest on instead of the author's meaning: each
# gives the reason the refuted claim is unknown instead, or None.

def _derivative_past_a_name(checker, lhs, rhs) -> str | None:
    past = written_past(checker.meaning, lhs, rhs)
    if past is None:
        return None
    top, name = past
    return (f"{top} is defined without {name}, which is defined as an expression of the same names: its "
            f"derivative in {name} reads as 0, not as the chain through {name}")


def _prime_of_a_constant(checker, lhs, rhs) -> str | None:
    # g(x) = e^{a_i}, then g'(x) = e^{a_i} "derived w.r.t. a_i": the prime names another variable
    constant = constant_in_variable(checker.meaning, lhs, rhs)
    return None if constant is None else (
        f"{constant} is defined without its variable, so its derivative is with respect to a name the post "
        f"does not say; refuted only when read as a derivative in its variable")


def _index_as_power(checker, lhs, rhs) -> str | None:
    # s^i, S^{ij}: a reader may take the index as a label (s_i), so the power reading proves nothing
    labels = index_powers(checker.scope, checker.labelled, lhs, rhs)
    return None if not labels else (f"{labels[0]} may be an entry (an index written as a superscript), not a "
                                    f"power: refuted only when read as a power")


def _named_by_the_claim(checker, lhs, rhs) -> str | None:
    # "dC/dz_i = (q_i - p_i)/T = (softmax(z/T)_i - softmax(v/T)_i)/T": q and p are named by this formula
    named = checker.names_it(lhs, rhs)
    if not named:
        return None
    one = len(named) == 1
    return (f"{', '.join(named)} {'is' if one else 'are'} in no definition of the post and on one side only: "
            f"the relation may be what names {'it' if one else 'them'}; refuted only when read as free values")


def _cyclic_name(checker, lhs, rhs) -> str | None:
    # z_j = sum_i w_ij o_i + b after o_j = softmax(z_j): the second definition was set aside, so a
    # derivative in another name (w) of an expression in z misses the chain through z
    if not checker.cyclic:
        return None
    cyclic = {str(n) for n in checker.cyclic}
    try:
        sides = [checker.meaning.unfold(side) for side in (lhs, rhs)]
    except SymderiveError:
        return f"{sorted(cyclic)[0]} has definitions that refer to each other"
    lost = sorted(name for side in sides for name in _past_a_set_aside(side, cyclic))
    return None if not lost else (f"{lost[0]} has a second definition that refers back to itself through the "
                                  f"first (one letter for two quantities), set aside: a derivative through "
                                  f"{lost[0]} is refuted only under one reading")


def _past_a_set_aside(expr, cyclic: set) -> set:
    """The names of ``cyclic`` inside a derivative in some other variable."""
    if not isinstance(expr, sympy.Basic):
        return set()
    if isinstance(expr, sympy.Derivative):
        wrt = {str(n) for v, _ in expr.variable_count for n in plain_names(v)}
        inside = {str(n) for n in plain_names(expr.expr)} & cyclic
        return set() if wrt & cyclic else inside
    return {name for arg in expr.args for name in _past_a_set_aside(arg, cyclic)}


def _layer_letters(checker, lhs, rhs) -> str | None:
    # z^l beside a^L: the post may mean one layer by l and L (l = L at the output), and then
    # a derivative of a^L in z^l is not 0; refuted only when the letters are read as other layers
    try:
        sides = [checker.meaning.unfold(side) for side in (lhs, rhs)]
    except SymderiveError:
        return None
    found = {letter for side in sides for letter in label_letters(side)}
    letters = sorted(letter for letter in found if letter.swapcase() in found)  # l and L, not i and l
    return None if len(letters) < 2 else (f"the layer labels {' and '.join(letters)} may name the same layer "
                                          f"(l = L at the output): refuted only when read as different layers")


def label_letters(expr) -> set:
    """The letters of the layer labels an expression writes (l of z^(l), L of a^(L-1))."""
    if not isinstance(expr, sympy.Basic):
        return set()
    found = set()
    for entry in expr.atoms(sympy.Indexed):
        if str(entry.base).endswith("^()"):
            found |= {str(s) for i in entry.indices for s in i.free_symbols}
    for symbol in expr.atoms(sympy.Symbol, sympy.Function):
        name = str(symbol)
        if "^(" in name:
            found |= {c for c in name.split("^(", 1)[1] if c.isalpha()}
    return found


def _entry_defined_by_name(checker, lhs, rhs) -> str | None:
    # y_{ij} = e^{x_ij}/Z_i is held as one name y_ij, and the claim writes y_{ih}: an entry of
    # a vector the post defines, read as a free value
    defined = {str(name) for made in (checker.predefined, checker.made)
               for entries in made.values() for name, *_ in entries}
    for side in (lhs, rhs):
        if not isinstance(side, sympy.Basic):
            continue
        try:
            read = checker.meaning.evaluate(side)
        except (SymderiveError, RuntimeError, TypeError, ValueError):
            continue
        for entry in read.atoms(sympy.Indexed):
            base = str(entry.base)
            if entry.base in checker.meaning.indexed:
                continue
            held = sorted(name for name in defined if name.startswith(base + "_")
                          and _index_letters(name[len(base) + 1:], checker.scope))
            if held:
                return (f"{base} is defined in the post as {held[0]}, one name for its entries, which this "
                        f"reading does not hold: refuted only when {base} is read as a free value")
    return None


def _index_letters(text: str, scope) -> bool:
    """``ij``, ``{ih}``, ``1``: indices glued to a name, not another name (``hat``)."""
    text = text.strip("{}")
    return bool(text) and all(c.isdigit() or c in scope.indices for c in text)


REFUTATION_DOUBTS = (_cyclic_name, _entry_defined_by_name, _layer_letters, _derivative_past_a_name,
                     _prime_of_a_constant, _index_as_power, _named_by_the_claim, differential_letter,
                     intermediate_held, undefined_statistic, numbered_entries_only)


def refutation_doubt(checker, lhs, rhs) -> str | None:
    """The first reading a refutation of ``lhs = rhs`` rests on, if any."""
    return next((reason for doubt in REFUTATION_DOUBTS if (reason := doubt(checker, lhs, rhs)) is not None), None)

