"""Fuzzing budget and the running scrbot that the payload fuzzers talk to.

The default run is short (a few dozen examples per test) so `.ci/run` stays fast. A longer run:
`SCRBOT_FUZZ_EXAMPLES=2000 pytest tests/fuzz`, or `pytest tests/fuzz --fuzz-long` (the flag is
known to pytest when tests/fuzz is named on the command line, as options of a sub-folder are).
"""

from __future__ import annotations

import os

import pytest

from tests.fuzz import budget


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fuzz-long",
        action="store_true",
        default=False,
        help=f"run every fuzz test with {budget.LONG_EXAMPLES} examples (SCRBOT_FUZZ_EXAMPLES=N sets any number)",
    )


def pytest_configure(config: pytest.Config) -> None:
    # Runs before the fuzz modules are imported, so their @settings see the budget.
    if config.getoption("--fuzz-long", default=False):
        budget.configure(budget.LONG_EXAMPLES)
    elif os.environ.get(budget.ENV):
        budget.configure(budget.from_env(os.environ[budget.ENV]))


def pytest_report_header(config: pytest.Config) -> str:
    return f"scrbot fuzz budget: {budget.examples()} examples per fuzz test"


from tests.fuzz.harness import fuzz_slack  # noqa: E402,F401  (fixture)
