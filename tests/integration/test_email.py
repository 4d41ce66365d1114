"""The reservväg on a real homeserver and a real SMTP server (both on 127.0.0.1): an alert not
acknowledged in Matrix reaches the mailbox after ``email_after`` and its link acknowledges it;
an SMTP server that is down never holds up Matrix and loses nothing; a homeserver outage sends
the running alerts by mail at once."""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from bot.demo.homeserver import free_port
from storage.models import AlertRecipient, MailMessage
from storage.models.mail import MailState
from tests.fixtures.homeserver import World
from tests.fixtures.scene import Scene
from tests.fixtures.smtp import SmtpServer, text_of

pytestmark = pytest.mark.integration

PEOPLE = {"host": ("lst", ["rsk-koordinator"]), "tib": ("lst", ["tib"])}
ACTORS = {"lst": "Länsstyrelsen Stockholm"}
TIB_MAIL = "tib@lst.example.se"


class Mailing(Scene):
    def __init__(self, world: World, smtp: SmtpServer, **email: Any) -> None:
        super().__init__(world, PEOPLE, ACTORS, ("Samverkan", "Larm"))
        self.smtp = smtp
        self.email = email
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    @property
    def alerts_room(self) -> str:
        return self.rooms["Larm"]

    def configure(self, data: dict[str, Any]) -> None:
        data["forums"][0].update({"participants": list(ACTORS), "host_function": "rsk-koordinator"})
        data["alerts"] = {
            "room": self.alerts_room,
            "ack_timeout": "1h",
            "email_after": self.email.pop("email_after", "2s"),
        }
        data["members"][1]["email"] = TIB_MAIL
        self.world.bot_env["SAMVERKAN_WEB__TOKEN"] = secrets.token_urlsafe(16)
        data["web"] = {
            "enabled": True,
            "host": "127.0.0.1",
            "port": self.port,
            "public_url": self.url,
        }
        data["email"] = {
            "host": "127.0.0.1",
            "port": self.smtp.port,
            "starttls": False,
            "from": "samverkan@example.se",
            "timeout": "5s",
            **self.email,
        }

    async def raise_alert(self, text: str) -> None:
        await self.host.ask(self.alerts_room, f"!larma tib {text}", self.bot)
        await self.bot_says(self.alerts_room, lambda m: "Larm #" in m.body and bool(m.mentions))

    async def mail_rows(self) -> list[MailMessage]:
        assert self.app is not None
        async with self.app.db.session() as session:
            return list((await session.execute(select(MailMessage))).scalars())


def link_in(text: str, url: str) -> str:
    match = re.search(re.escape(url) + r"/a/\S+", text)
    assert match is not None, text
    return match.group(0)


async def test_an_unacknowledged_alert_is_mailed_and_its_link_acknowledges_it(
    world: World, smtp: SmtpServer
) -> None:
    scene = Mailing(world, smtp)
    await scene.setup()
    await scene.raise_alert("Brand i Solna, ring SOS")
    (message,) = await smtp.mailbox.wait_for(TIB_MAIL, timeout=30)
    assert message["Subject"].startswith("Larm ") and "Brand" not in message["Subject"]
    assert "Brand i Solna, ring SOS" in text_of(message)
    link = link_in(text_of(message), scene.url)

    async with aiohttp.ClientSession() as http:
        async with http.get(link) as shown:  # a mail scanner's look changes nothing
            assert shown.status == 200
            assert "<button" in await shown.text()
        async with http.get(link[:-3] + "xyz") as forged:
            assert forged.status == 403
        async with http.post(link) as done:
            assert done.status == 200
            assert "Bekräftat" in await done.text()
        async with http.post(link) as again:
            assert again.status == 410

    assert scene.app is not None
    async with scene.app.db.session() as session:
        rows = (await session.execute(select(AlertRecipient))).scalars().all()
    assert [(r.acked_via, r.acked_at is not None) for r in rows] == [("email", True)]
    assert len(smtp.mailbox.to(TIB_MAIL)) == 1


async def test_an_smtp_server_that_is_down_never_holds_up_matrix_and_loses_nothing(
    world: World, smtp: SmtpServer
) -> None:
    scene = Mailing(world, smtp)
    await scene.setup()
    smtp.stop()
    await scene.raise_alert("Stormen, ring in")
    deadline = time.monotonic() + 30
    while not [r for r in await scene.mail_rows() if r.attempts > 0]:
        assert time.monotonic() < deadline, "the mail was never tried"
        await asyncio.sleep(0.2)
    (row,) = await scene.mail_rows()
    assert row.state == MailState.PENDING and row.last_error

    started = time.monotonic()
    reply = await scene.host.ask(scene.rooms["Samverkan"], "!vem", scene.bot)
    assert "Länsstyrelsen Stockholm" in reply.body
    assert time.monotonic() - started < 10

    smtp.start()
    (message,) = await smtp.mailbox.wait_for(TIB_MAIL, timeout=40)
    assert message["Message-ID"] == row.message_id
    # The server has the mail before the sender has its answer and marks the row: wait for it.
    deadline = time.monotonic() + 10
    while (rows := await scene.mail_rows())[0].state != MailState.SENT:
        assert time.monotonic() < deadline, f"the row stayed {rows[0].state}"
        await asyncio.sleep(0.1)
    assert len(rows) == 1 and rows[0].attempts >= 2  # the same row, tried again


async def test_a_homeserver_outage_mails_the_running_alerts_at_once(
    world: World, smtp: SmtpServer
) -> None:
    scene = Mailing(world, smtp, email_after="1h", matrix_down_after="2s")
    await scene.setup()
    await scene.raise_alert("Elavbrott i Norrtälje")
    await asyncio.sleep(1.0)
    assert smtp.mailbox.received == []  # email_after is an hour away
    await world.hs.stop()
    try:
        (message,) = await smtp.mailbox.wait_for(TIB_MAIL, timeout=30)
    finally:
        await world.hs.start()
    assert "Elavbrott i Norrtälje" in text_of(message)
