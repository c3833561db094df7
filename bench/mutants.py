"""Mutation harness: mutate every correct step of the library (derivations/)
and of the import corpus (tests/corpus/*.md through `symderive import`) in
the ways authors go wrong, prove each mutant against the line before it,
and count.

Mutations (each applied at every place it fits, one mutant per place):
sign flip, changed exponent, changed coefficient, swapped numerator and
denominator, dropped term, duplicated term, wrong function (sinh for cosh,
sin for cos, tanh for sinh, e^{-u} for e^{u}), off-by-one index (z_k for
z_{k+1}).

A mutant the independent numeric oracle (tests/oracles.py: SymPy
evaluation at random points, no symderive prover code) finds equal to the
original is counted as equivalent and left out. A mutant that names a
function nothing defines (swapping dS_i/dz_k gives dz_k/dS_i, the inverse
of softmax) has no value at a point, as a target line with an undefined
function has none: no oracle can say it is wrong, so it is left out of the
share too, counted as "no value", and it must not be proved either. Every other mutant must be
refuted with a counterexample (killed); "unknown" is counted with its
reason; "proved" means a wrong step survived.

Usage: python bench/mutants.py [--library-only] [--files GLOB] [--limit N] [-v]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


# -- mutations of a step's LaTeX -------------------------------------------------

def _depth_changes(latex: str, position: int) -> tuple[int, int]:
    """(depth change, characters consumed) of the token at ``position``."""
    for token, change in (("\\begin", 1), ("\\end", -1), ("\\left", 1), ("\\right", -1)):
        if latex.startswith(token, position):
            return change, len(token)
    char = latex[position]
    return (1 if char in "{(" else -1 if char in "})" else 0), 1


def top_level_cuts(latex: str) -> list[int]:
    """Positions of + and - outside every group: where terms start."""
    depth, cuts, position = 0, [], 0
    while position < len(latex):
        change, width = _depth_changes(latex, position)
        char = latex[position]
        inside_bars = latex[:position].count("|") % 2 == 1  # |a - b|: the bars group too
        if change == 0 and char in "+-–" and depth == 0 and not inside_bars and latex[:position].strip():
            previous = latex[:position].rstrip()
            if previous[-1] not in "{(^_=&":
                cuts.append(position)
        depth += change
        position += width
    return cuts


def _group_end(latex: str, start: int) -> int | None:
    """Index after the brace group opening at ``start``."""
    if start >= len(latex) or latex[start] != "{":
        return None
    depth = 0
    for position in range(start, len(latex)):
        depth += {"{": 1, "}": -1}.get(latex[position], 0)
        if depth == 0:
            return position + 1
    return None


def sign_flip(latex):
    yield f"-\\left({latex}\\right)"


def changed_exponent(latex):
    for match in re.finditer(r"\^(\{[^{}]*\}|[0-9A-Za-z])", latex):
        target = match.group(1).strip("{}")
        yield latex[:match.start()] + "^{(" + target + ") + 1}" + latex[match.end():]


def changed_coefficient(latex):
    yield f"2 \\left({latex}\\right)"
    for match in re.finditer(r"(?<![_^{\\A-Za-z])([0-9]+)(?![0-9]*\})", latex):
        yield latex[:match.start()] + str(int(match.group(1)) + 1) + latex[match.end():]


def swapped_fraction(latex):
    for match in re.finditer(r"\\frac(?=\{)", latex):
        numerator_end = _group_end(latex, match.end())
        denominator_end = _group_end(latex, numerator_end) if numerator_end else None
        if not denominator_end:
            continue
        numerator = latex[match.end():numerator_end]
        denominator = latex[numerator_end:denominator_end]
        if numerator != denominator:
            yield latex[:match.end()] + denominator + numerator + latex[denominator_end:]


def dropped_term(latex):
    cuts = top_level_cuts(latex)
    if not cuts:
        yield f"{latex} + 1"
        return
    bounds = [0] + cuts + [len(latex)]
    for number in range(len(bounds) - 1):
        kept = latex[:bounds[number]] + latex[bounds[number + 1]:]
        if kept.strip() and kept.strip()[0] not in "+-–":
            yield kept.strip()


def duplicated_term(latex):
    cuts = top_level_cuts(latex)
    if cuts:
        yield latex + " " + latex[cuts[-1]:].strip()


_WRONG_FUNCTIONS = ((r"\cosh", r"\sinh"), (r"\sinh", r"\cosh"), (r"\tanh", r"\sinh"),
                    (r"\cos", r"\sin"), (r"\sin", r"\cos"), ("e^{-", "e^{"))


def wrong_function(latex):
    for old, new in _WRONG_FUNCTIONS:
        pattern = re.escape(old) + (r"(?![A-Za-z])" if old[-1].isalpha() else "")
        for match in re.finditer(pattern, latex):
            yield latex[:match.start()] + new + latex[match.end():]


def off_by_one_index(latex):
    for match in re.finditer(r"\b([zSxpy])_(?:\{([ijk])\}|([ijk]))", latex):
        index = match.group(2) or match.group(3)
        yield latex[:match.start()] + f"{match.group(1)}_{{{index}+1}}" + latex[match.end():]


MUTATIONS = {
    "sign flip": sign_flip, "changed exponent": changed_exponent, "changed coefficient": changed_coefficient,
    "swapped fraction": swapped_fraction, "dropped term": dropped_term, "duplicated term": duplicated_term,
    "wrong function": wrong_function, "off-by-one index": off_by_one_index,
}


# -- the steps to mutate -----------------------------------------------------------

@dataclass(frozen=True)
class Target:
    """A correct step, the line it is proved against and its region."""

    file: str
    line: int
    latex: str
    previous: object  # the evaluated line before it (or the activation's derivative)
    condition: object
    meaning: object


def targets(path: Path) -> list[Target]:
    import sympy
    from sympy.core.function import AppliedUndef

    from symderive.derivation import Located, load
    from symderive.engine import _expected_derivative
    from symderive.derivation_meaning import meaning_of, parse_condition

    derivation = load(path)
    meaning = meaning_of(derivation)
    expected = _expected_derivative(derivation, meaning)
    found = []

    def walk(steps, last, condition):
        for step in steps:
            expr = meaning.evaluate(meaning.parse(Located(step.latex, step.origin)))
            against = last if last is not None else expected
            # a line holding an undefined function (a post's s(x) that nothing
            # defines) has no value at a point: no oracle can judge its mutants
            decidable = against is not None and not (against.atoms(AppliedUndef) or expr.atoms(AppliedUndef))
            if step.expect != "refuted" and decidable:
                found.append(Target(str(path), step.origin.line, step.latex, against, condition, meaning))
            if step.expect != "refuted":
                last = expr
        return last

    top = walk(derivation.steps, None, sympy.true)
    for case in derivation.cases:
        walk(case.steps, top, parse_condition(case.condition, meaning))
    return found


def corpus_files(folder: Path) -> list[Path]:
    """The corpus posts imported as derivation files (symderive import)."""
    from symderive.errors import SymderiveError
    from symderive.post.importer import import_post

    written = []
    for post in sorted((ROOT / "tests" / "corpus").glob("*.md")):
        try:
            written += import_post(post.read_text(encoding="utf-8"), str(post), folder / f"{post.stem}.toml")
        except SymderiveError:
            continue
    return written


# -- proving the mutants -------------------------------------------------------------

def judge(target: Target, mutant: str):
    """("equivalent" | "killed" | "unknown" | "no value" | "proved" | "unreadable", detail)."""
    import sympy
    from sympy.core.function import AppliedUndef

    from oracles import numerically_equal, restrict
    from symderive.derivation import Located
    from symderive.errors import Origin, SymderiveError
    from symderive.evidence import Proved, Refuted
    from symderive.prover import ProofContext, prove_equal

    try:
        value = target.meaning.evaluate(target.meaning.parse(Located(mutant, Origin(target.file, target.line, 1))))
    except (SymderiveError, RecursionError, ValueError, TypeError):
        return "unreadable", ""
    condition = None if target.condition is sympy.true else target.condition
    try:
        a, b = restrict(target.previous, condition), restrict(value, condition)
        matrices = (sympy.MatrixExpr, sympy.MatrixBase)  # hasattr(.., "shape") raises on an Indexed p[i]
        if not (isinstance(a, matrices) or isinstance(b, matrices)) and numerically_equal(a, b):
            return "equivalent", ""
    except (TypeError, ValueError, ZeroDivisionError, AttributeError):
        pass  # the oracle cannot evaluate it: the prover decides
    verdict = prove_equal(target.previous, value, ProofContext(target.condition, 5.0))
    if isinstance(verdict, Proved):
        return "proved", verdict.method
    if value.atoms(AppliedUndef):
        # the mutant names a function nothing defines (dz_k/dS_i, the inverse
        # of softmax): no value at a point, so no oracle can say it is wrong
        return "no value", verdict.__class__.__name__
    if isinstance(verdict, Refuted):
        return ("killed", "") if verdict.lhs_value != verdict.rhs_value or verdict.point else ("unknown", "no values")
    if isinstance(verdict, Proved):
        return "proved", verdict.method
    return "unknown", verdict.reason


def run(library_only: bool = False, limit: int | None = None, verbose: bool = False,
        pattern: str = "*.toml") -> Counter:
    # in-process: the only costly strategy, simplify, runs in a child killed at its limit
    paths = sorted((ROOT / "derivations").glob(pattern))
    with tempfile.TemporaryDirectory() as folder:
        if not library_only:
            paths += corpus_files(Path(folder))
        counts: Counter = Counter()
        reasons: Counter = Counter()
        from symderive.errors import SymderiveError

        for path in paths:
            try:
                found = targets(path)
            except SymderiveError as error:
                counts["files that do not load"] += 1
                if verbose:
                    print(f"  skipped: {error}")
                continue
            counts["files"] += 1
            for target in found:
                for name, mutate in MUTATIONS.items():
                    for mutant in dict.fromkeys(mutate(target.latex)):
                        if mutant == target.latex:
                            continue
                        outcome, detail = judge(target, mutant)
                        counts[outcome] += 1
                        counts[f"{outcome} / {name}"] += 1
                        if outcome == "unknown":
                            reasons[detail[:60]] += 1
                        if outcome == "proved" or (verbose and outcome == "unknown"):
                            print(f"  {outcome}: {target.file}:{target.line} {name}: {mutant} ({detail})")
                        if limit and counts["killed"] + counts["unknown"] + counts["proved"] >= limit:
                            return counts + Counter({f"reason: {r}": n for r, n in reasons.items()})
    return counts + Counter({f"reason: {r}": n for r, n in reasons.items()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--library-only", action="store_true", help="derivations/ only, not the import corpus")
    parser.add_argument("--limit", type=int, help="stop after this many non-equivalent mutants")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every unknown mutant")
    parser.add_argument("--files", default="*.toml", metavar="GLOB",
                        help="the derivation files to mutate, as a pattern in derivations/ (with "
                             "--library-only: 'loss_*.toml' mutates the loss derivations alone)")
    args = parser.parse_args()
    counts = run(args.library_only, args.limit, args.verbose, args.files)
    judged = counts["killed"] + counts["unknown"] + counts["proved"]
    print(f"files: {counts['files']} ({counts['files that do not load']} imported files did not load)")
    print(f"mutants: {judged + counts['equivalent']} ({counts['unreadable']} more were not valid LaTeX)")
    print(f"equivalent (oracle): {counts['equivalent']}")
    print(f"no value (a function nothing defines, as an inverse derivative; none proved): {counts['no value']}")
    print(f"non-equivalent: {judged}: killed with a counterexample {counts['killed']} "
          f"({100 * counts['killed'] / max(judged, 1):.2f}%), unknown {counts['unknown']}, "
          f"survived as proved {counts['proved']}")
    for key in sorted(k for k in counts if " / " in k or k.startswith("reason:")):
        print(f"  {key}: {counts[key]}")


if __name__ == "__main__":
    main()
