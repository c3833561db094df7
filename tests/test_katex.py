"""Every math block of output/*.md renders with KaTeX (as GitHub and most
Markdown viewers display math), run by Node through tests/katex_check.js.

.ci/run installs Node and the katex npm package and sets NODE_PATH. Without
them this test fails when CI is set (so CI never skips it silently); on a
developer machine without Node or katex it is skipped, with the command to
install katex in the skip reason.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from library import ROOT

OUTPUT = ROOT / "output"
CHECKER = Path(__file__).resolve().parent / "katex_check.js"
# Where the .ci/run line `npm install --prefix ~/.cache/symderive-katex katex@0.19` puts it.
DEFAULT_MODULES = Path.home() / ".cache" / "symderive-katex" / "node_modules"
INSTALL = "npm install --prefix ~/.cache/symderive-katex katex@0.19"

_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_DISPLAY = re.compile(r"^\$\$ (.+) \$\$$")
_INLINE = re.compile(r"(?<![\\$])\$((?:\\.|[^$\\])+?)\$")


def math_blocks(text: str) -> tuple[list[tuple[int, str, bool]], list[str]]:
    """(line number, math, display?) of every $$..$$ line and inline $..$
    block of a Markdown document, and the problems a GitHub reader would
    see: a stray dollar, inline math that starts or ends with a space."""
    blocks, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        line = _CODE_SPAN.sub("", line)
        display = _DISPLAY.match(line)
        if display:
            blocks.append((number, display.group(1), True))
            continue
        for match in _INLINE.finditer(line):
            math = match.group(1)
            if math != math.strip():
                problems.append(f"line {number}: inline math ${math}$ starts or ends with a space")
            blocks.append((number, math, False))
        rest = _INLINE.sub("", line).replace("\\\\", "").replace("\\$", "")
        if "$" in rest:
            problems.append(f"line {number}: a dollar sign outside any math block: {line}")
    return blocks, problems


def _node_path() -> str:
    paths = [p for p in os.environ.get("NODE_PATH", "").split(os.pathsep) if p]
    return os.pathsep.join(paths + [str(DEFAULT_MODULES)])


def _katex_available(node: str) -> bool:
    probe = subprocess.run([node, "-e", "require('katex')"], capture_output=True, timeout=60,
                           env=dict(os.environ, NODE_PATH=_node_path()))
    return probe.returncode == 0


def katex_errors(blocks: list[dict]) -> list[dict]:
    """The errors KaTeX reports for ``blocks`` ({"id", "tex", "display"})."""
    node = shutil.which("node")
    if node is None or not _katex_available(node):
        missing = "node is not installed" if node is None else "the katex npm package is not installed"
        if os.environ.get("CI"):
            pytest.fail(f"{missing}; .ci/run installs it ({INSTALL})")
        # Local runs only: skipped, never in CI (see above).
        pytest.skip(f"{missing}: {INSTALL}")
    result = subprocess.run([node, str(CHECKER)], input=json.dumps(blocks), capture_output=True,
                            text=True, timeout=300, env=dict(os.environ, NODE_PATH=_node_path()))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_math_extraction_finds_display_inline_and_stray_dollars():
    text = ("# T\n\n$$ \\frac{1}{2} $$\n\n> at $x = 0$ it is `$1` and \\$2\n\n"
            "cost $ 3$ here\n\nopen $x\n")
    blocks, problems = math_blocks(text)
    assert (3, "\\frac{1}{2}", True) in blocks
    assert (5, "x = 0", False) in blocks
    assert len(problems) == 2
    assert "starts or ends with a space" in problems[0] and "line 7" in problems[0]
    assert "line 9" in problems[1]


def test_katex_reports_errors_it_is_given():
    """The checker itself: a broken block and an undefined command are
    errors, a good block is not (so a passing run means something)."""
    errors = katex_errors([{"id": "bad", "tex": "\\frac{1}{", "display": True},
                           {"id": "unknown", "tex": "\\notacommand x", "display": False},
                           {"id": "good", "tex": "\\sigma(x) (1 - \\sigma(x))", "display": True}])
    assert sorted({e["id"] for e in errors}) == ["bad", "unknown"]


def test_every_math_block_of_output_renders_with_katex():
    documents = sorted(OUTPUT.glob("*.md"))
    assert documents
    blocks, problems = [], []
    for document in documents:
        found, wrong = math_blocks(document.read_text(encoding="utf-8"))
        problems += [f"{document.name} {p}" for p in wrong]
        blocks += [{"id": f"{document.name}:{line}", "tex": tex, "display": display}
                   for line, tex, display in found]
    assert not problems, "\n".join(problems)
    assert len(blocks) > 200  # every derivation has math; a broken extractor finds none
    errors = katex_errors(blocks)
    assert not errors, "\n".join(f"{e['id']}: {e['error']}" for e in errors)
