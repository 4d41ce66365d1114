"""Pure pieces of the Matrix layer: contents, reply fallbacks, backoff."""

from __future__ import annotations

from bot.matrix.backoff import Backoff
from bot.matrix.content import in_reply_to, notice, ping, reaction
from bot.matrix.incoming import strip_reply_fallback


def test_notice_never_mentions_and_ping_does() -> None:
    n = notice("hej", "<b>hej</b>")
    assert n["msgtype"] == "m.notice" and n["m.mentions"] == {}
    assert n["format"] == "org.matrix.custom.html" and n["formatted_body"] == "<b>hej</b>"
    p = ping("kom", None, ["@b:x", "@a:x", "@a:x"])
    assert p["msgtype"] == "m.text" and p["m.mentions"] == {"user_ids": ["@a:x", "@b:x"]}
    assert "formatted_body" not in p


def test_replies_and_threads() -> None:
    r = in_reply_to(notice("ok"), "$cmd")
    assert r["m.relates_to"] == {"m.in_reply_to": {"event_id": "$cmd"}}
    t = in_reply_to(notice("ok"), "$cmd", thread_root="$root")
    assert t["m.relates_to"]["rel_type"] == "m.thread"
    assert t["m.relates_to"]["event_id"] == "$root"
    assert reaction("$e", "✅")["m.relates_to"]["key"] == "✅"


def test_strip_reply_fallback() -> None:
    assert strip_reply_fallback("> <@a:x> !status\n> läge\n\nläge: lugnt") == "läge: lugnt"
    assert strip_reply_fallback("läge: lugnt") == "läge: lugnt"


def test_backoff_doubles_to_a_cap_and_resets() -> None:
    b = Backoff(first=5, factor=2, maximum=60)
    assert [b.next_delay() for _ in range(6)] == [5, 10, 20, 40, 60, 60]
    b.reset()
    assert b.next_delay() == 5
