"""How many display equations of the seed posts each LaTeX front end reads.

Candidates: symderive's own parser, SymPy's parse_latex (Lark backend, needs
`lark`; ANTLR backend, needs antlr4-python3-runtime 4.11), and
latex2sympy2_extended. A candidate that is not installed is reported as
such. "read" means: returned without an exception; for symderive it also
means every relation chain came back as expressions. This is the
measurement behind the choice of front end (README, Design).

    python bench/parser_coverage.py
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "posts"
sys.path.insert(0, str(ROOT))


def seed_displays() -> list[str]:
    displays = []
    for seed in sorted(SEEDS.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        displays += re.findall(r"\\\[(.*?)\\\]", text, flags=re.S)
        displays += re.findall(r"\$\$(.*?)\$\$", text, flags=re.S)
    return [d.strip() for d in displays]


def ours():
    import sympy

    from symderive.latex import parse_display
    from symderive.latex.scope import Scope

    x, z = sympy.Symbol("x", real=True), sympy.Symbol("z", real=True)
    names = ["sigma", "u", "v", "f", "g", "g_linear", "g_logistic", "g_tanh", "Softmax"]
    scope = Scope(variables={"x": x, "z": z}, default_variable=x,
                  functions={n: sympy.Function(n) for n in names},
                  indexed={"z": sympy.IndexedBase("z"), "S": sympy.IndexedBase("S")},
                  indices={n: sympy.Symbol(n, integer=True, positive=True) for n in "ijkn"},
                  dimensions={"D": sympy.Symbol("D", integer=True, positive=True)})
    return lambda text: parse_display(text, scope)


def sympy_lark():
    import lark  # noqa: F401  (the backend needs it)
    from sympy.parsing.latex import parse_latex

    return lambda text: parse_latex(text, backend="lark")


def sympy_antlr():
    from sympy.parsing.latex import parse_latex

    return lambda text: parse_latex(text, backend="antlr")


def latex2sympy2():
    from latex2sympy2_extended import latex2sympy

    return latex2sympy


CANDIDATES = {"symderive": ours, "sympy parse_latex (lark)": sympy_lark,
              "sympy parse_latex (antlr)": sympy_antlr, "latex2sympy2_extended": latex2sympy2}


def main() -> None:
    displays = seed_displays()
    print(f"{len(displays)} display equations in {SEEDS}")
    for name, make in CANDIDATES.items():
        try:
            parse = make()
        except Exception as error:  # a missing optional package: report and go on
            print(f"{name:<28} not available ({type(error).__name__}: {error})")
            continue
        read, started = 0, time.perf_counter()
        for text in displays:
            try:
                parse(text)
                read += 1
            except Exception:
                pass
        elapsed = time.perf_counter() - started
        print(f"{name:<28} {read}/{len(displays)} read ({read / len(displays):.0%}), {elapsed:.2f} s")


if __name__ == "__main__":
    main()
