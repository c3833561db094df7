"""Claims made in prose ("the derivative of g is $M$"): the paragraph
read so far, and the function such a claim is about.
"""

from __future__ import annotations

import re
from dataclasses import replace as _replace

import sympy

from ..evidence import Unknown
from .extract import MathBlock
from .reading import (known_function, last_sentence, NOT_NAMES, PROSE_CLAIM, PROSE_CONDITION, prose_subjects,
                      prose_variable)
from .report import CLAIM, PostStep
from .chain_state import OpenChain


class ProseReading:
    """The prose around the math, and the claims it makes."""

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
        self.chains.append(OpenChain(None, self.section, [step]))  # a prose claim stands alone
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
