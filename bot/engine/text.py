"""Turning free text into matchable terms: normalise, tokenise, stem, add concepts."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

from bot.engine.lexicon import CONCEPTS, OFF_TOPIC

# Matching only ever looks at the start of a message: a 40,000-character paste costs the same
# as a paragraph, and the question is nearly always in the opening words.
MAX_MATCH_CHARS = 1200

STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are aren't as at be because been being
    below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't
    down during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's
    her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it
    it's its itself let's me more most mustn't my myself nor of off on once only or other ought our
    ours ourselves out over own same shan't she she'd she'll she's should shouldn't so some such
    than that that's the their theirs them themselves then there there's these they they'd they'll
    they're they've this those through to too under until up very was wasn't we we'd we'll we're we've
    were weren't what what's when when's where where's which while who who's whom why why's with
    won't would wouldn't you you'd you'll you're you've your yours yourself yourselves
    please tell explain mean means meaning define definition thing things stuff really just also
    get got getting know want need would like hi hello hey thanks thank ok okay im ive dont cant
    whats hows isnt doesnt didnt wasnt arent theyre youre one two bit lot lots still even
    go going keep keeps kept say says said way much many well make made us vs versus
    time times anything something everything
    """.split()
)

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_AGE = re.compile(r"\b(\d{1,2})\s*(?:-\s*)?(year|yr|month|week|day)s?\s*(?:-\s*)?olds?\b")
_SLACK_MARKUP = re.compile(r"<[@#!][^>]*>|<(https?://[^>|]*)(?:\|[^>]*)?>")

_stemmer = snowballstemmer.stemmer("english")


def normalise(text: str) -> str:
    """Lower-case, fold accents and odd punctuation, drop chat markup; keep only what matters."""
    text = text[:MAX_MATCH_CHARS]
    text = _SLACK_MARKUP.sub(" ", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"[-_/]", " ", text)
    return text


def words(text: str) -> list[str]:
    """The words of already-normalised text."""
    return _WORD.findall(text)


# Irregular forms the stemmer leaves apart: "saw" and "seen" should meet "see".
# fmt: off
IRREGULAR = {
    "saw": "see", "seen": "see", "told": "tell", "took": "take", "taken": "take", "went": "go",
    "gone": "go", "gave": "give", "given": "give", "knew": "know", "known": "know",
    "thought": "think", "felt": "feel", "made": "make", "left": "leave", "brought": "bring",
    "caught": "catch", "kept": "keep", "met": "meet", "ran": "run", "spoke": "speak",
    "spoken": "speak", "wrote": "write", "written": "write", "fell": "fall", "fallen": "fall",
    "hid": "hide", "hidden": "hide", "bought": "buy", "got": "get", "began": "begin",
    "begun": "begin", "did": "do", "done": "do", "children": "child", "men": "man",
    "women": "woman", "people": "person", "teeth": "tooth", "heard": "hear", "lost": "lose",
    "sent": "send", "stood": "stand", "understood": "understand", "shook": "shake",
    "shaken": "shake", "threw": "throw", "thrown": "throw", "broke": "break", "broken": "break",
    "slept": "sleep", "fed": "feed", "held": "hold", "sat": "sit", "found": "find",
    "drank": "drink", "drunk": "drink", "ate": "eat", "eaten": "eat", "beaten": "beat",
    "bitten": "bite", "bit": "bite", "stole": "steal", "stolen": "steal", "wore": "wear",
    "worn": "wear", "chose": "choose", "chosen": "choose", "forgot": "forget",
    "forgotten": "forget", "grew": "grow", "grown": "grow",
}
# fmt: on
# Small words a phrase of the lexicon may have or lack: "take her word" is "take their word".
# Object pronouns for the practitioner ("shouts at me", "avoids us") stay: they say who is targeted.
FILLERS = frozenset("a an the my his her their our your its this that these those them him it".split())


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The stem of one word, irregular forms first folded to their base ("saw" -> "see")."""
    word = word.replace("'", "")
    return _stemmer.stemWord(IRREGULAR.get(word, word))


def _phrase_key(tokens: list[str]) -> tuple[str, ...]:
    return tuple(stem(t) for t in tokens if t not in FILLERS)


def _phrase_table() -> tuple[dict[tuple[str, ...], tuple[str, ...]], int]:
    table: dict[tuple[str, ...], list[str]] = {}
    for concept, phrases in CONCEPTS.items():
        for phrase in phrases:
            key = _phrase_key(words(normalise(phrase)))
            if key and concept not in table.setdefault(key, []):
                table[key].append(concept)
    longest = max(len(k) for k in table)
    return {k: tuple(v) for k, v in table.items()}, longest


PHRASES, LONGEST_PHRASE = _phrase_table()
# Matched word for word, without stemming: "teams meeting" is the app, "team meeting" is not.
OFF_TOPIC_PHRASES = frozenset(tuple(words(normalise(p))) for p in OFF_TOPIC)
LONGEST_OFF_TOPIC = max(len(k) for k in OFF_TOPIC_PHRASES)


def age_concepts(text: str) -> list[str]:
    """'3 month old' -> ~baby; '15 year old' -> ~teen; '2 year old' -> ~child."""
    found: list[str] = []
    for number, unit in _AGE.findall(text):
        n = int(number)
        if unit in ("month", "week", "day") or (unit in ("year", "yr") and n == 0):
            found += ["~baby", "~child"]
        elif n >= 11:
            found += ["~teen", "~child"]
        else:
            found.append("~child")
    return found


def _phrase_hits(tokens: list[str]) -> list[tuple[int, int, tuple[str, ...]]]:
    """(first word, last word, concepts) for every lexicon phrase in a word sequence. Phrases
    match on stems, skipping small filler words, so "passing on" meets "pass on"."""
    positions = [i for i, t in enumerate(tokens) if t not in FILLERS]
    keys = [stem(tokens[i]) for i in positions]
    hits = []
    for i in range(len(keys)):
        for length in range(min(LONGEST_PHRASE, len(keys) - i), 0, -1):
            found = PHRASES.get(tuple(keys[i : i + length]))
            if found:
                hits.append((positions[i], positions[i + length - 1], found))
    return hits


def concept_spans(tokens: list[str]) -> list[tuple[str, ...]]:
    """For each word position, the concepts of every lexicon phrase that covers it."""
    spans: list[list[str]] = [[] for _ in tokens]
    for first, last, found in _phrase_hits(tokens):
        for j in range(first, last + 1):
            spans[j].extend(c for c in found if c not in spans[j])
    return [tuple(s) for s in spans]


def off_topic_positions(tokens: list[str]) -> set[int]:
    """Positions of words inside an everyday workplace or small-talk phrase ("meeting room")."""
    found: set[int] = set()
    for i in range(len(tokens)):
        for length in range(1, min(LONGEST_OFF_TOPIC, len(tokens) - i) + 1):
            if tuple(tokens[i : i + length]) in OFF_TOPIC_PHRASES:
                found.update(range(i, i + length))
    return found


def concepts(tokens: list[str]) -> list[str]:
    """Concept tokens for every phrase of the lexicon found in a word sequence."""
    return [c for _, _, found in _phrase_hits(tokens) for c in found]


def terms(text: str, correct=None) -> list[str]:
    """Stems of content words plus concept tokens; `correct` may fix unknown words (typos)."""
    norm = normalise(text)
    tokens = words(norm)
    if correct is not None:
        tokens = [correct(t) for t in tokens]
    out = [stem(t) for t in tokens if t not in STOPWORDS and (len(t) > 1 or t.isdigit())]
    out += concepts(tokens)
    out += age_concepts(" ".join(tokens))
    return out
