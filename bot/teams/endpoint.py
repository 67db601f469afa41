"""POST /api/messages: the Teams messaging endpoint on scrbot's aiohttp application.

Two small steps, like bolt's aiohttp adapter: check who is calling, then hand the request to the
Agents SDK's CloudAdapter, which runs TeamsBot and sends the replies through the Bot Connector.

Every request's Bot Framework token is checked by the SDK's JwtTokenValidator (signature, expiry,
audience = our app id, issuer). Anything that is not a valid token, including a malformed one the
SDK lets escape as an unexpected exception, is answered 401, never 500.
"""

from __future__ import annotations

import logging
import math
import time
import warnings
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import jwt
from aiohttp import web
from microsoft_agents.activity import Activity
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import (
    AgentAuthConfiguration,
    AnonymousTokenProvider,
    AuthTypes,
    ClaimsIdentity,
    ConnectionManager,
    Connections,
    JwtTokenValidator,
    OutboundHostValidator,
)
from pydantic import ValidationError

from bot.config import ConfigError, Settings
from bot.observability import REQUEST_ID
from bot.services import Services
from bot.teams.bot import TeamsBot
from bot.teams.connector import WellFormedClientFactory

log = logging.getLogger("scrbot.teams")

MESSAGES_PATH = "/api/messages"
SERVICE_CONNECTION = "SERVICE_CONNECTION"  # the connection name the SDK's ConnectionManager requires
TEAMS_ADAPTER = web.AppKey("teams_adapter", CloudAdapter)
TEAMS_BOT = web.AppKey("teams_bot", TeamsBot)

UNAUTHENTICATED_WARNING = """
************************************************************************************
  SCRBOT_TEAMS_ALLOW_UNAUTHENTICATED=1: the Teams endpoint accepts requests WITHOUT a
  Bot Framework token. Use this only with the Bot Framework Emulator on your own machine.
  Never expose this server to a network: anyone could talk to the bot as anyone.
************************************************************************************"""


class Refused(Exception):
    """The request may not reach the bot; `status` is what to answer."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def require_teams(settings: Settings) -> None:
    """Refuse to serve Teams without credentials, unless anonymity was asked for explicitly."""
    if settings.teams_app_id:
        if not settings.teams_app_password or not settings.teams_tenant_id:
            raise ConfigError(
                "SCRBOT_TEAMS_APP_PASSWORD and SCRBOT_TEAMS_TENANT_ID must be set with SCRBOT_TEAMS_APP_ID"
            )
    elif not settings.teams_allow_unauthenticated:
        raise ConfigError(
            "SCRBOT_TEAMS_APP_ID is not set: it is the Microsoft App ID of your Azure Bot. "
            "Only for the Bot Framework Emulator on your own machine, "
            "set SCRBOT_TEAMS_ALLOW_UNAUTHENTICATED=1 instead"
        )


def auth_configuration(settings: Settings) -> AgentAuthConfiguration:
    """The SDK's view of our Azure Bot registration (or of anonymous Emulator testing)."""
    if settings.teams_app_id:
        return AgentAuthConfiguration(
            auth_type=AuthTypes.client_secret,
            client_id=settings.teams_app_id,
            client_secret=settings.teams_app_password,
            tenant_id=settings.teams_tenant_id,
            connection_name=SERVICE_CONNECTION,
            validate_issuer=True,
        )
    return AgentAuthConfiguration(connection_name=SERVICE_CONNECTION, anonymous_allowed=True)


def build_adapter(settings: Settings) -> tuple[CloudAdapter, AgentAuthConfiguration]:
    """The CloudAdapter that sends replies and proactive posts, and the inbound auth settings."""
    config = auth_configuration(settings)
    connections: Connections
    if settings.teams_app_id:
        connections = MsalConnectionManager(connections_configurations={SERVICE_CONNECTION: config})
        # Replies go to the activity's serviceUrl with our token attached, so it must be a
        # Microsoft host and match the serviceurl claim of the caller's token.
        validator = OutboundHostValidator(enabled=True)
    else:
        connections = ConnectionManager(
            provider_factory=lambda _config: AnonymousTokenProvider(),
            connections_configurations={SERVICE_CONNECTION: config},
        )
        validator = OutboundHostValidator(enabled=False)  # the Emulator listens on localhost
    # The SDK's own client factory, handing out clients that never post "id": null.
    factory = WellFormedClientFactory(connections)
    return CloudAdapter(channel_service_client_factory=factory, host_validator=validator), config


class SigningKeys:
    """How often unauthenticated traffic may make us fetch Microsoft's signing keys.

    The SDK fetches the key set whenever a token names a key id it has not cached, and does not
    remember a failed fetch. Here a key id seen in a valid token is trusted from then on; a new
    one may cause at most one fetch every `new_key_interval` seconds (Microsoft rotates keys
    rarely); and after a failed fetch every token is answered 503 for `failure_seconds`."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        new_key_interval: float = 10.0,
        failure_seconds: float = 30.0,
        remember: int = 32,
    ):
        self._clock, self._interval, self._failure_seconds = clock, new_key_interval, failure_seconds
        self._remember = remember
        self._known: dict[str, None] = {}  # key ids seen in valid tokens, oldest first
        self._last_new_key = -math.inf
        self._failed_until = -math.inf

    def admit(self, key_id: str) -> None:
        """Raise Refused when checking a token with this key id could cause a fetch now."""
        now = self._clock()
        if now < self._failed_until:
            raise Refused(HTTPStatus.SERVICE_UNAVAILABLE, "signing keys unavailable (recent fetch failed)")
        if key_id in self._known:
            return
        if now - self._last_new_key < self._interval:
            raise Refused(HTTPStatus.UNAUTHORIZED, "unknown signing key id (key refresh limited)")
        self._last_new_key = now

    def valid(self, key_id: str) -> None:
        self._known[key_id] = None
        while len(self._known) > self._remember:
            del self._known[next(iter(self._known))]

    def fetch_failed(self) -> None:
        self._failed_until = self._clock() + self._failure_seconds


async def authenticate(
    authorization: str | None, config: AgentAuthConfiguration, keys: SigningKeys | None = None
) -> ClaimsIdentity:
    """The caller's verified claims; Refused (401) for a missing, malformed or invalid token,
    or one without an expiry (exp) and a start (nbf)."""
    validator = JwtTokenValidator(config)
    if not authorization:
        if config.ANONYMOUS_ALLOWED:
            return validator.get_anonymous_claims()
        raise Refused(HTTPStatus.UNAUTHORIZED, "no Authorization header")
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or any(c.isspace() for c in token):
        raise Refused(HTTPStatus.UNAUTHORIZED, "Authorization is not a bearer token")
    key_id = _readable_token(token)  # checked before anything is fetched for it
    if keys is not None:
        keys.admit(key_id)
    try:
        identity = await validator.validate_token(token)
    except jwt.PyJWKClientConnectionError as exc:
        # We could not fetch Microsoft's signing keys: our problem, so the connector may retry.
        if keys is not None:
            keys.fetch_failed()
        raise Refused(HTTPStatus.SERVICE_UNAVAILABLE, "signing keys unavailable") from exc
    except Exception as exc:  # PyJWTError or ValueError when invalid; KeyError etc. when malformed
        raise Refused(HTTPStatus.UNAUTHORIZED, f"invalid token ({type(exc).__name__})") from exc
    if not _limited_in_time(identity.claims):
        raise Refused(HTTPStatus.UNAUTHORIZED, "token has no exp or nbf")
    if keys is not None:
        keys.valid(key_id)
    return identity


def _readable_token(token: str) -> str:
    """The token's key id; Refused unless it is a JWT with a key id, an exp and an nbf (read
    unverified: this only decides whether the signature is worth checking)."""
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except Exception as exc:  # any malformed token
        raise Refused(HTTPStatus.UNAUTHORIZED, f"invalid token ({type(exc).__name__})") from exc
    key_id = header.get("kid")
    if not isinstance(key_id, str) or not key_id or len(key_id) > 200:
        raise Refused(HTTPStatus.UNAUTHORIZED, "token has no key id")
    if not _limited_in_time(claims):
        raise Refused(HTTPStatus.UNAUTHORIZED, "token has no exp or nbf")
    return key_id


def _limited_in_time(claims: Any) -> bool:
    """PyJWT checks exp and nbf only when present; a token must carry both."""
    return isinstance(claims, dict) and all(
        isinstance(claims.get(name), int | float) and not isinstance(claims.get(name), bool) for name in ("exp", "nbf")
    )


def add_teams_routes(app: web.Application, services: Services) -> None:
    """Mount POST /api/messages on `app`, serving the same core as every other platform."""
    settings = services.settings
    require_teams(settings)
    adapter, config = build_adapter(settings)
    bot = TeamsBot(services)
    adapter.on_turn_error = bot.on_error
    app[TEAMS_ADAPTER] = adapter
    app[TEAMS_BOT] = bot
    if not settings.teams_app_id:
        log.warning(UNAUTHENTICATED_WARNING)
    keys = SigningKeys()

    async def messages(request: web.Request) -> web.StreamResponse:
        try:
            claims = await authenticate(request.headers.get("Authorization"), config, keys)
        except Refused as refused:
            log.warning("refused a Teams request (request %s): %s", REQUEST_ID.get(), refused.reason)
            return web.json_response({"error": HTTPStatus(refused.status).phrase}, status=refused.status)
        problem = await _activity_problem(request)
        if problem:
            return web.json_response({"error": problem}, status=HTTPStatus.BAD_REQUEST)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", web.NotAppKeyWarning)  # the SDK reads this plain key
            request["claims_identity"] = claims
        response = await adapter.process(request, bot)
        return response or web.Response(status=HTTPStatus.ACCEPTED)

    app.router.add_post(MESSAGES_PATH, messages)


async def _activity_problem(request: web.Request) -> str | None:
    """Why the body is not an activity the adapter can take, or None. The SDK would answer a
    body that is JSON but not an activity with 500; this makes it the caller's 400."""
    try:
        body = await request.json()
    except ValueError:
        return "the body is not JSON"
    if not isinstance(body, dict):
        return "the body is not an activity"
    try:
        Activity.model_validate(body)
    except ValidationError:
        return "the body is not an activity"
    return None
