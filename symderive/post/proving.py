"""Proving a claim of a post: under the definitions and condition in force,
as one time-limited task of the prover worker, with the justification of
its rule hints and the size of the step.
"""

from __future__ import annotations

from ..runner import Task, Timeout, run_tasks
from ..evidence import Proved, Refuted, Unknown, UnknownKind
from ..meaning import Meaning
from ..rules import RuleContext, step_size
from .context import index_powers, labelled_and_bare, varies_through
from .reading import after, before_next, hints_justify, prove_claim, rule_hints, written_through
from .chain_state import ClaimContext, LetsView


class Proving:
    """The proof of one claim and what was in force at it."""

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
            found = run_tasks([Task(work, (), timeout + 1)])[0].unwrap()
        except Timeout as error:
            return Unknown(f"timeout: {error}", UnknownKind.TIMEOUT), None, None, False
        except RuntimeError as error:
            return Unknown(f"internal error: {error}", UnknownKind.ERROR), None, None, False
        through = varies_through(self.meaning, self.named, lhs, rhs)
        if through is not None:
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
        labels = index_powers(self.scope, self.labelled, lhs, rhs)
        if isinstance(found[0], Refuted) and labels:
            # s^i, (e^z)^j: a reader may take the index as a label (s_i), so the power reading proves nothing
            return (Unknown(f"{labels[0]} may be an entry (an index written as a superscript), not a power: "
                            f"refuted only when read as a power"), *found[1:])
        return found

    def context(self, lhs, rhs, continued: bool = False) -> ClaimContext:
        """What is in force at a claim (``continued`` when the display opened
        with its relation and the left side is the chain's last expression)."""
        meaning = Meaning(self.meaning.scope, self.meaning.variable, dict(self.meaning.functions),
                          dict(self.meaning.indexed))
        return ClaimContext(lhs, rhs, self.condition, meaning, str(self.scope.default_variable),
                            tuple(self.scope.indexed), tuple(self.scope.indices),
                            LetsView(dict(self.lets), self.section_lets), continued)
