"""The privacy guard catches identifying details and leaves practice learning alone."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from bot.reflections.privacy import (
    KINDS,
    MAX_ERROR_CHARS,
    Finding,
    check,
    describe,
    is_valid_nhs_number,
)

CASES_FILE = Path(__file__).parent.parent / "data" / "privacy_cases.yaml"
CASES = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))


def kinds_in(text: str) -> set[str]:
    return {finding.kind for finding in check(text)}


def flagged_text(text: str, kind: str) -> list[str]:
    return [text[f.start : f.end] for f in check(text) if f.kind == kind]


# --- each kind: what it catches and what it leaves alone -----------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DOB 12/03/2019", "12/03/2019"),
        ("seen on 12.3.19", "12.3.19"),
        ("born 3rd March 2019", "3rd March 2019"),
        ("born March 3 2019", "March 3 2019"),
        ("born March 3rd, 2019", "March 3rd, 2019"),
        ("d.o.b 2019-03-12", "2019-03-12"),
        ("on the 21st of June 2020", "21st of June 2020"),
        ("birthday is 14 Feb", "14 Feb"),
        ("DOB: 12/03", "12/03"),
    ],
)
def test_full_dates_and_birthdays_are_possible_dates_of_birth(text: str, expected: str) -> None:
    assert flagged_text(text, "date_of_birth") == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "the 2018-19 figures",
        "in March 2019",
        "Working Together 2018",
        "a 3 month old",
        "under 12 months",
        "0-1 year olds",
        "week 48",
        "we scored 7/10",
        "paragraph 3.4.12 of the procedures",
        "version 1.2.10",
        "born in March",
        "lockdown from March 2020 to June 2021",
    ],
)
def test_years_months_and_references_are_not_dates_of_birth(text: str) -> None:
    assert "date_of_birth" not in kinds_in(text)


def test_a_date_after_dob_asks_for_the_date_of_birth_to_go() -> None:
    (finding,) = check("DOB 12/03/2019")
    assert finding.message == "Remove the date of birth (the child's age is enough)."


def test_the_nhs_checksum_accepts_valid_numbers_and_rejects_the_rest() -> None:
    assert is_valid_nhs_number("9434765919")
    assert not is_valid_nhs_number("9434765918")  # wrong check digit
    assert not is_valid_nhs_number("1234567890")  # check digit would be 10: never valid
    assert not is_valid_nhs_number("943476591")  # too short
    assert not is_valid_nhs_number("94347659１9")  # a full-width digit is not a digit here


def test_a_check_digit_of_eleven_counts_as_zero() -> None:
    # 0000000000: weighted sum 0, 11 - 0 = 11, which the rules turn into a check digit of 0.
    assert is_valid_nhs_number("0000000000")


@pytest.mark.parametrize("text", ["NHS 943 476 5919", "nhs no 9434765919", "NHS: 943-476-5919", "(943 476 5919)"])
def test_nhs_numbers_with_a_valid_checksum_are_caught(text: str) -> None:
    assert kinds_in(text) == {"nhs_number"}


@pytest.mark.parametrize("text", ["NHS 943 476 5918", "nhs 6104 772 918", "code 4308246281"])
def test_ten_digits_in_any_grouping_are_refused_even_with_a_bad_checksum(text: str) -> None:
    # People copy NHS numbers wrongly, and a mistyped one still points at a child's records.
    findings = check(text)
    assert [f.kind for f in findings] == ["nhs_number"] and findings[0].certain


def test_ten_digits_with_a_bad_checksum_can_still_be_a_landline() -> None:
    assert kinds_in("ring 0161496000") == {"phone"}


@pytest.mark.parametrize(
    "text",
    [
        "07700 900123",
        "07700900123",
        "07700-900-123",
        "0770 090 0123",
        "+44 7700 900123",
        "+447700900123",
        "+44 (0)7700 900123",
        "0044 7700 900123",
        "0161 496 0000",
        "(020) 7946 0321",
        "020 7946 0321",
        "01632 960555",
        "0300 123 4567",
    ],
)
def test_uk_phone_numbers_are_caught(text: str) -> None:
    assert flagged_text(f"call {text} today", "phone") == [text]


@pytest.mark.parametrize(
    "text",
    ["call 999", "ring 111", "police on 101", "Samaritans 116 123", "Childline 0800 1111",
     "NSPCC 0808 800 5000", "0-1 year olds", "the 2018-19 figures", "07 visits"],
)  # fmt: skip
def test_emergency_helpline_and_short_numbers_are_not_phones(text: str) -> None:
    assert "phone" not in kinds_in(text)


def test_a_year_after_a_phone_number_is_left_out_of_it() -> None:
    assert flagged_text("mobile 07700 900123 2019", "phone") == ["07700 900123"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("email sarah.jones@example.com please", "sarah.jones@example.com"),
        ("(kaz_1985@example.co.uk)", "kaz_1985@example.co.uk"),
        ("at jo+notes@example.org.", "jo+notes@example.org"),
    ],
)
def test_emails_are_caught_without_trailing_punctuation(text: str, expected: str) -> None:
    assert flagged_text(text, "email") == [expected]


def test_an_at_sign_alone_is_not_an_email() -> None:
    assert kinds_in("meet @ 2pm with mum @home") == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("they live at 12 Acacia Avenue now", "12 Acacia Avenue"),
        ("moved to 4a High Street", "4a High Street"),
        ("Flat 3, above the shop", "Flat 3"),
        ("27 Mill Lane", "27 Mill Lane"),
        ("8 Station Rd.", "8 Station Rd."),
        ("mum lives at number 14 with him", "number 14"),
        ("staying at Rose Cottage", "Rose Cottage"),
    ],
)
def test_street_addresses_are_caught(text: str, expected: str) -> None:
    assert flagged_text(text, "address") == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "the 10 principles",
        "3 visits",
        "3 Family Court hearings",
        "a flat 2 miles from school",
        "lives at home with mum",
        "lives at Nan's most weekends",
        "has lived at 3 different addresses",
        "a 10 minute walk",
    ],
)
def test_counts_and_homes_are_not_addresses(text: str) -> None:
    assert "address" not in kinds_in(text)


@pytest.mark.parametrize("text", ["SW1A 1AA", "M1 1AE", "B33 8TH", "LS1 4AP", "sw1a1aa", "ls14ap", "CF10 1EP"])
def test_uk_postcodes_are_caught_with_or_without_the_space(text: str) -> None:
    assert flagged_text(f"in {text} now", "postcode") == [text]


@pytest.mark.parametrize(
    "text",
    ["the s47 2nd strategy meeting", "KS2 pupils", "at 3pm", "M6 4am", "Y10 students",
     "covid19", "CP plan", "ABC 123"],
)  # fmt: skip
def test_codes_that_are_not_postcodes_are_left_alone(text: str) -> None:
    assert "postcode" not in kinds_in(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I spoke to mum Sarah Jones", "Sarah Jones"),
        ("Jayden Smith (the child) was not seen", "Jayden Smith"),
        ("baby Lily Brown", "Lily Brown"),
        ("mum Sarah said no", "Sarah"),
        ("baby Lily cried", "Lily"),
        ("stepdad Wayne refused", "Wayne"),
        ("step-dad Gary refused", "Gary"),
        ("the young person, Tyler, said", "Tyler"),
        ("the foster carer Mrs Patel", "Mrs Patel"),
        ("Lily's mum was upset", "Lily"),
        ("Sarah Jones is mum's sister", "Sarah Jones"),
        ("mum's name is Kerry", "Kerry"),
        ("Siobhán O'Neill (the mother)", "Siobhán O'Neill"),
    ],
)
def test_names_next_to_family_words_are_caught(text: str, expected: str) -> None:
    assert flagged_text(text, "name") == [expected]


def test_every_name_in_a_list_after_a_family_word_is_caught() -> None:
    text = "The children Harvey, Leo and Freya were on the plan."
    assert flagged_text(text, "name") == ["Harvey", "Leo", "Freya"]


@pytest.mark.parametrize(
    "text",
    [
        "Mum said it was fine.",
        "Mum was Sad and Angry.",
        "Child A and Parent B",
        "Children's Social Care and the Health Visitor",
        "the Safeguarding Partnership",
        "Working Together 2018 says to ask the child.",
        "Signs of Safety with the baby",
        "The Serious Case Review said Dad was invisible.",
        "Brandon et al found the child was not seen.",
        "visit mum on Monday in March",
        "Dad's partner",
        "Mum's GP",
        "Dad lives in Milton Keynes with his son.",
        "Mum attends Little Acorns Nursery with the baby.",
        "Sadly, the child was not seen.",
        "Like Victoria Climbié, the child was not heard.",
        "Always Check Who Lives In The House With The Baby.",
    ],
)
def test_family_words_agencies_and_titles_are_not_names(text: str) -> None:
    assert "name" not in kinds_in(text)


def test_name_messages_suggest_a_neutral_way_to_say_it() -> None:
    (finding,) = check("I spoke to mum Sarah Jones.")
    assert finding.message == "Remove the name next to 'mum' (use 'the mother' or 'Parent A')."


# --- messages ---------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda case: case["text"][:40])
def test_messages_never_repeat_the_identifying_text(case: dict[str, object]) -> None:
    text = str(case["text"])
    for finding in check(text):
        matched = text[finding.start : finding.end].strip()
        assert matched.lower() not in finding.message.lower()
        assert matched.lower() not in describe([finding]).lower()


def test_describe_is_empty_when_there_is_nothing_to_remove() -> None:
    assert describe([]) == ""


def test_describe_lists_each_kind_once_in_reading_order() -> None:
    text = "Mum Sarah Jones (07700 900123) lives at 12 Acacia Avenue, LS1 4AP, or 07700 900124."
    assert describe(check(text)) == (
        "Please remove the name, phone numbers, address and postcode before saving."
        " Reflections are for practice learning, not case details."
    )


def test_describe_fits_an_inline_error_even_with_every_kind_twice() -> None:
    findings = [Finding(kind, i, i + 1, "x") for i, kind in enumerate(KINDS * 2)]
    line = describe(findings)
    assert len(line) <= MAX_ERROR_CHARS
    for noun in ("names", "dates of birth", "NHS numbers"):
        assert noun in line


def test_describe_names_the_words_that_triggered_it() -> None:
    text = "nhs 943 476 5919, postcode LS6  2AB"
    line = describe(check(text), text)
    assert line == "Please remove “943 476 5919” (NHS number) and “LS6 2AB” (postcode) before saving."


def test_describe_explains_why_when_there_is_room() -> None:
    line = describe(check("NHS 943 476 5919"))
    assert line.startswith("Please remove the NHS number")
    assert "practice learning" in line
    assert len(line) <= MAX_ERROR_CHARS


# --- the labelled set ---------------------------------------------------------------------


def score(cases: list[dict[str, object]]) -> tuple[float, float]:
    """Precision and recall over (case, kind) pairs."""
    true_pos = false_pos = false_neg = 0
    for case in cases:
        expected = set(case["expect"])  # type: ignore[call-overload]
        found = kinds_in(str(case["text"]))
        true_pos += len(found & expected)
        false_pos += len(found - expected)
        false_neg += len(expected - found)
    return true_pos / (true_pos + false_pos), true_pos / (true_pos + false_neg)


def test_the_labelled_set_is_big_and_balanced_enough_to_mean_something() -> None:
    assert len(CASES) >= 140
    clean = [case for case in CASES if not case["expect"]]
    assert 0.4 <= len(clean) / len(CASES) <= 0.6
    assert {kind for case in CASES for kind in case["expect"]} >= {
        "date_of_birth", "nhs_number", "phone", "email", "address", "postcode", "name"
    }  # fmt: skip
    assert all(set(case["expect"]) <= set(KINDS) for case in CASES)


def test_precision_and_recall_on_the_labelled_set_are_at_least_95_percent() -> None:
    precision, recall = score(CASES)
    assert precision >= 0.95, precision
    assert recall >= 0.95, recall


# --- robustness ---------------------------------------------------------------------------


def assert_well_formed(text: str, findings: list[Finding]) -> None:
    previous_end = 0
    for finding in findings:
        assert finding.kind in KINDS
        assert previous_end <= finding.start < finding.end <= len(text)
        previous_end = finding.end


def test_an_empty_reflection_is_clean() -> None:
    assert check("") == []
    assert describe(check("")) == ""


def test_forty_thousand_characters_of_mixed_text_are_checked() -> None:
    rng = random.Random(11)
    words = "mum |Sarah |Jones |07700 |900123 |12 |Acacia |Avenue |LS1 |4AP |الأم |👶|\n"
    pieces = words.split("|") + list("@.a1/-(0")
    text = "".join(rng.choice(pieces) for _ in range(20_000))[:40_000]
    assert len(text) == 40_000
    assert_well_formed(text, check(text))


@pytest.mark.parametrize(
    "text",
    ["1" * 40_000, "a@" * 20_000, "0 " * 20_000, "Aa " * 13_000, "3 March " * 5_000,
     "lives at " * 4_000, "(0" * 20_000, " " * 40_000],
)  # fmt: skip
def test_repetitive_input_does_not_hang(text: str) -> None:
    assert_well_formed(text, check(text))


def test_binary_junk_is_checked_without_error() -> None:
    junk = bytes(random.Random(3).randrange(256) for _ in range(20_000))
    text = junk.decode("latin-1") + junk.decode("utf-8", errors="replace")
    assert_well_formed(text, check(text))


def test_emoji_and_right_to_left_text_keep_spans_right() -> None:
    text = "👶👶 مرحبا mum Sarah said 🙏 call 07700 900555 ‏שלום‎"
    findings = check(text)
    assert [(f.kind, text[f.start : f.end]) for f in findings] == [
        ("name", "Sarah"),
        ("phone", "07700 900555"),
    ]
