"""Check a post: every relation between neighbouring parts of its math.

Each relation is one of (``report`` kinds): a *definition* (a name not yet
defined in this section on the left, or any name after "let", "define",
"where", "in this case"), a *condition* (inline ``x > 0`` or ``i = k``: it
restricts the displays after it until the next condition, a ``cases``
display or a new section), a *connective* (an arrow between two equations,
each a claim of its own), a *skipped* remark (``where j = k`` inside a
sentence), or a *claim*: both sides are evaluated under the post's
definitions and the current condition and proved equal or refuted.

A relation with nothing on its left (a display or row opening with ``=``,
``\\Rightarrow``, ``\\implies``) continues the chain: what follows is a
claim against the chain's last expression. One with nothing on its right at
the end of a display is an incomplete relation, unknown. ``\\approx``
claims get the verdict ``approximate`` (never proved) and never define a
name. Math whose delimiter never closes is unreadable, with its place.
"""

from __future__ import annotations

import re

import sympy
from sympy.core.function import AppliedUndef

from dataclasses import dataclass, replace as _replace

from .. import deadline as deadline_state
from ..deadline import Task, Timeout, run_tasks
from ..errors import LatexSyntaxError
from ..evidence import Proved, Unknown
from ..latex import parse_display
from ..latex.model import Part
from ..meaning import Meaning
from ..rules import RuleContext, step_size
from ..runner import shared
from .extract import MathBlock, find_blocks
from .reading import (ARROWS, CONDITION_RELATIONS, CONTINUING, DEFAULT_TIMEOUT, LARGE_STEP, LET_WORDS,
                      PROSE_CLAIM, PROSE_CONDITION, after, assumption, before_next, chain_key, find_assumptions,
                      fresh_meaning, hints_justify, is_atomic, known_activation, last_sentence,
                      ParsedBlocks, body_through, copied, own_variable, is_intermediate_definition, names_components,
                      NOT_NAMES, known_function, prose_subjects, prose_variable, prove_claim, rule_hints, stands_alone, written_through)
from .names import infer_scope
from .report import (CLAIM, CONDITION, DEFINITION, IMPLICATION, SKIPPED, UNREADABLE, Chain, PostReport,
                     PostStep)

@dataclass
class _OpenChain:
    """A chain being read: its left-hand side, section, steps, last line."""

    key: str | None
    section: int
    steps: list
    last: object = None


class _LetsView:
    """Definitions in force at a claim plus those its section makes later
    (a post may define u(x) just after the quotient rule that uses it). A
    definition in force wins over a later one of the same name (a post may
    reuse f for another function further down the section)."""

    def __init__(self, in_force: dict, section: list):
        self.in_force, self.section = in_force, section

    def __iter__(self):
        merged = dict(self.in_force)
        for name, latex in self.section:
            merged.setdefault(name, latex)
        return iter(merged.items())

    def __bool__(self) -> bool:
        return bool(self.in_force) or bool(self.section)


@dataclass(frozen=True)
class ClaimContext:
    """What was in force at one claim, for writing it as a derivation file."""

    lhs: object
    rhs: object
    condition: sympy.Basic
    meaning: Meaning
    variable: str
    indexed: tuple[str, ...]
    indices: tuple[str, ...]
    lets: tuple  # (name, latex): definitions in force, then those made later in the section
    continued: bool = False  # its left side is the chain's last expression, not written in the relation


class _Checker:
    def __init__(self, scope, file: str, timeout: float, meaning: Meaning, parse: ParsedBlocks):
        self.scope, self.file, self.timeout, self.parse = scope, file, timeout, parse
        self.section = -1
        self.meaning = copied(meaning)
        self.condition, self.condition_text = sympy.true, None
        self.chains: list[_OpenChain] = []
        self.current: _OpenChain | None = None
        self.in_run = False  # the previous relation of this display was a claim
        self.definitions: list[PostStep] = []
        self.unreadable: list[PostStep] = []
        self.parsed = 0
        self.prose_hints: tuple[str, ...] = ()
        self.lets: dict[str, str] = {}  # definitions in force, for import
        self.section_lets: list[tuple[str, str]] = []
        self.defined: dict = {}  # name -> section where it was defined
        self.stated: set = set()  # builtin functions whose definition the post has stated
        self.assumptions: dict = {}  # canonical sum -> its stated value, for the whole post
        self.assumption_texts: list[str] = []  # the LaTeX stating them, for import
        self.predefined: dict = {}  # section -> definitions found by a first pass
        self.provisional: set = set()
        self.defined_at: dict = {}  # name -> (line, column) of the relation that defined it
        self.made: dict = {}  # section -> definitions made by this pass
        self.definitions_only = False
        self.contexts: dict[tuple[int, int], ClaimContext] = {}
        self.log: list[PostStep] = []  # every relation, in order, with its block's line
        self.last = None  # (expr, latex) a relation opening the next display goes on from
        self.last_was_claim = False
        self.paragraph, self.paragraph_math = "", []  # the prose so far, math as §k
        self.section_functions: list = []  # functions this section defines, in order

    # -- sections, definitions and conditions ---------------------------------

    def enter(self, block: MathBlock) -> None:
        if block.section != self.section:
            self.section = block.section
            self.section_lets = []
            self.condition, self.condition_text = sympy.true, None
            self.current, self.last, self.section_functions = None, None, []
            # names defined later in this section, or first defined in a later one
            later = [entry for section in sorted(self.predefined) if section >= block.section
                     for entry in self.predefined[section]]
            for name, lhs, rhs, text in later:
                if name not in self.defined:
                    self.define(name, lhs, rhs, text)
                    self.provisional.add(name)

    def definable(self, expr, prose: str, where=None, notes=()) -> object | None:
        """The name ``expr`` introduces, if it is a definition's left side:
        a function, vector or constant name not defined yet, or defined in an
        earlier section, or any name after 'let', 'define', 'in this case'."""
        if isinstance(expr, AppliedUndef) and len(expr.args) == 1 and (
                isinstance(expr.args[0], (sympy.Symbol, sympy.Indexed))):
            name = expr.func
        elif isinstance(expr, sympy.Indexed) and len(expr.indices) == 1 and expr.indices[0].is_Symbol:
            name = expr.base
        elif isinstance(expr, sympy.Symbol) and not self.binds(expr):
            name = expr
        else:
            return None
        known = known_activation(str(name))
        if known is not None and name not in self.defined:
            return None  # a catalog function: its definition is checked as a claim
        if name in self.provisional:  # defined ahead, from later in this section
            self.provisional.discard(name)
            return name
        if self.defined.get(name) == self.section and not LET_WORDS.search(last_sentence(prose)):
            if not self.remark_between(name, where, notes):
                return None
        return name

    def restates(self, lhs, rhs, prose: str) -> bool:
        """A name defined in an earlier section, given a body equal to the one
        it has: a restatement (checked as a claim), not a new definition."""
        name = lhs.func if isinstance(lhs, AppliedUndef) else lhs.base if isinstance(lhs, sympy.Indexed) else lhs
        if name not in self.defined or self.defined[name] == self.section or name in self.provisional:
            return False
        if self.definitions_only or LET_WORDS.search(last_sentence(prose)):
            return False
        evidence, _, _, _ = self.prove(lhs, lhs, rhs, (), False)
        return isinstance(evidence, Proved)

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
        if name not in self.provisional:
            self.made.setdefault(self.section, []).append((name, lhs, rhs, rhs_text))
        if isinstance(lhs, sympy.Indexed):
            self.meaning.indexed[name] = (lhs.indices[0], rhs)
            self.remember_let(f"{name}_{lhs.indices[0]}", rhs_text)
        elif isinstance(lhs, sympy.Symbol):
            self.meaning.functions[name] = (None, rhs)
            if rhs_text:
                self.remember_let(str(name), rhs_text)  # y = f(x), L = -sum y log p: a file needs them
        else:
            if lhs.args[0] == self.scope.default_variable:
                self.remember_let(str(name), rhs_text)
            self.meaning.functions[name] = (lhs.args[0], rhs)
            self.section_functions.append(name)
        self.defined[name] = self.section

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
        if assumption(display) is not None:
            return True  # collected before checking: see check_post_with_state
        if block.display or len(relations) != 1 or not stands_alone(block):
            return False
        relation = relations[0]
        if relation.relation not in CONDITION_RELATIONS or relation.lhs.expr is None:
            return False
        lhs, rhs = relation.lhs.expr, relation.rhs.expr
        if not (is_atomic(lhs) and is_atomic(rhs)) or not isinstance(lhs, sympy.Symbol):
            return False
        if relation.relation == "=" and not (lhs.is_integer and rhs.is_Symbol):
            return False
        self.condition = CONDITION_RELATIONS[relation.relation](lhs, rhs)
        self.condition_text = block.text.strip()
        return True

    # -- one block ---------------------------------------------------------------

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
        if self.as_condition(block, display):
            relation = display.relations()[0]
            self.log.append(PostStep(block.origin.line, block.origin.column, relation.relation,
                                     relation.lhs.text.strip(), relation.rhs.text.strip(), CONDITION,
                                     block_line=block.origin.line))
            return
        if any(isinstance(p.expr, sympy.Basic) and p.expr.has(sympy.Piecewise) for p in display.parts):
            self.condition, self.condition_text = sympy.true, None
        saved = (self.condition, self.condition_text)
        if display.condition is not None:
            self.display_condition(block, display)
        self.prose_hints = rule_hints(last_sentence(block.prose_before))
        self.in_run = False
        notes = [n for n in display.annotations if not re.fullmatch(r"\(?[\d.]+[a-z]?\)?", n.text)]
        relations = display.relations()
        if not relations:
            self.prose_claim(block, display, sentence_math)
        for position, relation in enumerate(relations):
            following = relations[position + 1] if position + 1 < len(relations) else None
            step = self.relation(block, display, relation, position, notes, following)
            self.log.append(_replace(step, block_line=block.origin.line))
        if display.condition is not None:
            origin = display.condition_origin or block.origin
            self.log.append(PostStep(origin.line, origin.column, "", display.condition, "", CONDITION,
                                     block_line=block.origin.line))
            self.condition, self.condition_text = saved  # it held for this display only

    def unreadable_step(self, origin, block: MathBlock, reason: str) -> None:
        step = PostStep(origin.line, origin.column, "", block.text.strip(), "", UNREADABLE, Unknown(reason),
                        block_line=block.origin.line)
        self.unreadable.append(step)
        self.log.append(step)

    def read_prose(self, block: MathBlock) -> tuple[str, list]:
        """The paragraph up to this block, math as §k placeholders, and the
        math they stand for: a prose claim may name its function in an
        earlier sentence or in math ("the derivative of $g$ is ...")."""
        prose = block.prose_before.rstrip()
        pieces = re.split(r"\n\s*\n", prose)
        if len(pieces) > 1:
            self.paragraph, self.paragraph_math = pieces[-1], []
        else:
            self.paragraph += prose
        before = (self.paragraph, list(self.paragraph_math))
        self.paragraph += f" §{len(self.paragraph_math)} "
        self.paragraph_math.append(block.text)
        return before

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
            return self.incomplete(base, relation, lhs)
        if lhs.expr is None or (relation.relation in ARROWS and not goes_on):
            if relation.relation in ARROWS and goes_on:
                return self.connective(base, "joins the equation before it to the one after")
            return self.continuation(block, display, relation, base, notes)
        if relation.relation in ARROWS:
            return self.connective(base, "joins two equations, each checked on its own")
        if relation.relation == "=" and names_components(lhs.expr, rhs.expr):
            return self.definition(base, rhs)  # "where x = [x_1 ... x_n]": the vector's entries named
        if not all(isinstance(e, sympy.Expr) for e in (lhs.expr, rhs.expr)) and not all(
                isinstance(e, sympy.MatrixExpr) for e in (lhs.expr, rhs.expr)):
            return self.mismatched(block, base, lhs, rhs, relation)
        if relation.relation not in ("=", "\\approx"):
            return self.inequality(block, base, lhs, rhs)
        restated = relation.relation == "=" and self.restates(lhs.expr, rhs.expr, block.prose_before)
        name = (self.definable(lhs.expr, block.prose_before, lhs.origin, notes)
                if relation.relation == "=" and not restated else None)
        if name is not None and not rhs.expr.has(lhs.expr):
            self.define(name, lhs.expr, rhs.expr, rhs.text.strip())
            self.defined_at[name] = (lhs.origin.line, lhs.origin.column)
            return self.definition(base, rhs)
        if (relation.relation == "=" and isinstance(lhs.expr, sympy.Symbol) and self.binds(lhs.expr)
                and not self.in_run and lhs.expr not in rhs.expr.free_symbols and not lhs.expr.is_integer):
            if is_intermediate_definition(self.scope, lhs.expr, rhs.expr):
                # "u = 1 + e^{-x}" with du/dx in the post: a name for part of x's expression
                self.define(lhs.expr, lhs.expr, rhs.expr, rhs.text.strip())
            # else "z = w^T x + b": names the variable, which stays a variable
            return self.definition(base, rhs)
        if not block.display and isinstance(lhs.expr, sympy.Symbol) and isinstance(rhs.expr, sympy.Symbol):
            return PostStep(**base, kind=SKIPPED, note="a remark inside a sentence (\"where j = k\")")
        hints = self.hints_at(notes, display, rhs)
        if self.in_run:  # a = b = c: the step is where its new right side is
            base.update(line=rhs.origin.line, column=rhs.origin.column)
        chain = self.chain_for(lhs.text)
        previous = chain.last if chain.last is not None else lhs.expr
        approximate = relation.relation == "\\approx"
        if self.definitions_only:
            return self.claimed(chain, PostStep(**base, kind=CLAIM), lhs, rhs)
        evidence, justified, size, used_prose, claimed = self.prove_reading(previous, lhs.expr, rhs.expr,
                                                                            hints, approximate)
        if used_prose:
            hints, self.prose_hints = hints + self.prose_hints, ()
        if not approximate and self.defines_known(claimed, evidence):
            # "tanh(x) = (e^x - e^-x)/(e^x + e^-x)": a definition, and a true one
            if isinstance(claimed, AppliedUndef):
                self.define(claimed.func, claimed, rhs.expr, rhs.text.strip())
            step = PostStep(**base, kind=DEFINITION, evidence=evidence)
            self.definitions.append(step)
            self.in_run = False
            self.note_last(rhs, claim=False)
            return step
        if not approximate and isinstance(evidence, Proved):
            body = body_through(self.meaning, self.scope, claimed, rhs.expr)
            if body is not None:  # sigma(x) = 1/u proved: sigma is now written through u
                self.meaning.functions[claimed.func] = body
        step = PostStep(**base, kind=CLAIM, evidence=evidence, rule_hint=hints, justified=justified,
                        step_size=size, large_step=size is not None and size > LARGE_STEP,
                        approximate=approximate)
        return self.claimed(chain, step, lhs, rhs)

    # -- what each kind of relation becomes ----------------------------------------

    def connective(self, base, note: str) -> PostStep:
        self.in_run = False
        step = PostStep(**base, kind=IMPLICATION, note=note)
        if self.current is not None:
            self.current.steps.append(step)
        return step

    def definition(self, base, rhs) -> PostStep:
        self.in_run = False
        step = PostStep(**base, kind=DEFINITION)
        self.definitions.append(step)
        self.note_last(rhs, claim=False)
        return step

    def note_last(self, part, claim: bool) -> None:
        """The expression a relation opening the next display goes on from."""
        self.last = (part.expr, part.text.strip()) if part.expr is not None else None
        self.last_was_claim = claim

    def claimed(self, chain, step: PostStep, lhs, rhs, continued: bool = False) -> PostStep:
        chain.steps.append(step)
        chain.last = rhs.expr
        self.current = chain
        self.in_run = True
        self.note_last(rhs, claim=True)
        if rhs.expr is not None and lhs.expr is not None:
            self.contexts[(step.line, step.column)] = self.context(lhs, rhs, continued)
        return step

    def open_chain(self, text: str) -> "_OpenChain":
        """The chain a continuing relation belongs to: the one the last
        claim is in, else a new one from the last definition."""
        if self.last_was_claim and self.current is not None and self.current.section == self.section:
            return self.current
        self.current = _OpenChain((chain_key(text), self.condition_text), self.section, [])
        self.chains.append(self.current)
        return self.current

    def continuation(self, block, display, relation, base, notes) -> PostStep:
        """``= 3x`` opening a display (or an arrow followed by an expression):
        a claim against the chain's last expression, its hint replayed."""
        rhs = relation.rhs
        if self.last is None:
            chain = self.open_chain("")
            step = PostStep(**base, kind=CLAIM, evidence=Unknown("nothing before this relation to continue"))
            return self.claimed(chain, step, relation.lhs, rhs, continued=True)
        previous, previous_text = self.last
        chain = self.open_chain(previous_text)
        base.update(lhs=previous_text)
        lhs = Part(None, previous, rhs.origin, previous_text)
        if relation.relation not in CONTINUING or not isinstance(rhs.expr, (sympy.Expr, sympy.MatrixExpr)):
            reason = ("an inequality is not checked" if relation.relation in CONDITION_RELATIONS
                      else "cannot compare these two sides")
            return self.claimed(chain, PostStep(**base, kind=CLAIM, evidence=Unknown(reason)), lhs, rhs, True)
        approximate = relation.relation == "\\approx"
        if self.definitions_only:
            return self.claimed(chain, PostStep(**base, kind=CLAIM), lhs, rhs, continued=True)
        hints = self.hints_at(notes, display, rhs)
        evidence, justified, size, used_prose = self.prove(previous, previous, rhs.expr, hints, approximate)
        if used_prose:
            hints, self.prose_hints = hints + self.prose_hints, ()
        step = PostStep(**base, kind=CLAIM, evidence=evidence, rule_hint=hints, justified=justified,
                        step_size=size, large_step=size is not None and size > LARGE_STEP,
                        approximate=approximate)
        return self.claimed(chain, step, lhs, rhs, continued=True)

    def incomplete(self, base, relation, lhs) -> PostStep:
        """``a = b =`` ending a display: the reader is owed a right side."""
        chain = self.current if self.in_run and self.current is not None else self.open_chain(lhs.text)
        base.update(line=relation.rhs.origin.line, column=relation.rhs.origin.column)
        step = PostStep(**base, kind=CLAIM,
                        evidence=Unknown(f"incomplete relation: nothing after '{relation.relation}'"))
        chain.steps.append(step)
        self.current, self.in_run = chain, False
        return step

    def mismatched(self, block, base, lhs, rhs, relation) -> PostStep:
        """Sides that are not both expressions (a list, a relation): a name
        given to a list is a definition; anything else cannot be compared."""
        chain = self.chain_for(lhs.text)
        kinds = " and ".join(sorted({type(e).__name__ for e in (lhs.expr, rhs.expr)}))
        step = PostStep(**base, kind=CLAIM, evidence=Unknown(f"cannot compare these sides ({kinds})"))
        return self.claimed(chain, step, lhs, rhs)

    def inequality(self, block, base, lhs, rhs) -> PostStep:
        """``j \\neq k`` inside a sentence is a remark; an inequality between
        expressions is a claim this checker does not prove."""
        if is_atomic(lhs.expr) and is_atomic(rhs.expr):
            if block.display or LET_WORDS.search(last_sentence(block.prose_before)):
                # "Let 0 \leq p \leq 1": the range of a name, stated, not derived
                return PostStep(**base, kind=CONDITION, note="a stated range of a name")
            return PostStep(**base, kind=SKIPPED, note="a remark inside a sentence (\"for j \\neq k\")")
        chain = self.chain_for(lhs.text)
        step = PostStep(**base, kind=CLAIM, evidence=Unknown("an inequality is not checked"))
        return self.claimed(chain, step, lhs, rhs)

    def hints_at(self, notes, display, rhs) -> tuple[str, ...]:
        return tuple(
            h for n in notes if rhs.origin.line <= n.origin.line and after(n.origin, rhs.origin)
            and before_next(n.origin, display, rhs) for h in rule_hints(n.text))

    def prove_reading(self, previous, lhs, rhs, hints, approximate):
        """``prove``, and when the left side applies a function to an
        intermediate name, also the chain-rule reading of it; returns the
        left side that was proved."""
        found = self.prove(previous, lhs, rhs, hints, approximate)
        through = written_through(self.meaning, self.scope, lhs)
        if through is None or isinstance(found[0], Proved):
            return (*found, lhs)
        again = self.prove(through, through, rhs, hints, approximate)
        return (*again, through) if isinstance(again[0], Proved) else (*found, lhs)

    def prove(self, previous, lhs, rhs, hints, approximate):
        """Evidence, justification of the hints, step size, and whether the
        prose's hint was used (it goes to the first claim that evaluates a
        derivative, since prose before a chain often opens with a definition)."""
        meaning, condition, timeout, prose = self.meaning, self.condition, self.timeout, self.prose_hints
        assumptions = self.assumptions

        def work():
            evidence = prove_claim(meaning, lhs, rhs, condition, timeout, approximate, assumptions)
            justified, size, used = None, None, bool(prose) and not isinstance(evidence, Proved)
            if isinstance(evidence, Proved) and not approximate:
                size = step_size(previous, rhs, RuleContext(meaning, condition))
                used = bool(prose) and size > 0
                justified = hints_justify(meaning, previous, rhs, hints + (prose if used else ()), condition)
            return evidence, justified, size, used

        try:
            # one task: in check's prover worker the supervisor holds it to its limit
            # (no fork); called directly, it runs in a child killed at the limit
            return run_tasks([Task(work, (), timeout + 1)])[0].unwrap()
        except Timeout as error:
            return Unknown(f"timeout: {error}"), None, None, False
        except RuntimeError as error:
            return Unknown(f"internal error: {error}"), None, None, False

    def context(self, lhs, rhs, continued: bool = False) -> ClaimContext:
        """What is in force at a claim (``continued`` when the display opened
        with its relation and the left side is the chain's last expression)."""
        meaning = Meaning(self.meaning.scope, self.meaning.variable, dict(self.meaning.functions),
                          dict(self.meaning.indexed))
        return ClaimContext(lhs, rhs, self.condition, meaning, str(self.scope.default_variable),
                            tuple(self.scope.indexed), tuple(self.scope.indices),
                            _LetsView(dict(self.lets), self.section_lets), continued)

    def prose_claim(self, block: MathBlock, display, sentence_math) -> None:
        """'... the derivative of g is $M$': a claim about the derivative of
        the function the prose names (in its sentence, else earlier in its
        paragraph), or, when it names none, of the only function its section
        defines; otherwise unknown. 'For vector inputs of length D' makes
        the variable a vector."""
        paragraph, math = sentence_math
        sentence = last_sentence(paragraph)
        claim = PROSE_CLAIM.search(sentence)
        value = display.parts[0].expr if display.parts else None
        if claim is None or not isinstance(value, sympy.Basic):
            return
        function, parameter, reason = self.prose_function(prose_subjects(paragraph, math))
        if PROSE_CONDITION.search(sentence):  # "if sigma(u) = p, then the derivative of L is 0"
            function, reason = None, "a prose claim that holds under a condition stated in words is not checked"
        variable = prose_variable(self.scope, parameter, value, sentence) if function is not None else None
        subject = f"{claim.group(1)} of {function} in {variable}" if function is not None else claim.group(1)
        step = PostStep(block.origin.line, block.origin.column, "is", subject, block.text.strip(), CLAIM)
        if function is None:
            step = _replace(step, evidence=Unknown(reason))
        elif not self.definitions_only:
            lhs = sympy.Derivative(function(variable), variable, evaluate=False)
            evidence, _, _, _ = self.prove(lhs, lhs, value, (), False)
            step = _replace(step, evidence=evidence)
        self.chains.append(_OpenChain(None, self.section, [step]))  # a prose claim stands alone
        self.log.append(_replace(step, block_line=block.origin.line))
        self.current, self.last = None, None

    def prose_function(self, keys: list[str]):
        """(function, its variable, None) for the function a prose claim is
        about, or (None, None, why not)."""
        for key in keys:
            found = known_function(self.meaning, self.scope, key)
            if found is not None:
                return (*found, None)
        named = [k for k in keys if k.lower() not in NOT_NAMES]
        if named:
            return None, None, f"cannot tell which function '{named[0]}' is: the post does not define it"
        if len(set(self.section_functions)) == 1:
            function = self.section_functions[-1]
            return function, self.meaning.functions[function][0], None
        return None, None, "the prose does not say which function this is the derivative of"

    def chain_for(self, lhs_text: str) -> "_OpenChain":
        """The chain a claim belongs to: the current one while a display's
        relations run on (a = b = c); else the latest chain of this section
        with the same left-hand side (a restated d/dx f(x) = ...); else a new one."""
        if self.in_run and self.current is not None:
            return self.current
        key = (chain_key(lhs_text), self.condition_text)
        for chain in reversed(self.chains):
            if chain.section != self.section:
                break
            if chain.key == key:
                self.current = chain
                return chain
        self.current = _OpenChain(key, self.section, [])
        self.chains.append(self.current)
        return self.current

    def report(self, blocks: int) -> PostReport:
        kept = [c.steps for c in self.chains if any(s.kind == CLAIM for s in c.steps)]
        chains = tuple(Chain(i, steps[0].line, tuple(steps)) for i, steps in enumerate(kept))
        return PostReport(self.file, chains, tuple(self.definitions), tuple(self.unreadable), blocks, self.parsed,
                          tuple(self.log))


def check_post(text: str, file: str = "<post>", timeout: float = DEFAULT_TIMEOUT) -> PostReport:
    """Find the chains of a post's math and check every relation."""
    return check_post_with_state(text, file, timeout)[0]


def check_post_supervised(text: str, file: str = "<post>", timeout: float = DEFAULT_TIMEOUT) -> PostReport:
    """check_post in this process's persistent prover worker (runner.py), as
    verify runs a file: every proof is a task held to its limit by the
    supervisor, and SymPy's caches stay warm from one post to the next."""
    if deadline_state.in_worker() or not deadline_state.forking():
        return check_post(text, file, timeout)
    return shared().call(check_post, (text, file, timeout), idle_limit=max(60.0, 3 * timeout))


def check_post_with_state(text: str, file: str = "<post>", timeout: float = DEFAULT_TIMEOUT):
    """The report, and the checker with the context of every claim."""
    blocks = find_blocks(text, file)
    scope = own_variable(infer_scope([b.text for b in blocks]), [b.text for b in blocks])
    meaning, parse = fresh_meaning(scope, "\n".join(b.text for b in blocks)), ParsedBlocks(scope)
    first = _Checker(scope, file, timeout, meaning, parse)  # a quick pass for definitions made late in a section
    first.definitions_only = True
    for block in blocks:
        first.block(block)
    checker = _Checker(scope, file, timeout, meaning, parse)
    checker.predefined = first.made
    checker.assumptions, checker.assumption_texts = find_assumptions(blocks, parse)
    for block in blocks:
        checker.block(block)
    return checker.report(len(blocks)), checker
