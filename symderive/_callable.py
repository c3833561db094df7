"""Modules that are also the API function of the same name.

``symderive.derive`` and ``symderive.render`` are both modules (the
generator, the document renderer) and functions of the Python API
(``symderive.derive("sigmoid")``, ``symderive.render(report, "out/")``).
Binding the function to the package's attribute hid the module from
``import symderive.render.pdf as pdf``; binding the module broke the call.
So the module itself is callable: calling it calls the API function, and
every import of the module keeps working.
"""

from __future__ import annotations

import sys
import types


def make_callable(module_name: str, api_name: str) -> None:
    """Calling the module ``module_name`` calls ``python_api.<api_name>``."""

    class _CallableModule(types.ModuleType):
        def __call__(self, *args, **kwargs):
            from . import python_api

            return getattr(python_api, api_name)(*args, **kwargs)

    _CallableModule.__call__.__doc__ = f"symderive.{api_name}(...): see symderive.python_api.{api_name}"
    sys.modules[module_name].__class__ = _CallableModule
