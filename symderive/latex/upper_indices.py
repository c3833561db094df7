"""Whether a display writes indices up, as tensor notation does (``A^{ij}``):
read from its tokens alone, before any parsing (see ``tensor``)."""

from __future__ import annotations

from ..errors import LatexSyntaxError
from .tokens import Token, tokenize

NOT_BASES = frozenset({"e"})
ORDINALS = frozenset({"th", "st", "nd", "rd"})  # the i^{th} element: an ordinal, no indices


def written_up(tokens: tuple[Token, ...], closing: dict) -> bool:
    """Whether a name in ``tokens`` carries a superscript of two or more letters."""
    for index in range(len(tokens) - 2):
        base, caret = tokens[index], tokens[index + 1]
        if not (caret.kind == "op" and caret.value == "^" and is_base(base)):
            continue
        if index > 0 and tokens[index - 1].kind == "op" and tokens[index - 1].value in "^_":
            continue  # a letter inside a script
        letters = index_letters(tokens, index + 2, closing)
        if letters is not None and len(letters) >= 2:
            return True
    return False


def is_base(token: Token) -> bool:
    return (token.kind == "letter" and token.value not in NOT_BASES) or token.kind == "cmd"


def index_letters(tokens: tuple[Token, ...], index: int, closing: dict) -> list[str] | None:
    """The letters (each with its primes) of the brace group at ``index``, or
    None when the group holds anything else."""
    if index >= len(tokens) or not (tokens[index].kind == "op" and tokens[index].value == "{"):
        return None
    letters: list[str] = []
    for token in tokens[index + 1:closing.get(index, index)]:
        if token.kind == "letter":
            letters.append(token.value)
        elif token.kind == "op" and token.value == "'" and letters:
            letters[-1] += "'"
        else:
            return None
    return None if "".join(letters) in ORDINALS else letters


def written_up_in(latex: str) -> bool:
    """``written_up`` of a LaTeX text (False when it does not tokenize)."""
    try:
        tokens = tokenize(latex)
    except LatexSyntaxError:
        return False
    return written_up(tokens.items, tokens.closing)
