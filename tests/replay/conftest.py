"""The Teams harness (scrbot in Emulator mode beside a fake Bot Connector) from tests/teams."""

from tests.teams.conftest import connector, teams  # noqa: F401  (fixtures used by the replay suite)
