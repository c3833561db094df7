"""The sums a post states of its data, read before its claims are checked:
in math (``\\sum_k y_k = 1``), in prose ("$\\sum y_i$ is equal to 1",
"$\\mathbf{y}$ is a one-hot vector"), and those a cross-entropy implies
(its target is a distribution). None of these proves anything by itself:
a claim that holds only under such a sum is proved under it.
"""

from __future__ import annotations

import re
from dataclasses import replace as _replace

import sympy

from ..errors import LatexSyntaxError
from ..meaning import stated_sums
from ..normal_form import canonical_sum

# "$\sum y_i$ is equal to 1", "... sums to one", "... adds up to $1$"
_VERB = (r"(?:is|are|must\s+be|will\s+be|should\s+be)(?:\s+(?:always|exactly|also))?(?:\s+equal\s+to)?"
         r"|(?:always\s+)?(?:equals|sums?\s+(?:up\s+)?to|adds?\s+up\s+to)")
_NUMBERS = {"one": 1, "zero": 0}
_STATED_VALUE = re.compile(rf"^\s*(?:{_VERB})\s+\$?\s*(\d+|one|zero)(?!\s*\$?\s*(?:[-+*/^_]\s*[\w\\(]|[.,]\d|\\))(?:\s*\$)?(?![\w$])", re.I)
# "$\mathbf{y}$ is a one-hot (encoded) vector", "the one-hot label $y$"
_ONE_HOT_AFTER = re.compile(r"^\s*(?:is|are)\s+(?:a\s+|an\s+)?(?:one[- ]hot)\b", re.I)
_ONE_HOT_BEFORE = re.compile(r"\bone[- ]hot(?:[- ]encoded)?(?:\s+(?:target|label|vector|encoding))*\s*$", re.I)
_LONE_NAME = re.compile(r"^\s*(?:\\(?:mathbf|boldsymbol|vec|bm)\s*\{\s*)?([A-Za-z])\s*\}?\s*$")


def readable_blocks(blocks, parse):
    """Each block that closes and parses, with its display; the others are
    reported where claims are read, not here."""
    for block in blocks:
        if block.unclosed is None:
            try:
                yield block, parse(block)
            except LatexSyntaxError:
                pass


def find_assumptions(blocks, parse) -> tuple[dict, list[str], list[str]]:
    """Every stated sum of a post, read before its claims are checked, and
    those a cross-entropy implies: the values by canonical sum, the LaTeX
    that states them (for import), and the LaTeX of those the post leaves
    unsaid (the report names them: a claim proved under them is proved
    under a sum the reader did not see)."""
    found, texts, implied, targets = {}, [], [], []
    for block, display in readable_blocks(blocks, parse):
        stated = stated_sums(display) or _stated_in_prose(block, display, parse)
        for total, value in stated:
            found[canonical_sum(total)] = value
        if len(stated) == 1:
            texts.append(_latex(block, display, stated[0]))
        elif stated:  # a file states one sum per assumption: sum z = sum v = 0 is two of them
            *sums, value = [" ".join(part.text.split()) for part in display.parts]
            texts += [f"{total} = {value}" for total in sums]
        targets += target_sums(display)
    for total in targets:  # after every stated sum: one the post states later is not implied
        key = canonical_sum(total)
        if key not in found:
            found[key] = sympy.Integer(1)
            texts.append(_sum_latex(total))
            implied.append(texts[-1])
    return found, texts, implied


def _latex(block, display, stated) -> str:
    """The LaTeX of one stated sum: the display's own when it is a relation,
    else the sum the prose gives a value, with that value."""
    if display.relations():
        return " ".join(block.text.split())
    total, value = stated
    if len(display.parts) == 1 and display.parts[0].expr == total:
        return f"{' '.join(block.text.split())} = {value}"
    return _sum_latex(total, value)


def _stated_in_prose(block, display, parse) -> tuple:
    """(sum, value) pairs the prose around an inline block states: a lone
    sum followed by "is equal to 1" and the like, or a lone vector called
    one-hot (its entries sum to 1)."""
    if block.display or display.relations() or len(display.parts) != 1:
        return ()
    expr = display.parts[0].expr
    said = _STATED_VALUE.match(block.words_after)
    if said and _data_sum(expr):
        word = said.group(1).lower()
        return ((expr, sympy.Integer(_NUMBERS.get(word, word))),)
    name = _LONE_NAME.match(block.text)
    if name and (_ONE_HOT_AFTER.match(block.words_after) or _ONE_HOT_BEFORE.search(block.prose_before)):
        entries = _replace(block, text=rf"\sum_{{k}} {block.text.strip()}_{{k}} = 1", words_after="")
        try:
            return stated_sums(parse(entries))
        except LatexSyntaxError:
            return ()
    return ()


def _data_sum(expr) -> bool:
    """A sum of data entries (``\\sum_k y_k``), not of deltas or of no entry."""
    return (isinstance(expr, sympy.Sum) and len(expr.limits) == 1 and not expr.has(sympy.KroneckerDelta)
            and bool(expr.function.atoms(sympy.Indexed)))


def target_sums(display) -> list:
    r"""``\sum_k y_k`` for each y weighing a logarithm in a sum of the display
    (``-\sum_k y_k \log p_k``): a cross-entropy's target is a distribution,
    so its entries sum to 1 (one-hot labels), which posts leave unsaid."""
    found = []
    for part in display.parts:
        expr = part.expr
        if not isinstance(expr, sympy.Expr) or not expr.has(sympy.Sum):
            continue
        for total in expr.atoms(sympy.Sum):
            if len(total.limits) != 1:
                continue
            index = total.limits[0][0]
            factors = sympy.Mul.make_args(total.function)
            if not any(_logarithmic(f) for f in factors):
                continue
            found += [sympy.Sum(f, total.limits[0]) for f in factors
                      if isinstance(f, sympy.Indexed) and f.indices == (index,)
                      and not any(_logarithmic(g) and g.has(f.base) for g in factors)]
    return found


def _logarithmic(factor) -> bool:
    """A logarithm, or its derivative (``y_k \\partial \\log p_k / \\partial o_i``:
    the cross-entropy already differentiated, its target the same)."""
    if isinstance(factor, sympy.Derivative):
        factor = factor.expr
    return isinstance(factor, sympy.log)


def _sum_latex(total, value=1) -> str:
    index, low, high = total.limits[0]
    entry = total.function
    written = f"{entry.base}_{{{index}}}" if isinstance(entry, sympy.Indexed) else sympy.latex(entry)
    return f"\\sum_{{{index}={low}}}^{{{high}}} {written} = {value}"
