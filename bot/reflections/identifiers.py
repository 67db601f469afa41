"""Numbers and handles that single someone out: phones (Google's libphonenumber), NHS numbers in
any grouping, case and crime references, vehicle registrations, social media handles, emails
written out ("kelly dot b at example dot com"), postcodes in any spacing and street names.

Pure functions of the text; every pattern runs in linear time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from bot.reflections.finding import Finding
from bot.reflections.wordlists import english_words

# --- phones ----------------------------------------------------------------------------------

# National numbers (without the leading 0) of helplines and organisations, not of a family:
# 0800/0808 free lines (Childline 0800 1111), 03 non-geographic, 084/087 and 09 paid lines,
# and 116 xxx helplines.
_SERVICE_PREFIXES = ("80", "3", "84", "87", "9", "116")
# Published numbers of national services on ordinary geographic lines (without the leading 0):
# the Forced Marriage Unit, 020 7008 0151.
PUBLIC_LINES = frozenset({"2070080151"})


# Where a phone number may be: digits with spaces, dashes, dots or brackets, at most 24 long.
# libphonenumber reads each such stretch on its own, which keeps a long text linear.
_PHONE_CANDIDATE = re.compile(r"(?:\+|(?<![\w+]))[(]?[0-9][0-9 \t\-().]{5,22}[0-9]")


def phones(text: str) -> Iterator[Finding]:
    """UK and international phone numbers, as libphonenumber reads them (UK by default)."""
    for candidate in _PHONE_CANDIDATE.finditer(text):
        offset = candidate.start()
        matcher = phonenumbers.PhoneNumberMatcher(candidate.group(), "GB", leniency=phonenumbers.Leniency.POSSIBLE)
        for match in matcher:
            number = match.number
            national = str(number.national_number)
            if number.country_code == 44 and (
                national.startswith(_SERVICE_PREFIXES) or len(national) < 9 or national in PUBLIC_LINES
            ):
                continue
            if number.country_code == 44 and not match.raw_string.lstrip().startswith(("+", "0", "(")):
                continue  # "447 302 1189" without a 0 or +44 is not dialled as a UK number
            if len(re.sub(r"\D", "", match.raw_string)) < 9:
                continue
            yield Finding("phone", offset + match.start, offset + match.end, "Remove the phone number.")


# Digits written as words so a filter misses them: "oh seven seven oh oh, nine oh oh three oh six".
_DIGIT_WORD = r"(?:oh|o|zero|nought|one|two|three|four|five|six|seven|eight|nine|double|treble|triple|hundred)"
_SPELLED_DIGITS = re.compile(rf"(?<!\w){_DIGIT_WORD}(?:[ \t]*[,\-]?[ \t]+{_DIGIT_WORD})+(?!\w)", re.IGNORECASE)
_REPEATS = {"double": 2, "treble": 3, "triple": 3}


def spelled_phones(text: str) -> Iterator[Finding]:
    """A phone number spelled out in words (ten or more digits starting with "oh" or "zero"), or
    an NHS number after "NHS" (ten digits)."""
    for match in _SPELLED_DIGITS.finditer(text):
        words = re.findall(r"[a-z]+", match.group().lower())
        nhs = "nhs" in text[max(0, match.start() - 24) : match.start()].lower()
        if words[0] not in {"oh", "o", "zero", "nought"} and not nhs:
            continue
        digits, repeat = 0, 1
        for word in words:
            if word in _REPEATS:
                repeat = _REPEATS[word]
                continue
            digits += 2 if word == "hundred" else repeat  # "nine hundred" is three digits
            repeat = 1
        if nhs and digits == 10 and words[0] not in {"oh", "o", "zero", "nought"}:
            yield Finding("nhs_number", *match.span(), "Remove the NHS number.")
        elif digits >= 10:
            yield Finding("phone", *match.span(), "Remove the phone number.")


# --- NHS numbers --------------------------------------------------------------------------------

# Ten digits in any grouping: "943 476 5919", "943-4761-220", "9434765919".
_TEN_DIGITS = re.compile(
    r"(?<![\w/.+\-])(?<!\+[0-9][ \t])(?<!\+[0-9]{2}[ \t])(?<!\+[0-9]{3}[ \t])"
    r"[1-9](?:[ \-.]?[0-9]){9}(?![\w/]|[.\-][0-9])"
)


def nhs_numbers(text: str) -> Iterator[Finding]:
    """Ten-digit numbers not starting with 0 (a UK phone does): NHS (or CHI) numbers."""
    for match in _TEN_DIGITS.finditer(text):
        yield Finding("nhs_number", *match.span(), "Remove the ten-digit number: it could be an NHS number.")


# --- case and crime references -----------------------------------------------------------------

_REF_CUE = (
    r"(?:mosaic|liquid[ \-]?logic|lcs|ehm|eh|ehat|cp|cin|lac|mash|crn|crime|police|incident|case|datix|ics|"
    r"ref(?:erence)?|urn|niche|storm|cad|log|file|id|ll|msg|caf|ic|ccr|occurrence|cpoms|sims)"
)
_REF_FILLER = r"(?:[ \t]*(?:ref(?:erence)?|number|num|no|nos|id|is|was|log|#|:|\.|-)[ \t]*){0,3}"
_REF_ID = r"(?P<id>(?:[A-Za-z]{1,4}[/\-]?)?[0-9][0-9A-Za-z]*(?:[/\-][0-9A-Za-z]+)*)"
_CUED_REF = re.compile(rf"(?<![\w])(?P<cue>{_REF_CUE})\b[ \t]*{_REF_FILLER}[ \t]*{_REF_ID}", re.IGNORECASE)
# "CR/0091827/24", "21/60334/24", "EHM-00917", "LCS-118273", "M-2024-1187", "CP-2291-B".
_SHAPED_REF = re.compile(
    r"(?<![\w/])(?:[A-Za-z]{1,4}[/\-][0-9]{2,}(?:[/\-][0-9A-Za-z]+)*"
    r"|[0-9]{2,4}/[0-9]{3,7}/[0-9A-Za-z]{2,4})(?![\w/])"
)
# A records system, or a record word, a few words before a long number: "EMIS number 3304817",
# "the SystmOne alert on patient 5510937", "MyConcern concern #55201", "Eclipse record 1140772".
_SYSTEM = (
    r"(?:mosaic|liquid[ \t\-]?logic|lcs|ehm|emis|systm[ \t]?one|s1|rio|eclipse|my[ \t]?concern|cpoms|athena|datix|ics"
    r"|niche|storm|carefirst|frameworki|azeus|paris|care[ \t]?director|capita|synergy|arbor|sims)"
)
_RECORD_WORD = (
    r"(?:record|records|number|no|num|id|ref|reference|alert|flag|entry|note|log|incident|occurrence|concern"
    r"|case|file|patient|child|person|client|referral|contact|report|crime|job|on|for|the|of|is|was)"
)
_SYSTEM_REF = re.compile(
    rf"(?<!\w)(?:{_SYSTEM}(?:[ \t]+{_RECORD_WORD}){{0,4}}|(?:patient|record|concern|incident|occurrence|log)"
    rf"(?:[ \t]+(?:no|number|id|ref))?)\.?[ \t]*(?:#|:|\.|-)?[ \t]*"
    r"(?P<id>[A-Za-z]{0,4}[/\-]?[0-9][0-9/\-]*[0-9])(?![\w/])",
    re.IGNORECASE,
)
_NOT_REF_AFTER_CUE = re.compile(r"^(?:19|20)[0-9]{2}$|^[0-9]{1,2}$")


def case_references(text: str) -> Iterator[Finding]:
    """Case-system (Mosaic, Liquidlogic, LCS, EHM, CP, MASH) and police crime or incident numbers."""
    message = "Remove the case or crime reference: it leads straight to the family's records."
    for match in _CUED_REF.finditer(text):
        ref = match.group("id")
        digits = sum(c.isdigit() for c in ref)
        if digits < 3 or _NOT_REF_AFTER_CUE.match(ref):
            continue  # "CP plan for 9 months", "police in 2019"
        yield Finding("case_reference", match.start("id"), match.end("id"), message)
    for match in _SYSTEM_REF.finditer(text):
        ref = match.group("id")
        if sum(c.isdigit() for c in ref) >= 5 and not _looks_like_a_date(ref):
            yield Finding("case_reference", match.start("id"), match.end("id"), message)
    for match in _SHAPED_REF.finditer(text):
        value = match.group()
        if sum(c.isdigit() for c in value) >= 4 and not _looks_like_a_date(value):
            yield Finding("case_reference", *match.span(), message)


def _looks_like_a_date(value: str) -> bool:
    parts = value.split("/")
    return len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[1]) <= 2


# --- vehicle registrations ----------------------------------------------------------------------

# Current (AB12 CDE) and prefix (A123 BCD) formats; dateless and suffix plates are too rare here.
_PLATE = re.compile(
    r"(?<![\w@.])(?P<plate>[A-Za-z]{2}[0-9]{2}[ \t]?[A-Za-z]{3}|[A-Za-z][0-9]{1,3}[ \t]?[A-Za-z]{3})(?![\w@])"
)
_PLATE_CUE = re.compile(
    r"(?<!\w)(?:reg(?:istration|istered)?|plates?|number[ \t]?plate|vrm)(?!\w)[ \t:]*"
    r"(?:starts[ \t]+|is[ \t]+|was[ \t]+)?",
    re.IGNORECASE,
)
_PARTIAL_PLATE = re.compile(r"[A-Za-z]{2}[0-9]{2}(?:[ \t]?[A-Za-z]{1,3})?(?![\w])")


def vehicle_registrations(text: str) -> Iterator[Finding]:
    """UK number plates; in lower case only when not an ordinary word ("ab12 cde", not "ks12 the")."""
    message = "Remove the vehicle registration."
    words = english_words()
    for match in _PLATE.finditer(text):
        plate = match.group("plate")
        letters = plate[-3:]
        if plate.isupper() or (letters.lower() not in words and letters.lower() not in _TLAS):
            yield Finding("vehicle_registration", *match.span(), message)
    for cue in _PLATE_CUE.finditer(text):
        partial = _PARTIAL_PLATE.match(text, cue.end())
        if partial:
            yield Finding("vehicle_registration", *partial.span(), message)
    for vehicle in _VEHICLE.finditer(text):
        # "black golf YC68 ...": the start of a plate (area letters and age digits) after a car.
        partial = _PLATE_START.search(text, vehicle.end(), min(len(text), vehicle.end() + 24))
        if partial:
            yield Finding("vehicle_registration", *partial.span(), message)


_VEHICLE = re.compile(
    r"(?<!\w)(?:car|cars|van|taxi|cab|motorbike|moped|scooter|golf|polo|astra|corsa|fiesta|focus|clio|"
    r"bmw|audi|merc|mercedes|vauxhall|ford|toyota|nissan|kia|hyundai|range[ \t]?rover|transit|prius|"
    r"honda|skoda|seat|peugeot|renault|fiat|mini|volvo|jeep|lexus|tesla)(?!\w)",
    re.IGNORECASE,
)
_PLATE_START = re.compile(r"(?<![\w])[A-Z]{2}(?:0[2-9]|[1-2][0-9]|5[1-9]|[6-7][0-9])(?![\w])")


_TLAS = frozenset("csc cin yos yot sen ehc dsl edt pep lac nfa rhi sgo cse cce sw hv gp ae dv".split())


# --- social media handles ------------------------------------------------------------------------

_AT_HANDLE = re.compile(r"(?<![\w.<@])@(?P<handle>[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,28}[A-Za-z0-9_])?)(?![\w@])")
_SLACK_WORDS = frozenset({"here", "channel", "everyone"})
# "fb.com/lovesdogs.1985", "instagram.com/lilz.xo": a profile's address is its account name.
_PROFILE_LINK = re.compile(
    r"(?<![\w.])(?:(?:https?://)?(?:www\.|m\.)?(?:fb|facebook|instagram|tiktok|twitter|x|snapchat|threads)\.(?:com|net)"
    r"/(?:add/)?@?[A-Za-z0-9_.]*[A-Za-z0-9_])",
    re.IGNORECASE,
)
_PLATFORM = re.compile(
    r"(?<!\w)(?:snap(?:chat)?|snapz|insta(?:gram)?|ig|tik[ \t]?tok|twitter|x|facebook|fb|discord|telegram|"
    r"threads|youtube|twitch|roblox|kik|whatsapp|account|handle|user(?:name)?|profile|goes[ \t]+by|"
    r"gamer[ \t]?tag|xbox|psn|playstation|steam|fortnite|minecraft|epic|"
    r"called|as)(?!\w)",
    re.IGNORECASE,
)
_HANDLE_WORD = re.compile(
    r"['\"‘“(]?(?P<handle>(?:[A-Za-z0-9_]+(?:[._][A-Za-z0-9_]+)+|[A-Za-z_]+[0-9]+[A-Za-z0-9_]*)(?:#[0-9]{4})?)"
    r"['\"’”),.:;!?]*"
)


def social_handles(text: str) -> Iterator[Finding]:
    """@handles, and account names written after a platform ("her snap is lilz.xo")."""
    message = "Remove the social media account name."
    words = english_words()
    for match in _AT_HANDLE.finditer(text):
        handle = match.group("handle")
        if handle.lower() in _SLACK_WORDS or (handle.isalpha() and handle.lower() in words):
            continue  # "meet @ home", "@here"
        yield Finding("social_handle", *match.span(), message, certain=False)
    for match in _PROFILE_LINK.finditer(text):
        yield Finding("social_handle", *match.span(), message, certain=False)
    for platform in _PLATFORM.finditer(text):
        for word in _next_words(text, platform.end(), 4):
            handle = _HANDLE_WORD.fullmatch(word.group())
            if handle is None:
                continue
            value = handle.group("handle")
            if _is_account_name(value):
                start = word.start() + handle.start("handle")
                yield Finding("social_handle", start, start + len(value), message, certain=False)
                break


_NEXT_WORD = re.compile(r"\S+")


def _next_words(text: str, start: int, count: int) -> list[re.Match[str]]:
    found = []
    for match in _NEXT_WORD.finditer(text, start):
        found.append(match)
        if len(found) == count:
            break
    return found


def _is_account_name(value: str) -> bool:
    if re.fullmatch(r"[0-9.]+", value) or re.fullmatch(r"(?:19|20)[0-9]{2}s?", value):
        return False  # "2.5", "2019"
    if re.fullmatch(r"[A-Za-z]+[0-9]{1,2}", value) and value[:-2].lower() in {"y", "yr", "year", "ks", "s", "p"}:
        return False
    if re.fullmatch(r"[A-Za-z]{1,3}[0-9]{1,3}", value):
        return False  # "y10", "s47", "ks2"
    return any(c.isalpha() for c in value)


# --- emails written out -----------------------------------------------------------------------

_TLD = r"(?:com|org|net|co|uk|gov|nhs|ac|sch|io|me|info|biz|ie|de|fr|pl|ro|lt|es|it|eu|us)"
_SPOKEN_AT = re.compile(r"[ \t]*(?:(?<!\w)at(?!\w)|\(at\)|\[at\])[ \t]*", re.IGNORECASE)
_DOT = r"(?:(?<!\w)dot(?!\w)|\(dot\)|\[dot\]|\.)"
_SPOKEN_DOMAIN = re.compile(
    rf"[\w\-]{{1,63}}(?:[ \t]*{_DOT}[ \t]*[\w\-]{{1,63}}){{0,4}}"
    rf"[ \t]*{_DOT}[ \t]*{_TLD}(?!\w)",
    re.IGNORECASE,
)
# The local part, read backwards from " at " within a short window so the search stays linear.
_SPOKEN_LOCAL = re.compile(
    r"(?<![\w.])[\w.+\-]{1,64}(?:[ \t]+dot[ \t]+[\w+\-]{1,64}){0,5}(?:[ \t]+[0-9]{1,4})?$", re.IGNORECASE
)


def spoken_emails(text: str) -> Iterator[Finding]:
    """Emails written out so a filter misses them: "hr.admin at example dot org"."""
    for at in _SPOKEN_AT.finditer(text):
        domain = _SPOKEN_DOMAIN.match(text, at.end())
        if domain is None:
            continue
        window_start = max(0, at.start() - 120)
        local = _SPOKEN_LOCAL.search(text[window_start : at.start()])
        if local is None:
            continue
        bracketed = "(" in at.group() or "[" in at.group()  # "babyxo22[at]hotmail.co.uk"
        account_like = re.search(r"[0-9_]", local.group()) is not None  # "cuddles_4eva at yahoo.co.uk"
        dotted = "dot" in domain.group().lower() or "." in local.group() or "dot" in local.group().lower()
        spelled = bracketed or account_like or dotted
        if spelled:
            yield Finding("email", window_start + local.start(), domain.end(), "Remove the email address.")


# --- postcodes in any spacing ------------------------------------------------------------------

_POSTCODE_AREAS = frozenset(
    """AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT
    DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD
    LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK
    SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE
    """.split()
)
_LOOSE_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?P<area>[A-Za-z]{1,2})[0-9][A-Za-z0-9]?[ \t.\-]{0,3}[0-9][ \t]?"
    r"(?P<unit>[ABD-HJLNP-UW-Zabd-hjlnp-uw-z][ \t]?[ABD-HJLNP-UW-Zabd-hjlnp-uw-z])(?![A-Za-z0-9])"
)


def postcodes(text: str) -> Iterator[Finding]:
    """Full UK postcodes however they are spaced or cased: "LS6  2AB", "B11 3 PL", "w10 5ja"."""
    for match in _LOOSE_POSTCODE.finditer(text):
        if match.group("area").upper() not in _POSTCODE_AREAS:
            continue
        unit = match.group("unit").replace(" ", "").replace("\t", "")
        value = match.group()
        spaced_unit = len(match.group("unit")) == 3
        if spaced_unit and not value.isupper():
            continue  # "e4 2 as" is words; "B11 3 PL" is a postcode
        if not value.isupper() and unit.lower() in {"st", "nd", "rd", "th", "hr", "am", "pm"}:
            continue
        yield Finding("postcode", *match.span(), "Remove the postcode.")


# "LS9", "M14", "B11": a postcode district narrows a street down to one house or two.
_DISTRICT = re.compile(r"(?<![A-Za-z0-9])(?P<area>[A-Z]{1,2})(?P<number>[0-9][0-9A-Z]?)(?![A-Za-z0-9])")
_NOT_DISTRICTS = frozenset({"S17", "S20", "S31", "S47", "B12", "B6"})  # Children Act sections, vitamins


def postcode_districts(text: str, addresses: list[Finding], reach: int = 80) -> Iterator[Finding]:
    """The first half of a postcode within a sentence or so of a street or a numbered address."""
    near = bytearray(len(text) + 1)  # one byte a character: linear however many streets there are
    for address in addresses:
        start, end = max(0, address.start - reach), min(len(text), address.end + reach)
        near[start:end] = b"\x01" * (end - start)
    for match in _DISTRICT.finditer(text):
        if match.group("area") not in _POSTCODE_AREAS or match.group() in _NOT_DISTRICTS:
            continue
        motorway = match.group("area") == "M" and text[max(0, match.start() - 4) : match.start()].lower() == "the "
        if motorway:
            continue  # "off the M62"
        if near[match.start()]:
            yield Finding("postcode", *match.span(), "Remove the postcode district as well as the street.")


# --- streets ---------------------------------------------------------------------------------

_STREET_SUFFIX = (
    r"(?:street|road|avenue|lane|close|drive|crescent|way|place|gardens|grove|terrace|walk|mews"
    r"|square|rise|row|parade|bank|court|hill|view|croft|fold|brow|vale|wharf|heights|boulevard)"
)
# "on queen st", "off station rd.": the short forms people type.
_STREET_SHORT = r"(?:st|rd|ave|ln|cl|cres|ct|gdns|sq|terr)\.?"
# "Court" alone is more often a court than a street ("Family Drug and Alcohol Court"); a numbered
# "12 Elm Court" is still caught with the house number.
_CAPITALISED_SUFFIX = (
    "(?:" + "|".join(w.capitalize() for w in _STREET_SUFFIX[3:-1].split("|") if w != "court") + "|Tower|Point)"
)
_CAPITALISED_STREET = re.compile(
    rf"(?<![\w])(?P<street>(?:[A-Z][a-z'’\-]+[ \t]{{1,3}}){{1,3}})(?:{_CAPITALISED_SUFFIX}|"
    r"(?:St|Rd|Ave|Ln|Cres|Gdns|Sq|Terr)\b\.?)(?!\w)"
)
_LOWER_STREET = re.compile(
    rf"(?<!\w)(?P<cue>on|at|off|near|in|of|from|to|behind|[0-9]{{1,4}}[a-z]?)[ \t]+"
    rf"(?P<street>(?:[a-z'’\-]+[ \t]+){{1,3}}(?:{_STREET_SUFFIX}|{_STREET_SHORT}))(?!\w)",
    re.IGNORECASE,
)
_GENERIC_BEFORE_STREET = frozenset(
    """the a an this that same main high busy our my his her their your one each every any no
    other another next long back side slip ring dual new old wrong right way road street hill""".split()
)
# "a 10 minute walk", "2 mile drive": distances, not addresses.
_MEASURES = frozenset("minute min hour hr second sec mile km metre meter yard step foot feet day week".split())
# "Working Together", "Family Court": capitalised pairs that are not streets.
_NOT_STREETS = frozenset(
    """family crown magistrates county youth high supreme appeal royal district food blood data milk baby""".split()
)


# A named block where someone lives: "the top floor of Kestrel Court", "Heron House, no lift".
_BUILDING = re.compile(
    r"(?<![\w])(?P<name>(?:[A-Z][a-z'’\-]+[ \t]){1,2})"
    r"(?:Court|House|Tower|Towers|Heights|Mansions|Lodge|Buildings)(?!\w)"
)
_HOME_NEARBY = re.compile(
    r"(?<!\w)(?:flat|flats|floor|block|lift|maisonette|bedsit|stairwell|landing|tenancy|moved|lives|living|evicted"
    r"|rehoused|housed|placed|placement|children['’]?s[ \t]+home)(?!\w)",
    re.IGNORECASE,
)


_OFFICE_AFTER = re.compile(r"[ \t]+(?:offices?|reception|training|meeting|conference|team|hub)\b", re.IGNORECASE)


# "room 114" at a hotel, "plot 7 at the site", "pitch 12 at the Traveller site", "no. 14 on the
# Brackenwood estate": where a family is living, without a street.
_UNIT = re.compile(
    r"(?<!\w)(?:room|rm|plot|pitch|caravan|chalet|unit|berth|bay|no\.?|number)(?:[ \t]+(?:number|no\.?|num))?"
    r"[ \t]*#?[0-9]{1,4}[a-z]?(?![\w.])",
    re.IGNORECASE,
)
_LODGING = re.compile(
    r"(?i:premier[ \t]+inn|travelodge|ibis|holiday[ \t]+inn|hotel|motel|b[ \t]?&[ \t]?b|hostel|guest[ \t]?house"
    r"|caravan[ \t]+(?:site|park)|travell?ers?['’]?[ \t]+site|the[ \t]+site|mobile[ \t]+home[ \t]+park"
    r"|holiday[ \t]+park|estate)"
    r"|(?<![\w])[A-Z][a-z]+[ \t]+(?:[Pp]ark|[Ee]state|[Ss]ite)(?!\w)"
)


def rooms_and_pitches(text: str) -> Iterator[Finding]:
    """A room, plot, pitch or house number where the words around it name a hotel, site or estate."""
    message = "Remove the room, plot or house number and the place (the type of housing is enough)."
    for match in _UNIT.finditer(text):
        start, end = match.span()
        if _LODGING.search(text[max(0, start - 50) : min(len(text), end + 50)]):
            yield Finding("address", start, end, message)


def buildings(text: str) -> Iterator[Finding]:
    """A named block of flats when the sentence is about someone's home, not a court or an office."""
    for match in _BUILDING.finditer(text):
        words = match.group("name").split()
        if any(w.lower() in _NOT_STREETS or w.lower() in _NOT_BUILDINGS for w in words):
            continue
        if _opens_sentence(text, match.start()) and not _after_place_preposition(text, match.start()):
            continue
        start, end = match.span()
        if _OFFICE_AFTER.match(text, end):
            continue  # "Carlton House offices"
        if _HOME_NEARBY.search(text[max(0, start - 60) : min(len(text), end + 60)]):
            message = "Remove the name of the building (the type of housing is enough)."
            yield Finding("address", start, end, message, certain=False)


# Capitalised words before "House" or "Court" that name an office, a court or a service.
_NOT_BUILDINGS = frozenset(
    """county crown family magistrates civil coroners children's childrens council town city civic
    police care open half way halfway safe respite refuge foster parliament white""".split()
)


def streets(text: str) -> Iterator[Finding]:
    """Street names without a house number: "the flat on Elm Grove Road", "on Hazel Bank"."""
    message = "Remove the street name (the area or type of housing is enough)."
    for match in _CAPITALISED_STREET.finditer(text):
        words = match.group("street").split()
        if any(w.lower() in _NOT_STREETS for w in words):
            continue
        if _opens_sentence(text, match.start()):
            if not _after_place_preposition(text, match.start()):
                continue
        if _is_school_or_service_after(text, match.end()):
            continue
        yield Finding("address", *match.span(), message)
    for match in _LOWER_STREET.finditer(text):
        words = match.group("street").lower().split()
        if any(w in _GENERIC_BEFORE_STREET or w.rstrip("s") in _MEASURES for w in words[:-1]):
            continue
        if match.group("street")[0].isupper():
            continue  # the capitalised form above has it
        if _is_school_or_service_after(text, match.end()):
            continue
        numbered = match.group("cue")[0].isdigit()
        start = match.start("cue") if numbered else match.start("street")
        yield Finding("address", start, match.end("street"), message, certain=numbered)


_SENTENCE_END = re.compile(r"(?:^|[.!?\n]\s*)$")
_PLACE_PREPOSITION = re.compile(r"(?:on|at|off|in|near|from|to|of)[ \t]+$", re.IGNORECASE)
_SCHOOL_AFTER = re.compile(
    r"[ \t]+(?:primary|academy|high|school|infants?|juniors?|nursery|college|surgery|medical|health|practice)\b",
    re.IGNORECASE,
)


def _opens_sentence(text: str, start: int) -> bool:
    return bool(_SENTENCE_END.search(text[max(0, start - 3) : start]))


def _after_place_preposition(text: str, start: int) -> bool:
    return bool(_PLACE_PREPOSITION.search(text[max(0, start - 8) : start]))


def _is_school_or_service_after(text: str, end: int) -> bool:
    return bool(_SCHOOL_AFTER.match(text, end))
