"""The inbound pipeline's first step, the same for every platform: drop a delivery already
handled here or by another replica (platforms retry a slow or failed delivery)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from bot.clock import Clock

if TYPE_CHECKING:
    from bot.store import Store

log = logging.getLogger("scrbot.inbound")


async def first_delivery(store: Store | None, clock: Clock, key: str | None, *, shown_as: str, retry: str) -> bool:
    """False when `key` (platform, workspace and the platform's delivery id) was claimed before.

    With the database out of reach the delivery is handled anyway: a retry might then be
    answered twice, which is better than a question left unanswered. `shown_as` names the
    delivery in the logs (never its content); `retry` says who retried ("Slack retry")."""
    if not key or store is None:
        return True
    try:
        first = await store.claim_event(key, clock.now())
    except (SQLAlchemyError, OSError, TimeoutError) as exc:
        log.warning("could not check %s against retries (store unreachable: %s)", shown_as, type(exc).__name__)
        return True
    if first:
        return True
    log.info("duplicate %s dropped (%s)", shown_as, retry)
    return False
