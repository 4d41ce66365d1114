"""National scale: 300 and 1,300 actors report into an encrypted forum room; the combined
picture (a head and parts in its thread) and 300 home-room summaries, against the homeserver's
floor, with the bot's memory.

    python -m bench.picture_scale [--actors 300 1300] [--home-rooms 300]

The bot runs as the real `samverkan run` process, so its RSS is its own (read from /proc).
Each actor has one member, who sends one report of realistic length (about 900 characters,
what agencies write during a snowstorm) as plain HTTP, as many clients do at once; only the
host is a full E2EE client, and it watches the forum room and the home rooms. The steps are
triggered the way a host does it, in chat: `!meeting start`, then `!picture` (the deadline step's
path: read, compile, render, split, post) and `!meeting close` (minutes and a summary to every
home room).

Measured, for each size:

1. until every report is stored (the bot's database polled with a connection of its own);
2. from `!picture` until the whole picture is visible to the host (head and every part of its
   thread, decrypted), with the parts and their bytes; the baseline is the host posting the same
   contents itself, one after another, until it sees the last;
3. from `!meeting close` until the last home room's summary is visible; the baseline is the host
   posting one message into each home room (concurrently) until it sees the last;
4. the bot's RSS, now and at its peak.

Targets (the issue): the picture visible within 3 s at 300 actors and 10 s at 1,300; 300 home
rooms reached within 10 s; RSS under 250 MB at 1,300 actors.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import re
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
from sqlalchemy import select

from bench.conference import Clock, aware, gather_counted, stored_reports
from bot.demo.configs import minimal_config, write_config
from bot.demo.homeserver import Account, LocalHomeserver
from bot.demo.member import Seen, SimulatedMember
from bot.demo.process import spawn_bot, wait_until_synced
from bot.matrix.content import with_upload
from bot.matrix.eventsize import event_size
from storage.db import Database
from storage.models import OutboxMessage

TARGETS = {300: 3.0, 1300: 10.0}
HOME_TARGET_S = 10.0
RSS_TARGET_MB = 250
#: A member's function: the host's (actor 0) and everyone else's.
FUNCTIONS = {True: "tib", False: "kontaktperson"}
CATEGORIES = ("kommun", "blåljus", "region", "stat", "trafik", "övrig")


def report(i: int) -> str:
    """About 900 characters in four fields; every tenth raises its readiness and has needs."""
    lines = [
        f"!läge Kraftigt snöfall sedan i morse i område {i} med drivbildning på öppna ytor; "
        "plogning pågår på huvudvägnätet men flera lokalgator är ofarbara och bussar har "
        "ställts in på landsbygdslinjerna sedan klockan sex.",
        "påverkan: hemtjänsten har prioriterat besök hos brukare med insatser för mat och "
        "medicin, övriga besök flyttas till i morgon; två skolor håller stängt och elevhälsan "
        "nås per telefon; äldreboendena har reservkraft för två dygn.",
        "åtgärder: förstärkt bemanning i växeln, samordning med grannkommunerna om plogning, "
        "krisledningsgruppen samlas varannan timme, information på webben och i sociala medier "
        "varje timme med hänvisning till krisinformation.se.",
    ]
    if i % 10 == 0:
        lines += ["beredskap: stabsläge", "behov: två bandvagnar och reservkraft från regionen"]
    return "\n".join(lines)


def rss_mb(pid: int) -> tuple[float, float]:
    """The process's resident memory now and at its peak, in MB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return tuple(int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM"))  # type: ignore[return-value]


class Reporter:
    """A member that only joins and sends, over plain HTTP."""

    def __init__(self, http: aiohttp.ClientSession, url: str, account: Account) -> None:
        self.http, self.url, self.account = http, url, account
        self.headers = {"Authorization": f"Bearer {account.access_token}"}

    async def join(self, room: str) -> None:
        async with self.http.post(
            f"{self.url}/_matrix/client/v3/join/{quote(room)}", headers=self.headers, json={}
        ) as resp:
            resp.raise_for_status()

    async def send(self, room: str, body: str) -> None:
        txn = f"r{time.monotonic_ns()}"
        path = f"/_matrix/client/v3/rooms/{quote(room)}/send/m.room.message/{txn}"
        async with self.http.put(
            self.url + path, headers=self.headers, json={"msgtype": "m.text", "body": body}
        ) as resp:
            resp.raise_for_status()


async def limited(jobs: list[Any], at_once: int = 40) -> list[Any]:
    gate = asyncio.Semaphore(at_once)

    async def one(job: Any) -> Any:
        async with gate:
            return await job()

    return list(await asyncio.gather(*(one(j) for j in jobs)))


#: How many of the bot's latest messages are searched for a picture's rows.
LOOK_BACK = 400
#: What of a message the baseline posts again (the bot's relations left out).
MESSAGE_KEYS = ("msgtype", "body", "format", "formatted_body", "filename", "info")
#: How long the host's client is given to show what the homeserver has.
VISIBLE_WITHIN_S = 90.0


async def visible_within(member: SimulatedMember, seen: Any, started: float) -> float:
    """Seconds from `started` until `seen()` holds for the member, or NaN after a while."""
    try:
        await member.wait_until(seen, VISIBLE_WITHIN_S)
    except TimeoutError:
        return float("nan")
    return time.perf_counter() - started


async def until_sent(monitor: Database, rows: Any, timeout: float = 600.0) -> list[OutboxMessage]:
    """Polls the bot's outbox until `rows()` gives rows that are all sent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = await rows()
        if found and all(r.sent_at is not None for r in found):
            return list(found)
        await asyncio.sleep(0.05)
    raise TimeoutError("the bot did not send its answer")


def sent_at(row: OutboxMessage) -> float:
    assert row.sent_at is not None
    return aware(row.sent_at).timestamp()


async def answer_rows(monitor: Database, asked: str) -> list[OutboxMessage]:
    """The picture answering `asked`: its head and the parts in its thread."""
    async with monitor.session() as session:
        recent = (
            (
                await session.execute(
                    select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(LOOK_BACK)
                )
            )
            .scalars()
            .all()
        )
    head = next(
        (
            r
            for r in recent
            if ((r.content.get("m.relates_to") or {}).get("m.in_reply_to") or {}).get("event_id")
            == asked
        ),
        None,
    )
    if head is None:
        return []
    return [head, *sorted((r for r in recent if r.thread_of == head.id), key=lambda r: r.id)]


async def summary_rows(monitor: Database, count: int) -> list[OutboxMessage]:
    """The summaries of the latest meeting, once all `count` are queued."""
    async with monitor.session() as session:
        rows = (
            (
                await session.execute(
                    select(OutboxMessage).where(OutboxMessage.dedupe_key.like("summary:%"))
                )
            )
            .scalars()
            .all()
        )
    return list(rows) if len(rows) >= count else []


async def read_all(member: SimulatedMember, room: str) -> None:
    """Marks the room read up to its latest event."""
    seen = member.messages(room)
    if seen:
        await member.client.room_read_markers(room, seen[-1].event_id, seen[-1].event_id)


def parts_seen(host: SimulatedMember, room: str, bot: str, asked: str) -> list[Seen]:
    """The picture answering `asked` and its thread, once all are there (else [])."""
    head = next((m for m in host.messages(room, sender=bot, reply_to=asked)), None)
    if head is None:
        return []
    found = re.search(r"\((\d+) (?:delar|parts)\)", head.body)
    thread = host.messages(room, sender=bot, reply_to=head.event_id)
    if found and len(thread) < int(found.group(1)):
        return []
    attached = re.search(r"\(\d+ (?:aktörer|actors)\)", head.body)
    if attached and not any(m.msgtype == "m.file" for m in thread):
        return []
    return [head, *thread]


async def post_as_host(
    host: SimulatedMember, room: str, seen: list[Seen]
) -> tuple[list[str], float, float]:
    """The baseline: the host posts what the bot posted, one after another; a file is
    downloaded first (not timed) and then uploaded, encrypted, as the bot had to. Returns the
    event ids, and when the posting started and ended (perf_counter)."""
    files = {m.event_id: await host.download(m) for m in seen if m.msgtype == "m.file"}
    started = time.perf_counter()
    ids = []
    for message in seen:
        content = {k: message.content[k] for k in MESSAGE_KEYS if k in message.content}
        if message.event_id in files:
            data = files[message.event_id]
            resp, keys = await host.client.upload(
                io.BytesIO(data), filename=message.body, encrypt=True, filesize=len(data)
            )
            content = with_upload(
                {**content, "info": message.content["info"]}, resp.content_uri, keys
            )
        ids.append(await host.send_event(room, "m.room.message", content))
    return ids, started, time.perf_counter()


async def measure(n: int, home_rooms: int, clock: Clock) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="samverkan-scale-") as tmp:
        base = Path(tmp)
        hs = LocalHomeserver(base / "synapse")
        await hs.start()
        host: SimulatedMember | None = None
        process = None
        try:
            bot_account = await hs.register("samverkan")
            host_account = await hs.register("tib")
            host = await SimulatedMember.start(hs.url, host_account, base / "host")
            bot = bot_account.user_id
            accounts = await gather_counted(
                clock,
                "registered",
                [partial(hs.register, f"aktor{i:04d}") for i in range(1, n)],
                every=max(1, n // 4),
            )
            forum = await host.create_room("Samverkanskonferens", encrypted=True, public=True)
            homes = [await host.create_room(f"Hemrum {i}", invite=[bot]) for i in range(home_rooms)]
            clock.say(f"forum room and {home_rooms} home rooms created")
            async with aiohttp.ClientSession() as http:
                reporters = [Reporter(http, hs.url, a) for a in accounts]
                await limited([partial(r.join, forum) for r in reporters])
                clock.say(f"{len(reporters)} members joined the forum room")

                data = minimal_config(
                    homeserver=hs.url,
                    bot_user=bot,
                    base=base / "bot",
                    forum_room=forum,
                    members={},
                    admins=(host.user_id,),
                )
                data["actors"] = [
                    {
                        "id": f"a{i:04d}",
                        "name": f"Aktör {i:04d}",
                        "category": CATEGORIES[i % len(CATEGORIES)],
                        **({"home_room": homes[i]} if i < home_rooms else {}),
                    }
                    for i in range(n)
                ]
                users = [host.user_id, *(a.user_id for a in accounts)]
                data["members"] = [
                    {"user": u, "actor": f"a{i:04d}", "functions": [FUNCTIONS[i == 0]]}
                    for i, u in enumerate(users)
                ]
                data["forums"][0].update({"host_function": "tib"})
                config = write_config(data, base / "bot" / "config.toml")
                db_url = data["storage"]["url"]
                process = spawn_bot(config, bot_account.password, base / "bot.log")
                await wait_until_synced(db_url, bot, timeout=300)
                await host.ask(forum, "!meeting start", bot, timeout=120)
                clock.say("bot running; meeting started")

                # 1. every report stored
                monitor = await Database.connect(db_url, migrate=False)
                try:
                    started = time.perf_counter()
                    texts = [report(i) for i in range(1, n)]
                    await limited(
                        [
                            lambda r=r, t=t: r.send(forum, t)
                            for r, t in zip(reporters, texts, strict=True)
                        ]
                    )
                    sent_s = time.perf_counter() - started
                    await host.send(forum, report(0))  # its receipt queues behind the others
                    while await stored_reports(monitor) < n:  # noqa: ASYNC110 (another process)
                        await asyncio.sleep(0.05)
                    stored_s = time.perf_counter() - started
                finally:
                    await monitor.dispose()
                clock.say(f"{n} reports stored")
                await asyncio.sleep(3)  # the receipts go out before the picture is asked for

            # 2. the whole picture, and the same contents posted by the host. "Posted" is when
            # the homeserver had the last part (the bot's record of its answers); "visible" when
            # the host's client showed it, which at national scale waits for Synapse's /sync of
            # a room with a thousand members (it counts unread events on every sync).
            await read_all(host, forum)
            monitor = await Database.connect(db_url, migrate=False)
            try:
                wall, started = time.time(), time.perf_counter()
                asked = await host.send(forum, "!picture")
                rows = await until_sent(monitor, lambda: answer_rows(monitor, asked))
                picture_posted_s = max(sent_at(r) for r in rows) - wall
                picture_s = await visible_within(
                    host, lambda: bool(parts_seen(host, forum, bot, asked)), started
                )
                seen = parts_seen(host, forum, bot, asked)
                contents = [{k: r.content[k] for k in MESSAGE_KEYS if k in r.content} for r in rows]
                plain_bytes = [len(json.dumps(c, ensure_ascii=False).encode()) for c in contents]
                file_bytes = sum(m.content["info"]["size"] for m in seen if m.msgtype == "m.file")
                ids, started, done = await post_as_host(host, forum, seen)
                picture_floor_posted_s = done - started
                picture_floor_s = await visible_within(
                    host, lambda: ids[-1] in {m.event_id for m in host.messages(forum)}, started
                )
                clock.say(f"picture: {len(rows)} events, {file_bytes / 1024:.0f} KiB attached")

                # 3. the close: a summary in every home room, and the host's own fan-out
                await read_all(host, forum)
                before = {room: len(host.messages(room, sender=bot)) for room in homes}
                wall, started = time.time(), time.perf_counter()
                await host.send(forum, "!meeting close")
                summaries = await until_sent(monitor, lambda: summary_rows(monitor, len(homes)))
                homes_posted_s = max(sent_at(r) for r in summaries) - wall
                homes_s = await visible_within(
                    host,
                    lambda: all(len(host.messages(r, sender=bot)) > before[r] for r in homes),
                    started,
                )
                mine = {room: len(host.messages(room)) for room in homes}
                wall, started = time.time(), time.perf_counter()
                await asyncio.gather(
                    *(host.send(room, "Sammanfattning (baslinje)") for room in homes)
                )
                homes_floor_posted_s = time.time() - wall
                homes_floor_s = await visible_within(
                    host, lambda: all(len(host.messages(r)) > mine[r] for r in homes), started
                )
            finally:
                await monitor.dispose()
            rss, peak = rss_mb(process.pid)
            clock.say("close and summaries done")
        finally:
            if process is not None:
                process.terminate()
                process.wait(30)
            if host is not None:
                await host.stop()
            await hs.stop()
    return {
        "actors": n,
        "sent_s": sent_s,
        "stored_s": stored_s,
        "picture_s": picture_s,
        "picture_floor_s": picture_floor_s,
        "picture_posted_s": picture_posted_s,
        "picture_floor_posted_s": picture_floor_posted_s,
        "parts": len(rows),
        "plain_kib": sum(plain_bytes) / 1024,
        "file_kib": file_bytes / 1024,
        "largest_encrypted": max(event_size(c) for c in contents),
        "homes": len(homes),
        "homes_s": homes_s,
        "homes_floor_s": homes_floor_s,
        "homes_posted_s": homes_posted_s,
        "homes_floor_posted_s": homes_floor_posted_s,
        "rss_mb": rss,
        "peak_mb": peak,
    }


def report_lines(r: dict[str, Any]) -> list[str]:
    n = r["actors"]
    target = TARGETS.get(n)

    def verdict(value: float, goal: float | None) -> str:
        return (
            "" if goal is None else f"   target {goal:.0f} s {'met' if value <= goal else 'MISSED'}"
        )

    def pair(label: str, bot: float, floor: float, goal: float | None = None) -> str:
        return (
            f"  {label:44}{bot:8.2f} s   baseline {floor:6.2f} s   ratio {bot / floor:5.2f}x"
            + verdict(bot, goal)
        )

    return [
        f"{n} actors, one report of ~900 characters each, encrypted forum room of {n} members",
        f"  {n - 1} members' sends returned{'':17}{r['sent_s']:8.2f} s",
        f"  every report stored{'':25}{r['stored_s']:8.2f} s",
        pair(
            "whole picture posted (homeserver has it)",
            r["picture_posted_s"],
            r["picture_floor_posted_s"],
            target,
        ),
        pair("whole picture visible to the host", r["picture_s"], r["picture_floor_s"]),
        f"    {r['parts']} events, {r['plain_kib']:.0f} KiB of content, largest "
        f"{r['largest_encrypted'] / 1024:.1f} KiB encrypted (limit 64 KiB)"
        + (f", and a file of {r['file_kib']:.0f} KiB" if r["file_kib"] else ""),
        pair(
            f"last of {r['homes']} home-room summaries posted",
            r["homes_posted_s"],
            r["homes_floor_posted_s"],
            HOME_TARGET_S,
        ),
        pair(
            f"last of {r['homes']} summaries visible to the host", r["homes_s"], r["homes_floor_s"]
        ),
        f"  bot RSS {r['rss_mb']:.0f} MB, peak {r['peak_mb']:.0f} MB"
        + verdict(r["peak_mb"], RSS_TARGET_MB).replace(" s ", " MB "),
    ]


async def run(sizes: list[int], home_rooms: int) -> None:
    clock = Clock()
    results = []
    for n in sizes:
        results.append(await measure(n, min(home_rooms, n), clock))
    print()
    for r in results:
        print("\n".join(report_lines(r)))
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--actors", type=int, nargs="+", default=[300, 1300])
    parser.add_argument("--home-rooms", type=int, default=300)
    args = parser.parse_args()
    asyncio.run(run(args.actors, args.home_rooms))


if __name__ == "__main__":
    main()
