"""TRANSITIONAL: cli.py imports ``hook_targets`` from here; it goes once
cli.py imports it from ``symderive.batch``."""

from .batch import hook_targets  # noqa: F401
