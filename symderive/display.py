"""Jupyter's rich display of model objects, drawn by the output layer.

``Report``, ``StepReport`` and ``Derivation`` inherit ``Displayed``: Jupyter
asks them for ``_repr_markdown_`` and ``_repr_latex_``, and they answer
with the drawer the output layer registered for their class
(``render/notebook.py`` registers them when it is imported). The model
imports nothing of the output layer; with no drawer registered Jupyter
shows the plain ``repr``.
"""

from __future__ import annotations

from typing import Callable

MARKDOWN, LATEX = "markdown", "latex"

_DRAWERS: dict[tuple[type, str], Callable[[object], str]] = {}


def register_display(cls: type, kind: str, draw: Callable[[object], str]) -> None:
    """Draw instances of ``cls`` as ``kind`` (MARKDOWN or LATEX) with ``draw``."""
    _DRAWERS[(cls, kind)] = draw


def _draw(obj, kind: str) -> str | None:
    for cls in type(obj).__mro__:
        draw = _DRAWERS.get((cls, kind))
        if draw is not None:
            return draw(obj)
    return None


class Displayed:
    """Jupyter's display hooks, answered by the registered drawers."""

    __slots__ = ()

    def _repr_markdown_(self) -> str | None:
        return _draw(self, MARKDOWN)

    def _repr_latex_(self) -> str | None:
        return _draw(self, LATEX)
