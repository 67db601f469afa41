"""The Slack manifest asks for what the app uses: its events, command and interactivity."""

from __future__ import annotations

from pathlib import Path

import yaml

MANIFEST = Path(__file__).resolve().parents[2] / "deploy" / "slack" / "manifest.yaml"


def test_manifest_points_every_url_at_the_events_endpoint():
    manifest = yaml.safe_load(MANIFEST.read_text())
    settings = manifest["settings"]
    urls = [settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"]]
    urls += [c["url"] for c in manifest["features"]["slash_commands"]]
    assert all(url.endswith("/slack/events") for url in urls)
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/learn"]


def test_manifest_subscribes_to_the_events_the_app_listens_for():
    manifest = yaml.safe_load(MANIFEST.read_text())
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert events == {
        "app_mention",
        "app_home_opened",
        "message.im",
        "message.channels",
        "message.groups",
        "app_uninstalled",
        "tokens_revoked",
    }
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


def test_manifest_scopes_are_the_ones_the_code_needs():
    manifest = yaml.safe_load(MANIFEST.read_text())
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    needed = {
        "app_mentions:read",
        "chat:write",
        "commands",
        "im:history",
        "im:write",
        "channels:read",
        "groups:read",
        "channels:history",
        "groups:history",
        "users:read",
        "reactions:write",
        "files:write",
    }
    assert scopes == needed
