"""The one place where text is made safe for a document.

* ``escape_tex`` / ``escape_markdown``: prose (titles, sources, notes,
  warnings, rule names, counterexample values shown as code) becomes literal
  text: every LaTeX or Markdown special character is neutralised, line breaks
  become spaces, and (for LaTeX) every character that pdflatex with
  ``[T1]{fontenc}`` + ``[utf8]{inputenc}`` cannot typeset is mapped to a
  LaTeX command or replaced by ``?``.
* ``markdown_code``: a Markdown code span holding ``text`` literally.
* ``clean_math``: the author's math goes into math mode *unescaped*, but
  normalised: Unicode dashes and quotes become ASCII, Unicode math symbols
  become commands, line breaks become spaces (a blank line ends math mode),
  ``%`` / ``$`` / ``#`` are escaped (they would end the formula or comment
  out the rest of the line), ``^^`` (TeX's character-code notation, which
  can spell a backslash) is broken up, and commands that read or write
  files or redefine things (``\\input``, ``\\write``, ``\\def`` ...) are
  shown as text instead of executed.

The templates call ``escape_tex``/``escape_markdown``/``markdown_code`` as
the filters ``tex``/``md``/``mdcode``; nothing else escapes prose.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["escape_tex", "escape_markdown", "markdown_code", "clean_math", "GREEK"]

GREEK = frozenset("""alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa
lambda mu nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega
Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega""".split())

# --- Unicode ---------------------------------------------------------------

# Unicode characters that have a math-mode command (used by both the prose
# escaper, wrapped in $...$, and clean_math).
_GREEK_LETTERS = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "varepsilon", "ϵ": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ϑ": "vartheta", "ι": "iota", "κ": "kappa",
    "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "π": "pi", "ϖ": "varpi", "ρ": "rho",
    "ϱ": "varrho", "σ": "sigma", "ς": "varsigma", "τ": "tau", "υ": "upsilon", "φ": "varphi",
    "ϕ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
    "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi",
    "Σ": "Sigma", "Υ": "Upsilon", "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
}
_MATH_SYMBOLS = {
    "×": r"\times", "·": r"\cdot", "⋅": r"\cdot", "∙": r"\cdot", "÷": r"\div", "±": r"\pm",
    "∓": r"\mp", "≤": r"\leq", "≥": r"\geq", "≠": r"\neq", "≈": r"\approx", "≡": r"\equiv",
    "∼": r"\sim", "≃": r"\simeq", "∝": r"\propto", "→": r"\to", "←": r"\leftarrow",
    "↦": r"\mapsto", "⇒": r"\Rightarrow", "⇔": r"\Leftrightarrow", "∂": r"\partial",
    "∇": r"\nabla", "∑": r"\sum", "∏": r"\prod", "∫": r"\int", "∞": r"\infty", "√": r"\surd",
    "∈": r"\in", "∉": r"\notin", "⊂": r"\subset", "⊆": r"\subseteq", "∪": r"\cup",
    "∩": r"\cap", "∅": r"\emptyset", "∀": r"\forall", "∃": r"\exists", "¬": r"\neg",
    "∧": r"\wedge", "∨": r"\vee", "∘": r"\circ", "⊙": r"\odot", "⊗": r"\otimes",
    "⊕": r"\oplus", "ℝ": r"\mathbb{R}", "ℕ": r"\mathbb{N}", "ℤ": r"\mathbb{Z}",
    "ℚ": r"\mathbb{Q}", "ℂ": r"\mathbb{C}", "ℓ": r"\ell", "°": r"^{\circ}", "✓": r"\checkmark",
    "✔": r"\checkmark", "✗": r"\times", "✘": r"\times", "…": r"\ldots", "⋯": r"\cdots",
    "′": "'", "″": "''",
}
for _char, _name in _GREEK_LETTERS.items():
    _MATH_SYMBOLS[_char] = "\\" + _name
_SUPERSCRIPTS = {"⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6",
                 "⁷": "7", "⁸": "8", "⁹": "9", "⁺": "+", "⁻": "-", "ⁿ": "n", "ᵀ": "T", "ⁱ": "i"}
_SUBSCRIPTS = {"₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6",
               "₇": "7", "₈": "8", "₉": "9", "₊": "+", "₋": "-", "ᵢ": "i", "ⱼ": "j", "ₖ": "k",
               "ₙ": "n"}
# Characters that mean an ASCII character in math.
_MATH_ASCII = {"–": "-", "—": "-", "−": "-", "‐": "-", "‑": "-", "’": "'", "‘": "'",
               "“": "''", "”": "''", "\u00a0": " ", "\u2009": " ", "\u202f": " "}

# Text-mode LaTeX for characters of prose.
_TEXT = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "#": r"\#", "$": r"\$", "%": r"\%",
    "&": r"\&", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}", '"': r"\textquotedbl{}",
    "[": "{[}", "]": "{]}",
    "–": "--", "—": "---", "‐": "-", "‑": "-", "−": r"\textminus{}", "’": "'", "‘": "`",
    "“": "``", "”": "''", "„": ",,", "«": r"\guillemotleft{}", "»": r"\guillemotright{}",
    "‹": r"\guilsinglleft{}", "›": r"\guilsinglright{}", "…": r"\ldots{}",
    "\u00a0": "~", "\u2009": r"\,", "\u202f": r"\,", "•": r"\textbullet{}",
    "§": r"\S{}", "¶": r"\P{}", "©": r"\copyright{}", "®": r"\textregistered{}",
    "™": r"\texttrademark{}", "€": r"\texteuro{}", "£": r"\pounds{}", "¢": r"\textcent{}",
    "¥": r"\textyen{}", "†": r"\dag{}", "‡": r"\ddag{}", "¡": r"!`", "¿": r"?`",
    "ß": r"\ss{}", "æ": r"\ae{}", "Æ": r"\AE{}", "œ": r"\oe{}", "Œ": r"\OE{}", "ø": r"\o{}",
    "Ø": r"\O{}", "ł": r"\l{}", "Ł": r"\L{}", "ı": r"\i{}", "ð": r"\dh{}", "Ð": r"\DH{}",
    "þ": r"\th{}", "Þ": r"\TH{}", "ŋ": r"\ng{}", "Ŋ": r"\NG{}",
    "°": r"\textdegree{}", "µ": r"$\mu$", "′": "'", "″": "''",
}
# Combining marks a T1 text accent command can put on an ASCII letter.
_ACCENTS = {
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0308": '"', "\u0304": "=",
    "\u0307": ".", "\u0306": "u", "\u030c": "v", "\u030b": "H", "\u0327": "c", "\u0328": "k",
    "\u030a": "r", "\u0323": "d", "\u0331": "b",
}
REPLACEMENT_TEX = "{?}"


def _accented(char: str) -> str | None:
    """``\\'{e}`` for é: an ASCII letter with one or more accents T1 knows."""
    parts = unicodedata.normalize("NFD", char)
    base, marks = parts[0], parts[1:]
    if not (base.isascii() and base.isalpha()) or not marks:
        return None
    if any(m not in _ACCENTS for m in marks):
        return None
    out = base
    for mark in marks:
        command = _ACCENTS[mark]
        out = f"\\{command}{{{out}}}"
    return out


def _tex_char(char: str) -> str:
    if char in _TEXT:
        return _TEXT[char]
    if char.isascii():
        if char in "\n\r\t\f\v":
            return " "
        if not char.isprintable():
            return ""
        return char
    if char in _MATH_SYMBOLS:
        return f"${_MATH_SYMBOLS[char]}$"
    if char in _SUPERSCRIPTS:
        return f"\\textsuperscript{{{_TEXT.get(_SUPERSCRIPTS[char], _SUPERSCRIPTS[char])}}}"
    if char in _SUBSCRIPTS:
        return f"$_{{{_SUBSCRIPTS[char]}}}$"
    if unicodedata.category(char) in ("Zs", "Zl", "Zp"):
        return " "
    if unicodedata.category(char).startswith("C") or unicodedata.category(char) == "Mn":
        return ""
    accented = _accented(char)
    if accented is not None:
        return accented
    folded = unicodedata.normalize("NFKC", char)
    if folded != char and folded.isascii() and folded.isprintable():
        return "".join(_tex_char(c) for c in folded)
    return REPLACEMENT_TEX


def escape_tex(text: str) -> str:
    """``text`` as literal LaTeX text (text mode), on one line."""
    text = unicodedata.normalize("NFC", str(text))
    return "".join(_tex_char(char) for char in text)


# Markdown: backslash-escape every ASCII punctuation character that can start
# Markdown or HTML syntax (CommonMark allows a backslash before any of them).
_MD_SPECIAL = set("\\`*_[]<>#|$~&")
_MD_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown inline text, on one line."""
    text = unicodedata.normalize("NFC", str(text))
    out = []
    for char in text:
        if char in "\r\n\t\f\v" or unicodedata.category(char) in ("Zl", "Zp"):
            out.append(" ")
        elif unicodedata.category(char) == "Cc":
            continue
        elif char in _MD_SPECIAL:
            out.append("\\" + char)
        else:
            out.append(char)
    escaped = "".join(out)
    # A list marker, heading underline or numbered item if it starts a line.
    match = _MD_LINE_START.match(escaped)
    if match:
        lead, marker = match.group(1), match.group(2)
        escaped = lead + marker[:-1] + "\\" + marker[-1] + escaped[match.end():]
    return escaped


def markdown_code(text: str) -> str:
    """A Markdown code span showing ``text`` literally (fenced by more
    backticks than any run inside it)."""
    text = " ".join(str(text).splitlines())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ")):
        text = f" {text} "
    return f"{fence}{text}{fence}"


# --- math --------------------------------------------------------------------

# Control words that read or write files, run programs or change how TeX reads
# the rest of the document. They never belong in a formula.
_FORBIDDEN = frozenset("""input include includeonly InputIfFileExists IfFileExists
openin openout read readline write immediate closein closeout message errmessage
special pdfliteral pdfobj pdffiledump pdfximage pdfrefximage pdffilesize pdfmdfivesum
pdfinclusion pdfstartlink pdfendlink catcode lccode uccode sfcode mathcode delcode
def edef gdef xdef let futurelet csname endcsname expandafter afterassignment
aftergroup noexpand newcommand renewcommand providecommand DeclareRobustCommand
newenvironment renewenvironment usepackage RequirePackage documentclass
makeatletter makeatother endinput end@document batchmode nonstopmode scrollmode
errorstopmode shipout output everypar everymath everydisplay everyhbox everyvbox
everyjob everycr everyeof jobname newwrite newread openin@ verb lstinputlisting
verbatiminput ShellEscape directlua luaexec scantokens""".split())
_CONTROL_WORD = re.compile(r"\\([A-Za-z@]+)")
_END_DOCUMENT = re.compile(r"\\(begin|end)\s*\{\s*document\s*\}")


def _math_char(char: str, target: str) -> str:
    if char.isascii():
        if char in "\n\r\t\f\v":
            return " "
        return char if char.isprintable() else ""
    if char in _MATH_ASCII:
        return _MATH_ASCII[char]
    if char in _MATH_SYMBOLS:
        return _MATH_SYMBOLS[char] + " "
    if char in _SUPERSCRIPTS:
        return f"^{{{_SUPERSCRIPTS[char]}}}"
    if char in _SUBSCRIPTS:
        return f"_{{{_SUBSCRIPTS[char]}}}"
    category = unicodedata.category(char)
    if category in ("Zs", "Zl", "Zp"):
        return " "
    if category.startswith("C"):
        return ""
    if target == "md":
        return char  # KaTeX typesets letters of any script
    accented = _accented(char)
    if accented is not None:
        return rf"\text{{{accented}}}"
    return r"\text{?}"


def clean_math(latex: str, target: str = "tex") -> str:
    """The author's math made safe to put between math delimiters, on one line.

    ``target`` is ``"tex"`` (pdflatex: every non-ASCII character becomes a
    command or ``\\text{?}``) or ``"md"`` (KaTeX: letters of any script stay).
    """
    text = unicodedata.normalize("NFC", str(latex))
    text = "".join(_math_char(char, target) for char in text)
    # ^^5c is a backslash to TeX; ^^ never occurs in a formula.
    text = text.replace("^^", r"^{\wedge}\wedge ")
    # Characters that end math mode or comment out the rest of the line.
    text = re.sub(r"(?<!\\)((?:\\\\)*)([%$#])", r"\1\\\2", text)
    text = _END_DOCUMENT.sub(r"\\text{\1 document}", text)

    def neutralise(match: re.Match) -> str:
        word = match.group(1)
        if word in _FORBIDDEN or "@" in word:
            return r"\backslash\mathrm{" + word.replace("@", "") + "}"
        return match.group(0)

    text = _CONTROL_WORD.sub(neutralise, text)
    if target == "md":
        # "<" before a letter, "/", "!" or "?" could open an HTML tag on
        # GitHub; KaTeX knows \lt.
        text = re.sub(r"(?<!\\)<(?=[A-Za-z/!?])", r"\\lt ", text)
    return _balance_braces(" ".join(text.split()))


def _balance_braces(text: str) -> str:
    """Drop a ``}`` that closes nothing and close every open ``{``, so a
    formula cannot end the group it is put in."""
    out, depth, i = [], 0, 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            out.append(text[i:i + 2])
            i += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                i += 1
                continue
            depth -= 1
        out.append(char)
        i += 1
    return "".join(out) + "}" * depth
