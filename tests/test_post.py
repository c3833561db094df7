"""symderive check / import on posts: the seeds as they are, Markdown and
LaTeX layouts, unreadable math, and a property: one wrong step inserted in a
correct chain is the one step reported refuted."""

import json

import pytest

from symderive.errors import SymderiveError
import sympy
from hypothesis import given, settings, strategies as st, HealthCheck

from library import ROOT, run_cli
from symderive.post.check import check_post

SEEDS = ROOT / "examples" / "posts"
SEED_000 = SEEDS / "000_0e0e1611387224ec.txt"
SEED_001 = SEEDS / "001_561817a480d84ffc.txt"


def claims(report):
    return report.claims()


@pytest.mark.parametrize("seed, mistake_line", [(SEED_000, 23), (SEED_001, 37)], ids=["000", "001"])
def test_seed_mistakes_refuted_everything_else_proved(seed, mistake_line):
    report = check_post(seed.read_text(encoding="utf-8"), str(seed))
    refuted = [s for s in claims(report) if s.verdict == "refuted"]
    assert [s.line for s in refuted] == [mistake_line]
    assert refuted[0].evidence.point
    assert all(s.verdict == "proved" for s in claims(report) if s.line != mistake_line)
    counts = report.counts()
    assert counts["parsed"] == counts["math_blocks"] and counts["unknown"] == 0
    assert counts["chains"] >= 4


def test_seed_000_counterexample_and_sections():
    report = check_post(SEED_000.read_text(encoding="utf-8"), "000")
    step = next(s for s in claims(report) if s.verdict == "refuted")
    assert dict(step.evidence.point) == {"x": "0"}
    assert (step.evidence.lhs_value, step.evidence.rhs_value) == ("1/4", "-1/4")
    conditions = {s.condition for s in claims(report)}
    assert {"x > 0", "x <= 0", "i = k", "i \\neq k"} <= conditions
    names = {s.lhs for s in report.definitions}
    assert {"u", "f(x) = \\max(0, x)".split(" =")[0], "S_i"} <= names


def test_check_cli_json_and_exit_code(capsys):
    code, out, _ = run_cli(["check", SEED_000, "--format", "json"], capsys)
    assert code == 1  # the post has a mistake
    data = json.loads(out)
    post = data["derivations"][0]
    assert post["status"] == "failed" and post["chains"]
    step = next(s for c in post["chains"] for s in c["steps"] if s["verdict"] == "refuted")
    assert step["line"] == 23 and step["relation"] == "=" and step["counterexample"]["point"] == {"x": "0"}
    assert data["summary"]["refuted"] == 1


def test_check_text_shows_counts(capsys):
    code, out, _ = run_cli(["check", SEED_001], capsys)
    assert code == 1
    # the three true statements of catalog functions (g_logistic(z) = ...) are proved claims
    assert "17 steps: 16 proved, 1 refuted, 0 unknown" in out
    assert "counterexample at D = 2" in out


MARKDOWN = r"""# Softplus

Let $s(x) = \log(1 + e^x)$. Apply the chain rule:

$$
\frac{d}{dx} s(x) = \frac{1}{1 + e^x} \cdot e^x
$$

```math
\frac{d}{dx} s(x) = \frac{e^x}{1 + e^x}
```

\begin{align}
\frac{e^x}{1 + e^x} &= \frac{1}{1 + e^{-x}} \\
&= \sigma(x)
\end{align}

And $2 + 2 \approx 4.001$.
"""


def test_markdown_layouts():
    report = check_post(MARKDOWN, "softplus.md")
    verdicts = [(s.line, s.verdict) for s in claims(report)]
    assert all(v == "proved" for _, v in verdicts if _ != 18), verdicts
    lines = {line for line, _ in verdicts}
    assert {6, 10, 14, 15} <= lines, verdicts
    first = next(s for s in claims(report) if s.line == 6)
    assert first.rule_hint == ("chain",)
    approx = next(s for s in claims(report) if s.approximate)
    assert approx.verdict == "approximate"  # 2 + 2 is within 1e-2 of 4.001, and an approximation is never proved
    assert report.status == "incomplete"


def test_unreadable_math_is_unknown_with_a_caret(tmp_path, capsys):
    post = tmp_path / "bad.md"
    post.write_text("Intro\n\n$$\\frac{d}{dx} x^2 = 2x$$\n\n$$ y = \\frac{1}{x $$\n", encoding="utf-8")
    code, out, err = run_cli(["check", post], capsys)
    assert code == 1 and "Traceback" not in err
    assert f"{post}:5:" in out and "^" in out
    report = check_post(post.read_text(encoding="utf-8"), str(post))
    assert report.counts()["proved"] == 1 and report.counts()["unreadable"] == 1 and report.status == "incomplete"


def test_import_seeds_then_verify_gives_the_same_verdicts(tmp_path, capsys):
    for seed in (SEED_000, SEED_001):
        report = check_post(seed.read_text(encoding="utf-8"), str(seed))
        code, out, err = run_cli(["import", seed, "-o", tmp_path / f"{seed.stem}.toml"], capsys)
        assert code == 0, err
        written = sorted(tmp_path.glob(f"{seed.stem}_*.toml"))
        assert written
        code, out, err = run_cli(["verify", *written, "--format", "json"], capsys)
        derivations = json.loads(out)["derivations"]
        assert code == 0, [d for d in derivations if d["status"] != "verified"]
        refuted = [s for d in derivations for s in d["steps"] if s["verdict"] == "refuted"]
        expected = [s for s in claims(report) if s.verdict == "refuted" and s.relation != "is"]
        assert len(refuted) == len(expected)
        imported_claims = sum(len(d["steps"]) - 1 for d in derivations)
        assert imported_claims == sum(1 for s in claims(report) if s.relation != "is")


# -- property: one wrong step in a correct chain --------------------------------------

X = sympy.Symbol("x", real=True)
TERMS = [X**2, X**3, sympy.exp(X), sympy.exp(-X), sympy.exp(2 * X), 1 / (1 + sympy.exp(-X)),
         sympy.sinh(X), sympy.cosh(X), X * sympy.exp(X)]


@st.composite
def functions(draw):
    chosen = draw(st.lists(st.sampled_from(TERMS), min_size=1, max_size=3, unique=True))
    coefficients = draw(st.lists(st.integers(1, 4), min_size=len(chosen), max_size=len(chosen)))
    return sum(c * t for c, t in zip(coefficients, chosen))


def _forms(derivative):
    forms = [derivative, sympy.expand(derivative), sympy.together(derivative), derivative.rewrite(sympy.exp)]
    unique = []
    for form in forms:
        if all(form != u for u in unique):
            unique.append(form)
    return unique


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(function=functions(), data=st.data())
def test_inserted_wrong_step_is_the_one_refuted(function, data):
    derivative = sympy.diff(function, X)
    forms = _forms(derivative)
    wrong = data.draw(st.sampled_from([2 * derivative, derivative + 1, derivative + X]), label="wrong")
    position = data.draw(st.integers(0, len(forms)), label="position")
    lines = [f"Let $f(x) = {sympy.latex(function)}$.", ""]
    displays = [sympy.latex(f) for f in forms]
    displays.insert(position, sympy.latex(wrong))
    for number, display in enumerate(displays):
        lead = "" if number == 0 else "\\Rightarrow "
        lines += [f"$$ {lead}\\frac{{d}}{{dx}} f(x) = {display} $$", ""]
    report = check_post("\n".join(lines), "generated.md")
    verdicts = [s.verdict for s in claims(report)]
    assert len(verdicts) == len(displays), (verdicts, lines)
    assert [i for i, v in enumerate(verdicts) if v == "refuted"] == [position], (verdicts, lines)
    assert all(v == "proved" for i, v in enumerate(verdicts) if i != position), (verdicts, lines)


def test_dollars_inside_inline_code_are_not_math():
    """A README that shows the delimiters in code (`$..$`) has no math there."""
    from symderive.post.check import check_post

    text = "Math is found in `$..$` and `\\(..\\)` spans.\n\nHere is real math: $x^2 = x \\cdot x$.\n"
    report = check_post(text, "readme.md")
    assert report.parsed == report.blocks == 1 and not report.unreadable


def test_an_undefined_function_is_imported_with_the_checks_verdicts(tmp_path):
    """s'(x) with s never defined: the file declares s (`functions`), so it
    reads s as the post did. (That every imported corpus chain loads is
    checked by the mutation harness's test, which imports the corpus.)"""
    from symderive import api
    from symderive.post.importer import claim_runs, import_post
    from symderive.post.check import check_post_with_state

    text = ("$$s'(x) = \\frac{-\\frac{d}{dx}(e^{-x}+1)}{(e^{-x}+1)^2} = \\frac{e^{-x}}{(e^{-x}+1)^2}$$\n")
    report, state = check_post_with_state(text, "s.md")
    paths = import_post(text, "s.md", tmp_path / "s.toml")
    assert all('functions = ["s"]' in path.read_text(encoding="utf-8") for path in paths)
    replayed = [[s.verdict for s in r.steps[1:]] for r in api.verify(paths)]
    # s is never defined: only the step after s'(x) can be proved
    runs = [[s.verdict for s in run] for run in claim_runs(report, state)]
    assert replayed == runs == [["unknown", "proved"]]


def test_a_name_differentiated_as_its_body_is_imported_with_that_body(tmp_path):
    """tests/corpus/01 opens with s'(x) = d/dx (1/(e^{-x}+1)), s never
    defined: the relation names s, so each file lets s be that body, and the
    restated s'(x) = s(x)(1 - s(x)) further down replays as check proved it."""
    post = ROOT / "tests" / "corpus" / "01_sigmoid_heatonresearch.md"
    from symderive import api
    from symderive.post.importer import claim_runs, import_post
    from symderive.post.check import check_post_with_state

    report, state = check_post_with_state(post.read_text(encoding="utf-8"), str(post))
    paths = import_post(post.read_text(encoding="utf-8"), str(post), tmp_path / "s.toml")
    assert all("s = '\\frac{1}{e^{-x}+1}'" in path.read_text(encoding="utf-8") for path in paths)  # the author's
    replayed = [[s.verdict for s in r.steps[1:]] for r in api.verify(paths)]
    runs = [[s.verdict for s in run] for run in claim_runs(report, state)]
    assert replayed == runs and runs[-1] == ["proved"]


def test_a_redefined_name_and_a_new_left_side_are_imported_as_the_post_means_them(tmp_path):
    """tests/corpus/10: one display derives softsign's f'(x), then redefines
    y = f(x) = |x| and derives f'(x) again. The file keeps the definitions in
    force at each claim (the later f = |x| does not replace the earlier f),
    y = f(x) is a definition too (dy/dx needs it), and the chain is cut where
    a new left side or a new definition starts, so every file replays the
    verdicts of check: all proved."""
    post = ROOT / "tests" / "corpus" / "10_softsign_bakerb_notebook.md"
    from symderive import api
    from symderive.post.importer import import_post

    report = check_post(post.read_text(encoding="utf-8"), str(post))
    assert {s.verdict for s in claims(report)} == {"proved"}
    written = import_post(post.read_text(encoding="utf-8"), str(post), tmp_path / "s.toml")
    replayed = list(api.verify(written))
    assert [r.status for r in replayed] == ["verified"] * len(written), [str(r) for r in replayed]
    assert sum(len(r.steps) - 1 for r in replayed) == len(claims(report))
    texts = [path.read_text(encoding="utf-8") for path in written]
    assert "f = '\\frac{x}{| x |+ 1}'" in texts[0] and "y = " in texts[0]
    assert any("f = '|x|'" in text for text in texts[1:])


def test_import_names_the_claims_it_leaves_out(tmp_path, capsys):
    """A display opening with '=' is not written to a file (there a [let]
    name is a function, and y(1-y) an application): import says so, with
    the claim's place, instead of dropping it silently."""
    post = ROOT / "tests" / "corpus" / "01_sigmoid_heatonresearch.md"
    code, out, err = run_cli(["import", post, "-o", tmp_path / "s.toml"], capsys)
    assert code == 0, err
    assert f"{post}:13:3: left out: the display opens with its relation" in err
    assert f"{post}:25:43: left out: a side of this relation cannot be written" in err


def test_import_of_several_posts_writes_each_into_the_folder(tmp_path, capsys):
    code, out, err = run_cli(["import", SEED_000, SEED_001, "-o", tmp_path], capsys)
    assert code == 0, err
    assert sorted(tmp_path.glob(f"{SEED_000.stem}_*.toml")) and sorted(tmp_path.glob(f"{SEED_001.stem}_*.toml"))


def test_after_a_refuted_claim_the_next_file_starts_from_the_wrong_line(tmp_path):
    """Check relates each claim to its own left side; after a mistake that
    is the wrong line (a = b refuted, then b = c proved). The import starts
    a new file there, so verify gives the same verdicts."""
    post = tmp_path / "post.md"
    post.write_text("The derivative:\n\n$$\\frac{d}{dx} x^2 e^x = 2x e^x = x e^x + x e^x$$\n", encoding="utf-8")
    from symderive import api
    from symderive.post.importer import import_post

    report = check_post(post.read_text(encoding="utf-8"), str(post))
    assert [s.verdict for s in claims(report)] == ["refuted", "proved"]
    written = import_post(post.read_text(encoding="utf-8"), str(post), tmp_path / "s.toml")
    replayed = [s.verdict for r in api.verify(written) for s in r.steps[1:]]
    assert sorted(replayed) == sorted(s.verdict for s in claims(report) if s.relation != "is")
    assert replayed.count("refuted") == 1


CORPUS_POSTS = sorted((ROOT / "tests" / "corpus").glob("[0-9]*.md"))


@pytest.mark.parametrize("post", CORPUS_POSTS, ids=lambda p: p.stem)
def test_every_corpus_post_imports_as_files_that_replay_checks_verdicts(post, tmp_path):
    """Claim for claim: each file's steps get the verdicts check gave the
    claims it holds (undefined functions declared, redefinitions, new left
    sides, steps after a mistake and stated sums such as sum_i y_i = 1
    carried over)."""
    from symderive import api
    from symderive.post.check import check_post_with_state
    from symderive.post.importer import claim_runs, import_post, left_out

    text = post.read_text(encoding="utf-8")
    report, state = check_post_with_state(text, str(post), 10.0)
    runs = claim_runs(report, state)
    # every claim is in a file or left out with its reason: none disappears silently
    gone = left_out(report, state)
    placed = [(c.line, c.column) for run in runs for c in run] + [(c.line, c.column) for c in gone]
    assert sorted(placed) == sorted((c.line, c.column) for c in report.claims())
    assert all(c.reason for c in gone)
    if not runs:  # nothing a file can hold (all of it unreadable, say): import says so
        with pytest.raises(SymderiveError, match="no chain"):
            import_post(text, str(post), tmp_path / f"{post.stem}.toml")
        return
    written = import_post(text, str(post), tmp_path / f"{post.stem}.toml")
    assert len(written) == len(runs)
    for path, replayed, run in zip(written, api.verify(written), runs):
        assert replayed.error is None, replayed.error
        assert sorted(s.verdict for s in replayed.steps[1:]) == sorted(c.verdict for c in run), path.read_text()
