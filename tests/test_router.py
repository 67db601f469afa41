"""The core intent router, without any platform: which words are which intent."""

from __future__ import annotations

from bot import inbound, router
from bot.config import Settings
from bot.services import Services


def test_command_words_are_intents_and_the_rest_is_kept():
    assert router.command_of("My reflections") == ("my_reflections", "")
    assert router.command_of("forget me!") == ("forget_me", "")
    assert router.command_of("report 12 weeks") == ("report", "12 weeks")
    assert router.command_of("what is neglect?") is None


def test_report_periods():
    assert router.parse_weeks("") == router.DEFAULT_REPORT_WEEKS
    assert router.parse_weeks("12 weeks") == 12
    assert router.parse_weeks("0") is None and router.parse_weeks("105") is None


async def test_report_a_concern_is_a_question_for_the_conversation_not_the_admin_report(catalogue, conversation):
    services = Services(Settings(), catalogue, conversation)
    incoming = router.Incoming("console", "w", "u", "c", text="report a concern about a child at risk")
    answer = await inbound.answer(services, incoming)
    assert answer.text != router.NOT_ADMIN and answer.replies and answer.replies[0].kind != "report"


async def test_a_mistyped_period_is_the_report_but_report_and_a_theme_is_a_question(catalogue, conversation):
    services = Services(Settings(), catalogue, conversation)
    lots = await inbound.answer(services, router.Incoming("console", "w", "u", "c", text="report lots"))
    assert lots.text == router.NOT_ADMIN
    abuse = await inbound.answer(services, router.Incoming("console", "w", "u", "c", text="report abuse"))
    assert abuse.text is None and abuse.replies[0].theme_id == "domestic-abuse"
