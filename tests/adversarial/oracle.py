"""The independent oracle of the adversarial suite: is ``lhs = rhs`` true on
a region, decided without symderive.

Each side is written by hand in SymPy syntax and read with a namespace that
holds only the functions listed in ``FUNCTIONS`` (no automatic symbols, no
builtins, no floats: a literal like ``0.01`` is rejected so that nothing is
rounded to 15 digits before the high-precision evaluation).

The verdict is numeric, with mpmath at rising precision:

* a point *separates* the sides when ``|lhs - rhs|`` is the same (to 12
  digits) at the last three working precisions of LEVELS (300 to 3000
  digits): a rounding error would shrink by tens of orders of
  magnitude from one to the next, a true difference does not move. (A
  term below 10^-3000 absorbed at every level would fool it: cases whose
  sides cancel that far, such as 1 - erf(100x) for x > 0.7, narrow the
  oracle's range with ``low``/``high``.)
* a point *agrees* when the difference is within the working precision's
  error at some precision (or exactly zero), or when it falls with a rise
  in precision by at least half the added digits (the rounding error of a
  zero, as in sin(pi n));
* otherwise the point is inconclusive and is not counted.

A case is ``false`` when one point separates, ``true`` when every point
agrees (at least MIN_AGREEING of them). SymPy's ``simplify`` is asked too,
and a symbolic zero of ``lhs - rhs`` is reported alongside; it is never the
only evidence of a ``true``.
"""

from __future__ import annotations

import random
import signal
import threading
from dataclasses import dataclass, field
from fractions import Fraction

import mpmath
import sympy
from sympy.parsing.sympy_parser import auto_number, factorial_notation, parse_expr, repeated_decimals

LEVELS = (100, 300, 1000, 3000)
CERTAIN_FROM = 3000  # a separation counts only when stable up to at least this precision
STABLE = mpmath.mpf(10) ** -12  # relative change allowed between precisions for a real difference
MIN_AGREEING = 20


def _sigmoid(t):
    return 1 / (1 + sympy.exp(-t))


def _softplus(t):
    return sympy.log(1 + sympy.exp(t))


FUNCTIONS = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "cot": sympy.cot, "sec": sympy.sec,
    "exp": sympy.exp, "log": sympy.log, "sqrt": sympy.sqrt, "cbrt": lambda t: sympy.root(t, 3),
    "Abs": sympy.Abs, "sign": sympy.sign, "floor": sympy.floor, "ceiling": sympy.ceiling,
    "erf": sympy.erf, "erfc": sympy.erfc, "atan": sympy.atan, "asin": sympy.asin, "acos": sympy.acos,
    "atan2": sympy.atan2, "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh,
    "asinh": sympy.asinh, "atanh": sympy.atanh, "acosh": sympy.acosh, "Max": sympy.Max, "Min": sympy.Min,
    "Piecewise": sympy.Piecewise, "And": sympy.And, "Or": sympy.Or, "Eq": sympy.Eq, "Ne": sympy.Ne,
    "Lt": sympy.Lt, "Le": sympy.Le, "Gt": sympy.Gt, "Ge": sympy.Ge, "true": sympy.true,
    "pi": sympy.pi, "E": sympy.E, "Rational": sympy.Rational, "Integer": sympy.Integer,
    "diff": sympy.diff, "Sum": sympy.Sum, "KroneckerDelta": sympy.KroneckerDelta,
    "sigmoid": _sigmoid, "softplus": _softplus, "relu": lambda t: sympy.Max(0, t),
    "at": lambda expr, name, value: expr.subs(name, value),  # an intermediate name replaced by its definition
}
DUMMIES = {"j": dict(integer=True), "u": dict(real=True), "w": dict(real=True), "t": dict(real=True)}
_TRANSFORMS = (repeated_decimals, auto_number, factorial_notation)
KINDS = {  # the kind of a variable: its SymPy assumptions and where it is sampled
    "real": dict(real=True), "positive": dict(positive=True), "negative": dict(negative=True),
    "integer": dict(integer=True), "posint": dict(integer=True, positive=True), "vector": {},
}


@dataclass(frozen=True)
class Variables:
    """Names and kinds: ``{"x": "real", "n": "posint", "z": "vector"}``.
    A vector z is an IndexedBase whose length is the posint variable ``n``
    (or 6 when there is none)."""

    kinds: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, mapping: dict) -> "Variables":
        for name, kind in mapping.items():
            if kind not in KINDS:
                raise ValueError(f"unknown kind {kind!r} for {name}")
        return cls(tuple(sorted(mapping.items())))

    def symbols(self) -> dict:
        out = {}
        for name, kind in self.kinds:
            out[name] = sympy.IndexedBase(name, real=True) if kind == "vector" else sympy.Symbol(name, **KINDS[kind])
        return out


def parse(text: str, variables: Variables) -> sympy.Basic:
    """``text`` read with only FUNCTIONS, the DUMMIES (a summation index j;
    u, w, t for intermediate names, see ``at``) and the declared names."""
    names = dict(FUNCTIONS)
    names.update({d: sympy.Symbol(d, **assumptions) for d, assumptions in DUMMIES.items()})
    names.update(variables.symbols())
    glob = {"__builtins__": {}, "Integer": sympy.Integer, "Float": sympy.Float, "Rational": sympy.Rational}
    expr = parse_expr(text, local_dict=names, global_dict=glob, transformations=_TRANSFORMS)
    if isinstance(expr, sympy.Basic) and expr.atoms(sympy.Float):
        raise ValueError(f"oracle form {text!r} has a float literal; write a Rational")
    return sympy.sympify(expr)


# -- sample points -------------------------------------------------------------

_SPECIAL = sorted({Fraction(0)} | {s * Fraction(v) for s in (1, -1) for v in (
    "1/1000000", "1/1000", "1/100", "1/10", "1/4", "1/3", "1/2", "11/20", "3/5", "7/10", "1", "3/2", "2",
    "5/2", "3", "7/2", "4", "5", "11/2", "59/10", "6", "7", "10", "25/2")})


def real_samples(low: Fraction, high: Fraction, extra: list, rng: random.Random) -> list[Fraction]:
    """Special values, a grid of step 1/10, breakpoints and either side of
    them, random points and random magnitudes; all inside [low, high]."""
    points = set(_SPECIAL)
    points |= {Fraction(k, 10) for k in range(-120, 121)}
    for b in extra:
        b = Fraction(b)
        points |= {b, b - Fraction(1, 10**9), b + Fraction(1, 10**9), b - Fraction(1, 1000), b + Fraction(1, 1000)}
    points |= {Fraction(rng.uniform(-12, 12)).limit_denominator(10**6) for _ in range(30)}
    points |= {s * Fraction(10 ** rng.uniform(-8, 2.5)).limit_denominator(10**9) for _ in range(15) for s in (1, -1)}
    span = high - low
    if span < 24:  # a narrow range: a grid of its own
        points |= {low + span * Fraction(k, 200) for k in range(201)}
    return sorted((p for p in points if low <= p <= high), key=lambda p: (abs(p), p))


def integer_samples(kind: str) -> list[int]:
    return list(range(1, 16)) if kind == "posint" else list(range(-15, 16))


def points_of(variables: Variables, condition, low, high, extra, seed: int) -> list[dict]:
    """Points of the region: every combination for one or two variables
    (a random subset of pairs when that is large)."""
    rng = random.Random(seed)
    axes = []
    vector = any(kind == "vector" for _, kind in variables.kinds)
    for name, kind in variables.kinds:
        if kind == "vector":
            continue
        if kind in ("integer", "posint"):
            # with a vector, each (n, k) expands its sums anew: lengths up to 7 keep that quick
            values = [Fraction(v) for v in integer_samples(kind) if not vector or abs(v) <= 7]
        else:
            values = real_samples(low, high, extra, rng)
            if kind == "positive":
                values = [v for v in values if v > 0]
            elif kind == "negative":
                values = [v for v in values if v < 0]
        axes.append((name, values))
    size = 1
    for _, values in axes:
        size *= len(values)
    if size <= 1500:
        combos = [{}]
        for name, values in axes:
            combos = [dict(c, **{name: v}) for c in combos for v in values]
    else:  # special values together, then random combinations
        special = [v for v in _SPECIAL if abs(v) <= 3]
        combos = [{name: (v if v in values else values[0]) for name, values in axes} for v in special]
        combos += [{name: rng.choice(values) for name, values in axes} for _ in range(1500)]
    symbols = variables.symbols()
    kept = []
    for point in combos:
        if condition is not None:
            subs = {symbols[k]: sympy.Rational(v.numerator, v.denominator) for k, v in point.items()}
            if condition.subs(subs) is not sympy.true:
                continue
        kept.append(point)
    return kept


# -- evaluation ----------------------------------------------------------------

class _Compiled:
    """An expression made numeric for one assignment of its integer
    variables: sums expanded, vector entries made plain symbols."""

    def __init__(self, expr, variables: Variables, integers: dict, vector_length: int):
        symbols = variables.symbols()
        e = expr.subs({symbols[k]: sympy.Integer(v) for k, v in integers.items()})
        e = e.doit()
        self.entries = []
        for name, kind in variables.kinds:
            if kind == "vector":
                base = symbols[name]
                entries = {base[i]: sympy.Symbol(f"{name}_{i}", real=True) for i in range(-2, vector_length + 3)}
                e = e.xreplace(entries)
                self.entries += [entries[base[i]] for i in range(1, vector_length + 1)]
                left = [a for a in e.atoms(sympy.Indexed) if a.base == base]
                if left:
                    raise ValueError(f"entry {left[0]} outside the vector of length {vector_length}")
        self.reals = [symbols[k] for k, kind in variables.kinds if kind not in ("integer", "posint", "vector")]
        self.fn = sympy.lambdify(self.reals + self.entries, e, modules="mpmath")


def _value(fn, args):
    try:
        value = fn(*args)
    except (ZeroDivisionError, ValueError, OverflowError, TypeError):
        return None
    value = mpmath.mpmathify(value)
    if not mpmath.isfinite(value):
        return None
    return value


AGREE, SEPARATED, INCONCLUSIVE, UNDEFINED = "agree", "separated", "inconclusive", "undefined"


def judge(lhs_fn, rhs_fn, point: list) -> tuple[str, object, object]:
    """AGREE, SEPARATED, INCONCLUSIVE or UNDEFINED at one point (exact
    rationals), with the two values at the last precision used."""
    differences = []
    l = r = None
    for dps in LEVELS:
        with mpmath.workdps(dps):
            args = [mpmath.mpf(p.numerator) / p.denominator for p in point]
            l, r = _value(lhs_fn, args), _value(rhs_fn, args)
            if l is None or r is None:
                return UNDEFINED, l, r
            d = abs(l - r)
            scale = max(abs(l), abs(r))
            if d == 0 or d <= scale * mpmath.mpf(10) ** (8 - dps):
                return AGREE, l, r
            if differences and d * mpmath.mpf(10) ** ((dps - previous) // 2) <= differences[-1]:
                return AGREE, l, r  # the difference fell with the rise in precision: rounding of a zero
            differences.append(d)
            previous = dps
            if dps >= CERTAIN_FROM and all(
                    abs(a - b) <= STABLE * abs(b) for a, b in zip(differences[-3:], differences[-2:])):
                return SEPARATED, l, r
    return INCONCLUSIVE, l, r


@dataclass(frozen=True)
class OracleResult:
    truth: str  # "true", "false" or "undecided"
    agreeing: int
    inconclusive: int
    witness: dict | None = None  # a separating point, exact
    values: tuple = ()
    symbolic_zero: bool | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


class _SimplifyTimeout(BaseException):
    """Not an Exception: SymPy catches those in places (a factorisation
    retried another way), which would swallow the alarm and let simplify run
    on without a limit."""


def _alarm(signum, frame):
    raise _SimplifyTimeout()


def _symbolic_zero(lhs, rhs, seconds: int = 2) -> bool | None:
    """True when sympy.simplify takes lhs - rhs to 0 within ``seconds``
    (main thread only: the limit is SIGALRM); None when it cannot tell."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        return None
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.25)  # and again every 0.25 s until it ends
    try:
        try:
            return sympy.simplify(lhs - rhs) == 0 or None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)  # disarmed first: an alarm after this is caught below
    except (Exception, _SimplifyTimeout):  # a timeout, or simplify failing on Piecewise or Sum: a second opinion
        return None
    finally:
        signal.signal(signal.SIGALRM, previous)


def decide(oracle_lhs: str, oracle_rhs: str, variables: dict, condition: str | None = None,
           low=-12, high=12, breakpoints=(), seed: int = 0, symbolic: bool = True) -> OracleResult:
    """The oracle's verdict on ``oracle_lhs = oracle_rhs`` over the region."""
    v = Variables.of(variables or {"x": "real"})
    lhs, rhs = parse(oracle_lhs, v), parse(oracle_rhs, v)
    cond = parse(condition, v) if condition else None
    points = points_of(v, cond, Fraction(low), Fraction(high), list(breakpoints), seed)
    integer_names = [k for k, kind in v.kinds if kind in ("integer", "posint")]
    real_names = [k for k, kind in v.kinds if kind not in ("integer", "posint", "vector")]
    vector = any(kind == "vector" for _, kind in v.kinds)
    rng = random.Random(seed + 1)
    compiled: dict = {}
    agreeing = inconclusive = 0
    for point in points:
        integers = tuple((k, int(point[k])) for k in integer_names)
        length = int(point.get("n", 6)) if vector else 0
        key = integers
        if key not in compiled:
            try:
                compiled[key] = (_Compiled(lhs, v, dict(integers), length), _Compiled(rhs, v, dict(integers), length))
            except (ValueError, ZeroDivisionError) as error:
                compiled[key] = error
        pair = compiled[key]
        if isinstance(pair, Exception):
            continue
        draws = 3 if vector else 1
        for _ in range(draws):
            entries = [Fraction(rng.uniform(-3, 3)).limit_denominator(1000) for _ in pair[0].entries]
            args = [point[k] for k in real_names] + entries
            verdict, l, r = judge(pair[0].fn, pair[1].fn, args)
            if verdict == SEPARATED:
                witness = {k: str(val) for k, val in point.items()}
                if entries:
                    witness["entries"] = [str(e) for e in entries]
                return OracleResult("false", agreeing, inconclusive, witness, (str(l), str(r)))
            agreeing += verdict == AGREE
            inconclusive += verdict == INCONCLUSIVE
    symbolic_zero = _symbolic_zero(lhs, rhs) if symbolic else None
    truth = "true" if agreeing >= min(MIN_AGREEING, len(points)) and agreeing else "undecided"
    return OracleResult(truth, agreeing, inconclusive, None, (), symbolic_zero)
