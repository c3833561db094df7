"""symderive: prove or refute step-by-step calculus derivations.

The Python API (loaded on first use, so ``import symderive`` does not
import SymPy)::

    symderive.verify("derivations/000_sigmoid_chain_rule.toml")  # a Report
    symderive.verify("derivations")          # a list of Reports
    symderive.verify(toml_text)              # the text of a derivation file
    symderive.check_post(markdown_text)      # a PostReport
    symderive.derive("sigmoid")              # the verified Report of a generated derivation
    symderive.render(report, "out/", to="md,tex")
    symderive.catalog.ACTIVATIONS["sigmoid"].derivative

``derive`` and ``render`` are functions here although ``symderive.derive``
and ``symderive.render`` are also module names: import from those modules
with ``from symderive.derive import ...``, never ``from symderive import derive``
when the module is meant.
"""

import types as _types

__version__ = "0.1.0"

_API = ("verify", "check_post", "derive", "derive_toml", "render")
__all__ = [*_API, "catalog", "__version__"]


def __getattr__(name):  # PEP 562: SymPy loads only when an API function is used
    if name in _API:
        from . import python_api

        return getattr(python_api, name)
    if name == "catalog":
        import importlib

        return importlib.import_module(".catalog", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))


class _Package(_types.ModuleType):
    """Keeps the API names pointing at the functions: importing the modules
    ``symderive.derive`` or ``symderive.render`` would otherwise bind the
    module over the name ``derive``/``render`` of this package."""

    def __setattr__(self, name, value):
        if name in _API and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


import sys as _sys  # noqa: E402

_sys.modules[__name__].__class__ = _Package
