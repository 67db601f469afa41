"""Words that may be a person's name, and named schools or GP surgeries beside a child.

A name is never certain from its spelling alone ("Grace" is a name and a word; "Brandon" is a
child or the author of a review), so every finding here is uncertain: the person is asked, and can
say it isn't a person. What counts as a name:

- a known first name that is not also an ordinary English word ("kai", "Callum", "fatima");
- any word, known or not, in a place only a name fills: after a title ("Mrs Nwosu"), before an age
  ("oscar, 2", "eilidh (9)", "kofi, aged 12"), before a year group ("malika in y7"), after "baby",
  "little" or "my girl", before "'s mum" and the like;
- a family surname: "the Kowalski family", "the Ahmeds", "the O'Connor household", "the Sandhu
  twins", "Mr and Mrs Thompson".
Pure functions of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.reflections.finding import Finding
from bot.reflections.wordlists import english_words, first_names, surnames

NAME_MESSAGE = "This looks like a name: use 'the child', 'Child A' or a role instead."
FAMILY_MESSAGE = "This looks like a family's surname: use 'the family' instead."
SCHOOL_MESSAGE = "A named school or GP surgery with a child's details can identify them: use 'the school' or 'the GP'."


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int
    lower: str  # lower case, possessive dropped: "Kiera's" -> "kiera"
    possessive: bool
    gap: str  # the text between the previous token and this one


_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*(?:['’]s?)?|[0-9]+")
_POSSESSIVE = re.compile(r"['’]s?$")


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    previous = 0
    for match in _TOKEN.finditer(text):
        raw = match.group()
        possessive = bool(_POSSESSIVE.search(raw)) and not raw[0].isdigit()
        bare = _POSSESSIVE.sub("", raw) if possessive else raw
        end = match.start() + len(bare)
        tokens.append(_Token(bare, match.start(), end, bare.lower(), possessive, text[previous : match.start()]))
        previous = match.end()
    return tokens


# Words that are never a person's name here, even though a name list has them.
_NEVER_NAMES = frozenset(
    """
    a an the and or but if so as at by for from in into of on to up with i me my we us our you he
    him his she her it its they them their this that these those who what when where why how all
    any some no not is are was were be been has have had do does did can will would should could
    may might must shall mum mam mom dad nan gran baby child kid kids son daughter boy girl lad
    lads mate mates sis bro aunt aunty auntie uncle cousin carer foster birth step partner
    ok tbh lol omg pls thx yes yeah nah hi hey sw hv gp dsl csc cin cp lac ta sen al et til perp
    perps childrens christian muslim sikh hindu jewish catholic year years ages stage stages ex
    gonna wanna cos coz innit bruv hun babe thats didnt dont im ive youre theyre shes hes wasnt
    couldnt shouldnt wouldnt isnt arent wont cant whats theres weve ill itll id youve theyve
    childline samaritans barnardos kooth papyrus shelter refuge nspcc cafcass
    jan feb apr aug sept oct nov dec mon tues weds thurs thu fri sat sun
    ai dev mac val sal ida ira les del thu yer von ute oma una mao asia isis marx lang robt eliz
    chas bev dia ada ela ema ena eda ila ima ina isa iva ona ora ula lue mee pok suk thi toi yee
    wm jc
    monday tuesday wednesday thursday friday saturday sunday january february march april june
    july august september october november december christmas easter eid diwali ramadan
    england english britain british scotland wales ireland irish london manchester leeds
    birmingham bradford liverpool glasgow
    didn't doesn't don't isn't wasn't weren't aren't hasn't haven't hadn't can't won't couldn't
    shouldn't wouldn't mustn't needn't ain't shan't
    cornwall essex surrey sussex norfolk suffolk dorset somerset wiltshire hampshire berkshire
    oxfordshire gloucestershire herefordshire worcestershire warwickshire staffordshire shropshire
    cheshire lancashire yorkshire derbyshire nottinghamshire leicestershire lincolnshire
    northamptonshire cambridgeshire hertfordshire buckinghamshire bedfordshire cumbria
    northumberland durham teesside merseyside tyneside midlands humberside rutland kirklees
    calderdale wakefield sheffield rotherham barnsley doncaster sunderland gateshead newcastle
    middlesbrough solihull coventry wolverhampton walsall sandwell nottingham leicester derby
    northampton peterborough luton bristol plymouth exeter southampton portsmouth brighton
    haringey hackney lambeth southwark croydon enfield barnet ealing brent newham tower hamlets
    cardiff swansea belfast edinburgh aberdeen dundee
    """.split()
)
# People and places named in published reviews and guidance: shared learning, not a family.
_PUBLIC = (
    "victoria climbié", "victoria climbie", "peter connelly", "baby peter", "baby p", "daniel pelka",
    "arthur labinjo-hughes", "star hobson", "khyra ishaq", "hamzah khan", "keanu williams",
    "ellie butler", "logan mwangi", "finley boden", "alexis jay", "eileen munro", "lord laming",
    "marian brandon", "brandon", "laming", "munro", "child q", "child a", "child b", "child c",
    "jasmine beckford", "maria colwell", "tyra henry", "kimberley carlile", "baby t",
    # authors practitioners cite
    "harry ferguson", "ferguson", "peter reder", "reder", "sylvia duncan", "duncan", "peter sidebotham",
    "sidebotham", "jan horwath", "horwath", "danielle turney", "turney", "brid featherstone",
    "featherstone", "martin calder", "john bowlby", "bowlby", "donald winnicott", "winnicott",
    "bruce perry", "dan hughes", "kim golding", "arnon bentovim", "bentovim", "david howe",
    "gillian schofield", "mary beek", "wendy rose", "jane wonnacott", "wonnacott", "karen broadhurst",
    "andy bilson", "sue white", "maslow", "bronfenbrenner", "vygotsky", "kolb", "gibbs", "schon",
    "carlene firmin", "firmin", "david finkelhor", "finkelhor", "ruth gardner", "brigid daniel",
    # organisations, laws and protocols named after people
    "lucy faithfull foundation", "lucy faithfull", "stop it now", "parents protect", "philomena protocol",
    "philomena", "clare's law", "clare’s law", "sarah's law", "sarah’s law", "helen's law", "jade's law",
    "ben's law", "tony's law", "owen's law", "finn's law", "barnardo's", "barnardos", "thomas coram",
    "coram", "action for children", "kidscape", "anna freud", "tavistock", "marie collins foundation",
    "karma nirvana", "galop", "refuge", "womens aid", "women's aid", "respect", "safelives",
)  # fmt: skip
# After a cited author: "Ferguson (2011)", "Munro's review", "Reder and Duncan on ...".
_CITATION_AFTER = re.compile(
    r"(?:[ \t]*\(?[ \t]*(?:19|20)[0-9]{2}\b|['’]s[ \t]+(?:work|research|model|theory|review|report|book|paper"
    r"|framework|triangle|approach|hierarchy|cycle|studies|study|findings))",
    re.IGNORECASE,
)
# Before a cited author: "the work from Carlene Firmin", "research by Jane Doe".
_CITATION_BEFORE = re.compile(
    r"(?:work|research|writing|book|paper|papers|model|framework|theory|ideas|study|article|talk|lecture)"
    r"[ \t]+(?:of|from|by)[ \t]+$",
    re.IGNORECASE,
)
# A review named after children: "the Arthur and Star national review", "the Jade review".
_REVIEW_AFTER = re.compile(
    r"(?:[ \t]+and[ \t]+[A-Z][a-z'’\-]+)?(?:[ \t]+(?:national|serious|case|practice|safeguarding|local|child))*"
    r"[ \t]+(?:review|inquiry|enquiry|report)\b"
)
_PUBLIC_PATTERN = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(p) for p in sorted(_PUBLIC, key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "mister"})
_AFTER_NAME_FAMILY = frozenset(
    """mum mums mam mom mummy mother dad dads daddy father nan nana nanna gran granny grandma
    grandad grandpa brother sister brothers sisters sibling siblings sibs cousin uncle aunt auntie
    aunty stepdad stepmum partner boyfriend girlfriend husband wife carer carers foster school
    teacher sw social worker family friend friends mate mates room bedroom house home flat
    phone case file plan notes records attendance behaviour bruise bruises injury account
    mother-in-law father-in-law sister-in-law brother-in-law stepmother stepfather placement
    placements keyworker nursery class teacher's behaviour attendance bedroom birthday""".split()
)
_ACTION_OWNER = re.compile(
    r"[ \t]*(?:,[ \t]*(?:by[ \t]+)?|[ \t]+by[ \t]+|[ \t]+to[ \t]+(?:do|book|lead|chase|send|call|ring|arrange)\b)"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|[ \t]*,[ \t]*(?:by[ \t]+)?(?:tomorrow|next[ \t]+week|end[ \t]+of)",
    re.IGNORECASE,
)
_RELATIVE_ADJECTIVES = frozenset(
    "little big older younger baby twin new foster birth step half elder eldest youngest real".split()
)
_STRONG_SLOTS = frozenset({"possessive", "age", "year group", "my child", "title"})
_WEAK_SLOTS = frozenset({"age", "subject", "named", "object"})
# Verbs done to a person: "took tobiah", "saw amaris", "rang kayden's mum".
_ACTS_ON = frozenset(
    """took take taking saw seen see seeing met meet visited visit told tell asked ask rang ring
    phoned called collected collect dropped picked supported supporting placed moved
    excluded interviewed assessed examined weighed kept drove brought""".split()
)  # only for words that are not ordinary
_WITH_SOMEONE = frozenset({"with", "to", "for"})
_BEFORE_NAME = frozenset({"baby", "little", "lil", "named", "called", "aka", "nicknamed"})
_CHILD_WORDS = frozenset(
    """girl boy son daughter lad child kid sister brother niece nephew grandson granddaughter
    stepson stepdaughter twin""".split()
)
_MY = frozenset({"my", "our", "her", "his", "their"})
_FAMILY_AFTER_SURNAME = frozenset(
    """family family's household kids children twins boys girls lads brothers sisters siblings
    house home clan""".split()
)
# "the Sandhu boy": a surname before a child word, when the surname is no ordinary word.
_CHILD_AFTER_SURNAME = frozenset("boy girl lad baby kid child twins boys girls".split())
_YEAR_GROUP = re.compile(r"^(?:y|yr|year)[ \t]?(?:[1-9]|1[0-3])$|^(?:[1-9]|1[0-3])[a-z]$|^reception$", re.IGNORECASE)
_AGE_AFTER = re.compile(
    r"^(?:[ \t]*,[ \t]*|[ \t]*\([ \t]*|[ \t]+(?:is|was|are|who[ \t]+is|who's|turned|aged?)[ \t]+)"
    r"(?:aged?[ \t]+|age[ \t]*)?(?:[1-9]|1[0-9])"
    r"(?:[ \t]*(?:yo|y/o|yrs?|years?(?:[ \t\-]+old)?|months?(?:[ \t\-]+old)?|mths?|weeks?|wks?))?"
    r"(?:[ \t]*[,)\-:;.]|$|[ \t]+(?:at|in|from|and|who|with|is|was|has|had|said|told|goes|lives)\b)",
    re.IGNORECASE,
)
# "Amir, born on christmas eve", "Brooklyn (dob 3/4/19)": what follows a child's name.
_BORN_AFTER = re.compile(r"^(?:[ \t]*,[ \t]*|[ \t]*\([ \t]*|[ \t]+(?:was[ \t]+)?)(?:born|dob|d\.o\.b)\b", re.IGNORECASE)
_YEAR_GROUP_AFTER = re.compile(
    r"^[ \t,(]*(?:in[ \t]+|from[ \t]+)?(?:my[ \t]+)?(?:y[ \t]?(?:[1-9]|1[0-3])|yr[ \t]?(?:[1-9]|1[0-3])"
    r"|year[ \t]+(?:[1-9]|1[0-3])|reception|nursery[ \t]+class|[1-9][a-z]"
    r"|(?<=my[ \t])(?:class|form|group|tutor[ \t]+group|caseload))\b",
    re.IGNORECASE,
)


def _is_ordinary_word(lower: str) -> bool:
    words = english_words()
    if lower in words or lower in _NEVER_NAMES:
        return True
    head, apostrophe, tail = lower.replace("’", "'").partition("'")
    if apostrophe and tail in {"ve", "ll", "d", "re", "m", "t"} and (head in words or head in _NEVER_NAMES):
        return True  # "we've", "i'll", "they'd"
    parts = [part for part in re.split(r"[\-'’]", lower) if part]
    return len(parts) > 1 and all(part in words or part in _NEVER_NAMES for part in parts)


_PLACE_AFTER_NAME = frozenset(
    """line station park road street hospital centre center house square bridge gardens cross
    court ward lane avenue terrace college university airport basket""".split()
)


def _in_title(tokens: list[_Token], i: int) -> bool:
    """True inside a capitalised title made of ordinary words: "Keeping Children Safe in
    Education", "Ages and Stages", "Language Line"."""

    def ordinary_capital(j: int) -> bool:
        if not 0 <= j < len(tokens):
            return False
        token = tokens[j]
        return token.text[0].isupper() and _is_ordinary_word(token.lower)

    if not ordinary_capital(i):
        return False
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(tokens) and tokens[j].lower in {"and", "of", "in", "the", "for", "to"}:
            j += step
        if ordinary_capital(j) and abs(j - i) <= 2:
            return True
    return False


def is_public_name(words: str) -> bool:
    """True when the words begin with a published review's, a cited author's or an organisation's name."""
    match = _PUBLIC_PATTERN.match(words)
    return match is not None


def public_mask(text: str) -> bytearray:
    """One byte per character, set inside a published review's or a cited author's name."""
    mask = bytearray(len(text) + 1)
    for match in _PUBLIC_PATTERN.finditer(text):
        mask[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
    return mask


def names(text: str) -> Iterator[Finding]:
    """Words that look like a person's first name, surname or family name (all uncertain)."""
    tokens = _tokens(text)
    public = public_mask(text)
    firsts, last = first_names(), surnames()
    flagged: set[int] = set()

    def in_public(token: _Token) -> bool:
        return bool(public[token.start])

    for i, token in enumerate(tokens):
        if _initials_in_a_year_group(text, token):
            flagged.add(i)  # "JB in y8", "AK (year 3, St Joseph's RC)"
            continue
        if token.text[0].isdigit() or len(token.lower) < 2 or token.text.isupper():
            continue
        if in_public(token) and not _possessive_before_family(tokens, i):
            continue  # "Brandon et al." is cited; "brandon's mum" is a child's mum
        if _names_a_child_though_a_word(text, tokens, i, firsts):
            flagged.add(i)  # "April's mum", "May (Y2)", "Will in year 8"
            continue
        if token.lower in _NEVER_NAMES or token.lower in _TITLES:
            continue
        after_baby = (
            i > 0
            and tokens[i - 1].lower in _BEFORE_NAME
            and not tokens[i - 1].possessive
            and not (i + 1 < len(tokens) and tokens[i + 1].text[0].isupper())  # "Little Acorns Nursery"
        )
        titled = _in_title(tokens, i) and not after_baby and _name_slot(text, tokens, i) not in _STRONG_SLOTS
        if _followed_by_et_al(tokens, i) or titled or _place_follows(tokens, i):
            continue
        if token.text[0].isupper() and token.lower in first_names() and _RELATIVE_ASIDE.match(text, token.end):
            flagged.add(i)  # "Mark, mum's ex, has a MAPPA history"
            continue
        if _verb_opening_a_sentence(tokens, i):
            continue  # "Hope the new worker reads it", "Mark the register"
        if token.text[0].isupper() and _CITATION_AFTER.match(text, token.end):
            continue  # a cited author
        if token.text[0].isupper() and _CITATION_BEFORE.search(text, max(0, token.start - 24), token.start):
            continue  # "the work from Carlene Firmin"
        if token.text[0].isupper() and _REVIEW_AFTER.match(text, token.end):
            continue  # "the Arthur and Star national review": a published review
        if i > 0 and tokens[i - 1].lower == "in" and token.text[0].isupper() and not token.possessive:
            continue  # "in Milton Keynes": a place
        spoken_to = i > 1 and tokens[i - 2].lower in {"spoke", "speak", "talked", "talk", "said", "chatted", "listened"}
        if i > 0 and tokens[i - 1].lower in _TO_A_PLACE and token.lower in _PLACES_NAMED_LIKE_PEOPLE and not spoken_to:
            continue  # "moved to preston", "back from jordan" (but "spoke to chelsea")
        if _ACTION_OWNER.match(text, token.end) and token.text[0].isupper():
            continue  # "(Priya, by Friday)": who on the team does an agreed action
        if i > 0 and tokens[i - 1].lower in {"a", "an"} and not tokens[i - 1].possessive:
            continue  # "a Mercedes", "an Arthur-style review": a thing, not a person
        ordinary = _is_ordinary_word(token.lower)
        known = token.lower in firsts or _hyphenated_first_name(token.lower, firsts)
        if not ordinary and not known and token.lower not in last and _misspelt_word(token.lower):
            continue  # "assesment", "recieved": a typo, not a name
        capitalised = token.text[0].isupper() and not token.text.isupper()
        mid_sentence = capitalised and not _opens_sentence(tokens, i)
        slot = _name_slot(text, tokens, i)
        if token.lower in _SYSTEM_NAMES and slot not in _STRONG_SLOTS:
            continue  # "Athena and Niche don't talk", "Liquidlogic is slow": records systems
        if token.lower in _PLACES_NAMED_LIKE_PEOPLE and not slot:
            continue  # "paris, berlin and rome": places
        if known and not ordinary and len(token.lower) >= 3:
            flagged.add(i)
        elif known and slot in _PERSON_SLOTS and (mid_sentence or capitalised or _person_follows(tokens, i)):
            flagged.add(i)  # "took Faith into a side room", "grace was ... she'd run out"
        elif known and slot == "beside" and mid_sentence:
            flagged.add(i)  # "sat with Willow", but not "went with hope in our hearts"
        elif slot and (
            not ordinary
            or slot == "title"
            or (known and slot in _STRONG_SLOTS)
            or (mid_sentence and slot not in _WEAK_SLOTS)
        ):
            flagged.add(i)
        elif known and mid_sentence and _next_is_capitalised_surname(tokens, i, last):
            flagged.add(i)
        elif (
            known
            and capitalised
            and _next_is_capitalised_surname(tokens, i, last)
            and (_name_slot(text, tokens, i + 1) in _STRONG_SLOTS or _acts(tokens, i + 1))
        ):
            flagged.add(i)  # "Ruby Price's family travel", "Grace Hill said"
    for i in sorted(flagged):
        token = tokens[i]
        end = token.end
        # Take the surname along: "jayden smith", "Fatima Hassan".
        if i + 1 < len(tokens) and _is_surname_after(tokens, i, last, firsts):
            end = tokens[i + 1].end
        yield Finding("name", token.start, end, NAME_MESSAGE, certain=False, redaction=_redaction(tokens, i))
    yield from _family_surnames(text, tokens, last, public)


# Two capitals that stand before a year group without being a child's initials: lessons and roles.
_NOT_INITIALS = frozenset("pe re dt it ta sw hv gp cp pc ks mr ms dr sen la ld ot sl".split())


def _initials_in_a_year_group(text: str, token: _Token) -> bool:
    """ "JB in y8", "MB (y5, Brookfield Primary)": a child's initials before their year group."""
    if len(token.text) != 2 or not token.text.isalpha() or not token.text.isupper():
        return False
    if token.lower in _NOT_INITIALS or token.lower in _NEVER_NAMES or token.lower in _SERVICES:
        return False
    return _YEAR_GROUP_AFTER.match(text[token.end : token.end + 40]) is not None


def _redaction(tokens: list[_Token], i: int) -> str:
    previous = tokens[i - 1].lower if i > 0 else ""
    if previous in _TITLES:
        return "[parent]"
    return "[child]"


def _hyphenated_first_name(lower: str, firsts: frozenset[str]) -> bool:
    parts = lower.replace("’", "'").split("-")
    if len(parts) > 1 and all(part in firsts for part in parts):
        return True  # "Lily-Grace", "Summer-Rose"
    return len(parts) > 1 and parts[0] in firsts and not _is_ordinary_word(parts[0])


_RELATIVE_ASIDE = re.compile(
    r"[ \t]*,[ \t]+(?:mum|dad|mam|her|his|their|the[ \t]+(?:child|baby|girl|boy)|the[ \t]+kids)['’]?s?[ \t]+"
    r"(?:new[ \t]+|older[ \t]+|younger[ \t]+|big[ \t]+|little[ \t]+)?"
    r"(?:ex|partner|boyfriend|girlfriend|husband|wife|dad|mum|brother|sister|uncle|aunt|auntie|cousin|friend|son|daughter|stepdad|stepmum|grandad|nan|lodger)\b",
    re.IGNORECASE,
)


def _possessive_before_family(tokens: list[_Token], i: int) -> bool:
    """ "brandon's mum": a possessive name before a family word."""
    following = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    return tokens[i].possessive and following in _AFTER_NAME_FAMILY - {"case", "file", "plan", "notes", "records"}


# Months, days and short words that are also given names: a person only in a strong slot.
WORDS_THAT_ARE_NAMES = frozenset("april may june august will sunny summer autumn".split())


def _names_a_child_though_a_word(text: str, tokens: list[_Token], i: int, firsts: frozenset[str]) -> bool:
    token = tokens[i]
    if token.lower.rstrip("'’s") not in WORDS_THAT_ARE_NAMES and token.lower not in WORDS_THAT_ARE_NAMES:
        return False
    if not token.text[0].isupper():
        return False
    if token.possessive:
        return _possessive_before_family(tokens, i) and tokens[i + 1].lower not in {"school", "house", "home"}
    return _YEAR_GROUP_AFTER.match(text[token.end : token.end + 40]) is not None


# Words that follow a verb opening a sentence ("Hope the ...", "Mark the register").
_AFTER_OPENING_VERB = frozenset("the that this these those you we i everyone everybody it all our your".split())


def _verb_opening_a_sentence(tokens: list[_Token], i: int) -> bool:
    token = tokens[i]
    if not _opens_sentence(tokens, i) or token.possessive or not _is_ordinary_word(token.lower):
        return False
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    return (
        following is not None
        and following.lower in _AFTER_OPENING_VERB
        and re.fullmatch(r"[ \t]+", following.gap) is not None
    )


def _misspelt_word(lower: str) -> bool:
    """One letter left out, added or swapped from an ordinary word ("assesment", "recieved")."""
    if len(lower) < 6 or not lower.isalpha():
        return False
    words = english_words()
    letters = "abcdefghijklmnopqrstuvwxyz"
    for k in range(len(lower)):
        if lower[:k] + lower[k + 1 :] in words:
            return True
        if k + 1 < len(lower) and lower[:k] + lower[k + 1] + lower[k] + lower[k + 2 :] in words:
            return True
    return any(lower[:k] + c + lower[k:] in words for k in range(len(lower) + 1) for c in letters)


def _place_follows(tokens: list[_Token], i: int) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1].lower in _PLACE_AFTER_NAME and not tokens[i].possessive


def _followed_by_et_al(tokens: list[_Token], i: int) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1].lower == "et"


def _opens_sentence(tokens: list[_Token], i: int) -> bool:
    return i == 0 or bool(re.search(r"[.!?\n:;\-]\s*$|^\s*['\"‘“(]", tokens[i].gap)) or tokens[i].gap == ""


def _name_slot(text: str, tokens: list[_Token], i: int) -> str:
    """Which place only a name fills the word at tokens[i] is in ("" if none)."""
    token = tokens[i]
    previous = tokens[i - 1] if i > 0 else None
    before = tokens[i - 2] if i > 1 else None
    adjacent = previous is not None and re.fullmatch(r"[ \t]+", token.gap or "") is not None
    if previous is not None and adjacent and previous.lower in _TITLES:
        return "title"
    if previous is not None and previous.lower == "and" and before is not None and before.lower in _TITLES:
        return "title"  # "Mr and Mrs Thompson"
    after = text[token.end : token.end + 120]  # a window, so each word costs the same on a long text
    if token.possessive:
        following = [t.lower for t in tokens[i + 1 : i + 3]]
        if following and following[0] in _RELATIVE_ADJECTIVES:
            following = following[1:]
        if following and following[0] in _AFTER_NAME_FAMILY:
            return "possessive"
    elif (_AGE_AFTER.match(after) and not token.lower.endswith("s")) or _BORN_AFTER.match(after):
        return "age"
    if _YEAR_GROUP_AFTER.match(after) and not token.possessive:
        return "year group"
    if previous is not None and adjacent and previous.lower in _BEFORE_NAME and not previous.possessive:
        return "my child" if previous.lower == "lil" and _could_be_a_name(token.lower) else "after baby"
    if _in_apposition(text, tokens, i):
        return "my child"  # "the little one, Hope, still hides food"
    if (
        previous is not None
        and adjacent
        and previous.lower in _CHILD_WORDS
        and before is not None
        and (before.lower in _MY or before.lower == "foster")
    ):
        return "my child"
    if _opens_clause(tokens, i) and _could_be_a_name(token.lower):
        if _acts(tokens, i) or _with_relative(tokens, i):
            return "subject"
    if previous is not None and adjacent and previous.lower in _ACTS_ON and _could_be_a_name(token.lower):
        return "object"  # "took tobiah to contact" (only for words that are not ordinary)
    if previous is not None and adjacent and previous.lower in _WITH_SOMEONE and token.lower in first_names():
        return "beside"  # "sat with Willow": a known name only, as "to Tesco" is a place
    if (
        previous is not None
        and before is not None
        and previous.lower in {"is", "was", "called", "named"}
        and before.lower in _AFTER_NAME_FAMILY | _CHILD_WORDS | {"baby", "name"}
        and _could_be_a_name(token.lower)
    ):
        return "named"  # "the baby's dad is chinedu"
    return ""


# A name that is also a word ("Grace", "hope") in one of these places is read as a person when
# it is capitalised mid-sentence or a he/she follows in the same sentence.
_PERSON_SLOTS = frozenset({"subject", "object"})
_PERSON_PRONOUNS = frozenset(
    "she he her him his hers herself himself she'd he'd she'll he'll she’d he’d she’ll he’ll".split()
)
# Case-management and police systems that name lists hold as first names.
_SYSTEM_NAMES = frozenset("athena niche mosaic eclipse emis systmone liquidlogic cpoms myconcern arbor".split())


def _person_follows(tokens: list[_Token], i: int, window: int = 12) -> bool:
    """ "she", "his", "he'd" within a few words after tokens[i], before the sentence ends."""
    for token in tokens[i + 1 : i + 1 + window]:
        if re.search(r"[.!?;\n]", token.gap):
            return False
        if token.lower in _PERSON_PRONOUNS:
            return True
    return False


_APPOSED_TO = _CHILD_WORDS | frozenset("one eldest youngest oldest middle baby toddler partner boyfriend".split())


def _in_apposition(text: str, tokens: list[_Token], i: int) -> bool:
    """A word set off in commas or brackets straight after a child word: "the little one, Hope,"."""
    previous = tokens[i - 1] if i > 0 else None
    if previous is None or previous.lower not in _APPOSED_TO or previous.possessive:
        return False
    if re.fullmatch(r"[ \t]*,[ \t]*", tokens[i].gap):
        return re.match(r"[ \t]*,", text[tokens[i].end : tokens[i].end + 8]) is not None
    if re.fullmatch(r"[ \t]*\([ \t]*", tokens[i].gap):
        return re.match(r"[ \t]*\)", text[tokens[i].end : tokens[i].end + 8]) is not None
    return False


def _with_relative(tokens: list[_Token], i: int) -> bool:
    """ "wojciech and his dad", "Hope and her little brother": a person and their relative."""
    following = [t.lower for t in tokens[i + 1 : i + 5]]
    if len(following) == 4 and following[2] in _RELATIVE_ADJECTIVES:
        del following[2]
    following = following[:3]
    return (
        len(following) == 3
        and following[0] == "and"
        and following[1] in {"his", "her", "their"}
        and following[2] in _AFTER_NAME_FAMILY | _CHILD_WORDS
    )


# Verbs that follow a person who did or said something: "kacper said", "chinedu doesnt live".
_SUBJECT_VERBS = frozenset(
    """said says told tells asked disclosed walked ran came went keeps kept has had was is goes
    gets got showed wrote drew stopped started left lives lived stays stayed sleeps slept cried
    screamed hit hits wants wanted refused missed turned arrived shared posted admitted
    mentioned seemed looked looks seems brought gave gives came comes says hides
    hid needs needed sat stood screams shouted kicked asks begged didnt doesnt wont cant wasnt isnt hasnt hadnt
    didn't doesn't won't can't wasn't isn't hasn't hadn't""".split()
)
_CLAUSE_WORDS = frozenset("when and but because cos so that if then until while after before what".split())
# Lower-case abbreviations from practice that stand where a person would: "camhs said".
_SERVICES = frozenset(
    """camhs yot yos mash marac mappa cse cce cpoms sims arbor edt lado dsl senco sendco ehcp cin
    iro icpc rcpc fgc sgo ceop btp pcso nfa haf cafcass nspcc nhs csc hmrc dwp ofsted ofcom cqc
    ucas sendiass iapt liaison""".split()
)


def _opens_clause(tokens: list[_Token], i: int) -> bool:
    if i == 0:
        return True
    if re.search(r"[,.;:!?()\-'\"‘“]", tokens[i].gap):
        return True
    return tokens[i - 1].lower in _CLAUSE_WORDS


_AFTER_IS_OR_HAS = frozenset("been got gone not never always still just had being".split())
# "autumn is when ...", "hope is not a plan": a word described, not a person.
_DESCRIBED_AFTER_IS = frozenset(
    "when where why how what not a an the about never all key important hard enough everything nothing".split()
)
_IS_WORDS = frozenset("is was isn't isnt wasn't wasnt".split())


def _acts(tokens: list[_Token], i: int) -> bool:
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    if following is not None and tokens[i].possessive and following.lower in _AFTER_IS_OR_HAS:
        return True  # "Autumn's been coming": "'s" is "has", not a possessive
    if following is not None and following.lower.replace("’", "'") in _IS_WORDS and i + 2 < len(tokens):
        if tokens[i + 2].lower in _DESCRIBED_AFTER_IS:
            return False
    return (
        following is not None
        and not tokens[i].possessive
        and re.fullmatch(r"[ \t]+", following.gap) is not None
        and following.text.lower().replace("’", "'") in _SUBJECT_VERBS
    )


def _could_be_a_name(lower: str) -> bool:
    """A word that reads like a name, not an abbreviation: "kacper" or "jj", not "camhs"."""
    if lower in _SERVICES or lower in _NEVER_NAMES:
        return False
    if len(lower) == 2:
        return lower in first_names()  # "jj", "mo": short forms only when a name list has them
    return len(lower) >= 3 and bool(re.search(r"[aeiouy]", lower))


def _next_is_capitalised_surname(tokens: list[_Token], i: int, last: frozenset[str]) -> bool:
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    return (
        following is not None
        and following.text[0].isupper()
        and _POSSESSIVE.sub("", following.lower) in last
        and re.fullmatch(r"[ \t]+", following.gap) is not None
    )


def _is_surname_after(tokens: list[_Token], i: int, last: frozenset[str], firsts: frozenset[str]) -> bool:
    token, following = tokens[i], tokens[i + 1]
    if token.possessive or re.fullmatch(r"[ \t]+", following.gap) is None or following.text[0].isdigit():
        return False
    if following.lower in _NOT_SURNAMES or following.lower in _NEVER_NAMES:
        return False
    if following.text[0].isupper():
        return not _is_ordinary_word(following.lower) or following.lower in last
    return following.lower in last and following.lower not in firsts


# Words a surname list has that follow a first name as ordinary words: "jayden said", "kai after".
_NOT_SURNAMES = frozenset(
    """after before said says told tells asked came come went goes got gets get was were is are has
    had have will would should could did does do not never just also then when while who which
    that this than there here again still only even about around over under into onto from with
    without within back down off out up away home school today yesterday tomorrow last next each
    every both either neither more most less least very much many well better best good bad
    early late often always sometimes soon now once twice first second third new old young little
    big long short high low right left wrong same other another such own""".split()
)


def _family_surnames(text: str, tokens: list[_Token], last: frozenset[str], public: bytearray) -> Iterator[Finding]:
    """ "the Kowalski family", "the Ahmeds", "the O'Connor household", "the youngest O'Reilly"."""
    for i, token in enumerate(tokens):
        if i == 0 or tokens[i - 1].lower != "the" or token.text[0].isdigit():
            continue
        if public[token.start]:
            continue
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        capitalised = token.text[0].isupper() and not token.text.isupper()
        ordinary = _is_ordinary_word(token.lower) or token.lower in _NEVER_NAMES
        family_after = following is not None and following.lower in _FAMILY_AFTER_SURNAME
        if family_after and (capitalised or (not ordinary and len(token.lower) > 2)):
            yield _family(token)
            continue
        child_after = following is not None and following.lower in _CHILD_AFTER_SURNAME
        if child_after and capitalised and not ordinary and token.lower in last:
            yield _family(token)
            continue
        if child_after and not ordinary and len(token.lower) > 3 and _could_be_a_name(token.lower):
            yield _family(token)  # "the lewandowski girl", "the ahmadzai boy"
            continue
        plural = token.lower.endswith("s") and len(token.lower) > 3
        head_noun = following is not None and following.lower in _HEAD_NOUNS
        if plural and capitalised and not _is_service_plural(token.lower) and not _in_title(tokens, i):
            singular = token.lower[:-1]
            if singular in last or singular in first_names() or (not ordinary and not head_noun):
                yield _family(token)
        elif plural and not ordinary and token.lower[:-1] in last and not _is_ordinary_word(token.lower[:-1]):
            yield _family(token)
        elif plural and token.lower[:-1] in _SURNAMES_THAT_ARE_WORDS and _acts_as_a_family(tokens, i):
            yield _family(token)  # "the smiths cancelled again"
    for i, token in enumerate(tokens):
        # A surname at the start with a child word or as a family that acts: "Doherty baby had a
        # bruise", "murphys are back".
        if not _opens_sentence(tokens, i) or public[token.start] or token.text[0].isdigit():
            continue
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        ordinary = _is_ordinary_word(token.lower)
        if following is not None and following.lower in _CHILD_AFTER_SURNAME and token.lower in last and not ordinary:
            yield _family(token)
        elif token.lower.endswith("s") and token.lower[:-1] in last and not _is_ordinary_word(token.lower[:-1]):
            if not ordinary and _acts_as_a_family(tokens, i):
                yield _family(token)


# The commonest British surnames that are also ordinary words: "the smiths", "the bakers".
_SURNAMES_THAT_ARE_WORDS = frozenset(
    """smith taylor brown white green wood hall wright walker baker turner cook hill moore clark
    king bell cooper ward mason marshall hunter fisher carter parker butler fletcher shepherd
    porter barber chapman fox lamb rose""".split()
)
_FAMILY_VERBS = frozenset(
    "are were have had cancelled canceled moved missed refused turned came come kept keep never didn't didnt".split()
)


def _acts_as_a_family(tokens: list[_Token], i: int) -> bool:
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    return (
        following is not None
        and following.lower in _FAMILY_VERBS
        and re.fullmatch(r"[ \t]+", following.gap) is not None
    )


# "the Barnahus model": a capitalised word before one of these names a thing, not a family.
_HEAD_NOUNS = frozenset(
    """model approach project programme program framework review report team service tool method
    protocol system guidance pilot trust scheme centre center unit house project's way""".split()
)
_TO_A_PLACE = frozenset({"in", "to", "from", "near", "around", "outside", "towards", "via"})
# Towns, areas and countries that name lists also hold as first names.
_PLACES_NAMED_LIKE_PEOPLE = frozenset(
    """chelsea kingston lincoln chester preston beverley shirley stanley clifton milton sydney devon kent
    paris florence georgia india kenya jordan israel austin dallas lorraine carlisle crewe
    darwin dudley hastings harrow hayes hendon kendal lewes wigan""".split()
)
_SERVICE_PLURALS = frozenset(
    {"police", "courts", "services", "schools", "nhs", "sws", "hvs", "gps", "samaritans", "guidelines", "standards"}
)


def _is_service_plural(lower: str) -> bool:
    return lower in _SERVICE_PLURALS


def _family(token: _Token) -> Finding:
    return Finding("name", token.start, token.end, FAMILY_MESSAGE, certain=False, redaction="[family]")


# --- a named school or GP surgery with a child's details ----------------------------------------

_INSTITUTION = re.compile(
    r"(?<!\w)(?P<name>(?:(?:st|saint)\.?[ \t]+[a-z'’\-]+(?:[ \t]+[a-z'’\-]+){0,2}"
    r"|[a-z'’\-]+(?:[ \t]+[a-z'’\-]+){0,2})[ \t]+"
    r"(?:primary|academy|high|infants|infant|juniors|junior|nursery|college|school|surgery|"
    r"medical[ \t]+(?:centre|center|practice|group)|health[ \t]+centre|family[ \t]+practice|"
    r"day[ \t]+nursery|tots|c[ \t]+of[ \t]+e|rc|catholic[ \t]+primary|pre[ \-]?school))(?!\w)"
    r"|(?<!\w)(?P<saint>(?:st|saint)\.?[ \t]+[a-z\-]+['’]s?)(?!\w)",
    re.IGNORECASE,
)
_GENERIC_INSTITUTION_WORDS = frozenset(
    """the a an this that same new old his her their our my your its local nearest next previous
    current former other another different primary secondary junior infant high special free state
    grammar boarding independent private mainstream feeder village community catholic church faith
    city inner rural big small main new whole at to from in on for with of by and or but so as
    was is were are be been which where who every each all any no one two three her his
    medical health family day pre gp gps our sibling's brother's sister's
    nursery school college academy surgery practice after before out into through across
    about told virtual""".split()
)
_CHILD_DETAIL = re.compile(
    r"(?<!\w)(?:[0-9]{1,2}[ \t\-]?(?:yo|y/o|yrs?|years?|months?|mths?|weeks?|wks?)(?:[ \t\-]+old)?"
    r"|y[ \t]?[0-9]{1,2}|yr[ \t]?[0-9]{1,2}|year[ \t]+[0-9]{1,2}|reception|nursery class|aged?[ \t]+[0-9]{1,2}"
    r"|baby|toddler|infant|newborn|son|daughter|boy|girl|lad|pupil|child|twins|kids|children|little[ \t]+ones?"
    r"|he|she|him|his|her|mum|dad|mother|father|mummy|daddy)(?!\w)"
    r"|,[ \t]*[0-9]{1,2}[ \t]*,|\([ \t]*[0-9]{1,2}[ \t]*\)",
    re.IGNORECASE,
)


def schools_with_child(text: str, name_found: bool) -> Iterator[Finding]:
    """A school or GP surgery named alongside a child's age, year group or first name."""
    if not (name_found or _CHILD_DETAIL.search(text)):
        return
    for match in _INSTITUTION.finditer(text):
        span = match.span("saint") if match.group("saint") else _own_name(text, match)
        if span is None:
            continue
        named = text[span[0] : span[1]]
        redaction = "[GP surgery]" if re.search(r"surgery|medical|health|practice", named, re.I) else "[school]"
        yield Finding("school_or_gp_with_child", *span, SCHOOL_MESSAGE, certain=False, redaction=redaction)


_WEAK_SUFFIXES = frozenset(
    {"school", "nursery", "college", "high", "tots", "pre-school", "preschool", "pre", "junior", "infant"}
)


def _own_name(text: str, match: re.Match[str]) -> tuple[int, int] | None:
    """The span of "Oakfield Primary" in "...at Oakfield Primary": the words before the suffix up
    to the first generic one ("the", "local", "secondary"); None when there are none."""
    words = list(re.finditer(r"[^ \t]+", match.group("name")))
    lowered = [w.group().lower() for w in words]
    suffix_at = _suffix_index(lowered)
    first = suffix_at
    while first > 0 and lowered[first - 1] not in _GENERIC_INSTITUTION_WORDS:
        first -= 1
    own = words[first:suffix_at]
    if not own:
        return None
    if lowered[suffix_at] in _WEAK_SUFFIXES:
        # "told school", "virtual school": a weak suffix needs a proper name before it.
        if not all(w.group()[0].isupper() or not _is_ordinary_word(w.group().lower()) for w in own):
            return None
    base = match.start("name")
    return base + own[0].start(), match.end("name")


_SUFFIX_WORDS = frozenset(
    """primary academy high infants infant juniors junior nursery college school surgery medical
    health family day tots c rc catholic pre preschool pre-school""".split()
)


def _suffix_index(words: list[str]) -> int:
    for index, word in enumerate(words):
        if word in _SUFFIX_WORDS and index > 0:
            return index
    return len(words)
