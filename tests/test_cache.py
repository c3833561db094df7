"""The verdict cache and parallel runs: a cached or parallel run gives the
report a fresh serial run gives, and the cache is invalidated by what it must be."""

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from symderive import batch
from symderive.cache import VerdictCache, decode_report, encode_report, report_is_lasting
from symderive.cli import main
from symderive.evidence import Unknown, UnknownKind
from symderive.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = ROOT / "derivations"
SAMPLE = [LIBRARY / name for name in
          ("000_sigmoid_chain_rule.toml", "000_relu_cases.toml", "001_identity_vector.toml", "elu.toml")]


@pytest.fixture(scope="module")
def fresh():
    return [r for _, r in batch.verify_files(SAMPLE)]


def test_reports_survive_the_cache_encoding(fresh):
    for report in fresh:
        again = decode_report(json.loads(json.dumps(encode_report(report))))
        assert again == report
        assert again.status == report.status


def test_a_warm_run_gives_the_fresh_report_without_proving(tmp_path, fresh):
    cache = VerdictCache(tmp_path)
    cold = [r for _, r in batch.verify_files(SAMPLE, cache=cache)]
    assert cold == fresh
    warm_cache = VerdictCache(tmp_path)
    warm = batch.verify_files(SAMPLE, cache=warm_cache)
    assert [r for _, r in warm] == fresh
    assert all(derivation is None for derivation, _ in warm)  # nothing was loaded or proved
    assert warm_cache.hits == len(SAMPLE) and warm_cache.misses == 0


def test_an_edited_file_reuses_the_verdicts_of_its_unchanged_steps(tmp_path, fresh):
    copy = tmp_path / "sigmoid.toml"
    shutil.copy(SAMPLE[0], copy)
    cache = VerdictCache(tmp_path / "cache")
    first = batch.verify_files([copy], cache=cache)[0][1]
    # the same steps spelled differently: the file changes, the normalised steps do not
    copy.write_text(copy.read_text().replace("\\frac{d}{dx}", "\\frac{d }{d x}"))
    again = VerdictCache(tmp_path / "cache")
    second = batch.verify_files([copy], cache=again)[0][1]
    assert [s.verdict for s in second.steps] == [s.verdict for s in first.steps]
    assert again.misses == 1  # only the file entry; every step, the result and the extra checks hit
    assert again.hits == len(first.steps) + 2


def test_a_second_derivation_of_an_activation_reads_its_activation_checks(tmp_path):
    """The output-form check depends on the activation alone: a second
    derivation of the sigmoid (other steps, other context) hits that one
    entry and proves its own steps; a tanh derivation hits nothing."""
    cache = VerdictCache(tmp_path)
    batch.verify_files([LIBRARY / "000_sigmoid_chain_rule.toml"], cache=cache)
    other = VerdictCache(tmp_path)
    (_, report), = batch.verify_files([LIBRARY / "001_logistic_add_subtract_one.toml"], cache=other)
    assert report.activation == "sigmoid" and other.hits == 1
    assert any("backward" in name for name, _ in report.extra_checks)
    tanh = VerdictCache(tmp_path)
    batch.verify_files([LIBRARY / "000_tanh_quotient_rule.toml"], cache=tanh)
    assert tanh.hits == 0


def test_a_changed_step_is_proved_again(tmp_path):
    copy = tmp_path / "relu.toml"
    text = SAMPLE[1].read_text()
    copy.write_text(text)
    cache = VerdictCache(tmp_path / "cache")
    assert batch.verify_files([copy], cache=cache)[0][1].status == "verified"
    closed = text.index("closed_form")
    broken = text[:closed] + text[closed:].replace("0", "2", 1)
    assert broken != text
    copy.write_text(broken)
    again = batch.verify_files([copy], cache=VerdictCache(tmp_path / "cache"))[0][1]
    assert again.status != "verified"


def test_another_prover_version_misses(tmp_path):
    batch.verify_files(SAMPLE[:1], cache=VerdictCache(tmp_path, version="one"))
    other = VerdictCache(tmp_path, version="two")
    batch.verify_files(SAMPLE[:1], cache=other)
    assert other.hits == 0


def test_timeouts_are_not_cached(fresh):
    report = fresh[0]
    step = report.steps[1]
    timed_out = report.__class__(**{**report.__dict__, "steps": (step.__class__(
        **{**step.__dict__, "evidence": Unknown("timeout after 1 s", UnknownKind.TIMEOUT)}),)})
    assert report_is_lasting(report)
    assert not report_is_lasting(timed_out)


def test_a_short_timeout_is_its_own_key(tmp_path):
    cache = VerdictCache(tmp_path)
    batch.verify_files(SAMPLE[:1], Settings(timeout=10), cache=cache)
    other = VerdictCache(tmp_path)
    batch.verify_files(SAMPLE[:1], Settings(timeout=7), cache=other)
    assert other.hits == 0


def test_parallel_runs_keep_the_order_and_the_reports(fresh):
    parallel = [r for _, r in batch.verify_files(SAMPLE, jobs=2)]
    assert parallel == fresh


def test_cli_jobs_and_cache_give_identical_output(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SYMDERIVE_CACHE_DIR", str(tmp_path / "cache"))
    paths = [str(p) for p in SAMPLE]
    outputs = []
    for options in (["--no-cache", "--jobs", "1"], ["--jobs", "2"], ["--jobs", "2"], ["-j", "1"]):
        code = main(["verify", *paths, "--format", "json", *options])
        outputs.append((code, capsys.readouterr().out))
    assert len(set(outputs)) == 1
    assert outputs[0][0] == 0
    assert [r["name"] for r in json.loads(outputs[0][1])["derivations"]] == [p.stem for p in SAMPLE]


def test_parallel_runs_print_nothing_but_the_report(tmp_path):
    """Workers are stopped quietly (no traceback from an inherited signal handler)."""
    run = subprocess.run([sys.executable, "-m", "symderive", "verify", "-j", "2", "--no-cache",
                          *[str(p) for p in SAMPLE]], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert run.returncode == 0 and run.stderr == ""


def test_no_cache_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SYMDERIVE_CACHE_DIR", str(tmp_path / "cache"))
    main(["verify", str(SAMPLE[2]), "--no-cache"])
    assert not (tmp_path / "cache").exists()
    main(["verify", str(SAMPLE[2])])
    assert len(VerdictCache(tmp_path / "cache")) > 0


def _imports_sympy(arguments, environment) -> bool:
    code = ("import sys\nfrom symderive.cli import main\n"
            f"main({arguments!r})\n"
            "print('SYMPY' if 'sympy' in sys.modules else 'LIGHT')\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment,
                         cwd=ROOT, timeout=600)
    return run.stdout.strip().splitlines()[-1] == "SYMPY"


def stored_in(root) -> int:
    """Entries under ``root`` whatever the prover version: a subprocess
    digests the source as it is when it starts, this process as it was."""
    return sum(len(VerdictCache(root, version=folder.name)) for folder in root.glob("*") if folder.is_dir())


def test_help_and_warm_runs_do_not_import_sympy(tmp_path):
    environment = {**os.environ, "SYMDERIVE_CACHE_DIR": str(tmp_path / "cache")}
    paths = [str(p) for p in SAMPLE[:2]]
    assert not _imports_sympy(["--help"], environment)
    _imports_sympy(["verify", "-j", "1", *paths], environment)  # cold: proved in the prover worker
    assert stored_in(tmp_path / "cache") > len(paths)  # steps and files stored
    assert not _imports_sympy(["verify", "-j", "1", *paths], environment)
    assert _imports_sympy(["list", "-j", "1", *paths], environment)  # the catalog listing is read once
    assert not _imports_sympy(["list", "-j", "1", *paths], environment)


@pytest.mark.parametrize("name", ["sympy", "mpmath", "jinja2", "pytest"])
def test_the_prover_version_reads_the_installed_versions_importlib_reports(name):
    from importlib.metadata import version

    from symderive.cache import _installed_version

    assert _installed_version(name) == version(name)
    assert _installed_version("no-such-distribution-here") == "?"


def test_the_store_is_one_database_that_other_processes_read(tmp_path):
    cache = VerdictCache(tmp_path, version="v")
    cache.put("a", {"kind": "proved", "method": "m"})
    cache.put("a", {"kind": "proved", "method": "again"})  # a key written twice keeps the last value
    assert [p.name for p in (tmp_path / "v").iterdir() if not p.name.endswith(("-wal", "-shm"))] == [cache.FILE]
    code = ("import sys; from pathlib import Path; from symderive.cache import VerdictCache\n"
            f"c = VerdictCache(Path({str(tmp_path)!r}), version='v'); print(c.get('a'), c.get('b'), len(c))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.stdout.split("\n")[0] == "{'kind': 'proved', 'method': 'again'} None 1"


def test_a_cache_used_across_fork_opens_its_own_connection(tmp_path):
    cache = VerdictCache(tmp_path, version="v")
    cache.put("parent", 1)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child writes through the object it inherited
        try:
            cache.put("child", 2)
            os.write(write, b"ok" if cache._pid == os.getpid() and cache.get("parent") == 1 else b"no")
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 2) == b"ok"
    assert cache.get("child") == 2 and cache.get("parent") == 1
    assert pickle.loads(pickle.dumps(cache))._connection is None


def test_a_damaged_or_unwritable_store_is_only_slower(tmp_path):
    (tmp_path / "v").mkdir()
    (tmp_path / "v" / VerdictCache.FILE).write_bytes(b"not a database" * 100)
    damaged = VerdictCache(tmp_path, version="v")
    damaged.put("a", 1)
    assert damaged.get("a") is None and damaged.misses == 1 and len(damaged) == 0
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder should be")
    nowhere = VerdictCache(blocked, version="v")
    nowhere.put("a", 1)
    assert nowhere.get("a") is None
    report = batch.verify_files([SAMPLE[0]], cache=nowhere)[0][1]
    assert report.status == "verified"


def test_each_expression_is_written_out_once_for_the_cache_keys(tmp_path, monkeypatch):
    import sympy

    keyed = []  # what the engine wrote out (the normal forms' names use srepr too)
    real = sympy.srepr

    def counted(expr, **settings):
        if sys._getframe(1).f_code.co_filename.endswith("engine.py"):
            keyed.append(expr)
        return real(expr, **settings)

    monkeypatch.setattr(sympy, "srepr", counted)
    monkeypatch.setattr("symderive.runner._IN_WORKER", True)  # proved here, where the counter is
    report = batch.verify_file(SAMPLE[0], cache=VerdictCache(tmp_path))[1]
    assert report.status == "verified" and len(report.steps) > 3
    assert len(keyed) >= len(report.steps)
    assert len({id(e) for e in keyed}) == len(keyed)  # no expression written out twice
