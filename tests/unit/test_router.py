"""The command router's own rules, with the real config and commands and a recording outbox."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

import commands  # noqa: F401  (registers the commands)
from bot.config import Directory, Settings, load_config
from bot.matrix.incoming import Incoming
from bot.render.catalogue import Catalogue
from bot.services import Services
from bot.services.access import AccessService
from bot.services.activations import ActivationService
from bot.services.alerts import AlertService
from bot.services.clock import SYSTEM_CLOCK
from bot.services.conference import ConferenceService
from bot.services.core import Core
from bot.services.direct import DirectRooms
from bot.services.directions import DirectionService
from bot.services.duty import Duty
from bot.services.forums import Forums
from bot.services.groups import GroupService
from bot.services.handoff import HandoffService
from bot.services.issues import IssueService
from bot.services.outbox import Outbox
from bot.services.reports import ReportService
from commands.args import Word
from commands.context import CommandContext
from commands.registry import Registry
from commands.router import CommandRouter
from storage.db import Database

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"


class RecordingOutbox:
    def __init__(self) -> None:
        self.posts: list[tuple[str, dict[str, Any]]] = []

    async def post(self, room_id: str, content: dict[str, Any], **_: Any) -> None:
        self.posts.append((room_id, content))


class RecordingAccess(AccessService):
    """The real rules; refusals recorded here instead of the audit log's database."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(
            Core.of(settings, cast(Database, None)), cast(Forums, None), cast(GroupService, None)
        )
        self.refusals: list[tuple[str, str, str]] = []

    async def refused(self, user_id: str, command: str, room_id: str, reason: str) -> None:
        self.refusals.append((user_id, command, reason))


@pytest.fixture
def services() -> Services:
    settings = load_config(EXAMPLE)
    return Services(
        settings=settings,
        catalogue=Catalogue("en"),
        directory=Directory(settings),
        clock=SYSTEM_CLOCK,
        outbox=cast(Outbox, RecordingOutbox()),
        # Not used by these commands; a real homeserver covers them in the integration tests.
        forums=cast(Forums, None),
        direct=cast(DirectRooms, None),
        reports=cast(ReportService, None),
        conference=cast(ConferenceService, None),
        activations=cast(ActivationService, SimpleNamespace(exercise_rooms=set())),
        alerts=cast(AlertService, None),
        issues=cast(IssueService, None),
        groups=cast(GroupService, None),
        directions=cast(DirectionService, None),
        access=RecordingAccess(settings),
        duty=cast(Duty, None),
        handoff=cast(HandoffService, None),
    )


def message(body: str, sender: str = "@tib:example.se") -> Incoming:
    return Incoming("message", "!room", "$event", sender, 0, body=body)


async def test_only_commands_are_wanted(services: Services) -> None:
    router = CommandRouter(services)
    assert router.wants(message("!help"))
    assert not router.wants(message("hello"))
    assert not router.wants(Incoming("reaction", "!r", "$e", "@a:x", 0, relates_to="$x", key="✅"))


async def test_failing_handler_is_answered_and_the_next_command_still_runs(
    services: Services,
) -> None:
    registry = Registry()
    calls: list[str] = []

    @registry.command("boom")
    async def boom(ctx: CommandContext) -> None:
        raise RuntimeError("handler bug")

    @registry.command("echo", args=(Word("word"),))  # not in the table: members only
    async def echo(ctx: CommandContext, word: str) -> None:
        calls.append(word)
        await ctx.reply(word)

    router = CommandRouter(services, registry)
    outbox = cast(RecordingOutbox, services.outbox)
    await router.handle(message("!boom"))
    assert "Something went wrong while running !boom" in outbox.posts[-1][1]["body"]

    admin_user = services.settings.bot.admins[0]
    await router.handle(message("!echo hej", sender=admin_user))
    assert calls == ["hej"]
    reply = outbox.posts[-1][1]
    assert reply["body"] == "hej" and reply["msgtype"] == "m.notice"
    assert reply["m.relates_to"] == {"m.in_reply_to": {"event_id": "$event"}}

    await router.handle(message("!echo hej", sender="@stranger:example.se"))
    assert calls == ["hej"]
    assert "You may not use !echo" in outbox.posts[-1][1]["body"]
    assert "member of an actor" in outbox.posts[-1][1]["body"]
    access = cast(RecordingAccess, services.access)
    assert access.refusals == [("@stranger:example.se", "echo", "perm.member")]
