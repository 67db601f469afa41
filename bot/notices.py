"""What scrbot says when its database can't be reached, the same on every platform: one sentence,
said with what could not be done and what the person can do now. Also the rule for which errors
mean the database is out of reach, so every adapter answers those with this notice rather than
with its general apology."""

from __future__ import annotations

import aiohttp
from sqlalchemy.exc import SQLAlchemyError

from bot.reflections.service import StoreUnavailable

TRY_AGAIN = "Please try again in a few minutes."


def database_down(so: str = "I couldn't do that", then: str = TRY_AGAIN) -> str:
    """“Sorry, scrbot's database can't be reached just now, so {so}.” followed by `then`."""
    return f"Sorry, scrbot's database can't be reached just now, so {so}. {then}"


STORE_UNREACHABLE = database_down()
# On a form (Slack's modal, Teams' card) the person's words are still in it: one press saves them.
TEXT_KEPT = database_down(
    "your reflection was not saved", "Your text is still here, so please press Save again in a moment."
)


def store_unreachable(exc: BaseException) -> bool:
    """True for a database failure: StoreUnavailable, SQLAlchemy's errors, or a socket error
    raised while the driver connects. The platforms' own network errors are aiohttp's classes
    (Slack's Web API, the Bot Connector), and timeouts are left out."""
    if isinstance(exc, StoreUnavailable | SQLAlchemyError):
        return True
    return isinstance(exc, OSError) and not isinstance(exc, aiohttp.ClientError | TimeoutError)
