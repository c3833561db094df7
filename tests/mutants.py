"""Textual mutations of a step's LaTeX: the mistakes authors make."""

import re


def _top_level_terms(latex):
    """Split at + and - that are outside every brace and \\left...\\right pair."""
    depth, cuts = 0, []
    position = 0
    while position < len(latex):
        if latex.startswith("\\begin", position):
            depth += 1
            position += 6
            continue
        if latex.startswith("\\end", position):
            depth -= 1
            position += 4
            continue
        if latex.startswith("\\left", position):
            depth += 1
            position += 5
            continue
        if latex.startswith("\\right", position):
            depth -= 1
            position += 6
            continue
        char = latex[position]
        if char in "{(":
            depth += 1
        elif char in "})":
            depth -= 1
        elif char in "+-–" and depth == 0 and position > 0 and latex[:position].strip():
            previous = latex[:position].rstrip()
            if previous and previous[-1] not in "{(^_=":
                cuts.append(position)
        position += 1
    return cuts


def sign_flip(latex):
    return f"-\\left({latex}\\right)"


def changed_exponent(latex):
    match = re.search(r"\^(\{[^{}]*\}|[0-9A-Za-z])", latex)
    if match is None:
        return f"2 \\left({latex}\\right)"
    target = match.group(1).strip("{}")
    return latex[:match.start()] + "^{" + f"({target}) + 1" + "}" + latex[match.end():]


def dropped_term(latex):
    cuts = _top_level_terms(latex)
    if not cuts:
        return f"{latex} + 1"
    return latex[:cuts[-1]].rstrip()


MUTATIONS = {"sign flip": sign_flip, "changed exponent": changed_exponent, "dropped term": dropped_term}
