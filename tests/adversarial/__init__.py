"""The adversarial suite of issue 15: cases (*.toml), the oracle, the runner."""
