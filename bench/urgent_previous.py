# The urgent detector as it stood before issue 12, kept only as the baseline for bench/urgent.py.
"""Does a message describe a child who may be at risk *now*? A pure, cautious rule set.

It errs towards flagging: a false alarm costs the reader one extra paragraph of signposting,
a miss could cost a child. A child must be in the picture, and then any of these is urgent:

- acute danger, urgent on its own: tablets just taken, someone on a bridge, a threat to kill,
  a carer passed out, a child locked out or left alone, a girl about to be taken abroad to be
  cut, a child with an adult stranger right now;
- harm together with a time-bound sign that it is happening now or is about to ("tonight",
  "just told me", "I'm still in the house", "since yesterday", "20 minutes ago");
- harm in a situation that is dangerous while it lasts ("scared to go home", "home alone");
- harm with a weaker sign of the present ("now", "today").

Learning questions, hypotheticals and past cases ("what should I do if", "in the review",
"years ago") calm everything but the time-bound signs.
"""

from __future__ import annotations

import re

from bot.engine.text import normalise


def _alternation(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b")


# fmt: off

_OBJECT = r"(?:her|him|them|me|the (?:child|kids?|children|baby|girl|boy))"
_SELF_WORDS = r"herself|himself|themselves|themself|myself"
_SELF = r"(?:" + _SELF_WORDS + r")"
_SOME_WORDS = r"(?:[a-z']+ ){0,5}"
_TABLETS = r"(?:tablets|pills|paracetamol|meds|medication|overdose)"
_AMOUNT = r"(?:a (?:load|lot|bunch|handful|pile) of |loads of |lots of |some |all (?:her|his|their|my) |an? |\d+ )?"
_ADULT_STRANGER = r"(?:a|an|some) (?:\d+ ?(?:year|yr)s? ?old )?(?:older )?(?:man|men|adult|stranger|guy)"

# Danger that needs no other sign of "now" to be urgent.
ACUTE = _alternation(
    # an overdose that has just happened
    r"(?:taken|took|swallowed|had) " + _AMOUNT + _TABLETS,
    r"(?:has|have|'s|'ve|just) overdosed",
    # about to take their own life
    r"(?:standing|stood|sitting|sat|climbing) on (?:the|a|top of the) (?:bridge|ledge|roof|edge|railway|tracks|cliff)",
    r"on the (?:bridge|ledge|roof|railway line|tracks)",
    r"(?:going|gonna|about) to (?:jump|end it|end (?:her|his|their|my) life|kill " + _SELF + r")",
    r"(?:end|ending) it (?:tonight|today|now|later)",
    r"(?:kill|hurt|harm|hang) " + _SELF + r" (?:tonight|today|now|later)",
    # a threat to kill, or a weapon
    r"(?:going|gonna|threaten\w*|says? (?:he|she|they)(?:'ll| will| is going)|(?:he|she|they)(?:'ll| will)) (?:to )?"
    + _SOME_WORDS
    + r"(?:kill|stab|strangle|shoot|burn)\w*",
    r"(?:has|with|holding|waving|got) a (?:knife|weapon|gun|blade)",
    # the adult in charge cannot care for the child
    r"passed out",
    r"collapsed|unconscious|unresponsive|not breathing|not waking up",
    r"too (?:drunk|high|out of it) to",
    r"off (?:his|her|their) face",
    # a child locked out, left alone, lost or abandoned
    r"locked (?:" + _OBJECT + r" )?(?:out|in)",
    r"shut (?:" + _OBJECT + r" )?out",
    r"(?:left|home|been) (?:alone|on (?:his|her|their) own) (?:since|all|for|overnight|right now|at the moment)",
    r"(?:nobody|no one|no adult|no parent)(?: has)? (?:came|come|turned up) (?:to collect|to pick|for)",
    r"(?:mum|dad|parents?|carers?|nobody|no one) (?:hasn'?t|haven'?t|has not|have not) (?:been|come) (?:back|home)",
    r"(?:found|wandering|lost) (?:alone|on (?:his|her|their) own)",
    r"can'?t (?:find|locate|contact|reach|get hold of) (?:the |her |his |their )?(?:parents?|mum|dad|carers?)",
    # taken abroad to be cut or married
    r"(?:to be|to get|getting|get|be) cut (?:this|next|tomorrow|tonight|during|over|when|on|in|abroad|overseas|while)",
    r"(?:abroad|overseas|back home|on a plane|a flight) to (?:be|get) (?:cut|married|circumcised)",
    r"(?:taking|take|sending|send|flying|fly) (?:her|him|them) (?:abroad|overseas) (?:this|next|on|tomorrow|tonight)",
    r"(?:flying|taking|sending|fly|take|send) (?:her|him|them) to \w+ (?:[a-z']+ ){0,3}to (?:get|be) (?:married|cut)",
    r"(?:fgm|cutting|forced marriage) (?:this|next) (?:weekend|week|summer|holiday)",
    r"(?:being|been|be|is|are) forced (?:to marry|to get married|into (?:a )?marriage)",
    # with an adult stranger at this moment
    r"(?:is|are|'s) (?:with|meeting|going to meet|in a car with|getting into a car with) " + _ADULT_STRANGER,
    r"(?:is|are|'s) picking (?:her|him|them) up",
    r"messaging me from",
)

# A time-bound sign that something is happening now or is about to: urgent with any harm,
# even inside a question ("what do I do, she just told me...").
NOW = _alternation(
    r"right now", r"tonight", r"as we speak", r"at the moment", r"currently", r"last night",
    r"just (?:told|disclosed|said|showed|shown|admitted|turned up|arrived|rang|called|phoned|messaged|texted"
    r"|come|came)",
    r"(?:has|have|'s|'ve) just",
    r"(?:is|are) with me",
    r"in front of me",
    r"in my (?:office|room|class|classroom|car)",
    r"(?:i'?m|i am) (?:still )?(?:in|at|on) (?:the|a) (?:house|home|flat|visit|home visit|property)",
    r"(?:i'?m|i am) (?:with|sat with|sitting with) (?:the (?:family|child|baby|mum|dad)|her|him|them)",
    r"(?:i'?m|i am) on a home visit",
    r"still (?:in|at) the (?:house|flat|property|home|room)",
    r"on the phone (?:to|with) me",
    r"(?:messaging|texting|calling|ringing) me",
    r"(?:is|are) in (?:reception|the building|the car park|the foyer|the waiting room)",
    r"at (?:the )?(?:front desk|reception)",
    r"(?:he|she|they|dad|mum|he'?s|she'?s|they'?re) (?:is |are )?outside",
    r"(?:'s|is|are) outside (?:the|my|our)",
    r"this (?:morning|afternoon|evening|weekend)",
    r"since (?:yesterday|last night|this morning|\w+day|the weekend)",
    r"(?:an?|\d+) ?(?:mins?|minutes|hours?|hrs?) ago",
    r"for (?:hours|the last hour)",
    r"(?:is|are) leaving (?:the|with|now)",
    r"about to (?:leave|take|go|hurt|hit|drive|collect|pick)",
    r"(?:goes|go|going) home (?:at|to (?:him|her|them|dad|mum)|later)",
    r"has to go (?:back )?(?:home|there)",
    r"home time",
    r"after school today",
    r"(?:collecting|picking) (?:her|him|them) (?:up )?(?:at|after|from|later|tonight|today)",
    r"(?:no one|nobody|noone) (?:is )?answering",
    r"(?:isn'?t|aren'?t|not) answering",
)
# A situation that is dangerous while it lasts: urgent with harm unless the message is plainly a
# learning question, a hypothetical or a past case.
DANGEROUS_SITUATION = _alternation(
    r"(?:scared|afraid|frightened|terrified|too scared|refus\w*|doesn'?t want|does not want|won'?t|will not|cannot"
    r"|can'?t) (?:to )?go(?:ing)? (?:back )?home",
    r"not (?:safe|want) to go home",
    r"has to go home to",
    r"(?:is|are|has|have) (?:gone )?missing",
    r"hasn'?t (?:come|been) home",
    r"has not (?:come|been) home",
    r"(?:is|are) (?:bleeding|unconscious|not breathing|unresponsive)",
    r"(?:is|are) (?:being|getting) (?:hit|hurt|beaten|abused|attacked)",
    r"(?:home|house|flat) alone",
    r"left alone",
    r"on (?:his|her|their) own (?:at home|in the house|tonight|by)",
    r"waiting (?:outside|in the car|for (?:her|him|them))",
    r"picking (?:her|him|them) up",
    r"(?:collect|collecting) (?:her|him|them)",
    r"(?:there'?s|there is) a (?:little |young |small )?(?:girl|boy|child|kid|baby|toddler)",
    r"(?:driving|drove|drive) off",
)
WEAK_NOW = _alternation(
    r"now", r"today", r"is being", r"is getting", r"immediately", r"urgent\w*", r"emergency", r"help",
)

HARM = _alternation(
    r"hit\w*", r"hurt\w*", r"beat\w*", r"beaten", r"punch\w*", r"kick\w*", r"slap\w*", r"smack\w*", r"strangl\w*",
    r"chok\w*", r"abus\w*", r"touched", r"touch(?:es|ing)? (?:her|him|them|me)", r"rap(?:e|ed|ing|ist)",
    r"sexual\w*", r"assault\w*", r"bruis\w*", r"injur\w*", r"bleed\w*", r"blood", r"burn\w*", r"fractur\w*",
    r"kill\w*", r"suicid\w*", r"self harm\w*", r"overdos\w*",
    r"cut (?:her|him|them|" + _SELF_WORDS + r")",
    r"cutting (?:her|him|them|" + _SELF_WORDS + r")",
    r"cuts? (?:on|to|in) (?:her|his|their|my) (?:arms?|wrists?|legs?|thighs?)",
    r"(?:been|to be|get|getting) cut",
    r"ligature", r"missing", r"knife", r"knives", r"weapon\w*", r"gun", r"violen\w*", r"attack\w*",
    r"scared", r"afraid", r"frightened", r"terrified", r"threat\w*", r"danger\w*", r"unsafe", r"not safe",
    r"alone", r"drunk", r"intoxicated",
    r"(?:is|are|was|were|'s|seems|seemed|got|really|very|so) high(?! risk| school| level| need)",
    r"unconscious", r"unresponsive", r"not breathing", r"locked", r"groom\w*", r"exploit\w*", r"older man",
    r"older men", r"unexplained", r"shaking", r"shaken", r"swollen", r"swelling", r"crying", r"screaming",
    r"no explanation", r"fgm", r"met (?:online|on \w+)", r"on (?:his|her|their) own", r"wandering",
    r"(?:been )?drinking", r"(?:hasn'?t|has not|not) eaten", r"starv\w*", r"no food", r"forced (?:marriage|to marry)",
    r"pregnant by",
)
CHILD = _alternation(
    r"child\w*", r"kid\w*", r"girl\w*", r"boy\w*", r"son", r"daughter", r"bab(?:y|ies)", r"infant", r"toddler\w*",
    r"newborn\w*", r"little ones?", r"pupil\w*", r"student\w*", r"teen\w*", r"young (?:person|people|carer)", r"yp",
    r"\d{1,2} ?(?:year|yr|month|week)s? ?old", r"\d{1,2} ?yo", r"year \d{1,2}", r"(?:he|she|they)'?s \d{1,2}",
    r"she", r"he", r"her", r"him", r"they", r"sibling\w*", r"brother", r"sister", r"niece", r"nephew",
    r"grandchild\w*", r"i'?m (?:\d{1,2}|scared|frightened|afraid)", r"my (?:mum|dad|stepdad|stepmum)",
)
# Plain signs that a message is a learning question, a hypothetical or about the past.
LEARNING = _alternation(
    r"what (?:should|do|would|can) (?:i|we|you) do if", r"what if",
    r"if a (?:child|young person|baby|pupil|teenager)", r"hypothetical\w*", r"scenario", r"case study", r"training",
    r"reviews?", r"years ago", r"last (?:year|month)", r"in (?:19|20)\d\d", r"in the past", r"historic\w*",
    r"used to", r"what (?:is|are)", r"what do we know", r"research", r"legally", r"the law", r"signs of",
    r"warning signs",
    r"how (?:do|should|would|can) (?:i|we|you) (?:spot|recognise|tell|know|identify|assess|talk|support|respond)",
)
# Weaker signs of the same, enough to calm a message whose only sign of "now" is weak.
NOT_NOW = _alternation(
    r"what (?:should|do|would|can) (?:i|we|you) do if", r"what if",
    r"if a (?:child|young person|baby|pupil|teenager)", r"how (?:do|should|would|can) (?:i|we|you)",
    r"hypothetical\w*", r"scenario", r"case study", r"training", r"in the review", r"the review", r"reviews",
    r"last (?:year|month)", r"years ago", r"in (?:19|20)\d\d", r"in the past", r"historic\w*", r"used to",
    r"policy", r"procedure\w*", r"learning", r"example", r"quiz", r"course", r"what does .* mean", r"what is",
    r"what are", r"signs of", r"warning signs",
)

# fmt: on


def is_urgent(text: str) -> bool:
    """True when the message reads as a child at risk now (or imminently)."""
    norm = normalise(text)
    if not CHILD.search(norm):
        return False
    learning = bool(LEARNING.search(norm))
    if ACUTE.search(norm) and not learning:
        return True
    if not HARM.search(norm):
        return False
    if NOW.search(norm) or (DANGEROUS_SITUATION.search(norm) and not learning):
        return True
    return bool(WEAK_NOW.search(norm)) and not NOT_NOW.search(norm)
