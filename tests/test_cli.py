"""The command line: exit codes, one-line errors with file:line:column, the
other files still checked."""

import json
import time
import subprocess
import sys
from pathlib import Path

import pytest

from library import LIBRARY, ROOT, run_cli

GOOD = LIBRARY / "001_identity_scalar.toml"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


BAD_INPUTS = {
    "bad-toml": ('title = "t"\n[[steps]\nlatex = "x"\n', 2),
    "bad-latex": ('title = "t"\nvariable = "x"\n[[steps]]\nlatex = \'\\frac{1}{x\'\n', 4),
    "unknown-rule": ('title = "t"\nvariable = "x"\n[[steps]]\nlatex = \'x\'\n[[steps]]\nlatex = \'x\'\nrule = "magic"\n', 7),
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_exits_2_with_location_and_others_still_checked(name, tmp_path, capsys):
    text, line = BAD_INPUTS[name]
    bad = write(tmp_path, f"{name}.toml", text)
    code, out, err = run_cli(["verify", bad, GOOD], capsys)
    assert code == 2
    messages = [m for m in err.splitlines() if m.strip()]
    assert len(messages) == 1, err
    assert messages[0].startswith(f"symderive: {bad}:{line}:"), messages[0]
    assert "Traceback" not in err
    assert "001_identity_scalar" in out and "ok" in out  # the good file was still verified


def test_missing_path_exits_2(tmp_path, capsys):
    code, _, err = run_cli(["verify", tmp_path / "nope.toml", GOOD], capsys)
    assert code == 2
    assert "no such file" in err


def test_failed_derivation_exits_1_and_names_the_step(tmp_path, capsys):
    text = GOOD.read_text(encoding="utf-8").replace("latex = '1'", "latex = '2'")
    bad = write(tmp_path, "wrong.toml", text)
    code, out, _ = run_cli(["verify", bad, "--format", "json"], capsys)
    assert code == 1
    step = json.loads(out)["derivations"][0]["steps"][1]
    assert step["verdict"] == "refuted" and step["counterexample"] is not None


def test_true_step_with_wrong_rule_is_not_justified(tmp_path, capsys):
    source = (LIBRARY / "001_tanh_sinh_cosh.toml").read_text(encoding="utf-8")
    text = source.replace('rule = "quotient"', 'rule = "product"')
    assert text != source
    bad = write(tmp_path, "wrong_rule.toml", text)
    code, out, _ = run_cli(["verify", bad, "--format", "json"], capsys)
    derivation = json.loads(out)["derivations"][0]
    assert code == 1 and derivation["status"] == "failed"
    step = next(s for s in derivation["steps"] if s["rule"] == "product")
    assert step["verdict"] == "proved" and step["justified"] is False
    code, out, _ = run_cli(["verify", bad], capsys)
    assert "NOT JUSTIFIED" in out


def test_usage_error_exits_2(capsys):
    assert run_cli(["verify", "--format", "yaml"], capsys)[0] == 2
    assert run_cli(["frobnicate"], capsys)[0] == 2


def test_help_explains(capsys):
    code, out, _ = run_cli(["--help"], capsys)
    assert code == 0
    assert "exit codes" in out and "verify" in out and "render" in out


def test_list_json(capsys):
    code, out, _ = run_cli(["list", "--format", "json", LIBRARY], capsys)
    data = json.loads(out)
    assert code == 0
    assert {"identity", "sigmoid", "tanh", "relu", "softmax"} <= {a["name"] for a in data["activations"]}
    assert {"chain", "quotient", "kronecker"} <= {r["name"] for r in data["rules"]}
    assert all(d["status"] == "verified" for d in data["derivations"])


def test_python_dash_m_runs(tmp_path):
    result = subprocess.run([sys.executable, "-m", "symderive", "verify", str(GOOD)],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "1 verified" in result.stdout


# ---- --quiet, --color, the progress bar, symderive hook ---------------------

REFUTED_AS_EXPECTED = LIBRARY / "000_sigmoid_chain_rule.toml"


def wrong_file(tmp_path):
    return write(tmp_path, "wrong.toml", GOOD.read_text(encoding="utf-8").replace("latex = '1'", "latex = '2'"))


def test_quiet_prints_only_failures_and_the_summary(tmp_path, capsys):
    wrong = wrong_file(tmp_path)
    code, loud, _ = run_cli(["verify", GOOD, REFUTED_AS_EXPECTED, wrong, "--color", "never"], capsys)
    quiet_code, quiet, _ = run_cli(["verify", GOOD, REFUTED_AS_EXPECTED, wrong, "--quiet", "--color", "never"], capsys)
    assert code == quiet_code == 1
    assert "001_identity_scalar" in loud and "refuted as expected" in loud
    lines = quiet.splitlines()
    assert lines[-1] == loud.splitlines()[-1] == "3 derivations: 2 verified, 1 failed, 0 incomplete, 0 errors"
    assert "001_identity_scalar" not in quiet and "refuted as expected" not in quiet
    assert any(line.startswith(f"  {wrong}:") and "REFUTED" in line for line in lines)
    assert all("wrong" in line or line == lines[-1] for line in lines)


def test_quiet_render_writes_the_documents_and_prints_only_failures_and_the_summary(tmp_path, capsys):
    wrong = wrong_file(tmp_path)
    out_dir = tmp_path / "out"
    code, out, _ = run_cli(["render", GOOD, wrong, "--out", out_dir, "--quiet", "--color", "never"], capsys)
    assert code == 1
    assert {f"{stem}.{ext}" for stem in (GOOD.stem, "wrong") for ext in ("md", "tex")} <= {
        p.name for p in out_dir.iterdir()}
    lines = out.splitlines()
    assert lines[-1] == "2 derivations: 1 verified, 1 failed, 0 incomplete, 0 errors"
    assert not any(line.startswith("wrote ") for line in lines)
    assert all("wrong" in line or line == lines[-1] for line in lines)
    loud_code, loud, _ = run_cli(["render", GOOD, "--out", out_dir, "--color", "never"], capsys)
    assert loud_code == 0 and f"wrote {out_dir / (GOOD.stem + '.md')}" in loud


def test_quiet_check_keeps_the_refuted_claims(capsys):
    post = ROOT / "examples" / "posts" / "001_561817a480d84ffc.txt"
    code, out, _ = run_cli(["check", post, "--quiet", "--color", "never"], capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"{post}: ") and "1 refuted" in lines[0]
    assert sum(1 for line in lines if "REFUTED" in line) == 1
    assert not any(line.strip().startswith("ok ") or "chain " in line for line in lines)


@pytest.mark.parametrize("argv_color, no_color, tty, expected", [
    ("always", "1", False, True), ("never", None, True, False), ("auto", None, True, True),
    ("auto", "1", True, False), ("auto", None, False, False)])
def test_color_choice(argv_color, no_color, tty, expected, tmp_path, capsys, monkeypatch):
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: tty)
    code, out, _ = run_cli(["verify", wrong_file(tmp_path), "--color", argv_color], capsys)
    assert code == 1
    assert ("\x1b[31m" in out) is expected
    assert "\x1b[" not in run_cli(["verify", wrong_file(tmp_path), "--color", argv_color, "--format", "json"],
                                  capsys)[1]


def test_progress_bar_only_on_a_terminal_and_not_when_quiet(capsys, monkeypatch):
    files = [GOOD, REFUTED_AS_EXPECTED]
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert run_cli(["verify", *files], capsys)[2] == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    _, out, err = run_cli(["verify", *files], capsys)
    assert "[" in err and "1/2" in err and "2/2" in err and GOOD.name in err
    monkeypatch.setenv("COLUMNS", "60")  # a narrow terminal keeps each file's name, not its folder
    err = run_cli(["verify", *files], capsys)[2]
    assert all(len(line) <= 59 for line in err.replace("\n", "\r").split("\r"))
    assert GOOD.name in err and REFUTED_AS_EXPECTED.name in err and "…" in err
    assert "#" not in out and "2/2" not in out  # the report on stdout is unchanged
    assert run_cli(["verify", *files, "--quiet"], capsys)[2] == ""
    assert run_cli(["verify", GOOD], capsys)[2] == ""  # one file: no bar


def test_hook_verifies_toml_checks_posts_and_skips_other_toml(tmp_path, capsys):
    wrong = wrong_file(tmp_path)
    config = write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n')
    post = write(tmp_path, "post.md", "$$ \\frac{d}{dx} x^2 = 3x $$\n")
    code, out, _ = run_cli(["hook", config, GOOD, "--color", "never"], capsys)
    assert code == 0 and "001_identity_scalar" in out and "pyproject" not in out
    code, out, _ = run_cli(["hook", GOOD, post, "--color", "never"], capsys)
    assert code == 1 and f"{post}:1:" in out and "REFUTED" in out
    code, out, _ = run_cli(["hook", wrong, post, "--color", "never", "--quiet"], capsys)
    assert code == 1 and f"{wrong}:15:10" in out and f"{post}:1:" in out
    assert run_cli(["hook", write(tmp_path, "broken.toml", "title = \n"), GOOD], capsys)[0] == 2


def test_a_refuted_closed_form_shows_its_counterexample(tmp_path, capsys):
    """ReLU's result with a case missing for 0 < x <= 2: the text report says where."""
    text = (LIBRARY / "000_relu_cases.toml").read_text(encoding="utf-8")
    text = text.replace(r"1 & \text{if } x > 0", r"1 & \text{if } x > 2")
    bad = write(tmp_path, "relu_gap.toml", text)
    code, out, _ = run_cli(["verify", bad, "--no-cache"], capsys)
    assert code == 1
    line = next(l for l in out.splitlines() if "closed form refuted" in l)
    assert "relu_gap.toml:" in line and "undefined vs 1" in line and "x = " in line


def test_a_reader_that_stops_early_gets_no_traceback():
    """`symderive list | head -1`: the pipe closes before the output is
    written; the command ends quietly with exit code 1."""
    process = subprocess.Popen([sys.executable, "-m", "symderive", "list"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # the reader is gone before the first write
    error = process.stderr.read().decode()
    assert process.wait(timeout=60) == 1
    assert "Traceback" not in error and "BrokenPipe" not in error


def _processes_naming(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in command and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_command_ends_without_teardown_and_leaves_no_worker(tmp_path, jobs):
    """`python -m symderive` ends with os._exit after flushing: the whole
    report arrives, the exit code is main()'s, and no prover worker (the
    persistent one of -j 1 included) outlives the command."""
    files = []
    for name in ("000_sigmoid_chain_rule.toml", "000_relu_cases.toml"):
        files.append(tmp_path / name)  # this run's own folder names its processes
        files[-1].write_bytes((ROOT / "derivations" / name).read_bytes())
    run = subprocess.run([sys.executable, "-m", "symderive", "verify", "-j", jobs, "--no-cache",
                          "--format", "json", *map(str, files)], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)  # a worker left holding the output pipes would make this wait
    assert run.returncode == 0 and run.stderr == ""
    assert [r["status"] for r in json.loads(run.stdout)["derivations"]] == ["verified", "verified"]
    deadline = time.monotonic() + 20
    while _processes_naming(str(tmp_path)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes_naming(str(tmp_path)) == []
