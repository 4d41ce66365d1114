"""The router end to end on a real bot (without Matrix), fuzzed: no exception escapes, every
command gets an answer (a success or an error that says why), none of them is the "something
went wrong" of a bug, and nothing the bot posts carries markup or pings it did not mean."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st
from nio import Event

from bot.matrix.incoming import Incoming, from_nio
from commands.router import split_command
from tests.fuzz.html_check import message_problems
from tests.fuzz.profiles import fuzzed
from tests.fuzz.strategies import BODIES, ROOMS, SENDERS, SETTINGS
from tests.fuzz.world import Reply, World

pytestmark = pytest.mark.fuzz

#: Everyone the bot may ping: the people of the config. A user id typed in a message is not.
INTENDED = frozenset({m.user for m in SETTINGS.members} | set(SETTINGS.bot.admins))

_event_ids = itertools.count(1)


class Failures(logging.Handler):
    """Collects what the router logs when a handler fails (it answers `router.failed`)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module")
def failures() -> Iterator[Failures]:
    handler = Failures()
    logging.getLogger().addHandler(handler)
    try:
        yield handler
    finally:
        logging.getLogger().removeHandler(handler)


def arrived(room_id: str, event_id: str, sender: str, body: str, threaded: bool) -> Incoming:
    """The event as the dispatcher gets it: parsed by nio from the event's JSON, then reduced."""
    content: dict[str, Any] = {"msgtype": "m.text", "body": body}
    if threaded:
        content["m.relates_to"] = {"rel_type": "m.thread", "event_id": "$thread"}
    source = {
        "type": "m.room.message",
        "event_id": event_id,
        "sender": sender,
        "origin_server_ts": 0,
        "content": content,
    }
    incoming = from_nio(room_id, Event.parse_event(source))
    assert incoming is not None
    return incoming


def replies_to(row: Reply, event_id: str) -> bool:
    relates = row.content.get("m.relates_to") or {}
    return (relates.get("m.in_reply_to") or {}).get("event_id") == event_id


def failed_texts(world: World) -> tuple[str, str]:
    """The words of `router.failed` around the command's name."""
    before, after = world.services.catalogue("router.failed", name="\0").split("\0")
    return before, after


@fuzzed(scale=1.0)
@given(body=BODIES, sender=SENDERS, room_id=ROOMS, threaded=st.booleans())
@example(body="!issue 99999999999999999999", sender="@tib:example.se", room_id=None, threaded=False)
@example(
    body="!alerts 99999999999999999999", sender="@tib:example.se", room_id=None, threaded=False
)
@example(body="!direction show abc", sender="@tib:example.se", room_id=None, threaded=False)
@example(body="!raise a\x00b \ud800", sender="@tib:example.se", room_id=None, threaded=False)
@example(body="!status läge: a\x00b", sender="@tib:example.se", room_id=None, threaded=True)
@example(
    body="!group create " + "g" * 300,
    sender="@tib:example.se",
    room_id="!samordnande:example.se",
    threaded=False,
)
@example(
    body="!assign 1 @" + "u" * 300 + ":example.se",
    sender="@tib:example.se",
    room_id=None,
    threaded=False,
)
@example(
    body="!group assign utbildning-ovning @" + "u" * 300 + ":example.se",
    sender="@samordningschef:example.se",
    room_id="!regional-samordningsgrupp:example.se",
    threaded=False,
)
def test_every_command_is_answered(
    world: World,
    failures: Failures,
    body: str,
    sender: str,
    room_id: str | None,
    threaded: bool,
) -> None:
    room_id = room_id or world.forum_room("konferens")
    event_id = f"$fuzz{next(_event_ids)}"
    incoming = arrived(room_id, event_id, sender, body, threaded)
    failures.records.clear()

    handled = world.router.handled
    rows = world.handle(incoming)  # nothing may escape

    parsed = split_command(incoming.body)
    spec = world.router.commands.find(parsed[0]) if parsed else None
    event(f"command: {spec.name if spec else ('unknown' if parsed else 'not a command')}")
    event("ran its handler" if world.router.handled > handled else "answered by the router")

    logged = [f"{r.getMessage()}\n{r.exc_text or ''}" for r in failures.records]
    assert not logged, f"the bot logged an error for {body!r}:\n" + "\n".join(logged)
    if parsed is not None:
        assert any(replies_to(row, event_id) for row in rows), f"no answer to {body!r}"
    before, after = failed_texts(world)
    for row in rows:
        text = str(row.content.get("body", ""))
        assert not (before in text and after in text), f"{body!r} failed: {text}"
        if row.event_type == "m.room.message":
            problems = message_problems(row.content, INTENDED)
            assert not problems, f"{body!r} from {sender} → {row.content}: {problems}"
