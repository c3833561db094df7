"""Textual mutations of a step's LaTeX: the mistakes authors make (the three the
CLI-level test uses; bench/mutants.py, the harness, has them all and the
splitting into top-level terms both use)."""

import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _load_harness():
    """bench/mutants.py, the mutation harness, loaded once by path (bench/ is not a package)."""
    if "mutants_harness" not in sys.modules:
        spec = importlib.util.spec_from_file_location("mutants_harness", ROOT / "bench" / "mutants.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["mutants_harness"] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    return sys.modules["mutants_harness"]


harness = _load_harness()


def sign_flip(latex):
    return f"-\\left({latex}\\right)"


def changed_exponent(latex):
    match = re.search(r"\^(\{[^{}]*\}|[0-9A-Za-z])", latex)
    if match is None:
        return f"2 \\left({latex}\\right)"
    target = match.group(1).strip("{}")
    return latex[:match.start()] + "^{" + f"({target}) + 1" + "}" + latex[match.end():]


def dropped_term(latex):
    cuts = harness.top_level_cuts(latex)
    if not cuts:
        return f"{latex} + 1"
    return latex[:cuts[-1]].rstrip()


MUTATIONS = {"sign flip": sign_flip, "changed exponent": changed_exponent, "dropped term": dropped_term}
