"""A derivation of a catalog activation or of an expression in one
variable: f, its definition, the rules' lines, and the closed form the
literature writes as a last ``algebra`` (or ``identity``) step."""

from __future__ import annotations

import re

import sympy
from sympy.core.function import AppliedUndef

from ..catalog import I_, K_, X, Z_, function_names, lookup
from ..derivation import toml_string
from ..errors import SymderiveError
from ..latex import parse_expression
from ..latex.scope import Scope
from ..meaning import Meaning
from ..normal_form import exp_rational_normal_form, rational_normal_form
from ..rules import RuleContext
from .steps import MAX_STEPS, Generated, domain_of, next_step

def derive(expr: sympy.Basic | str, wrt: sympy.Symbol = X, name: str | None = None) -> Generated:
    """The derivation of d/d(wrt) of ``expr`` (an expression, or a catalog name)."""
    activation = lookup(expr) if isinstance(expr, str) else None
    if isinstance(expr, str):
        if activation is None:
            raise SymderiveError(f"unknown activation {expr!r} (`symderive list` shows the catalog)")
        name, expr = activation.name, activation.expr
    vector = activation is not None and activation.vector
    f = sympy.Function("f")
    if vector:
        base = sympy.IndexedBase("S", real=True)
        head, wrt = base[I_], Z_[K_]
        meaning = Meaning(Scope(indexed={"z": Z_, "S": base}), wrt, {}, {base: (I_, expr)})
    else:
        head = f(wrt)
        meaning = Meaning(Scope(variables={str(wrt): wrt}, default_variable=wrt, functions={"f": f}), wrt,
                          {f: (wrt, expr.xreplace({X: wrt}) if wrt != X else expr)})
    ctx = RuleContext(meaning)
    lines = [(sympy.Derivative(head, wrt, evaluate=False), None),
             (sympy.Derivative(meaning.definition_of(head), wrt, evaluate=False), "definition")]
    current = lines[-1][0]
    for _ in range(MAX_STEPS):
        step = next_step(current, ctx, meaning)
        if step is None:
            break
        current = step[0]
        lines.append(step)
    if current.has(sympy.Derivative):
        raise SymderiveError(f"derive: no rule applies to {sympy.sstr(current)}")
    closing = _closing_form(current, activation, wrt)
    if closing is not None:
        lines.append(closing)
    return _toml(name or "expression", activation, expr, wrt, vector, lines)


def _closing_form(current, activation, wrt):
    """The literature's closed form as a last 'algebra' (or 'identity') step."""
    if activation is None:
        simpler = sympy.factor(sympy.simplify(current))
        if simpler != current and rational_normal_form(simpler - current) == 0:
            return simpler, "algebra"
        return None
    target = activation.derivative.xreplace({X: wrt}) if not activation.vector else activation.derivative
    if target == current or target.has(sympy.Piecewise):
        return None
    if rational_normal_form(target - current) == 0:
        return target, "algebra"
    if exp_rational_normal_form(target - current) == 0:
        return target, "identity"
    return None


def _latex(expr) -> str:
    """SymPy's LaTeX, with its braced vector names ({z}_{k}) written plainly."""
    return re.sub(r"\{([A-Za-z])\}_", r"\1_", sympy.latex(expr))


def _toml(name, activation, expr, wrt, vector, lines) -> Generated:
    labels = {base.label for base in expr.atoms(sympy.IndexedBase)}
    parameters = sorted((s for s in expr.free_symbols if isinstance(s, sympy.Symbol) and s != X
                         and not s.is_integer and s not in labels), key=str)
    out = [f"title = {toml_string(f'{name}, derived step by step by symderive')}",
           f"source = {toml_string('symderive derive ' + name)}"]
    if activation is not None:
        out.append(f"activation = {toml_string(activation.name)}")
    if vector:
        out += ['variable = "z_k"', 'indexed = ["z", "S"]', 'indices = ["i", "j", "k", "n"]']
    else:
        out.append(f"variable = {toml_string(str(wrt))}")
    final = lines[-1][0]
    out.append(f"closed_form = {toml_string(_latex(final))}")
    if parameters:
        out += ["", "[parameters]"] + [f"{p} = {toml_string(domain_of(p))}" for p in parameters]
    definition = _latex(activation.expr if activation is not None and vector else expr.xreplace({X: wrt}))
    out += ["", "[let]", f"{'S_i' if vector else 'f'} = {toml_string(definition)}"]
    steps = []
    for expression, rule in lines:
        latex = _latex(expression)
        steps.append((latex, rule or ""))
        out += ["", "[[steps]]", f"latex = {toml_string(latex)}"]
        if rule:
            out.append(f"rule = {toml_string(rule)}")
    return Generated("\n".join(out) + "\n", tuple(steps))


def derive_latex(text: str, wrt: str = "x") -> Generated:
    """``derive`` for an expression written in LaTeX; catalog names in it
    (``\\sigma(x)``, ``\\operatorname{softplus}(x)``) stand for their definitions."""
    variable = sympy.Symbol(wrt, real=True)
    names = {n: sympy.Function(n) for n in function_names()}
    scope = Scope(variables={wrt: variable}, default_variable=variable, functions=names)
    expr = parse_expression(text, scope)

    def unfold(application):
        activation = lookup(str(application.func))
        return activation.expr.xreplace({activation.variable: application.args[0]})

    expr = expr.replace(lambda e: isinstance(e, AppliedUndef) and lookup(str(e.func)) is not None, unfold)
    return derive(expr, variable, name="expression")
