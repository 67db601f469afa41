"""Slack HTTP endpoint: signed app_mention events at high concurrency, beside a bare bolt app.

Usage: python bench/slack_http.py [--events 3000] [--concurrency 50,100] [--warmup 200] [--rounds 3]
                                  [--profile DIR]

Three child processes run beside the load generator, each on 127.0.0.1 and a free port:
  * a fake Slack Web API (tests/fakes/slack_api.py) that both apps call;
  * scrbot: bot.server.create_app(Services.build(settings)) with a SQLite store;
  * a bare slack-bolt AsyncApp with the same signing secret and one app_mention listener
    that does nothing (bolt acks events itself), behind the same aiohttp adapter.
For each concurrency level (50 and 100 by default, against the same three processes in one run)
and each app: a warm-up, then N signed app_mention events (unique event ids) sent with C
concurrent aiohttp requests. Per request it records the time to the HTTP response (the ack);
it prints events/s, p50/p99/max ack latency, non-200 responses, the server's CPU time per event
and its resident memory (VmRSS, VmHWM from /proc). For scrbot it then waits until the fake
Slack has received a chat.postMessage answer for every event: the real work after the ack.
The last line is one JSON object with the figures. With --profile DIR, both servers run under
pyinstrument (pip install pyinstrument) and write DIR/scrbot.txt and DIR/bare.txt.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench"
# Issue 15: at least 0.85x the bare app's acks per second, p99 within 1.3x of its p99, < 120 MB.
TARGET_RATIO, TARGET_P99_RATIO, TARGET_RSS_MB = 0.85, 1.3, 120.0
WARMUP_TAG, RUN_TAG = "1000", "2000"  # event ts prefixes, so answers can be told apart


# -- child processes ----------------------------------------------------------------------------


def _announce(info: dict[str, Any]) -> None:
    print("READY " + json.dumps(info), flush=True)


async def _until_terminated() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()


async def _serve_fake() -> None:
    from tests.fakes.slack_api import FakeSlack

    class BenchFakeSlack(FakeSlack):
        """FakeSlack that also counts answers per event ts prefix, readable via bench.stats."""

        def __init__(self) -> None:
            super().__init__()
            self.answered: dict[str, set[str]] = {}
            self.last_answer_at: dict[str, float] = {}
            self.posts = 0

        def _chat_postMessage(self, params: dict[str, Any]):
            self.posts += 1
            thread = str(params.get("thread_ts") or "")
            tag = thread.split(".", 1)[0]
            self.answered.setdefault(tag, set()).add(thread)
            self.last_answer_at[tag] = (
                time.monotonic()
            )  # CLOCK_MONOTONIC: comparable across processes
            self.calls.clear()  # the harness keeps every call; a long run needs none of them
            self.history.clear()
            return super()._chat_postMessage(params)

        def _bench_stats(self, params: dict[str, Any]) -> dict[str, Any]:
            self.calls.clear()
            tag = params.get("tag", "")
            return {
                "answered": len(self.answered.get(tag, ())),
                "last_at": self.last_answer_at.get(tag),
                "posts": self.posts,
            }

    fake = await BenchFakeSlack().start()
    _announce({"api_url": fake.api_url})
    await _until_terminated()
    await fake.close()


def _bare_app(api_url: str):
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    app = AsyncApp(signing_secret=SECRET, client=AsyncWebClient(token=TOKEN, base_url=api_url))

    @app.event("app_mention")
    async def noop() -> None:
        return None

    return app


async def _serve(role: str, api_url: str, db_path: str | None, profile_dir: str | None = None) -> None:
    import logging

    from aiohttp import web

    logging.basicConfig(
        level=logging.WARNING,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if role == "scrbot":
        from bot.config import Settings
        from bot.server import create_app
        from bot.services import Services

        settings = Settings(
            slack_bot_token=TOKEN,
            slack_signing_secret=SECRET,
            slack_api_url=api_url,
            database_url=f"sqlite+aiosqlite:///{db_path}",
        )
        app = create_app(Services.build(settings))
    else:
        from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request

        bolt = _bare_app(api_url)

        async def slack_events(request: web.Request) -> web.Response:
            return await to_aiohttp_response(
                await bolt.async_dispatch(await to_bolt_request(request))
            )

        app = web.Application()
        app.router.add_post("/slack/events", slack_events)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    profiler = None
    if profile_dir:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.001, async_mode="disabled")
        profiler.start()
    _announce({"url": f"http://127.0.0.1:{port}/slack/events", "pid": os.getpid()})
    await _until_terminated()
    if profiler is not None:
        profiler.stop()
        text = profiler.output_text(unicode=False, color=False, show_all=False, timeline=False)
        Path(profile_dir, f"{role}.txt").write_text(text)
    await runner.cleanup()


# -- process handling ---------------------------------------------------------------------------


class Child:
    def __init__(self, name: str, args: list[str], log_dir: str):
        self.name = name
        self.log_path = Path(log_dir) / f"{name}.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--role", *args],
            stdout=subprocess.PIPE,
            stderr=self._log,
            cwd=str(ROOT),
        )
        self.info: dict[str, Any] = {}

    def wait_ready(self, timeout: float = 60.0) -> dict[str, Any]:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline().decode()
            if not line:
                break
            if line.startswith("READY "):
                self.info = json.loads(line[6:])
                return self.info
        raise SystemExit(
            f"{self.name} did not start; see {self.log_path}:\n{self.log_text()[-2000:]}"
        )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log_text(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(120)  # a profiled server takes a while to write its report
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


def memory_mb(pid: int) -> dict[str, float]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


# -- load generator -----------------------------------------------------------------------------


def questions() -> list[str]:
    import yaml

    data = yaml.safe_load((ROOT / "tests/data/questions.yaml").read_text(encoding="utf-8"))
    return [item["q"] for item in data["themed"]]


def signed_events(
    count: int, tag: str, texts: list[str], start: int = 0
) -> list[tuple[bytes, dict[str, str]]]:
    """Pre-built signed requests (signing is done before the clock starts)."""
    from slack_sdk.signature import SignatureVerifier

    verifier = SignatureVerifier(SECRET)
    now = int(time.time())
    out = []
    for i in range(start, start + count):
        ts = f"{tag}.{i:06d}"
        event = {
            "type": "app_mention",
            "user": f"U{i % 50:03d}",
            "channel": f"C{i % 20:02d}",
            "ts": ts,
            "event_ts": ts,
            "text": f"<@UBOT> {texts[i % len(texts)]}",
        }
        body = json.dumps(
            {
                "token": "x",
                "team_id": "T1",
                "api_app_id": "A1",
                "type": "event_callback",
                "event_id": f"Ev{tag}{i:07d}",
                "event_time": now,
                "event": event,
            }
        )
        headers = {
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": str(now),
            "X-Slack-Signature": str(verifier.generate_signature(timestamp=str(now), body=body)),
        }
        out.append((body.encode(), headers))
    return out


async def load(
    url: str, requests: list[tuple[bytes, dict[str, str]]], concurrency: int
) -> dict[str, Any]:
    """Send `requests` with `concurrency` in flight; per-request time to the HTTP response."""
    import aiohttp

    latencies: list[float] = []
    statuses: dict[str, int] = {}
    next_index = 0
    connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=concurrency)
    timeout = aiohttp.ClientTimeout(total=30)

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def worker() -> None:
            nonlocal next_index
            while next_index < len(requests):
                body, headers = requests[next_index]
                next_index += 1
                start = time.perf_counter()
                try:
                    async with session.post(url, data=body, headers=headers) as response:
                        await response.read()
                        key = str(response.status)
                except Exception as exc:  # a failed request is counted, not fatal
                    key = type(exc).__name__
                latencies.append((time.perf_counter() - start) * 1000)
                statuses[key] = statuses.get(key, 0) + 1

        cpu0 = time.process_time()
        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - t0
        client_cpu = time.process_time() - cpu0
    return {
        "latencies": latencies,
        "statuses": statuses,
        "wall": wall,
        "client_cpu": client_cpu,
        "ended_at": time.monotonic(),
    }


async def fake_stats(api_url: str, tag: str) -> dict[str, Any]:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with session.post(api_url + "bench.stats", data={"tag": tag}) as response:
            return await response.json()


async def wait_answers(api_url: str, tag: str, count: int, within_s: float) -> dict[str, Any]:
    deadline = time.monotonic() + within_s
    while True:
        stats = await fake_stats(api_url, tag)
        if stats["answered"] >= count or time.monotonic() > deadline:
            return stats
        await asyncio.sleep(0.02)


class Target:
    """One server under test and everything measured on it across the rounds."""

    def __init__(self, name: str, child: Child, api_url: str | None, concurrency: int, level: int = 0):
        self.name, self.child, self.url = name, child, child.info["url"]
        self.concurrency = concurrency
        self.level = level  # keeps each level's event ids and answer tags apart
        self.api_url = api_url  # set when the app answers: then its answers are awaited and timed
        self.latencies: list[float] = []
        self.statuses: dict[str, int] = {}
        self.wall = self.client_cpu = self.server_cpu = self.server_cpu_with_answers = 0.0
        self.answered = 0
        self.answer_seconds = 0.0
        self.answer_lag = 0.0  # longest wait, after a round's last ack, for its last answer
        self.rss_before: dict[str, float] = {}

    async def warm_up(self, args: argparse.Namespace, texts: list[str]) -> None:
        tag = str(int(WARMUP_TAG) + 10 * self.level)
        warm = await load(self.url, signed_events(args.warmup, tag, texts), self.concurrency)
        bad = {k: v for k, v in warm["statuses"].items() if k != "200"}
        if bad:
            print(f"  {self.name}: warm-up had non-200 responses: {bad}", file=sys.stderr)
        if self.api_url is not None:  # let the warm-up's answers finish before the clock starts
            await wait_answers(self.api_url, tag, args.warmup, args.answer_timeout)
        self.rss_before = memory_mb(self.child.pid)

    async def round(
        self, tag: str, count: int, start: int, args: argparse.Namespace, texts: list[str]
    ) -> None:
        requests = signed_events(count, tag, texts, start)
        cpu0 = cpu_seconds(self.child.pid)
        started = time.monotonic()
        result = await load(self.url, requests, self.concurrency)
        self.server_cpu += cpu_seconds(self.child.pid) - cpu0
        self.latencies += result["latencies"]
        for key, value in result["statuses"].items():
            self.statuses[key] = self.statuses.get(key, 0) + value
        self.wall += result["wall"]
        self.client_cpu += result["client_cpu"]
        if self.api_url is not None:
            stats = await wait_answers(self.api_url, tag, count, args.answer_timeout)
            self.server_cpu_with_answers += cpu_seconds(self.child.pid) - cpu0
            last_at = stats["last_at"] or time.monotonic()
            self.answered += stats["answered"]
            self.answer_seconds += last_at - started
            self.answer_lag = max(self.answer_lag, last_at - result["ended_at"])

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies)
        n = len(lat)
        mem = memory_mb(self.child.pid)
        out: dict[str, Any] = {
            "events": n,
            "seconds": round(self.wall, 3),
            "events_per_s": round(n / self.wall, 1),
            "p50_ms": round(statistics.median(lat), 2),
            "p99_ms": round(lat[max(0, math.ceil(0.99 * n) - 1)], 2),
            "max_ms": round(lat[-1], 2),
            "mean_ms": round(statistics.fmean(lat), 2),
            "errors": n - self.statuses.get("200", 0),
            "statuses": self.statuses,
            "server_cpu_ms_per_event": round(self.server_cpu * 1000 / n, 3),
            "events_per_cpu_s": round(n / max(1e-9, self.server_cpu), 1),
            "client_cpu_share": round(self.client_cpu / self.wall, 2),
            "rss_before_mb": round(self.rss_before["VmRSS"], 1),
            "rss_mb": round(mem["VmRSS"], 1),
            "peak_rss_mb": round(mem["VmHWM"], 1),
        }
        if self.api_url is not None:
            out.update(
                {
                    "answered": self.answered,
                    "answers_seconds": round(self.answer_seconds, 3),
                    "answers_per_s": round(self.answered / max(1e-9, self.answer_seconds), 1),
                    "answers_max_lag_after_last_ack_s": round(max(0.0, self.answer_lag), 3),
                    "server_cpu_ms_per_event_incl_answers": round(
                        self.server_cpu_with_answers * 1000 / n, 3
                    ),
                }
            )
        return out


async def measure(
    targets: list[Target], args: argparse.Namespace, texts: list[str]
) -> dict[str, dict[str, Any]]:
    """Warm both up, then interleave rounds (alternating which goes first) so drift hits both."""
    for target in targets:
        await target.warm_up(args, texts)
    rounds = max(1, min(args.rounds, args.events))
    sizes = [args.events // rounds + (r < args.events % rounds) for r in range(rounds)]
    start = 0
    level = targets[0].level
    for r, size in enumerate(sizes):
        tag = str(int(RUN_TAG) + 10 * level + r)
        for target in targets if r % 2 == 0 else reversed(targets):
            await target.round(tag, size, start, args, texts)
        start += size
    await asyncio.sleep(0.5)  # let any remaining work settle before reading memory
    return {target.name: target.summary() for target in targets}


def machine() -> dict[str, Any]:
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": sys.version.split()[0],
        "loadavg_1m_at_end": os.getloadavg()[0],
    }


def log_problems(text: str) -> list[str]:
    return [
        line
        for line in text.splitlines()
        if " WARNING " in line or " ERROR " in line or "Traceback" in line
    ]


def report_level(
    results: dict[str, dict[str, Any]], args: argparse.Namespace, concurrency: int
) -> dict[str, Any]:
    """Print one concurrency level's table and targets; return its figures."""
    bare, bot = results["bare"], results["scrbot"]
    ratio = bot["events_per_s"] / bare["events_per_s"]
    p99_ratio = bot["p99_ms"] / bare["p99_ms"]
    # Wall-clock throughput moves with whatever else the machine runs; CPU per event does not much.
    cpu_ratio = bot["events_per_cpu_s"] / bare["events_per_cpu_s"]
    print(
        f"\nSlack HTTP endpoint: {args.events} signed app_mention events per app, "
        f"{concurrency} concurrent, warm-up {args.warmup}, {args.rounds} interleaved round(s)\n"
    )
    rows = [
        ("events/s", "events_per_s", "{:.0f}"),
        ("ack p50 (ms)", "p50_ms", "{:.1f}"),
        ("ack p99 (ms)", "p99_ms", "{:.1f}"),
        ("ack max (ms)", "max_ms", "{:.1f}"),
        ("non-200 responses", "errors", "{}"),
        ("server CPU ms/event", "server_cpu_ms_per_event", "{:.2f}"),
        ("events per server CPU-second", "events_per_cpu_s", "{:.0f}"),
        ("server RSS before run (MB)", "rss_before_mb", "{:.1f}"),
        ("server RSS after run (MB)", "rss_mb", "{:.1f}"),
        ("server peak RSS (MB)", "peak_rss_mb", "{:.1f}"),
        ("client CPU share", "client_cpu_share", "{:.0%}"),
    ]
    print(f"  {'':30} {'bare AsyncApp':>14} {'scrbot':>10} {'scrbot/bare':>12}")
    for label, key, fmt in rows:
        b, s = bare[key], bot[key]
        rel = f"{s / b:.2f}x" if isinstance(b, int | float) and b and key != "errors" else ""
        print(f"  {label:30} {fmt.format(b):>14} {fmt.format(s):>10} {rel:>12}")
    if "answered" in bot:
        print(
            f"\n  scrbot answers (chat.postMessage at the fake Slack): "
            f"{bot['answered']}/{args.events} "
            f"in {bot['answers_seconds']:.2f} s from each round's first request "
            f"({bot['answers_per_s']:.0f} answers/s); last answer at most "
            f"{bot['answers_max_lag_after_last_ack_s']:.2f} s after a round's last ack; "
            f"server CPU incl. answers {bot['server_cpu_ms_per_event_incl_answers']:.2f} ms/event"
        )
    checks = {
        "throughput_ratio": (round(ratio, 3), ratio >= TARGET_RATIO, f">= {TARGET_RATIO}"),
        "p99_ratio": (round(p99_ratio, 3), p99_ratio <= TARGET_P99_RATIO, f"<= {TARGET_P99_RATIO}"),
        "rss_mb": (bot["peak_rss_mb"], bot["peak_rss_mb"] < TARGET_RSS_MB, f"< {TARGET_RSS_MB:g} (peak)"),
        "errors": (bot["errors"], bot["errors"] == 0, "== 0"),
        "all_answered": (bot.get("answered"), bot.get("answered") == args.events, f"== {args.events}"),
    }
    print(
        f"\n  scrbot/bare throughput {ratio:.2f}x (wall clock); "
        f"{cpu_ratio:.2f}x by server CPU per event (less sensitive to other load on the machine)"
    )
    print("\n  targets:")
    for name, (value, ok, target) in checks.items():
        print(f"    {name:18} {value!s:>10}  target {target:14} {'PASS' if ok else 'FAIL'}")
    if max(bare["client_cpu_share"], bot["client_cpu_share"]) > 0.9:
        print(
            "  note: the load generator was near one full core; "
            "the bare app's figure may be client-bound"
        )
    return {
        "concurrency": concurrency,
        "bare": bare,
        "scrbot": bot,
        "throughput_ratio": round(ratio, 3),
        "p99_ratio": round(p99_ratio, 3),
        "cpu_capacity_ratio": round(cpu_ratio, 3),
        "targets_met": all(ok for _, ok, _ in checks.values()),
    }


def report(
    levels: list[dict[str, Any]], args: argparse.Namespace, problems: dict[str, list[str]]
) -> dict:
    info = machine()
    print(
        f"\nmachine: {info['nproc']} CPU ({info['cpu']}), Python {info['python']}, "
        f"load average {info['loadavg_1m_at_end']:.2f} at the end "
        "(other work on the machine skews the figures)"
    )
    for name, lines in problems.items():
        if lines:
            print(f"\n  {name} server logged {len(lines)} warning/error line(s), first few:")
            for line in lines[:5]:
                print("    " + line[:200])
    return {
        "machine": info,
        "events": args.events,
        "warmup": args.warmup,
        "levels": levels,
        "targets_met": all(level["targets_met"] for level in levels) and not any(problems.values()),
        "server_log_problems": {k: len(v) for k, v in problems.items()},
    }


async def run(args: argparse.Namespace) -> dict:
    texts = questions()
    concurrencies = [int(c) for c in str(args.concurrency).split(",") if c.strip()]
    with tempfile.TemporaryDirectory(prefix="scrbot-bench-") as tmp:
        children: list[Child] = []
        profile = ["--profile", args.profile] if args.profile else []
        try:
            fake = Child("fake-slack", ["fake"], tmp)
            children.append(fake)
            api_url = fake.wait_ready()["api_url"]
            bare = Child("bare", ["bare", "--api-url", api_url, *profile], tmp)
            children.append(bare)
            bot = Child("scrbot", ["scrbot", "--api-url", api_url, "--db", f"{tmp}/scrbot.db", *profile], tmp)
            children.append(bot)
            bare.wait_ready()
            bot.wait_ready()
            levels = []
            for level, concurrency in enumerate(concurrencies):
                targets = [
                    Target("bare", bare, None, concurrency, level),
                    Target("scrbot", bot, api_url, concurrency, level),
                ]
                levels.append(report_level(await measure(targets, args, texts), args, concurrency))
            problems = {c.name: log_problems(c.log_text()) for c in (bare, bot)}
        finally:
            for child in reversed(children):
                child.stop()
        for child in (bare, bot):
            if child.proc.returncode not in (0, -signal.SIGTERM):
                problems[child.name].append(f"process exited with {child.proc.returncode}")
    return report(levels, args, problems)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--events", type=int, default=3000, help="measured events per app (default 3000)"
    )
    parser.add_argument(
        "--concurrency",
        default="50,100",
        help="requests in flight; a comma-separated list runs each level in turn (default 50,100)",
    )
    parser.add_argument(
        "--warmup", type=int, default=200, help="warm-up events per app (default 200)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="split the events into this many rounds, alternating the apps (default 3)",
    )
    parser.add_argument(
        "--answer-timeout",
        type=float,
        default=60.0,
        help="seconds to wait for scrbot's answers to reach the fake Slack (default 60)",
    )
    parser.add_argument("--role", help=argparse.SUPPRESS)  # internal: run a child process
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--profile", help="directory for pyinstrument profiles of both servers")
    args, _ = parser.parse_known_args()
    if args.role:
        role = args.role
        asyncio.run(_serve_fake() if role == "fake" else _serve(role, args.api_url, args.db, args.profile))
        return
    print(json.dumps(asyncio.run(run(args))))


if __name__ == "__main__":
    main()
