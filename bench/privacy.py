"""Privacy guard accuracy and speed on the labelled reflections.

Usage: python bench/privacy.py [--set tests/data/privacy_cases.yaml] [--errors] [--repeat 20]
Prints precision and recall per kind and overall, scored per (reflection, kind), then the mean
and p99 time of one check, also on a 40,000-character reflection.
The last line is one JSON object with the overall figures.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.reflections.privacy import KINDS, check  # noqa: E402


def ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 1.0


def score(cases: list[dict], show_errors: bool) -> dict[str, dict[str, int]]:
    """Count true positives, false positives and false negatives for each kind."""
    counts = {kind: {"tp": 0, "fp": 0, "fn": 0} for kind in KINDS}
    for case in cases:
        expected = set(case["expect"])
        found = {finding.kind for finding in check(case["text"])}
        for kind in KINDS:
            if kind in found and kind in expected:
                counts[kind]["tp"] += 1
            elif kind in found:
                counts[kind]["fp"] += 1
            elif kind in expected:
                counts[kind]["fn"] += 1
        if show_errors and found != expected:
            missed, extra = sorted(expected - found), sorted(found - expected)
            print(f"  missed={missed} extra={extra}: {case['text']}")
    return counts


def timings_us(texts: list[str], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        for text in texts:
            start = time.perf_counter()
            check(text)
            samples.append((time.perf_counter() - start) * 1e6)
    return samples


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def long_reflection(cases: list[dict], length: int = 40_000) -> str:
    """The labelled texts shuffled together until they fill `length` characters."""
    texts = [case["text"] for case in cases]
    random.Random(5).shuffle(texts)
    joined = " ".join(texts)
    return (joined * (length // len(joined) + 1))[:length]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default=str(ROOT / "tests/data/privacy_cases.yaml"))
    parser.add_argument("--errors", action="store_true", help="print each wrong reflection")
    parser.add_argument("--repeat", type=int, default=20, help="timing passes over the set")
    args = parser.parse_args()

    cases = yaml.safe_load(Path(args.set).read_text(encoding="utf-8"))
    clean = sum(1 for case in cases if not case["expect"])
    print(f"{len(cases)} labelled reflections ({clean} clean) from {args.set}")
    counts = score(cases, args.errors)

    print(f"{'kind':<15}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}")
    for kind in KINDS:
        c = counts[kind]
        precision = ratio(c["tp"], c["tp"] + c["fp"])
        recall = ratio(c["tp"], c["tp"] + c["fn"])
        print(f"{kind:<15}{c['tp']:>5}{c['fp']:>5}{c['fn']:>5}{precision:>11.3f}{recall:>8.3f}")
    tp, fp, fn = (sum(c[k] for c in counts.values()) for k in ("tp", "fp", "fn"))
    precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
    print(f"{'overall':<15}{tp:>5}{fp:>5}{fn:>5}{precision:>11.3f}{recall:>8.3f}")

    texts = [case["text"] for case in cases]
    timings_us(texts, 1)  # warm up
    samples = timings_us(texts, args.repeat)
    mean_us, p99_us = statistics.fmean(samples), p99(samples)
    runs = len(samples)
    print(f"check() per reflection: mean {mean_us:.1f} us, p99 {p99_us:.1f} us ({runs} runs)")
    long_samples = timings_us([long_reflection(cases)], 5)
    long_ms = statistics.fmean(long_samples) / 1000
    print(f"check() on 40,000 characters: mean {long_ms:.1f} ms")

    print(
        json.dumps(
            {
                "cases": len(cases),
                "precision": round(precision, 4),
                "recall": round(recall, 4),
                "tp": tp,
                "fp": fp,
                "fn": fn,
                "mean_us": round(mean_us, 1),
                "p99_us": round(p99_us, 1),
                "long_40k_ms": round(long_ms, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
