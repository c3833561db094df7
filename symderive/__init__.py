"""symderive: prove or refute step-by-step calculus derivations.

The Python API is the functions of this package (loaded on first use, so
``import symderive`` does not import SymPy); they are defined in
``symderive/api.py``::

    symderive.verify("derivations/000_sigmoid_chain_rule.toml")  # a Report
    symderive.verify("derivations")          # a list of Reports
    symderive.verify(toml_text)              # the text of a derivation file
    symderive.check_post(markdown_text)      # a PostReport
    symderive.derive("sigmoid")              # the verified Report of a generated derivation
    symderive.derive_toml("sigmoid")         # the derivation file derive verifies
    symderive.render_documents(report, "out/", to="md,tex")
    symderive.catalog.ACTIVATIONS["sigmoid"].derivative

Every name is one thing: ``symderive.derive`` is a function (the generator
behind it is the module ``symderive.generate``), and ``symderive.render`` is
the renderer package (``symderive.render.render_markdown(report)``).
"""

__version__ = "0.1.0"

_API = ("verify", "check_post", "derive", "derive_toml", "render_documents")
_MODULES = ("catalog", "render")
__all__ = [*_API, *_MODULES, "__version__"]


def __getattr__(name):  # PEP 562: SymPy loads only when an API function is used
    if name in _API:
        from . import api

        return getattr(api, name)
    if name in _MODULES:
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
