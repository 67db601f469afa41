"""Run every benchmark under bench/ and write one table of their figures to bench/RESULTS.md.

Usage: python bench/report.py [--out bench/RESULTS.md] [--postgres URL] [--timeout 900]

Each script present (answers.py, slack_http.py, fanout.py, privacy.py, store.py, dashboard.py) runs once with
its defaults in a child process; its last JSON line is read. With a PostgreSQL server (--postgres
or SCRBOT_TEST_DATABASE_URL) store.py also measures PostgreSQL, and fanout.py runs a second time
with two replicas on a scratch database that is dropped afterwards. The table puts each figure
beside its peer baseline (plain BM25 for answers, a bare slack-bolt AsyncApp for Slack HTTP, the
time the rate limit alone imposes for the fan-out) and its target from the issues, and the file
names the machine it ran on.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
ORDER = ["answers", "slack_http", "fanout", "privacy", "store", "dashboard"]


@dataclass
class Run:
    """One benchmark script's run: its command, exit status, time and final JSON figures."""

    name: str
    command: list[str]
    returncode: int = 0
    seconds: float = 0.0
    figures: dict[str, Any] = field(default_factory=dict)
    problem: str = ""


@dataclass
class Row:
    benchmark: str
    measure: str
    value: str
    baseline: str = "—"
    target: str = "—"
    met: bool | None = None


# -- running --------------------------------------------------------------------------------------


def last_json_line(text: str) -> dict[str, Any] | None:
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except ValueError:
                return None
            return value if isinstance(value, dict) else None
    return None


def run_script(name: str, args: list[str], timeout: float, env: dict[str, str]) -> Run:
    command = [sys.executable, str(BENCH / f"{name}.py"), *args]
    run = Run(name, command)
    print(f"running {' '.join([Path(command[1]).relative_to(ROOT).as_posix(), *args])} ...", flush=True)
    started = time.monotonic()
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        run.seconds, run.returncode, run.problem = timeout, -1, f"timed out after {timeout:.0f} s"
        return run
    run.seconds, run.returncode = time.monotonic() - started, done.returncode
    figures = last_json_line(done.stdout)
    if done.returncode != 0 or figures is None:
        tail = (done.stderr.strip().splitlines() or done.stdout.strip().splitlines() or ["no output"])[-1]
        run.problem = f"exit {done.returncode}: {tail[:200]}"
    run.figures = figures or {}
    print(f"  {'ok' if not run.problem else run.problem} ({run.seconds:.0f} s)", flush=True)
    return run


async def _execute(server_url: str, statement: str) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    from bot.store import async_url

    engine = create_async_engine(async_url(server_url), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()


def with_scratch_database(server_url: str, work: Callable[[str], Run]) -> Run:
    """Run `work` against a fresh database on the server, dropped afterwards."""
    from bot.store import async_url

    name = f"scrbot_bench_{uuid.uuid4().hex[:10]}"
    asyncio.run(_execute(server_url, f'CREATE DATABASE "{name}"'))
    try:
        return work(async_url(server_url).set(database=name).render_as_string(hide_password=False))
    finally:
        asyncio.run(_execute(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# -- the table ------------------------------------------------------------------------------------


def pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def answers_rows(figures: dict[str, Any]) -> list[Row]:
    rows = []
    for name, f in figures.items():  # one set of questions per key
        label = f"answers ({name}, {f.get('questions')} questions)"
        bm25 = f"BM25 {pct(f['bm25_top1_with_best_cut'])} ({pct(f['bm25_top1_no_rejection'])} never declining)"
        rows += [
            Row(label, "top-1 accuracy", pct(f["top1"]), bm25, "≥ 95%", f["top1"] >= 0.95),
            Row(
                label,
                "off-topic rejection",
                pct(f["offtopic_rejection"]),
                f"BM25 {pct(f['bm25_offtopic_rejection'])}",
                "≥ 90%",
                f["offtopic_rejection"] >= 0.90,
            ),
            Row(
                label,
                "urgent recall / false urgent",
                f"{pct(f['urgent_recall'])} / {pct(f['false_urgent'])}",
                "—",
                "100% / ≤ 3%",
                f["urgent_recall"] >= 1.0 and f["false_urgent"] <= 0.03,
            ),
            Row(
                label,
                "latency p50 / p99",
                f"{f['p50_ms']:.2f} / {f['p99_ms']:.2f} ms",
                "—",
                "p99 < 5 ms",
                f["p99_ms"] < 5.0,
            ),
        ]
    return rows


def slack_http_rows(f: dict[str, Any]) -> list[Row]:
    rows = []
    for level in f["levels"]:
        bot, bare = level["scrbot"], level["bare"]
        label = f"Slack HTTP ({f['events']} signed mentions, {level['concurrency']} at once)"
        ratio, p99_ratio = level["throughput_ratio"], level["p99_ratio"]
        rows += [
            Row(
                label,
                "acks per second",
                f"{bot['events_per_s']:.0f} ({ratio:.2f}× bare)",
                f"bare AsyncApp {bare['events_per_s']:.0f}",
                "≥ 0.85× bare",
                ratio >= 0.85,
            ),
            Row(
                label,
                "ack latency p50 / p99",
                f"{bot['p50_ms']:.0f} / {bot['p99_ms']:.0f} ms (p99 {p99_ratio:.2f}× bare)",
                f"bare AsyncApp {bare['p50_ms']:.0f} / {bare['p99_ms']:.0f} ms",
                "p99 ≤ 1.3× bare",
                p99_ratio <= 1.3,
            ),
            Row(
                label,
                "peak resident memory",
                f"{bot['peak_rss_mb']:.0f} MB",
                f"bare AsyncApp {bare['peak_rss_mb']:.0f} MB",
                "< 120 MB",
                bot["peak_rss_mb"] < 120,
            ),
            Row(
                label,
                "answers posted after the acks",
                f"{bot.get('answers_per_s', 0):.0f} per s ({bot.get('answered', 0)} of {f['events']})",
                "—",
                "every one",
                bot.get("answered") == f["events"],
            ),
        ]
    return rows


def fanout_rows(f: dict[str, Any]) -> list[Row]:
    label = f"fan-out ({f['channels']} channels, {f['replicas']} replica(s), {f['backend']})"
    rows = [
        Row(
            label,
            "lost / duplicated",
            f"{f['lost']} / {f['duplicated']}",
            "—",
            "0 / 0",
            f["lost"] == 0 and f["duplicated"] == 0,
        ),
    ]
    if f["replicas"] == 1:
        rows.append(
            Row(
                label,
                "wall time",
                f"{f['wall_seconds']:.1f} s ({f['ratio']:.2f}× the floor)",
                f"rate-limit floor {f['rate_limit_floor_seconds']:.1f} s",
                "≤ 1.2× floor",
                f["ratio"] <= 1.2,
            )
        )
    else:  # with replicas the issue asks only for no duplicates; the time is shown for reference
        rows.append(
            Row(
                label,
                "wall time",
                f"{f['wall_seconds']:.1f} s ({f['ratio']:.2f}× the floor)",
                f"rate-limit floor {f['rate_limit_floor_seconds']:.1f} s",
            )
        )
    return rows


def privacy_rows(f: dict[str, Any]) -> list[Row]:
    """Per corpus file: reflections caught (refused or questioned) and clean ones wrongly caught."""
    rows = []
    for name, figures in (f.get("files") or {}).items():
        label = f"privacy guard ({name}: {figures['identifying']} identifying, {figures['clean']} clean)"
        recall, false_positives = figures["recall"], figures["false_positive_rate"]
        rows += [
            Row(label, "recall (refused or questioned)", pct(recall), "—", ">= 95%", recall >= 0.95),
            Row(label, "clean refused or questioned", pct(false_positives), "—", "<= 5%", false_positives <= 0.05),
            Row(label, "check time mean / p99", f"{figures['mean_us']:.0f} / {figures['p99_us']:.0f} µs"),
        ]
    if "long_40k_ms" in f:
        rows.append(Row("privacy guard", "check time on 40,000 characters", f"{f['long_40k_ms']:.0f} ms"))
    return rows


def store_rows(figures: dict[str, Any]) -> list[Row]:
    rows = []
    for backend, f in figures.items():
        label = f"store ({backend}, {f['stored_rows']:,} rows)"
        rows += [
            Row(
                label,
                "saves per second (1 / 20 at once)",
                f"{f['saves_per_second']:.0f} / {f['concurrent_saves_per_second']:.0f}",
            ),
            Row(label, "save latency p50 / p99", f"{f['p50_save_ms']:.1f} / {f['p99_save_ms']:.1f} ms"),
            Row(
                label,
                "report, a year of 200 channels (first run with PNG)",
                f"{f['report_first_run_with_png_seconds']:.2f} s",
                "—",
                "< 2 s",
                f["report_under_target"],
            ),
        ]
    return rows


def dashboard_rows(figures: dict[str, Any]) -> list[Row]:
    rows = []
    for f in figures["results"]:
        label = f"dashboard ({f['backend']}, {f['channels']} channels, {f['reflections']:,} reflections)"
        slowest = max(page["median_s"] for page in f["pages"].values())
        for path, page in f["pages"].items():
            rows.append(Row(label, f"GET {path} (median)", f"{page['median_s']:.2f} s"))
        rows.append(
            Row(
                label,
                "slowest page",
                f"{slowest:.2f} s",
                f"report {f['report_text_median_s']:.2f} s",
                "< 2 s",
                slowest < 2.0,
            )
        )
    return rows


ROWS: dict[str, Callable[[dict[str, Any]], list[Row]]] = {
    "answers": answers_rows,
    "slack_http": slack_http_rows,
    "fanout": fanout_rows,
    "privacy": privacy_rows,
    "store": store_rows,
    "dashboard": dashboard_rows,
}


def rows_for(run: Run) -> list[Row]:
    if run.problem:
        return [Row(run.name, "did not finish", run.problem, met=False)]
    try:
        return ROWS[run.name](run.figures)
    except (KeyError, TypeError, ZeroDivisionError) as exc:
        return [Row(run.name, "unreadable figures", f"{type(exc).__name__}: {exc}", met=False)]


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "load": " / ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def markdown(runs: list[Run], host: dict[str, str]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = [
        "# Benchmark results",
        "",
        f"Written by `bench/report.py` on {host['date']}: {host['nproc']} CPUs ({host['cpu']}), "
        f"Python {host['python']}, {host['os']}; load average {host['load']} when it started. Each "
        "script ran once, with its defaults, one after another; the figures are one run's, not a best of several.",
        "",
        "| benchmark | measure | scrbot | peer baseline | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for run in runs:
        for row in rows_for(run):
            met = {True: "yes", False: "**no**", None: "—"}[row.met]
            lines.append(
                f"| {cell(row.benchmark)} | {cell(row.measure)} | {cell(row.value)} | {cell(row.baseline)} "
                f"| {cell(row.target)} | {met} |"
            )
    lines += ["", "Commands and their running time:", ""]
    for run in runs:
        args = ["<scratch PostgreSQL database>" if "://" in a else a for a in run.command[2:]]
        shown = " ".join([Path(run.command[1]).relative_to(ROOT).as_posix(), *args])
        lines.append(f"- `python {shown}`: {run.seconds:.0f} s{' (' + run.problem + ')' if run.problem else ''}")
    lines += [
        "",
        "Baselines: answers beside a plain Okapi BM25 over each theme's text (with the score cut that "
        "suits it best, and never declining); Slack HTTP beside a bare slack-bolt AsyncApp that only acks, "
        "in the same run; the fan-out beside the time the fake Slack's rate limits alone impose "
        "(channels ÷ posts allowed per second). Targets are the ones set in the issues.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(BENCH / "RESULTS.md"))
    parser.add_argument(
        "--postgres",
        default=os.environ.get("SCRBOT_TEST_DATABASE_URL"),
        help="PostgreSQL server URL (default: SCRBOT_TEST_DATABASE_URL)",
    )
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds allowed per script")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    env = {**os.environ}
    if args.postgres:
        env["SCRBOT_TEST_DATABASE_URL"] = args.postgres  # store.py reads it
    host = machine()  # before the runs: the load average says how busy the machine was
    runs = []
    for name in ORDER:
        if not (BENCH / f"{name}.py").exists():
            continue
        runs.append(run_script(name, [], args.timeout, env))
        if name == "fanout" and args.postgres:
            runs.append(
                with_scratch_database(
                    args.postgres,
                    lambda url: run_script("fanout", ["--postgres", url, "--replicas", "2"], args.timeout, env),
                )
            )
    report = markdown(runs, host)
    Path(args.out).write_text(report, encoding="utf-8")
    print(report)
    failed = [r.name for r in runs if r.problem]
    if failed:
        sys.exit(f"benchmarks that did not finish: {', '.join(failed)}")


if __name__ == "__main__":
    main()
