"""SCRBOT_PUBLIC_URL: the address browsers use, checked once at start-up."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, load_settings


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://scrbot.example.org", "https://scrbot.example.org"),
        ("https://scrbot.example.org/", "https://scrbot.example.org"),
        ("https://scrbot.example.org:8443", "https://scrbot.example.org:8443"),
        ("http://localhost:3000", "http://localhost:3000"),
        ("http://127.0.0.1:3000/", "http://127.0.0.1:3000"),
    ],
)
def test_a_public_url_is_kept_without_its_trailing_slash(given, kept):
    assert load_settings({"SCRBOT_PUBLIC_URL": given}).public_url == kept


def test_no_public_url_means_no_dashboard_links():
    assert load_settings({}).public_url is None


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("http://scrbot.example.org", "must start with https://"),
        ("scrbot.example.org", "scheme and host only"),
        ("https://scrbot.example.org/dashboard", "scheme and host only"),
        ("https://scrbot.example.org?x=1", "scheme and host only"),
        ("ftp://scrbot.example.org", "scheme and host only"),
    ],
)
def test_a_bad_public_url_stops_start_up_with_a_clear_message(given, says):
    with pytest.raises(ConfigError, match="SCRBOT_PUBLIC_URL") as error:
        load_settings({"SCRBOT_PUBLIC_URL": given})
    assert says in str(error.value)
