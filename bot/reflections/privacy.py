"""The privacy guard: spot details in a reflection that could identify a child or family.

Reflections are practice learning, not case records, so before anything is stored `check`
lists what it found: each Finding has a kind, a span, whether the guard is certain (an NHS
number, a postcode: refused) or not (a word that may be a name: asked about) and a neutral
redaction. `review` splits them and settles questions the person answered ("these aren't
people"), `describe` names the words in one short line and `redact` swaps them out.

The numbers and handles are in bot.reflections.identifiers, the names and schools in
bot.reflections.people; this module keeps dates, emails, postcodes, house-numbered addresses
and names beside family words, and merges everything. Everything here is a pure function of
the text, every pattern runs in linear time, and a Finding never carries the matched text.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bot.reflections import identifiers, people
from bot.reflections.finding import Finding

KINDS = (
    "name",
    "date_of_birth",
    "nhs_number",
    "phone",
    "email",
    "address",
    "postcode",
    "case_reference",
    "vehicle_registration",
    "social_handle",
    "school_or_gp_with_child",
)
__all__ = ["KINDS", "Finding", "Review", "check", "describe", "is_valid_nhs_number", "redact", "review", "warm_up"]


def check(text: str) -> list[Finding]:
    """List the details in `text` that could identify a child or family, in reading order."""
    candidates = [
        *_emails(text),
        *identifiers.spoken_emails(text),
        *_nhs_numbers(text),
        *_phones(text),
        *identifiers.phones(text),
        *identifiers.spelled_phones(text),
        *identifiers.nhs_numbers(text),
        *_dates(text),
        *_postcodes(text),
        *identifiers.postcodes(text),
        *identifiers.case_references(text),
        *identifiers.vehicle_registrations(text),
        *identifiers.social_handles(text),
        *_addresses(text),
        *identifiers.streets(text),
        *identifiers.buildings(text),
        *identifiers.rooms_and_pitches(text),
        *_not_in_titles(text, _names(text)),
        *_not_ordinary_names(text, people.names(text)),
    ]
    addresses = [f for f in candidates if f.kind == "address"]
    candidates += identifiers.postcode_districts(text, addresses) if addresses else []
    found = _without_overlaps(_outside_links(text, candidates), len(text))
    named = any(f.kind == "name" for f in found)
    schools = _outside_links(text, list(people.schools_with_child(text, named)))
    return _without_overlaps([*found, *schools], len(text))


def warm_up() -> None:
    """Load the word lists now (about 0.2 s), so the first reflection after start-up is not the
    one that waits for them inside Slack's 3-second window."""
    check("warm up")


def _not_in_titles(text: str, findings: Iterable[Finding]) -> Iterator[Finding]:
    """Drop names of ordinary words inside a capitalised title ("Keeping Children Safe in
    Education"): a run of capitalised ordinary words on both sides, not a person."""
    from bot.reflections.wordlists import english_words

    words = english_words()
    for finding in findings:
        parts = [_base(w) for w in text[finding.start : finding.end].split()]
        before = re.findall(r"[A-Za-z'’]+", text[max(0, finding.start - 40) : finding.start])
        after = [w for w in re.findall(r"[A-Za-z'’]+", text[finding.end : finding.end + 40]) if w not in _CONNECTORS]
        titled = (
            bool(before) and bool(after) and all(w[0].isupper() and _base(w) in words for w in (before[-1], after[0]))
        )
        if not (titled and all(part in words for part in parts)):
            yield finding


_CONNECTORS = {"in", "of", "and", "the", "for", "to", "on"}


def _not_ordinary_names(text: str, findings: Iterable[Finding]) -> Iterator[Finding]:
    """Drop name findings that are words we know are not names: agencies, places, nationalities."""
    for finding in findings:
        words = text[finding.start : finding.end].lower().split()
        if words and _base(words[0]) in people.WORDS_THAT_ARE_NAMES:
            yield finding  # people.names flags "April", "May", "Will" only as a child's name ("May (Y2)")
        elif not all(_base(word) in _NOT_NAMES for word in words):
            yield finding


def describe(findings: list[Finding], text: str | None = None) -> str:
    """One short line (at most 150 characters) saying what to remove; empty if nothing.

    Given the text, it quotes the words that triggered each finding, so the person sees exactly
    what to change. The line is for the person only: it must never reach a log.
    """
    if not findings:
        return ""
    ordered = sorted(findings, key=lambda f: f.start)
    if text is not None:
        quoted = _quoted_line(ordered, text)
        if quoted:
            return quoted
    counts: dict[str, int] = {}
    for finding in ordered:
        counts[finding.kind] = counts.get(finding.kind, 0) + 1
    nouns = [_NOUNS[kind][0 if n == 1 else 1] for kind, n in counts.items()]
    line = f"Please remove the {listed(nouns)} before saving."
    if len(line) > MAX_ERROR_CHARS:
        line = f"Please remove the {listed(nouns[:3])} and the other details that could identify someone."
    why = " Reflections are for practice learning, not case details."
    return line + why if len(line + why) <= MAX_ERROR_CHARS else line


def listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _quoted_line(findings: list[Finding], text: str) -> str:
    parts = [f"“{shown(text, f)}” ({_NOUNS[f.kind][0]})" for f in findings]
    for count in range(len(parts), 0, -1):
        rest = len(parts) - count
        items = listed(parts[:count] + ([f"{rest} more"] if rest else []))
        line = f"Please remove {items} before saving."
        if len(line) <= MAX_ERROR_CHARS:
            return line
    return ""


def shown(text: str, finding: Finding, limit: int = 40) -> str:
    """The words of a finding as the person wrote them, shortened for display."""
    words = " ".join(text[finding.start : finding.end].split())
    return words if len(words) <= limit else words[: limit - 1] + "…"


@dataclass(frozen=True)
class Review:
    """The guard's answer for one text: details it refuses, and words it asks about."""

    refused: tuple[Finding, ...]
    questions: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return not self.refused and not self.questions


def review(text: str, not_people: str = "") -> Review:
    """Split `check(text)` into refusals and questions. `not_people` is the person's answer to an
    earlier question (see `question_key`): when it matches, those questions are settled."""
    findings = check(text)
    refused = tuple(f for f in findings if f.certain)
    questions = tuple(f for f in findings if not f.certain)
    if questions and not_people and hmac.compare_digest(not_people, question_key(text, questions)):
        questions = ()
    return Review(refused, questions)


def question_key(text: str, questions: Iterable[Finding]) -> str:
    """A short digest of the questioned words, so "these aren't people" answers exactly those
    words and no others (the words themselves are not kept in the form)."""
    return key_of_words(questioned_words(text, questions))


def questioned_words(text: str, questions: Iterable[Finding]) -> set[str]:
    """The questioned words, folded to lower case and single spaces."""
    return {" ".join(text[f.start : f.end].lower().split()) for f in questions}


def key_of_words(words: Iterable[str]) -> str:
    """The digest `question_key` makes, from words already folded (several texts at once)."""
    return hashlib.sha256("\x1f".join(sorted(set(words))).encode()).hexdigest()[:24]


def noun(kind: str) -> str:
    """The kind in the person's words: "postcode", "case or crime reference"."""
    return _NOUNS.get(kind, (kind.replace("_", " "),))[0]


def redact(text: str, findings: Iterable[Finding]) -> str:
    """The text with each finding replaced by its neutral wording ("[child]", "[postcode]")."""
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        text = text[: finding.start] + finding.replacement() + text[finding.end :]
    return text


def is_valid_nhs_number(digits: str) -> bool:
    """True if ten digits pass the NHS modulus-11 check (weights 10 to 2; a check of 10 fails)."""
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check_digit = 11 - total % 11
    if check_digit == 11:
        check_digit = 0
    return check_digit != 10 and check_digit == int(digits[9])


MAX_ERROR_CHARS = 150  # about what Slack shows for a modal's inline error

_NOUNS = {
    "date_of_birth": ("date of birth", "dates of birth"),
    "nhs_number": ("NHS number", "NHS numbers"),
    "phone": ("phone number", "phone numbers"),
    "email": ("email address", "email addresses"),
    "address": ("address", "addresses"),
    "postcode": ("postcode", "postcodes"),
    "name": ("name", "names"),
    "case_reference": ("case or crime reference", "case or crime references"),
    "vehicle_registration": ("vehicle registration", "vehicle registrations"),
    "social_handle": ("social media account", "social media accounts"),
    "school_or_gp_with_child": ("named school or GP surgery", "named schools or GP surgeries"),
}

_MESSAGES = {
    "nhs_number": "Remove the NHS number.",
    "phone": "Remove the phone number.",
    "email": "Remove the email address.",
    "address": "Remove the address (the area or type of housing is enough).",
    "postcode": "Remove the postcode.",
}
_DOB_MESSAGE = "Remove the date of birth (the child's age is enough)."
_FULL_DATE_MESSAGE = "Remove the full date: it could be a date of birth (use the month, year or age)."

# When two findings overlap, the more specific kind wins (an email beats a name inside it).
_PRIORITY = {
    kind: rank
    for rank, kind in enumerate(
        (
            "email",
            "social_handle",
            "phone",
            "nhs_number",
            "case_reference",
            "date_of_birth",
            "postcode",
            "vehicle_registration",
            "address",
            "school_or_gp_with_child",
            "name",
        )
    )
}


def _finding(kind: str, span: tuple[int, int], message: str | None = None) -> Finding:
    return Finding(kind, span[0], span[1], message or _MESSAGES[kind])


def _without_overlaps(candidates: Iterable[Finding], length: int) -> list[Finding]:
    taken = bytearray(length + 1)
    kept = []
    for finding in sorted(candidates, key=lambda f: (_PRIORITY[f.kind], f.start, -f.end)):
        if any(taken[finding.start : finding.end]):
            continue
        taken[finding.start : finding.end] = b"\x01" * (finding.end - finding.start)
        kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


_LINK = re.compile(r"(?:https?://|www\.)[^\s<>\"')]+", re.IGNORECASE)


def _outside_links(text: str, candidates: list[Finding]) -> list[Finding]:
    # Links to guidance carry dates and numbers ("working-together-2018-03-12"), not people.
    in_link = bytearray(len(text) + 1)
    for link in _LINK.finditer(text):
        in_link[link.start() : link.end()] = b"\x01" * (link.end() - link.start())
    return [f for f in candidates if f.kind in ("email", "social_handle") or not all(in_link[f.start : f.end])]


# --- email ------------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.%+\-])[\w.%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63})+")


def _emails(text: str) -> Iterator[Finding]:
    for match in _EMAIL.finditer(text):
        local, domain = match.group().split("@")
        labels = domain.split(".")
        while labels and not (len(labels[-1]) >= 2 and labels[-1].isalpha()):
            labels.pop()  # "sarah@example.com." ends at "com"
        if len(labels) >= 2:
            yield _finding("email", (match.start(), match.start() + len(local) + 1 + len(".".join(labels))))


# --- NHS numbers ------------------------------------------------------------------------

_NHS = re.compile(r"(?<![0-9])([0-9]{3})([ \-]?)([0-9]{3})\2([0-9]{4})(?![0-9])")


def _nhs_numbers(text: str) -> Iterator[Finding]:
    for match in _NHS.finditer(text):
        if is_valid_nhs_number(match.group(1) + match.group(3) + match.group(4)):
            yield _finding("nhs_number", match.span())


# --- UK phone numbers -------------------------------------------------------------------

# Digit groups split by exactly one separator, so each number can be read only one way.
_PHONE = re.compile(
    r"(?<![\w+])(?P<prefix>(?:\+|00)[ ]?44[ ]?(?:\(0\)[ ]?)?|\(?0)"
    r"(?P<body>[0-9]{1,11}(?:\)?[ \-][0-9]{1,11}){0,4})"
)
_DIGITS = re.compile(r"[0-9]+")


def _is_uk_phone(national: str) -> bool:
    # 01/02/03 landlines and 07 mobiles. 08 helplines (Childline 0800 1111) are not a family's.
    if len(national) == 11:
        return national[1] in "1237"
    return len(national) == 10 and national[1] == "1"


def _phones(text: str) -> Iterator[Finding]:
    for match in _PHONE.finditer(text):
        international = "44" in match.group("prefix")
        groups = list(_DIGITS.finditer(match.group("body")))
        # Longest reading first, then shorter, so "07700 900123 2019" still finds the phone.
        for count in range(len(groups), 0, -1):
            digits = "".join(group.group() for group in groups[:count])
            if international and digits.startswith("0"):
                digits = digits[1:]  # "+44 07700 ..." is a common slip
            end = match.start("body") + groups[count - 1].end()
            if end < len(text) and text[end].isdigit():
                continue
            if _is_uk_phone("0" + digits) and digits not in identifiers.PUBLIC_LINES:
                yield _finding("phone", (match.start(), end))
                break


# --- dates (possible dates of birth) ----------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?![a-z])"
)
_ORDINAL_WORDS = (
    r"(?:(?:twenty|thirty)[ \t\-]?)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    r"|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth"
    r"|nineteenth|twentieth|thirtieth"
)
_DAY = rf"(?:(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?|{_ORDINAL_WORDS})"
_YEAR = (
    r"(?:(?:19|20)[0-9]{2}(?![0-9])|['’][0-9]{2}(?![0-9])"
    r"|(?:twenty|two[ \t]+thousand(?:[ \t]+and)?)[ \t\-]+(?:[a-z]+teen|ten|eleven|twelve|one|two|three|four|five"
    r"|six|seven|eight|nine|twenty(?:[ \t\-][a-z]+)?)(?![a-z])"
    r"|nineteen[ \t\-]+[a-z]+(?:[ \t\-][a-z]+)?)"
)
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\w){_DAY}(?:[ \t]{{1,3}}of)?[ \t\-/.]{{0,3}}{_MONTH}[ \t\-/.,]{{0,3}}{_YEAR}",
    re.IGNORECASE,
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?<!\w){_MONTH}[ \t]{{1,3}}{_DAY}(?![0-9a-z]),?[ \t]{{1,3}}(?:19|20)[0-9]{{2}}(?![0-9])",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(
    r"(?<![0-9./\-])([0-9]{1,2})([/.\-])([0-9]{1,2})\2((?:19|20)[0-9]{2}|[0-9]{2})"
    r"(?![0-9]|[./\-][0-9])"
)
_ISO_DATE = re.compile(
    r"(?<![0-9./\-])(?:19|20)[0-9]{2}([/.\-])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12][0-9]|3[01])"
    r"(?![0-9]|[./\-][0-9])"
)
# "DOB 12/03" and "born on 3rd March" give a birthday even without the year.
_BIRTH_CUE = re.compile(
    r"(?<!\w)(?:d\.?o\.?b\.?|date of birth|born(?:[ \t]+on)?|birthday(?:[ \t]+(?:is|was))?(?:[ \t]+on)?"
    r"|turn(?:s|ed)?[ \t]+(?:[0-9]{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen)[ \t]+on)"
    r"[ \t:\-]{0,3}(?:the[ \t]+)?",
    re.IGNORECASE,
)
# Days of the year people give instead of a date: "born on boxing day 2019".
_HOLIDAY = re.compile(
    r"(?:boxing[ \t]+day|christmas(?:[ \t]+(?:eve|day))?|new[ \t]+year['’]?s(?:[ \t]+(?:eve|day))?"
    r"|valentine['’]?s[ \t]+day|hallowe['’]?en|bonfire[ \t]+night|st\.?[ \t]+patrick['’]?s[ \t]+day|leap[ \t]+day)"
    rf"(?:[ \t,]{{1,3}}(?:in[ \t]+)?{_YEAR})?",
    re.IGNORECASE,
)
_DAY_MONTH = re.compile(
    rf"{_DAY}(?:[ \t]{{1,3}}of)?[ \t\-/.]{{0,3}}{_MONTH}|{_MONTH}[ \t]{{1,3}}{_DAY}(?![0-9])"
    r"|[0-9]{1,2}[/.][0-9]{1,2}(?![0-9])",
    re.IGNORECASE,
)
# Paragraph numbers look like dates: "para 3.4.12", "version 1.2.10".
_REFERENCE_BEFORE = re.compile(
    r"(?<![A-Za-z])(?:para(?:graph)?|section|chapter|version|step|page|pp?|rule|standard|appendix"
    r"|annex|figure|table|s|v|§)\.?[ \t]*$",
    re.IGNORECASE,
)


def _is_calendar_date(day: int, month: int) -> bool:
    return (1 <= day <= 31 and 1 <= month <= 12) or (1 <= month <= 31 and 1 <= day <= 12)


def _is_paragraph_number(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 12) : match.start()]
    return match.group(2) == "." and bool(_REFERENCE_BEFORE.search(before))


def _date_message(text: str, start: int) -> str:
    said_birth = _BIRTH_CUE.search(text[max(0, start - 30) : start])
    return _DOB_MESSAGE if said_birth else _FULL_DATE_MESSAGE


def _dates(text: str) -> Iterator[Finding]:
    spans = [m.span() for m in _DAY_MONTH_YEAR.finditer(text)]
    spans += [m.span() for m in _MONTH_DAY_YEAR.finditer(text)]
    spans += [m.span() for m in _ISO_DATE.finditer(text)]
    spans += [
        m.span()
        for m in _NUMERIC_DATE.finditer(text)
        if _is_calendar_date(int(m.group(1)), int(m.group(3))) and not _is_paragraph_number(text, m)
    ]
    for cue in _BIRTH_CUE.finditer(text):
        birthday = _DAY_MONTH.match(text, cue.end()) or _HOLIDAY.match(text, cue.end())
        if birthday is None and cue.group().lower().startswith("turn"):
            birthday = _DAY_OF_MONTH.match(text, cue.end())  # "she turns 4 on the 9th"
        if birthday:
            spans.append(birthday.span())
    for span in spans:
        if _an_event_on(text, span):
            continue  # "the core group on 03/04/2025", "RCPC 14.11.24": a meeting's date
        yield _finding("date_of_birth", span, _date_message(text, span[0]))


_DAY_OF_MONTH = re.compile(r"(?:[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)(?!\w)", re.IGNORECASE)
# Meetings, deadlines and periods whose dates practitioners give; never a cue for a birth.
_EVENT_BEFORE = re.compile(
    r"(?<![\w])(?:conference|icpc|rcpc|cpc|core[ \t]+group|cg|meeting|mtg|strategy|strat|review|panel|hearing|court"
    r"|visit|appointment|appt|training|session|supervision|deadline|due|period|audit|report|minutes|letter|dated"
    r"|referral|incident|moved[ \t]+to|postponed|rearranged|adjourned|listed|booked|held|from|between|since|until|till"
    r"|week[ \t]+(?:of|commencing|beginning)|w/c)\b[^.!?\n]{0,24}$",
    re.IGNORECASE,
)
_EVENT_RANGE_AFTER = re.compile(r"^[ \t]*(?:to|until|till|-|–)[ \t]*[0-9]", re.IGNORECASE)


def _an_event_on(text: str, span: tuple[int, int]) -> bool:
    """A full date given for a meeting, a deadline or a period, with no word of a birth nearby."""
    start, end = span
    before = text[max(0, start - 40) : start]
    if _BIRTH_CUE.search(before) or re.search(r"(?i)\b(?:born|dob|d\.o\.b|birth)", text[max(0, start - 60) : end + 20]):
        return False
    return bool(_EVENT_BEFORE.search(before) or _EVENT_RANGE_AFTER.match(text[end : end + 8]))


# --- postcodes --------------------------------------------------------------------------

_POSTCODE_AREAS = frozenset(
    """AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT
    DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD
    LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK
    SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE
    """.split()
)
# The inward part never uses C, I, K, M, O or V, which rules out "3pm" and "2am".
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?P<area>[A-Z]{1,2})[0-9][A-Z0-9]?[ \t]?[0-9](?P<unit>[ABD-HJLNP-UW-Z]{2})"
    r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_LOOKS_LIKE_ORDINAL_OR_HOURS = {"st", "nd", "rd", "th", "hr"}  # "s47 2nd meeting", "PE1 2hr"


def _postcodes(text: str) -> Iterator[Finding]:
    for match in _POSTCODE.finditer(text):
        if match.group("area").upper() not in _POSTCODE_AREAS:
            continue
        unit = match.group("unit")
        if unit.lower() in _LOOKS_LIKE_ORDINAL_OR_HOURS and not unit.isupper():
            continue
        yield _finding("postcode", match.span())


# --- words that are not people's names ---------------------------------------------------

# Capitalised words that are not names in reflections: sentence openers, agencies, practice
# terms, calendar words, places and nationalities. Months stay here, so "baby May" is missed.
_NOT_NAMES = frozenset(
    """
    a an the and or but if then so as at by for from in into of off on onto out over to up with
    without about above after against along among around before behind below beside between
    beyond during except inside near outside since through throughout till toward towards under
    until upon within via like unlike despite
    i me my mine myself we us our ours ourselves you your yours he him his himself she her hers
    herself it its itself they them their theirs themselves this that these those who whom whose
    which what when where why how all any both each few more most other some such no nor not only
    own same than too very can cannot will would should could might must shall may is are was were
    be been being have has had having do does did doing done also yet still again ever never always
    often sometimes usually maybe perhaps however therefore although though because while whilst
    unless whether once here there now today tomorrow yesterday tonight everyone everybody someone
    somebody anyone anybody nobody none nothing everything something anything every another many
    much one two three four five six seven eight nine ten first second third last next new old
    good great little well yes ok okay please thanks thank hi hello dear sorry really just even
    actually instead overall finally sadly oh ah um erm wow hmm
    ask asked asking check checked checking speak spoke speaking talk talked talking listen
    listened make made making ensure ensuring think thinking thought consider considering remember
    record recorded recording share shared sharing escalate escalated escalating challenge
    challenged try tried trying visit visited visiting see seen saw seeing look looked looking use
    used using keep kept get got give gave go went going come came take took know knew feel felt
    find found tell told say said says seek sought follow followed note noted need needed want
    wanted learn learned learnt reflect reflecting read write wrote attend attended call explore
    explored build focus hold review reviewed plan planned work worked help helped support
    supported lead led refer referred referral referrals contact contacted agree agreed discuss
    discussed meet met start started stop stopped continue book booked identify notice noticed
    step steps let lets don't
    child children childrens baby babies mum dad mother father parent parents family families
    social care health visitor visitors safeguarding partnership partnerships working together
    signs safety serious case cases reviews practice learning early team teams police school
    schools nursery nurseries gp hospital hospitals court courts local authority authorities
    council councils service services board boards protection conference conferences strategy
    meeting meetings discussion discussions assessment assessments panel panels national rapid
    multi agency agencies hub hubs mash lado designated officer officers worker workers manager
    managers nurse nurses midwife midwives midwifery doctor doctors paediatrician paediatrics
    paediatric consultant emergency department accident ward unit centre center centres clinic
    surgery primary secondary academy college university trust foundation charity ofsted nspcc
    barnardo's barnardos cafcass probation housing education youth offending justice criminal
    domestic abuse violence neglect sexual exploitation mental substance misuse alcohol drug
    drugs conflict trauma adverse childhood experiences threshold thresholds needs section act
    acts guidance procedures procedure policy policies framework statutory government home office
    ministry person people young adult adults vulnerable victim victims perpetrator perpetrators
    independent reviewing chair chairs looked permanence adoption fostering foster kinship
    special guardianship order orders legal planning outline pre proceedings letter universal
    credit benefits covid pandemic lockdown graded profile tool toolkit model approach systemic
    restorative motivational interviewing informed professional professionals curiosity
    respectful uncertainty disguised compliance voice lived experience records chronology
    chronologies genogram ecomap supervision reflective reflection reflections lesson lessons
    theme themes finding findings recommendation recommendations action actions key stage
    infants juniors sixth form reception specialist senior junior deputy head headteacher teacher
    teachers teaching assistant senco dsl dsls named administrator duty front door intake
    locality consultation network networks information core group groups strategic operational
    quality assurance audit audits annual report reports sure start healthy programme programmes
    program project projects course courses scheme schemes initiative pathway freedom triple
    positive parenting solihull incredible institute royal association society league alliance
    commission commissioner ombudsman tribunal magistrates crown high supreme appeal coroner
    inquest inquiry edition chapter appendix annex figure table part paragraph page stage level
    tier et al ibid eg ie etc vs nb ps re cc fyi asap multi-agency multiagency inter-agency
    coordinator co-ordinator st saint
    day days week weeks month months year years time times christmas easter ramadan eid diwali
    hanukkah monday tuesday wednesday thursday friday saturday sunday january february march
    april june july august september october november december jan feb mar apr jun jul aug sep
    sept oct nov dec
    england wales scotland northern ireland britain british uk english welsh scottish irish
    london north south east west midlands yorkshire greater manchester birmingham leeds liverpool
    bristol sheffield newcastle kent essex surrey lancashire cumbria devon cornwall county city
    borough town district region regional area community public private
    polish romanian lithuanian latvian slovak czech bulgarian hungarian ukrainian russian turkish
    kurdish arabic arab syrian afghan iraqi iranian pakistani indian bangladeshi chinese
    vietnamese nigerian ghanaian somali eritrean ethiopian sudanese congolese zimbabwean jamaican
    caribbean african asian european american gypsy roma traveller portuguese spanish italian
    french german albanian brazilian filipino
    god lord jesus allah christian muslim jewish sikh hindu buddhist catholic anglican methodist
    baptist pentecostal orthodox church mosque synagogue temple gurdwara
    maths science art music sport pe pshe rse ict deaf autistic adhd asd send ehcp sen eal esol
    bsl makaton
    """.split()
)

# A capitalised word just before one of these names a place or service: "Little Acorns Nursery".
_ORGANISATION_WORDS = frozenset(
    """nursery school primary academy college centre center hospital surgery practice clinic
    project programme program service services team trust foundation charity hub unit ward house
    group club church mosque council partnership court prison police refuge hostel road street
    """.split()
)


# --- street addresses -------------------------------------------------------------------

_STREET_WORDS = (
    r"(?i:street|road|avenue|lane|close|drive|crescent|court|way|place|gardens|grove|terrace|walk"
    r"|mews|square|hill|park|row|rise|green|parade|vale|wharf|estate|heights|boulevard|gate|fold"
    r"|croft|meadows?|brow|villas|cottages|view)"
)
_STREET_ABBREVIATIONS = r"(?:St|Rd|Ave|Ln|Cl|Dr|Cres|Ct|Pl|Gdns|Sq|Terr)"
_HOUSE_AND_STREET = re.compile(
    r"(?<![\w.,/])[0-9]{1,4}[A-Za-z]?,?[ \t]{1,3}"
    r"(?P<street>(?:[A-Z][a-z'’\-]+[ \t]{1,3}){1,3})"
    rf"(?:{_STREET_WORDS}|{_STREET_ABBREVIATIONS})\.?(?!\w)"
)
_FLAT = re.compile(
    r"(?<!\w)(?i:flat|apartment|apt)\.?[ \t]{1,3}(?i:no\.?[ \t]{0,2})?[0-9]{1,4}[A-Za-z]?(?!\w)"
    r"(?![ \t]{1,3}(?i:miles?|minutes?|mins?|floors?|storeys?|stories|times?|hours?|days?|weeks?"
    r"|months?|years?|%|percent|people|rooms?)\b)"
)
_LIVES_AT = re.compile(
    r"(?<!\w)(?i:lives|living|lived|live|resides|residing|reside|staying|stays|stayed)"
    r"[ \t]{1,3}(?i:at)[ \t]{1,3}"
    r"(?P<cue>(?i:no\.?|number)[ \t]{0,2})?"
    r"(?P<place>[0-9]{1,4}[A-Za-z]?(?![0-9])(?:,?[ \t]{1,3}[A-Z][a-z'’\-]+){0,4}"
    r"|[A-Z][a-z'’\-]+(?:[ \t]{1,3}[A-Z][a-z'’\-]+){0,3})"
)
_NOT_A_HOUSE_NUMBER_AFTER = re.compile(
    r"[ \t]+(?:different|separate|other|addresses|places|properties|homes|houses|locations|sites"
    r"|months?|weeks?|years?|days?)\b",
    re.IGNORECASE,
)
# "3 Family Court hearings" counts hearings; it is not an address.
_INSTITUTION_WORDS = frozenset(
    """family crown magistrates county youth food case care health safety social review early
    help child children children's parent parents supreme appeal coroner's coroners""".split()
)


def _addresses(text: str) -> Iterator[Finding]:
    for match in _HOUSE_AND_STREET.finditer(text):
        if match.group("street").split()[0].lower() not in _INSTITUTION_WORDS:
            yield _finding("address", match.span())
    for match in _FLAT.finditer(text):
        yield _finding("address", match.span())
    for match in _LIVES_AT.finditer(text):
        if _is_somewhere_someone_lives(text, match):
            start = match.start("cue") if match.group("cue") else match.start("place")
            yield _finding("address", (start, match.end("place")))


def _is_somewhere_someone_lives(text: str, match: re.Match[str]) -> bool:
    """After "lives at": a house number or a house name, not "home", "Nan's" or "3 addresses"."""
    place = match.group("place")
    if place[0].isdigit():
        return bool(match.group("cue")) or not _NOT_A_HOUSE_NUMBER_AFTER.match(text, match.end())
    first_word = _base(place.split()[0])
    return first_word not in _NOT_NAMES and first_word not in _FAMILY_ROLES


# --- names next to family words ---------------------------------------------------------

_CHILD = ("the child", "Child A")
_BABY = ("the baby", "Child A")
_YOUNG_PERSON = ("the young person", "Child A")
_SIBLING = ("the sibling", "Child B")
_MOTHER = ("the mother", "Parent A")
_FATHER = ("the father", "Parent B")
_PARENT = ("the parent", "Parent A")
_PARTNER = ("the partner", "Adult A")
_STEPFATHER = ("the stepfather", "Adult A")
_STEPMOTHER = ("the stepmother", "Adult A")
_GRANDPARENT = ("the grandparent", "Adult B")
_RELATIVE = ("the relative", "Adult B")
_CARER = ("the carer", "Carer A")


def _roles(words: str, role: tuple[str, str]) -> dict[str, tuple[str, str]]:
    return dict.fromkeys(words.split(), role)


# Family words, written as `_base` leaves them ("Step-Dad's" -> "stepdad"), with neutral wording.
_FAMILY_ROLES: dict[str, tuple[str, str]] = {
    **_roles(
        "child children kid kids son sons daughter daughters pupil pupils student toddler infant "
        "teenager teen boy girl stepson stepdaughter grandson granddaughter twin twins",
        _CHILD,
    ),
    **_roles("baby babies newborn", _BABY),
    **_roles(
        "brother brothers sister sisters sibling siblings stepbrother stepsister halfbrother halfsister",
        _SIBLING,
    ),
    **_roles("mum mums mummy mother mothers mom mam", _MOTHER),
    **_roles("dad dads daddy father fathers", _FATHER),
    **_roles("parent parents", _PARENT),
    **_roles(
        "partner partners boyfriend girlfriend husband wife expartner exboyfriend exgirlfriend exhusband exwife",
        _PARTNER,
    ),
    **_roles("stepdad stepfather", _STEPFATHER),
    **_roles("stepmum stepmother", _STEPMOTHER),
    **_roles(
        "nan nana nanna nanny gran granny grandma grandmother grandad granddad grandpa "
        "grandfather grandparent grandparents",
        _GRANDPARENT,
    ),
    **_roles("aunt auntie aunty uncle cousin niece nephew", _RELATIVE),
    **_roles("carer carers", _CARER),
}
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr"})
# Words that may sit between a family word and a name: "mum's name is Sarah", "known as Jay".
_LINK_WORDS = frozenset({"called", "named", "known", "as", "aka", "is", "was", "name", "whose"})
_NAMING_WORDS = frozenset({"called", "named", "known", "aka", "name"})
# Words that may come before the family word in an aside: "Sarah, the birth mother, said".
_ASIDE_FILLERS = frozenset(
    """the a an her his their our my your its birth older younger eldest youngest oldest new
    little big biological maternal paternal foster step young""".split()
)
# Capitalised words straight after these are places: "in Milton Keynes", "at Pizza Hut".
_PLACE_WORDS = frozenset({"in", "at", "near", "around", "across"})
# Nationally known children from published reviews are shared learning, not a family's details.
_PUBLIC_CASES = (
    "victoria climbié", "victoria climbie", "peter connelly", "baby peter", "daniel pelka",
    "arthur labinjo-hughes", "star hobson", "khyra ishaq", "hamzah khan", "keanu williams",
    "ellie butler", "logan mwangi", "finley boden",
)  # fmt: skip


@dataclass(frozen=True)
class _Word:
    text: str
    start: int
    end: int
    base: str  # lower case, without possessive, hyphens or apostrophes: "Step-Dad's" -> "stepdad"
    sentence: int  # which sentence of the text the word is in, counting from 0
    new_sentence: bool  # the word opens its sentence
    gap_before: str  # the text between the previous word and this one


_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_SENTENCE_BREAK = re.compile(r"[.!?;\n\r]")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_NEXT_TO = re.compile(r"[ \t]*(?:[,:(\-–—][ \t]*)?")
_IN_BRACKETS = re.compile(r"[ \t]*\([ \t]*")
_COMMA = re.compile(r"[ \t]*,[ \t]*")
_SPACE = re.compile(r"[ \t]{1,3}")


def _base(word: str) -> str:
    return _POSSESSIVE.sub("", word).replace("-", "").replace("'", "").replace("’", "").lower()


def _words(text: str) -> list[_Word]:
    words: list[_Word] = []
    previous_end, sentence = 0, 0
    for match in _WORD.finditer(text):
        gap = text[previous_end : match.start()]
        new_sentence = not words or bool(_SENTENCE_BREAK.search(gap))
        sentence += bool(words) and new_sentence
        base = _base(match.group())
        words.append(_Word(match.group(), *match.span(), base, sentence, new_sentence, gap))
        previous_end = match.end()
    return words


def _name_text(word: _Word) -> str:
    return _POSSESSIVE.sub("", word.text)


def _is_possessive(word: _Word) -> bool:
    return bool(_POSSESSIVE.search(word.text))


def _is_title(word: _Word) -> bool:
    return word.base in _TITLES and word.text[0].isupper()


def _is_name_word(word: _Word) -> bool:
    name = _name_text(word)
    if len(name) < 2 or not name[0].isupper() or not any(c.islower() for c in name[1:]):
        return False  # "A" in "Child A", "GP", "NSPCC"
    lowered = name.lower()
    if lowered in _NOT_NAMES or word.base in _NOT_NAMES or word.base in _FAMILY_ROLES:
        return False
    if word.base in _TITLES:  # "Mrs" starts a name but is not one: "the mother (Ms A)"
        return False
    if lowered.startswith(("i'", "i’")):
        return False  # "I'll", "I'd"
    if "-" in lowered and all(part in _NOT_NAMES for part in lowered.split("-")):
        return False
    # A sentence opener like "Supporting" or "Visited" is a verb, not a first name.
    return not (word.new_sentence and len(name) > 4 and lowered.endswith(("ing", "ed")))


def _family_role(words: list[_Word], i: int) -> tuple[str, tuple[str, str]] | None:
    """The family word at words[i] as typed ("mum", "young person") and its neutral wording."""
    word = words[i]
    previous = words[i - 1] if i > 0 and not word.new_sentence else None
    if word.base == "person" and previous is not None and previous.base == "young":
        return "young person", _YOUNG_PERSON
    role = _FAMILY_ROLES.get(word.base)
    if role is None or _names_a_service(words, i):
        return None
    if word.base == "carer" and previous is not None and previous.base == "foster":
        return "foster carer", _CARER
    return _name_text(word).lower(), role


def _names_a_service(words: list[_Word], i: int) -> bool:
    """True for "Child Protection", "Children's Social Care": a service, not a relative."""
    following = words[i + 1] if i + 1 < len(words) else None
    return (
        words[i].text[0].isupper()
        and following is not None
        and bool(_SPACE.fullmatch(following.gap_before))
        and following.text[0].isupper()
        and following.base in _NOT_NAMES
    )


def _runs(words: list[_Word]) -> dict[int, int]:
    """Map the first word of each run of capitalised name words to the index just after it."""
    runs: dict[int, int] = {}
    i = 0
    while i < len(words):
        if not (_is_name_word(words[i]) or _is_title(words[i])):
            i += 1
            continue
        j = i + 1
        while (
            j < len(words)
            and not _is_possessive(words[j - 1])
            and _SPACE.fullmatch(words[j].gap_before)
            and _is_name_word(words[j])
        ):
            j += 1
        if any(_is_name_word(w) for w in words[i:j]) and not _names_a_place(words, i, j):
            runs[i] = j
        i = j
    return runs


def _names_a_place(words: list[_Word], start: int, end: int) -> bool:
    """True for "in Milton Keynes" and "Little Acorns Nursery"."""
    after_place_word = start > 0 and words[start - 1].base in _PLACE_WORDS
    before_organisation = (
        end < len(words) and words[end].base in _ORGANISATION_WORDS and bool(_SPACE.fullmatch(words[end].gap_before))
    )
    return (after_place_word and not words[start].new_sentence) or before_organisation


def _is_public_or_citation(words: list[_Word], start: int, end: int, family_word: str = "") -> bool:
    """True for nationally known children from published reviews and for "Brandon et al"."""
    full = " ".join(_name_text(w) for w in words[start:end]).lower()
    if f"{family_word} {full}" in _PUBLIC_CASES or full.endswith(_PUBLIC_CASES):
        return True
    if people.is_public_name(full):
        return True  # "Lucy Faithfull's Parents Protect", "Carlene Firmin"
    return end < len(words) and words[end].base == "et"


def _headings(words: list[_Word]) -> set[int]:
    """The sentences written in Title Case, like a heading or the name of a document."""
    totals: dict[int, int] = {}
    capitalised: dict[int, int] = {}
    for word in words:
        totals[word.sentence] = totals.get(word.sentence, 0) + 1
        title_case = word.text[0].isupper() and not word.text.isupper()  # not "NHS" or "GP"
        capitalised[word.sentence] = capitalised.get(word.sentence, 0) + title_case
    return {s for s, n in totals.items() if n >= 4 and capitalised[s] >= 0.6 * n}


def _name_message(family_word: str, role: tuple[str, str]) -> str:
    return f"Remove the name next to '{family_word}' (use '{role[0]}' or '{role[1]}')."


def _names(text: str) -> Iterator[Finding]:
    words = _words(text)
    runs = _runs(words)
    headings = _headings(words)
    messages: dict[int, str] = {}
    public = people.public_mask(text)
    for i in range(len(words)):
        family = _family_role(words, i)
        if family is None or public[words[i].start]:
            continue  # "Lucy Faithfull's Parents Protect": the family word is in an organisation's name
        for start in _runs_after_family_word(words, runs, i, family[0]):
            single_word_in_heading = runs[start] - start == 1 and words[i].sentence in headings
            if not single_word_in_heading:  # "Dad Matters" is a campaign title
                messages.setdefault(start, _name_message(*family))
    for start, end in runs.items():
        if start in messages or _is_public_or_citation(words, start, end):
            continue
        family = (
            _family_word_after_possessive(words, end)
            or _family_word_in_aside(words, start, end)
            or _family_word_nearby(words, start, end, headings)
        )
        if family is not None:
            messages[start] = _name_message(*family)
    for start, message in messages.items():
        last = words[runs[start] - 1]
        yield Finding("name", words[start].start, last.start + len(_name_text(last)), message, certain=False)


def _runs_after_family_word(words: list[_Word], runs: dict[int, int], i: int, family_word: str) -> list[int]:
    """Names after a family word: "mum Sarah", "the child, Jayden Smith", "siblings Kai and Jo"."""
    j = i + 1
    while j < len(words) and j - i <= 3 and words[j].base in _LINK_WORDS:
        if words[j].new_sentence:
            return []
        j += 1
    if j > i + 1 and not any(w.base in _NAMING_WORDS for w in words[i + 1 : j]):
        return []  # "mum was Sad" describes her; "mum is called Sarah" names her
    if j >= len(words) or words[j].new_sentence or j not in runs:
        return []
    if not _NEXT_TO.fullmatch(words[j].gap_before):
        return []
    if j == i + 1 and _is_possessive(words[i]):
        return []  # "Mum's GP", "Dad's Hope Project" are things, not names
    if _is_public_or_citation(words, j, runs[j], family_word):
        return []
    found = [j]
    while (after := _next_name_in_list(words, runs, runs[j])) is not None:
        found.append(after)
        j = after
    return found


def _next_name_in_list(words: list[_Word], runs: dict[int, int], end: int) -> int | None:
    """The next name in "Kai, Ella and Jo", if the list goes on after words[end - 1]."""
    if end >= len(words):
        return None
    if words[end].base in {"and", "or"} and _SPACE.fullmatch(words[end].gap_before):
        end += 1
    elif not _COMMA.fullmatch(words[end].gap_before):
        return None
    if end >= len(words) or words[end].new_sentence or end not in runs:
        return None
    return None if _is_public_or_citation(words, end, runs[end]) else end


def _family_word_after_possessive(words: list[_Word], end: int) -> tuple[str, tuple[str, str]] | None:
    """The family word after a possessive name: "Lily's mum", "Lily's birth mother"."""
    if not _is_possessive(words[end - 1]):
        return None
    for j in range(end, min(end + 2, len(words))):
        if words[j].new_sentence:
            break
        family = _family_role(words, j)
        if family is not None:
            return family
        if words[j].text[0].isupper():
            break
    return None


def _family_word_in_aside(words: list[_Word], start: int, end: int) -> tuple[str, tuple[str, str]] | None:
    """The family word in an aside: "Jayden (the child)", "I met Sarah, the mother, at..."."""
    if end >= len(words) or words[end].new_sentence:
        return None
    in_brackets = _IN_BRACKETS.fullmatch(words[end].gap_before)
    if not in_brackets and not _COMMA.fullmatch(words[end].gap_before):
        return None
    for j in range(end, min(end + 3, len(words))):
        closed = ")" in words[j].gap_before or (j > end and "," in words[j].gap_before)
        if words[j].new_sentence or closed:
            break
        family = _family_role(words, j)
        if family is None:
            if words[j].base not in _ASIDE_FILLERS:
                break  # "The Health Visitor, Janet, saw the baby": the aside was the name
            continue
        # "Sadly, the child was..." opens a sentence with an adverb, not a name.
        if in_brackets or not words[start].new_sentence or _aside_closes_after(words, j):
            return family
    return None


def _aside_closes_after(words: list[_Word], j: int) -> bool:
    return j + 1 < len(words) and words[j + 1].gap_before.lstrip()[:1] in {",", ")"}


def _is_named_thing(words: list[_Word], start: int, end: int) -> bool:
    """True for a run of ordinary words that does not open with a first name: "Language Line"."""
    from bot.reflections.wordlists import english_words, first_names

    ordinary = english_words()
    return words[start].base not in first_names() and all(w.base in ordinary for w in words[start:end])


def _family_word_nearby(
    words: list[_Word], start: int, end: int, headings: set[int]
) -> tuple[str, tuple[str, str]] | None:
    """A full name within three words of a family word: "Jayden Smith is mum's son"."""
    if end - start < 2 or words[start].sentence in headings:
        return None
    if _is_named_thing(words, start, end):
        return None  # "mum's miscarriage, we have Language Line": a service made of ordinary words
    sentence = words[start].sentence
    after = range(end, min(len(words), end + 4))
    before = range(start - 1, max(-1, start - 5), -1)
    for j in [*after, *before]:
        if words[j].sentence != sentence:
            continue
        family = _family_role(words, j)
        if family is not None:
            return family
    return None
