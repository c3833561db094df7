"""Which names a post uses, read off its LaTeX before parsing it.

The parser needs a scope (which names are functions, which are vectors);
a post declares none, so it is inferred, by rules a reader can check:

* a name applied to a single letter or Greek letter, ``f(x)``, ``J(\\theta)``,
  ``\\sigma(z)``, or to one labelled by an example or layer, ``h_\\theta(x^{(i)})``,
  ``g_{\\text{logistic}}(z)``, ``h_\\theta(x)``, ``\\text{Softmax}(z_i)``, or
  primed, ``u'(x)``, is a function, and that letter is a variable; so is a
  name applied to several arguments, ``L(y, \\hat{y})``, ``Cost(h_\\theta(x), y)``,
  and written bare it stands for its first application (``\\partial L``);
* a single letter or Greek name on the left of ``=`` in a definition
  (``Let u = 1 + e^{-x}``) is a function of the default variable;
* a letter or Greek letter with an index subscript (``z_i``, ``S_k``,
  ``\\theta_j``, ``w_{ij}``, ``y_n``) is a vector;
* the letters in differentials (``\\frac{d}{dx}``, ``\\partial z``) are
  variables; the default variable is the most frequent one;
* a letter or Greek letter differentiated (``\\frac{dy}{dx}``,
  ``\\frac{\\partial L}{\\partial w}``) that is none of the above is a
  function of the variables it is differentiated in: the author says it
  varies with them, and a post that never defines it does not make its
  derivative 0 (written bare, ``y`` is ``y(x)``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

import sympy

from ..catalog import function_names
from ..errors import LatexSyntaxError
from ..latex import parse_expression
from ..latex.acronyms import defined_run
from ..latex.cursor import labels_in
from ..latex.scope import Scope
from ..latex.tokens import tokenize
from ..latex.vocabulary import ACCENT_COMMANDS, BUILTIN_FUNCTIONS, GREEK

INDEX_LETTERS = "ijklm"
INDEX_WORDS = {"in"}  # x_{in}, W_{in}: the input's, a label
ELLIPSIS = sympy.Symbol("\u2026")  # what the parser makes of ``\dots`` in a list
_WORD_NAME = r"\\(?:text|mathrm|operatorname|mathit|rm)\s*\{\s*(?P<word>[A-Za-z]+)\s*\}"
_SUBSCRIPT = (r"(?:_(?:\{\s*\\(?:text|mathrm|rm)\s*\{(?P<sub1>\w+)\}\s*\}|\\(?:text|mathrm)\s*\{(?P<sub2>\w+)\}"
              r"|\{(?P<sub3>[A-Za-z]{2,}\w*)\}|\{?\\(?P<sub4>[A-Za-z]+)\}?))?")
# ``\mathcal{L}_{NLL}(\mathbf{w})``: a letter font applied to one variable names a function as the
# letter does (an accent, ``\hat{y}(1 - y)``, marks a value; several arguments, ``\mathcal{L}(a, y)``,
# are left to applied_to_several, whose bare reading takes the first application).
_ACCENT = r"\\(?P<accent>mathcal|mathscr)\s*\{\s*(?P<inner>[A-Za-z])\s*\}"
_BASE = (rf"(?:{_WORD_NAME}|(?<!_)\\(?P<greek>[A-Za-z]+)|(?P<plain>(?<![\\A-Za-z])[A-Za-z]{{3,}}(?=\s*\())"
         r"|(?P<letter>(?<![\\A-Za-z_^])[A-Za-z]))")
_PRIMES = r"(?:['’′]|\^\{?\\prime\}?)*"
CALL = re.compile(
    rf"(?:{_ACCENT}|{_BASE}){_PRIMES}{_SUBSCRIPT}{_PRIMES}\s*(?:\\left\s*|\\big\w*\s*)?\(\s*"
    r"(?P<arg>(?:\\mathbf\s*\{?|\\vec\s*\{?|\\boldsymbol\s*\{?)?(?:[A-Za-z]|\\[A-Za-z]+)\}?(?:_\{?\w\}?)?)"
    r"(?P<label>\s*\^\s*\{\s*[(\[]\s*\w\s*[)\]]\s*\})?\s*(?:\\right\s*|\\big\w*\s*)?\)")
OPENING_CALL = re.compile(rf"(?:{_ACCENT}|{_BASE}){_SUBSCRIPT}\s*(?:\\left\s*)?\(")
PRIMED = re.compile(rf"{_BASE}(?:['’′]|\^\{{?\\prime\}}?)+{_SUBSCRIPT}")
DEFINED = re.compile(rf"^\s*{_BASE}{_SUBSCRIPT}\s*(?:\(\s*[A-Za-z]\s*\))?\s*=(?!=)")
# ``z_i``, ``y_n``, ``w_{ij}``, ``w_{n,1}``: a letter subscripted by indices (at
# least one index letter; ``x_1`` alone says nothing).
INDEXED = re.compile(r"(?:(?<![\\A-Za-z])(?:\\mathbf\s*\{?)?([A-Za-z])\}?|\\([A-Za-z]+)(?![A-Za-z]))"
                     r"_(?:\{(?=[^}]*[" + INDEX_LETTERS + r"n])([" + INDEX_LETTERS + r"n\d][" + INDEX_LETTERS + r"n\d,\s+-]*)\}|(["
                     + INDEX_LETTERS + r"n])(?![A-Za-z]))")
# ``\hat{y}_k``, ``\hat y_n``, ``\bar{x}_{i}``, ``\hat{\theta}_j``: an accented name with an index
# subscript is a vector of its own (y_hat), as the parser names it.
ACCENTED_INDEXED = re.compile(
    r"\\(?P<accent>" + "|".join(sorted(ACCENT_COMMANDS, key=len, reverse=True)) + r")(?![A-Za-z])\s*"
    r"(?:\{\s*(?:(?P<letter>[A-Za-z])|\\(?P<greek>[A-Za-z]+))\s*\}|\s*(?P<bare>[A-Za-z])(?![A-Za-z]))\s*"
    r"_\s*(?P<index>\{(?=[^}]*[" + INDEX_LETTERS + r"n])[" + INDEX_LETTERS + r"n\d][" + INDEX_LETTERS + r"n\d,\s+-]*\}|["
    + INDEX_LETTERS + r"n](?![A-Za-z]))")
GRADIENT_NAME = re.compile(r"^\s*d([A-Za-z])(?![A-Za-z])\s*=(?!=)")
UPPER_LIMIT = re.compile(r"\\(?:sum|prod)(?![A-Za-z])\s*(?:\\limits\s*)?(?:_\s*(?:\{[^{}]*\}|\\?[A-Za-z0-9]+)\s*)?"
                         r"\^\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))(?![A-Za-z])")
DIFFERENTIAL = re.compile(r"(?:\\frac\s*\{\s*(?:d|\\mathrm\{d\}|\\partial)\s*[^{}]*\}\s*\{\s*(?:d|\\mathrm\{d\}|\\partial)\s*"
                          r"(?:\\mathbf\s*\{?)?([A-Za-z])\}?\s*(?:_\{?\w\}?)?\s*\})")
_D = r"(?:d|\\mathrm\s*\{\s*d\s*\}|\\partial|\\delta)\s*"
# ``{dz}``, ``{\partial z}``: a denominator taking a derivative in a bare letter
BARE_DIFFERENTIAL = re.compile(r"\{\s*(?:d|\\partial)\s*([A-Za-z])\s*\}")
# ``\frac{dy}{dx}``, ``\frac{\partial^2 L}{\partial w^2}``: a name alone in the
# numerator of a differential, and the letter of its denominator.
DIFFERENTIATED = re.compile(rf"\\frac\s*\{{\s*{_D}(?:\^\s*\{{?\s*\d+\s*\}}?\s*)?"
                            r"(?:(?P<letter>[A-Za-z])|\\(?P<greek>[A-Za-z]+))\s*\}\s*"
                            rf"\{{\s*{_D}(?P<wrt>[A-Za-z])(?![A-Za-z])")
# the name a differential is taken in: ``}{dx}``, ``}{\partial \mu}`` (Greek too)
DIFFERENTIAL_IN = re.compile(rf"\}}\s*\{{\s*{_D}(?:\\mathbf\s*\{{?)?(?:(?P<letter>[A-Za-z])(?![A-Za-z])"
                             r"|\\(?P<greek>[A-Za-z]+))")
NOT_FUNCTIONS = set(BUILTIN_FUNCTIONS) | {"max", "min", "frac", "dfrac", "left", "right", "sqrt", "exp",
                                          "text", "mathrm", "partial", "delta", "pi", "sum", "prod", "e"}


def _name(match: re.Match) -> str | None:
    accented = "accent" in match.re.groupindex and match.group("accent") and f"{match.group('inner')}_{ACCENT_COMMANDS[match.group('accent')]}"
    base = accented or match.group("word") or match.group("greek") or match.group("plain") or match.group("letter")
    if match.group("greek") and match.group("greek") not in GREEK:
        return None
    sub = match.group("sub1") or match.group("sub2") or match.group("sub3") or match.group("sub4")
    if match.group("sub4") and match.group("sub4") not in GREEK:
        return None
    return f"{base}_{sub}" if sub else base


def entry_of_indexed(match: re.Match, indexed: set[str]) -> bool:
    """``y_{ij} = ...`` with y written with indices elsewhere: the definition
    of the entries of a matrix, not of a name y_ij (as ``L_{CE}`` names one)."""
    sub = match.group("sub3") or ""
    base = match.group("letter") or match.group("greek")
    return (base in indexed and 2 <= len(sub) <= 3 and sub not in INDEX_WORDS
            and all(c in INDEX_LETTERS + "n" for c in sub))


def applied_to_several(text: str) -> list[tuple[str, str]]:
    """Names applied to two or more arguments, with the LaTeX of the
    arguments: ``L(y, \\hat{y})``, ``Cost(h_\\theta(x), y)`` (a comma at the
    top level of the parenthesis)."""
    found = []
    for match in OPENING_CALL.finditer(text):
        name = _name(match)
        close = closing_after_comma(text, match.end())
        # E(t, o): a capital letter applied to several arguments is a function, not Euler's e
        if name and name not in NOT_FUNCTIONS and (len(name) == 1 or name.lower() not in NOT_FUNCTIONS) and (
                close is not None):
            found.append((name, text[match.end():close]))
    return found


def closing_after_comma(text: str, start: int) -> int | None:
    """Where the parenthesis opened just before ``start`` closes, if it holds
    a comma outside any inner bracket or brace; else None."""
    depth, comma = 0, False
    for index in range(start, len(text)):
        ch = text[index]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                return index if comma and ch == ")" else None
            depth -= 1
        elif ch == "," and depth == 0:
            comma = True
    return None


def signatures(several: dict[str, str], scope: Scope) -> dict[str, tuple]:
    """The arguments a several-argument function was first written with:
    written bare (``\\frac{\\partial L}{\\partial \\hat{y}}`` after
    ``L(y, \\hat{y})``), the name stands for that application."""
    found = {}
    for name, arguments in several.items():
        if name not in scope.functions:
            continue
        try:
            value = parse_expression(f"({arguments})", scope)
        except LatexSyntaxError:
            continue
        if isinstance(value, sympy.Tuple) and not value.has(ELLIPSIS):  # not ``f(x_1, ..., x_n)``
            found[name] = tuple(value)
    return found


def differentiated(texts: list[str]) -> dict[str, list[str]]:
    """Each name alone in the numerator of a differential, with the letters
    it is differentiated in, in the order written."""
    found: dict[str, list[str]] = {}
    for text in texts:
        for match in DIFFERENTIATED.finditer(text):
            name = match.group("letter") or match.group("greek")
            if match.group("greek") and name not in GREEK:
                continue
            letters = found.setdefault(name, [])
            if match.group("wrt") not in letters:
                letters.append(match.group("wrt"))
    return found


def decorated(name: str, texts: list[str]) -> bool:
    """Whether the post writes ``name`` with a subscript or a label
    superscript anywhere (``y_1``, ``y^{(i)}``): then it is not one function.
    A letter is matched anywhere, after another letter too (``dy_1``, ``xy_1``):
    missing a subscripted use would make the parser reject it."""
    written = rf"\\{name}(?![A-Za-z])" if len(name) > 1 else name
    pattern = re.compile(rf"{written}\s*(?:_|\^\s*\{{?\s*[(\[])")
    return any(pattern.search(text) for text in texts)


def differentiated_in(texts: list[str]) -> set[str]:
    """The names some differential is taken in (``\\partial \\mu``)."""
    return {m.group("letter") or m.group("greek") for text in texts for m in DIFFERENTIAL_IN.finditer(text)}


def dependent_names(texts: list[str], taken: set[str]) -> dict[str, list[str]]:
    """The names differentiated that the scope does not otherwise bind
    (``taken``), with the letters they are differentiated in. A name some
    derivative is taken in (``\\partial f / \\partial \\mu``) is read as a
    variable, as z in ``z = w^T x + b``, even when it is also differentiated."""
    taken = taken | differentiated_in(texts)
    return {name: letters for name, letters in differentiated(texts).items()
            if name not in taken and name.lower() not in NOT_FUNCTIONS
            and name not in INDEX_LETTERS + "nde" and not decorated(name, texts)}


def upper_limits(text: str) -> set[str]:
    """The letters written as a sum's upper limit (``\\sum_{n=1}^{N}``,
    ``\\sum^K_{j=1}``): sizes, so the N of ``\\frac{1}{N}`` is that number."""
    return {match.group(1) or match.group(2) for match in UPPER_LIMIT.finditer(text)}


def gradient_name(text: str) -> str | None:
    """``dw = \\frac{1}{n}\\sum ..``, ``db = ..``: a display opening with d and
    one letter before ``=`` names the gradient in that letter, as code-minded
    posts write it; d times w is never what is defined."""
    match = GRADIENT_NAME.match(text)
    return f"d{match.group(1)}" if match else None


def defined_capitals(text: str) -> str | None:
    """The run of capitals a display defines (``NLL = ..``, ``CE(w) = ..``),
    read as one name by the test of ``latex.acronyms``."""
    try:
        tokens = tokenize(text.strip())
    except LatexSyntaxError:
        return None
    return defined_run(tokens.items, tokens.closing)


def accented_indexed(text: str) -> dict[str, set[str]]:
    """The accented names written with an index subscript (``\\hat{y}_k`` is
    y_hat), each with the subscripts written."""
    found: dict[str, set[str]] = {}
    for match in ACCENTED_INDEXED.finditer(text):
        inner = match.group("letter") or match.group("bare") or match.group("greek")
        if match.group("greek") and inner not in GREEK:
            continue
        name = f"{inner}_{ACCENT_COMMANDS[match.group('accent')]}"
        found.setdefault(name, set()).add(match.group("index").strip("{}").replace(" ", ""))
    return found


def infer_scope(texts: list[str]) -> Scope:
    """A scope for all the math of one post."""
    functions: set[str] = set()
    indexed: set[str] = set()
    variables: Counter = Counter()
    several: dict[str, str] = {}
    greek_indexed: set[str] = set()
    entries: dict[str, set[str]] = {}  # the subscripts each vector's entries are written with
    for text in texts:
        for match in CALL.finditer(text):
            name = _name(match)
            arg = re.sub(r"\\(?:mathbf|vec|boldsymbol)\s*\{?|\}", "", match.group("arg")).strip()
            greek = arg.lstrip("\\").split("_")[0]
            if arg.startswith("\\") and greek not in GREEK:
                continue  # ``f(\\infty)``, ``\\log(\\pi)``: not a variable
            arg = arg.lstrip("\\")
            if name and name.lower() not in NOT_FUNCTIONS and name not in "e":
                letter = arg.split("_")[0]
                functions.add(name)
                if match.group("label"):
                    continue  # h(x^{(i)}): a function, at one example's input (not the variable x)
                if "_" in arg:
                    indexed.add(letter)
                else:
                    variables[letter] += 1
        for name, arguments in applied_to_several(text):
            if name not in "e":
                several.setdefault(name, arguments)
        for match in PRIMED.finditer(text):
            name = _name(match)
            if name and name.lower() not in NOT_FUNCTIONS:
                functions.add(name)
        for match in DIFFERENTIAL.finditer(text):
            variables[match.group(1)] += 2
        for name, written in accented_indexed(text).items():
            indexed.add(name)
            entries.setdefault(name, set()).update(written)
        for match in INDEXED.finditer(text):
            subscript = (match.group(3) or match.group(4) or "").replace(" ", "")
            entries.setdefault(match.group(1) or match.group(2), set()).add(subscript)
            if match.group(1):
                indexed.add(match.group(1))
            elif match.group(2) in GREEK and match.group(2) != "delta":  # \delta_{ij}: Kronecker
                greek_indexed.add(match.group(2))
    if entries.get("delta") and all(len(sub.replace(",", "")) == 1 for sub in entries["delta"]):
        greek_indexed.add("delta")  # \delta_j and never \delta_{ij}: a named vector (a layer's error)
    functions.update(set(several) - set(variables))  # ``x(1, 2)`` keeps x a variable
    catalog_names = set(function_names())
    indexed.update(name for name in greek_indexed if name not in functions and name not in catalog_names)
    for text in texts:
        match = DEFINED.match(text)
        capitals = defined_capitals(text) or gradient_name(text)
        if capitals is not None and capitals not in variables:
            functions.add(capitals)  # ``NLL = -\sum ..``, ``CE = ..``, ``dw = ..``: as ``L = ..`` defines L
        elif match and not entry_of_indexed(match, indexed):
            name = _name(match)
            if (name and name.lower() not in NOT_FUNCTIONS and name not in variables
                    and name not in indexed and name not in INDEX_LETTERS + "n"):
                functions.add(name)
    bare = {m.group(1) for text in texts for m in BARE_DIFFERENTIAL.finditer(text)}
    for letter in indexed - bare:  # d/dz with z_i elsewhere: z is a variable too (z_i stays an entry)
        variables.pop(letter, None)
    for letter in indexed | set(INDEX_LETTERS + "n"):
        functions.discard(letter)
    for name in list(functions):
        variables.pop(name, None)
    dependents = dependent_names(texts, set(variables) | functions | indexed | greek_indexed | catalog_names)
    functions.update(dependents)
    if not variables:
        variables["x"] = 1
    default = variables.most_common(1)[0][0]
    symbols = {v: sympy.Symbol(v, real=True) for v in variables}
    catalog = {n: sympy.Function(n) for n in function_names()}
    catalog.update({n: sympy.Function(n) for n in functions})
    labelled, label_letters = labels_in(texts)  # z^l, a^{L-1}: layers (see latex.labels.letter_label)
    sizes = {s for text in texts for s in upper_limits(text)} - set(variables) - functions - {"e"}
    indices = {n: sympy.Symbol(n, integer=True, positive=True) for n in INDEX_LETTERS + "n" + "".join(sorted(sizes))}
    scope = Scope(
        variables=symbols,
        default_variable=symbols[default],
        functions=catalog,
        indexed={n: sympy.IndexedBase(n, real=True) for n in sorted(indexed)},
        indices={k: v for k, v in indices.items() if k not in indexed and k not in functions},
        dimensions={"D": sympy.Symbol("D", integer=True, positive=True)},
        entries={name: frozenset(entries.get(name, ())) for name in indexed},
        labelled=labelled, label_letters=label_letters,
    )
    # a name differentiated is a function of the variables it is differentiated in
    varying = {name: tuple(symbols[v] for v in letters if v in symbols) for name, letters in dependents.items()}
    return replace(scope, signatures={**{n: v for n, v in varying.items() if v}, **signatures(several, scope)})


# sigma applied to an entry of a vector (sigma(A_k), sigma(z_i)) or to a bold vector
_SIGMA_ON_ENTRY = re.compile(r"\\sigma\s*(?:\\left\s*)?\(\s*(?:[A-Za-z]\s*_|\\(?:mathbf|boldsymbol|vec)\b)")
_SIGMA_APPLIED = re.compile(r"\\sigma\s*(?:\^\s*(?:\{[^{}]*\}|\w)\s*|(?:'|\\prime)+\s*)?"
                            r"(?:\\left\s*|\\big\w*\s*)?\(")  # sigma(, sigma^2(, sigma'(
SOFTMAX_WORD = re.compile(r"soft[\s-]?max", re.I)


def ambiguous_names(post: str) -> set[str]:
    """Catalog names whose built-in meaning a post leaves in doubt: sigma in
    a post about softmax that applies it to a vector's entries may be the
    softmax (sigma(A_k) the k-th output), not the logistic function; sigma
    never applied to anything is a number (a standard deviation). Unless the
    post defines it, its claims stay unknown rather than read one way."""
    if SOFTMAX_WORD.search(post) and _SIGMA_ON_ENTRY.search(post):
        return {"sigma"}
    if "\\sigma" in post and not _SIGMA_APPLIED.search(post):
        return {"sigma"}  # sigma never applied (sigma^2 = 1/m sum (x_i - mu)^2): a standard deviation
    return set()
