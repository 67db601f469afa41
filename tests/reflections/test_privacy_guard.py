"""Issue 13's guard: every kind of identifying detail, asked about or refused, and practice
learning left alone; scored on the labelled corpora the way bench/privacy.py scores them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.reflections.privacy import check, question_key, redact, review

CORPORA = sorted((Path(__file__).parent.parent / "data" / "privacy").glob("dev_*.yaml"))


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("spoke to jayden smith after school", "name", "jayden smith"),
        ("the Kowalski family were at the meeting", "name", "Kowalski"),
        ("the Ahmeds had moved again", "name", "Ahmeds"),
        ("Mr and Mrs Thompson came together", "name", "Thompson"),
        ("the O'Connor household was chaotic", "name", "O'Connor"),
        ("ryan's dad drove off", "name", "ryan"),
        ("oscar, 2, was not seen", "name", "oscar"),
        ("semhar (9) told me", "name", "semhar"),
        ("the flat on Elm Grove Road", "address", "Elm Grove Road"),
        ("they stay on juniper close now", "address", "juniper close"),
        ("postcode LS6  2AB", "postcode", "LS6  2AB"),
        ("moved to B11 3 PL", "postcode", "B11 3 PL"),
        ("born on the third of March 2019", "date_of_birth", "third of March 2019"),
        ("nhs 943-4761-220 on the letter", "nhs_number", "943-4761-220"),
        ("mosaic 4418207 shows the move", "case_reference", "4418207"),
        ("crime ref 14/77820/23 for the assault", "case_reference", "14/77820/23"),
        ("EHM-00917 on everything", "case_reference", "EHM-00917"),
        ("her email is kelly dot b at yahoo dot com", "email", "kelly dot b at yahoo dot com"),
        ("a white transit YX19 KTP outside", "vehicle_registration", "YX19 KTP"),
        ("her snap is lilz.xo and older men add her", "social_handle", "lilz.xo"),
        ("he posts as @lilkay.ends", "social_handle", "@lilkay.ends"),
        ("aunt on +234 809 555 0147 in Abuja", "phone", "+234 809 555 0147"),
        ("the 13 year old at Ravenscroft Academy", "school_or_gp_with_child", "Ravenscroft Academy"),
    ],
)
def test_each_kind_in_the_issue_is_found_with_its_words(text: str, kind: str, words: str) -> None:
    assert words in [text[f.start : f.end] for f in check(text) if f.kind == kind]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("I drove Willow home and she cried the whole way", "Willow"),  # a word name, capitalised mid-sentence
        ("saw faith with her nan at the gate", "faith"),  # lower case, with a she/her after it
        ("Hope and her little sister were left at the flat", "Hope"),
        ("the eldest, Blossom, does all the cooking", "Blossom"),  # in an aside after a child word
        ("lil dez keeps turning up at the youth club", "dez"),
        ("tj said he sleeps at his uncle's", "tj"),  # an initials nickname in a speaker's place
        ("Summer's been missing sessions and her mum won't say why", "Summer"),  # "'s" for "has"
        ("ruby in my class hasn't had lunch money for weeks", "ruby"),
        ("Kehinde, born just after the flood, is the quiet one", "Kehinde"),
        ("Harjit's mother-in-law speaks for her in every visit", "Harjit"),
        ("I sat with Willow in the car and she finally talked", "Willow"),
        ("TK in y9 has stopped eating at lunch", "TK"),  # initials before a year group
        ("RW (year 4, Hillside Juniors) was collected by a stranger", "RW"),
    ],
)
def test_names_that_are_also_words_are_asked_about_in_a_persons_place(text: str, words: str) -> None:
    assert words in [text[f.start : f.end] for f in check(text) if f.kind == "name"]


@pytest.mark.parametrize(
    "text",
    [
        "summer is when we lose sight of the kids and he knows it",  # a season described
        "dad drives a Mercedes and mum drives a Jordan-branded van",  # after "a": a thing
        "Athena and Niche hold different histories for the same family",  # police systems
        "the family went to paris, berlin and rome last year",
        "hope is not a plan and she knows it",
        "we went with hope in our hearts and she was there",
        "PE in y9 is where the changing rooms come up, and the TA in year 4 noticed",
    ],
)
def test_words_that_name_lists_hold_stay_clean_outside_a_persons_place(text: str) -> None:
    assert [f for f in check(text) if f.kind == "name"] == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("the RiO entry on client 88120455 was never read", "88120455"),
        ("Niche occurrence 2210934 had the same address", "2210934"),
        ("CPOMS log #77120 was the first sign", "77120"),
        ("incident no. 50321 from the weekend", "50321"),
    ],
)
def test_a_long_number_after_a_records_system_or_record_word_is_refused(text: str, words: str) -> None:
    refused = [text[f.start : f.end] for f in check(text) if f.kind == "case_reference" and f.certain]
    assert words in refused


@pytest.mark.parametrize(
    "text",
    ["the mosaic record for the twins was updated 3 times", "Liquidlogic is slow", "the patient waited 40 minutes"],
)
def test_records_systems_without_a_reference_stay_clean(text: str) -> None:
    assert check(text) == []


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("write to kerry.m (at) outlook [dot] com please", "email", "kerry.m (at) outlook [dot] com"),
        ("nanny99[at]yahoo.com for letters", "email", "nanny99[at]yahoo.com"),
        ("his psn is D4rkW0lf_99 and men message him", "social_handle", "D4rkW0lf_99"),
        ("on discord as bl4ze#0091 he talks to adults", "social_handle", "bl4ze#0091"),
    ],
)
def test_emails_and_accounts_written_to_slip_past_a_filter_are_found(text: str, kind: str, words: str) -> None:
    assert words in [text[f.start : f.end] for f in check(text) if f.kind == kind]


def test_a_game_named_without_an_account_stays_clean() -> None:
    assert check("he plays fortnite every night till 2am and his xbox was taken off him in year 8") == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("they live on kestrel rd now", "kestrel rd"),
        ("mum is staying off station rd. with a friend", "station rd."),
        ("dad's back on Albion St and I didn't know", "Albion St"),
        ("second floor of Heron House, no lift", "Heron House"),
        ("the maisonette in Linden Towers has damp", "Linden Towers"),
    ],
)
def test_short_street_types_and_named_blocks_of_flats_are_found(text: str, words: str) -> None:
    assert words in [text[f.start : f.end] for f in check(text) if f.kind == "address"]


@pytest.mark.parametrize(
    "text",
    [
        "the Family Court was on the 5th floor",
        "we met at Carlton House in the training room",
        "the first st of the month",
        "took him to the Crown Court, floor 3",
    ],
)
def test_courts_offices_and_ordinals_are_not_addresses(text: str) -> None:
    assert [f for f in check(text) if f.kind == "address"] == []


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("she was born on new year's eve, 2016", "date_of_birth", "new year's eve, 2016"),
        ("he turns 4 on the 3rd of june and still isn't talking", "date_of_birth", "3rd of june"),
        ("his birthday is christmas day", "date_of_birth", "christmas day"),
        ("ring her on oh seven seven double oh, nine oh oh three oh six", "phone", "oh seven seven double oh, nine"),
        ("zero seven nine one one, two three four, five six seven", "phone", "zero seven nine one one, two"),
        ("send it to mum_22 at gmail.com", "email", "mum_22 at gmail.com"),
        ("birthday is on bonfire night, he'll be 5", "date_of_birth", "bonfire night"),
        ("nhs no. is nine four three four seven six five nine one nine", "nhs_number", "nine four three four"),
    ],
)
def test_birthdays_phones_and_emails_given_in_words_are_refused(text: str, kind: str, words: str) -> None:
    assert any(text[f.start : f.end].startswith(words) for f in check(text) if f.kind == kind and f.certain)


@pytest.mark.parametrize(
    "text",
    [
        "we had the christmas party on 12 december",
        "he turned 16 in march and moved to the leaving care team",
        "turns out one or two of them knew",
        "I arrived at school.com? no",
    ],
)
def test_holidays_counts_and_words_stay_clean(text: str) -> None:
    assert check(text) == []


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("the garages behind Fenton Street in LS9", "postcode", "LS9"),
        ("27 Sefton Terrace, M14 area", "postcode", "M14"),
        ("they were evicted from Ravenscar House last week", "address", "Ravenscar House"),
        ("the Nowak girl was seen at the window", "name", "Nowak"),
    ],
)
def test_districts_beside_a_street_blocks_people_leave_and_surnamed_children_are_found(
    text: str, kind: str, words: str
) -> None:
    assert words in [text[f.start : f.end] for f in check(text) if f.kind == kind]


@pytest.mark.parametrize(
    "text",
    [
        "they moved to the M14 area last year",
        "S47 enquiry started the same day",
        "came off the M62 and got lost",
        "we moved to Carlton House offices for training",
        "the Polish boy and the Muslim girls were in the same group",
    ],
)
def test_districts_alone_offices_and_described_children_stay_clean(text: str) -> None:
    assert check(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "mum told the GP about Year 6 and the 12-month-old",
        "the section 47 enquiry and the NSPCC helpline",
        "Signs of Safety mapping with the family",
        "classic start again syndrome from Brandon et al. (2008)",
        "ring Childline on 0800 1111 or the NSPCC on 0808 800 5000",
        "Working Together 2023 para 3.4.12 on the 10 principles",
        "Ask at the next visit (Sam, Friday)",
        "a 10 minute walk from the school, in Year 7",
        "The DfE guidance Keeping Children Safe in Education 2024 is clear about online safety.",
        "Reder, Duncan and Gray wrote about the assessment paralysis that still happens.",
        "I read Eileen Munro and Harry Ferguson on home visits this week.",
        "We used the Barnahus model in the pilot in North London.",
        "The Family Drug and Alcohol Court had better outcomes than care proceedings.",
        "A Christmas Food Bank referral isn't a plan, it's a stopgap.",
        "in jan we started the AI pilot, dev work on thu",
        "we've turned it off now, thats got to change and i've told the sw",
        "the research by Lena Dominelli on anti-oppressive practice changed how I write",
        "the Jade and Kai national review is worth reading on neglect",
        "dad's language was hostile, we have Interpreter Direct for a reason",
        "the children were quiet, I'll ask again next visit",
    ],
)
def test_practice_learning_is_neither_refused_nor_questioned(text: str) -> None:
    assert check(text) == []


def test_identifiers_are_refused_and_possible_names_are_asked_about() -> None:
    text = "kai at Oakfield Primary, postcode LS6 2AB"
    result = review(text)
    assert [f.kind for f in result.refused] == ["postcode"]
    assert {f.kind for f in result.questions} == {"name", "school_or_gp_with_child"}


def test_saying_it_is_not_a_person_settles_exactly_those_words() -> None:
    text = "I talked it through with Harley in supervision"
    asked = review(text).questions
    assert asked
    assert review(text, question_key(text, asked)).ok
    other = "I talked it through with Callum in supervision"
    assert not review(other, question_key(text, asked)).ok  # a new word is asked about again


def test_one_click_redaction_replaces_each_detail_with_neutral_words() -> None:
    text = "baby kai, dob 05/01/2024, at 7 Orchard Close"
    assert redact(text, check(text)) == "baby [child], dob [date of birth], at [address]"


def test_findings_carry_spans_not_the_words() -> None:
    finding = check("call 07700 900123")[0]
    assert "07700" not in repr(finding)


def test_every_dev_corpus_is_scored_including_the_one_written_without_sight_of_the_guard() -> None:
    assert {"dev_a.yaml", "dev_b.yaml", "dev_c.yaml"} <= {p.name for p in CORPORA}


@pytest.mark.parametrize("path", CORPORA, ids=lambda p: p.name)
def test_the_dev_corpora_are_caught_with_few_false_alarms(path: Path) -> None:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    identifying = [c for c in cases if c["expect"]]
    clean = [c for c in cases if not c["expect"]]
    caught = sum(1 for c in identifying if check(c["text"]))
    false_alarms = sum(1 for c in clean if check(c["text"]))
    assert caught / len(identifying) >= 0.98, caught
    assert false_alarms / len(clean) <= 0.01, false_alarms


@pytest.mark.parametrize(
    "unit",
    [
        "x dot ",
        "a at b dot ",
        "07700 ",
        "+44 ",
        "mosaic ref 1/",
        "snap is a.",
        "Mrs ",
        "on a b road ",
        "kai, 7, ",
        "oh seven ",
        "LS9 on Elm Road ",
        "the little one, Hope, ",
        "EMIS record ",
    ],
)
def test_repeated_patterns_stay_fast_on_a_long_text(unit: str) -> None:
    import time

    text = (unit * (40_000 // len(unit) + 1))[:40_000]
    started = time.perf_counter()
    check(text)
    assert time.perf_counter() - started < 3.0  # linear: about 0.4 s at worst here
