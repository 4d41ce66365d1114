"""Undecryptable events, pure parts: which notices go out, what they say, rebuilding events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from nio import MegolmEvent

from bot.config import BotConfig, ConfigError, load_config
from bot.matrix.pending import Kept, Unreadable, moment, notice_content, plan_notices, rebuild
from bot.render.catalogue import Catalogue

ZONE = ZoneInfo("Europe/Stockholm")
# 2026-11-26 15:02 in Stockholm (UTC+1)
SENT_MS = int(datetime(2026, 11, 26, 14, 2, tzinfo=UTC).timestamp() * 1000)
NOW = datetime(2026, 11, 26, 14, 10, tzinfo=UTC)
EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"


def _kept(event_id: str, session: str | None = "S1", sender: str = "@a:x", ms: int = 0) -> Kept:
    return Kept(event_id, "!r", sender, session, SENT_MS + ms)


def test_one_notice_per_session_replying_to_its_first_event() -> None:
    notices, silent = plan_notices(
        [_kept("$b", ms=10), _kept("$a"), _kept("$c", session="S2", ms=5)], told=()
    )
    assert silent == []
    assert notices == [
        Unreadable("!r", "@a:x", "$a", SENT_MS, ("$a", "$b")),
        Unreadable("!r", "@a:x", "$c", SENT_MS + 5, ("$c",)),
    ]
    assert notices[0].count == 2


def test_a_session_told_before_gets_no_second_notice() -> None:
    notices, silent = plan_notices(
        [_kept("$late"), _kept("$other", session="S2")], told=[("!r", "@a:x", "S1")]
    )
    assert silent == ["$late"]
    assert [n.event_id for n in notices] == ["$other"]


def test_senders_and_events_without_session_are_told_apart() -> None:
    notices, _ = plan_notices(
        [
            _kept("$1", sender="@a:x"),
            _kept("$2", sender="@b:x"),
            _kept("$3", session=None),
            _kept("$4", session=None),
        ],
        told=(),
    )
    assert [n.covered for n in notices] == [("$1",), ("$2",), ("$3",), ("$4",)]


def test_moment_is_local_and_dated_when_not_today() -> None:
    assert moment(SENT_MS, ZONE, NOW) == "15:02"
    assert moment(SENT_MS, ZONE, NOW + timedelta(days=1)) == "2026-11-26 15:02"


@pytest.mark.parametrize(
    ("language", "one", "fix"),
    [
        ("sv", "Jag kunde inte läsa ditt krypterade meddelande från 15:02", "verifiera"),
        ("en", "I could not read your encrypted message from 15:02", "verify"),
    ],
)
def test_notice_pings_the_sender_replies_and_says_how_to_fix(
    language: str, one: str, fix: str
) -> None:
    t = Catalogue(language)  # type: ignore[arg-type]
    notice = Unreadable("!r", "@a<b>:x", "$a", SENT_MS, ("$a",))
    content = notice_content(t, ZONE, notice, NOW)
    assert content["msgtype"] == "m.text"
    assert content["m.mentions"] == {"user_ids": ["@a<b>:x"]}
    assert content["m.relates_to"] == {"m.in_reply_to": {"event_id": "$a"}}
    assert content["body"].startswith(f"@a<b>:x: {one}")
    assert fix in content["body"]
    assert 'href="https://matrix.to/#/@a&lt;b&gt;:x"' in content["formatted_body"]
    assert "<b>" not in content["formatted_body"]


def test_notice_counts_several_messages() -> None:
    notice = Unreadable("!r", "@a:x", "$a", SENT_MS, ("$a", "$b", "$c"))
    body = notice_content(Catalogue("en"), ZONE, notice, NOW)["body"]
    assert "I could not read your 3 encrypted messages since 15:02" in body


def test_rebuild_gives_back_the_megolm_event_with_its_room() -> None:
    source = {
        "type": "m.room.encrypted",
        "event_id": "$e",
        "sender": "@a:x",
        "origin_server_ts": SENT_MS,
        "content": {
            "algorithm": "m.megolm.v1.aes-sha2",
            "ciphertext": "AwgAEpABxyz",
            "device_id": "DEV",
            "sender_key": "curve",
            "session_id": "S1",
        },
    }
    event = rebuild("!r", source)
    assert isinstance(event, MegolmEvent)
    assert (event.room_id, event.session_id, event.sender_key) == ("!r", "S1", "curve")
    assert event.server_timestamp == SENT_MS
    assert rebuild("!r", {**source, "content": {"algorithm": "m.olm.v1"}}) is None


def test_grace_is_a_duration_with_a_default(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert BotConfig().undecryptable_grace == timedelta(minutes=2)
    assert load_config(EXAMPLE).bot.undecryptable_grace == timedelta(minutes=2)
    changed = tmp_path / "c.toml"
    changed.write_text(text.replace('undecryptable_grace = "2m"', 'undecryptable_grace = "3s"'))
    assert load_config(changed).bot.undecryptable_grace == timedelta(seconds=3)
    changed.write_text(text.replace('undecryptable_grace = "2m"', 'undecryptable_grace = "0"'))
    with pytest.raises(ConfigError, match=r"bot\.undecryptable_grace"):
        load_config(changed)
