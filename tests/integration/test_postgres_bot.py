"""The production set-up: the bot on PostgreSQL (async psycopg for the app, sync psycopg for the
scheduler's job store), chosen by an environment override as an operator would."""

from __future__ import annotations

import asyncio

import pytest

from storage import outbox
from tests.fixtures.homeserver import World

pytestmark = [pytest.mark.integration, pytest.mark.postgres]


async def test_bot_runs_on_postgresql(world: World, fresh_postgres_url: str) -> None:
    alice = await world.member("alice")
    bot = await world.bot_account()
    room = await alice.create_room("Konferens", invite=[bot.user_id])
    config = world.config(forum_room=room, members={alice.user_id: ("lst", ["tib"])})
    world.bot_env["SAMVERKAN_STORAGE__URL"] = fresh_postgres_url

    app = await world.start_bot(config)
    assert app.db.dialect == "postgresql"
    assert app.scheduler.get_job("housekeeping") is not None
    reply = await alice.ask(room, "!vem", bot.user_id)
    assert "Aktör lst" in reply.body
    await world.stop_bot(app)

    app = await world.start_bot(config)
    reply = await alice.ask(room, "!hjälp", bot.user_id)
    assert "!vem" in reply.body
    # Alice may see the reply a moment before the sender has marked its row sent.
    for _ in range(100):
        async with app.db.session() as session:
            counts = await outbox.count_by_state(session)
        if counts.get("sent") == 2:
            break
        await asyncio.sleep(0.1)
    assert counts["sent"] == 2 and counts.get("pending", 0) == 0
