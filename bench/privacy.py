"""Privacy guard accuracy and speed on labelled reflections, one corpus file at a time.

Usage: python bench/privacy.py [CORPUS.yaml ...] [--errors] [--repeat 5]

With no corpus given it reads tests/data/privacy/dev_a.yaml to dev_d.yaml, plus
the held-out parts tests/data/privacy/holdout.yaml and holdout_b.yaml (each written by a helper who
wrote nothing else and never saw the guard; holdout_b is the fresh one, first run blind on the
guard as it stood) when they exist. Each item is {text, expect: [kinds]};
an empty `expect` marks a clean reflection.

Scored per reflection: "caught" means the guard refused it (a certain finding) or questioned it
(only uncertain findings). Recall = identifying reflections caught / identifying reflections;
false positives = clean reflections refused or questioned / clean reflections. Per kind, "caught"
counts the reflections expecting that kind that were caught at all, and "as kind" those where
the guard named that very kind. Each file's report ends with one JSON line; the very last line
is one JSON object with every file's figures and the time of one check on 40,000 characters.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.reflections.privacy import KINDS, check  # noqa: E402

DEFAULT_CORPORA = tuple(f"tests/data/privacy/dev_{part}.yaml" for part in "abcd")
HOLDOUT = ("tests/data/privacy/holdout.yaml", "tests/data/privacy/holdout_b.yaml")


def ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 1.0


def verdict(text: str) -> tuple[str, set[str]]:
    """("refused" | "questioned" | "clean", kinds found) for one reflection."""
    findings = check(text)
    kinds = {finding.kind for finding in findings}
    if any(finding.certain for finding in findings):
        return "refused", kinds
    return ("questioned" if findings else "clean"), kinds


def score(cases: list[dict], show_errors: bool) -> dict:
    """Reflection-level recall and false positives, overall and per kind."""
    per_kind = {kind: {"n": 0, "caught": 0, "as_kind": 0} for kind in KINDS}
    identifying = caught = clean = refused_clean = questioned_clean = 0
    for case in cases:
        expected = set(case.get("expect") or [])
        outcome, found = verdict(case["text"])
        if expected:
            identifying += 1
            caught += outcome != "clean"
            for kind in expected & set(per_kind):
                per_kind[kind]["n"] += 1
                per_kind[kind]["caught"] += outcome != "clean"
                per_kind[kind]["as_kind"] += kind in found
            if show_errors and outcome == "clean":
                print(f"  MISSED {sorted(expected)}: {case['text']}")
        else:
            clean += 1
            refused_clean += outcome == "refused"
            questioned_clean += outcome == "questioned"
            if show_errors and outcome != "clean":
                print(f"  FALSE {outcome} {sorted(found)}: {case['text']}")
    return {
        "identifying": identifying,
        "caught": caught,
        "recall": round(ratio(caught, identifying), 4),
        "clean": clean,
        "clean_refused": refused_clean,
        "clean_questioned": questioned_clean,
        "false_positive_rate": round(ratio(refused_clean + questioned_clean, clean), 4) if clean else 0.0,
        "per_kind": per_kind,
    }


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


def report(path: Path, show_errors: bool, repeat: int) -> dict:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    print(f"== {path} ({len(cases)} reflections)")
    result = score(cases, show_errors)
    print(
        f"recall {result['recall']:.3f} ({result['caught']}/{result['identifying']} identifying caught); "
        f"false positives {result['false_positive_rate']:.3f} "
        f"({result['clean_refused']} refused + {result['clean_questioned']} questioned of {result['clean']} clean)"
    )
    print(f"  {'kind':<26}{'n':>5}{'caught':>8}{'as kind':>9}")
    for kind, counts in result["per_kind"].items():
        if counts["n"]:
            print(f"  {kind:<26}{counts['n']:>5}{counts['caught']:>8}{counts['as_kind']:>9}")
    texts = [case["text"] for case in cases]
    timings_us(texts, 1)  # warm up
    samples = timings_us(texts, repeat)
    result["mean_us"] = round(statistics.fmean(samples), 1)
    result["p99_us"] = round(p99(samples), 1)
    print(f"  check() per reflection: mean {result['mean_us']:.0f} us, p99 {result['p99_us']:.0f} us")
    summary = {k: v for k, v in result.items() if k != "per_kind"}
    print(json.dumps({"file": str(path), **summary}))
    return summary


def long_reflection(paths: list[Path], length: int = 40_000) -> str:
    """The labelled texts joined until they fill `length` characters."""
    texts = [case["text"] for path in paths for case in yaml.safe_load(path.read_text(encoding="utf-8"))]
    joined = " ".join(texts)
    return (joined * (length // len(joined) + 1))[:length]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", help="labelled YAML files (default: dev files, plus holdout if present)")
    parser.add_argument("--errors", action="store_true", help="print each missed or wrongly caught reflection")
    parser.add_argument("--repeat", type=int, default=5, help="timing passes over each file")
    args = parser.parse_args()
    paths = [Path(p) for p in args.corpora] or [ROOT / p for p in (*DEFAULT_CORPORA, *HOLDOUT) if (ROOT / p).exists()]
    figures = {path.name: report(path, args.errors, args.repeat) for path in paths}
    long_ms = statistics.fmean(timings_us([long_reflection(paths)], 3)) / 1000
    print(f"check() on 40,000 characters: mean {long_ms:.0f} ms")
    print(json.dumps({"files": figures, "long_40k_ms": round(long_ms, 1)}))


if __name__ == "__main__":
    main()
