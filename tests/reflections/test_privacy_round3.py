"""What the privacy guard learned from the fourth development corpus (tests/data/privacy/dev_d.yaml):
meeting dates are not dates of birth, organisations named after people are not people, and
children named by words ("April's mum", "May (Y2)") or by a surname used as an adjective are."""

from __future__ import annotations

import pytest

from bot.reflections.privacy import check, review


def kinds(text: str) -> set[str]:
    return {finding.kind for finding in check(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Core group on 03/04/2025 - bring the updated chronology.",
        "Conference moved to 2025-03-18 because the paediatrician couldn't make it.",
        "RCPC 14.11.24 - first one where the young person spoke for herself.",
        "Reporting period 01/04/24 to 31/03/25: 212 section 47s.",
    ],
)
def test_the_date_of_a_meeting_or_a_period_is_not_a_date_of_birth(text: str) -> None:
    assert "date_of_birth" not in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "DOB 03/04/2019, seen at the core group",
        "born 14.11.19 and the conference was on 12/12/2024",
        "She turns 4 on the 9th and still isn't registered with any nursery.",
    ],
)
def test_a_birth_still_refuses_the_date(text: str) -> None:
    assert "date_of_birth" in kinds(text)
    assert not review(text).ok


@pytest.mark.parametrize(
    "text",
    [
        "Lucy Faithfull's Parents Protect resources are really good for carers.",
        "Stop It Now and the Lucy Faithfull Foundation presented to our MASH.",
        "Clare's Law came up in supervision; mum didn't know she could ask.",
        "A parent asked me about Sarah's Law and I couldn't explain it.",
        "Philomena Protocol form was half empty when the young person went missing.",
        "Carlene Firmin's contextual safeguarding made this click.",
        "Put the Forced Marriage Unit number (020 7008 0151) up in the staffroom.",
        "Families moving between Cornwall and Devon fall through gaps.",
        "Noticed the baby didn't turn to mum's voice at all.",
        "Hope the new worker reads the chronology. Hope isn't enough, so I rang her.",
        "Recieved the referal late, assesment started late. Drift is sytemic.",
        "the kids were with a neighbour and we didnt record who that was",
        "Mum attends Little Acorns Nursery with the baby.",
    ],
)
def test_organisations_places_typos_and_verbs_are_not_people(text: str) -> None:
    assert check(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "April's mum said she'd been to the GP about her low mood.",
        "May (Y2) keeps falling asleep in phonics.",
        "Will (Y8) told me his dad hits him with a belt.",
        "brandon's mum said she'd stopped drinking",
        "the lewandowski girl has missed 3 weeks now",
        "the ahmadzai boy has a Channel referral going in",
        "Doherty baby had a bruise on the ear at the 8 week check.",
        "the smiths cancelled again",
        "murphys are back",
        "Little Rose was so quiet on the visit.",
        "Lily-Grace started hiding under the table at circle time.",
        "Tendai's placement is breaking down.",
        "Ruby Price's family travel in the summer.",
        "Mark, mum's ex, has a MAPPA history.",
        "Precious and Blessing are 8 and 6, left with a neighbour.",
    ],
)
def test_children_and_families_named_in_these_ways_are_asked_about(text: str) -> None:
    assert "name" in kinds(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The girl at the Premier Inn on the ring road, room 114, with a man.", "address"),
        ("Went out to plot 7 at the site, the kids were on their own.", "address"),
        ("Caravan number 4 at Riverside park, the girl's been off school.", "address"),
        ("The family at no. 14 on the Brackenwood estate have had police out.", "address"),
        ("Datix 55821 raised for the discharge.", "case_reference"),
        ("ICS number 1102938 is the older sibling.", "case_reference"),
        ("black golf YC68 ... didn't get the rest", "vehicle_registration"),
        ("The man's facebook is fb.com/lovesdogs.1985, mum has added him.", "social_handle"),
        ("her number's oh seven seven double oh, nine hundred, three two one.", "phone"),
        ("Little one at Sunflowers Day Nursery is always the last collected.", "school_or_gp_with_child"),
    ],
)
def test_homes_records_cars_and_accounts_written_these_ways_are_found(text: str, kind: str) -> None:
    assert kind in kinds(text)


def test_a_meeting_room_is_not_an_address() -> None:
    assert kinds("Strategy meeting in Room 2.14 at the civic centre, Ward 7B joined by phone.") == set()
