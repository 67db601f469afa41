"""The inbound pipeline, the same for every platform: an `Incoming` goes through de-duplication
(platforms retry a slow or failed delivery), the person's conversation memory and the router,
and the `Answer` comes back for the adapter to render. A database out of reach is answered here
with the core's notice, so no adapter has to catch it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from bot import router
from bot.clock import Clock
from bot.notices import STORE_UNREACHABLE, store_unreachable
from bot.observability import ANSWER_LATENCY, REQUEST_ID
from bot.router import Answer, Incoming
from bot.services import Services

if TYPE_CHECKING:
    from bot.store import Store

log = logging.getLogger("scrbot.inbound")


async def handle(
    services: Services,
    incoming: Incoming | Callable[[], Awaitable[Incoming]],
    delivery_key: str | None,
    *,
    shown_as: str,
    retry: str,
) -> Answer | None:
    """The answer to one message delivery, or None when it was handled before (a retry).

    `incoming` may be a function that reads it, for an adapter that needs a platform call to
    do so: a dropped retry then costs no such call. `delivery_key`, `shown_as` and `retry` are
    as for `first_delivery`."""
    if not await first_delivery(services.store, services.clock, delivery_key, shown_as=shown_as, retry=retry):
        return None
    asked = incoming if isinstance(incoming, Incoming) else await incoming()
    with ANSWER_LATENCY.time():
        return await answer(services, asked)


async def answer(services: Services, incoming: Incoming) -> Answer:
    """The answer to a message, button or form whose delivery needs no de-duplication here
    (a button press, a form, a command, or a turn de-duplicated as a whole by its adapter).
    With the database out of reach it is the core's notice; other failures are raised."""
    state = services.memory.state(incoming.memory_key)
    try:
        return await router.route(services, incoming, state)
    except Exception as exc:
        if not store_unreachable(exc):
            raise
        log.error(
            "a %s %s failed: the store is unreachable (%s, request %s)",
            incoming.platform,
            asked_for(incoming),
            type(exc).__name__,
            REQUEST_ID.get(),
        )
        return router.say(STORE_UNREACHABLE)


def asked_for(incoming: Incoming) -> str:
    """What `incoming` asked for, fit for a log line: the command or button, never the words."""
    if incoming.action:
        known = {*router.BUTTONS, *router.THEME_BUTTONS, router.QUIZ_ANSWER, router.SHARE, router.REFLECT}
        return f"{incoming.action if incoming.action in known else 'other'} button"
    found = router.command_of(incoming.text)
    return f"{found[0]} command" if found is not None else "question"


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
