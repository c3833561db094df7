"""Names written as a run of capitals: ``NLL``, ``MSE``, ``BCE``, ``CE``, ``KL``.

Letters side by side are a product (``ab``, ``AB``, ``W X``); a reader reads a
run of capitals as one name when nothing in the display says its letters are
factors. Rules, on the tokens of one display:

* A run of three to eight capital letters written together, with no letter
  touching it, is one name (``NLL``, ``MSE``, ``BCE``), unless every letter of
  it is also written elsewhere in the display outside the run, outside other
  copies of the run and outside subscripts and superscripts: then its letters
  are things of their own and the run is their product (``tr(ABC) =
  tr(BCA)``, ``(ABC)^T = C^T B^T A^T``, ``ABC = A(BC)``). The ``N`` of
  ``\\frac{1}{N}`` or ``^N`` beside ``NLL`` does not make it N·L·L: L is
  written nowhere else.
* A scope that declares one of its letters a matrix or a variable reads the
  run as a product (a derivation file's matrices A, B, C).
* Two capitals (``CE``, ``KL``, ``AB``) are a product, the commonest reading of
  ``AB``, unless the scope names them: a post defines them on the left of
  ``=`` (``CE = -\\sum_k y_k \\log p_k``) with the same test on that display
  (``defined_run``), or writes them in ``\\text``/``\\mathrm``, which always
  make a name.
"""

from __future__ import annotations

from collections import Counter

from .tokens import Token

MIN_LETTERS, MAX_LETTERS = 3, 8


def is_acronym(word: str) -> bool:
    """``CE``, ``MSE``: two to eight capitals, as ``\\text{CE}`` names a loss."""
    return 2 <= len(word) <= MAX_LETTERS and word.isascii() and word.isalpha() and word.isupper()


def letter_runs(tokens: tuple[Token, ...]) -> list[tuple[int, int]]:
    """Every maximal run of letter tokens written together, as (start, end)."""
    runs, index = [], 0
    while index < len(tokens):
        if tokens[index].kind != "letter":
            index += 1
            continue
        end = index + 1
        while end < len(tokens) and tokens[end].kind == "letter" and tokens[end].offset == tokens[end - 1].end:
            end += 1
        runs.append((index, end))
        index = end
    return runs


def in_scripts(tokens: tuple[Token, ...], closing: dict[int, int]) -> set[int]:
    """The indices of the tokens inside a subscript or superscript."""
    inside = set()
    for index, token in enumerate(tokens[:-1]):
        if token.kind == "op" and token.value in ("^", "_"):
            after = tokens[index + 1]
            end = closing.get(index + 1, index + 1) if after.kind == "op" and after.value == "{" else index + 1
            inside.update(range(index + 1, end + 1))
    return inside


def named_runs(tokens: tuple[Token, ...], closing: dict[int, int], shortest: int = MIN_LETTERS) -> dict[int, str]:
    """The runs of capitals read as one name, by the index of their first token."""
    scripts = in_scripts(tokens, closing)
    runs = [(start, end, "".join(t.value for t in tokens[start:end])) for start, end in letter_runs(tokens)]
    named = {}
    for start, end, word in runs:
        if not (shortest <= len(word) <= MAX_LETTERS and word.isupper() and word.isascii()):
            continue
        elsewhere = Counter(letter for s, e, other in runs if other != word
                            for k, letter in zip(range(s, e), other) if k not in scripts)
        if not all(elsewhere[letter] for letter in set(word)):
            named[start] = word
    return named


def defined_run(tokens: tuple[Token, ...], closing: dict[int, int]) -> str | None:
    """The run of two or more capitals a display opens with before ``=``
    (or ``(x) =``) when it reads as one name (``CE = -\\sum_k ...``)."""
    named = named_runs(tokens, closing, shortest=2)
    word = named.get(0)
    if word is None:
        return None
    after = len(word)
    if after < len(tokens) and tokens[after].kind == "op" and tokens[after].value == "(":
        close = next((k for k in range(after, min(after + 4, len(tokens)))
                      if tokens[k].kind == "op" and tokens[k].value == ")"), None)
        after = close + 1 if close is not None else after
    following = tokens[after] if after < len(tokens) else None
    return word if following is not None and following.kind == "rel" and following.value == "=" else None
