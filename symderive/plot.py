"""Plots of an activation and its derivative (like Figure 1 of the Stansbury
post), as SVG written deterministically. matplotlib is an optional extra
(``pip install 'symderive[plot]'``); without it, ``plot`` raises a
SymderiveError that says so, and documents are written without figures
(``available`` tells which)."""

from __future__ import annotations

from pathlib import Path

import sympy

from .catalog import lookup
from .errors import SymderiveError
from .files import write_text_atomically

X_RANGE = (-5.0, 5.0)
MISSING = "plots left out: matplotlib is not installed (pip install 'symderive[plot]')"
POINTS = 401


def _sample_values(activation) -> dict:
    x = activation.variable
    values = {}
    for symbol in activation.expr.free_symbols - {x}:
        values[symbol] = activation.samples.get(symbol.name, 1.0)
    return values


def _curves(activation):
    x = activation.variable
    values = _sample_values(activation)
    expr = activation.expr.subs(values)
    derivative = activation.derivative.subs(values)
    f = sympy.lambdify(x, expr, "math")
    df = sympy.lambdify(x, derivative, "math")
    low, high = X_RANGE
    xs = [low + (high - low) * k / (POINTS - 1) for k in range(POINTS)]
    return xs, [float(f(v)) for v in xs], [float(df(v)) for v in xs]


def available() -> bool:
    """Whether matplotlib can be imported (the optional ``plot`` extra)."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def figure_of(activation):
    """A matplotlib figure with f and f' of a scalar activation (the look of
    every plot: the SVGs beside the Markdown and the booklet's PDF figures)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise SymderiveError("plots need matplotlib: pip install 'symderive[plot]'") from error
    if activation.vector:
        raise SymderiveError(f"{activation.name} is a vector function: no plot")
    xs, ys, dys = _curves(activation)
    figure, axes = plt.subplots(figsize=(5, 3.2))
    axes.plot(xs, ys, label=f"{activation.name}(x)")
    axes.plot(xs, dys, linestyle="--", label=f"{activation.name}'(x)")
    axes.axhline(0, color="0.7", linewidth=0.8)
    axes.axvline(0, color="0.7", linewidth=0.8)
    axes.set_title(activation.title)
    axes.legend(loc="best")
    axes.grid(True, alpha=0.3)
    return figure


def plot_svg(activation) -> str:
    """An SVG with f and f' of a scalar activation; the same text every run."""
    from io import StringIO

    figure = figure_of(activation)  # selects the Agg backend before pyplot is imported
    import matplotlib
    import matplotlib.pyplot as plt

    matplotlib.rcParams["svg.hashsalt"] = "symderive"
    matplotlib.rcParams["svg.fonttype"] = "none"
    buffer = StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    return buffer.getvalue()


def write_plots(names, out: Path) -> list[Path]:
    """One SVG per named activation in ``out``, written atomically."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names:
        activation = lookup(name)
        if activation is None:
            raise SymderiveError(f"unknown activation {name!r}")
        if activation.vector:
            continue
        path = out / f"{activation.name}.svg"
        write_text_atomically(path, plot_svg(activation))
        written.append(path)
    return written
