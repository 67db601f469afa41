"""The meetings tests reuse the Slack harness (a real scrbot beside a fake Slack Web API)."""

from tests.slack.conftest import fake_slack, slack  # noqa: F401  (fixtures, used by name)
