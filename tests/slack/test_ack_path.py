"""Acknowledgements come first: in a burst of questions every request is acked before answer
work starts, and every question is still answered."""

from __future__ import annotations

import asyncio
import time

MENTIONS = 60


async def test_a_burst_of_mentions_is_all_acknowledged_before_the_answers_are_worked_on(slack):
    acked_at: list[float] = []

    async def mention(n: int) -> None:
        event = {
            "type": "app_mention",
            "user": "U1",
            "channel": "CBURST",
            "ts": f"{500 + n}.000100",
            "text": "<@UBOT> what is disguised compliance?",
        }
        response = await slack.event(event, event_id=f"EvBurst{n}")
        assert response.status == 200
        acked_at.append(time.monotonic())

    await asyncio.gather(*(mention(n) for n in range(MENTIONS)))
    posts = await slack.fake.wait_for("chat.postMessage", MENTIONS, timeout=30)
    assert min(call.at for call in posts) >= max(acked_at)
    assert {call.params["thread_ts"] for call in posts} == {f"{500 + n}.000100" for n in range(MENTIONS)}
