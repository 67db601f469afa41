"""Train the urgency model (bot/engine/urgent_model.json) on the development messages only.

Usage: python bench/train_urgent.py [--check | --long]   (needs the dev extra: scikit-learn)

Training data, every part written by people who never saw the detector:
- tests/data/urgent/dev_*.yaml: urgent messages and hard negatives;
- tests/data/urgent/ordinary*.yaml: everyday theme questions and situations, none urgent;
- tests/data/urgent/signals_labelled.yaml: the themes' own situation signals, each labelled urgent or
  not by a helper who never saw the detector;
- tests/data/questions.yaml: the engine's development questions (urgent, not urgent, themed, off-topic).
tests/data/urgent/candidate_dev_l.yaml (300: a danger already dealt with, or told like one and not) is
NOT read: trained on in stop 23, it lowered the threshold to 0.176 and raised the cross-validated
false alarms on the development hard negatives from 5.1% to 6.4% and on the everyday questions from
2.6% to 3.4%, at the same 99% recall; kept for the next try (a model that can use it).
The held-out parts (tests/data/urgent/holdout.yaml, tests/data/questions_holdout.yaml) are never
read here. The threshold is the highest that keeps five-fold cross-validated recall on the
development urgent messages at or above TARGET_RECALL. Prints the cross-validated figures.
--check exits 1 if the shipped model was trained on different messages than these.
--long prints, without writing the model, how the whole detector reads the long development messages
(those it also reads a few sentences at a time) with every part scored by the fold that did not train on it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine.urgent import prepare, reading  # noqa: E402
from bot.engine.urgent_model import MODEL_PATH  # noqa: E402

DATA = ROOT / "tests" / "data"
TARGET_RECALL = 0.99
C = 10.0
URGENT_CLASS_WEIGHT = 1.5
PART_WEIGHTS = {"offtopic": 0.3}
BLOCKS = (
    {"analyzer": "word", "ngram_range": (1, 2), "min_df": 2},
    {"analyzer": "char_wb", "ngram_range": (2, 5), "min_df": 2},
)


def training_messages() -> tuple[list[str], list[int], list[str]]:
    """(texts, labels, part of each): every development message, labelled 1 if urgent."""
    texts: list[str] = []
    labels: list[int] = []
    parts: list[str] = []

    def add(items: list[str], label: int, part: str) -> None:
        texts.extend(items)
        labels.extend([label] * len(items))
        parts.extend([part] * len(items))

    for path in sorted((DATA / "urgent").glob("dev_*.yaml")):
        for item in yaml.safe_load(path.read_text()):
            add([item["text"]], int(bool(item["urgent"])), "dev")
    for path in sorted((DATA / "urgent").glob("signals_labelled*.yaml")):
        for item in yaml.safe_load(path.read_text()):
            add([item["text"]], int(bool(item["urgent"])), "signals")
    for path in sorted((DATA / "urgent").glob("ordinary*.yaml")):
        part = "offtopic" if "offtopic" in path.name else "ordinary"
        add([item["text"] for item in yaml.safe_load(path.read_text())], 0, part)
    questions = yaml.safe_load((DATA / "questions.yaml").read_text())
    add(list(questions["urgent"]), 1, "questions")
    add(list(questions["not_urgent"]), 0, "questions")
    add([item["q"] for item in questions["themed"]] + list(questions["offtopic"]), 0, "ordinary")
    return texts, labels, parts


def digest(texts: list[str], labels: list[int]) -> str:
    h = hashlib.sha256()
    for text, label in zip(texts, labels, strict=True):
        h.update(f"{label}\t{text}\n".encode())
    return h.hexdigest()[:16]


def fit(texts: list[str], labels: list[int], weights: list[float] | None = None):
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    prepared = [prepare(t) for t in texts]
    vectorisers = [
        TfidfVectorizer(analyzer=b["analyzer"], ngram_range=b["ngram_range"], min_df=b["min_df"], sublinear_tf=True)
        for b in BLOCKS
    ]
    matrix = hstack([v.fit_transform(prepared) for v in vectorisers]).tocsr()
    model = LogisticRegression(C=C, max_iter=5000, class_weight={0: 1.0, 1: URGENT_CLASS_WEIGHT})
    model.fit(matrix, labels, sample_weight=weights)

    def predict(new_texts: list[str]):
        new = [prepare(t) for t in new_texts]
        return model.predict_proba(hstack([v.transform(new) for v in vectorisers]).tocsr())[:, 1]

    return vectorisers, model, predict


def part_weights(parts: list[str]) -> list[float]:
    """How much each message counts in training: off-topic chatter is plentiful and easy, so it
    counts for less than the messages that sit near the line."""
    return [PART_WEIGHTS.get(p, 1.0) for p in parts]


def cross_validated_scores(texts: list[str], labels: list[int], parts: list[str]) -> list[float]:
    from sklearn.model_selection import StratifiedKFold

    scores = [0.0] * len(texts)
    weights = part_weights(parts)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    for train, test in folds.split(texts, labels):
        _, _, predict = fit([texts[i] for i in train], [labels[i] for i in train], [weights[i] for i in train])
        for i, s in zip(test, predict([texts[i] for i in test]), strict=True):
            scores[i] = float(s)
    return scores


def choose_threshold(scores: list[float], labels: list[int], parts: list[str]) -> float:
    urgent = sorted(s for s, y, p in zip(scores, labels, parts, strict=True) if y and p == "dev")
    allowed_misses = int(len(urgent) * (1 - TARGET_RECALL))
    return round(urgent[allowed_misses] - 1e-6, 6) if urgent else 0.5


def export(vectorisers, model, threshold: float, trained_on: str) -> dict:
    weights = model.coef_[0]
    blocks, offset = [], 0
    for spec, v in zip(BLOCKS, vectorisers, strict=True):
        terms = sorted(v.vocabulary_.items())
        blocks.append(
            {
                "analyzer": spec["analyzer"],
                "ngram_range": list(spec["ngram_range"]),
                "terms": [term for term, _ in terms],
                "idf": [round(float(v.idf_[column]), 6) for _, column in terms],
                "weight": [round(float(weights[offset + column]), 6) for _, column in terms],
            }
        )
        offset += len(v.vocabulary_)
    return {
        "about": "scrbot urgency model; regenerate with: python bench/train_urgent.py",
        "trained_on": trained_on,
        "threshold": threshold,
        "intercept": round(float(model.intercept_[0]), 6),
        "blocks": blocks,
    }


class FoldModel:
    """One fold's model, scoring as bot.engine.urgent_model.UrgencyModel does (text already prepared)."""

    def __init__(self, predict, threshold: float) -> None:
        self.predict, self.threshold = predict, threshold

    def score(self, prepared_text: str) -> float:
        return float(self.predict([prepared_text])[0])


def long_message_figures(texts: list[str], labels: list[int], parts: list[str]) -> None:
    """Cross-validated figures for the long development messages, read whole and run by run as
    bot.engine.urgent.assess reads them: each message and its runs scored by a model that never saw it."""
    from sklearn.model_selection import StratifiedKFold

    from bot.engine.urgent import assess, passages

    weights = part_weights(parts)
    whole_scores = cross_validated_scores(texts, labels, parts)
    threshold = choose_threshold(whole_scores, labels, parts)
    caught = missed = flagged = calm = 0
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    for train, test in folds.split(texts, labels):
        long_ones = [i for i in test if parts[i] == "dev" and len(passages(prepare(texts[i]))) > 1]
        if not long_ones:
            continue
        _, _, predict = fit([texts[i] for i in train], [labels[i] for i in train], [weights[i] for i in train])

        model = FoldModel(predict, threshold)
        for i in long_ones:
            urgent = assess(texts[i], model).urgent  # type: ignore[arg-type]  # scores as UrgencyModel does
            if labels[i]:
                caught += urgent
                missed += not urgent
            else:
                flagged += urgent
                calm += not urgent
    print(
        f"long development messages, cross-validated: urgent {caught + missed}, caught {caught}; "
        f"others {flagged + calm}, flagged {flagged}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check the shipped model is up to date")
    parser.add_argument("--long", action="store_true", help="only print the cross-validated long-message figures")
    args = parser.parse_args()
    texts, labels, parts = training_messages()
    if args.long:
        long_message_figures(texts, labels, parts)
        return
    trained_on = digest(texts, labels)
    if args.check:
        shipped = json.loads(MODEL_PATH.read_text())["trained_on"]
        if shipped != trained_on:
            sys.exit(f"urgent_model.json was trained on {shipped}, the messages now give {trained_on}: retrain")
        print(f"urgent_model.json is up to date ({trained_on})")
        return

    scores = cross_validated_scores(texts, labels, parts)
    threshold = choose_threshold(scores, labels, parts)
    for part in ("dev", "signals", "questions", "ordinary", "offtopic"):
        pos = [s for s, y, p in zip(scores, labels, parts, strict=True) if p == part and y]
        neg = [s for s, y, p in zip(scores, labels, parts, strict=True) if p == part and not y]
        recall = sum(s >= threshold for s in pos) / len(pos) if pos else float("nan")
        false = sum(s >= threshold for s in neg) / len(neg) if neg else float("nan")
        print(
            f"cross-validated {part:<10} urgent {len(pos):>4} recall {recall:6.1%}   "
            f"others {len(neg):>4} flagged {false:6.1%}"
        )
    print("the whole detector (model, floor and brakes) on the same cross-validated scores:")
    for part in ("dev", "signals", "questions", "ordinary", "offtopic"):
        decided = [
            (reading(prepare(t), s, threshold).urgent, y)
            for t, s, y, p in zip(texts, scores, labels, parts, strict=True)
            if p == part
        ]
        pos = [d for d, y in decided if y]
        neg = [d for d, y in decided if not y]
        recall = sum(pos) / len(pos) if pos else float("nan")
        false = sum(neg) / len(neg) if neg else float("nan")
        print(
            f"  detector {part:<10} urgent {len(pos):>4} recall {recall:6.1%}   "
            f"others {len(neg):>4} flagged {false:6.1%}"
        )
    vectorisers, model, _ = fit(texts, labels, part_weights(parts))
    data = export(vectorisers, model, threshold, trained_on)
    MODEL_PATH.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    size = MODEL_PATH.stat().st_size
    print(
        f"threshold {threshold:.3f}; {sum(len(b['terms']) for b in data['blocks']):,} features; "
        f"{size / 1e6:.1f} MB -> {MODEL_PATH.relative_to(ROOT)}"
    )


if __name__ == "__main__":
    main()
