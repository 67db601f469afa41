"""The Teams listeners: one small method per kind of activity. They read the activity, ask the
core what to say and render it as an Adaptive Card; they never decide what to say."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    AdaptiveCardInvokeResponse,
    AdaptiveCardInvokeValue,
    InvokeResponse,
    TurnContextProtocol,
)
from microsoft_agents.hosting.core import ActivityHandler

from bot import inbound, router
from bot.notices import STORE_UNREACHABLE, store_unreachable
from bot.observability import ANSWER_LATENCY, REQUEST_ID
from bot.reflections import privacy
from bot.reflections.service import StoreUnavailable
from bot.replies import Reply
from bot.services import Services
from bot.teams import answers, schedule
from bot.teams.activities import (
    PERSONAL,
    bot_was_added,
    bot_was_removed,
    card_submission,
    channel_key,
    conversation_kind,
    event_key,
    incoming,
    mentions_bot,
)
from bot.teams.cards import (
    REDACT_REFLECTION,
    SAVE_REFLECTION,
    card_activity,
    reply_activity,
    reply_card,
    text_activity,
)
from bot.teams.members import TeamsMembers
from bot.teams.reflections import FormAnswer, answer_form, redact_form

log = logging.getLogger("scrbot.teams")

SORRY = "Sorry, something went wrong on my side and I couldn't answer. Please try again in a minute."


class TeamsBot(ActivityHandler):
    """scrbot in Teams: questions in 1:1 chats, @mentions in channels and group chats, card
    buttons, the reflection form and `schedule` commands."""

    def __init__(self, services: Services):
        self.services = services
        privacy.warm_up()  # the guard's word lists, before the first form arrives

    async def on_message_activity(self, turn_context: TurnContextProtocol) -> None:
        activity = turn_context.activity
        if not await self._first_delivery(turn_context):
            return
        form = card_submission(activity)
        if form is not None:
            await self._on_card_action(turn_context, form)
            return
        if conversation_kind(activity) != PERSONAL and not mentions_bot(activity):
            # In a channel or group chat only a message that @mentions scrbot is for scrbot
            # (Teams sends the rest to apps with permission to read every channel message).
            return
        await schedule.refresh_reference(self.services, activity)
        asked = replace(incoming(activity), channel=schedule.channel(activity), members=self._members(turn_context))
        with ANSWER_LATENCY.time():
            answer = await inbound.answer(self.services, asked)
        await _deliver(turn_context, answer)

    def _members(self, turn_context: TurnContextProtocol) -> TeamsMembers | None:
        """Channel membership for the report, asked of Teams through this turn's adapter."""
        if self.services.store is None:
            return None
        adapter = turn_context.adapter
        service_url = turn_context.activity.service_url
        return TeamsMembers(adapter, self.services.settings.teams_app_id, self.services.store, service_url)

    async def on_conversation_update_activity(self, turn_context: TurnContextProtocol) -> None:
        activity = turn_context.activity
        if bot_was_removed(activity):
            await self._removed(turn_context)
        elif bot_was_added(activity):
            await self._installed(turn_context)

    async def on_installation_update_add(self, turn_context: TurnContextProtocol) -> None:
        await self._installed(turn_context)

    async def on_installation_update_remove(self, turn_context: TurnContextProtocol) -> None:
        await self._removed(turn_context)

    async def _installed(self, turn_context: TurnContextProtocol) -> None:
        """Keep the conversation reference (every time: a later schedule or proactive message
        needs it); in a 1:1 chat, welcome the person with a theme picker.
        Teams sends both an installationUpdate and a conversationUpdate: the welcome goes once."""
        activity = turn_context.activity
        kind = conversation_kind(activity)
        log.info("scrbot was added to a Teams %s", kind)
        await schedule.refresh_reference(self.services, activity)
        try:
            await schedule.remember_conversation(self.services, activity)
        except StoreUnavailable as exc:  # the welcome still goes; the next install or schedule retries
            log.warning("could not keep the Teams conversation reference (%s)", exc)
        if kind != PERSONAL or not await self._first_welcome(turn_context):
            return  # in channels and group chats the bot stays quiet until someone mentions it
        await _send(turn_context, router.welcome(self.services))

    async def _removed(self, turn_context: TurnContextProtocol) -> None:
        """scrbot was uninstalled or removed: stop this conversation's weekly prompts."""
        activity = turn_context.activity
        stopped = False
        if self.services.store is not None and conversation_kind(activity) != PERSONAL:
            stopped = await self.services.store.delete_subscription(*channel_key(activity))
        await schedule.forget_conversation(self.services, activity)
        log.info(
            "scrbot was removed from a Teams %s; weekly prompts %s",
            conversation_kind(activity),
            "stopped" if stopped else "were not set up there",
        )

    async def _first_welcome(self, turn_context: TurnContextProtocol) -> bool:
        store = self.services.store
        conversation = turn_context.activity.conversation
        if store is None or conversation is None:
            return True
        return await store.claim_event(f"teams:welcome:{conversation.id}"[:200], self.services.clock.now())

    async def on_error(self, turn_context: TurnContextProtocol, error: Exception) -> None:
        """The adapter's turn-error handler: log with the request id, and tell the person. A
        database out of reach gets the core's notice (one log line, as Slack does), anything
        else the apology; a failed card press still gets its invoke answered 200."""
        activity = turn_context.activity
        database_down = store_unreachable(error)
        if database_down:
            log.error(
                "a Teams %s failed: the store is unreachable (%s, request %s)",
                activity.type,
                type(error).__name__,
                REQUEST_ID.get(),
            )
        else:
            log.error(
                "unhandled error in a Teams turn (activity type %s, request %s): %s",
                activity.type,
                REQUEST_ID.get(),
                type(error).__name__,
                exc_info=error,
            )
        said = STORE_UNREACHABLE if database_down else SORRY
        card_press = activity.type == ActivityTypes.invoke and activity.name == "adaptiveCard/action"
        if activity.type != ActivityTypes.message and not card_press:
            return
        try:
            if card_press:
                await turn_context.send_activity(_invoke_answer(said))
            await turn_context.send_activity(text_activity(said))
        except Exception as exc:  # the connector itself may have failed; logged above
            log.warning("could not send the apology either: %s", type(exc).__name__)

    async def on_invoke_activity(self, turn_context: TurnContextProtocol) -> InvokeResponse | None:
        """Message extension searches are answered here; every other invoke as the SDK does."""
        if turn_context.activity.name == "composeExtension/query":
            value = turn_context.activity.value if isinstance(turn_context.activity.value, dict) else {}
            return InvokeResponse(status=200, body=answers.search_results(self.services, value))
        response = await super().on_invoke_activity(turn_context)
        if response is None or response.status == 501:
            # An invoke scrbot has no use for (a card refresh, a task module): answered 200 so
            # the person never sees "something went wrong" in Teams.
            log.info("answered an invoke scrbot does not use (%s)", str(turn_context.activity.name)[:60])
            return InvokeResponse(status=200, body={})
        return response

    async def on_adaptive_card_invoke(
        self, turn_context: TurnContextProtocol, invoke_value: AdaptiveCardInvokeValue
    ) -> AdaptiveCardInvokeResponse:
        """An Action.Execute press (Universal Actions): the same buttons as Action.Submit, answered
        in the conversation; the invoke itself is answered 200 so Teams shows no error."""
        action = invoke_value.action if invoke_value is not None else None
        data = action.data if action is not None and isinstance(action.data, dict) else {}
        name = data.get("action") or (action.verb if action is not None else None)
        card: dict[str, Any] | None = None
        note = "OK"
        if isinstance(name, str) and await self._first_delivery(turn_context):
            form = {**data, "action": name}
            if answers.is_from_search(form):
                card, note = await self._on_search_card_action(turn_context, form)
            else:
                card, note = await self._on_card_action(turn_context, form, invoked=True)
        if card is not None:  # Universal Actions: the pressed card is replaced with this one
            return AdaptiveCardInvokeResponse(
                status_code=200, type="application/vnd.microsoft.card.adaptive", value=card
            )
        return AdaptiveCardInvokeResponse(
            status_code=200, type="application/vnd.microsoft.activity.message", value=note
        )

    async def _on_search_card_action(
        self, turn_context: TurnContextProtocol, form: dict[str, Any]
    ) -> tuple[dict[str, Any] | None, str]:
        """A button on a card the message extension dropped into a chat, pressed by anyone there:
        the card that replaces it for them, or a line to show them; nothing is posted (scrbot
        may not be in that chat, and the others did not press)."""
        if form["action"] in (SAVE_REFLECTION, REDACT_REFLECTION):
            answer: FormAnswer = (
                await answer_form(self.services, turn_context.activity, form)
                if form["action"] == SAVE_REFLECTION
                else redact_form(form)
            )
            return (answers.search_card(answer.card) if answer.card else None), answer.text
        routed = await inbound.answer(self.services, incoming(turn_context.activity, form))
        return answers.search_answer_card(routed), routed.text or "OK"

    async def _on_card_action(
        self, turn_context: TurnContextProtocol, form: dict[str, Any], *, invoked: bool = False
    ) -> tuple[dict[str, Any] | None, str]:
        """Answer a button or form; returns the card that replaces the pressed one, if any, and
        the line for an invoke response without one (the core's notice, or "OK"). An
        Action.Execute press (`invoked`) gets that card as its invoke response, so Teams swaps it
        in place itself; an Action.Submit press has the card updated through the connector."""
        action = form["action"]
        if action in (SAVE_REFLECTION, REDACT_REFLECTION):
            answer: FormAnswer = (
                await answer_form(self.services, turn_context.activity, form)
                if action == SAVE_REFLECTION
                else redact_form(form)
            )
            if answer.card is None:
                await turn_context.send_activity(text_activity(answer.text))
            elif invoked:
                return answer.card, "OK"
            elif not await _refresh_card(turn_context, answer.card):
                await turn_context.send_activity(card_activity(answer.card, answer.text))
            else:
                return answer.card, "OK"
            return None, "OK"
        pressed = incoming(turn_context.activity, form)
        routed = await inbound.answer(self.services, pressed)
        card = answers.answer_card(routed) if routed.in_place else None
        note = routed.text or "OK"
        if card is not None and (invoked or await _refresh_card(turn_context, card)):
            return card, note
        await _deliver(turn_context, routed)
        if routed.redraw is None:
            return None, note
        # The pressed message as everyone should now see it (a quiz with its tally): Teams swaps
        # an Action.Execute press's response card in itself (drawn as late as can be, so it holds
        # answers given meanwhile); a Submit press's card is updated through the connector.
        if invoked:
            return reply_card(await self._redraw_now(pressed) or routed.redraw), note
        await self._show_tally(turn_context, pressed, routed.redraw)
        return None, note

    async def _show_tally(self, turn_context: TurnContextProtocol, pressed: router.Incoming, quiz: Reply) -> None:
        """Update the pressed quiz message with its tally. Two answers at once can update it out
        of order, so read the tally again after updating and update once more if it moved (as
        Slack does)."""
        shown: Reply | None = None
        latest: Reply | None = quiz
        for _ in range(2):
            if latest is None or latest == shown or not await _refresh_card(turn_context, reply_card(latest)):
                return
            shown, latest = latest, await self._redraw_now(pressed)

    async def _redraw_now(self, pressed: router.Incoming) -> Reply | None:
        """The pressed quiz with its tally as it stands now; None when it can't be read."""
        try:
            return await router.quiz_redraw(self.services, pressed)
        except StoreUnavailable as exc:  # the tally already drawn stays; the answer was counted
            log.info("could not read the quiz tally again (%s)", exc)
            return None

    async def _first_delivery(self, turn_context: TurnContextProtocol) -> bool:
        """False when the Bot Connector delivers an activity we already handled (a retry).

        A whole turn is de-duplicated at its start, since it may be a schedule or dashboard
        command rather than something the router answers; its answer then comes from
        `inbound.answer`."""
        return await inbound.first_delivery(
            self.services.store,
            self.services.clock,
            event_key(turn_context.activity),
            shown_as="Teams activity",
            retry="Bot Connector retry",
        )


def _invoke_answer(text: str) -> Activity:
    """The invoke response to a card press that failed: a 200 whose message Teams shows."""
    answer = AdaptiveCardInvokeResponse(status_code=200, type="application/vnd.microsoft.activity.message", value=text)
    response = InvokeResponse(status=200, body=answer.model_dump(mode="json", by_alias=True, exclude_none=True))
    return Activity(type=ActivityTypes.invoke_response, value=response.model_dump(by_alias=True, exclude_none=True))


async def _refresh_card(turn_context: TurnContextProtocol, card: dict[str, Any]) -> bool:
    """Replace the card the person pressed with `card` (a form with their text kept in it, a
    quiz with its tally); False when there is no card to replace or Teams refused."""
    card_id = turn_context.activity.reply_to_id
    if not card_id:
        return False
    activity = card_activity(card)
    activity.id = card_id
    try:
        await turn_context.update_activity(activity)
    except Exception as exc:  # the connector's errors carry no text of ours; fall back to a new card
        log.info("could not refresh the card in place: %s", type(exc).__name__)
        return False
    return True


async def _send(turn_context: TurnContextProtocol, reply: Reply) -> None:
    await turn_context.send_activity(reply_activity(reply))


async def _deliver(turn_context: TurnContextProtocol, answer: router.Answer) -> None:
    for activity in answers.activities(answer):
        await turn_context.send_activity(activity)
