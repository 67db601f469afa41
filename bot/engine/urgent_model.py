"""A small learned reader of urgency: a logistic regression over word and character n-grams.

It is trained offline with scikit-learn (`python bench/train_urgent.py`, a dev dependency) on
messages written by people who never saw the detector, and shipped as `urgent_model.json`. Here
we only score with it, in plain Python: the same TF-IDF features scikit-learn computes (word
1-2-grams and in-word character 2-5-grams, sublinear term frequency, each block L2-normalised)
and the same logistic function, so the server needs neither scikit-learn nor SciPy
(about 165 MB). tests/engine/test_urgent_model.py checks the scores match scikit-learn's.
"""

from __future__ import annotations

import json
import math
import re
from array import array
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("urgent_model.json")
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern
_SPACES = re.compile(r"\s\s+")


@dataclass(frozen=True)
class FeatureBlock:
    """One TF-IDF vectoriser's vocabulary, with each term's column, IDF and model weight."""

    analyzer: str  # "word" or "char_wb"
    ngram_range: tuple[int, int]
    columns: dict[str, int]  # term -> its column in idf and weight
    idf: array[float]
    weight: array[float]

    def contribution(self, text: str) -> float:
        """This block's share of the model's score for already-prepared text."""
        counts = Counter(self.grams(text))
        weighted = 0.0
        norm = 0.0
        for term, count in counts.items():
            column = self.columns.get(term)
            if column is None:
                continue
            value = (1.0 + math.log(count)) * self.idf[column]
            norm += value * value
            weighted += value * self.weight[column]
        return weighted / math.sqrt(norm) if norm else 0.0

    def grams(self, text: str) -> list[str]:
        low, high = self.ngram_range
        if self.analyzer == "word":
            tokens = _TOKEN.findall(text)
            grams = list(tokens) if low == 1 else []
            for n in range(max(low, 2), high + 1):
                grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
            return grams
        grams = []
        for word in _SPACES.sub(" ", text).split():
            padded = f" {word} "
            for n in range(low, high + 1):
                grams += [padded[i : i + n] for i in range(max(1, len(padded) - n + 1))]
                if len(padded) <= n:  # a short word is counted once, as scikit-learn does
                    break
        return grams


@dataclass(frozen=True)
class UrgencyModel:
    """Scores a message from 0 (plainly not urgent) to 1 (reads as a child at risk now)."""

    blocks: tuple[FeatureBlock, ...]
    intercept: float
    threshold: float
    trained_on: str  # a digest of the training messages, so a stale model is noticed

    def score(self, prepared_text: str) -> float:
        z = self.intercept + sum(block.contribution(prepared_text) for block in self.blocks)
        return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0

    @classmethod
    def from_json(cls, data: dict) -> UrgencyModel:
        blocks = tuple(
            FeatureBlock(
                analyzer=b["analyzer"],
                ngram_range=(b["ngram_range"][0], b["ngram_range"][1]),
                columns={term: column for column, term in enumerate(b["terms"])},
                idf=array("d", b["idf"]),
                weight=array("d", b["weight"]),
            )
            for b in data["blocks"]
        )
        return cls(blocks, float(data["intercept"]), float(data["threshold"]), str(data["trained_on"]))


@lru_cache(maxsize=1)
def shipped_model() -> UrgencyModel:
    """The model that ships with scrbot, read once."""
    return UrgencyModel.from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
