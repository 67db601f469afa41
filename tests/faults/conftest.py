"""Fixtures borrowed from the feature suites: the movable clock and fake Slack of the weekly
prompt tests, and the running Slack app harness."""

from tests.schedule.test_service import clock, fake  # noqa: F401  (fixtures)
from tests.slack.conftest import fake_slack, slack  # noqa: F401  (fixtures)
