"""The command line: exit codes, one-line errors with file:line:column, the
other files still checked."""

import json
import subprocess
import sys

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
