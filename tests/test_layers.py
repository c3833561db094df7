"""The package's layers: the import-linter contracts of pyproject.toml hold,
they catch an upward import, and no module of symderive/ (latex/ included)
is part of an import cycle, counting imports inside functions too."""

import ast
import shutil
import subprocess
import sys
import warnings

from library import ROOT

PACKAGE = ROOT / "symderive"
LINT = ("import sys\nfrom importlinter.cli import lint_imports\n"
        "sys.exit(lint_imports(no_cache=True, no_logo=True))\n")


def lint_imports(folder):
    """(exit code, report) of `lint-imports` run on pyproject.toml in ``folder``."""
    run = subprocess.run([sys.executable, "-c", LINT], cwd=folder, capture_output=True, text=True, timeout=300)
    return run.returncode, run.stdout + run.stderr


def test_the_layer_contracts_hold():
    code, report = lint_imports(ROOT)
    assert code == 0, report


def test_an_upward_import_breaks_the_contracts(tmp_path):
    """The contracts are not vacuous: the model importing the engine is caught."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(PACKAGE, tmp_path / "symderive", ignore=shutil.ignore_patterns("__pycache__"))
    evidence = tmp_path / "symderive" / "evidence.py"
    evidence.write_text(evidence.read_text(encoding="utf-8") + "\n\ndef _upward():\n    from . import engine\n",
                        encoding="utf-8")
    code, report = lint_imports(tmp_path)
    assert code != 0 and "symderive.evidence is not allowed to import symderive.engine" in report, report


# ---- no import cycle -------------------------------------------------------------

def module_name(path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def _existing(name: str) -> str:
    """``name``, or the nearest package or module above it that exists
    (``from .report import Report`` names a class of a module)."""
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def imported_by(name: str) -> set[str]:
    """The modules of symderive that ``name`` imports, at module level or in a
    function. Importing ``a.b.c`` from outside the package ``a.b`` runs
    ``a/b/__init__.py`` as well, so that counts as importing it (the root
    package, which every import runs, imports nothing when it is loaded)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    targets = set()
    with warnings.catch_warnings():  # a module's own warnings (escapes in strings) are its tests' business
        warnings.simplefilter("ignore")
        tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1])
                base = ".".join(filter(None, [base, node.module]))
            else:
                base = node.module
            targets |= {f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                        for alias in node.names}
    found = set()
    for target in targets:
        target = _existing(target)
        if target not in MODULES:
            continue  # not ours
        parts = target.split(".")
        for depth in range(2, len(parts) + 1):
            ancestor = ".".join(parts[:depth])
            inside = name == ancestor or name.startswith(ancestor + ".")
            if ancestor == target or (ancestor in MODULES and not inside):
                found.add(ancestor)
    return found - {name}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_import_cycles_are_found():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_cycles(graph) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_a_function_level_import_and_a_package_init_count():
    assert "symderive.engine" in imported_by("symderive.batch")  # imported inside verify_file
    assert "symderive.render" in imported_by("symderive.documents")
    assert "symderive.latex" in imported_by("symderive.generate.activation")  # latex/__init__ runs for latex.scope


def test_no_import_cycle_in_the_package():
    graph = {name: imported_by(name) for name in MODULES}
    cycles = import_cycles(graph)
    assert not cycles, "modules importing each other, directly or through others: " + "; ".join(map(str, cycles))
