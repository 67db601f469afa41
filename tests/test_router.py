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
    assert (
        answer.text not in (router.NOT_ADMIN, router.NOT_SCRBOT_ADMIN)
        and answer.replies
        and answer.replies[0].kind != "report"
    )


async def test_a_mistyped_period_is_the_report_but_report_and_a_theme_is_a_question(catalogue, conversation):
    services = Services(Settings(), catalogue, conversation)
    lots = await inbound.answer(services, router.Incoming("console", "w", "u", "c", text="report lots"))
    assert lots.text == router.NOT_SCRBOT_ADMIN  # no platform admin rule here: only scrbot admins
    abuse = await inbound.answer(services, router.Incoming("console", "w", "u", "c", text="report abuse"))
    assert abuse.text is None and abuse.replies[0].theme_id == "domestic-abuse"


def test_schedule_and_dashboard_are_intents_on_every_platform():
    assert router.command_of("schedule weekly monday 09:30") == ("schedule", "weekly monday 09:30")
    assert router.command_of("Dashboard") == ("dashboard", "")


async def test_schedule_in_a_one_to_one_chat_is_refused_in_the_platforms_words(catalogue, conversation):
    services = Services(Settings(), catalogue, conversation)
    asked = router.Incoming("console", "w", "u", "c", text="schedule weekly monday 09:30")
    (reply,) = (await inbound.answer(services, asked)).replies
    assert reply.kind == "schedule" and "for team channels" in (reply.intro or "")
    mistyped = router.Incoming("console", "w", "u", "c", text="schedule weekly mondya 09:30", command="/learn ")
    (reply,) = (await inbound.answer(services, mistyped)).replies
    assert "Did you mean monday?" in (reply.intro or "") and "/learn schedule" in (reply.intro or "")


async def test_dashboard_without_the_platforms_admin_rule_is_for_configured_admins(catalogue, conversation):
    services = Services(Settings(), catalogue, conversation)
    answer = await inbound.answer(services, router.Incoming("console", "w", "u", "c", text="dashboard"))
    assert answer.text is not None and "the people named as scrbot admins" in answer.text
    assert "workspace admins" not in answer.text
    in_a_channel = router.Incoming("console", "w", "u", "c", place=router.CHANNEL, text="dashboard")
    assert (await inbound.answer(services, in_a_channel)).text == router.DASHBOARD_ONLY_IN_CHAT
