"""Sixty situation reports at once, then the combined picture at the deadline, on one local Synapse.

    python -m bench.conference [--actors 60] [--repeats 10]

Sixty actors (kommun, blåljus, region, stat, trafik, övrig), one simulated member each, send
`!läge` within the same second. The bot runs in this process (as the integration tests run it),
so the benchmark can call the scheduler's step function `ConferenceService.run_step` for the
call-in and the deadline directly instead of waiting for Thursday 15:45.

Measured:

1. how long the sixty sends take, and how long until every report is stored (the bot's database
   is polled with a connection of its own), with the stages of a report on its way in;
2. how long from triggering the deadline step until the combined picture is posted (the event's
   server timestamp) and visible to a member (through that member's /sync), split into the step
   itself (read, compile, render and commit) and posting. The target of the issue: every report
   stored and the picture posted under 2 s after the deadline.

The deadline is triggered as soon as the last report is stored, so it meets whatever the bot still
has to send (the receipts). Then, with the outbox drained, the picture is posted again by hand
(`!lägesbild`'s path) several times, interleaved with the baseline: one member posts a plain
message with the picture's content and waits to see it in its own /sync, which is the
homeserver's floor for "posted and visible". A second baseline sends as many small messages one
after another as the bot sent for the reports: the floor for an outbox that sends in order.

Only the member that watches the room keeps syncing (from before anyone joins): the others would be
on their own machines in real life, and sixty /sync loops in this process would take CPU from
the bot.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from nio import JoinResponse
from sqlalchemy import func, select

from bot.app import App
from bot.config import load_config
from bot.demo.configs import minimal_config, write_config
from bot.demo.homeserver import Account, LocalHomeserver
from bot.demo.member import Seen, SimulatedMember
from bot.domain.calendar import next_meeting
from bot.domain.picture import MeetingInfo, compile_picture
from bot.render.picture import render_picture
from storage import meetings
from storage.db import Database
from storage.models import OutboxMessage
from storage.models.infra import HandledEvent
from storage.models.meetings import SituationReport

FORUM = "konferens"
TARGET_S = 2.0

#: (id prefix, name, category, function): actor i gets the (i mod 6)th kind.
KINDS = [
    ("kommun", "Kommun", "kommun", "säkerhetschef"),
    ("blaljus", "Blåljusaktör", "blåljus", "vakthavande"),
    ("region", "Regionverksamhet", "region", "tjänsteman-i-beredskap"),
    ("stat", "Statlig myndighet", "stat", "tib"),
    ("trafik", "Trafikaktör", "trafik", "trafikledare"),
    ("ovrig", "Övrig aktör", "övrig", "kontaktperson"),
]

SITUATIONS = [
    "Snöoväder, plogning pågår på huvudstråken",
    "Strömavbrott i norra delen, ca 400 hushåll",
    "Hög belastning, många halkolyckor",
    "Lugnt, normal verksamhet",
    "E4 halt, köer söder om Södertälje",
    "Isbildning i farleden, färjetrafiken försenad",
]


def actor(i: int) -> tuple[str, str, str, list[str]]:
    """(id, name, category, functions) of actor number i; actor 0 hosts (function `tib`)."""
    prefix, name, category, function = KINDS[i % len(KINDS)]
    functions = ["tib", "rsk-koordinator"] if i == 0 else [function]
    return f"{prefix}-{i:02d}", f"{name} {i // len(KINDS) + 1}", category, functions


def report_text(i: int) -> str:
    """A report of four to six fields; every third has needs, every fifth a raised readiness."""
    lines = [
        f"!läge {SITUATIONS[i % len(SITUATIONS)]} (rapport {i}).",
        f"påverkan: begränsad, {i % 7 + 1} verksamheter berörda",
        "åtgärder: förstärkt bemanning, samordning med grannkommuner",
    ]
    if i % 3 == 0:
        lines.append(f"behov: {i % 4 + 1} bandvagnar och reservkraft från regionen")
    if i % 5 == 0:
        lines.append("beredskap: förstärkningsläge" if i % 20 == 0 else "beredskap: stab")
    if i % 2 == 0:
        lines.append("prognos: ökande under kvällen")
    return "\n".join(lines)


class Clock:
    """Seconds since the benchmark started, for the progress lines."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    def say(self, text: str) -> None:
        print(f"[{time.perf_counter() - self.started:6.1f}s] {text}", flush=True)


def aware(moment: datetime) -> datetime:
    """SQLite hands timestamps back without a zone; they were stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def gather_counted(
    clock: Clock, what: str, jobs: Sequence[Callable[[], Awaitable[Any]]], every: int = 20
) -> list[Any]:
    done = 0

    async def one(job: Callable[[], Awaitable[Any]]) -> Any:
        nonlocal done
        result = await job()
        done += 1
        if done % every == 0 or done == len(jobs):
            clock.say(f"{what}: {done}/{len(jobs)}")
        return result

    return list(await asyncio.gather(*(one(job) for job in jobs)))


async def pause_sync(member: SimulatedMember) -> None:
    """Stops the member's background /sync; it can still send to rooms it has joined."""
    task = member._task
    if task is not None:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        member._task = None


async def join_paused(member: SimulatedMember, room: str) -> None:
    """Joins without a running /sync, then syncs once so that nio knows the room."""
    resp = await member.client.join(room)
    if not isinstance(resp, JoinResponse):
        raise RuntimeError(f"{member.user_id} could not join {room}: {resp}")
    while room not in member.client.rooms:
        await member._sync(timeout=1_000)


async def start_bot(config: Path, password: str) -> App:
    """As `tests.fixtures.homeserver.World.start_bot`: the bot in this process."""
    env = {
        "SAMVERKAN_MATRIX__PASSWORD": password,
        "SAMVERKAN_CRYPTO__KEY": secrets.token_urlsafe(32),  # for its cross-signing keys
    }
    os.environ.update(env)
    try:
        settings = load_config(config)
    finally:
        for key in env:
            os.environ.pop(key, None)
    app = App(settings, retry_first_s=0.5, sync_timeout_ms=5_000)
    await app.start()
    await app.wait_ready()
    return app


def meeting_at(app: App) -> datetime:
    """As `Thursday.meeting_at` in tests/integration/test_conference.py."""
    forum = app.settings.forums[0]
    trigger = forum.trigger(app.settings.zone)
    assert trigger is not None
    meeting = next_meeting(forum, trigger, datetime.now(UTC))
    assert meeting is not None
    return meeting


async def stored_reports(db: Database) -> int:
    async with db.session() as session:
        result = await session.execute(
            select(func.count())
            .select_from(SituationReport)
            .where(SituationReport.current.is_(True))
        )
        return int(result.scalar_one())


async def pending_rows(db: Database) -> int:
    async with db.session() as session:
        result = await session.execute(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
        )
        return int(result.scalar_one())


async def wait_drained(db: Database, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while await pending_rows(db):
        if time.monotonic() > deadline:
            raise TimeoutError("the bot's outbox did not drain")
        await asyncio.sleep(0.05)


def pictures_seen(observer: SimulatedMember, room: str, bot: str) -> list[Seen]:
    return [m for m in observer.messages(room, sender=bot) if "Samlad lägesbild" in m.body]


async def post_and_see(
    observer: SimulatedMember, room: str, bot: str, trigger: Callable[[], Awaitable[None]]
) -> tuple[float, float, float, Seen]:
    """Runs `trigger` (which makes the bot post a picture) and returns, in seconds after the
    trigger: the trigger's own duration, the picture event's server timestamp, and when the
    observer saw it; plus the picture as seen."""
    before = len(pictures_seen(observer, room, bot))
    wall, started = time.time(), time.perf_counter()
    await trigger()
    step = time.perf_counter() - started
    await observer.wait_until(lambda: len(pictures_seen(observer, room, bot)) > before, 60)
    visible = time.perf_counter() - started
    picture = pictures_seen(observer, room, bot)[before]
    return step, picture.timestamp_ms / 1000 - wall, visible, picture


async def baseline_once(
    observer: SimulatedMember, room: str, content: dict[str, Any]
) -> tuple[float, float, float]:
    """One member posts `content` and waits to see it come back through its own /sync:
    (send call, server timestamp, visible) in seconds after the start."""
    wall, started = time.time(), time.perf_counter()
    event_id = await observer.send_event(room, "m.room.message", content)
    sent = time.perf_counter() - started
    await observer.wait_until(
        lambda: any(s.event_id == event_id for s in observer.messages(room)), 60
    )
    visible = time.perf_counter() - started
    seen = next(s for s in observer.messages(room) if s.event_id == event_id)
    return sent, seen.timestamp_ms / 1000 - wall, visible


def notice_like(k: int) -> dict[str, Any]:
    """About the size of a receipt."""
    text = f"Lägesrapport {k} mottagen för Kommun {k}: läge, påverkan, åtgärder, behov."
    return {
        "msgtype": "m.notice",
        "body": text,
        "format": "org.matrix.custom.html",
        "formatted_body": text,
    }


def spread(values: list[float]) -> tuple[float, float, float]:
    """first, median, last."""
    if not values:
        return (float("nan"),) * 3
    return min(values), statistics.median(values), max(values)


def per_event(moments: list[float]) -> float:
    """The mean interval between consecutive events, in seconds."""
    if len(moments) < 2:
        return float("nan")
    return (max(moments) - min(moments)) / (len(moments) - 1)


async def run(n_actors: int, repeats: int) -> None:
    clock = Clock()
    with tempfile.TemporaryDirectory(prefix="samverkan-bench-") as tmp:
        base = Path(tmp)
        hs = LocalHomeserver(base / "synapse")
        await hs.start()
        clock.say("Synapse is up")
        members: list[SimulatedMember] = []
        app: App | None = None
        monitor: Database | None = None
        try:
            bot_account = await hs.register("samverkan")
            accounts: list[Account] = await gather_counted(
                clock,
                "registered",
                [partial(hs.register, f"aktor{i:02d}") for i in range(n_actors)],
            )
            members = await gather_counted(
                clock,
                "E2EE clients started",
                [
                    partial(SimulatedMember.start, hs.url, a, base / "members" / a.user_id)
                    for a in accounts
                ],
            )
            observer = members[0]
            bot = bot_account.user_id
            # Only the observer keeps syncing; sixty clients woken by every join would make
            # the joins (and later the bot) wait for this process's CPU.
            await asyncio.gather(*(pause_sync(m) for m in members[1:]))
            # A public room: sixty invites first would double the membership events.
            room = await observer.create_room("Regional samverkanskonferens", public=True)
            clock.say("forum room created")
            await gather_counted(
                clock, "joined the forum room", [partial(join_paused, m, room) for m in members[1:]]
            )

            data = minimal_config(
                homeserver=hs.url,
                bot_user=bot,
                base=base / "bot",
                forum_room=room,
                members={},
                admins=(observer.user_id,),
            )
            specs = [actor(i) for i in range(n_actors)]
            data["actors"] = [{"id": a, "name": n, "category": c} for a, n, c, _ in specs]
            data["members"] = [
                {"user": m.user_id, "actor": a, "functions": f}
                for m, (a, _, _, f) in zip(members, specs, strict=True)
            ]
            data["forums"][0].update(
                {"schedule": "thu 16:00", "host_function": "tib", "participants": ["*"]}
            )
            config = write_config(data, base / "bot" / "config.toml")
            app = await start_bot(config, bot_account.password)
            monitor = await Database.connect(app.db.url, migrate=False)
            clock.say("bot started in this process and synced")

            conference = app.services.conference
            at = meeting_at(app)
            await conference.run_step(FORUM, "call_in", at)
            await observer.wait_until(
                lambda: any(m.body.startswith("📣") for m in observer.messages(room, sender=bot)),
                30,
            )
            await wait_drained(monitor)
            clock.say(f"call-in posted for the meeting at {at.isoformat()}")

            # -- 1. sixty reports at once ----------------------------------------------------
            texts = [report_text(i) for i in range(n_actors)]
            stored_at: dict[int, float] = {}

            async def poll(started: float) -> None:
                while True:
                    count = await stored_reports(monitor)
                    if count and not stored_at:
                        stored_at[1] = time.perf_counter() - started
                    if count >= n_actors:
                        stored_at[n_actors] = time.perf_counter() - started
                        return
                    await asyncio.sleep(0.01)

            wall0, started = time.time(), time.perf_counter()
            poller = asyncio.create_task(poll(started))
            report_ids = await asyncio.gather(
                *(m.send(room, text) for m, text in zip(members, texts, strict=True))
            )
            sends_s = time.perf_counter() - started
            await asyncio.wait_for(poller, 120)
            all_stored_s = stored_at[n_actors]
            backlog = await pending_rows(monitor)
            clock.say(f"{n_actors} reports stored")

            # -- 2. the deadline, right after the last report ----------------------------
            step_s, posted_s, visible_s, picture = await post_and_see(
                observer, room, bot, lambda: conference.run_step(FORUM, "deadline", at)
            )
            clock.say("deadline step: picture posted and seen")

            # Every receipt, then the stages of each report on its way in.
            report_set = set(report_ids)

            def receipted() -> int:
                return len(
                    [m for m in observer.messages(room, sender=bot) if m.reply_to in report_set]
                )

            await observer.wait_until(lambda: receipted() >= n_actors, 120)
            await wait_drained(monitor)
            async with monitor.session() as session:
                handled = {
                    row.event_id: aware(row.received_at).timestamp()
                    for row in (
                        await session.execute(
                            select(HandledEvent).where(HandledEvent.event_id.in_(report_set))
                        )
                    ).scalars()
                }
                stored = {
                    row.source_event_id: aware(row.received_at).timestamp()
                    for row in (
                        await session.execute(
                            select(SituationReport).where(SituationReport.current.is_(True))
                        )
                    ).scalars()
                }
                # What the bot sent for the reports: created after the first send, not pictures.
                bot_sent = [
                    aware(row.sent_at).timestamp()
                    for row in (
                        await session.execute(
                            select(OutboxMessage).where(
                                OutboxMessage.created_at >= datetime.fromtimestamp(wall0, UTC),
                                OutboxMessage.dedupe_key.is_(None),
                            )
                        )
                    ).scalars()
                    if row.sent_at is not None
                ]
            by_id = {s.event_id: s for s in observer.messages(room)}
            receipts = {
                m.reply_to: m.timestamp_ms / 1000
                for m in observer.messages(room, sender=bot)
                if m.reply_to in report_set
            }
            at_server = [by_id[e].timestamp_ms / 1000 - wall0 for e in report_ids if e in by_id]
            at_bot = [handled[e] - wall0 for e in report_ids if e in handled]
            at_store = [stored[e] - wall0 for e in report_ids if e in stored]
            at_receipt = [receipts[e] - wall0 for e in report_ids if e in receipts]
            receipts_s = max(at_receipt) if at_receipt else float("nan")
            clock.say("all receipts seen")

            # -- 3. where the step's time goes ----------------------------------------------
            forum = app.settings.forum(FORUM)
            assert forum is not None
            pictures = conference.pictures
            async with app.db.session() as session:
                meeting = await meetings.active_meeting(session, FORUM)
                assert meeting is not None
                started = time.perf_counter()
                entries = await pictures.entries(session, meeting)
                read_s = time.perf_counter() - started
            info_started = time.perf_counter()
            for _ in range(10):
                compiled = compile_picture(
                    MeetingInfo(forum.name, meeting.scheduled_at or at, meeting.deadline_at),
                    pictures.participants(forum),
                    entries,
                    app.settings.reports.readiness_levels,
                )
                text, html = render_picture(compiled, app.catalogue, app.settings.zone)
            render_s = (time.perf_counter() - info_started) / 10
            size = len(json.dumps(picture.content, ensure_ascii=False).encode())

            # -- 4. quiet pictures, interleaved with the homeserver's floor -----------------
            content: dict[str, Any] = {
                k: picture.content[k]
                for k in ("msgtype", "body", "format", "formatted_body")
                if k in picture.content
            }
            quiet: list[tuple[float, float, float]] = []
            floor: list[tuple[float, float, float]] = []
            for _ in range(repeats):
                await wait_drained(monitor)
                q_step, q_posted, q_visible, _ = await post_and_see(
                    observer, room, bot, lambda: conference.picture_now(forum)
                )
                quiet.append((q_step, q_posted, q_visible))
                floor.append(await baseline_once(observer, room, content))
            clock.say("quiet pictures and baseline done")

            # The homeserver's floor for the outbox: small messages, one after another.
            serial_started = time.perf_counter()
            for k in range(len(bot_sent)):
                await observer.send_event(room, "m.room.message", notice_like(k))
            serial_s = (time.perf_counter() - serial_started) / max(1, len(bot_sent))
            clock.say("serial baseline done")
        finally:
            if app is not None:
                await app.stop()
            if monitor is not None:
                await monitor.dispose()
            for member in members:
                await member.stop()
            await hs.stop()
        total = time.perf_counter() - clock.started

    def med(rows: list[tuple[float, float, float]], col: int) -> float:
        return statistics.median(r[col] for r in rows)

    def line(label: str, *values: float | str, note: str = "") -> None:
        cells = "".join(f"{v:>9}" if isinstance(v, str) else f"{v * 1000:9.0f}" for v in values)
        print(f"  {label:50}{cells}{'   ' + note if note else ''}")

    print()
    print(f"{n_actors} actors, one member each, all reporting at once; ms after the first send")
    line(f"{n_actors} sends (asyncio.gather) returned", sends_s)
    line("first report stored (polled)", stored_at[1])
    line(f"all {n_actors} reports stored (polled)", all_stored_s)
    line(f"all {n_actors} receipts posted", receipts_s)
    print()
    print("a report on its way in; ms after the first send")
    line("", "first", "median", "last")
    line("event created on the homeserver", *spread(at_server))
    line("recorded by the bot's dispatcher", *spread(at_bot))
    line("stored (situation_reports)", *spread(at_store))
    line("receipt created on the homeserver", *spread(at_receipt))
    print()
    print("messages into the one forum room, time per message (ms)")
    line(f"{n_actors} members' reports, sent concurrently", per_event(at_server))
    line(
        f"the bot's outbox, {len(bot_sent)} rows (reaction + receipt each)",
        per_event(bot_sent),
        note="sent one at a time, in order",
    )
    line(f"baseline: one member, {len(bot_sent)} notices one after another", serial_s)
    print()
    print(f"combined picture ({size / 1024:.1f} KiB event); ms after the trigger")
    line("", "step", "posted", "visible")
    line(
        "deadline step, right after the last report",
        step_s,
        posted_s,
        visible_s,
        note=f"{backlog} bot messages were still queued",
    )
    line(
        f"by hand with the outbox empty (median of {repeats})",
        med(quiet, 0),
        med(quiet, 1),
        med(quiet, 2),
    )
    line(
        "baseline: a member posts the same content",
        med(floor, 0),
        med(floor, 1),
        med(floor, 2),
        note="step = its send call",
    )
    ratio_deadline = f"{visible_s / med(floor, 2):.2f}x"
    ratio_quiet = f"{med(quiet, 2) / med(floor, 2):.2f}x"
    line("ratio visible / baseline: deadline step", "", "", ratio_deadline)
    line("ratio visible / baseline: by hand, outbox empty", "", "", ratio_quiet)
    print()
    print("inside the step (one run, ms)")
    print(f"  {'read ' + str(len(entries)) + ' current reports':50}{read_s * 1000:9.1f}")
    label = f"compile + render (text {len(text)} chars, html {len(html)})"
    print(f"  {label:50}{render_s * 1000:9.1f}")
    print()
    verdict = "met" if posted_s <= TARGET_S else "missed"
    print(f"target: every report stored, picture posted < {TARGET_S:.0f} s after the deadline")
    print(
        f"  {verdict}: all stored {all_stored_s:.2f} s after the first send; picture posted "
        f"{posted_s:.2f} s after the deadline ({med(quiet, 1):.2f} s with the outbox empty)"
    )
    print(f"whole benchmark: {total:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--actors", type=int, default=60, help="actors, one member each")
    parser.add_argument("--repeats", type=int, default=10, help="quiet pictures and baselines")
    args = parser.parse_args()
    asyncio.run(run(args.actors, args.repeats))


if __name__ == "__main__":
    main()
