"""The chains of a post: which chain a claim belongs to, what a relation
opening a display continues, and what each non-claim relation becomes.
"""

from __future__ import annotations

import sympy

from ..evidence import Unknown
from ..latex.model import Part
from .reading import (chain_key, CONDITION_RELATIONS, CONTINUING, is_atomic, LARGE_STEP, last_sentence,
                      LET_WORDS)
from .report import CLAIM, CONDITION, DEFINITION, IMPLICATION, SKIPPED, Chain, PostReport, PostStep
from .chain_state import OpenChain


class ChainKeeping:
    """Claims grouped in chains, and the report they make."""

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

    def open_chain(self, text: str) -> "OpenChain":
        """The chain a continuing relation belongs to: the one the last
        claim is in, else a new one from the last definition."""
        if self.last_was_claim and self.current is not None and self.current.section == self.section:
            return self.current
        self.current = OpenChain((chain_key(text), self.condition_text), self.section, [])
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
        self.chained = True
        named = self.part_named(previous, rhs.expr) if relation.relation == "=" else None
        if named is not None:  # "= -\\sum_j \\ell_j" opening a display: ell_j names the summand
            self.define(named[0].base, named[0], named[1], sympy.latex(named[1]))
            return self.definition(base, rhs)
        if self.definitions_only:
            return self.claimed(chain, PostStep(**base, kind=CLAIM), lhs, rhs, continued=True)
        hints = self.hints_at(notes, display, rhs)
        evidence, justified, size, used_prose = self.prove(previous, previous, rhs.expr, hints, approximate, display)
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

    def chain_for(self, lhs_text: str) -> "OpenChain":
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
        self.current = OpenChain(key, self.section, [])
        self.chains.append(self.current)
        return self.current

    def report(self, blocks: int) -> PostReport:
        kept = [c.steps for c in self.chains if any(s.kind == CLAIM for s in c.steps)]
        chains = tuple(Chain(i, steps[0].line, tuple(steps)) for i, steps in enumerate(kept))
        return PostReport(self.file, chains, tuple(self.definitions), tuple(self.unreadable), blocks, self.parsed,
                          tuple(self.log))
