"""Write derivation files from a post: one file per chain, cut where the
chain goes on from a new left-hand side, where a definition changes, and
after a refuted claim (``_runs``), so that every file replays the verdicts
check gave.

The first step of a file is the chain's first left-hand side; every claim's
right-hand side follows. A refuted claim becomes ``expect = "refuted"`` with
its counterexample in the note. A case condition becomes a ``[[cases]]``
table. Each step's rule is the post's hint when it produces the step, else
the smallest rule set from a fixed list of candidates that does. The
definitions in force become ``[let]``, names applied but never defined
``functions``, and the post's stated sums ``assumptions``. Prose claims
("the gradient is ...") have no LaTeX left side and are not imported.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

from ..errors import SymderiveError
from ..evidence import Proved
from .check import check_post_with_state
from .report import CLAIM

SINGLE_RULES = ("definition", "algebra", "substitution", "identity", "chain", "quotient", "product",
                "power", "exp", "hyperbolic", "constant", "sum", "cases", "kronecker", "log")
FAVOURITE_SETS = (
    ("sum", "exp"), ("chain", "sum"), ("chain", "power"), ("definition", "algebra"),
    ("hyperbolic", "identity"), ("kronecker", "exp"), ("substitution", "sum", "exp"),
    ("kronecker", "exp", "definition", "algebra"), ("quotient", "sum", "exp"),
)


def _candidates(hints: tuple[str, ...]):
    """Rule sets to try, smallest first: the hint, single rules, favourite
    combinations, then every pair."""
    if hints:
        yield hints
    for name in SINGLE_RULES:
        yield (name,)
    yield from FAVOURITE_SETS
    for first, second in combinations(SINGLE_RULES, 2):
        yield (first, second)
    yield SINGLE_RULES  # a large step: everything at once


def _literal(text: str) -> str:
    """A TOML string holding ``text`` exactly: a literal string when possible."""
    text = " ".join(text.split())
    if "'" not in text:
        return f"'{text}'"
    if "'''" not in text:
        return f"'''{text}'''"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _basic(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _rules_for(meaning, previous, step_expr, hints, condition) -> tuple[str, ...]:
    from ..rules import RuleContext, justify

    ctx = RuleContext(meaning, condition)
    for candidate in _candidates(hints):
        try:
            if justify(previous.expr, step_expr, candidate, ctx):
                return candidate
        except Exception:  # a candidate that cannot even be tried does not justify
            continue
    return ("algebra",)


def import_post(text: str, file: str, out: Path, timeout: float = 10.0) -> list[Path]:
    """Write the derivation files of a post's chains; returns their paths."""
    report, state = check_post_with_state(text, file, timeout)
    files = []
    runs = claim_runs(report, state)
    for number, claims in enumerate(runs, start=1):
        files.append(_derivation_text(report, state, claims, number))
    if not files:
        raise SymderiveError(f"{file}: no chain of relations found to import")
    out.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for number, content in enumerate(files, start=1):
        path = out if len(files) == 1 else out.with_name(f"{out.stem}_{number:02d}{out.suffix or '.toml'}")
        from ..render import write_text_atomically

        write_text_atomically(path, content)
        written.append(path)
    return written


def claim_runs(report, state) -> list[list]:
    """The claims written to files, one list per file, in order."""
    chains = [[s for s in c.steps if _importable(s, state)] for c in report.chains]
    return [run for chain in chains if chain for run in _runs(chain, state)]


def _importable(step, state) -> bool:
    """A claim a derivation file can hold: an equation with both sides
    written in its relation (not a prose claim, an approximation, an
    incomplete relation, or a display opening with ``=`` whose left side is
    the chain's last expression: a file's [let] names are functions, so
    ``\\hat{y}(1-\\hat{y})`` there is an application where the post
    multiplies, and such a claim would not replay)."""
    context = state.contexts.get((step.line, step.column))
    return (step.kind == CLAIM and step.relation not in ("is", "\\approx") and not step.approximate
            and context is not None and not context.continued)


def _step_lines(lines: list, table: str, state, claim, previous):
    """Append one step; returns the line the next step is compared with."""
    here = state.contexts[(claim.line, claim.column)]
    if isinstance(claim.evidence, Proved):
        rules = _rules_for(here.meaning, previous, here.rhs.expr, claim.rule_hint, here.condition)
    else:
        rules = claim.rule_hint or ("algebra",)
    lines += [table, f"latex = {_literal(claim.rhs)}", "rule = [" + ", ".join(_basic(r) for r in rules) + "]"]
    if claim.verdict == "refuted":
        c = claim.evidence
        point = ", ".join(f"{k} = {v}" for k, v in c.point)
        lines += ['expect = "refuted"',
                  f"note = {_basic(f'refuted by symderive check: at {point}, {c.lhs_value} against {c.rhs_value}')}"]
    lines.append("")
    return previous if claim.verdict == "refuted" else here.rhs


def _runs(claims: list, state) -> list[list]:
    """The claims of a chain cut where a claim's left side is none of the
    lines before it in the chain (a post may go on from |x| = sqrt(x^2) to
    dy/dx = f'(x) in one display), where a definition changed in between
    (f'(x) again, after f was redefined as |x|), and after a refuted claim.
    A file compares each step with the last line it accepted, under one set
    of definitions; check relates each claim to its own left side, which
    after a mistake is the wrong line itself (a = b wrong, then b = c
    right), so the next file starts from that left side."""
    runs: list[list] = []
    seen: set[str] = set()
    definitions = None
    for claim in claims:
        in_force = state.contexts[(claim.line, claim.column)].lets.in_force
        if (not runs or _spaced(claim.lhs) not in seen or in_force != definitions
                or runs[-1][-1].verdict == "refuted"):
            runs.append([])
            seen = set()
        runs[-1].append(claim)
        seen |= {_spaced(claim.lhs), _spaced(claim.rhs)}
        definitions = in_force
    return runs


def _spaced(latex: str) -> str:
    return " ".join(latex.split())


def _undefined_functions(context) -> list[str]:
    """The names the post applies as functions (s(x), u'(x)) that nothing
    defines where the chain stands: declared as such, so that the file reads
    them as the post did."""
    from ..catalog import function_names
    from ..derivation import NAME

    defined = {name for name, _ in context.lets} | set(function_names())  # a file knows the catalog
    meaning = context.meaning
    return sorted(name for name, function in meaning.scope.functions.items()
                  if function not in meaning.functions and name not in defined and NAME.fullmatch(name))


def _derivation_text(report, state, claims, number) -> str:
    first = claims[0]
    context = state.contexts[(first.line, first.column)]
    lines = [f"title = {_basic(f'{Path(report.file).name}, chain {number}: {first.lhs}')}",
             f"source = {_basic(f'{report.file}:{first.line} (imported by symderive import)')}",
             f"variable = {_basic(str(context.variable))}"]
    if context.indexed:
        lines.append("indexed = [" + ", ".join(_basic(n) for n in context.indexed) + "]")
        lines.append("indices = [" + ", ".join(_basic(n) for n in context.indices) + "]")
    undefined = _undefined_functions(context)
    if undefined:
        lines.append("functions = [" + ", ".join(_basic(n) for n in undefined) + "]")
    if state.assumption_texts:  # the post states them once, for all its claims
        lines.append("assumptions = [" + ", ".join(_literal(t) for t in state.assumption_texts) + "]")
    lines.append("")
    if context.lets:
        lines.append("[let]")
        lines += [f"{key} = {_literal(value)}" for key, value in context.lets]
        lines.append("")
    lines += ["[[steps]]", f"latex = {_literal(first.lhs)}", ""]
    previous = context.lhs
    plain = [c for c in claims if not c.condition]
    conditions = list(dict.fromkeys(c.condition for c in claims if c.condition))
    for claim in plain:
        previous = _step_lines(lines, "[[steps]]", state, claim, previous)
    for condition in conditions:
        lines += ["[[cases]]", f"condition = {_literal(condition)}", ""]
        case_previous = previous
        for claim in (c for c in claims if c.condition == condition):
            case_previous = _step_lines(lines, "[[cases.steps]]", state, claim, case_previous)
    return "\n".join(lines).rstrip() + "\n"
