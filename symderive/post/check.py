"""Check a post: every relation between neighbouring parts of its math.

Each relation is one of (``report`` kinds): a *definition* (a name not yet
defined in this section on the left, or any name after "let", "define",
"where", "in this case"), a *condition* (inline ``x > 0`` or ``i = k``: it
restricts the displays after it until the next condition, a ``cases``
display or a new section), a *connective* (an arrow between two equations,
each a claim of its own), a *skipped* remark (``where j = k`` inside a
sentence), or a *claim*: both sides are evaluated under the post's
definitions and the current condition and proved equal or refuted.

A relation with nothing on its left (a display or row opening with ``=``, ``\\Rightarrow``,
``\\implies``) continues the chain: a claim against the chain's last expression. One with
nothing on its right at the end of a display is incomplete, unknown. ``\\approx`` claims are
``approximate`` (never proved) and define no name. Unclosed math is unreadable, with its place.
"""

from __future__ import annotations

import re
from dataclasses import replace as _replace

import sympy
from sympy.core.function import AppliedUndef
from sympy.tensor.indexed import IndexException

from ..errors import LatexSyntaxError, SymderiveError
from ..evidence import Proved, Unknown
from ..meaning import Meaning
from ..runner import forking, in_worker, shared
from .extract import MathBlock, find_blocks
from .assumptions import find_assumptions
from .context import (combines_cases, names_a_square, entry_derivative, fitted_constants, free_values, labelled_bases,
                      name_the_sum, names_data, off_diagonal, scalar_against_matrix, solved_for)
from .reading import (ARROWS, CONDITION_RELATIONS, body_through, copied, DEFAULT_TIMEOUT, fresh_meaning, is_intermediate_definition,
                      LARGE_STEP, last_sentence, names_components, own_variable, ParsedBlocks, rule_hints)
from .names import ambiguous_names, infer_scope
from .report import CLAIM, CONDITION, DEFINITION, SKIPPED, UNREADABLE, PostReport, PostStep
from .chain_state import ClaimContext, OpenChain
from .chains import ChainKeeping
from .classify import Classifying, named_by_its_derivative
from .prose import ProseReading
from .proving import Proving
from .naming import part_named
from .normal_names import normal_names
from .shapes import Shapes, declared_shapes, with_definitions


class _Checker(Classifying, ChainKeeping, ProseReading, Proving):
    """Reads a post's blocks in order and gives every relation its kind and
    every claim its verdict (the mixins hold each part of the reading)."""

    def __init__(self, scope, file: str, timeout: float, meaning: Meaning, parse: ParsedBlocks):
        self.scope, self.file, self.timeout, self.parse = scope, file, timeout, parse
        self.section = -1
        self.meaning = copied(meaning)
        self.condition, self.condition_text = sympy.true, None
        self.display_case = (sympy.true, None)  # the condition a display's rows hold under without their own
        self.chains: list[OpenChain] = []
        self.current: OpenChain | None = None
        self.in_run = False  # the previous relation of this display was a claim
        self.diagonals: set = set()  # (section, a, x) for each d a_i / d x_i stated
        self.point_condition = False
        self.named: dict = {}  # a variable named as an expression of others (z = w^T x + b) -> that expression
        self.labelled: set = set()  # names the post raises to an index letter (s^i)
        self.seen: set = set()  # the symbols of the relations read so far  # the condition in force is a point (x = 0): it ends after one block
        self.definitions: list[PostStep] = []
        self.unreadable: list[PostStep] = []
        self.parsed = 0
        self.prose_hints: tuple[str, ...] = ()
        self.lets: dict[str, str] = {}  # definitions in force, for import
        self.section_lets: list[tuple[str, str]] = []
        self.defined: dict = {}  # name -> section where it was defined
        self.cyclic: set = set()  # names whose later definition would close a cycle of definitions
        self.stated: set = set()  # builtin functions whose definition the post has stated
        self.assumptions: dict = {}  # canonical sum -> its stated value, for the whole post
        self.assumption_texts: list[str] = []  # the LaTeX stating them, for import
        self.free_values: set = set()  # names some relation of the post writes on both sides
        self.chained = False  # the claim being proved is one link of a chain (a = b = c, or "= c" going on)
        self.predefined: dict = {}  # section -> definitions found by a first pass
        self.provisional: set = set()
        self.defined_at: dict = {}  # name -> (line, column) of the relation that defined it
        self.made: dict = {}  # section -> definitions made by this pass
        self.named_by_derivative: set = set()  # (line, column) of s'(x) = d/dx (...) naming s
        self.definitions_only = False
        self.contexts: dict[tuple[int, int], ClaimContext] = {}
        self.log: list[PostStep] = []  # every relation, in order, with its block's line
        self.last = None  # (expr, latex) a relation opening the next display goes on from
        self.case_base = None  # self.last when the first of a run of inline cases was stated
        self.last_was_claim = False
        self.paragraph, self.paragraph_math = "", []  # the prose so far, math as §k
        self.section_functions: list = []  # functions this section defines, in order
        self.shapes = Shapes()  # the shapes the post declares (X in R^{B x M})

    def block(self, block: MathBlock) -> None:
        self.enter(block)
        sentence_math = self.read_prose(block)
        if block.unclosed is not None:
            self.unreadable_step(block.origin, block, f"cannot read: {block.unclosed} is never closed")
            return
        try:
            display = self.parse(block)
        except LatexSyntaxError as error:
            if block.display or re.search(r"=|\\Rightarrow|\\approx", block.text):
                self.unreadable_step(error.origin or block.origin, block, f"cannot read: {error}")
            return
        self.parsed += 1
        self.labelled |= labelled_bases(self.scope, display)
        if self.as_condition(block, display):
            for relation in display.relations():  # one, or a stated chain of sums (sum z = sum v = 0)
                self.log.append(PostStep(block.origin.line, block.origin.column, relation.relation,
                                         relation.lhs.text.strip(), relation.rhs.text.strip(), CONDITION,
                                         block_line=block.origin.line))
            return
        if any(isinstance(p.expr, sympy.Basic) and p.expr.has(sympy.Piecewise) for p in display.parts) or (
                combines_cases(display, self.condition)):
            self.condition, self.condition_text = sympy.true, None
        saved = (self.condition, self.condition_text)
        if display.condition is not None:
            self.display_condition(block, display)
        elif self.condition is sympy.true:
            self.implied_case(display)
        self.display_case = (self.condition, self.condition_text)
        self.prose_hints = rule_hints(last_sentence(block.prose_before))
        self.in_run = False
        notes = [n for n in display.annotations if not re.fullmatch(r"\(?[\d.]+[a-z]?\)?", n.text)]
        relations = display.relations()
        if not relations:
            self.prose_claim(block, display, sentence_math)
        rows = row_conditions(block, relations)
        for position, relation in enumerate(relations):
            if position in rows and rows[position] is None:
                self.log.append(PostStep(relation.lhs.origin.line, relation.lhs.origin.column, relation.relation,
                                         relation.lhs.text.strip(), relation.rhs.text.strip(), CONDITION,
                                         block_line=block.origin.line))
                continue
            if rows:
                self.condition, self.condition_text = rows.get(position) or self.display_case
            following = relations[position + 1] if position + 1 < len(relations) else None
            step = self.relation(block, display, relation, position, notes, following)
            self.log.append(_replace(step, block_line=block.origin.line))
        if display.condition is not None:
            origin = display.condition_origin or block.origin
            self.log.append(PostStep(origin.line, origin.column, "", display.condition, "", CONDITION,
                                     block_line=block.origin.line))
        self.condition, self.condition_text = saved  # a display's own condition held for it only
        self.seen |= {s for p in display.parts if isinstance(p.expr, sympy.Basic) for s in p.expr.free_symbols}
        if self.point_condition and relations:
            self.condition, self.condition_text, self.point_condition = sympy.true, None, False

    def implied_case(self, display) -> None:
        """Record the diagonal derivatives this display states, and when it
        states an off-diagonal one after them, its case i != j."""
        for relation in display.relations():
            found = entry_derivative(relation.lhs.expr)
            if found is not None and found[2] == found[3]:
                self.diagonals.add((self.section, found[0], found[1]))
        first = display.relations()[0] if display.relations() else None
        if first is None:
            return
        diagonals = {(a, x) for section, a, x in self.diagonals if section == self.section}
        case = off_diagonal(first.lhs.expr, first.rhs.expr, diagonals)
        if case is not None:
            self.condition, self.condition_text = case

    def fitted(self, lhs, rhs):
        """The names a relation gives values to, {name: value}, as a reader
        reads them: names no earlier display used, only in its right side,
        read off by matching coefficients (see fitted_constants); or one
        such name only in its left side, which the relation solves for
        (``y = \\hat{y} + \\epsilon = b + w x + \\epsilon`` names y-hat)."""
        if not isinstance(rhs, sympy.Expr) or not isinstance(lhs, sympy.Expr) or isinstance(
                rhs, sympy.MatrixBase) or isinstance(lhs, sympy.MatrixBase):
            return None
        defined = set(self.meaning.functions) - self.provisional
        fresh = {s for s in (lhs.free_symbols | rhs.free_symbols) - self.seen
                 if isinstance(s, sympy.Symbol) and not s.is_integer and not self.binds(s) and s not in defined
                 and str(s) not in self.scope.indexed}  # w of w_j is its vector's label
        right, left = fresh & rhs.free_symbols - lhs.free_symbols, fresh & lhs.free_symbols - rhs.free_symbols
        if rhs in right:  # "= \\Sigma": a new name for the value on its left
            return {rhs: lhs}
        try:
            fitted = fitted_constants(self.meaning.evaluate(lhs), rhs, right, self.scope.default_variable)
        except (SymderiveError, IndexException):  # definitions in a cycle, x_i beside x_{ij}: nothing read off it
            return None
        if fitted:
            return fitted
        if len(left) == 1:
            return solved_for(left.pop(), lhs, rhs)
        return None

    def part_named(self, lhs, rhs):
        """(entry, body) when the relation's right side names a part of its
        left with a vector of its own (see naming.part_named)."""
        if not self.chained:
            return None
        named = self.names_it(lhs, rhs)
        if len(named) == 1:
            return part_named(named[0], lhs, rhs)
        # the quick first pass named it here: this relation stays the definition
        made = [(left, right) for entries in self.predefined.values() for _, left, right, _ in entries
                if isinstance(left, sympy.Indexed)]
        for left, right in made:
            if rhs.has(left.base) and part_named(str(left.base), lhs, rhs) == (left, right):
                return left, right
        return None

    def states_data(self, lhs, rhs, bare: bool) -> bool:
        """Numbers given to a name with no definition, at the start of a
        relation run: data (a target, an example's values), not a claim.
        A ``bare`` name the scope reads as a function (T for T(x)) counts."""
        if bare and isinstance(lhs, AppliedUndef) and all(a.is_Symbol for a in lhs.args):
            lhs = lhs.func
            if not names_data(sympy.Symbol(str(lhs)), rhs) or self.in_run:
                return False
            return lhs not in self.meaning.functions
        if self.in_run or not names_data(lhs, rhs):
            return False
        name = lhs.base if isinstance(lhs, (sympy.Indexed, sympy.Pow)) else lhs
        return name not in self.meaning.functions and name not in self.meaning.indexed

    def unreadable_step(self, origin, block: MathBlock, reason: str) -> None:
        step = PostStep(origin.line, origin.column, "", block.text.strip(), "", UNREADABLE, Unknown(reason),
                        block_line=block.origin.line)
        self.unreadable.append(step)
        self.log.append(step)

    def relation(self, block, display, relation, position, notes, following):
        lhs, rhs = relation.lhs, relation.rhs
        where = rhs.origin if lhs.expr is None else lhs.origin
        base = dict(line=where.line, column=where.column, relation=relation.relation,
                    lhs=lhs.text.strip(), rhs=rhs.text.strip(), condition=self.condition_text)
        # does this relation's right side go on into another relation of the display?
        goes_on = following is not None and following.lhs is rhs
        if rhs.expr is None:
            if relation.relation in ARROWS or (following is not None and following.lhs.expr is None):
                return self.connective(base, "joins the equation before it to the one after")
            if not block.display and following is None and re.match(r"\s*[A-Za-z]{2,}", block.words_after):
                # "$m = $ number of training examples": the right side is in words
                return self.definition(base, rhs)
            return self.incomplete(base, relation, lhs)
        if lhs.expr is None or (relation.relation in ARROWS and not goes_on):
            if relation.relation in ARROWS and goes_on:
                return self.connective(base, "joins the equation before it to the one after")
            return self.continuation(block, display, relation, base, notes)
        if relation.relation in ARROWS:
            return self.connective(base, "joins two equations, each checked on its own")
        if relation.relation == "=" and names_components(lhs.expr, rhs.expr):
            return self.definition(base, rhs)  # "where x = [x_1 ... x_n]": the vector's entries named
        if relation.relation == "=" and self.states_data(lhs.expr, rhs.expr, "(" not in lhs.text):
            return self.definition(base, rhs)
        if relation.relation == "=" and names_a_square(lhs.expr, self.seen | set(self.meaning.functions)
                                                               | set(self.scope.variables.values())):
            return self.definition(base, rhs)  # sigma_j^2 = (1/m) sum_i (x_ij - mu_j)^2: names the variance
        if scalar_against_matrix(lhs.expr, rhs.expr):
            return self.mismatched(block, base, lhs, rhs, relation)
        if not all(isinstance(e, sympy.Expr) for e in (lhs.expr, rhs.expr)) and not all(
                isinstance(e, sympy.MatrixExpr) for e in (lhs.expr, rhs.expr)):
            return self.mismatched(block, base, lhs, rhs, relation)
        if relation.relation not in ("=", "\\approx"):
            return self.inequality(block, base, lhs, rhs)
        if relation.relation == "=" and (restated := self.restatement(base, lhs, rhs, display)) is not None:
            return restated  # a name defined before, its body written again: a claim against it
        name = self.definable(lhs.expr, block.prose_before, lhs.origin, notes, rhs.expr) if relation.relation == "=" else None
        if name is not None and not rhs.expr.has(lhs.expr):
            self.define(name, lhs.expr, rhs.expr, rhs.text.strip())
            self.defined_at[name] = (lhs.origin.line, lhs.origin.column)
            return self.definition(base, rhs)
        if (relation.relation == "=" and isinstance(lhs.expr, sympy.Symbol) and self.binds(lhs.expr)
                and not self.in_run and lhs.expr not in rhs.expr.free_symbols and not lhs.expr.is_integer):
            if is_intermediate_definition(self.scope, lhs.expr, rhs.expr):
                # "u = 1 + e^{-x}" with du/dx in the post: a name for part of x's expression
                self.define(lhs.expr, lhs.expr, rhs.expr, rhs.text.strip())
            else:  # "z = w^T x + b": names the variable, which stays a variable
                self.named[lhs.expr] = rhs.expr
            return self.definition(base, rhs)
        if not block.display and isinstance(lhs.expr, sympy.Symbol) and isinstance(rhs.expr, sympy.Symbol):
            return PostStep(**base, kind=SKIPPED, note="a remark inside a sentence (\"where j = k\")")
        again = (lhs.origin.line, lhs.origin.column) in self.named_by_derivative
        derived = (named_by_its_derivative(self.meaning, self.binds, lhs.expr, rhs.expr, rhs.text, again)
                   if relation.relation == "=" else None)
        if derived is not None:  # s'(x) = d/dx (1/(1 + e^-x)), s never defined: s names the body
            self.named_by_derivative.add((lhs.origin.line, lhs.origin.column))
            self.define(*derived)
            return self.definition(base, rhs)
        fitted = self.fitted(lhs.expr, rhs.expr) if relation.relation == "=" else None
        if fitted:  # "= x(a + b x^2)": a and b named by the step
            for name, value in fitted.items():
                self.define(name, name, value, sympy.latex(value))
            return self.definition(base, rhs)
        hints = self.hints_at(notes, display, rhs)
        self.chained = goes_on or position > 0 and display.relations()[position - 1].rhs is lhs
        named = self.part_named(lhs.expr, rhs.expr) if relation.relation == "=" else None
        if named is not None:  # "= -\sum_j \ell_j": ell_j names the summand on the left
            entry, body = named
            self.define(entry.base, entry, body, sympy.latex(body))
            return self.definition(base, rhs)
        if self.in_run:  # a = b = c: the step is where its new right side is
            base.update(line=rhs.origin.line, column=rhs.origin.column)
        chain = self.chain_for(lhs.text)
        previous = chain.last if chain.last is not None else lhs.expr
        approximate = relation.relation == "\\approx"
        if self.definitions_only:
            return self.claimed(chain, PostStep(**base, kind=CLAIM), lhs, rhs)
        evidence, justified, size, used_prose, claimed = self.prove_reading(previous, lhs.expr, rhs.expr,
                                                                            hints, approximate, display)
        if used_prose:
            hints, self.prose_hints = hints + self.prose_hints, ()
        if not approximate and self.defines_known(claimed, evidence) and isinstance(claimed, AppliedUndef):
            # "sigma(x) = 1/(1 + e^-x)": the catalog's definition, stated truly: a proved claim
            # that also gives the post's own name its body (a later redefinition replaces it)
            self.define(claimed.func, claimed, rhs.expr, rhs.text.strip())
        if not approximate and isinstance(evidence, Proved):
            body = body_through(self.meaning, self.scope, claimed, rhs.expr)
            if body is not None:  # sigma(x) = 1/u proved: sigma is now written through u
                self.meaning.functions[claimed.func] = body
        step = PostStep(**base, kind=CLAIM, evidence=evidence, rule_hint=hints, justified=justified,
                        step_size=size, large_step=size is not None and size > LARGE_STEP,
                        approximate=approximate)
        return self.claimed(chain, step, lhs, rhs)


def _is_index(expr) -> bool:
    return isinstance(expr, sympy.Symbol) and bool(expr.is_integer)


def row_condition(relation) -> bool:
    """``i = j`` or ``i \\neq j`` standing as a chain of its own inside a
    display (``a = b, \\quad i = j \\\\ c = d, \\quad i \\neq j``): the
    condition of its row, which the display's trailing condition is not."""
    lhs, rhs = relation.lhs, relation.rhs
    return (lhs.relation is None and lhs.expr is not None and relation.relation in ("=", "\\neq")
            and _is_index(lhs.expr) and (_is_index(rhs.expr) or isinstance(rhs.expr, sympy.Integer)))


def _offset(block: MathBlock, origin) -> int:
    """Where ``origin`` is in the block's text."""
    lines = block.text.split("\n")
    row = origin.line - block.origin.line
    if not 0 <= row < len(lines):
        return -1
    column = origin.column - (block.origin.column if row == 0 else 1)
    return sum(len(line) + 1 for line in lines[:row]) + column


def row_conditions(block: MathBlock, relations) -> dict:
    """{position: (condition, text)} for each relation of a row that ends
    with its own condition (no row break between them), and {position: None}
    for the conditions themselves; empty when no row has one."""
    found = {}
    for place, relation in enumerate(relations):
        if place == 0 or not row_condition(relation):
            continue
        found[place] = None
        at = _offset(block, relation.lhs.origin)
        text = f"{relation.lhs.text.strip()} {relation.relation} {relation.rhs.text.strip()}"
        condition = CONDITION_RELATIONS[relation.relation](relation.lhs.expr, relation.rhs.expr)
        for before in range(place - 1, -1, -1):
            if before in found:
                break
            start = _offset(block, relations[before].rhs.origin)
            if start < 0 or at < 0 or "\\\\" in block.text[start:at]:
                break
            found[before] = (condition, text)
    return found


def check_post(text: str, file: str = "<post>", timeout: float = DEFAULT_TIMEOUT) -> PostReport:
    """Find the chains of a post's math and check every relation."""
    return check_post_with_state(text, file, timeout)[0]


def check_post_supervised(text: str, file: str = "<post>", timeout: float = DEFAULT_TIMEOUT) -> PostReport:
    """check_post in this process's persistent prover worker (runner.py), as
    verify runs a file: each proof held to its limit, SymPy's caches warm."""
    if in_worker() or not forking():
        return check_post(text, file, timeout)
    return shared().call(check_post, (text, file, timeout), idle_limit=max(60.0, 3 * timeout))


def check_post_with_state(text: str, file: str = "<post>", timeout: float = DEFAULT_TIMEOUT):
    """The report, and the checker with the context of every claim."""
    blocks = find_blocks(text, file)
    scope = own_variable(infer_scope([b.text for b in blocks]), [b.text for b in blocks])
    ambiguous = frozenset(ambiguous_names(text))
    meaning, parse = fresh_meaning(scope, "\n".join(b.text for b in blocks), ambiguous), ParsedBlocks(scope)
    meaning.functions.update(normal_names(blocks, scope))  # "Phi denotes the CDF of the normal distribution"
    first = _Checker(scope, file, timeout, meaning, parse)  # a quick pass for definitions made late in a section
    first.definitions_only = True
    for block in blocks:
        first.block(block)
    name_the_sum(meaning, first.made)
    checker = _Checker(scope, file, timeout, meaning, parse)
    checker.predefined, checker.named_by_derivative = first.made, first.named_by_derivative
    checker.assumptions, checker.assumption_texts, implied = find_assumptions(blocks, parse)
    checker.free_values = free_values(blocks, parse)
    checker.shapes = with_definitions(declared_shapes("\n".join(b.text for b in blocks)), first.made)
    for block in blocks:
        checker.block(block)
    return _replace(checker.report(len(blocks)), assumed=tuple(implied)), checker
