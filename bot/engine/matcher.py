"""Which theme does a question land on? Weighted term matching over each theme's names,
practitioner signals and text, with typo correction and practitioner concepts.

Three pieces of evidence are combined per theme:
- name: a title or alias appears in the question (exactly, or with a typo);
- signal: the question closely overlaps one of the theme's plain-language signals;
- text: BM25F over the theme's fields, names and signals weighted above body text.

Their sum is then scaled by coverage: how much of the question (weighted by how telling each
word is) the theme's content explains at all. A theme that matches one word of a long question
is weak evidence; a question most of whose words no theme uses is probably not for us.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.content import Catalogue, Theme
from bot.engine.text import STOPWORDS, concept_spans, normalise, stem, terms, words

# BM25F: names and signals say more about a theme than its body text or its stories.
FIELD_WEIGHTS = {"names": 3.0, "signals": 1.5, "body": 1.0, "stories": 0.5}
K1, B = 1.2, 0.75
# How much each kind of evidence counts, and the score below which we say "I don't know".
NAME_WEIGHT, SIGNAL_WEIGHT, TEXT_WEIGHT = 0.5, 0.45, 0.8
# A name that is a small part of a long question counts for less (see `_name_evidence`).
NAME_BASE = 0.3
# Coverage scales the evidence: score *= COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * coverage.
COVERAGE_FLOOR = 0.0
# A word explained only through a practitioner concept (not the word itself) counts this much.
CONCEPT_COVERAGE = 0.8
ANSWER_THRESHOLD = 0.20
SUGGEST_THRESHOLD = 0.12
MIN_TYPO_LENGTH = 5


@dataclass(frozen=True)
class Ranked:
    theme: Theme
    score: float


@dataclass
class _ThemeIndex:
    theme: Theme
    names: list[tuple[str, ...]]
    field_tf: dict[str, Counter[str]]
    field_len: dict[str, int]
    signals: list[Counter[str]]
    vocabulary: frozenset[str]


@dataclass(frozen=True)
class _Query:
    tokens: list[str]
    terms: Counter[str]
    # One entry per content word: its stem, the concepts covering it, and how telling it is.
    units: list[tuple[str, tuple[str, ...], float]]
    mass: float
    unit_mass: float


class Matcher:
    """Built once per catalogue; `rank` is pure and fast (no I/O)."""

    def __init__(self, catalogue: Catalogue):
        self.themes = list(catalogue)
        self._vocabulary: set[str] = set()
        self._index = [self._index_theme(t) for t in self.themes]
        self._idf = self._inverse_document_frequency()
        self._avg_len = {
            f: sum(i.field_len[f] for i in self._index) / max(1, len(self._index)) for f in FIELD_WEIGHTS
        }
        self._known_words = sorted(w for w in self._vocabulary if len(w) >= MIN_TYPO_LENGTH - 1)
        self._known_set = frozenset(self._vocabulary)
        self._known_stems = frozenset(stem(w) for w in self._vocabulary)
        self._words_by_initial: dict[str, list[str]] = {}
        for word in self._known_words:
            self._words_by_initial.setdefault(word[0], []).append(word)
        self._unit_idf = self._sentence_idf()
        self._unknown_unit_idf = max(self._unit_idf.values(), default=1.0)
        self._signal_mass = [
            [sum(self._unit_idf.get(term, 0.0) for term in sig) for sig in idx.signals] for idx in self._index
        ]

    def _index_theme(self, theme: Theme) -> _ThemeIndex:
        name_texts = [theme.title, *theme.aliases]
        body_texts = [theme.summary, *theme.looks_like, *theme.practice, *theme.key_points, *theme.questions]
        story_texts = [theme.prompt, theme.scenario, theme.quiz.scenario, theme.quiz.explanation]
        for text in (*name_texts, *theme.signals, *body_texts):
            self._vocabulary.update(words(normalise(text)))
        field_terms = {
            "names": [t for text in name_texts for t in terms(text)],
            "signals": [t for text in theme.signals for t in terms(text)],
            "body": [t for text in body_texts for t in terms(text)],
            "stories": [t for text in story_texts for t in terms(text)],
        }
        vocabulary = frozenset(t for f, ts in field_terms.items() if f != "stories" for t in ts)
        return _ThemeIndex(
            theme=theme,
            names=[tuple(words(normalise(n))) for n in name_texts],
            field_tf={f: Counter(ts) for f, ts in field_terms.items()},
            field_len={f: len(ts) for f, ts in field_terms.items()},
            signals=[Counter(terms(s)) for s in theme.signals],
            vocabulary=vocabulary,
        )

    def _inverse_document_frequency(self) -> dict[str, float]:
        df: Counter[str] = Counter()
        for idx in self._index:
            seen = set()
            for tf in idx.field_tf.values():
                seen.update(tf)
            df.update(seen)
        n = len(self._index)
        return {term: math.log(1 + (n - d + 0.5) / (d + 0.5)) for term, d in df.items()}

    def _sentence_idf(self) -> dict[str, float]:
        """Specificity of a term among every sentence of the catalogue: "new" or "work" appear
        in many sentences and say little; "spotless" or "genogram" say a lot."""
        units = [sig for idx in self._index for sig in idx.signals]
        units += [Counter(terms(text)) for theme in self.themes for text in _sentences(theme)]
        df: Counter[str] = Counter()
        for unit in units:
            df.update(unit.keys())
        n = len(units)
        return {term: math.log(n / d) for term, d in df.items()}

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
        allowed = 1 if len(word) < 8 else 2
        best = process.extractOne(word, candidates, scorer=OSA.distance, score_cutoff=allowed)
        return best[0] if best else word

    def _query(self, question: str) -> _Query:
        tokens = [self._correct(w) for w in words(normalise(question))]
        query = Counter(terms(" ".join(tokens)))
        spans = concept_spans(tokens)
        units = []
        for i, token in enumerate(tokens):
            if token in STOPWORDS or (len(token) < 2 and not token.isdigit()):
                continue
            s = stem(token)
            units.append((s, spans[i], self._unit_idf.get(s, self._unknown_unit_idf)))
        return _Query(
            tokens=tokens,
            terms=query,
            units=units,
            mass=sum(self._idf.get(t, _UNKNOWN_IDF) for t in query),
            unit_mass=sum(self._unit_idf.get(t, self._unknown_unit_idf) for t in query),
        )

    def rank(self, question: str) -> list[Ranked]:
        """All themes, best first, with a score between 0 and about 1."""
        q = self._query(question)
        if not q.terms:
            return [Ranked(t, 0.0) for t in self.themes]
        ranked = []
        for i, idx in enumerate(self._index):
            name = self._name_evidence(idx, q.tokens)
            signal = self._signal_evidence(i, q.terms, q.unit_mass)
            text = self._text_evidence(idx, q.terms, q.mass)
            evidence = NAME_WEIGHT * name + SIGNAL_WEIGHT * signal + TEXT_WEIGHT * text
            coverage = self._coverage(idx, q)
            score = evidence * (COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * coverage)
            ranked.append(Ranked(idx.theme, round(score, 4)))
        ranked.sort(key=lambda r: r.score, reverse=True)
        return ranked

    @staticmethod
    def _coverage(idx: _ThemeIndex, q: _Query) -> float:
        """Share of the question's telling words that this theme's content uses."""
        total = explained = 0.0
        for term, spans, weight in q.units:
            total += weight
            if term in idx.vocabulary:
                explained += weight
            elif any(c in idx.vocabulary for c in spans):
                explained += CONCEPT_COVERAGE * weight
        return explained / total if total else 0.0

    @staticmethod
    def _name_evidence(idx: _ThemeIndex, tokens: list[str]) -> float:
        """How clearly the question names this theme: 1 when a name is all it says, less when a
        name is one small part of a longer question."""
        best = 0.0
        joined = " ".join(tokens)
        content = max(1, sum(1 for t in tokens if t not in STOPWORDS))
        for name in idx.names:
            if not name:
                continue
            phrase = " ".join(name)
            if re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", joined):
                similarity = 1.0
            elif len(phrase) >= 8:
                similarity = fuzz.partial_ratio(phrase, joined) / 100
                if similarity < 0.88:
                    continue
            else:
                continue
            share = min(1.0, sum(1 for t in name if t not in STOPWORDS) / content)
            best = max(best, similarity * (NAME_BASE + (1 - NAME_BASE) * share))
        return best

    def _signal_evidence(self, i: int, query: Counter[str], query_mass: float) -> float:
        best = 0.0
        for signal, mass in zip(self._index[i].signals, self._signal_mass[i], strict=True):
            common = [t for t in signal if t in query]
            if common:
                shared = sum(self._unit_idf.get(t, 0.0) for t in common)
                # One word in common is weak evidence however rare the word is.
                damping = 1.0 if len(common) >= 2 else 0.5
                best = max(best, damping * 2 * shared / (mass + query_mass))
        return best

    def _text_evidence(self, idx: _ThemeIndex, query: Counter[str], query_mass: float) -> float:
        total = 0.0
        for field, weight in FIELD_WEIGHTS.items():
            tf = idx.field_tf[field]
            norm = K1 * (1 - B + B * idx.field_len[field] / max(1.0, self._avg_len[field]))
            for term in query:
                f = tf.get(term)
                if f:
                    total += weight * self._idf[term] * f * (K1 + 1) / (f + norm)
        # Scale so that a question whose every term is well represented scores about 1.
        return min(1.0, total / (sum(FIELD_WEIGHTS.values()) * (K1 + 1) * max(query_mass, 1e-9)) * 1.6)


# Weight of a question word that no theme uses: it dilutes the match, as it should.
_UNKNOWN_IDF = 2.0


def _sentences(theme: Theme) -> list[str]:
    return [theme.title, *theme.aliases, theme.summary, *theme.looks_like, *theme.practice, *theme.questions]
