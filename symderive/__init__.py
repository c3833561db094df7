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

``symderive.derive`` and ``symderive.render`` are also the modules of those
names (the generator, the renderer); calling them calls the API functions
(``_callable.py``), so ``import symderive.render.pdf`` works as well.
"""

__version__ = "0.1.0"

_API = ("verify", "check_post", "derive_toml")
_MODULES = ("catalog", "derive", "render")  # derive and render: callable modules
__all__ = [*_API, *_MODULES, "__version__"]


def __getattr__(name):  # PEP 562: SymPy loads only when an API function is used
    if name in _API:
        from . import python_api

        return getattr(python_api, name)
    if name in _MODULES:
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
