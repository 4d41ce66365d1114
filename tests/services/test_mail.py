"""The reservväg by e-mail against a real SMTP server on 127.0.0.1 (aiosmtpd), with the real
services, database and timers under a fake clock: an alert nobody acknowledges in Matrix is
mailed after ``email_after`` and its link acknowledges it; summaries go by mail to a home
organisation chat does not reach; a server that refuses or is down loses nothing."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.config import ForumConfig, Settings, load_config
from bot.domain.link_tokens import LinkRefused
from bot.mail.sender import REFUSED_ATTEMPTS, MailSender
from bot.render.timeline import render_alert_status
from bot.scheduling.planner import plan_meetings
from bot.testing import ServiceHarness, service_harness
from storage import meetings
from storage.models.activations import AlertRecipient
from storage.models.mail import MailMessage, MailState
from tests.fixtures.smtp import SmtpServer, html_of, text_of
from tests.services.harness_config import REGION

ZONE = ZoneInfo("Europe/Stockholm")
START = datetime(2026, 12, 7, 10, 0, tzinfo=ZONE)
TIB_MAIL = "tib@lst.example.se"
LINK = re.compile(r"https://samverkan\.example\.se/a/(\S+)")


def _settings(
    tmp_path: Path, smtp: SmtpServer, *, require_encryption: bool = False, summaries: str = ""
) -> Settings:
    text = REGION.replace(
        '[[members]]\nuser = "@tib:example.se"',
        f'[[members]]\nuser = "@tib:example.se"\nemail = "{TIB_MAIL}"',
    ).replace(
        '[[actors]]\nid = "solna"',
        '[[actors]]\nid = "solna"\nemail = "krisledning@solna.example.se"',
    )
    text = text.replace(
        "require_encryption = false", f"require_encryption = {str(require_encryption).lower()}"
    )
    text = text.replace(
        'alert_functions = ["kommunikatör"]',
        'alert_functions = ["kommunikatör"]\nemail_to = ["stab@lst.example.se"]',
    )
    email = smtp.email_section(**({"summaries": summaries} if summaries else {}))
    path = tmp_path / "region.toml"
    path.write_text(text + "\n" + email, encoding="utf-8")
    web = {"enabled": True, "public_url": "https://samverkan.example.se", "link_secret": "s"}
    return load_config(path, overrides={"web": web})


@asynccontextmanager
async def _harness(
    tmp_path: Path, smtp: SmtpServer, *, require_encryption: bool = False, summaries: str = ""
) -> AsyncIterator[tuple[ServiceHarness, MailSender]]:
    settings = _settings(tmp_path, smtp, require_encryption=require_encryption, summaries=summaries)
    async with service_harness(settings, tmp_path, start=START) as h:
        sender = MailSender(settings.email, h.db, clock=h.clock, retry_first_s=5, retry_max_s=60)
        yield h, sender


async def _mails(h: ServiceHarness) -> list[MailMessage]:
    async with h.db.session() as session:
        return list((await session.execute(select(MailMessage).order_by(MailMessage.id))).scalars())


async def _raise(h: ServiceHarness, exercise: bool = False) -> int:
    alert = await h.services.alerts.raise_now(
        function="tib",
        message="Brand i Solna <centrum> & kraftig rök",
        raised_by="@rsk:example.se",
        exercise=exercise,
        activation_id=None,
    )
    return alert.id


async def test_an_unacknowledged_alert_is_mailed_after_email_after_and_its_link_acks_it(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    async with _harness(tmp_path, smtp) as (h, sender):
        alert_id = await _raise(h)
        assert alert_id
        assert await _mails(h) == []
        h.clock.advance(timedelta(minutes=4, seconds=59))
        await h.run_due()
        assert await _mails(h) == []  # not before email_after (5 min)

        h.clock.advance(timedelta(seconds=1))
        await h.run_due()
        assert await sender.send_due() == 1
        (message,) = await smtp.mailbox.wait_for(TIB_MAIL)
        assert message["Subject"] == f"Larm {alert_id}: bekräfta att du sett det"
        assert "Brand" not in message["Subject"]  # nothing sensitive in the subject
        assert "Brand i Solna <centrum> & kraftig rök" in text_of(message)
        assert "Brand i Solna &lt;centrum&gt; &amp; kraftig rök" in html_of(message)
        assert message["Auto-Submitted"] == "auto-generated"

        # Run again, and by the outage path too: still one mail.
        await h.services.alert_mail.send(alert_id, "matrix_down")  # type: ignore[union-attr]
        await sender.send_due()
        assert len(smtp.mailbox.to(TIB_MAIL)) == 1

        match = LINK.search(text_of(message))
        assert match is not None
        token = match.group(1)
        links = h.services.alert_mail
        assert links is not None
        with pytest.raises(LinkRefused) as forged:
            await links.acknowledge(token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1])
        assert forged.value.kind == "forged"
        seen = await links.open_link(token)  # looking changes nothing
        assert seen.user_id == "@tib:example.se"
        link = await links.acknowledge(token)
        assert link.alert_id == alert_id
        async with h.db.session() as session:
            row = (
                await session.execute(
                    select(AlertRecipient).where(AlertRecipient.alert_id == alert_id)
                )
            ).scalar_one()
        assert row.acked_via == "email" and row.acked_at is not None
        assert not [j for j, _, _ in await h.armed() if j.startswith(f"alert:{alert_id}:")]
        with pytest.raises(LinkRefused) as used:
            await links.acknowledge(token)
        assert used.value.kind == "used"
        status = await h.services.alerts.records.one(alert_id)
        text, _ = render_alert_status(h.services.catalogue, ZONE, status)
        assert "(e-post)" in text  # `!larm N` says how it was acknowledged

        # No re-ping after the acknowledgement.
        before = await h.bodies()
        h.clock.advance(timedelta(hours=1))
        await h.run_due()
        assert await h.bodies() == before


async def test_an_expired_link_is_refused_and_exercise_mail_says_so(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    async with _harness(tmp_path, smtp) as (h, sender):
        await _raise(h, exercise=True)
        h.clock.advance(timedelta(minutes=5))
        await h.run_due()
        await sender.send_due()
        (message,) = await smtp.mailbox.wait_for(TIB_MAIL)
        assert message["Subject"].startswith("ÖVNING: Larm ")
        match = LINK.search(text_of(message))
        assert match is not None
        h.clock.advance(timedelta(hours=25))
        with pytest.raises(LinkRefused) as expired:
            await h.services.alert_mail.acknowledge(match.group(1))  # type: ignore[union-attr]
        assert expired.value.kind == "expired"


async def test_require_encryption_keeps_the_content_out_of_the_mail(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    async with _harness(tmp_path, smtp, require_encryption=True) as (h, sender):
        await _raise(h)
        h.clock.advance(timedelta(minutes=5))
        await h.run_due()
        await sender.send_due()
        (message,) = await smtp.mailbox.wait_for(TIB_MAIL)
        body = text_of(message)
        assert "Brand" not in body and "Brand" not in html_of(message)
        assert "https://samverkan.example.se/" in body and LINK.search(body)


async def test_a_server_down_or_refusing_loses_nothing(tmp_path: Path, smtp: SmtpServer) -> None:
    async with _harness(tmp_path, smtp) as (h, sender):
        smtp.stop()
        await _raise(h)
        h.clock.advance(timedelta(minutes=5))
        await h.run_due()
        assert await sender.send_due() == 0
        (row,) = await _mails(h)
        assert row.state == MailState.PENDING and row.attempts == 1 and row.last_error
        assert row.next_attempt_at is not None and row.next_attempt_at > h.clock.now()
        assert await sender.send_due() == 0  # not due again before its retry time
        message_id = row.message_id

        smtp.start()
        smtp.mailbox.answer = "451 4.3.0 try again later"
        h.clock.advance(timedelta(minutes=1))
        assert await sender.send_due() == 0
        (row,) = await _mails(h)
        assert row.state == MailState.PENDING and row.attempts == 2

        smtp.mailbox.answer = None
        h.clock.advance(timedelta(minutes=2))
        assert await sender.send_due() == 1
        (message,) = await smtp.mailbox.wait_for(TIB_MAIL)
        assert message["Message-ID"] == message_id  # the same message on every attempt
        (row,) = await _mails(h)
        assert row.state == MailState.SENT


async def test_a_refused_recipient_is_given_up_on_and_kept(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    async with _harness(tmp_path, smtp) as (h, sender):
        smtp.mailbox.answer = "550 5.1.1 no such mailbox"
        await _raise(h)
        h.clock.advance(timedelta(minutes=5))
        await h.run_due()
        for _ in range(REFUSED_ATTEMPTS):
            await sender.send_due()
            h.clock.advance(timedelta(minutes=10))
        (row,) = await _mails(h)
        assert row.state == MailState.FAILED and "550" in (row.last_error or "")
        assert row.attempts == REFUSED_ATTEMPTS


async def test_a_summary_goes_by_mail_to_a_home_organisation_chat_does_not_reach(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    async with _harness(tmp_path, smtp) as (h, sender):
        forum = h.settings.forum("konferens")
        assert forum is not None
        h.rooms.unjoined = {"!solna-hem-example.se:example.se"}
        await _summarise(h, forum)
        await sender.send_due()
        (message,) = await smtp.mailbox.wait_for("krisledning@solna.example.se")
        assert message["Subject"] == "Sammanfattning från Regional samverkanskonferens"
        assert "Solna stad" in text_of(message)
        # Länsstyrelsen has no address and a reachable room: its summary stays in Matrix.
        assert await h.bodies("!lst-hem-example.se:example.se")
        assert len(smtp.mailbox.received) == 1


async def _summarise(h: ServiceHarness, forum: ForumConfig) -> None:
    async with h.db.session() as session:
        meeting = await meetings.scheduled_meeting(
            session, forum.id, datetime(2026, 12, 10, 15, 0, tzinfo=ZoneInfo("UTC"))
        )
        await h.services.conference.summaries.send(
            session, forum, "!konferens-example.se:example.se", meeting, None
        )
        await session.commit()


async def test_summaries_always_mails_a_reachable_home_organisation_too(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    async with _harness(tmp_path, smtp, summaries="always") as (h, sender):
        forum = h.settings.forum("konferens")
        assert forum is not None
        await _summarise(h, forum)
        await _summarise(h, forum)  # the step run twice: one mail still
        await sender.send_due()
        await smtp.mailbox.wait_for("krisledning@solna.example.se")
        assert await h.bodies("!solna-hem-example.se:example.se")  # and in Matrix as ever
        assert len(smtp.mailbox.received) == 1


async def test_the_picture_goes_to_the_forums_email_to_at_the_deadline(
    tmp_path: Path, smtp: SmtpServer
) -> None:
    async with _harness(tmp_path, smtp) as (h, sender):
        forum = h.settings.forum("konferens")
        assert forum is not None
        await plan_meetings(h.timers, h.settings, h.clock.now())
        h.clock.set(datetime(2026, 12, 10, 14, 0, tzinfo=ZONE))
        await h.run_due()
        await h.services.reports.submit(forum, "@solna:example.se", "Läge: <b>lugnt</b> & kallt")
        h.clock.set(datetime(2026, 12, 10, 15, 45, tzinfo=ZONE))
        await h.run_due()
        await sender.send_due()
        (message,) = await smtp.mailbox.wait_for("stab@lst.example.se")
        assert message["Subject"] == "Samlad lägesbild från Regional samverkanskonferens"
        assert "Solna stad" in text_of(message)
        assert "&lt;b&gt;lugnt&lt;/b&gt; &amp; kallt" in html_of(message)
