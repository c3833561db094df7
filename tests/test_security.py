"""No code execution from input, and author text cannot act in documents.

1. The package never evaluates text: a scan of its source for eval, exec,
   sympify, parse_expr, __import__, pickle loads, shell commands (with an
   allow-list, each entry with its reason).
2. Python, template (jinja, ``${{ }}``) and TeX payloads in every field of a
   derivation file and of a post: the CLI runs end in a result or a one-line
   error, never a traceback, and the marker files the payloads would create
   never appear.
3. Rendering: payloads in the title, source, description and notes come out
   escaped in the .md and .tex, and as visible text in the PDF (pdflatex runs
   without shell escape), without the content of /etc/passwd.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "symderive"
RUN_SECONDS = 600

# -- 1. the source ---------------------------------------------------------------

FORBIDDEN = {
    "eval": re.compile(r"(?<![\w.])eval\("),
    "exec": re.compile(r"(?<![\w.])exec\("),
    "compile": re.compile(r"(?<![\w.])compile\("),
    "sympify": re.compile(r"\bsympify\("),
    "S(text)": re.compile(r"\bsympy\.S\(|(?<![\w.])S\("),
    "parse_expr": re.compile(r"\bparse_expr\("),
    "parse_latex": re.compile(r"\bparse_latex\("),
    "__import__": re.compile(r"__import__"),
    "pickle.load": re.compile(r"\bpickle\.loads?\("),
    "lambdify": re.compile(r"\blambdify\("),
    "shell": re.compile(r"shell\s*=\s*True|\bos\.system\(|\bos\.popen\("),
    "yaml.load": re.compile(r"\byaml\.(?:unsafe_)?load\("),
}
# (file relative to the package, pattern name) -> why it is safe.
ALLOWED = {
    ("plot.py", "lambdify"): "compiles catalog expressions written in the package (activations/), "
                             "never text read from a file or a post",
}


def source_hits() -> list[tuple[str, int, str, str]]:
    hits = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = str(path.relative_to(PACKAGE))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0]
            for name, pattern in FORBIDDEN.items():
                if pattern.search(code) and (relative, name) not in ALLOWED:
                    hits.append((relative, number, name, line.strip()))
    return hits


def test_no_evaluation_of_text_in_the_package():
    assert source_hits() == []


def test_the_source_scan_finds_what_it_looks_for(tmp_path, monkeypatch):
    """The scan above can fail: planted calls are found."""
    planted = tmp_path / "symderive"
    planted.mkdir()
    (planted / "bad.py").write_text("value = sympify(text)\nrun = eval(code)\nimport pickle\npickle.loads(b)\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", planted)
    assert [hit[2] for hit in source_hits()] == ["sympify", "eval", "pickle.load"]


# -- 2. payloads in every field ---------------------------------------------------------

def python_payloads(marker: Path) -> list[str]:
    command = f"touch {marker}"
    return [
        f"__import__('os').system('{command}')",
        f"eval(\"__import__('os').system('{command}')\")",
        f"${{{{ __import__('os').system('{command}') }}}}",
        f"{{{{ config.__class__.__init__.__globals__['os'].system('{command}') }}}}",
        f"{{% for c in [].__class__.__base__.__subclasses__() %}}{{{{ c('{command}', shell=True) }}}}{{% endfor %}}",
        f"\\VAR{{cycler.__init__.__globals__.os.system('{command}')}}",
        f"\\BLOCK{{set x = cycler.__init__.__globals__.os.system('{command}')}}",
        f"\\immediate\\write18{{{command}}}",
        "\\input{/etc/passwd}",
    ]


BASE = {
    "title": "Base", "source": "base", "description": "d", "variable": "x", "closed_form": "2x",
    "let": {"u": "x^2"},
    "steps": [{"latex": "\\frac{d}{dx} u"},
              {"latex": "\\frac{d}{dx} x^2", "rule": "definition", "note": "n"},
              {"latex": "2x", "rule": "power"}],
    "cases": [{"condition": "x > 0", "steps": [{"latex": "2x", "rule": "algebra"}]}],
}


def with_payload(field: str, payload: str) -> dict:
    """BASE with ``payload`` in one field (a path such as steps.1.note)."""
    data = json.loads(json.dumps(BASE))
    if field == "let-name":
        data["let"][payload] = "x"
        return data
    *path, last = field.split(".")
    target = data
    for key in path:
        target = target[int(key)] if key.isdigit() else target[key]
    target[int(last) if last.isdigit() else last] = payload
    return data


FIELDS = ["title", "source", "description", "variable", "activation", "closed_form", "let.u", "let-name",
          "steps.0.latex", "steps.1.latex", "steps.1.rule", "steps.1.note", "steps.2.expect",
          "cases.0.condition", "cases.0.steps.0.latex", "cases.0.steps.0.note"]
TEXT_FIELDS = ("title", "source", "description", "steps.1.note", "cases.0.steps.0.note")


def to_toml(data: dict) -> str:
    """A derivation file; every string a TOML basic string (JSON escapes are TOML's)."""
    lines = []
    for key, value in data.items():
        if isinstance(value, str):
            lines.append(f"{json.dumps(key)} = {json.dumps(value)}")
    lines.append("[let]")
    lines += [f"{json.dumps(k)} = {json.dumps(v)}" for k, v in data["let"].items()]
    for step in data["steps"]:
        lines.append("[[steps]]")
        lines += [f"{json.dumps(k)} = {json.dumps(v)}" for k, v in step.items()]
    for case in data["cases"]:
        lines += ["[[cases]]", f"condition = {json.dumps(case['condition'])}"]
        for step in case["steps"]:
            lines.append("[[cases.steps]]")
            lines += [f"{json.dumps(k)} = {json.dumps(v)}" for k, v in step.items()]
    return "\n".join(lines) + "\n"


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-m", "symderive", *args], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=RUN_SECONDS)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def payload_library(tmp_path_factory) -> tuple[Path, Path]:
    """One derivation file per (field, payload); the marker the payloads name."""
    folder = tmp_path_factory.mktemp("payloads")
    marker = folder / "pwned_marker"
    library = folder / "library"
    library.mkdir()
    for f, field in enumerate(FIELDS):
        for p, payload in enumerate(python_payloads(marker)):
            (library / f"f{f:02d}_p{p}.toml").write_text(to_toml(with_payload(field, payload)))
    return library, marker


def test_payloads_in_derivation_files_execute_nothing(payload_library):
    library, marker = payload_library
    result = run_cli("verify", str(library), "--format", "json", "--no-cache", cwd=library.parent)
    assert not marker.exists()
    assert result.returncode in (1, 2)
    report = json.loads(result.stdout)
    statuses = {Path(d["file"]).stem: d["status"] for d in report["derivations"]}
    assert len(statuses) == len(FIELDS) * len(python_payloads(marker))
    for name, status in statuses.items():
        field = FIELDS[int(name[1:3])]
        if field in TEXT_FIELDS:
            assert status == "verified", (name, status)  # prose is only text
        elif field not in ("steps.2.expect",):
            assert status != "verified", (name, status)  # math, names and rules refuse it


def test_the_payloads_would_act_if_evaluated(tmp_path):
    """The marker check above can fail: evaluated as Python, a payload does create it."""
    marker = tmp_path / "pwned_marker"
    subprocess.run([sys.executable, "-c", python_payloads(marker)[0]], check=True)
    assert marker.exists()


def post_with_payload(payload: str) -> str:
    return f"""# {payload}

Let $u = 1 + e^{{-x}}$ and {payload}.

$$\\sigma(x) = \\frac{{1}}{{u}} \\quad \\text{{{payload}}}$$

$$ {payload} = x $$

[{payload}](javascript:alert(1)) <script>{payload}</script>

```math
{payload}
```
"""


def test_payloads_in_posts_execute_nothing(tmp_path):
    marker = tmp_path / "pwned_marker"
    posts = []
    for number, payload in enumerate(python_payloads(marker)):
        post = tmp_path / f"post{number}.md"
        post.write_text(post_with_payload(payload))
        posts.append(str(post))
    checked = run_cli("check", *posts, "--timeout", "2", cwd=tmp_path)
    assert checked.returncode in (0, 1, 2)
    for number, post in enumerate(posts):
        imported = run_cli("import", post, "-o", str(tmp_path / f"imported{number}.toml"), "--timeout", "2",
                           cwd=tmp_path)
        assert imported.returncode in (0, 1, 2)
    assert not marker.exists()


# -- 3. rendering escapes author text ----------------------------------------------------------

TEX_PAYLOADS = [
    "\\input{/etc/passwd}",
    "\\write18{touch MARKER}",
    "\\immediate\\write18{touch MARKER}",
    "\\catcode`\\^^5c=12 \\def\\x{1}",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1)) ![i](http://example.invalid/x.png)",
    "`code` *bold* _it_ # heading | cell | $x$ $$y$$ % comment & ~ ^ {}",
]
ACTIVE_TEX = re.compile(r"\\(?:input|include|write18|write|immediate|catcode|openout|openin|def)\b")


def rendered_payloads(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    library, out = tmp_path / "library", tmp_path / "out"
    library.mkdir()
    payloads = []
    for number, template in enumerate(TEX_PAYLOADS):
        payload = template.replace("MARKER", str(tmp_path / "pwned_marker"))
        payloads.append(payload)
        data = with_payload("title", payload)
        for field in TEXT_FIELDS[1:]:
            data = _set(data, field, payload)
        (library / f"payload{number}.toml").write_text(to_toml(data))
    return library, out, payloads


def _set(data: dict, field: str, value: str) -> dict:
    *path, last = field.split(".")
    target = data
    for key in path:
        target = target[int(key)] if key.isdigit() else target[key]
    target[int(last) if last.isdigit() else last] = value
    return data


def test_markdown_and_latex_escape_author_text(tmp_path):
    library, out, payloads = rendered_payloads(tmp_path)
    result = run_cli("render", str(library), "--out", str(out), "--to", "md,tex", "--no-cache", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for number, payload in enumerate(payloads):
        markdown = (out / f"payload{number}.md").read_text()
        latex = (out / f"payload{number}.tex").read_text()
        assert not re.search(r"(?<!\\)<(?:script|img)", markdown)
        assert not re.search(r"(?<!\\)\]\(javascript:", markdown)
        body = latex.split("\\begin{document}", 1)[1]  # the preamble is the template's own
        assert ACTIVE_TEX.search(body) is None, payload
        assert "textbackslash{}" in latex or "\\" not in payload


def test_the_escape_checks_can_fail():
    """Unescaped payloads are caught by the checks above."""
    assert ACTIVE_TEX.search("\\title{\\input{/etc/passwd}}")
    assert re.search(r"(?<!\\)\]\(javascript:", "[click](javascript:alert(1))")
    assert re.search(r"(?<!\\)<(?:script|img)", "# <script>alert(1)</script>")


@pytest.mark.skipif(shutil.which("pdflatex") is None or shutil.which("pdftotext") is None,
                    reason="needs pdflatex and pdftotext")
def test_pdf_shows_payloads_as_text_and_reads_no_file(tmp_path):
    library, out, payloads = rendered_payloads(tmp_path)
    result = run_cli("render", str(library), "--out", str(out), "--to", "pdf", "--pdf-each", "--no-cache",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "pwned_marker").exists()
    passwd = Path("/etc/passwd").read_text(errors="replace").splitlines()
    for number in range(len(payloads)):
        text = subprocess.run(["pdftotext", str(out / f"payload{number}.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert not any(line and line in text for line in passwd[:3])
    shown = subprocess.run(["pdftotext", str(out / "payload0.pdf"), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert "\\input{/etc/passwd}" in shown.replace("\n", "")
