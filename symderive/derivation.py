"""Derivation files: load and validate, nothing else (checking is the engine's).

A derivation file is TOML with LaTeX in literal strings::

    title = "Sigmoid, by the chain rule"
    activation = "sigmoid"          # catalog name (optional)
    variable = "x"                  # what the derivative is taken with respect to
    indexed = ["z", "S"]            # vector names: z_i means z[i] (optional)
    indices = ["i", "j", "k", "n"]  # integer symbols (optional)
    functions = ["s"]               # functions of the variable left undefined (optional):
                                    #   s(x), s'(x) are read, and proved only by their form
    assumptions = ['\\sum_k y_k = 1'] # stated values of sums, used in every step (optional)
    matrix = "z"                    # a vector variable of length `dimension` (optional)
    dimension = "D"

    [parameters]                    # optional: alpha = "positive" (real, positive,
    alpha = "positive"              #   nonnegative, negative), as in the catalog

    [let]                           # definitions, functions of the variable
    u = '1 + e^{-x}'
    sigma = '\\frac{1}{u}'

    [[steps]]                       # each step is asserted equal to the one before
    latex = '\\frac{d}{dx}\\sigma(x)'
    [[steps]]
    latex = '\\frac{d\\sigma}{du} \\cdot \\frac{du}{dx}'
    rule = "chain"                  # or a list: ["sum", "exp"]
    expect = "refuted"              # optional: a faithful replay of a mistake
    note = "why"

    [[cases]]                       # optional: steps that hold under a condition
    condition = 'x > 0'
    [[cases.steps]]
    latex = '1'
    rule = "cases"

    closed_form = '...'             # the result, checked against sympy.diff

Every piece of LaTeX keeps the file, line and column it was read from.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .display import Displayed
from .errors import DerivationFileError, Origin, UnknownRuleError
from .evidence import Verdict
from .rule_names import canonical_rule_name

# Limits: far above any real derivation, low enough that a hostile file is
# refused at once instead of occupying the engine for hours (each step may
# take its time limit).
MAX_FILE_BYTES = 1_000_000
MAX_STEPS = 500  # steps of the main chain and of all cases together
STEP_KEYS = {"latex", "rule", "expect", "note"}
TOP_KEYS = {"title", "source", "activation", "variable", "indexed", "indices", "functions", "assumptions", "matrix",
            "dimension", "let", "steps", "cases", "closed_form", "description", "parameters"}
# A name the file declares (variable, let, vector, index, parameter): a
# letter, letters and digits, one optional subscript (g_logistic, S_{i}).
NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_\{?[A-Za-z0-9]+\}?)?")
CATALOG_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
EXPECTABLE = (Verdict.REFUTED, Verdict.PROVED)  # what a step may declare with ``expect``
DOMAINS = {"real": {"real": True}, "positive": {"positive": True}, "nonnegative": {"nonnegative": True},
           "negative": {"negative": True}}


@dataclass(frozen=True)
class Located:
    """A piece of LaTeX and where it was written."""

    latex: str
    origin: Origin


@dataclass(frozen=True)
class Step:
    """One line of a derivation: asserted equal to the last accepted line.

    ``rules`` name what turns the previous line into this one; ``expect``
    is ``Verdict.REFUTED`` when the line replays an author's mistake."""

    index: int
    latex: str
    origin: Origin
    rules: tuple[str, ...]
    expect: Verdict | None = None
    note: str | None = None


@dataclass(frozen=True)
class Case:
    """Steps that hold under ``condition`` (e.g. x > 0, or i = k)."""

    condition: Located
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Derivation(Displayed):
    """A derivation file as written, before any checking: its names and
    definitions (``lets``), the main chain of steps, the cases that follow
    it (each under a condition), and the closed form the chain must reach.
    ``load``/``loads`` build it; ``engine.verify_derivation`` checks it."""

    name: str
    file: str
    title: str
    source: str
    activation: str | None
    variable: str
    indexed: tuple[str, ...]
    indices: tuple[str, ...]
    matrix: str | None
    dimension: str | None
    lets: tuple[tuple[str, Located], ...]
    steps: tuple[Step, ...]
    cases: tuple[Case, ...]
    closed_form: Located | None
    description: str = ""
    parameters: tuple[tuple[str, str], ...] = ()
    activation_origin: Origin | None = None  # where 'activation' is written, for errors
    functions: tuple[str, ...] = ()  # undefined functions of the variable
    assumptions: tuple[Located, ...] = ()  # stated values of sums: '\\sum_k y_k = 1'

    def all_steps(self) -> tuple[Step, ...]:
        return self.steps + tuple(s for case in self.cases for s in case.steps)

_KEY_LINE = re.compile(r"""^\s*(?P<key>"[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)\s*=\s*(?P<quote>'''|\"\"\"|'|")?""")
_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-]+)\s*\]\]?")


def _locate_values(text: str, file: str) -> dict[tuple, Origin]:
    """Origins of string values, keyed by (table path, array index, key).

    tomllib gives no positions, so the file is scanned once for key lines;
    the keys of arrays of tables are numbered in file order."""
    origins: dict[tuple, Origin] = {}
    counters: dict[str, int] = {}
    table = ""
    for line_number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            table = header.group(1)
            if line.lstrip().startswith("[["):
                counters[table] = counters.get(table, -1) + 1
                if table == "cases":
                    counters["cases.steps"] = -1
            continue
        match = _KEY_LINE.match(line)
        if not match:
            continue
        key = match.group("key").strip("\"'")
        column = match.end() + 1 if match.group("quote") else match.start("key") + 1
        position = (table, counters.get("cases", -1) if table == "cases.steps" else -1,
                    counters.get(table, -1), key)
        origins[position] = Origin(file, line_number, column)
    return origins


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _decode_error_origin(error: tomllib.TOMLDecodeError, file: str) -> Origin:
    found = re.search(r"line (\d+), column (\d+)", str(error))
    if found:
        return Origin(file, int(found.group(1)), int(found.group(2)))
    return Origin(file, 1, 1)


def _rules(value, origin: Origin) -> tuple[str, ...]:
    if value is None:
        return ()
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise DerivationFileError("'rule' must be a string or a list of strings", origin)
    resolved = []
    for name in names:
        canonical = canonical_rule_name(name)
        if canonical is None:
            raise UnknownRuleError(f"unknown rule {name!r} (`symderive list` shows the rules)", origin)
        resolved.append(canonical)
    return tuple(resolved)


class _Reader:
    """Turns the decoded TOML table into frozen dataclasses, with origins."""

    def __init__(self, data: dict, origins: dict[tuple, Origin], file: str):
        self.data, self.origins, self.file = data, origins, file

    def origin(self, table: str, case: int, index: int, key: str) -> Origin:
        return self.origins.get((table, case, index, key), Origin(self.file, 1, 1))

    def string(self, table_data: dict, key: str, origin: Origin, required: bool = False) -> str | None:
        value = table_data.get(key)
        if value is None:
            if required:
                raise DerivationFileError(f"missing required key {key!r}", origin)
            return None
        if not isinstance(value, str):
            raise DerivationFileError(f"{key!r} must be a string", origin)
        return value

    def name(self, value, key: str, origin: Origin) -> str:
        """A declared name: a string that is a name, nothing else."""
        if not isinstance(value, str) or not NAME.fullmatch(value):
            raise DerivationFileError(f"{key} must be a name such as x, sigma or z_k, not {_shown(value)}",
                                      origin)
        return value

    def names(self, top: dict, key: str, origin: Origin) -> tuple[str, ...]:
        value = top.get(key, [])
        if not isinstance(value, list):
            raise DerivationFileError(f"{key!r} must be a list of names", origin)
        return tuple(self.name(item, f"each of {key!r}", origin) for item in value)

    def optional_name(self, top: dict, key: str, origin: Origin) -> str | None:
        value = self.string(top, key, origin)
        return None if value is None else self.name(value, repr(key), origin)

    def catalog_name(self, top: dict, origin: Origin) -> str | None:
        value = self.string(top, "activation", origin)
        if value is not None and not CATALOG_NAME.fullmatch(value):
            raise DerivationFileError(f"'activation' must be a catalog name such as gelu_tanh, not {_shown(value)}",
                                      origin)
        return value

    def steps(self, items, table: str, case: int, first_index: int) -> tuple[Step, ...]:
        if not isinstance(items, list) or not items:
            raise DerivationFileError(f"{table!r} must be a non-empty array of tables",
                                      self.origin("", -1, -1, "title"))
        steps = []
        for position, item in enumerate(items):
            where = self.origin(table, case, position, "latex")
            if not isinstance(item, dict):
                raise DerivationFileError("each step must be a table", where)
            unknown = set(item) - STEP_KEYS
            if unknown:
                raise DerivationFileError(f"unknown key {sorted(unknown)[0]!r} in a step", where)
            latex = self.string(item, "latex", where, required=True)
            expect = self.string(item, "expect", where)
            if expect is not None and expect not in EXPECTABLE:
                raise DerivationFileError(f"'expect' must be \"{Verdict.REFUTED}\" or \"{Verdict.PROVED}\"", where)
            index = first_index + position
            rules = _rules(item.get("rule"), self.origin(table, case, position, "rule"))
            if index > 0 and not rules:
                raise DerivationFileError("a step after the first must name its rule", where)
            steps.append(Step(index, latex, where, rules, None if expect is None else Verdict(expect),
                              self.string(item, "note", where)))
        return tuple(steps)

    def check_step_count(self, main: int, raw_cases) -> None:
        """At most MAX_STEPS steps in all (counted before any is read)."""
        cases = raw_cases if isinstance(raw_cases, list) else []
        in_cases = sum(len(c["steps"]) for c in cases if isinstance(c, dict) and isinstance(c.get("steps"), list))
        if main + in_cases > MAX_STEPS:
            raise DerivationFileError(f"too many steps ({main + in_cases}; the limit is {MAX_STEPS})",
                                      self.origin("steps", -1, MAX_STEPS, "latex"))

    def derivation(self, name: str) -> Derivation:
        top = self.data
        here = self.origin("", -1, -1, "title")
        unknown = set(top) - TOP_KEYS
        if unknown:
            raise DerivationFileError(f"unknown key {sorted(unknown)[0]!r}", here)
        lets = top.get("let", {})
        if not isinstance(lets, dict):
            raise DerivationFileError("[let] must be a table of LaTeX strings", here)
        located_lets = []
        for key, value in lets.items():
            where = self.origin("let", -1, -1, key)
            self.name(key, "a let name", where)
            if not isinstance(value, str):
                raise DerivationFileError(f"let {key!r} must be a LaTeX string", where)
            located_lets.append((key, Located(value, where)))
        steps = self.steps(top.get("steps"), "steps", -1, 0)
        self.check_step_count(len(steps), top.get("cases", []))
        cases = []
        next_index = len(steps)
        raw_cases = top.get("cases", [])
        if not isinstance(raw_cases, list):
            raise DerivationFileError("'cases' must be an array of tables", here)
        for number, raw in enumerate(raw_cases):
            where = self.origin("cases", -1, number, "condition")
            if not isinstance(raw, dict):
                raise DerivationFileError("each case must be a table", where)
            condition = self.string(raw, "condition", where, required=True)
            case_steps = self.steps(raw.get("steps"), "cases.steps", number, next_index)
            next_index += len(case_steps)
            cases.append(Case(Located(condition, where), case_steps))
        closed = self.string(top, "closed_form", here)
        parameters = top.get("parameters", {})
        if not isinstance(parameters, dict) or any(not isinstance(v, str) or v not in DOMAINS
                                                   or not NAME.fullmatch(k) for k, v in parameters.items()):
            raise DerivationFileError(
                f"'parameters' maps names to one of {', '.join(sorted(DOMAINS))}",
                self.origin("parameters", -1, -1, next(iter(parameters), "")) if isinstance(parameters, dict) else here)
        return Derivation(
            name=name,
            file=self.file,
            title=self.string(top, "title", here, required=True),
            source=self.string(top, "source", here) or "",
            activation=self.catalog_name(top, self.origin("", -1, -1, "activation")),
            variable=self.optional_name(top, "variable", self.origin("", -1, -1, "variable")) or "x",
            indexed=self.names(top, "indexed", self.origin("", -1, -1, "indexed")),
            indices=self.names(top, "indices", self.origin("", -1, -1, "indices")),
            matrix=self.optional_name(top, "matrix", self.origin("", -1, -1, "matrix")),
            dimension=self.optional_name(top, "dimension", self.origin("", -1, -1, "dimension")),
            lets=tuple(located_lets),
            steps=steps,
            cases=tuple(cases),
            closed_form=Located(closed, self.origin("", -1, -1, "closed_form")) if closed else None,
            description=self.string(top, "description", here) or "",
            parameters=tuple(parameters.items()),
            activation_origin=self.origin("", -1, -1, "activation"),
            functions=self.undefined_functions(top, {key for key, _ in located_lets}),
            assumptions=self.assumptions(top),
        )

    def assumptions(self, top: dict) -> tuple[Located, ...]:
        origin = self.origin("", -1, -1, "assumptions")
        value = top.get("assumptions", [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise DerivationFileError("'assumptions' must be a list of LaTeX strings such as '\\sum_k y_k = 1'",
                                      origin)
        return tuple(Located(item, origin) for item in value)

    def undefined_functions(self, top: dict, defined: set) -> tuple[str, ...]:
        origin = self.origin("", -1, -1, "functions")
        names = self.names(top, "functions", origin)
        both = sorted(set(names) & defined)
        if both:
            raise DerivationFileError(f"{both[0]!r} is both defined in [let] and listed in 'functions' "
                                      "(functions there have no definition)", origin)
        return names


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string (backslashes and quotes escaped, line
    breaks as spaces): the one way the package writes a string of this file
    format (generated and imported derivations)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def loads(text: str, file: str = "<string>", name: str | None = None) -> Derivation:
    """A Derivation from the text of a derivation file."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise DerivationFileError(f"file larger than {MAX_FILE_BYTES} bytes", Origin(file, 1, 1))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DerivationFileError(f"invalid TOML: {error}", _decode_error_origin(error, file)) from error
    reader = _Reader(data, _locate_values(text, file), file)
    return reader.derivation(name or Path(file).stem)


def load(path: Path) -> Derivation:
    """A Derivation from a file on disk; a file over MAX_FILE_BYTES is
    refused before it is read."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise DerivationFileError(f"file larger than {MAX_FILE_BYTES} bytes", Origin(str(path), 1, 1))
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DerivationFileError(f"cannot read: {error}", Origin(str(path), 1, 1)) from error
    return loads(text, str(path), path.stem)
