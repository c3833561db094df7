"""Write derivation files from a post: one file per run of claims that a
file replays as check gave them (``_runs``).

The first step of a file is the run's first left-hand side; every claim's
right-hand side follows. A refuted claim becomes ``expect = "refuted"`` with
its counterexample in the note. A case condition becomes a ``[[cases]]``
table. Each step's rule is the post's hint when it produces the step, else
a small rule set found by ``import_rules.rules_for``. The definitions in force become
``[let]``, names applied but never defined ``functions``, and the post's
stated sums ``assumptions``.

The claims come with check's verdicts: nothing is proved again here. A
claim a file cannot hold as check read it is left out, with the reason, so
that the user sees what the files do not cover (``LeftOut``).
"""

from __future__ import annotations

import re

from dataclasses import dataclass
from pathlib import Path

import sympy
from sympy.core.function import AppliedUndef

from ..catalog import function_names
from ..derivation import NAME, toml_string
from ..errors import SymderiveError
from ..evidence import Proved, Refuted
from ..files import write_text_atomically
from ..runner import Task, forking, in_worker, run_tasks, shared
from ..latex.upper_indices import written_up_in
from .check import check_post_with_state
from .context import reading_doubt, scalar_against_matrix, unindexed_sum
from .reading import DEFAULT_TIMEOUT
from .report import CLAIM
from .import_rules import rules_for
from .undefined import EVERY_LOSS, LINEAR_INSTANCE

@dataclass(frozen=True)
class LeftOut:
    """A claim of the post that no file holds, and why."""

    line: int
    column: int
    text: str
    reason: str


@dataclass(frozen=True)
class ImportPlan:
    """The text of each derivation file, and the claims left out."""

    file: str
    files: tuple[str, ...]
    left_out: tuple[LeftOut, ...]


# -- which claims a file can hold -------------------------------------------------

def _names_used(meaning, exprs) -> set[str]:
    """The names an expression uses, through the definitions they have."""
    seen: set = set()
    todo = [e for e in exprs if isinstance(e, sympy.Basic)]
    while todo:
        expr = todo.pop()
        names = (set(expr.free_symbols) | {f.func for f in expr.atoms(AppliedUndef)}
                 | {i.base for i in expr.atoms(sympy.Indexed)})
        for name in names - seen:
            seen.add(name)
            for table in (meaning.functions, meaning.indexed):
                entry = table.get(name)
                if isinstance(entry, tuple) and isinstance(entry[1], sympy.Basic):
                    todo.append(entry[1])
    return {str(name) for name in seen}


def _unnameable(context) -> list[str]:
    """Definitions and undefined functions the post has that a file cannot
    name (a [let] key or function is a plain name such as z_k, not \\hat{x}_i; x_bar beside an indexed x
    would define x's entries)."""
    keys = [key for key, _ in context.lets if not NAME.fullmatch(key) or _entry_key_of_another(key, context)]
    return keys + [name for name in _applied_undefined(context) if not NAME.fullmatch(name)]


def _entry_key_of_another(key: str, context) -> bool:
    base, _, rest = key.partition("_")
    return base in map(str, context.indexed) and not all(c.isdigit() or c in context.indices for c in rest)


def _arity(meaning, function) -> int | None:
    """How many arguments the post's definition of ``function`` takes (None: no definition)."""
    value = dict.get(meaning.functions, function)
    if not isinstance(value, tuple) or value[0] is None:
        return None
    return len(value[0]) if isinstance(value[0], tuple) else 1


def _defined_not_in_lets(context) -> list[str]:
    """Functions the post defines that a file's [let] cannot hold: of several
    names (J(w, b)) or of another function (g(h) = ln h); a let is a
    function of the file's one variable."""
    lets, catalog = {key for key, _ in context.lets}, set(function_names())
    found = []
    for function, value in dict.items(context.meaning.functions):
        name = str(function)
        if name in lets or name in catalog or not isinstance(value, tuple) or value[0] is None:
            continue
        if isinstance(value[0], tuple) or value[0] != context.meaning.variable:
            found.append(name)
    return found


def _uses(key: str, used: set[str]) -> bool:
    return any(key == name or key.startswith(name + "_") for name in used)


_NEWTON_DOT = re.compile(r"\\dot\s*\{[^{}]*\}\s*\(")  # \dot{FL}(p): FL'(p) times p's dot (latex/newton_dot.py)


def _left_out_reason(step, state) -> str | None:
    """Why a claim cannot be written to a file, or None when it can."""
    if step.relation == "is":
        return "a claim made in prose has no left side to write"
    if step.relation == "\\approx" or step.approximate:
        return "an approximation is not a step of a derivation file"
    context = state.contexts.get((step.line, step.column))
    if context is None:
        return "a side of this relation cannot be written as an expression"
    both = sorted({str(v) for side in (context.lhs.expr, context.rhs.expr) if isinstance(side, sympy.Basic)
                   for d in side.atoms(sympy.Derivative) for v, _ in d.variable_count if str(v) in context.indexed
                   and isinstance(v, sympy.Symbol)})
    if both:
        return f"differentiates in {both[0]}, which the post also writes with indices: a file names it one way only"
    mismatched = sorted({str(a.func) for side in (context.lhs.expr, context.rhs.expr) if isinstance(side, sympy.Basic)
                         for a in side.atoms(AppliedUndef) if _arity(context.meaning, a.func) not in (None, len(a.args))})
    if mismatched:
        return f"writes {mismatched[0]} with another number of arguments than its definition has"
    doubt = reading_doubt(step.evidence)
    if doubt is not None:
        return doubt
    if any(method in getattr(step.evidence, "method", "") for method in (LINEAR_INSTANCE, EVERY_LOSS)):
        return "decided for a linear instance of a loss the post leaves undefined, which a file does not try"
    undecided = [name for name in _names_used(context.meaning, (context.lhs.expr, context.rhs.expr))
                 if name in set(function_names()) and sympy.Function(name) not in context.meaning.functions]
    if undecided:
        return f"uses '{undecided[0]}', whose meaning the post leaves in doubt (a file would read the catalog's)"
    if scalar_against_matrix(context.lhs.expr, context.rhs.expr):
        return "one side is a matrix and the other is written as a scalar: a file would refute it by its shape"
    if any(_NEWTON_DOT.search(side) for side in (step.lhs, step.rhs)):
        return "writes Newton's dot over a function, read through the dot of its argument in the post's display"
    if any(map(unindexed_sum, (step.lhs, step.rhs))):
        return "writes a \\sum without its index, which the post's reading tells but a file's does not"
    if any(map(written_up_in, (step.lhs, step.rhs))):
        return ("writes indices up (A^{ij}, tensor notation), whose entries and sums the post's display "
                "tells but a file's [let] names do not")
    if context.continued:
        return ("the display opens with its relation: its left side is the chain's last line, which a file "
                "would read with its [let] names as functions")
    used = _names_used(context.meaning, (context.lhs.expr, context.rhs.expr))
    hidden = [key for key in _unnameable(context) if _uses(key, used)]
    if hidden:
        return f"uses '{hidden[0]}', which a derivation file cannot name"
    unwritten = [name for name in _defined_not_in_lets(context) if name in used]
    if unwritten:
        return f"uses '{unwritten[0]}', defined as a function of another name than the variable, which a file cannot hold"
    declared = set(_applied_undefined(context))  # written applied, s(x): a file lists them as functions
    varying = sorted({name for side in (context.lhs.expr, context.rhs.expr)
                      for name in context.meaning.undefined_derivatives(context.meaning.evaluate(side))} - declared)
    if varying:
        return (f"check takes {', '.join(varying)} to vary without a definition saying how; in a derivation "
                "file the variable and the vectors are independent of each other")
    return None


def claim_runs(report, state, omitted: tuple | None = None) -> list[list]:
    """The claims written to files, one list per file, in order: every
    claim but those ``left_out`` gives (passed in when already found)."""
    if omitted is None:
        omitted = left_out(report, state)
    skip = {(o.line, o.column) for o in omitted}
    chains = [[s for s in c.steps if s.kind == CLAIM and (s.line, s.column) not in skip]
              for c in report.chains]
    return [run for chain in chains if chain for run in _runs(chain, state)]


def left_out(report, state) -> tuple[LeftOut, ...]:
    """The claims no file holds, each with its reason."""
    found = []
    for step in report.claims():
        reason = _left_out_reason(step, state)
        if reason is not None:
            found.append(LeftOut(step.line, step.column, f"{step.lhs} {step.relation} {step.rhs}", reason))
    return tuple(found)


def _runs(claims: list, state) -> list[list]:
    """The claims of a chain, cut wherever a file would not replay them.
    Check proves each claim's right side against its own left side; a file
    proves each step against the line before it. A claim goes on in the run
    when its left side is the run's last line (of its case, or of the plain
    steps before the cases), or when it restates an earlier line of the run
    (``f'(x) = A``, then ``f'(x) = B``), every claim of the run so far is
    proved and this one is proved or refuted: the run's lines are then all
    equal, so A = B holds exactly when f'(x) = B does. It never goes on
    under other definitions, after a refuted claim (the file goes on from
    the line before it), or with a plain claim after a case (a file writes
    its cases last)."""
    runs: list[list] = []
    last: dict = {}
    seen: dict = {}
    definitions = None
    for claim in claims:
        in_force = state.contexts[(claim.line, claim.column)].lets.in_force
        branch = claim.condition if claim.condition in seen else None
        lhs = _spaced(claim.lhs)
        restates = (lhs in seen.get(branch, ()) and isinstance(claim.evidence, (Proved, Refuted))
                    and all(isinstance(c.evidence, Proved) for c in (runs[-1] if runs else ())))
        goes_on = (runs and (lhs == last.get(branch) or restates) and in_force == definitions
                   and not isinstance(runs[-1][-1].evidence, Refuted)
                   and (claim.condition is not None or all(c.condition is None for c in runs[-1])))
        if not goes_on:
            runs.append([])
            last, seen = {None: lhs}, {None: {lhs}}
        if claim.condition not in seen:
            seen[claim.condition], last[claim.condition] = set(seen[None]), last[None]
        runs[-1].append(claim)
        last[claim.condition] = _spaced(claim.rhs)
        seen[claim.condition].add(_spaced(claim.rhs))
        definitions = in_force
    return runs


def _spaced(latex: str) -> str:
    return " ".join(latex.split())


# -- writing the files ------------------------------------------------------------

def _literal(text: str) -> str:
    """A TOML string holding ``text`` exactly: a literal string when possible."""
    text = " ".join(text.split())
    if "'" not in text:
        return f"'{text}'"
    if "'''" not in text:
        return f"'''{text}'''"
    return toml_string(text)


def _applied_undefined(context) -> list[str]:
    """The names the post applies as functions (s(x), u'(x)) that nothing
    defines where the chain stands."""
    defined = {name for name, _ in context.lets} | set(function_names())  # a file knows the catalog
    meaning = context.meaning
    return sorted(name for name, function in meaning.scope.functions.items()
                  if function not in meaning.functions and name not in defined)


def _header(report, state, context, first, number) -> list[str]:
    lines = [f"title = {toml_string(f'{Path(report.file).name}, chain {number}: {first.lhs}')}",
             f"source = {toml_string(f'{report.file}:{first.line} (imported by symderive import)')}",
             f"variable = {toml_string(str(context.variable))}"]
    if context.indexed:
        lines.append("indexed = [" + ", ".join(toml_string(n) for n in context.indexed) + "]")
        lines.append("indices = [" + ", ".join(toml_string(n) for n in context.indices) + "]")
    undefined = [name for name in _applied_undefined(context) if NAME.fullmatch(name)]
    if undefined:  # declared, so that the file reads them as the post did
        lines.append("functions = [" + ", ".join(toml_string(n) for n in undefined) + "]")
    if state.assumption_texts:  # the post states them once, for all its claims
        lines.append("assumptions = [" + ", ".join(_literal(t) for t in state.assumption_texts) + "]")
    lines.append("")
    lets = [(key, value) for key, value in context.lets  # the rest is unused here (see _unnameable)
            if NAME.fullmatch(key) and not _entry_key_of_another(key, context)]
    if lets:
        lines += ["[let]", *(f"{key} = {_literal(value)}" for key, value in lets), ""]
    return lines


def _steps_of(run: list, state) -> list[tuple]:
    """(table, claim, the part it follows) for each claim of a run, in the
    order a file holds them: plain steps, then each case's."""
    first = state.contexts[(run[0].line, run[0].column)]
    ordered, previous = [], first.lhs
    for claim in (c for c in run if not c.condition):
        ordered.append(("[[steps]]", claim, previous))
        previous = state.contexts[(claim.line, claim.column)].rhs
    for condition in dict.fromkeys(c.condition for c in run if c.condition):
        ordered.append(("[[cases]]", condition, None))
        case_previous = previous
        for claim in (c for c in run if c.condition == condition):
            ordered.append(("[[cases.steps]]", claim, case_previous))
            case_previous = state.contexts[(claim.line, claim.column)].rhs
    return ordered


def _step_text(table: str, claim, rules: tuple[str, ...]) -> list[str]:
    lines = [table, f"latex = {_literal(claim.rhs)}", "rule = [" + ", ".join(toml_string(r) for r in rules) + "]"]
    if isinstance(claim.evidence, Refuted):
        c = claim.evidence
        point = ", ".join(f"{k} = {v}" for k, v in c.point)
        lines += ['expect = "refuted"',
                  f"note = {toml_string(f'refuted by symderive check: at {point}, {c.lhs_value} against {c.rhs_value}')}"]
    return lines + [""]


def _rule_tasks(runs: list, state, timeout: float) -> list[Task]:
    """One rule search per proved step, each under the time limit."""
    tasks = []
    for run in runs:
        for table, claim, previous in _steps_of(run, state):
            if table != "[[cases]]" and isinstance(claim.evidence, Proved):
                here = state.contexts[(claim.line, claim.column)]
                tasks.append(Task(rules_for, (here.meaning, previous.expr, here.rhs.expr, claim.rule_hint,
                                               here.condition), timeout))
    return tasks


def _derivation_text(report, state, run, number, rules) -> str:
    first = run[0]
    context = state.contexts[(first.line, first.column)]
    lines = _header(report, state, context, first, number) + ["[[steps]]", f"latex = {_literal(first.lhs)}", ""]
    for table, claim, _ in _steps_of(run, state):
        if table == "[[cases]]":
            lines += ["[[cases]]", f"condition = {_literal(claim)}", ""]
            continue
        found = next(rules) if isinstance(claim.evidence, Proved) else None
        lines += _step_text(table, claim, found or claim.rule_hint or ("algebra",))
    return "\n".join(lines).rstrip() + "\n"


def plan_import(text: str, file: str = "<post>", timeout: float = DEFAULT_TIMEOUT) -> ImportPlan:
    """The derivation files of a post's runs of claims, with check's verdicts."""
    report, state = check_post_with_state(text, file, timeout)
    omitted = left_out(report, state)  # each claim's reason found once: it may evaluate both sides
    runs = claim_runs(report, state, omitted)
    outcomes = run_tasks(_rule_tasks(runs, state, timeout))
    rules = iter([o.value if o.status == "ok" else None for o in outcomes])  # past the limit: the hint
    files = tuple(_derivation_text(report, state, run, number, rules) for number, run in enumerate(runs, start=1))
    return ImportPlan(file, files, omitted)


def plan_import_supervised(text: str, file: str = "<post>", timeout: float = DEFAULT_TIMEOUT) -> ImportPlan:
    """plan_import in this process's persistent prover worker, as check runs."""
    if in_worker() or not forking():
        return plan_import(text, file, timeout)
    return shared().call(plan_import, (text, file, timeout), idle_limit=max(60.0, 3 * timeout))


def write_plan(plan: ImportPlan, out: Path) -> list[Path]:
    """Write a plan's files: ``out`` itself for one, else out_01, out_02, ..."""
    if not plan.files:
        raise SymderiveError(f"{plan.file}: no chain of relations found to import")
    out.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for number, content in enumerate(plan.files, start=1):
        path = out if len(plan.files) == 1 else out.with_name(f"{out.stem}_{number:02d}{out.suffix or '.toml'}")
        write_text_atomically(path, content)
        written.append(path)
    return written


def import_post(text: str, file: str, out: Path, timeout: float = DEFAULT_TIMEOUT) -> list[Path]:
    """Write the derivation files of a post's chains; returns their paths."""
    return write_plan(plan_import(text, file, timeout), out)
