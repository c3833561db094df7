"""The tables the tokenizer reads LaTeX with: which commands vanish, which
keep their raw argument, which are relations, products or ellipses, and the
meaning of single characters. Data only; ``tokens`` walks the text."""

from __future__ import annotations

import re

SKIPPED_COMMANDS = frozenset({
    "quad", "qquad", "displaystyle", "textstyle", "scriptstyle", "limits", "nolimits",
    "nonumber", "notag", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "bigm", "Bigl",
    "Bigr", "Bigm", "biggl", "biggr", "biggm", "Biggl", "Biggr", "Biggm", "hfill",
    "enspace", "thinspace", "medspace", "thickspace", "negthinspace",
    # A cancel stroke is the author's note on a factor that cancels; the
    # expression's value is that of the text under the stroke.
    "cancel", "bcancel", "xcancel",
})
# ``\cancelto{0}{x}``: the value the stroke points to is a note; x stays.
SKIPPED_WITH_ARGUMENT = frozenset({"require", "label", "hspace", "vspace", "phantom", "hphantom", "color",
                                   "textcolor", "cancelto"})
STARRED_COMMANDS = frozenset({"tag", "operatorname", "hspace", "vspace"})
TEXT_COMMANDS = frozenset({"text", "textrm", "textit", "textbf", "textnormal", "mbox", "textsf"})
ROMAN_COMMANDS = frozenset({"mathrm", "operatorname", "mathit", "mathsf", "mathtt"})
OLD_FONTS = frozenset({"rm", "it", "sf", "tt"})
OLD_FONT_WORD = re.compile(r"\s*([A-Za-z]+)")
INLINE_GROUPS = frozenset({"eqalign", "eqalignno", "displaylines"})
LAYOUT_ENVIRONMENTS = frozenset({
    "array", "aligned", "align", "align*", "alignat", "alignat*", "alignedat", "eqnarray",
    "eqnarray*", "split", "gathered", "gather", "gather*", "equation", "equation*",
    "multline", "multline*", "displaymath",
})
SPEC_ENVIRONMENTS = frozenset({"array", "alignat", "alignat*", "alignedat"})
CASES_ENVIRONMENTS = frozenset({"cases", "dcases", "cases*", "dcases*", "rcases"})
# ``bmatrix*`` (mathtools) is ``bmatrix`` with an optional column alignment ``[r]``.
STARRED_MATRICES = frozenset({"matrix*", "bmatrix*", "pmatrix*", "Bmatrix*", "vmatrix*", "Vmatrix*",
                              "smallmatrix*"})
PLAIN_MATRICES = frozenset({"matrix", "matrix*", "smallmatrix", "smallmatrix*"})
# An ``array`` right after ``\left(`` is a matrix, not layout; after ``\left\{``
# (closed by ``\right.``) it is the cases of a piecewise function.
ARRAY_AFTER_LEFT = {"(": "pmatrix", "[": "bmatrix", "|": "vmatrix", "\\{": "cases"}
# In a row of cases with no '&', a wide space separates the value from its
# condition: ``2x \quad x > 0``.
CASES_SEPARATORS = frozenset({"quad", "qquad"})
PROSE_WORD = re.compile(r"[A-Za-z]{2,}")
LEADING_WORD = re.compile(r"\s*(?:for all|if|for|when|where)\b\s*")

RELATION_COMMANDS = {
    "leq": "\\leq", "le": "\\leq", "leqslant": "\\leq", "geq": "\\geq", "ge": "\\geq",
    "geqslant": "\\geq", "neq": "\\neq", "ne": "\\neq", "approx": "\\approx",
    "Rightarrow": "\\Rightarrow", "implies": "\\implies", "Longrightarrow": "\\implies",
    "lt": "<", "gt": ">",
    "iff": "\\iff", "Longleftrightarrow": "\\iff", "Leftrightarrow": "\\Leftrightarrow",
    "therefore": "\\therefore", "because": "\\because",
}
MUL_COMMANDS = {"cdot": "\\cdot", "times": "\\times", "ast": "*", "cdotp": "\\cdot",
                "odot": "\\odot", "otimes": "\\otimes",
                # \bigodot, \bigotimes: the same products, as posts set them large
                "bigodot": "\\odot", "bigotimes": "\\otimes"}
ELLIPSIS_COMMANDS = frozenset({"cdots", "ldots", "dots", "dotsb", "dotsc", "dotsm"})
# '‖' is the one spelling of a norm's bars: \|, \lVert, \Vert and U+2016.
DELIMITER_ALIASES = {"lvert": "|", "rvert": "|", "vert": "|", "lVert": "‖", "rVert": "‖", "Vert": "‖",
                     "lbrace": "\\{",
                     "rbrace": "\\}", "lbrack": "[", "rbrack": "]"}
SPACING_SYMBOLS = frozenset(",;:! >")

# Characters with a fixed meaning: (kind, value).
SINGLE_CHARACTERS = {
    "+": ("op", "+"), "-": ("op", "-"), "(": ("op", "("), ")": ("op", ")"),
    "[": ("op", "["), "]": ("op", "]"), "{": ("op", "{"), "}": ("op", "}"),
    "^": ("op", "^"), "_": ("op", "_"), ",": ("op", ","), "'": ("op", "'"),
    "|": ("op", "|"), "&": ("op", "&"), "!": ("op", "!"), ":": ("op", ":"),
    ";": ("op", ";"), ".": ("op", "."), "=": ("rel", "="), "*": ("mul", "*"),
    "/": ("div", "/"),
    "\u2013": ("op", "-"), "\u2014": ("op", "-"), "\u2212": ("op", "-"),
    "\u2019": ("op", "'"), "\u2032": ("op", "'"), "`": ("op", "'"), "\u2026": ("ellipsis", "..."),
    "\u00d7": ("mul", "\\times"), "\u00b7": ("mul", "\\cdot"), "\u22c5": ("mul", "\\cdot"),
    "\u2264": ("rel", "\\leq"), "\u2265": ("rel", "\\geq"), "\u2260": ("rel", "\\neq"),
    "\u2248": ("rel", "\\approx"), "\u21d2": ("rel", "\\Rightarrow"),
    "\u21d4": ("rel", "\\Leftrightarrow"), "\u2234": ("rel", "\\therefore"), "\u2235": ("rel", "\\because"),
    "\u2016": ("op", "‖"), "\u2299": ("mul", "\\odot"), "\u2297": ("mul", "\\otimes"),
    "\u2207": ("cmd", "nabla"), "\u27e8": ("cmd", "langle"), "\u27e9": ("cmd", "rangle"),
    "\u221e": ("cmd", "infty"), "\u2202": ("cmd", "partial"),
    "\u03c3": ("cmd", "sigma"), "\u03b1": ("cmd", "alpha"), "\u03b2": ("cmd", "beta"),
    "\u03bb": ("cmd", "lambda"), "\u03c0": ("cmd", "pi"), "\u03b8": ("cmd", "theta"),
}
TWO_CHARACTER_RELATIONS = {"<=": "\\leq", ">=": "\\geq", "!=": "\\neq"}
WHITESPACE = frozenset(" \t\r\n\u00a0~\u200b\u2009\u202f\ufeff")
OPTION = re.compile(r"\s*\[[^\]]*\]")  # ``[t]``, ``[r]``: placement, alignment
ROW_SPACING = re.compile(r"\[\s*-?[\d.]+\s*(?:pt|em|ex|mm|cm|in)\s*\]")
