"""The pre-commit hook: run its entry exactly as pre-commit does (entry +
args + the staged file names, in a git repository) on a bad derivation; it
must fail and name the step's file:line. With the pre-commit package
installed, pre-commit itself runs the hook too (as a local hook, so nothing
is downloaded)."""

import shlex
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

from library import LIBRARY, ROOT

yaml = pytest.importorskip("yaml", reason="PyYAML comes with the test extra (via pre-commit)")

GOOD = LIBRARY / "001_identity_scalar.toml"


def hook():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["symderive-verify"]
    return hooks[0]


def entry_command(spec):
    """The entry's program as installed: the console script pyproject declares."""
    program, *rest = shlex.split(spec["entry"])
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert program in scripts
    installed = Path(sysconfig.get_path("scripts")) / program
    return ([str(installed)] if installed.exists() else [sys.executable, "-m", "symderive"]) + rest


def checkout_env(**extra):
    """The environment with this checkout's package first on the path (the
    console script may belong to an install of another checkout)."""
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True)


@pytest.fixture
def repo(tmp_path):
    """A git repository with a staged bad derivation, a good one, a
    pyproject.toml and a post."""
    git(tmp_path, "init", "-q")
    (tmp_path / "derivations").mkdir()
    bad = GOOD.read_text(encoding="utf-8").replace("latex = '1'", "latex = '2'")
    (tmp_path / "derivations" / "bad.toml").write_text(bad, encoding="utf-8")
    shutil.copy(GOOD, tmp_path / "derivations" / "good.toml")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (tmp_path / "post.md").write_text("# Post\n\n$$ \\frac{d}{dx} x^3 = 3x^2 $$\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not matched by the hook\n", encoding="utf-8")
    git(tmp_path, "add", ".")
    return tmp_path


def staged_files(repo):
    listed = subprocess.run(["git", "diff", "--cached", "--name-only"], cwd=repo, capture_output=True,
                            text=True, check=True).stdout.split()
    return listed


def test_hook_entry_fails_on_a_bad_derivation_with_its_file_and_line(repo):
    import re

    spec = hook()
    files = [f for f in staged_files(repo) if re.search(spec["files"], f)]
    assert sorted(files) == ["derivations/bad.toml", "derivations/good.toml", "post.md", "pyproject.toml"]
    result = subprocess.run(entry_command(spec) + spec.get("args", []) + files, cwd=repo,
                            capture_output=True, text=True, timeout=300, env=checkout_env())
    assert result.returncode == 1, result.stdout + result.stderr
    assert "derivations/bad.toml:15:10: step 1 REFUTED" in result.stdout
    assert "good: " in result.stdout and "pyproject" not in result.stdout
    assert "post.md: verified: 1 chains, 1 steps: 1 proved" in result.stdout
    assert "\x1b[" not in result.stdout


def test_hook_entry_passes_when_everything_verifies(repo):
    import re

    (repo / "derivations" / "bad.toml").unlink()
    git(repo, "add", "-A")
    spec = hook()
    files = [f for f in staged_files(repo) if re.search(spec["files"], f)]
    result = subprocess.run(entry_command(spec) + spec.get("args", []) + files, cwd=repo,
                            capture_output=True, text=True, timeout=300, env=checkout_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_runs_the_hook(repo, tmp_path_factory):
    """pre-commit itself, offline: the hook's entry, files and args as a
    local hook (a `language: python` hook would pip-install this repository)."""
    if shutil.which("pre-commit") is None and not _has_module("pre_commit"):
        pytest.skip("the pre-commit package is not installed (it is in the test extra)")
    spec = hook()
    local = {"repos": [{"repo": "local", "hooks": [{
        "id": spec["id"], "name": spec["name"], "entry": " ".join(entry_command(spec)), "language": "system",
        "files": spec["files"], "args": spec.get("args", [])}]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(local), encoding="utf-8")
    git(repo, "add", ".pre-commit-config.yaml")
    env = {"PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")), "PATH": _path(),
           "HOME": str(repo), "GIT_CONFIG_NOSYSTEM": "1", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "pre_commit", "run", spec["id"]], cwd=repo,
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout and "derivations/bad.toml:15:10: step 1 REFUTED" in result.stdout


def _has_module(name):
    import importlib.util

    return importlib.util.find_spec(name) is not None


def _path():
    import os

    return os.pathsep.join([sysconfig.get_path("scripts"), os.environ.get("PATH", "")])
