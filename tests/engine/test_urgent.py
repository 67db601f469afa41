"""Urgent-risk recognition: a child who may be at risk now or soon gets the signposting first.

The kinds of message below are the ones issue 12 reported as missed or wrongly flagged, in my
own words (the corpora in tests/data/urgent/ carry the measured sets; bench/urgent.py reports
them). The held-out part is never asserted on here: it is for reporting, not tuning.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from bot.engine.urgent import MAX_URGENT_CHARS, assess, is_urgent, prepare
from bot.engine.urgent_model import MODEL_PATH, shipped_model

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import train_urgent  # noqa: E402

AT_RISK_NOW = [
    "y10 girl has just said she is going to take all her tablets tonight",
    "she told me she wants to kill herself and she's walking home on her own",
    "mum keeps saying she wants to smother the baby, she's at home alone with him today",
    "3 month old with a scald on his back, story keeps changing and dad is putting coats on to leave",
    "baby 7 weeks with a fractured femur, parents say he rolled off the sofa, they want to go home",
    "toddler fell down the stairs, been vomiting and sleepy since, mum won't wait for the doctor",
    "found two kids on their own in the flat, the youngest is about 2, no sign of any adult",
    "6 year old still not collected at half 6, school closed, can't reach mum or the emergency contact",
    "a man she met on snapchat has arranged to pick her up from the school gates after school",
    "the baby is being left with mum's new boyfriend who is on the sex offenders register",
    "13 year old is pregnant and still living with the 24 year old who is the dad",
    "she says her family have booked the flight for next week to have her cut",
    "he's being taken to pakistan in the holidays to marry his cousin, he's 15",
    "dad texted me 'we are all better off dead' and he has the kids this weekend",
    "mum is drunk and about to drive the 4 year old home from nursery",
    "the boy says he was brought into the country by men who are waiting outside for him",
    "newborn found cold and barely moving in the flat, mum asleep on the sofa",
]

CALM = [
    "in a past case the baby had a bruise on his ear and nobody referred, what was the learning?",
    "suppose a teenager told me she wanted to die, what should I say?",
    "we closed a case last month where dad had been violent, she's doing well now",
    "what are the signs of FGM?",
    "for our INSET scenario, a y9 girl is being groomed online, is that realistic?",
    "how do I make a referral to the MASH?",
    "what does disguised compliance look like?",
    "the family say all the right things but nothing changes",
]


@pytest.mark.parametrize("message", AT_RISK_NOW)
def test_a_child_at_risk_now_gets_the_signposting(message):
    assert is_urgent(message), assess(message)


@pytest.mark.parametrize("message", CALM)
def test_learning_hypotheticals_and_past_cases_stay_calm(message):
    assert not is_urgent(message), assess(message)


IN_HAND = [
    "year 4 boy had a bruise on his knee from football, DSL aware and mum confirmed it, was it right to log it on CPOMS?",
    "teen in our group has old healed scars, she's under CAMHS and has a safety plan, how do I talk to her about it?",
    "nursery flagged a mark on a 3 year old, it was checked with the paediatrician and the explanation fits. should I have done more?",
]

STILL_URGENT_WITH_SOMEONE_TOLD = [
    "told the DSL but she's off site: the year 8 girl says she'll take all her tablets tonight and she's walking home alone",
    "SW informed, but mum's boyfriend who hit the 2 year old is back in the flat now and mum has stopped answering",
    # "staying with the family" is said of the risk, not the child
    "the 9 year old says her uncle, who is staying with the family this month, comes into her room at night",
    # "is that enough?" asks whether to act now
    "the 4 year old has a swollen infected burn on her hand, mum isn't answering, I've put it on CPOMS. Is that enough?",
]


@pytest.mark.parametrize("message", IN_HAND)
def test_a_practice_question_about_a_case_already_in_hand_gets_a_learning_answer(message):
    reading = assess(message)
    assert not reading.urgent, reading
    assert {"in_hand", "practice_question"} & set(reading.framing), reading


@pytest.mark.parametrize("message", STILL_URGENT_WITH_SOMEONE_TOLD)
def test_a_danger_told_plainly_signposts_even_when_someone_has_been_told(message):
    assert is_urgent(message), assess(message)


@pytest.mark.parametrize(
    "message",
    [
        "Mum told me her boyfriend hit the baby last night and he is staying there tonight",
        "the school told me a year 6 girl said her stepdad touches her and she goes home at 3",
        "her sister says their stepdad has been abusing Poppy for months and mum knows",
    ],
)
def test_a_parent_knowing_or_someone_reporting_is_not_a_case_in_hand(message):
    # "mum knows" is often the danger itself and "the school told me" is how a report begins:
    # neither may lift the bar a message needs to signpost.
    reading = assess(message)
    assert "in_hand" not in reading.framing, reading
    assert reading.urgent, reading


def test_danger_at_the_end_of_a_long_message_is_still_read(conversation):
    preamble = "I've been reflecting on the week and our team meeting, which went well. " * 30
    message = preamble + "Also a y8 girl has just told me she will take all her tablets tonight."
    assert 1200 < len(message) < MAX_URGENT_CHARS
    reply = conversation.reply(message)
    assert reply.urgent is not None


def test_text_speak_is_spelled_out_before_reading():
    assert prepare("shes 14yo n says she wont go home 2nite") == "she's 14 year old n says she won't go home tonight"


def test_the_unmistakable_floor_signposts_even_a_bare_phrase():
    reading = assess("home alone")
    assert reading.acute and reading.urgent


def test_a_framed_floor_phrase_is_left_to_the_model():
    reading = assess("in the training scenario the toddler was home alone, what should the trainee do?")
    assert reading.acute and reading.framing and not reading.urgent


def test_our_scorer_gives_the_same_scores_as_scikit_learn():
    texts, labels, parts = train_urgent.training_messages()
    _, _, predict = train_urgent.fit(texts, labels, train_urgent.part_weights(parts))
    sample = texts[::7]
    expected = predict(sample)
    model = shipped_model()
    ours = [model.score(prepare(t)) for t in sample]
    assert max(abs(a - b) for a, b in zip(ours, expected, strict=True)) < 1e-4


def test_the_shipped_model_was_trained_on_the_corpus_as_it_is_now():
    texts, labels, _ = train_urgent.training_messages()
    assert shipped_model().trained_on == train_urgent.digest(texts, labels), "run: python bench/train_urgent.py"


@pytest.mark.parametrize(
    "name",
    [
        "holdout.yaml",
        "holdout_b.yaml",
        "holdout_c.yaml",
        "holdout_d.yaml",
        "holdout_e.yaml",
        "holdout_f.yaml",
        "holdout_g.yaml",
        "holdout_h.yaml",
        "holdout_i.yaml",
        "holdout_j.yaml",
        "holdout_ordinary_b.yaml",
        "holdout_ordinary_c.yaml",
        "holdout_ordinary_d.yaml",
        "holdout_ordinary_f.yaml",
        "holdout_ordinary_g.yaml",
        "holdout_ordinary_h.yaml",
        "holdout_ordinary_i.yaml",
        "holdout_ordinary_j.yaml",
    ],
)
def test_the_held_out_parts_are_never_used_for_training(name):
    texts, _, _ = train_urgent.training_messages()
    held_out = {i["text"].strip().lower() for i in yaml.safe_load((ROOT / "tests/data/urgent" / name).read_text())}
    assert len(held_out) >= 150
    assert not held_out & {t.strip().lower() for t in texts}


def test_the_model_ships_inside_the_package():
    assert MODEL_PATH.parent.name == "engine" and MODEL_PATH.exists()
    assert MODEL_PATH.stat().st_size < 3_000_000


# Unmistakable dangers signposted whatever the model says, when nothing frames them otherwise.
FLOOR_DANGERS = [
    # a gun seen with a child
    "Dinner lady here. A Year 8 lad showed his mates what looked like a pistol behind the canteen. He's in science now.",
    "Caretaker found a handgun in a pupil's PE bag in the changing rooms, the boy doesn't know we've seen it. What now?",
    "Our Y10, Kian, was spotted handing a gun to a younger boy at the bus stop after school, they've both gone home.",
    # a child's disclosure of sexual abuse, and someone met online arranging to meet a child
    "at tea the 8yo told me her mums boyfriend makes her play the secret game in the bath. hes picking her up at 6",
    "Y4 boy whispered that his cousin touches his private parts when he stays over, and he's staying this weekend.",
    "Our 13yo has been chatting on Discord to a 'boy' who wants to meet her at the retail park after school tomorrow.",
    # a child held at a property to sell drugs, though a referral is being written
    "Allocated SW here. Mum says her 15yo is being held at a flat in another town to sell drugs and he "
    "texted her for help last night. I'm writing up the NRM now.",
]

# The same dangers asked about, supposed, long past or settled.
FLOOR_DANGERS_NOT_NOW = [
    "What should a school do if a pupil is seen with a gun? Planning our critical incident policy.",
    "The boy who brought a gun into school last year is doing really well now and the case is closed.",
    "He's still missing dentist appointments and the core group says mum is engaging. What does the learning say?",
    "If my foster child went missing overnight, would I ring the police or EDT first?",
    # a letter about a closed case is not a disclosure
    "The letter says the S47 into sexual abuse by a neighbour has concluded, he was jailed, "
    "the girl is safe with her dad and the case closed. Do I need to do anything more?",
]


@pytest.mark.parametrize("message", FLOOR_DANGERS)
def test_an_unframed_danger_in_the_floor_signposts_whatever_the_model_says(message):
    reading = assess(message)
    assert reading.acute and reading.urgent, reading


@pytest.mark.parametrize("message", FLOOR_DANGERS_NOT_NOW)
def test_a_floor_danger_asked_about_supposed_past_or_settled_does_not_signpost(message):
    assert not assess(message).urgent, message


@pytest.mark.parametrize(
    "message",
    [
        "Mum's ex, the one with the DV history, is back in the house and the kids are there tonight.",
        "He's back in class now after saying he'd bring his brother's gun in, I saw it in his bag at lunch.",
    ],
)
def test_back_in_the_house_or_class_is_now_not_a_past_case(message):
    # "back in 2018" looks back; "back in the house" says who is with the children now.
    reading = assess(message)
    assert "past_case" not in reading.framing, reading
    assert reading.urgent, reading


@pytest.mark.parametrize(
    "message",
    [
        "If a patient told me he had been touched as a child, would that change what I record?",
        "What if one of my players confided that his coach said sexual things to him: who do I tell first?",
        "For our safeguarding week I'm writing a fictional story about a girl whose online friend wants to meet her.",
    ],
)
def test_a_disclosure_asked_about_or_written_as_a_story_is_not_in_the_floor(message):
    assert assess(message).framing
    assert not assess(message).urgent


@pytest.mark.parametrize(
    "message",
    [
        "nursery: we cant find him, 3yo, the fire door was open, we've searched everywhere. should we ring the police?",
        "Our 12yo foster daughter hasn't come home from school and her phone is off. Do I ring the police or EDT?",
    ],
)
def test_a_child_missing_now_signposts_and_asking_who_to_ring_is_not_a_learning_question(message):
    reading = assess(message)
    assert "learning" not in reading.framing, reading
    assert reading.acute and reading.urgent, reading


@pytest.mark.parametrize(
    "message",
    [
        "can someone unlock the training room for tomorrow morning",
        "my laptop keeps freezing whenever I open the case system",
        "could you remind me to phone the IT helpdesk tonight",
    ],
)
def test_office_chatter_about_me_you_or_someone_is_not_a_child_at_risk(message):
    assert not is_urgent(message), assess(message)


def test_a_child_at_risk_is_still_read_when_the_writer_speaks_of_themselves():
    assert is_urgent("I'm with a 9 year old at the bus station, nobody has come for him and it's nearly midnight")


@pytest.mark.parametrize(
    "message",
    [
        "make me a scenario for our DSL refresher: a 10 year old says her stepdad burned her with a lighter and she has to go home at 3",
        "could you play the mum who refuses to let me see the baby's bruise? I want to practise for my home visits",
        "write a case study for new starters about a teenager found in a flat with older men, for students to discuss",
    ],
)
def test_asked_to_write_or_play_training_material_is_not_a_child_at_risk(message):
    assert not is_urgent(message), assess(message)


@pytest.mark.parametrize(
    "message",
    [
        "she's just messaged me 'i'm on the roof of the car park, tell my dad i'm sorry' and isn't answering",
        "year 11 lad has sent his girlfriend a goodbye text and switched his phone off, he usually walks home past the canal",
    ],
)
def test_a_goodbye_or_a_young_person_at_a_high_place_signposts(message):
    assert is_urgent(message), assess(message)


@pytest.mark.parametrize(
    "message",
    [
        "home visit 3yo n baby no heating no food mum not answering",
        "Year 2 says her uncle keeps doing things to her when he babysits, he's babysitting tonight",
    ],
)
def test_a_home_without_heat_or_food_or_doing_things_to_her_signposts(message):
    assert is_urgent(message), assess(message)


def test_a_case_we_have_just_closed_reads_as_a_closed_case():
    assert "past_case" in assess("We've just closed the CIN plan, there'd been no food in the house back then").framing


@pytest.mark.parametrize(
    "message",
    [
        "what do reviews say about babies with bruises? it's for the partnership newsletter next month",
        "could you do me a seven minute briefing on teenagers who go missing from care",
    ],
)
def test_material_for_a_newsletter_or_a_briefing_is_not_a_child_at_risk(message):
    assert not is_urgent(message), assess(message)


def test_not_supposed_to_be_there_is_not_a_supposition():
    message = "her dad isn't supposed to come to the house but she says he's coming round tonight to finish it"
    assert "supposed" not in assess(message).framing and is_urgent(message)


def test_a_long_training_scenario_needs_a_near_certain_run_to_signpost():
    message = (
        "I'm putting together a training scenario for our new health visitors and would like your help with it. "
        "The scenario is a family with three children under five where mum has recently separated from a violent partner. "
        "In the scenario, the health visitor arrives and finds the baby with a bruise on his cheek and mum says the toddler did it. "
        "I want the trainees to discuss what they would record, who they would tell and how they would check the explanation. "
        "Could you suggest three discussion questions and the key learning points from the reviews?"
    )
    assert not is_urgent(message), assess(message)
