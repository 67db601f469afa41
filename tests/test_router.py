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


# -- reflect and thread replies --------------------------------------------------------------


class _At:
    def __init__(self, now):
        self.current = now

    def now(self):
        return self.current


def _with_store(catalogue, conversation, store, now) -> Services:
    return Services(Settings(person_key_secret="router-test-secret"), catalogue, conversation, store, _At(now))


def test_reflect_words_are_the_reflect_intent():
    assert router.command_of("reflect over-optimism") == ("reflect", "over-optimism")
    assert router.command_of("I want to reflect on neglect") == ("reflect", "on neglect")
    assert router.command_of("Write a reflection") == ("reflect", "")
    assert router.command_of("reflections") == ("team_summary", "")  # the team's, not a new one
    assert router.command_of("thread replies on") == ("thread_replies", "on")


async def test_reflect_on_a_known_theme_is_a_form_for_that_theme(catalogue, conversation, store, now):
    services = _with_store(catalogue, conversation, store, now)
    for words in ("reflect over-optimism", "I want to reflect on over optimism"):
        answer = await inbound.answer(services, router.Incoming("slack", "T1", "U1", "D1", text=words))
        form = answer.reflection_form
        assert form is not None and not form.editing and answer.text is None
        assert (form.theme_id, form.theme_title, form.themes) == (
            "over-optimism",
            catalogue.get("over-optimism").title,
            (),
        )
        assert form.shared is True and form.channel_id is None  # a 1:1 chat counts for no channel


async def test_reflect_with_no_theme_carries_the_theme_picker(catalogue, conversation, store, now):
    services = _with_store(catalogue, conversation, store, now)
    asked = router.Incoming("teams", "t", "u", "19:team@thread.tacv2", place=router.CHANNEL, text="write a reflection")
    form = (await inbound.answer(services, asked)).reflection_form
    assert form is not None and form.theme_id == ""
    assert form.themes == tuple((theme.id, theme.title) for theme in catalogue)
    assert form.channel_id == "19:team@thread.tacv2" and form.value.startswith("|19:team@thread.tacv2|")


async def test_reflect_on_an_unknown_theme_says_what_was_not_found_and_how_to_see_the_list(
    catalogue, conversation, store, now
):
    services = _with_store(catalogue, conversation, store, now)
    asked = router.Incoming("slack", "T1", "U1", "D1", text="reflect on zxqv blorp", command="/learn ")
    answer = await inbound.answer(services, asked)
    assert answer.reflection_form is None
    assert answer.text is not None and "“zxqv blorp”" in answer.text and "“/learn themes”" in answer.text


async def test_reflect_in_the_console_says_reflections_are_saved_in_slack_or_teams(catalogue, conversation):
    services = Services(Settings(), catalogue, conversation)
    answer = await inbound.answer(services, router.Incoming(router.CONSOLE, "", "", "", text="reflect neglect"))
    assert answer.text == router.REFLECT_ELSEWHERE and "Slack or Teams" in answer.text
    assert router.console_notice("I want to reflect on neglect") == router.REFLECT_ELSEWHERE
    assert router.console_notice("what is neglect?") is None


async def test_thread_replies_outside_slack_is_said_to_be_a_slack_setting(catalogue, conversation):
    services = Services(Settings(), catalogue, conversation)
    asked = router.Incoming("teams", "t", "u", "19:c@thread.tacv2", place=router.CHANNEL, text="thread replies on")
    assert (await inbound.answer(services, asked)).text == router.THREAD_REPLIES_IN_SLACK
    assert "a Slack setting" in router.THREAD_REPLIES_IN_SLACK
    assert router.console_notice("thread replies off") == router.THREAD_REPLIES_IN_SLACK


async def test_reflect_on_a_child_at_risk_now_gets_the_urgent_signposting_not_a_form(
    catalogue, conversation, store, now
):
    services = _with_store(catalogue, conversation, store, now)
    words = "I want to reflect on a child who told me today her stepdad hits her and she is scared to go home tonight"
    answer = await inbound.answer(services, router.Incoming("slack", "T1", "U1", "D1", text=words))
    assert answer.reflection_form is None and answer.replies[0].urgent is not None
