"""Which theme does a question land on? Weighted term matching over each theme's names,
practitioner signals and text, with typo correction and practitioner concepts.

Three pieces of evidence are combined per theme:
- name: a title or alias appears in the question (exactly, or with a typo);
- signal: the question closely overlaps one of the theme's plain-language signals;
- text: BM25F over the theme's fields, names and signals weighted above body text.

Their sum is then scaled by coverage: how much of the question, word by word and weighted by
how telling each word is, the theme's content explains at all (directly or through a
practitioner concept). A theme that matches one word of a long question is weak evidence, and
a question most of whose words no theme explains ("how do I book a meeting room on Teams") is
probably not for us, so its every score drops below ANSWER_THRESHOLD.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.content import Catalogue, Theme
from bot.engine.text import STOPWORDS, concept_spans, normalise, off_topic_positions, stem, terms, words

# BM25F: names and signals say more about a theme than its body text or its stories.
FIELD_WEIGHTS = {"names": 3.0, "signals": 1.5, "body": 1.0, "stories": 0.5}
K1, B = 1.2, 0.75
# How much each kind of evidence counts.
NAME_WEIGHT, SIGNAL_WEIGHT, TEXT_WEIGHT = 0.5, 0.8, 0.8
# A name counts fully when it is the whole question, and NAME_BASE when it is a tiny part of it.
NAME_BASE = 0.15
# Sharpening: a close paraphrase of one signal should count for much more than a loose one.
SIGNAL_POWER = 1.5
# How hard coverage bites. Ranking uses each theme's own coverage; the whole score is also scaled
# by how much of the question the best-covering theme explains, which is what turns away
# off-topic questions without reordering the themes:
#     score = evidence * coverage ** COVERAGE_POWER * best_coverage ** QUESTION_COVERAGE_POWER
COVERAGE_POWER = 0.5
QUESTION_COVERAGE_POWER = 1.0
# A question without a theme's name, a practitioner concept or two known words is too thin to
# answer with confidence: its scores are scaled by this (it may still get suggestions).
THIN_QUESTION = 0.1
# The score below which we say "I don't know", and the one above which a theme is suggested.
ANSWER_THRESHOLD = 0.12
SUGGEST_THRESHOLD = 0.07
# Shorter words are never treated as typos; a multi-word name this similar (0-100) to a run of
# the question's words counts as named ("toxic tiro").
MIN_TYPO_LENGTH = 5
FUZZY_NAME_CUTOFF = 88
# Weight of a question word that no theme uses: it dilutes the match, as it should.
_UNKNOWN_IDF = 2.0


@dataclass(frozen=True)
class Ranked:
    """One theme and how well it answers the question (0 to about 1; see ANSWER_THRESHOLD)."""

    theme: Theme
    score: float


@dataclass(frozen=True)
class _Name:
    theme: int
    phrase: str
    size: int  # content words in the name


@dataclass(frozen=True)
class _Query:
    tokens: list[str]
    terms: tuple[str, ...]  # distinct, sorted: sums come out the same in every process
    # One entry per content word: its stem, the concepts covering it, and how telling it is.
    units: list[tuple[str, tuple[str, ...], float]]
    content_words: int
    mass: float
    unit_mass: float


class Matcher:
    """Built once per catalogue; `rank` is pure and fast (no I/O)."""

    def __init__(self, catalogue: Catalogue):
        self.themes = list(catalogue)
        fields = [_fields(t) for t in self.themes]
        field_terms = [
            {f: [term for text in texts for term in terms(text)] for f, texts in fs.items()} for fs in fields
        ]
        self._idf = _theme_idf(field_terms)
        self._unit_idf = _sentence_idf(self.themes)
        self._unknown_unit_idf = max(self._unit_idf.values(), default=1.0)
        self._text_weights = self._bm25f(field_terms)
        self._signals = self._signal_index()
        self._names = [
            _Name(i, " ".join(ws), sum(1 for w in ws if w not in STOPWORDS))
            for i, t in enumerate(self.themes)
            for ws in (words(normalise(n)) for n in (t.title, *t.aliases))
            if ws
        ]
        self._names_by_phrase: dict[str, list[_Name]] = defaultdict(list)
        for name in self._names:
            self._names_by_phrase[name.phrase].append(name)
        self._longest_name = max((len(n.phrase.split()) for n in self._names), default=1)
        self._fuzzy_names: dict[int, list[_Name]] = defaultdict(list)
        for name in self._names:
            # One-word names rely on the word-level typo correction instead: "escalating" is a
            # different word from "escalation", not a typo of it.
            if len(name.phrase) >= 8 and " " in name.phrase:
                self._fuzzy_names[len(name.phrase.split())].append(name)
        # Which themes use each term anywhere but their stories (for coverage).
        self._used_by: dict[str, set[int]] = defaultdict(set)
        for i, ft in enumerate(field_terms):
            for f, ts in ft.items():
                if f != "stories":
                    for term in ts:
                        self._used_by[term].add(i)
        vocabulary = {w for t in self.themes for text in _sentences(t) for w in words(normalise(text))}
        self._known_set = frozenset(vocabulary)
        self._known_stems = frozenset(stem(w) for w in vocabulary)
        self._words_by_initial: dict[str, list[str]] = defaultdict(list)
        for word in sorted(w for w in vocabulary if len(w) >= MIN_TYPO_LENGTH - 1):
            self._words_by_initial[word[0]].append(word)

    # --- building -------------------------------------------------------------------------

    def _bm25f(self, field_terms: list[dict[str, list[str]]]) -> dict[str, dict[int, float]]:
        """term -> {theme: BM25F weight}, summed over fields, computed once."""
        n = max(1, len(field_terms))
        avg_len = {f: sum(len(ft[f]) for ft in field_terms) / n for f in FIELD_WEIGHTS}
        weights: dict[str, dict[int, float]] = defaultdict(dict)
        for i, ft in enumerate(field_terms):
            for field, field_weight in FIELD_WEIGHTS.items():
                tf = Counter(ft[field])
                norm = K1 * (1 - B + B * len(ft[field]) / max(1.0, avg_len[field]))
                for term, f in tf.items():
                    w = field_weight * self._idf[term] * f * (K1 + 1) / (f + norm)
                    weights[term][i] = weights[term].get(i, 0.0) + w
        return weights

    def _signal_index(self) -> dict[str, list[int]]:
        """term -> the signals (numbered across the catalogue) that use it."""
        self._signal_theme: list[int] = []
        self._signal_mass: list[float] = []
        index: dict[str, list[int]] = defaultdict(list)
        for i, theme in enumerate(self.themes):
            for text in theme.signals:
                k = len(self._signal_theme)
                signal = set(terms(text))
                self._signal_theme.append(i)
                self._signal_mass.append(sum(self._unit_idf.get(t, 0.0) for t in signal))
                for term in signal:
                    index[term].append(k)
        return index

    # --- reading a question ---------------------------------------------------------------

    def _correct(self, word: str) -> str:
        """Replace an unknown word by the closest content word, if one is close enough."""
        if word in self._known_set or word in STOPWORDS or len(word) < MIN_TYPO_LENGTH or not word.isalpha():
            return word
        # Another form of a word we know ("shout" beside "shouting") is not a typo.
        if stem(word) in self._known_stems:
            return word
        # Typos rarely change the first letter; holding it fixed stops "miles" becoming "smiles".
        candidates = self._words_by_initial.get(word[0], ())
        # One slip (a swapped, missing, extra or wrong letter) in a short word, two in a long one.
        if len(word) >= 8:
            best = process.extractOne(word, candidates, scorer=OSA.distance, score_cutoff=2)
            return best[0] if best else word
        # In a short word a wrong letter is as likely to be another real word ("charge" is not
        # "change"), and in a five-letter word so is a missing one ("black" is not "back"): there
        # only a swapped letter, or in a six- or seven-letter word a missing or extra one, is a slip.
        for candidate, _, _ in process.extract(word, candidates, scorer=OSA.distance, score_cutoff=1, limit=None):
            if sorted(candidate) == sorted(word) or (len(word) > 5 and len(candidate) != len(word)):
                return candidate
        return word

    def _split(self, word: str) -> list[str] | None:
        """An unknown word run together from two known ones ("callouts", "childcare")."""
        if len(word) < 6 or word in self._known_set or not word.isalpha() or stem(word) in self._known_stems:
            return None
        for i in range(4, len(word) - 3):
            head, tail = word[:i], word[i:]
            if head in self._known_set and (tail in self._known_set or stem(tail) in self._known_stems):
                return [head, tail]
        return None

    def _read(self, question: str) -> tuple[list[str], set[int]]:
        """The question's words with typos corrected and run-together words split, and the
        positions of words inside an everyday phrase ("meeting room") that no theme explains."""
        raw = words(normalise(question))
        # Everyday phrases are found in the words as typed, before a correction could turn
        # "password" into "pass word".
        raw_off_topic = off_topic_positions(raw)
        tokens: list[str] = []
        off_topic: set[int] = set()
        for i, word in enumerate(raw):
            if i in raw_off_topic:
                off_topic.add(len(tokens))
                tokens.append(word)
            else:
                tokens.extend(self._split(word) or [self._correct(word)])
        return tokens, off_topic

    def _query(self, question: str) -> _Query:
        tokens, off_topic = self._read(question)
        spans = concept_spans(tokens)
        # Each distinct word is one piece of the question, however often it is repeated.
        units: dict[str, tuple[str, tuple[str, ...], float]] = {}
        for i, token in enumerate(tokens):
            if token in STOPWORDS or (len(token) < 2 and not token.isdigit()):
                continue
            if i in off_topic:
                units[f"#{token}"] = ("", (), self._unknown_unit_idf)
                continue
            s = stem(token)
            if s not in units or len(spans[i]) > len(units[s][1]):
                units[s] = (s, spans[i], self._unit_idf.get(s, self._unknown_unit_idf))
        query = tuple(sorted(set(terms(" ".join(tokens)))))
        return _Query(
            tokens=tokens,
            terms=query,
            units=list(units.values()),
            content_words=max(1, len({t for t in tokens if t not in STOPWORDS})),
            mass=sum(self._idf.get(t, _UNKNOWN_IDF) for t in query),
            unit_mass=sum(self._unit_idf.get(t, self._unknown_unit_idf) for t in query),
        )

    # --- scoring --------------------------------------------------------------------------

    def rank(self, question: str) -> list[Ranked]:
        """All themes, best first, with a score between 0 and about 1."""
        q = self._query(question)
        if not q.terms:
            return [Ranked(t, 0.0) for t in self.themes]
        name = self._name_evidence(q)
        signal = self._signal_evidence(q)
        text = self._text_evidence(q)
        coverage = self._coverage(q)
        explained = max(coverage, default=0.0) ** QUESTION_COVERAGE_POWER
        thin = 1.0 if max(name) > 0 or self._substantial(q) else THIN_QUESTION
        ranked = []
        for i, theme in enumerate(self.themes):
            evidence = NAME_WEIGHT * name[i] + SIGNAL_WEIGHT * signal[i] ** SIGNAL_POWER + TEXT_WEIGHT * text[i]
            ranked.append(Ranked(theme, round(evidence * coverage[i] ** COVERAGE_POWER * explained * thin, 4)))
        ranked.sort(key=lambda r: r.score, reverse=True)
        return ranked

    def _substantial(self, q: _Query) -> bool:
        """Enough of a question to answer without a theme's name in it: a word of practitioner
        vocabulary ("bruising?", "consensus"), or two or more words the catalogue uses. One
        ordinary word that happens to appear in a theme ("is this working", "the meaning of
        life") is not, nor are bare numbers ("12 times 14")."""
        known = 0
        for term, spans, _ in q.units:
            if spans:
                return True
            if term in self._used_by and not term.isdigit():
                known += 1
        return known >= 2

    def _name_evidence(self, q: _Query) -> list[float]:
        """How clearly the question names each theme: 1 when a name is all it says, less when a
        name is one small part of a longer question."""
        best = [0.0] * len(self.themes)

        def credit(name: _Name, similarity: float) -> None:
            share = min(1.0, name.size / q.content_words)
            best[name.theme] = max(best[name.theme], similarity * (NAME_BASE + (1 - NAME_BASE) * share))

        tokens = q.tokens
        exact = set()
        for length in range(1, min(self._longest_name, len(tokens)) + 1):
            for start in range(len(tokens) - length + 1):
                phrase = " ".join(tokens[start : start + length])
                for name in self._names_by_phrase.get(phrase, ()):
                    credit(name, 1.0)
                    exact.add(name.phrase)
        # A name with a slip the word-level correction missed ("toxic tiro"): compare it with each
        # run of as many question words, so a name never matches across word boundaries.
        # Only runs holding a word we do not know can hide a slip; the rest are other phrases.
        unknown = [t not in self._known_set for t in tokens]
        for length, names in self._fuzzy_names.items():
            windows = [
                " ".join(tokens[i : i + length])
                for i in range(len(tokens) - length + 1)
                if any(unknown[i : i + length])
            ]
            if not windows:
                continue
            for name in names:
                if name.phrase in exact:
                    continue
                hit = process.extractOne(name.phrase, windows, scorer=fuzz.ratio, score_cutoff=FUZZY_NAME_CUTOFF)
                if hit:
                    credit(name, hit[1] / 100)
        return best

    def _signal_evidence(self, q: _Query) -> list[float]:
        """Closeness of the question to each theme's nearest signal: the share of both texts'
        telling words that they have in common (an idf-weighted Dice coefficient)."""
        shared: dict[int, float] = defaultdict(float)
        count: Counter[int] = Counter()
        for term in q.terms:
            weight = self._unit_idf.get(term, 0.0)
            for k in self._signals.get(term, ()):
                shared[k] += weight
                count[k] += 1
        best = [0.0] * len(self.themes)
        for k, common in shared.items():
            # One word in common is weak evidence however rare the word is.
            damping = 1.0 if count[k] >= 2 else 0.5
            score = damping * 2 * common / (self._signal_mass[k] + q.unit_mass)
            i = self._signal_theme[k]
            best[i] = max(best[i], score)
        return best

    def _text_evidence(self, q: _Query) -> list[float]:
        """BM25F over each theme's fields, scaled so that a question whose every term is well
        represented scores about 1."""
        total = [0.0] * len(self.themes)
        for term in q.terms:
            for i, w in self._text_weights.get(term, {}).items():
                total[i] += w
        scale = 1.6 / (sum(FIELD_WEIGHTS.values()) * (K1 + 1) * max(q.mass, 1e-9))
        return [min(1.0, t * scale) for t in total]

    def _coverage(self, q: _Query) -> list[float]:
        """Share of the question's telling words that each theme's content uses, itself or
        through a practitioner concept ("mam" is explained by a theme that says "mother")."""
        explained = [0.0] * len(self.themes)
        total = 0.0
        for term, spans, weight in q.units:
            total += weight
            themes = set(self._used_by.get(term, ())) if term else set()
            for concept in spans:
                themes.update(self._used_by.get(concept, ()))
            for i in themes:
                explained[i] += weight
        return [e / total if total else 0.0 for e in explained]


def _fields(theme: Theme) -> dict[str, list[str]]:
    return {
        "names": [theme.title, *theme.aliases],
        "signals": list(theme.signals),
        "body": [theme.summary, *theme.looks_like, *theme.practice, *theme.key_points, *theme.questions],
        "stories": [theme.prompt, theme.scenario, theme.quiz.scenario, theme.quiz.explanation],
    }


def _theme_idf(field_terms: list[dict[str, list[str]]]) -> dict[str, float]:
    """Classic BM25 idf with a theme as the document."""
    df: Counter[str] = Counter()
    for ft in field_terms:
        df.update({term for ts in ft.values() for term in ts})
    n = len(field_terms)
    return {term: math.log(1 + (n - d + 0.5) / (d + 0.5)) for term, d in df.items()}


def _sentence_idf(themes: list[Theme]) -> dict[str, float]:
    """Specificity of a term among every sentence of the catalogue: "new" or "work" appear in
    many sentences and say little; "spotless" or "genogram" say a lot."""
    units = [set(terms(text)) for theme in themes for text in _sentences(theme)]
    df: Counter[str] = Counter()
    for unit in units:
        df.update(unit)
    n = len(units)
    return {term: math.log(n / d) for term, d in df.items()}


def _sentences(theme: Theme) -> list[str]:
    return [
        theme.title,
        *theme.aliases,
        *theme.signals,
        theme.summary,
        *theme.looks_like,
        *theme.practice,
        *theme.key_points,
        *theme.questions,
    ]
