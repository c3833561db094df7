"""TRANSITIONAL: cli.py imports the generator from here; it goes once cli.py
imports it from ``symderive.generate`` (while it exists, importing it binds
``symderive.derive`` to this module instead of the API function)."""

from .generate import derive, derive_latex  # noqa: F401
