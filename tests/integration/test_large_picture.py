"""A combined picture of any size reaches an encrypted forum room whole, and nothing the server
refuses blocks a room: on the real homeserver, with its 65,536-byte event limit."""

from __future__ import annotations

import asyncio
import html
import re
import time
from dataclasses import dataclass

import pytest

from bot.app import App
from bot.demo.configs import minimal_config, write_config
from bot.demo.member import Seen, SimulatedMember
from bot.matrix.content import Attachment, notice
from storage import outbox
from storage.models import OutboxMessage
from tests.fixtures.homeserver import World

pytestmark = pytest.mark.integration

ACTORS = 150
#: What agencies write during a snowstorm: about 900 characters.
PARAGRAPH = " ".join(
    f"Kraftigt snöfall sedan i morse ({n}) med drivbildning på öppna ytor; plogning pågår på "
    "huvudvägnätet men flera lokalgator är ofarbara. Hemtjänsten har prioriterat besök hos "
    "brukare med insatser för mat och medicin, övriga besök flyttas till i morgon. Två skolor "
    "håller stängt och elevhälsan nås per telefon."
    for n in range(3)
)


@dataclass
class Forum:
    host: SimulatedMember
    bot: str
    room: str
    app: App
    others: list[str]

    def names(self) -> list[str]:
        return ["Aktör lst", *(f"Aktör {a}" for a in self.others)]


async def a_forum_where_all_have_reported(world: World, **reports: object) -> Forum:
    """An encrypted forum room of ACTORS actors, each of whom has sent a paragraph report to
    the meeting that is open; `reports` are extra `[reports]` settings."""
    host = await world.member("host")
    bot = await world.bot_account()
    room = await host.create_room("Konferens", encrypted=True, invite=[bot.user_id])
    data = minimal_config(
        homeserver=world.hs.url,
        bot_user=bot.user_id,
        base=world.base / "bot",
        forum_room=room,
        members={host.user_id: ("lst", ["tib"])},
    )
    others = [f"a{n:03}" for n in range(1, ACTORS)]
    data["actors"] += [
        {"id": a, "name": f"Aktör {a}", "category": ("kommun", "stat", "blåljus")[n % 3]}
        for n, a in enumerate(others)
    ]
    data["members"] += [
        {"user": f"@{a}-{world.tag}:{world.hs.server_name}", "actor": a, "functions": ["tib"]}
        for a in others
    ]
    data["forums"][0]["host_function"] = "tib"
    data.setdefault("reports", {}).update(reports)
    app = await world.start_bot(write_config(data, world.base / "bot" / "config.toml"))
    started = await host.ask(room, "!meeting start", bot.user_id)
    assert started.encrypted
    forum = app.settings.forum("konferens")
    assert forum is not None
    for actor in others:
        await app.services.reports.submit(
            forum, f"@{actor}-{world.tag}:{world.hs.server_name}", f"{actor}: {PARAGRAPH}"
        )
    await host.ask(room, f"!status lst: {PARAGRAPH}", bot.user_id)
    return Forum(host, bot.user_id, room, app, others)


async def test_a_picture_of_150_actors_arrives_whole_and_the_room_stays_responsive(
    world: World,
) -> None:
    forum = await a_forum_where_all_have_reported(world)
    host, room = forum.host, forum.room

    asked = await host.send(room, "!picture")
    whoami = await host.send(room, "!whoami")
    head = await host.wait_for_reply(room, asked, forum.bot, timeout=60)
    parts_expected = int(re.search(r"\((\d+) delar\)", head.body).group(1))  # type: ignore[union-attr]
    assert parts_expected >= 3 and head.encrypted
    await host.wait_until(
        lambda: (
            len(host.messages(room, sender=forum.bot, reply_to=head.event_id)) >= parts_expected
        ),
        timeout=60,
    )
    parts = host.messages(room, sender=forum.bot, reply_to=head.event_id)
    assert all(p.encrypted for p in parts)
    assert all(p.content["m.relates_to"]["rel_type"] == "m.thread" for p in parts)
    text = "\n".join(p.body for p in parts)
    for name in forum.names():
        assert text.count(f"• {name}\n") == 1, name  # every actor once, whole
    assert text.count(PARAGRAPH.strip()) == ACTORS  # and every report whole
    answer = await host.wait_for_reply(room, whoami, forum.bot, timeout=30)
    assert "lst" in answer.body


async def test_a_picture_past_its_thread_limit_is_one_encrypted_file_in_the_thread(
    world: World,
) -> None:
    forum = await a_forum_where_all_have_reported(world, picture_thread_parts=2)
    host, room = forum.host, forum.room

    head = await host.ask(room, "!picture", forum.bot, timeout=60)
    assert f"Hela lägesbilden ({ACTORS} aktörer) finns i filen i tråden." in head.body
    await host.wait_until(
        lambda: bool(host.messages(room, sender=forum.bot, reply_to=head.event_id)), timeout=60
    )
    (attached,) = host.messages(room, sender=forum.bot, reply_to=head.event_id)
    assert attached.encrypted and attached.msgtype == "m.file"
    assert attached.content["m.relates_to"]["rel_type"] == "m.thread"
    assert "url" not in attached.content  # only the encrypted file's address, with its key
    assert attached.body.startswith(
        "lagesbild-regional-samverkanskonferens-"
    ) and attached.body.endswith(".html")
    document = (await host.download(attached)).decode()
    assert document.startswith("<!doctype html>")
    assert len(document.encode()) == attached.content["info"]["size"]
    for name in forum.names():
        assert document.count(f"<b>{name}</b>") == 1, name  # every actor once, whole
    assert document.count(html.escape(PARAGRAPH.strip())) == ACTORS
    await asyncio.sleep(1)  # nothing else follows in the thread
    assert len(host.messages(room, sender=forum.bot, reply_to=head.event_id)) == 1


async def test_a_message_the_server_refuses_fails_at_once_and_the_room_moves_on(
    world: World,
) -> None:
    host = await world.member("host")
    bot = await world.bot_account()
    room = await host.create_room("Konferens", invite=[bot.user_id])
    config = world.config(
        forum_room=room, members={host.user_id: ("lst", ["tib"])}, admins=(host.user_id,)
    )
    app = await world.start_bot(config)
    await host.ask(room, "!whoami", bot.user_id)

    # Queued past the splitting (as a message from before it would be): far over the limit.
    async with app.db.session() as session:
        row = await outbox.enqueue(session, room_id=room, content=notice("x" * 80_000))
        await session.commit()
    app.sender.wake(room)
    began = time.monotonic()
    answer = await host.ask(room, "!whoami", bot.user_id, timeout=20)
    assert "lst" in answer.body

    def refusal_told() -> list[Seen]:
        return [m for m in host.messages(room, sender=bot.user_id) if "M_TOO_LARGE" in m.body]

    await host.wait_until(lambda: bool(refusal_told()), timeout=20)
    (told,) = refusal_told()
    assert host.user_id in told.content["m.mentions"]["user_ids"]  # the admins are pinged
    assert time.monotonic() - began < 20  # no backoff: the queue moved on at once
    async with app.db.session() as session:
        failed = await session.get(OutboxMessage, row.id)
        assert failed is not None and failed.state == "failed" and failed.attempts <= 1


async def test_a_file_in_an_unencrypted_room_is_uploaded_in_the_clear_once(world: World) -> None:
    host = await world.member("host")
    bot = await world.bot_account()
    room = await host.create_room("Konferens", invite=[bot.user_id])
    config = world.config(forum_room=room, members={host.user_id: ("lst", ["tib"])})
    app = await world.start_bot(config)
    await host.ask(room, "!whoami", bot.user_id)

    data = "<!doctype html><p>Läget i länet</p>".encode()
    async with app.db.session() as session:
        await app.outbox.add_file(
            session, room, Attachment("lagesbild.html", "text/html", data), dedupe_key="f"
        )
        await app.outbox.add_file(  # the same key again: nothing more
            session, room, Attachment("lagesbild.html", "text/html", data), dedupe_key="f"
        )
        await session.commit()
    app.sender.wake(room)

    def files() -> list[Seen]:
        return [m for m in host.messages(room, sender=bot.user_id) if m.msgtype == "m.file"]

    await host.wait_until(lambda: bool(files()), timeout=20)
    await host.ask(room, "!whoami", bot.user_id)  # what follows the file is through too
    (posted,) = files()
    assert not posted.encrypted and posted.content["url"].startswith("mxc://")
    assert await host.download(posted) == data
    async with app.db.session() as session:
        row = await outbox.find_by_dedupe_key(session, "f")
        assert row is not None and row.state == "sent" and row.attachment is None
