"""Only the Bot Connector gets in: every request's Bot Framework token is checked when credentials
are configured, and anything wrong with it, down to a malformed header, is a 401, never a 500.

Tokens here are signed with a key made for the test. The two calls the SDK makes to Microsoft
(fetching the signing keys, getting our own outgoing token) are answered locally.
"""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from microsoft_agents.authentication.msal import MsalAuth

from bot.config import ConfigError, Settings
from bot.server import create_app
from bot.services import Services
from tests.teams import payloads

KID = "scrbot-test-key"
TEAMS_SERVICE_URL = "https://smba.trafficmanager.net/emea/"
BOT_FRAMEWORK = "https://api.botframework.com"

_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwks() -> dict[str, Any]:
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(_KEY.public_key()))
    return {"keys": [{**public, "kid": KID, "use": "sig", "alg": "RS256"}]}


@pytest.fixture(autouse=True)
def microsoft_answers_locally(monkeypatch):
    monkeypatch.setattr(jwt.PyJWKClient, "fetch_data", lambda self: _jwks())

    async def outgoing_token(self, resource_url: str, scopes: list[str], force_refresh: bool = False) -> str:
        return "outgoing-token"

    monkeypatch.setattr(MsalAuth, "get_access_token", outgoing_token)


def token(**overrides: Any) -> str:
    """A token like the Bot Connector's, for our app id, valid for an hour."""
    now = int(time.time())
    claims = {
        "serviceurl": TEAMS_SERVICE_URL,
        "nbf": now - 10,
        "exp": now + 3600,
        "iss": BOT_FRAMEWORK,
        "aud": payloads.APP_ID,
    }
    key = overrides.pop("key", _KEY)
    headers = {"kid": overrides.pop("kid", KID)}
    claims.update(overrides)
    return jwt.encode(claims, key, algorithm="RS256", headers=headers)


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


async def assert_refused(harness, response, status: int = 401) -> None:
    assert response.status == status, await response.text()
    assert harness.connector.posts == []


async def test_a_request_without_a_token_is_refused(secured):
    response = await secured.send(secured.personal("what is neglect?"))
    await assert_refused(secured, response)


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer not-a-jwt",
        "Bearer a.b.c",
        "Bearer " + b64({"alg": "RS256"}) + "." + b64({"aud": payloads.APP_ID}) + ".c2ln",  # no key id
        "Bearer " + b64({"alg": "RS256", "kid": KID}) + ".bm90IGpzb24.c2ln",  # claims are not JSON
        "Bearer " + b64({"alg": "none", "kid": KID}) + "." + b64({"aud": payloads.APP_ID}) + ".",
        "Bearer",
        "Bearer two words",
        "Basic dXNlcjpwYXNzd29yZA==",
        "🙂",
    ],
    ids=[
        "garbage",
        "three-parts",
        "no-kid",
        "claims-not-json",
        "alg-none",
        "empty",
        "spaces",
        "basic",
        "emoji",
    ],
)
async def test_a_malformed_token_is_refused_with_401_never_500(secured, authorization):
    response = await secured.send(secured.personal("what is neglect?"), headers={"Authorization": authorization})
    await assert_refused(secured, response)


@pytest.mark.parametrize(
    "claims",
    [
        {"key": _OTHER_KEY},  # signed by someone else, claiming Microsoft's key id
        {"aud": "00000000-0000-0000-0000-000000000000"},  # meant for another bot
        {"exp": int(time.time()) - 3600},  # expired an hour ago (past the SDK's 5 minute leeway)
        {"iss": "https://login.example.com/attacker"},  # not a Bot Framework or Entra issuer
    ],
    ids=["forged-signature", "other-audience", "expired", "other-issuer"],
)
async def test_an_invalid_token_is_refused(secured, claims):
    response = await secured.send(secured.personal("what is neglect?"), token=token(**claims))
    await assert_refused(secured, response)


async def test_a_valid_token_lets_the_activity_through(secured):
    # A subscribed General channel, and the bot re-added to its team: the turn refreshes the
    # stored reference, which proves the activity reached the bot.
    store = secured.services.store
    await store.upsert_subscription(
        "teams",
        payloads.TENANT,
        payloads.TEAM,
        weekday=0,
        hour=9,
        minute=30,
        timezone="Europe/London",
        created_by="someone",
        now=datetime.now(UTC),
        conversation_ref={"serviceUrl": "https://old.example/"},
    )
    response = await secured.send(payloads.bot_added_to_team(TEAMS_SERVICE_URL), token=token())

    assert response.status in (200, 202), await response.text()
    subscription = await store.get_subscription("teams", payloads.TENANT, payloads.TEAM)
    assert subscription.conversation_ref["serviceUrl"] == TEAMS_SERVICE_URL


async def test_a_valid_token_cannot_send_replies_to_another_service_url(secured):
    # The token says Teams' service URL; the activity asks for replies (with our token) elsewhere.
    response = await secured.send(secured.personal("what is neglect?"), token=token())
    await assert_refused(secured, response)


async def test_emulator_mode_still_refuses_a_bad_token(teams):
    response = await teams.send(teams.personal("what is neglect?"), token="not-a-jwt")
    await assert_refused(teams, response)


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1, 2, 3]",
        b'{"type": 5}',
        json.dumps({"type": "message", "conversation": "x"}).encode(),
    ],
    ids=["not-json", "a-list", "wrong-types", "bad-conversation"],
)
async def test_a_body_that_is_not_an_activity_is_a_400(teams, body):
    response = await teams.post_raw(body, {"Content-Type": "application/json"})
    await assert_refused(teams, response, status=400)


def test_teams_without_credentials_refuses_to_start(tmp_path, catalogue, conversation):
    settings = Settings(slack_enabled=False, teams_enabled=True, database_url=f"sqlite+aiosqlite:///{tmp_path}/x.db")
    with pytest.raises(ConfigError, match="SCRBOT_TEAMS_APP_ID"):
        create_app(Services(settings, catalogue, conversation), prompts=False)


def test_the_unauthenticated_mode_warns_loudly(tmp_path, catalogue, conversation, caplog):
    settings = Settings(slack_enabled=False, teams_enabled=True, teams_allow_unauthenticated=True)
    create_app(Services(settings, catalogue, conversation), prompts=False, manage_store=False)
    (warning,) = [r for r in caplog.records if "ALLOW_UNAUTHENTICATED" in r.getMessage()]
    assert warning.levelname == "WARNING" and "WITHOUT" in warning.getMessage()


def _without(claim: str) -> str:
    now = int(time.time())
    claims = {
        "serviceurl": TEAMS_SERVICE_URL,
        "nbf": now - 10,
        "exp": now + 3600,
        "iss": BOT_FRAMEWORK,
        "aud": payloads.APP_ID,
    }
    del claims[claim]
    return jwt.encode(claims, _KEY, algorithm="RS256", headers={"kid": KID})


@pytest.mark.parametrize("claim", ["exp", "nbf"])
async def test_a_token_signed_by_a_trusted_key_but_without_exp_or_nbf_is_refused(secured, claim):
    activity = payloads.bot_added_to_team(TEAMS_SERVICE_URL)
    response = await secured.send(activity, token=_without(claim))
    await assert_refused(secured, response)


@pytest.fixture
def fresh_key_cache(monkeypatch):
    """The SDK keeps fetched key sets for the whole process; these tests count fetches from cold."""
    from microsoft_agents.hosting.core import JwtTokenValidator

    monkeypatch.setattr(JwtTokenValidator, "_jwk_client_manager", type(JwtTokenValidator._jwk_client_manager)())


async def test_tokens_with_made_up_key_ids_cannot_make_scrbot_fetch_keys_over_and_over(
    secured, monkeypatch, fresh_key_cache
):
    fetches = []
    monkeypatch.setattr(jwt.PyJWKClient, "fetch_data", lambda self: fetches.append(1) or _jwks())
    for n in range(20):
        response = await secured.send(secured.personal("hi"), token=token(kid=f"made-up-{n}"))
        assert response.status == 401
    assert len(fetches) <= 2  # the one token let through: the first load of the set and one refresh


async def test_a_failed_key_fetch_is_remembered_briefly(secured, monkeypatch, fresh_key_cache):
    fetches = []

    def unreachable(self):
        fetches.append(1)
        raise jwt.PyJWKClientConnectionError("login.botframework.com unreachable")

    monkeypatch.setattr(jwt.PyJWKClient, "fetch_data", unreachable)
    statuses = []
    for n in range(10):
        response = await secured.send(secured.personal("hi"), token=token(kid=f"rotated-{n}"))
        statuses.append(response.status)
    assert statuses == [503] * 10  # the connector retries later; nothing reaches the bot
    assert len(fetches) == 1
    assert secured.connector.posts == []
