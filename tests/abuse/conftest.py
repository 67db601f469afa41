"""The abuse tests share the fuzzers' running scrbot (tests/fuzz/harness.py)."""

from tests.fuzz.harness import fuzz_slack  # noqa: F401  (fixture)
from tests.slack.conftest import fake_slack  # noqa: E402,F401  (fixture)
