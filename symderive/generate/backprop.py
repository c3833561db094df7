"""A derivation of a catalog loss or layer in index notation for its
symbolic sizes: L is its definition (a layer's is sum g y over its output,
g the upstream gradient), differentiated in one entry of the input named;
sums are passed by the sum rule and collapsed by the Kronecker rule, and
the last line is the catalog's compact backward formula, which the
verification proves equal to the line before it or reports as not proved.
"""

from __future__ import annotations

import re

import sympy
from sympy.printing.latex import LatexPrinter

from ..catalog import lookup_backprop
from ..derivation import loads, toml_string
from ..derivation_meaning import meaning_of
from ..errors import SymderiveError
from ..kronecker import bound_indices
from ..rules import RuleContext
from .steps import MAX_STEPS, Generated, domain_of, next_step

_ACCENTS = ("hat", "bar", "tilde")


def _scope_name(label: str) -> str:
    """The name the LaTeX front end gives an entry's base: yhat is y_hat (\\hat{y})."""
    for accent in _ACCENTS:
        if label.endswith(accent) and len(label) > len(accent) and "_" not in label:
            return f"{label[:-len(accent)]}_{accent}"
    return label


class _IndexPrinter(LatexPrinter):
    """SymPy's LaTeX with entries written as the front end reads them:
    \\hat{y}_k, W_{ij}, \\gamma_i."""

    def _print_Indexed(self, expr):
        label = _scope_name(str(expr.base.label))
        accent = next((a for a in _ACCENTS if label.endswith("_" + a)), None)
        base = (f"\\{accent}{{{self._print(sympy.Symbol(label[:-len(accent) - 1]))}}}" if accent
                else self._print(sympy.Symbol(label)))
        indices = "".join(self._print(i) for i in expr.indices)
        return f"{base}_{{{indices}}}" if len(indices) > 1 else f"{base}_{indices}"

    def _print_Derivative(self, expr):
        """d x_l / d x_k as a fraction: the operator form followed by a
        factor (d/dx_k x_l x_l) reads as the derivative of the product."""
        if isinstance(expr.expr, (sympy.Symbol, sympy.Indexed)) and len(expr.variables) == 1:
            return f"\\frac{{\\partial {self._print(expr.expr)}}}{{\\partial {self._print(expr.variables[0])}}}"
        return super()._print_Derivative(expr)

    def _print_Sum(self, expr):
        """A sum over several indices as nested sums (no \\substack)."""
        if len(expr.limits) == 1:
            return super()._print_Sum(expr)
        index, lower, upper = expr.limits[-1]
        body = self._print(sympy.Sum(expr.function, *expr.limits[:-1]))
        return f"\\sum_{{{self._print(index)}={self._print(lower)}}}^{{{self._print(upper)}}} {body}"


def _index_latex(expr) -> str:
    """The LaTeX of ``expr``; a sum over an index named e is written over
    another letter, since e^{...} inside it would read as that index."""
    for node in expr.atoms(sympy.Sum):
        for limit in node.limits:
            if str(limit[0]) == "e":
                expr = expr.xreplace({limit[0]: _fresh(_all_indices(expr), 1)[0]})
    return _IndexPrinter().doprint(expr)


def _output_lengths(entry) -> tuple:
    """The length of each axis of a layer's output, read off its explicit
    form: the size whose value is the axis's length at every checked size."""
    shapes = [(sizes, entry.explicit(*sizes).value.shape) for sizes in entry.checked_sizes]
    lengths = []
    for axis in range(len(entry.output_at)):
        fits = [symbol for position, symbol in enumerate(entry.sizes)
                if all(shape[axis] == sizes[position] for sizes, shape in shapes)]
        if not fits:
            raise SymderiveError(f"derive: the length of axis {axis + 1} of {entry.name}'s output is not known")
        lengths.append(fits[0])
    return tuple(lengths)


def _fresh(taken: set, count: int) -> list:
    """``count`` index symbols whose names are not in ``taken`` (nor e or d,
    which a reader takes for Euler's number and a differential)."""
    letters = [c for c in "abcfghijlpqrstuvw" if c not in {str(t) for t in taken}]  # not e, d: e^x, dx
    return [sympy.Symbol(c, integer=True, positive=True) for c in letters[:count]]


def _upstream(entry) -> sympy.IndexedBase:
    """The upstream gradient of a layer: the base its backward formulas use
    that its output does not (g, or G for attention's matrices)."""
    own = entry.definition.atoms(sympy.IndexedBase)
    found = {base for g in entry.gradients for base in g.formula.atoms(sympy.IndexedBase)} - own
    return min(found, key=str) if len(found) == 1 else sympy.IndexedBase("g", real=True)


def _all_indices(expr) -> set:
    return expr.free_symbols | bound_indices(expr)


def _objective(entry, free: tuple):
    """L: a loss's definition, or sum g y over a layer's output, with every
    index it sums over renamed apart from the ``free`` indices of the
    gradient (sum_j W_aj x_j differentiated in x_j would read j twice)."""
    expr = entry.definition
    if entry.output_at:
        outputs = _fresh(set(free) | _all_indices(expr) | set(entry.sizes), len(entry.output_at))
        expr = _upstream(entry)[tuple(outputs)] * expr.xreplace(dict(zip(entry.output_at, outputs)))
        for index, length in zip(outputs, _output_lengths(entry)):
            expr = sympy.Sum(expr, (index, 1, length))
    for node in sorted(expr.atoms(sympy.Sum), key=sympy.count_ops):
        for limit in node.limits:
            if limit[0] in free:
                other = _fresh(set(free) | _all_indices(expr) | set(entry.sizes), 1)[0]
                expr = expr.xreplace({node: node.xreplace({limit[0]: other})})
    return expr


_STATED_SUM = re.compile(r"^sum_([a-z]) ([a-z]+)_\1 = 1$")


def _stated_sums(entry) -> list[str]:
    """The entry's conditions that state a sum (sum_j y_j = 1), in LaTeX
    over its first size; the others (y_k in {0, 1}) say where data lie."""
    found = (_STATED_SUM.match(condition) for condition in entry.conditions)
    return [f"\\sum_{{{m[1]}=1}}^{{{entry.sizes[0]}}} {m[2]}_{m[1]} = 1" for m in found if m]


def _data_conditions(entry) -> list[str]:
    """Conditions that put data in a set (y_k in {0, 1}): the compact formula
    holds only there, which a derivation file cannot state, so the derivation
    ends with the rules' last line instead of the literature's form."""
    return [condition for condition in entry.conditions if " in {" in condition]


def _gradient(entry, wrt: str | None):
    """The entry's gradient for the input named ``wrt`` (the first by default)."""
    if wrt is None:
        return entry.gradients[0]
    for gradient in entry.gradients:
        label = str(gradient.wrt)
        if wrt in (label, _scope_name(label)):
            return gradient
    inputs = ", ".join(str(g.wrt) for g in entry.gradients)
    raise SymderiveError(f"derive: {entry.name} has no gradient with respect to {wrt!r} (its inputs: {inputs})")


def _header(entry, gradient, objective) -> tuple[list[str], list[str]]:
    """The derivation file's top keys and its [parameters] and [let] tables
    (the closed form goes between them once the derivation is known)."""
    labels = {str(base.label) for base in objective.atoms(sympy.IndexedBase)} | {str(gradient.wrt)}
    symbols = objective.free_symbols | gradient.formula.free_symbols
    integers = {s for s in symbols | set(gradient.at) if isinstance(s, sympy.Symbol) and s.is_integer}
    integers |= bound_indices(objective) | set(entry.sizes)
    parameters = sorted((s for s in symbols if isinstance(s, sympy.Symbol) and not s.is_integer
                         and str(s) not in labels), key=str)
    variable = f"{gradient.wrt}_{''.join(map(str, gradient.at))}" if gradient.at else str(gradient.wrt)
    top = [f"title = {toml_string(f'{entry.description}: gradient with respect to {variable}, derived by symderive')}",
           f"source = {toml_string(f'symderive derive {entry.name} --wrt {gradient.wrt}')}",
           f"variable = {toml_string(variable)}",
           "indexed = [" + ", ".join(toml_string(n) for n in sorted(map(_scope_name, labels))) + "]",
           "indices = [" + ", ".join(toml_string(str(s)) for s in sorted(integers, key=str)) + "]",
           f"description = {toml_string(entry.description + '. ' + gradient.literature)}"]
    if _stated_sums(entry):
        top.append("assumptions = [" + ", ".join(map(toml_string, _stated_sums(entry))) + "]")
    tables = ["", "[parameters]"] + [f"{p} = {toml_string(domain_of(p))}" for p in parameters] if parameters else []
    tables += ["", "[let]", f"L = {toml_string(_index_latex(objective))}"]
    return top, tables


def derive_backprop(name: str, wrt: str | None = None, close: bool = True) -> Generated:
    """The derivation of dL/d(an entry of input ``wrt``) of the catalog's
    loss or layer ``name``, in index notation for its symbolic sizes; with
    ``close``, a last step writes the catalog's compact formula."""
    entry = lookup_backprop(name)
    if entry is None:
        raise SymderiveError(f"unknown loss or layer {name!r} (`symderive list` shows the catalog)")
    gradient = _gradient(entry, wrt)
    objective = _objective(entry, gradient.at)
    top, tables = _header(entry, gradient, objective)
    target = gradient.wrt[gradient.at] if gradient.at else gradient.wrt
    first = f"\\frac{{\\partial L}}{{\\partial {_index_latex(target)}}}"
    skeleton = loads("\n".join(top + tables + ["", "[[steps]]", f"latex = {toml_string(first)}"]) + "\n",
                     "<derived>.toml")
    meaning = meaning_of(skeleton)
    start = meaning.parse(skeleton.steps[0])
    lines = [(start, None), (sympy.Derivative(meaning.definition_of(start.expr), *start.variables), "definition")]
    ctx = RuleContext(meaning)
    for _ in range(MAX_STEPS):
        step = next_step(lines[-1][0], ctx, meaning)
        if step is None:
            break
        lines.append(step)
    if lines[-1][0].has(sympy.Derivative):
        raise SymderiveError(f"derive: no rule applies to {sympy.sstr(lines[-1][0])}")
    if close and _index_latex(lines[-1][0]) != _index_latex(gradient.formula) and not _data_conditions(entry):
        lines.append((gradient.formula, "algebra"))
    written = [first] + [_index_latex(expression) for expression, _ in lines[1:]]
    out = top + [f"closed_form = {toml_string(written[-1])}"] + tables
    for latex, (_, rule) in zip(written, lines):
        out += ["", "[[steps]]", f"latex = {toml_string(latex)}"] + ([f"rule = {toml_string(rule)}"] if rule else [])
    return Generated("\n".join(out) + "\n", tuple((latex, rule or "") for latex, (_, rule) in zip(written, lines)))
