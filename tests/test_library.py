"""Examples are tests: every derivation file verifies, with the authors'
mistakes refuted as expected and every other step proved and justified."""

import pytest

from library import FILES, LIBRARY, verify_json

SEED_MISTAKES = {
    "000_sigmoid_chain_rule": 1,
    "001_identity_vector": 1,
}




def test_library_holds_the_seed_derivations():
    names = {f.stem for f in FILES}
    assert len(names) >= 7
    for wanted in ("000_sigmoid_chain_rule", "000_tanh_quotient_rule", "000_relu_cases",
                   "000_softmax_jacobian", "001_identity_scalar", "001_identity_vector",
                   "001_logistic_add_subtract_one", "001_tanh_sinh_cosh"):
        assert wanted in names


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_each_derivation_verifies(path, capsys):
    code, report, err = verify_json([path], capsys)
    derivation = report["derivations"][0]
    assert derivation["status"] == "verified", (derivation, err)
    assert code == 0
    for step in derivation["steps"]:
        if step["expect"] == "refuted":
            assert step["verdict"] == "refuted"
            assert step["counterexample"]["point"], "a refuted step names its point"
        else:
            assert step["verdict"] == "proved"
            assert step["justified"] in (True, None if step["index"] == 0 else True)
    mistakes = [s for s in derivation["steps"] if s["expect"] == "refuted"]
    assert len(mistakes) == SEED_MISTAKES.get(path.stem, 0)


def test_whole_library_json(capsys):
    code, report, _ = verify_json([LIBRARY], capsys)
    assert code == 0
    summary = report["summary"]
    assert summary["verified"] == summary["total"] >= 7
    assert summary["refuted_as_expected"] == sum(SEED_MISTAKES.values())


def test_sigmoid_mistake_counterexample_is_the_documented_one(capsys):
    _, report, _ = verify_json([LIBRARY / "000_sigmoid_chain_rule.toml"], capsys)
    step = report["derivations"][0]["steps"][1]
    assert step["counterexample"] == {"point": {"x": "0"}, "lhs": "1/4", "rhs": "-1/4"}


def test_identity_vector_mistake_is_a_shape_mismatch(capsys):
    _, report, _ = verify_json([LIBRARY / "001_identity_vector.toml"], capsys)
    step = report["derivations"][0]["steps"][1]
    assert step["method"] == "matrix shapes differ"
    assert step["counterexample"]["point"] == {"D": "2"}


def test_relu_reports_the_kink_as_a_warning(capsys):
    code, report, _ = verify_json([LIBRARY / "000_relu_cases.toml"], capsys)
    derivation = report["derivations"][0]
    assert code == 0 and derivation["status"] == "verified"
    warning, = derivation["warnings"]
    assert "not differentiable at x = 0" in warning
    assert "left derivative 0, right derivative 1" in warning
    assert "convention" in warning


def test_softmax_jacobian_checks(capsys):
    _, report, _ = verify_json([LIBRARY / "000_softmax_jacobian.toml"], capsys)
    checks = report["derivations"][0]["checks"]
    assert [c["verdict"] for c in checks] == ["proved"] * 3
    assert "every n" in checks[-1]["check"] and "n = 2" in checks[0]["check"]
