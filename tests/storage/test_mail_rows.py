"""The mail outbox's rows over time: what old sent mail said is forgotten, the row that keeps
it from being sent twice is not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.scheduling.jobs import KEEP_HISTORY, prune_history
from storage import mail
from storage.db import Database

NOW = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


async def _queued(database: Database, key: str) -> None:
    async with database.session() as s:
        await mail.enqueue(
            s,
            to_address="tib@example.se",
            subject="Larm #1",
            text_body="Snöstorm: kvittera",
            html_body="<p>Snöstorm: kvittera</p>",
            message_id=mail.new_message_id("example.se"),
            dedupe_key=key,
        )
        await s.commit()


async def test_old_sent_mail_keeps_its_key_but_not_its_words(database: Database) -> None:
    for key in ("old", "recent", "pending"):
        await _queued(database, key)
    async with database.session() as s:
        old, recent = await mail.by_key(s, "old"), await mail.by_key(s, "recent")
        assert old is not None and recent is not None
        mail.mark_sent(old, NOW - timedelta(days=40))
        mail.mark_sent(recent, NOW - timedelta(days=2))
        await s.commit()

    async with database.session() as s:
        assert await mail.forget_sent_bodies(s, NOW - timedelta(days=30)) == 1
        await s.commit()
        assert await mail.forget_sent_bodies(s, NOW - timedelta(days=30)) == 0  # once

    async with database.session() as s:
        rows = {key: await mail.by_key(s, key) for key in ("old", "recent", "pending")}
        old, recent, pending = rows["old"], rows["recent"], rows["pending"]
        assert old is not None and recent is not None and pending is not None
        assert (old.text_body, old.html_body) == ("", "")
        assert old.subject == "Larm #1" and old.message_id.endswith("@example.se>")
        assert recent.text_body == "Snöstorm: kvittera"
        assert pending.html_body == "<p>Snöstorm: kvittera</p>"  # not sent: kept whole
        # The key still holds: queueing the same alert's mail again gives the old row.
        again = await mail.enqueue(
            s,
            to_address="tib@example.se",
            subject="Larm #1",
            text_body="x",
            html_body="x",
            message_id=mail.new_message_id("example.se"),
            dedupe_key="old",
        )
        assert again.id == old.id and again.text_body == ""


async def test_the_daily_housekeeping_forgets_them(database: Database) -> None:
    await _queued(database, "month-old")
    async with database.session() as s:
        row = await mail.by_key(s, "month-old")
        assert row is not None
        mail.mark_sent(row, datetime.now(UTC) - KEEP_HISTORY - timedelta(hours=1))
        await s.commit()
    await prune_history(database)
    async with database.session() as s:
        row = await mail.by_key(s, "month-old")
        assert row is not None and row.text_body == "" and row.state == "sent"
