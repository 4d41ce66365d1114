"""Round trip of a bot command against an echo baseline, on one local Synapse.

    python -m bench.latency [-n 200]

A tester sends `!whoami` and waits until the answer reaches it through its own /sync. The
baseline is a minimal nio client on the same homeserver that answers every message at once;
the bot runs as a real `samverkan run` process. Both are measured by the same tester in the same
run, so the homeserver's and the tester's own latency cancel out in the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from nio import AsyncClient, RoomMessageText, SyncResponse

from bot.demo.configs import minimal_config, write_config
from bot.demo.homeserver import Account, LocalHomeserver
from bot.demo.member import SimulatedMember
from bot.demo.process import spawn_bot, wait_until_synced
from bot.matrix.content import in_reply_to, notice


async def echo_baseline(hs: LocalHomeserver, account: Account, stop: asyncio.Event) -> None:
    """The simplest possible responder: sync, and answer each new text with a notice."""
    client = AsyncClient(hs.url, account.user_id, device_id=account.device_id)
    client.access_token = account.access_token
    client.user_id = account.user_id
    first = await client.sync(timeout=0)
    assert isinstance(first, SyncResponse)
    for room_id in first.rooms.invite:
        await client.join(room_id)
    since = first.next_batch
    try:
        while not stop.is_set():
            resp = await client.sync(timeout=5_000, since=since)
            if not isinstance(resp, SyncResponse):
                continue
            since = resp.next_batch
            for room_id in resp.rooms.invite:
                await client.join(room_id)
            for room_id, info in resp.rooms.join.items():
                for event in info.timeline.events:
                    if isinstance(event, RoomMessageText) and event.sender != account.user_id:
                        await client.room_send(
                            room_id,
                            "m.room.message",
                            in_reply_to(notice("echo"), event.event_id),
                        )
    finally:
        await client.close()


async def measure(
    tester: SimulatedMember, responders: list[tuple[str, str]], n: int
) -> list[list[float]]:
    """Asks each responder in turn, n times, so drift in the homeserver hits both alike."""
    times: list[list[float]] = [[] for _ in responders]
    for _ in range(n):
        for (room, responder), sink in zip(responders, times, strict=True):
            started = time.perf_counter()
            await tester.ask(room, "!whoami", responder, timeout=30)
            sink.append((time.perf_counter() - started) * 1000)
    return times


def percentiles(values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": statistics.median(values), "p95": cuts[94], "p99": cuts[98]}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def run(n: int, warmup: int) -> None:
    with tempfile.TemporaryDirectory(prefix="samverkan-bench-") as tmp:
        base = Path(tmp)
        hs = LocalHomeserver(base / "synapse")
        await hs.start()
        stop = asyncio.Event()
        bot_process: subprocess.Popen[bytes] | None = None
        tester: SimulatedMember | None = None
        echo_task: asyncio.Task[None] | None = None
        try:
            tester_account = await hs.register("tester")
            echo_account = await hs.register("echo")
            bot_account = await hs.register("samverkan")
            tester = await SimulatedMember.start(hs.url, tester_account, base / "tester")
            echo_room = await tester.create_room("echo", invite=[echo_account.user_id])
            bot_room = await tester.create_room("bot", invite=[bot_account.user_id])

            echo_task = asyncio.create_task(echo_baseline(hs, echo_account, stop))
            config = write_config(
                minimal_config(
                    homeserver=hs.url,
                    bot_user=bot_account.user_id,
                    base=base / "bot",
                    forum_room=bot_room,
                    members={tester_account.user_id: ("lst", ["tib"])},
                ),
                base / "bot" / "config.toml",
            )
            bot_process = spawn_bot(config, bot_account.password, base / "bot.log")
            await wait_until_synced(
                f"sqlite+aiosqlite:///{base / 'bot' / 'samverkan.db'}", bot_account.user_id
            )
            # Both responders must be in their rooms and answering before we measure.
            await tester.ask(echo_room, "!whoami", echo_account.user_id, timeout=60)
            await tester.ask(bot_room, "!whoami", bot_account.user_id, timeout=60)

            responders = [(echo_room, echo_account.user_id), (bot_room, bot_account.user_id)]
            await measure(tester, responders, warmup)
            echo, bot = await measure(tester, responders, n)
            rss = rss_mb(bot_process.pid)
        finally:
            stop.set()
            if bot_process is not None:
                bot_process.terminate()
                bot_process.wait(20)
            if echo_task is not None:
                await asyncio.gather(echo_task, return_exceptions=True)
            if tester is not None:
                await tester.stop()
            await hs.stop()

    e, b = percentiles(echo), percentiles(bot)
    print(f"round trip of !whoami, n={n} each, interleaved (after {warmup} warm-up), milliseconds")
    print(f"{'':14}{'p50':>9}{'p95':>9}{'p99':>9}")
    print(f"{'echo baseline':14}{e['p50']:9.1f}{e['p95']:9.1f}{e['p99']:9.1f}")
    print(f"{'samverkan bot':14}{b['p50']:9.1f}{b['p95']:9.1f}{b['p99']:9.1f}")
    print(
        f"{'ratio':14}{b['p50'] / e['p50']:9.2f}{b['p95'] / e['p95']:9.2f}"
        f"{b['p99'] / e['p99']:9.2f}   (target: p50 ratio <= 1.30)"
    )
    print(f"bot RSS after the run: {rss:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=200, help="messages per responder (>= 200)")
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(run(args.n, args.warmup))


if __name__ == "__main__":
    main()
