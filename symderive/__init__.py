"""symderive: prove or refute step-by-step calculus derivations."""

__version__ = "0.1.0"
