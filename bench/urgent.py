"""Urgent-risk recognition on messages written by people who never saw the detector.

Usage: python bench/urgent.py [--misses dev|holdout] [--false-alarms dev|holdout] [--by-kind]

Parts, each reported on its own:
- dev: tests/data/urgent/dev_*.yaml, written by two helpers who never saw the code; the model is
  trained on it, so the figure here is a fit, not a result (bench/train_urgent.py prints the
  five-fold cross-validated figures for it).
- holdout: tests/data/urgent/holdout.yaml, written by a third helper; never tuned on, run to report
  (read for a closing note in stop 11, so no longer blind).
- holdout_b: tests/data/urgent/holdout_b.yaml, 170 urgent and 170 hard negatives by a helper who
  wrote nothing else; never trained on (read for stop 18's note, so no longer blind).
- ordinary theme questions: the themed and off-topic questions of tests/data/questions_holdout.yaml
  and offtopic_more.yaml, which the model never saw; none is about a child at risk now, so any
  flag there is a false alarm. "B" is tests/data/urgent/holdout_ordinary_b.yaml, 180 more by
  another helper, never trained on; "C" is tests/data/urgent/holdout_ordinary_c.yaml, 234 by yet
  another (two that its writer flagged as near-acute were taken out before any run, and four short
  questions that the development set happens to hold word for word).
- holdout_c: tests/data/urgent/holdout_c.yaml, 200 urgent and 200 hard negatives by a helper who
  wrote nothing else, added in stop 19 after held-out B had been read; never trained on, but its
  misses were read mid-stop and two framing fixes followed, so it is no longer blind.
- holdout_d: tests/data/urgent/holdout_d.yaml (160 urgent, 160 hard negatives) and "ordinary
  questions D", holdout_ordinary_d.yaml (160), by one more helper, written after every change of
  stop 19 and run once, to report (and again after one last change that the development
  messages alone supported, with the same figures).
- holdout_e: tests/data/urgent/holdout_e.yaml (160 urgent, 160 hard negatives) by one more helper,
  asked to include many understated messages where a small step is already taken; run once with
  the detector before dev_h, once after.
- holdout_f: tests/data/urgent/holdout_f.yaml (200 urgent, 200 hard negatives) and "ordinary
  questions F", holdout_ordinary_f.yaml (161: nine short questions such as "toxic trio" that the
  development set happens to hold word for word were taken out), by two more helpers who wrote
  nothing else, added in stop 20 after the detector's changes and run once, blind, to report.
- "ordinary questions G", holdout_ordinary_g.yaml (199: one that the development set holds word for
  word was taken out, unread), by a helper who wrote nothing else, asked for a third to be present-tense
  practice situations; added in stop 21 with the detector unchanged and run once, blind, to report.
- holdout_g: tests/data/urgent/holdout_g.yaml (200 urgent, 200 hard negatives) and "ordinary
  questions H", holdout_ordinary_h.yaml (196: four that a development or earlier held-out set holds
  word for word were taken out by script, unread), by two more helpers who wrote nothing else,
  added in stop 22 after that stop's first detector change and run once, blind, to report; its one
  miss and 11 false alarms were then read and two general fixes followed (a goodbye sent or a young
  person at a high place is in the floor; a request to write or play training material needs a
  near-certain score), so it is no longer blind.
- holdout_h: tests/data/urgent/holdout_h.yaml (200 urgent, 200 hard negatives; a quarter very short
  text-speak, a quarter long with the danger or the framing buried) and "ordinary questions I",
  holdout_ordinary_i.yaml (200, three quarters ongoing casework worries close to the line), by two
  more helpers who wrote nothing else, added in stop 22 after every detector change of that stop
  and run once, blind, to report; its four misses were then read and one general fix followed (a home
  without heat, power or food, and "doing things to her", are in the floor), so it is no longer blind;
  everyday I's nine false alarms were read too, and material for a newsletter or a learning briefing
  now frames a message as training; and a run of a long settled-framed message that reads calm as a
  whole needs 0.95, not 0.9, to signpost alone (cross-validated on the long development messages).
- holdout_i: tests/data/urgent/holdout_i.yaml (200 urgent, 199 hard negatives; a quarter very short,
  a fifth long, many opening "sorry to bother you" or asking a practical question while the danger is
  only implied, and hard negatives in the most alarming words) and "ordinary questions J",
  holdout_ordinary_j.yaml (194: more than half present-tense casework worries that are known and
  held), by two more helpers who wrote nothing else, added in stop 23 after every detector change of
  that stop (two development sets, dev_k and ordinary_g, and eight "in hand, child safe" phrases)
  and run once, blind, to report. Six of J and one of I that an earlier set holds word for word were
  taken out by script, unread.
- holdout_j: tests/data/urgent/holdout_j.yaml (160 urgent, 160 hard negatives; "dealt with" worded many
  ways, and framings that point one way with facts that point the other, labelled by the facts), by
  one more helper who wrote nothing else, added in stop 23 with the detector unchanged since held-out
  I and run once, blind, to report.

Beside the detector it runs the previous rule set (bench/urgent_previous.py, the detector as it was
before issue 12) on the same messages, so the figures compare in one run.
The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine.urgent import assess, is_urgent  # noqa: E402

DATA = ROOT / "tests" / "data"


HELD_OUT = ("holdout", "holdout_b", "holdout_c", "holdout_d", "holdout_e", "holdout_f", "holdout_g", "holdout_h", "holdout_i", "holdout_j")
ORDINARY_HELD_OUT = ("b", "c", "d", "f", "g", "h", "i", "j")


def load_part(name: str) -> list[dict]:
    files = sorted((DATA / "urgent").glob("dev_*.yaml")) if name == "dev" else [DATA / "urgent" / f"{name}.yaml"]
    items: list[dict] = []
    for path in files:
        items += yaml.safe_load(path.read_text())
    return items


def ordinary_questions_from(name: str) -> list[str]:
    """A held-out set of everyday theme questions, each set by a helper who wrote nothing else."""
    return [item["text"] for item in yaml.safe_load((DATA / "urgent" / f"holdout_ordinary_{name}.yaml").read_text())]


def ordinary_questions() -> list[str]:
    """Everyday questions the model never saw: the engine's held-out theme questions and the extra off-topic set."""
    data = yaml.safe_load((DATA / "questions_holdout.yaml").read_text())
    questions = [item["q"] for item in data.get("themed", [])] + list(data.get("offtopic", []))
    more = yaml.safe_load((DATA / "offtopic_more.yaml").read_text())
    questions += list(more if isinstance(more, list) else more.get("offtopic", []))
    return [q if isinstance(q, str) else q["q"] for q in questions]


def previous_detector():
    path = ROOT / "bench" / "urgent_previous.py"
    spec = importlib.util.spec_from_file_location("urgent_previous", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.is_urgent


def score(items: list[dict], detect) -> dict:
    urgent = [i for i in items if i["urgent"]]
    negatives = [i for i in items if not i["urgent"]]
    caught = [i for i in urgent if detect(i["text"])]
    alarms = [i for i in negatives if detect(i["text"])]
    return {
        "urgent": len(urgent),
        "recall": len(caught) / len(urgent) if urgent else 1.0,
        "hard_negatives": len(negatives),
        "false_urgent": len(alarms) / len(negatives) if negatives else 0.0,
        "missed": [i for i in urgent if i not in caught],
        "alarms": alarms,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", choices=["dev", *HELD_OUT], help="print the urgent messages missed, verbatim")
    parser.add_argument("--false-alarms", choices=["dev", *HELD_OUT], help="print the hard negatives flagged")
    parser.add_argument("--by-kind", action="store_true", help="recall and false alarms by kind")
    args = parser.parse_args()

    previous = previous_detector()
    ordinary = ordinary_questions()
    figures: dict = {}
    print(f"{'part':<26}{'detector':<11}{'urgent':>7}{'recall':>9}{'negatives':>11}{'false urgent':>14}")
    for part in ("dev", *HELD_OUT):
        items = load_part(part)
        for label, detect in (("now", is_urgent), ("previous", previous)):
            s = score(items, detect)
            figures[f"{part}_{label}"] = {k: v for k, v in s.items() if k not in ("missed", "alarms")}
            print(
                f"{part:<26}{label:<11}{s['urgent']:>7}{s['recall']:>9.1%}{s['hard_negatives']:>11}{s['false_urgent']:>14.1%}"
            )
            if label == "now":
                figures[f"{part}_now"]["_detail"] = s
    ordinary_sets = [("ordinary", "ordinary questions", ordinary)] + [
        (f"ordinary_{n}", f"ordinary questions {n.upper()}", ordinary_questions_from(n)) for n in ORDINARY_HELD_OUT
    ]
    for name, title, questions in ordinary_sets:
        for label, detect in (("now", is_urgent), ("previous", previous)):
            flagged = [q for q in questions if detect(q)]
            rate = len(flagged) / len(questions)
            figures[f"{name}_{label}"] = {"questions": len(questions), "false_urgent": rate}
            print(f"{title:<26}{label:<11}{'':>7}{'':>9}{len(questions):>11}{rate:>14.1%}")

    start = time.perf_counter()
    everything = load_part("dev") + [i for part in HELD_OUT for i in load_part(part)]
    for item in everything:
        is_urgent(item["text"])
    per_message = (time.perf_counter() - start) / len(everything) * 1e6
    print(f"\nspeed: {per_message:.0f} µs per message (mean over {len(everything)})")

    if args.by_kind:
        for part in ("dev", *HELD_OUT):
            detail = figures[f"{part}_now"]["_detail"]
            items = load_part(part)
            totals = Counter(i["kind"] for i in items)
            wrong = Counter(i["kind"] for i in detail["missed"] + detail["alarms"])
            print(f"\n{part}: wrong by kind")
            for kind, n in sorted(totals.items(), key=lambda kv: -wrong[kv[0]]):
                print(f"  {kind:<22}{wrong[kind]:>4} of {n}")
    if args.misses:
        print(f"\nmissed on {args.misses}:")
        for item in figures[f"{args.misses}_now"]["_detail"]["missed"]:
            print(f"  - [{item['kind']}] {item['text']}")
    if args.false_alarms:
        print(f"\nfalse alarms on {args.false_alarms}:")
        for item in figures[f"{args.false_alarms}_now"]["_detail"]["alarms"]:
            print(f"  - [{item['kind']}] {item['text']}  {assess(item['text'])}")
        if args.false_alarms == "dev":
            print("\nfalse alarms on ordinary theme questions:")
            for q in ordinary:
                if is_urgent(q):
                    print(f"  - {q}  {assess(q)}")
    for key in ("dev_now", *(f"{part}_now" for part in HELD_OUT)):
        figures[key].pop("_detail", None)
    figures["microseconds_per_message"] = round(per_message, 1)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
