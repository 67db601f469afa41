"""Does a message describe a child who may be at risk *now*? A pure, cautious rule set.

It errs towards flagging: a false alarm costs the reader one extra paragraph of signposting,
a miss could cost a child. Learning questions, hypotheticals and past cases are not flagged
unless they also carry a strong sign of present danger ("tonight", "just told me").
"""

from __future__ import annotations

import re

from bot.engine.text import normalise


def _alternation(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b")


# A sign that something is happening now or is about to.
STRONG_NOW = _alternation(
    r"right now", r"tonight", r"just (?:told|disclosed|said|showed|shown|admitted|turned up|arrived|rang|called|phoned)",
    r"has just", r"have just", r"(?:is|are) with me", r"in front of me", r"in my (?:office|room|class|classroom|car)",
    r"(?:scared|afraid|frightened|terrified|too scared|refus\w*|doesn'?t want|does not want|won'?t|will not|cannot|can'?t) (?:to )?go(?:ing)? (?:back )?home",
    r"not (?:safe|want) to go home", r"(?:is|are|has|have) (?:gone )?missing", r"hasn'?t (?:come|been) home",
    r"has not (?:come|been) home", r"(?:is|are) (?:bleeding|unconscious|not breathing|unresponsive)",
    r"(?:going|gonna) to (?:kill|hurt|harm|beat)", r"threaten\w* (?:to|with)", r"(?:is|are) (?:being|getting) (?:hit|hurt|beaten|abused|attacked)",
    r"(?:kill|hurt|harm) (?:herself|himself|themselves|myself) (?:tonight|today|now)",
    r"(?:home|house|flat) alone", r"left alone", r"on (?:his|her|their) own (?:at home|in the house|tonight)",
    r"waiting (?:outside|in the car|for (?:her|him|them))", r"picking (?:her|him|them) up", r"(?:collect|collecting) (?:her|him|them)",
    r"this (?:morning|afternoon|evening)", r"at the moment", r"as we speak", r"currently",
)
WEAK_NOW = _alternation(r"now", r"today", r"still", r"keeps", r"is (?:being|getting)", r"immediately", r"urgent\w*", r"emergency")

HARM = _alternation(
    r"hit\w*", r"hurt\w*", r"beat\w*", r"beaten", r"punch\w*", r"kick\w*", r"slap\w*", r"smack\w*", r"strangl\w*",
    r"chok\w*", r"abus\w*", r"touch\w*", r"rap\w*", r"sexual\w*", r"assault\w*", r"bruis\w*", r"injur\w*",
    r"bleed\w*", r"blood", r"burn\w*", r"fractur\w*", r"kill\w*", r"suicid\w*", r"self harm\w*", r"overdos\w*",
    r"cut\w*", r"ligature", r"missing", r"knife", r"knives", r"weapon\w*", r"gun", r"violen\w*", r"attack\w*",
    r"scared", r"afraid", r"frightened", r"terrified", r"threat\w*", r"danger\w*", r"unsafe", r"not safe",
    r"alone", r"drunk", r"intoxicated", r"high", r"unconscious", r"unresponsive", r"not breathing",
    r"locked", r"groom\w*", r"exploit\w*", r"older man", r"older men", r"unexplained", r"shaking", r"shaken",
)
CHILD = _alternation(
    r"child\w*", r"kid\w*", r"girl\w*", r"boy\w*", r"son", r"daughter", r"bab(?:y|ies)", r"infant", r"toddler",
    r"pupil\w*", r"student\w*", r"teen\w*", r"young (?:person|people|carer)", r"yp", r"\d{1,2} ?(?:year|yr|month|week)s? ?old",
    r"year \d{1,2}", r"she", r"he", r"her", r"him", r"they", r"sibling\w*", r"brother", r"sister", r"niece", r"nephew",
    r"grandchild\w*", r"i'?m (?:\d{1,2}|scared|frightened|afraid)", r"my (?:mum|dad|stepdad|stepmum)",
)
# Signs a message is a learning question, hypothetical or about the past.
NOT_NOW = _alternation(
    r"what (?:should|do|would|can) (?:i|we|you) do if", r"what if", r"if a (?:child|young person|baby|pupil)",
    r"how (?:do|should|would|can) (?:i|we|you)", r"hypothetical\w*", r"scenario", r"case study", r"training",
    r"in the review", r"the review", r"reviews", r"last (?:year|month)", r"years ago", r"in (?:19|20)\d\d",
    r"in the past", r"historic\w*", r"used to", r"policy", r"procedure\w*", r"learning", r"example",
    r"quiz", r"course", r"what does .* mean", r"what is", r"what are",
)


def is_urgent(text: str) -> bool:
    """True when the message reads as a child at risk now (or imminently)."""
    norm = normalise(text)
    if not (HARM.search(norm) and CHILD.search(norm)):
        return False
    if STRONG_NOW.search(norm):
        return True
    return bool(WEAK_NOW.search(norm)) and not NOT_NOW.search(norm)
