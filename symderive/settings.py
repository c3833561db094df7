"""How a run proves: settings shared by the engine, the API and the CLI.
(Kept apart from the engine so a cached run never imports SymPy.)"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class Settings:
    """``timeout``: the limit in seconds for each step's proof."""

    timeout: float = DEFAULT_TIMEOUT
