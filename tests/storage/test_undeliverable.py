"""Home rooms the bot cannot post to are reported to the admins: a notice each for a few, one
notice naming them all for many (a national forum must not get a thousand)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.config import load_config
from bot.services.core import Core
from bot.services.outbox import Outbox
from bot.services.summaries import SEPARATE_NOTICES, SummaryService
from storage.db import Database
from storage.models import OutboxMessage

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"


async def notices(database: Database, actors: int) -> list[dict[str, Any]]:
    settings = load_config(EXAMPLE)
    summaries = SummaryService(
        Core.of(settings, database),
        Outbox(database, lambda room_id: None),
        None,  # type: ignore[arg-type]  # not needed to report
        None,  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
    )
    unreachable = settings.actors[:actors]
    async with database.session() as session:
        await summaries._undeliverable(session, "!forum:x", f"m{actors}", unreachable)
        await session.commit()
        rows = await session.execute(
            select(OutboxMessage.content).where(OutboxMessage.dedupe_key.like(f"%:m{actors}:%"))
        )
        return list(rows.scalars())


async def test_a_few_get_a_notice_each_and_many_one_together(database: Database) -> None:
    few = await notices(database, SEPARATE_NOTICES)
    assert len(few) == SEPARATE_NOTICES
    assert all("Sammanfattningen till" in n["body"] for n in few)

    settings = load_config(EXAMPLE)
    many = await notices(database, len(settings.actors))
    assert len(many) == 1
    body = many[0]["body"]
    assert f"till {len(settings.actors)} aktörer" in body
    assert all(actor.name in body for actor in settings.actors)
    admins = settings.bot.admins
    assert many[0]["m.mentions"] == ({"user_ids": sorted(admins)} if admins else {})
