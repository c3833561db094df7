"""An interrupted render leaves the output folder byte-identical to before.

``symderive render`` runs as a subprocess on a copy of part of the library,
into a copy of output/; SIGTERM is sent at a moment the test observes (not
after a blind sleep): once the first file is verified (its verdict appears
in a private verdict cache), or while the documents are being made (the
staging folder beside the output folder exists). The output folder's tree
hash must not change, and no staging folder may be left behind.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from symderive.cache import VerdictCache

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ("000_sigmoid_chain_rule", "000_relu_cases", "001_identity_scalar", "001_tanh_definition",
           "000_tanh_quotient_rule", "001_logistic_add_subtract_one")
POLL = 0.005
PATIENCE = 240.0  # seconds for a cold render of the files above on a busy machine


def tree_hash(folder: Path) -> str:
    """A digest of every path under ``folder`` and of every file's bytes."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        if path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    library = tmp_path / "library"
    library.mkdir()
    for name in LIBRARY:
        shutil.copy(ROOT / "derivations" / f"{name}.toml", library)
    shutil.copytree(ROOT / "output", tmp_path / "out")
    # earlier versions of the documents, so any write the render makes shows
    for name in LIBRARY:
        for suffix in (".md", ".tex"):
            (tmp_path / "out" / f"{name}{suffix}").write_text(f"an earlier {name}{suffix}\n")
    return tmp_path


def start_render(workspace: Path, formats: str, *options: str, **env: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "symderive", "render", str(workspace / "library"),
               "--out", str(workspace / "out"), "--to", formats, "--jobs", "1", *options]
    env = dict(os.environ, PYTHONPATH=str(ROOT), **env)
    return subprocess.Popen(command, cwd=workspace, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def wait_for(condition, process: subprocess.Popen) -> bool:
    """Poll until ``condition()`` holds; False if the process ended first."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if condition():
            return True
        if process.poll() is not None:
            return False
        time.sleep(POLL)
    raise AssertionError("the moment to interrupt never came")


def terminate(process: subprocess.Popen) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=PATIENCE)
    return process.returncode, stderr.decode()


def staging_folders(workspace: Path) -> list[Path]:
    return list(workspace.glob(".out.staging-*"))


def documents_made(workspace: Path, before: str) -> bool:
    """A first document exists: in a staging folder, or (were there none)
    in the output folder itself."""
    staged = any(path.is_file() for folder in staging_folders(workspace) for path in folder.rglob("*"))
    return staged or tree_hash(workspace / "out") != before


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="the write phase is long enough only with pdflatex")
def test_sigterm_while_documents_are_made_leaves_output_unchanged(workspace):
    before = tree_hash(workspace / "out")
    process = start_render(workspace, "md,tex,pdf", "--no-cache")
    reached = wait_for(lambda: documents_made(workspace, before), process)
    assert reached, "the render ended before it made any document"
    code, stderr = terminate(process)
    assert code != 0, "the render was not interrupted"
    assert "Traceback" not in stderr
    assert tree_hash(workspace / "out") == before
    assert staging_folders(workspace) == []


def test_sigterm_after_the_first_file_is_verified_leaves_output_unchanged(workspace):
    # A private verdict cache tells when the first file is verified: its
    # report is stored the moment it is known.
    cache = workspace / "cache"
    before = tree_hash(workspace / "out")
    process = start_render(workspace, "md,tex", SYMDERIVE_CACHE_DIR=str(cache))
    # any prover version: the render digests the source as it is when it starts
    reached = wait_for(lambda: any(len(VerdictCache(cache, version=v.name)) for v in cache.glob("*")
                                   if v.is_dir()), process)
    assert reached, "the render ended before the first file was verified"
    code, stderr = terminate(process)
    assert code == 128 + signal.SIGTERM
    assert "terminated" in stderr and "Traceback" not in stderr
    assert tree_hash(workspace / "out") == before
    assert staging_folders(workspace) == []


def test_a_completed_render_does_change_the_output(workspace):
    """The check above can fail: an uninterrupted render rewrites the folder."""
    before = tree_hash(workspace / "out")
    (workspace / "out" / "000_relu_cases.md").write_text("old\n")
    changed = tree_hash(workspace / "out")
    process = start_render(workspace, "md,tex,pdf", "--no-cache")
    process.communicate(timeout=PATIENCE)
    after = tree_hash(workspace / "out")
    assert after != changed and before != changed
    assert staging_folders(workspace) == []
