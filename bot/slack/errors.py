"""Reading Slack Web API failures."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError


def error_code(exc: SlackApiError) -> str:
    """The Slack error code of a failed call ("not_in_channel"), or the HTTP status."""
    response = exc.response
    if response is None:
        return "unknown_error"
    data = response.data
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return f"http_{response.status_code}"
