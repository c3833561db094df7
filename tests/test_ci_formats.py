"""--format github and --format junit for verify and check: every line a
well-formed workflow command pointing at the failing step; JUnit XML with
the schema's required attributes and counts that match the report."""

import contextlib
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest

from library import LIBRARY, ROOT, run_cli
from symderive.cli import main

SEEDS = ROOT / "examples" / "posts"
# derivation files that replay an author's mistake (expect = "refuted") and one plain file
REFUTED_IN_LIBRARY = sorted(p for p in LIBRARY.glob("*.toml") if 'expect = "refuted"' in p.read_text(encoding="utf-8"))
GOOD = LIBRARY / "001_identity_scalar.toml"

# ::command key=value,key=value::message (values escape % CR LF : , ; messages escape % CR LF)
PROPERTY = r"(?:file|line|col|endLine|endColumn|title)=(?:[^%,:\r\n]|%25|%0D|%0A|%3A|%2C)*"
COMMAND = re.compile(rf"^::(?P<command>error|warning|notice)(?: (?P<props>{PROPERTY}(?:,{PROPERTY})*))?"
                     r"::(?P<message>(?:[^%\r\n]|%25|%0D|%0A)*)$")


def unescape(text):
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def parse_github(out):
    commands = []
    for line in out.splitlines():
        match = COMMAND.match(line)
        assert match, f"not a workflow command: {line!r}"
        props = dict(p.split("=", 1) for p in match["props"].split(",")) if match["props"] else {}
        commands.append((match["command"], {k: unescape(v) for k, v in props.items()}, unescape(match["message"])))
    return commands


def bad_latex_file(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('title = "t"\nvariable = "x"\n\n[[steps]]\nlatex = \'\\frac{1}{x\'\n', encoding="utf-8")
    return path


def wrong_step_file(tmp_path):
    text = GOOD.read_text(encoding="utf-8").replace("latex = '1'", "latex = '2'")
    path = tmp_path / "wrong.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_library_has_refuted_steps_to_test_with():
    assert len(REFUTED_IN_LIBRARY) >= 2


@pytest.fixture(scope="module")
def verify_runs(tmp_path_factory):
    """The JSON report and the github and junit outputs of one set of files:
    the library's refuted replays, a wrong step and bad LaTeX."""
    tmp = tmp_path_factory.mktemp("ci")
    paths = [*REFUTED_IN_LIBRARY, wrong_step_file(tmp), bad_latex_file(tmp)]
    outputs = {}
    for fmt in ("json", "github", "junit"):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["verify", *map(str, paths), "--format", fmt])
        outputs[fmt] = (code, out.getvalue(), err.getvalue())
    return paths, outputs


def test_github_lines_are_workflow_commands_at_the_failing_steps(verify_runs):
    paths, outputs = verify_runs
    report = json.loads(outputs["json"][1])
    code, out, _ = outputs["github"]
    assert code == outputs["json"][0] == 2  # bad input wins over a failed derivation
    commands = parse_github(out)
    errors = [(props, message) for command, props, message in commands if command == "error"]

    expected = []
    for derivation in report["derivations"]:
        for step in derivation["steps"]:
            accepted = (step["verdict"] == "refuted") if step["expect"] == "refuted" else \
                (step["verdict"] == "proved" and step["justified"] is not False)
            if not accepted and step["verdict"] != "unknown":
                expected.append((derivation["file"], str(step["line"]), str(step["column"])))
    step_errors = [(p["file"], p["line"], p["col"]) for p, _ in errors if "step" in p["title"]]
    assert step_errors == expected and expected  # the wrong step, nothing for expected refutations
    wrong = next(m for p, m in errors if p["file"].endswith("wrong.toml") and "step" in p["title"])
    assert "at every point" in wrong and "1" in wrong and "2" in wrong

    broken = [p for p, m in errors if p["file"].endswith("broken.toml")]
    assert broken == [{"file": str(paths[-1]), "line": "5", "col": "18", "title": "symderive: bad input"}]
    notice = [m for command, _, m in commands if command == "notice"]
    assert notice == [f"{len(paths)} derivations: {report['summary']['verified']} verified, "
                      f"{report['summary']['failed']} failed, {report['summary']['incomplete']} incomplete, "
                      f"{report['summary']['error']} errors"]


def test_junit_has_required_fields_and_counts_matching_the_report(verify_runs):
    paths, outputs = verify_runs
    report = json.loads(outputs["json"][1])
    code, out, _ = outputs["junit"]
    assert code == 2
    root = ET.fromstring(out)
    assert root.tag == "testsuites"
    for key in ("name", "tests", "failures", "errors", "time"):
        assert key in root.attrib, key
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [d["file"] for d in report["derivations"]]
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for suite, derivation in zip(suites, report["derivations"]):
        for key in ("name", "tests", "failures", "errors", "time"):
            assert key in suite.attrib, key
        cases = suite.findall("testcase")
        for case in cases:
            for key in ("name", "classname", "time"):
                assert case.get(key), key
            float(case.get("time"))
        names = [c.get("name") for c in cases]
        assert len(set(names)) == len(names)
        failed_steps = [s for s in derivation["steps"]
                        if not ((s["verdict"] == "refuted") if s["expect"] == "refuted"
                                else (s["verdict"] == "proved" and s["justified"] is not False))]
        closed_failed = derivation["closed_form"] is not None and derivation["closed_form"]["verdict"] != "proved"
        expected_tests = len(derivation["steps"]) + (derivation["closed_form"] is not None) + \
            (derivation["error"] is not None)
        assert int(suite.get("tests")) == len(cases) == expected_tests
        assert int(suite.get("failures")) == len(failed_steps) + closed_failed
        assert int(suite.get("errors")) == (derivation["error"] is not None)
        for case in cases:
            outcome = case.find("failure")
            if outcome is None:
                outcome = case.find("error")
            if outcome is not None:
                assert outcome.get("message") and outcome.get("type")
        for key in totals:
            totals[key] += int(suite.get(key))
    for key, value in totals.items():
        assert int(root.get(key)) == value
    wrong = next(s for s in suites if s.get("name").endswith("wrong.toml"))
    failure = wrong.find("testcase/failure")
    assert failure.get("type") == "refuted"
    broken = next(s for s in suites if s.get("name").endswith("broken.toml"))
    error = broken.find("testcase/error")
    assert error.get("type") == "bad-input" and error.text.startswith(f"{paths[-1]}:5:18:")


def test_verified_files_give_only_a_notice_and_passing_cases(capsys):
    code, out, _ = run_cli(["verify", GOOD, "--format", "github"], capsys)
    assert code == 0
    assert [c for c, _, _ in parse_github(out)] == ["notice"]
    code, out, _ = run_cli(["verify", GOOD, "--format", "junit"], capsys)
    root = ET.fromstring(out)
    assert code == 0 and root.get("failures") == "0" and root.get("errors") == "0" and int(root.get("tests")) >= 2


def test_workflow_command_escapes_what_would_end_it():
    from symderive.emit.common import workflow_command

    line = workflow_command("error", "50% a\nb", file="a,b:c.toml", line=3, title="t: x")
    assert "\n" not in line
    command, props, message = parse_github(line)[0]
    assert (command, props, message) == ("error", {"file": "a,b:c.toml", "line": "3", "title": "t: x"}, "50% a\nb")


@pytest.mark.parametrize("seed", ["000_0e0e1611387224ec.txt", "001_561817a480d84ffc.txt"])
def test_check_github_and_junit_on_the_seed_posts(seed, capsys):
    post = SEEDS / seed
    code_json, out, _ = run_cli(["check", post, "--format", "json"], capsys)
    data = json.loads(out)["derivations"][0]
    refuted = [(s["line"], s["column"]) for s in data["steps"] if s["verdict"] == "refuted"]
    assert refuted  # each seed has a real mistake

    code, out, _ = run_cli(["check", post, "--format", "github"], capsys)
    assert code == code_json
    commands = parse_github(out)
    errors = [(int(p["line"]), int(p["col"])) for c, p, _ in commands if c == "error"]
    assert errors == refuted
    assert all(p["file"] == str(post) for _, p, _ in commands)
    assert sum(1 for c, _, _ in commands if c == "notice") == 1

    code, out, _ = run_cli(["check", post, "--format", "junit"], capsys)
    assert code == code_json
    root = ET.fromstring(out)
    suite = root.find("testsuite")
    assert suite.get("name") == str(post)
    cases = suite.findall("testcase")
    assert int(suite.get("tests")) == len(cases) == len(data["steps"]) + len(data["unreadable"])
    failures = [c.find("failure") for c in cases if c.find("failure") is not None]
    assert int(suite.get("failures")) == len(failures) == data["counts"]["refuted"] + data["counts"]["unknown"]
    assert sum(1 for f in failures if f.get("type") == "refuted") == len(refuted)
    assert all(c.get("classname") and c.get("time") for c in cases)


def test_check_unreadable_file_is_an_error(tmp_path, capsys):
    missing = tmp_path / "missing.md"
    code, out, _ = run_cli(["check", missing, "--format", "github"], capsys)
    assert code == 2
    (command, props, message), *_ = parse_github(out)
    assert command == "error" and props["file"] == str(missing) and props["line"] == "1"
    code, out, _ = run_cli(["check", missing, "--format", "junit"], capsys)
    root = ET.fromstring(out)
    assert code == 2 and root.get("errors") == "1" and root.find("testsuite/testcase/error") is not None
