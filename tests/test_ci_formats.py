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


# ---- the pieces every format shares: evidence's codec, verdict names, counterexamples --------

def test_evidence_codec_round_trips_and_reads_the_caches_older_entries():
    from symderive.evidence import (Approximate, Proved, Refuted, Unknown, UnknownKind, decode_evidence,
                                    encode_evidence)

    pieces = [Proved("structural equality"), Refuted((("x", "0"),), "1/4", "-1/4"),
              Unknown("no strategy applies"), Unknown("gave up", UnknownKind.TIMEOUT),
              Approximate(0.01, ((("x", "1/10"),), (("x", "-1/10"),))), None]
    for piece in pieces:
        assert decode_evidence(json.loads(json.dumps(encode_evidence(piece)))) == piece
    # entries written before Unknown had a kind: only lasting verdicts were stored
    old = decode_evidence({"kind": "unknown", "reason": "the cases do not cover x = 0"})
    assert old == Unknown("the cases do not cover x = 0") and old.lasting


def test_an_unknown_that_depends_on_the_machine_is_not_lasting():
    from symderive.evidence import Unknown, UnknownKind

    assert not Unknown("gave up", UnknownKind.TIMEOUT).lasting
    assert not Unknown("worker died", UnknownKind.ERROR).lasting
    assert Unknown("no strategy applies").lasting
    # the kind is given, never read from the words of the reason
    assert Unknown("timeout after 10 s").lasting


def test_verdict_names_are_written_only_as_the_reports_show_them():
    from symderive.evidence import Approximate, Proved, Refuted, Unknown, Verdict, verdict_of

    kinds = [verdict_of(e) for e in (Proved("m"), Refuted((), "1", "2"), Unknown("r"), Approximate(0.1, ()))]
    assert kinds == [Verdict.PROVED, Verdict.REFUTED, Verdict.UNKNOWN, Verdict.APPROXIMATE]
    assert json.dumps(kinds) == '["proved", "refuted", "unknown", "approximate"]'


@pytest.mark.parametrize("form, expected", [
    ("short", "at x = 0, k = 1: 1/4 vs -1/4"),
    ("lines", "at x = 0, k = 1: previous line = 1/4, this line = -1/4"),
    ("sides", "at x = 0, k = 1 the left side is 1/4 and the right side is -1/4"),
])
def test_one_counterexample_sentence_in_several_wordings(form, expected):
    from symderive.emit.common import counterexample_text
    from symderive.evidence import Refuted

    refuted = Refuted((("x", "0"), ("k", "1")), "1/4", "-1/4")
    assert counterexample_text(refuted, form) == expected
    assert counterexample_text(Refuted((), "1", "2")) == "at every point: 1 vs 2"
    assert counterexample_text(refuted, "sentence", lambda t: f"`{t}`") == \
        "at `x = 0, k = 1` the previous line is `1/4` and this line is `-1/4`"


@pytest.mark.parametrize("text", ["proved", "refuted", "unknown", "unknown (timeout after 10 s)",
                                  "unknown (internal error: f(x) (at 2))"])
def test_an_extra_checks_verdict_text_is_kept_whole(text):
    from symderive.evidence import Verdict
    from symderive.report import decode_check

    check = decode_check("Jacobian diag(S) - S S^T", text)
    assert check.verdict_text == text and check.verdict == Verdict(text.split(" ")[0])
    assert (check.reason is None) == ("(" not in text)


def test_the_model_draws_itself_only_with_a_drawer_the_output_layer_registered():
    from dataclasses import dataclass

    from symderive.display import LATEX, MARKDOWN, Displayed, register_display

    @dataclass(frozen=True)
    class Thing(Displayed):
        name: str

    class Other(Thing):
        pass

    assert Thing("a")._repr_markdown_() is None  # nothing registered: Jupyter shows the plain repr
    register_display(Thing, MARKDOWN, lambda thing: f"**{thing.name}**")
    assert Thing("a")._repr_markdown_() == "**a**" and Other("b")._repr_markdown_() == "**b**"
    assert Thing("a")._repr_latex_() is None
    register_display(Other, LATEX, lambda thing: "\\textbf{other}")
    assert Other("b")._repr_latex_() == "\\textbf{other}" and Thing("a")._repr_latex_() is None


def test_the_model_loads_without_the_output_layer_or_sympy():
    import subprocess
    import sys

    code = ("import sys, symderive.report, symderive.derivation, symderive.post.report, symderive.evidence; "
            "print(sorted(m for m in sys.modules if m.startswith(('symderive.render', 'symderive.emit', 'sympy', "
            "'jinja2'))))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert loaded.stdout.strip() == "[]"
