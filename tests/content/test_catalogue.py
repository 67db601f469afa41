"""The shipped catalogue covers every theme in the public contract, traceably."""

from __future__ import annotations

import re
from pathlib import Path

from bot.content.loader import normalise_name

THEMES_MD = Path(__file__).resolve().parents[3] / "shared" / "themes.md"
CONTRACT_IDS = {
    "disguised-compliance",
    "over-optimism",
    "voice-of-the-child",
    "seen-child-not-safe",
    "working-with-teenagers",
    "think-the-unthinkable",
    "professional-curiosity",
    "never-make-assumptions",
    "assessment-is-a-process",
    "start-again-syndrome",
    "fixed-thinking",
    "interaction-not-attachment",
    "neglect",
    "consensus-not-safe",
    "involvement-not-engagement",
    "domestic-abuse",
    "toxic-trio",
    "information-sharing",
    "record-keeping",
    "professional-challenge",
    "drift-and-delay",
    "family-networks",
    "multi-agency-working",
    "communication",
    "hostile-and-evasive-parents",
    "supervision-and-support",
    "everyones-responsibility",
    "was-not-brought",
    "bruising-non-mobile-babies",
    "child-sexual-exploitation",
    "thresholds-and-dynamic-risk",
    "young-carers",
    "reflective-practice",
    "learning-from-reviews",
}


def test_every_contract_theme_is_in_the_catalogue(catalogue):
    assert set(catalogue.ids()) >= CONTRACT_IDS
    assert len(CONTRACT_IDS) == 34


def test_contract_list_matches_the_shared_catalogue_when_present():
    if not THEMES_MD.exists():
        return
    ids = set(re.findall(r"^\| ([a-z0-9-]+) \|", THEMES_MD.read_text(), flags=re.M)) - {"id"}
    assert ids == CONTRACT_IDS


def test_every_theme_cites_seed_briefings_with_a_section(catalogue):
    for theme in catalogue:
        assert theme.sources, theme.id
        for source in theme.sources:
            assert source.seed in {"000", "001", "002", "003", "004"}
            assert source.section.strip()


def test_aliases_are_unique_across_themes(catalogue):
    owners: dict[str, str] = {}
    for theme in catalogue:
        for alias in (theme.title, *theme.aliases):
            key = normalise_name(alias)
            assert owners.setdefault(key, theme.id) == theme.id, alias


def test_practitioner_abbreviations_are_aliases(catalogue):
    aliases = {normalise_name(a): t.id for t in catalogue for a in t.aliases}
    assert aliases.get("wnb") == "was-not-brought"
    assert aliases.get("dna") == "was-not-brought"
    assert aliases.get("cse") == "child-sexual-exploitation"
    assert aliases.get("rule of optimism") == "over-optimism"
    assert aliases.get("false compliance") == "disguised-compliance"


def test_scenarios_are_plainly_fictional(catalogue):
    for theme in catalogue:
        assert theme.scenario.lower().startswith("fictional scenario"), theme.id


def test_quiz_distractors_point_at_other_themes(catalogue):
    for theme in catalogue:
        assert len(theme.quiz.distractors) == 2
        for d in theme.quiz.distractors:
            assert d.theme in catalogue.themes and d.theme != theme.id


def test_urgent_signposting_always_names_999(catalogue):
    heading, body = catalogue.urgent.render(
        {"front_door_name": "Front Door", "front_door_phone": "01234 567890", "out_of_hours_phone": "01234 000000"}
    )
    assert "999" in heading + body
    assert "01234 567890" in body and "01234 000000" in body


def test_urgent_signposting_gives_every_route_and_says_straight_away(catalogue):
    heading, body = catalogue.urgent.render(
        {"front_door_name": "Front Door", "front_door_phone": "01632 960123", "out_of_hours_phone": "01632 960456"}
    )
    text = heading + "\n" + body
    for route in ("999", "101", "0808 800 5000", "0800 1111", "LADO", "01632 960123", "01632 960456"):
        assert route in text, route
    assert "straight away" in text and "today" not in text
    assert "anyone can make a referral directly" in text


def test_the_safety_footer_is_one_line_with_999_and_the_front_door(catalogue):
    footer = catalogue.urgent.render_footer(
        {"front_door_name": "Front Door", "front_door_phone": "01632 960123", "out_of_hours_phone": "01632 960456"}
    )
    assert "\n" not in footer and len(footer) < 200
    assert "999" in footer and "Front Door" in footer and "01632 960123" in footer
