"""The corpus of real posts (tests/corpus): the truth of every relation a
reader sees, and an independent oracle that confirms it (bench/corpus.py
scores symderive's report against these truths).

Each ``NN_slug.expected.toml`` lists, per math display, the truth of each
relation and an oracle pair ``[lhs, rhs]`` written by hand in SymPy syntax.
The pairs are our own data: they are evaluated here, in the tests and the
bench only, with a namespace of SymPy functions, the declared symbols and
the file's ``[oracle.let]`` names (never in symderive/, which reads no
string as Python). A proved pair must agree at >= MIN_POINTS random points
(mpmath, DIGITS digits, every sign region of up to six symbols); a refuted pair
must differ somewhere by far more than the working precision.
"""

from __future__ import annotations

import random
import re
import signal
import tomllib
import zlib
from dataclasses import dataclass
from pathlib import Path

import mpmath
import sympy
from sympy.parsing.sympy_parser import auto_number, parse_expr, rationalize

CORPUS = Path(__file__).resolve().parent / "corpus"
README = CORPUS / "README.md"

TRUTHS = ("proved", "refuted", "approximate", "definition", "condition", "implication", "incomplete", "skip")
CHECKED = ("proved", "refuted")  # truths the oracle confirms
SCORED = ("proved", "refuted", "approximate", "incomplete")  # truths the tool owes a verdict on

DIGITS = 50
MIN_POINTS = 20
MAX_ATTEMPTS = 400
AGREE = mpmath.mpf(10) ** (20 - DIGITS)  # relative difference still within rounding of 50 digits
DIFFER = mpmath.mpf(10) ** -8  # a difference no rounding at 50 digits can make
SIMPLIFY_SECONDS = 3.0


# -- expected files ----------------------------------------------------------------


@dataclass(frozen=True)
class Relation:
    """One relation a reader sees: where it is, its truth, its derivation."""

    post: str
    line: int
    position: int
    truth: str
    chain: int
    pair: tuple[str, str] | None
    text: str

    @property
    def where(self) -> str:
        return f"{self.post}:{self.line}#{self.position}"


@dataclass(frozen=True)
class Expected:
    post: Path
    symbols: tuple[str, ...]
    positive: tuple[str, ...]
    unit: tuple[str, ...]
    lets: tuple[tuple[str, str], ...]
    relations: tuple[Relation, ...]
    problems: tuple[str, ...]  # what makes the file malformed
    functions: tuple[str, ...] = ()  # abstract functions, replaced by random concrete ones


def posts() -> list[Path]:
    return sorted(p for p in CORPUS.glob("[0-9]*.md"))


def expected_path(post: Path) -> Path:
    return post.with_name(f"{post.stem}.expected.toml")


def _pair(entry) -> tuple[str, str] | None:
    if isinstance(entry, (list, tuple)) and len(entry) == 2 and all(isinstance(s, str) and s.strip() for s in entry):
        return (entry[0], entry[1])
    return None


def _entries_by_relation(truths: list, oracle: list) -> list:
    """One oracle entry per relation; a list holding only the pairs of the
    proved and refuted relations, in order, is spread over them."""
    if len(oracle) == len(truths):
        return oracle
    pairs = iter(oracle)
    return [next(pairs, None) if truth in CHECKED else [] for truth in truths]


def _display_problems(name: str, display: dict, post_lines: list[str]) -> list[str]:
    where = f"{name}:{display.get('line')}"
    truths = display.get("relations")
    if not isinstance(display.get("line"), int) or not isinstance(truths, list):
        return [f"{where}: a display needs an integer 'line' and a list 'relations'"]
    problems = [f"{where}: unknown truth {t!r}" for t in truths if t not in TRUTHS]
    chain = display.get("chain")
    if not (isinstance(chain, int) or (isinstance(chain, list) and len(chain) == len(truths)
                                       and all(isinstance(c, int) for c in chain))):
        problems.append(f"{where}: 'chain' must be an id, or one id per relation")
    oracle = display.get("oracle", [])
    if not isinstance(oracle, list) or (oracle and len(oracle) != len(truths)
                                         and len(oracle) != sum(t in CHECKED for t in truths)):
        problems.append(f"{where}: 'oracle' needs one entry per relation (or one per proved/refuted relation)")
    elif len(oracle) == len(truths):
        problems += [f"{where}: a {truth} relation takes [] or '' as its oracle entry"
                     for truth, entry in zip(truths, oracle) if truth not in CHECKED and entry not in ([], "", None)]
    if not _text_at(display.get("text", ""), display["line"], post_lines):
        problems.append(f"{where}: 'text' is not the display at that line of the post")
    return problems


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _text_at(text: str, line: int, post_lines: list[str]) -> bool:
    """The display's text is in the post from its line on (whitespace aside)."""
    span = text.count("\n") + 4
    window = _squeeze("".join(post_lines[line - 1:line - 1 + span]))
    return bool(text.strip()) and 0 < line <= len(post_lines) and _squeeze(text) in window


def load(post: Path) -> Expected:
    name = post.name
    path = expected_path(post)
    if not path.is_file():
        return Expected(post, (), (), (), (), (), (f"{name}: no expected file",))
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    oracle = data.get("oracle", {})
    default = data.get("variable", "")
    symbols = tuple(oracle.get("symbols", default if default.isidentifier() else "").split())
    problems, relations = [], []
    post_lines = post.read_text(encoding="utf-8").splitlines(keepends=True)
    for display in data.get("display", []):
        found = _display_problems(name, display, post_lines)
        problems += found
        if found:
            continue
        truths, chain = display["relations"], display["chain"]
        entries = _entries_by_relation(truths, display.get("oracle") or [])
        for position, truth in enumerate(truths):
            relations.append(Relation(
                name, display["line"], position, truth, chain[position] if isinstance(chain, list) else chain,
                _pair(entries[position]) if position < len(entries) else None, display.get("text", "")))
    return Expected(post, symbols, tuple(oracle.get("positive", "").split()), tuple(oracle.get("unit", "").split()),
                    tuple(oracle.get("let", {}).items()), tuple(relations), tuple(problems),
                    tuple(oracle.get("functions", "").split()))


def skips_listed(readme_text: str, relation: Relation) -> bool:
    """README lists a skip as ``NN_slug.md`` line N, with its reason."""
    pattern = rf"{re.escape(relation.post)}\D+line {relation.line}\b[^\n]*\S"
    return re.search(pattern, readme_text) is not None


# -- the oracle --------------------------------------------------------------------

def _sigma(t):
    return 1 / (1 + sympy.exp(-t))


def _phi(t):
    """Standard normal CDF, for GELU."""
    return (1 + sympy.erf(t / sympy.sqrt(2))) / 2


SYMPY_NAMES = (
    "exp log sqrt Abs sign sin cos tan sinh cosh tanh sech csch coth asinh atanh atan erf pi E I oo "
    "Rational Integer Matrix diag eye zeros ones KroneckerDelta Max Min Piecewise Heaviside "
    "DiracDelta Sum Derivative Subs diff Eq Ne Gt Lt Ge Le Symbol").split()
HELPERS = {"sigma": _sigma, "Phi": _phi, "ln": sympy.log,
           "softplus": lambda t: sympy.log(1 + sympy.exp(t))}
SAFE_BUILTINS = {"range": range, "sum": sum, "len": len, "list": list, "tuple": tuple}


def namespace(expected: Expected) -> dict:
    """SymPy functions, the helpers, the declared symbols (real; positive or
    in (0, 1) where declared so) and the file's lets, evaluated in order."""
    names = {n: getattr(sympy, n) for n in SYMPY_NAMES} | HELPERS
    for name in expected.functions:
        names[name] = sympy.Function(name, real=True)
    for name in expected.symbols:
        names[name] = sympy.Symbol(name, real=True, positive=(name in expected.positive + expected.unit) or None)
    for name, text in expected.lets:
        names[name] = parse(text, names)
    return names


def parse(text: str, names: dict):
    """One side of a pair: a SymPy expression or matrix, derivatives done."""
    # the names are globals so that a lambda in the text (Matrix(3, 3, lambda i, j: ...)) sees them
    found = parse_expr(text, local_dict={}, transformations=(auto_number, rationalize),
                       global_dict={"Integer": sympy.Integer, "Float": sympy.Float, "Rational": sympy.Rational,
                                    "__builtins__": SAFE_BUILTINS} | names)
    return found.doit() if isinstance(found, sympy.Basic) else found


@dataclass(frozen=True)
class Finding:
    """What the oracle found on one pair; ``problem`` is None when it confirms the truth."""

    relation: Relation
    defined: int
    worst: float
    symbolic: bool | None  # simplify(lhs - rhs) == 0 / a nonzero constant / undecided
    problem: str | None


def _concrete(arity: int, rng: random.Random):
    """A random smooth function standing for an abstract one: an identity
    between abstract functions holds for it, a wrong one almost never does."""
    def coefficient():
        return sympy.Rational(rng.choice([-1, 1]) * rng.randint(1, 9), rng.randint(1, 4))
    terms = [(coefficient(), coefficient(), coefficient(), coefficient()) for _ in range(arity)]
    mixed = coefficient()

    def body(*args):
        single = sum(a + b * t + c * t ** 2 / 2 + d * sympy.sin(t) for (a, b, c, d), t in zip(terms, args))
        return single + (mixed * sympy.Mul(*args) if arity > 1 else 0)
    return body


def _made_concrete(sides: tuple, expected: Expected, rng: random.Random) -> tuple:
    """Both sides with every abstract function replaced by the same random concrete one."""
    applied = set().union(*(side.atoms(sympy.core.function.AppliedUndef) for side in sides
                            if isinstance(side, sympy.Basic)))
    kinds = sorted({(f.func, len(f.args)) for f in applied if f.func.__name__ in expected.functions}, key=str)
    chosen = [(function, _concrete(arity, rng)) for function, arity in kinds]
    made = []
    for side in sides:
        for function, body in chosen:
            side = side.replace(function, body)
        made.append(side.doit() if isinstance(side, sympy.Basic) else side)
    return tuple(made)


def _entries(side) -> tuple[list, tuple]:
    if isinstance(side, sympy.MatrixBase):
        return list(side), side.shape
    return [sympy.sympify(side)], ()


# step and impulse off their kink: the corpus's derivatives hold there
PIECES = {"Heaviside": lambda t, *_: mpmath.mpf(1) if t > 0 else mpmath.mpf(0) if t < 0 else mpmath.nan,
          "DiracDelta": lambda t, *_: mpmath.mpf(0) if t != 0 else mpmath.nan}


def _evaluator(entries: list, symbols: list):
    function = sympy.lambdify(symbols, entries, modules=[PIECES, "mpmath"])

    def at(point: list):
        try:
            values = function(*point)
        except (ArithmeticError, ValueError, TypeError):
            return None
        out = []
        for value in values:
            value = mpmath.mpmathify(value)
            if isinstance(value, mpmath.mpc):
                if abs(value.imag) > AGREE * max(1, abs(value)):
                    return None  # not real here: the side is undefined in the reals
                value = value.real
            if not mpmath.isfinite(value):
                return None
            out.append(value)
        return out
    return at


def _points(symbols: list, expected: Expected, seed: int):
    """Random points cycling through every sign pattern of the free symbols
    (declared positive ones stay positive, unit ones stay in (0, 1))."""
    rng = random.Random(seed)
    free = [s for s in symbols if s.name not in expected.positive + expected.unit]
    patterns = [[(p >> b) & 1 for b in range(len(free))] for p in range(2 ** len(free))] if len(free) <= 6 else []
    rng.shuffle(patterns)
    attempt = 0
    while True:
        signs = patterns[attempt % len(patterns)] if patterns else [rng.randint(0, 1) for _ in free]
        chosen = dict(zip(free, signs))
        point = []
        for s in symbols:
            if s.name in expected.unit:
                point.append(mpmath.mpf(rng.uniform(0.02, 0.98)))
                continue
            magnitude = mpmath.mpf(10) ** mpmath.mpf(rng.uniform(-1, 0.5))
            point.append(-magnitude if chosen.get(s) else magnitude)
        yield attempt, len(patterns), point
        attempt += 1


def _simplified(difference):
    """simplify, then once more with hyperbolic functions written as exponentials."""
    first = sympy.simplify(difference)
    return first if first == 0 else sympy.simplify(first.rewrite(sympy.exp))


class _Stop(BaseException):
    """simplify's time limit: not an Exception, which SymPy catches in places
    (and so would run on without a limit)."""


def symbolic_zero(difference: list, seconds: float = SIMPLIFY_SECONDS) -> bool | None:
    """True when simplify makes every entry 0, False when one is a nonzero
    number, None when simplify does not decide in time."""
    def stop(*_):
        raise _Stop

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.25)  # and again every 0.25 s until it ends
    try:
        try:
            simplified = [_simplified(d) for d in difference]
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)  # disarmed first: an alarm after this is caught below
    except (_Stop, RecursionError, TypeError, ValueError, NotImplementedError):
        return None
    finally:
        signal.signal(signal.SIGALRM, previous)
    if all(s == 0 for s in simplified):
        return True
    if any(s.is_number and s != 0 and s.is_finite for s in simplified):
        return False
    return None


def confirm(expected: Expected, relation: Relation, names: dict | None = None) -> Finding:
    """Check one proved or refuted pair against its truth."""
    def found(problem, defined=0, worst=0.0, symbolic=None):
        return Finding(relation, defined, worst, symbolic, problem)

    if relation.pair is None:
        return found("no oracle pair")
    try:
        names = namespace(expected) if names is None else names
        lhs, rhs = (parse(text, names) for text in relation.pair)
    except Exception as error:  # our own data: any failure to read it is a problem to fix
        return found(f"cannot read the pair: {type(error).__name__}: {error}")
    if expected.functions:
        rng = random.Random(zlib.crc32(relation.where.encode()))
        lhs, rhs = _made_concrete((lhs, rhs), expected, rng)
    (left, shape), (right, other) = _entries(lhs), _entries(rhs)
    if shape != other:
        return found(f"sides of different shapes {shape} and {other}")
    if any(e.has(sympy.Derivative, sympy.Sum) or e.atoms(sympy.core.function.AppliedUndef) for e in left + right):
        return found("a side is not concrete (an unevaluated derivative, sum or function)")
    symbols = sorted(set().union(*(e.free_symbols for e in left + right)), key=lambda s: s.name)
    at_left, at_right = _evaluator(left, symbols), _evaluator(right, symbols)
    defined, worst = 0, mpmath.mpf(0)
    with mpmath.workdps(DIGITS):
        for attempt, regions, point in _points(symbols, expected, zlib.crc32(relation.where.encode())):
            if (defined >= MIN_POINTS and attempt >= regions) or attempt >= MAX_ATTEMPTS:
                break
            a, b = at_left(point), at_right(point)
            if a is None or b is None:
                continue
            defined += 1
            worst = max([worst] + [abs(u - v) / max(1, abs(u), abs(v)) for u, v in zip(a, b)])
            if relation.truth == "refuted" and worst > DIFFER:
                break
    worst = float(worst)
    if relation.truth == "refuted":
        if worst <= DIFFER:
            return found(f"refuted, but the sides agree at {defined} points (worst {worst:.1e})", defined, worst)
        return found(None, defined, worst)
    if defined < MIN_POINTS:
        return found(f"only {defined} points where both sides are defined", defined, worst)
    if worst > AGREE:
        return found(f"proved, but the sides differ by {worst:.1e} (relative)", defined, worst)
    symbolic = symbolic_zero([u - v for u, v in zip(left, right)])
    if symbolic is False:
        return found("proved, but simplify(lhs - rhs) is a nonzero constant", defined, worst, symbolic)
    return found(None, defined, worst, symbolic)

