"""Answer quality and speed on the labelled question sets, beside a plain BM25 baseline.

Usage: python bench/answers.py [--set tests/data/questions.yaml] [--errors]
Prints top-1 accuracy, off-topic rejection, urgent recall, false-urgent rate and latency.
The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import DEFAULT_CONTENT_DIR  # noqa: E402
from bot.content import Catalogue, load_catalogue  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.engine.matcher import ANSWER_THRESHOLD  # noqa: E402


class PlainBM25:
    """Okapi BM25 over each theme's full text, whitespace tokens, no stemming or synonyms."""

    def __init__(self, catalogue: Catalogue, k1: float = 1.5, b: float = 0.75):
        self.ids, docs = [], []
        for t in catalogue:
            text = " ".join([t.title, *t.aliases, *t.signals, t.summary, *t.looks_like, *t.practice, *t.questions])
            self.ids.append(t.id)
            docs.append(self.tokens(text))
        self.tf = [Counter(d) for d in docs]
        self.len = [len(d) for d in docs]
        self.avg = sum(self.len) / len(docs)
        df = Counter(term for d in docs for term in set(d))
        n = len(docs)
        self.idf = {term: math.log(1 + (n - f + 0.5) / (f + 0.5)) for term, f in df.items()}
        self.k1, self.b = k1, b

    @staticmethod
    def tokens(text: str) -> list[str]:
        return re.findall(r"[a-z0-9]+", text.lower())

    def rank(self, question: str) -> list[tuple[str, float]]:
        q = self.tokens(question)
        scores = []
        for i, tf in enumerate(self.tf):
            s = 0.0
            for term in q:
                f = tf.get(term, 0)
                if f:
                    s += self.idf[term] * f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * self.len[i] / self.avg))
            scores.append((self.ids[i], s))
        return sorted(scores, key=lambda x: -x[1])


def evaluate(data: dict, catalogue: Catalogue, show_errors: bool) -> dict:
    engine = Engine(catalogue)
    bm25 = PlainBM25(catalogue)
    themed = data.get("themed", [])
    offtopic = data.get("offtopic", [])
    urgent = data.get("urgent", [])
    not_urgent = data.get("not_urgent", [])

    correct = bm25_correct = 0
    errors = []
    for item in themed:
        got = engine.answer(item["q"]).as_json()["theme"]
        correct += got == item["theme"]
        if got != item["theme"]:
            errors.append((item["q"], item["theme"], got))
        bm25_correct += bm25.rank(item["q"])[0][0] == item["theme"]

    # The baseline needs a rejection rule too: pick the score threshold that best separates
    # themed from off-topic questions on this very set (generous to the baseline).
    themed_scores = [bm25.rank(i["q"])[0][1] for i in themed]
    off_scores = [bm25.rank(q)[0][1] for q in offtopic]
    best_cut, best_bal = 0.0, -1.0
    for cut in sorted(set(themed_scores + off_scores)):
        bal = sum(s >= cut for s in themed_scores) / len(themed_scores) + sum(s < cut for s in off_scores) / max(1, len(off_scores))
        if bal > best_bal:
            best_cut, best_bal = cut, bal
    bm25_off = sum(s < best_cut for s in off_scores) / max(1, len(off_scores))
    bm25_top1 = sum(
        1 for item, s in zip(themed, themed_scores, strict=True) if s >= best_cut and bm25.rank(item["q"])[0][0] == item["theme"]
    ) / max(1, len(themed))

    rejected = 0
    for q in offtopic:
        got = engine.answer(q).theme
        rejected += got is None
        if got is not None:
            errors.append((q, None, got.id))
    urgent_hits = 0
    for q in urgent:
        hit = engine.answer(q).urgent
        urgent_hits += hit
        if not hit:
            errors.append((q, "URGENT", "not urgent"))
    calm = [i["q"] for i in themed] + list(offtopic) + list(not_urgent)
    false_urgent = 0
    for q in calm:
        if engine.answer(q).urgent:
            false_urgent += 1
            errors.append((q, "not urgent", "URGENT"))

    latencies = []
    everything = [i["q"] for i in themed] + offtopic + urgent + not_urgent
    for _ in range(3):
        for q in everything:
            start = time.perf_counter()
            engine.answer(q)
            latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()

    if show_errors:
        for q, want, got in errors:
            print(f"  want={want!s:<28} got={got!s:<28} {q}")
    return {
        "questions": len(themed),
        "top1": round(correct / max(1, len(themed)), 4),
        "offtopic_rejection": round(rejected / max(1, len(offtopic)), 4),
        "urgent_recall": round(urgent_hits / max(1, len(urgent)), 4),
        "false_urgent": round(false_urgent / max(1, len(calm)), 4),
        "p50_ms": round(statistics.median(latencies), 3),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 3),
        "bm25_top1_no_rejection": round(bm25_correct / max(1, len(themed)), 4),
        "bm25_top1_with_best_cut": round(bm25_top1, 4),
        "bm25_offtopic_rejection": round(bm25_off, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", help="question set YAML (repeatable)")
    parser.add_argument("--content", default=str(DEFAULT_CONTENT_DIR))
    parser.add_argument("--errors", action="store_true", help="list every miss")
    args = parser.parse_args()
    sets = args.set or [str(ROOT / "tests/data/questions.yaml"), str(ROOT / "tests/data/questions_holdout.yaml")]
    catalogue = load_catalogue(args.content)
    results = {}
    for path in sets:
        name = Path(path).stem
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        result = evaluate(data, catalogue, args.errors)
        results[name] = result
        print(f"\n{name} ({result['questions']} themed questions, answer threshold {ANSWER_THRESHOLD})")
        print(f"  {'':28} {'scrbot':>8} {'BM25':>8}")
        print(f"  {'top-1 accuracy':28} {result['top1']:>8.1%} {result['bm25_top1_with_best_cut']:>8.1%}  (BM25 without rejection: {result['bm25_top1_no_rejection']:.1%})")
        print(f"  {'off-topic rejection':28} {result['offtopic_rejection']:>8.1%} {result['bm25_offtopic_rejection']:>8.1%}")
        print(f"  {'urgent recall':28} {result['urgent_recall']:>8.1%} {'n/a':>8}")
        print(f"  {'false urgent':28} {result['false_urgent']:>8.1%} {'n/a':>8}")
        print(f"  {'latency p50 / p99 (ms)':28} {result['p50_ms']:>4} / {result['p99_ms']}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
