"""Team actions the privacy guard stopped: what it found, by column, with no platform objects."""

from __future__ import annotations

from bot import meetings


def test_the_guard_behind_every_problem_gives_findings_by_column():
    actions = meetings.team_actions("Good notes", "call mum on 07700 900123", "Ring the school nurse")
    problems = meetings.check_team_actions(actions)
    found, problem = meetings.guard_findings(actions, {}, problems)
    assert set(problems) == {"worried_about"} and problem == problems["worried_about"]
    (detail,) = found.details
    assert detail.field == "worried_about" and detail.words == "07700 900123" and not found.asking


def test_another_rule_gives_plain_errors_not_findings():
    actions = meetings.team_actions("call mum on 07700 900123", "", "")  # and no agreed action
    problems = meetings.check_team_actions(actions)
    assert "next_steps" in problems and meetings.guard_findings(actions, {}, problems) is None


def test_possible_names_in_two_columns_are_asked_about_with_one_digest_each():
    actions = meetings.team_actions("Harley led the visit well", "", "Ask Callum to join supervision")
    problems = meetings.check_team_actions(actions)
    found, problem = meetings.guard_findings(actions, {}, problems)
    assert problem == meetings.CHECK_BELOW and found.asking
    assert set(found.not_people_keys) == {"working_well", "next_steps"}


def test_the_actions_form_carries_the_findings_by_column_with_a_toggle_only_where_asked():
    from bot import router

    actions = meetings.team_actions("Harley led the visit well", "", "Ask Callum to join supervision")
    problems = meetings.check_team_actions(actions)
    review = meetings.guard_findings(actions, {}, problems)
    form = router.team_actions_form("neglect", "Neglect", {"working_well": actions.working_well}, review=review)
    fields = {f.id: f for f in form.fields}
    assert form.notice == f"Not saved yet. {meetings.CHECK_BELOW}" and form.problem == meetings.CHECK_BELOW
    assert [a.id for a in form.more] == [router.REDACT_ACTIONS]
    assert [d.words for d in fields["working_well"].found] == ["Harley led"] and fields["worried_about"].found == ()
    assert fields["next_steps"].not_people.id == f"next_steps{router.NOT_PEOPLE}"
    assert fields["next_steps"].not_people.value == review[0].not_people_keys["next_steps"]
    assert fields["worried_about"].not_people is None and fields["working_well"].problem is None
