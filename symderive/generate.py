"""Generate a step-by-step derivation, one named rule per step, like a
careful teacher: the engine chooses the rule for the first derivative still
unevaluated, applies it wherever it fits (exactly what ``verify`` replays),
and writes the line. The result is a derivation file, verified like any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy
from sympy.core.function import AppliedUndef

from .catalog import I_, K_, X, Z_, function_names, lookup
from .derivation import toml_string
from .errors import SymderiveError
from .latex import parse_expression
from .latex.scope import Scope
from .meaning import Meaning
from .normal_form import exp_rational_normal_form, rational_normal_form
from .rules import RULES, RuleContext, apply_rules

MAX_STEPS = 60
_HYPERBOLIC = (sympy.sinh, sympy.cosh, sympy.tanh, sympy.sin, sympy.cos)
_PIECEWISE = (sympy.Piecewise, sympy.Max, sympy.Min, sympy.Abs)


def _first_rules(body, wrt) -> tuple[str, ...]:
    """The rules that fit the outermost form of ``body``, best first."""
    if body.has(*_PIECEWISE):
        return ("cases",)
    if body.is_Add:
        return ("sum",)
    if isinstance(body, sympy.Sum):
        return ("kronecker", "sum")
    if isinstance(body, sympy.Indexed):
        return ("kronecker",)
    if body.is_Mul:
        coefficient, rest = body.as_independent(wrt, as_Add=False)
        numerator, denominator = sympy.fraction(body)
        if coefficient != 1 and not coefficient.has(sympy.Indexed) and not coefficient.atoms(AppliedUndef):
            return ("constant",)
        if denominator != 1 and denominator.has(wrt) and numerator != 1:
            return ("quotient", "product")
        return ("product", "quotient")
    if isinstance(body, sympy.Pow):
        return ("power", "chain") if not body.exp.has(wrt) else ("exp", "chain")
    if isinstance(body, sympy.exp):
        return ("exp",)
    if isinstance(body, sympy.log):
        return ("log",)
    if isinstance(body, _HYPERBOLIC):
        return ("hyperbolic",)
    return tuple(name for name in ("erf", "atan", "chain") if name in RULES)


def _next_step(expr, ctx: RuleContext, meaning: Meaning) -> tuple[sympy.Basic, str] | None:
    """The next line and the one rule that gives it, or None when stuck."""
    for node in sympy.preorder_traversal(expr):
        if not isinstance(node, sympy.Derivative):
            continue
        body = meaning.definition_of(node.expr) or node.expr
        wrt = node.variable_count[0][0]
        candidates = _first_rules(body, wrt) + tuple(n for n, r in RULES.items() if r.rewrite is not None)
        for name in dict.fromkeys(candidates):
            if name not in RULES or RULES[name].rewrite is None:
                continue
            result = apply_rules(expr, (name,), ctx)
            if result != expr:
                return result, name
    return None


@dataclass(frozen=True)
class Generated:
    """A derivation file's text and the steps it holds, for reporting."""

    toml: str
    steps: tuple[tuple[str, str], ...]  # (latex, rule)


def _domain(symbol: sympy.Symbol) -> str:
    if symbol.is_positive:
        return "positive"
    if symbol.is_nonnegative:
        return "nonnegative"
    if symbol.is_negative:
        return "negative"
    return "real"


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
        step = _next_step(current, ctx, meaning)
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
        out += ["", "[parameters]"] + [f"{p} = {toml_string(_domain(p))}" for p in parameters]
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
