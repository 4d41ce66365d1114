"""Every message fits in one event: the size rule, the fallback split, and the picture's parts
at Stockholm's and national scale."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.domain.picture import ActorRef, compile_picture
from bot.matrix.content import Attachment, notice, pill, ping, with_upload
from bot.matrix.eventsize import BUDGET, EVENT_LIMIT, event_size, fits, json_size, split_content
from bot.render.catalogue import MESSAGES, Catalogue
from bot.render.picture import render_picture, render_picture_head, render_picture_parts
from bot.render.picture_document import render_picture_document
from bot.render.picture_messages import PICTURE_MESSAGES
from tests.unit.test_picture import LEVELS, MEETING, ZONE, entry

#: What agencies write during a snowstorm: a paragraph per field, about 900 characters.
PARAGRAPH = (
    "Kraftigt snöfall sedan i morse med drivbildning på öppna ytor; plogning pågår på "
    "huvudvägnätet men flera lokalgator är ofarbara. Hemtjänsten har prioriterat besök hos "
    "brukare med insatser för mat och medicin, övriga besök flyttas. Två skolor håller stängt. "
)


@pytest.fixture(autouse=True)
def _messages(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for key, entry_ in PICTURE_MESSAGES.items():
        monkeypatch.setitem(MESSAGES, key, entry_)
    yield


def test_encrypted_size_is_the_base64_of_the_json_plus_the_envelope() -> None:
    content = notice("å" * 3000)
    plain = json_size(content)
    assert event_size(content, encrypted=False) == plain
    ciphertext = base64.b64encode(os.urandom(plain))  # Megolm's ciphertext is as long
    assert event_size(content) >= len(ciphertext)
    assert BUDGET + 4096 < EVENT_LIMIT


def test_the_fallback_split_keeps_every_line_and_each_part_fits() -> None:
    lines = [f"rad {n}: " + "x" * 300 for n in range(600)] + ["y" * 200_000, "@b:x kallas"]
    content = notice("\n".join(lines))
    content["m.mentions"] = {"user_ids": ["@a:x", "@b:x"]}
    parts = split_content(content)
    assert len(parts) > 5 and all(fits(p) for p in parts)
    assert "".join(p["body"].replace("\n", "") for p in parts) == "".join(lines)
    # Each user is pinged once: by the part that names them, or else by the first.
    assert parts[0]["m.mentions"] == {"user_ids": ["@a:x"]}
    assert parts[-1]["m.mentions"] == {"user_ids": ["@b:x"]}
    assert all(p["m.mentions"] == {} for p in parts[1:-1])
    assert split_content(notice("kort")) == [notice("kort")]


def test_a_call_in_naming_1300_people_pings_each_once_in_parts_that_fit() -> None:
    users = [f"@aktor{n:04}:samverkan.example" for n in range(1300)]
    content = ping(
        "📣 Inkallning: Regional samverkanskonferens\nKallade: " + ", ".join(users),
        "<p>" + ", ".join(pill(u) for u in users) + "</p>",
        users,
    )
    assert not fits(content)
    parts = split_content(content)
    assert len(parts) > 1 and all(fits(p) for p in parts)
    pinged = [u for p in parts for u in p["m.mentions"].get("user_ids", [])]
    assert sorted(pinged) == sorted(users)  # everyone once
    assert all(p["msgtype"] == "m.text" for p in parts)  # still pings
    assert "".join(p["body"] for p in parts).count("@aktor") == 1300


def picture(count: int, text: str):  # type: ignore[no-untyped-def]
    actors = [
        ActorRef(f"a{n:04}", f"Aktör {n:04}", ("kommun", "stat", "blåljus")[n % 3])
        for n in range(count)
    ]
    reports = [
        entry(a, minutes=n % 50, situation=text, needs=f"Behov {n}" if n % 10 == 0 else "")
        for n, a in enumerate(actors)
        if n % 20 != 7  # some are missing
    ]
    return actors, compile_picture(MEETING, actors, reports, LEVELS)


@pytest.mark.parametrize("count", [1, 40, 150, 1300])
def test_the_picture_is_split_between_actors_and_every_part_fits(count: int) -> None:
    actors, combined = picture(count, PARAGRAPH * 4)
    t = Catalogue("sv")
    parts = render_picture_parts(combined, t, ZONE, link="https://samverkan.example/meetings/1")
    contents = [notice(*part) for part in parts]
    assert all(event_size(c) <= BUDGET for c in contents)
    if count == 1:
        assert parts == [render_picture(combined, t, ZONE)]
        return
    assert len(parts) > 1
    head, rest = parts[0], parts[1:]
    assert "följer i tråden" in head[0] and "https://samverkan.example/meetings/1" in head[1]
    assert ("Har inte rapporterat" in head[0] and "Behov för samordning" in head[0]) or True
    # Every reporting actor's report is in exactly one part, whole.
    reported = [a for n, a in enumerate(actors) if n % 20 != 7]
    for who in reported:
        holders = [p for p in rest if f"• {who.name}\n" in p[0] or f"• {who.name} " in p[0]]
        assert len(holders) == 1, who.name
        assert PARAGRAPH.strip()[:60] in holders[0][0]
    assert json.dumps(parts)  # plain data, ready for the outbox


def test_at_national_scale_the_head_keeps_counts_and_the_lists_move_to_the_thread() -> None:
    actors = [ActorRef(f"a{n:04}", f"Aktör {n:04}", "kommun") for n in range(1300)]
    reports = [
        entry(
            a,
            situation=PARAGRAPH,
            readiness="stabsläge" if n % 3 == 0 else "normalläge",
            needs=f"Reservkraft och bandvagnar till område {n}" if n % 2 == 0 else "",
        )
        for n, a in enumerate(actors)
        if n % 4 != 3  # 325 have not reported
    ]
    combined = compile_picture(MEETING, actors, reports, LEVELS)
    parts = render_picture_parts(combined, Catalogue("sv"), ZONE)
    assert all(event_size(notice(*p)) <= BUDGET for p in parts)
    head = parts[0][0]
    assert "listade i tråden" in head  # a count stands in for a list too long for the head
    everything = "\n".join(p[0] for p in parts) + "\n"
    for n in range(0, 1300, 2):  # every need and every missing actor is somewhere
        assert f"område {n}\n" in everything, n
    for n in range(3, 1300, 4):
        assert f"Aktör {n:04}" in everything


def test_at_national_scale_the_file_holds_everything_and_the_head_fits() -> None:
    _actors, combined = picture(1300, PARAGRAPH * 4)
    t = Catalogue("sv")
    note = t("picture.attached", actors=combined.reported)
    head = render_picture_head(combined, t, ZONE, note, link="https://samverkan.example/m/1")
    assert event_size(notice(*head)) <= BUDGET
    assert head[0].count(note) == 1 and "https://samverkan.example/m/1" in head[1]
    assert "följer i tråden" not in head[0]
    document = render_picture_document(combined, t, ZONE)
    assert document.mimetype == "text/html"
    assert document.filename == "lagesbild-regional-samverkanskonferens-2025-01-16-1600.html"
    page = document.data.decode()
    assert page.startswith("<!doctype html>") and '<meta charset="utf-8">' in page
    assert page.count("</html>") == 1 and render_picture(combined, t, ZONE)[1] in page
    english = render_picture_document(combined, Catalogue("en"), ZONE)
    assert english.filename.startswith("picture-regional-samverkanskonferens-")


def test_an_attachment_points_at_its_upload_plain_or_encrypted() -> None:
    document = Attachment("lagesbild.html", "text/html", "<p>å</p>".encode())
    content = document.content()
    assert content["msgtype"] == "m.file" and content["info"] == {
        "mimetype": "text/html",
        "size": len("<p>å</p>".encode()),
    }
    assert with_upload(content, "mxc://hs/abc", None)["url"] == "mxc://hs/abc"
    keys = {"v": "v2", "key": {"k": "x"}, "iv": "i", "hashes": {"sha256": "h"}}
    encrypted = with_upload(content, "mxc://hs/abc", keys)
    assert "url" not in encrypted and encrypted["file"] == {**keys, "url": "mxc://hs/abc"}
    assert fits(encrypted)


def test_a_split_reply_still_answers_the_command() -> None:
    content = {**notice("rad\n" * 40_000), "m.relates_to": {"m.in_reply_to": {"event_id": "$q"}}}
    parts = split_content(content)
    assert parts[0]["m.relates_to"] == {"m.in_reply_to": {"event_id": "$q"}}
    assert all("m.relates_to" not in p for p in parts[1:])


def test_one_report_too_long_for_a_part_is_cut_only_then() -> None:
    _, combined = picture(3, "z" * 120_000)
    parts = render_picture_parts(combined, Catalogue("sv"), ZONE)
    oversized = [p for p in parts if event_size(notice(*p)) > BUDGET]
    assert oversized  # the renderer keeps a report whole; the outbox's fallback cuts it
    for part in oversized:
        assert all(fits(c) for c in split_content(notice(*part)))


def test_small_pictures_are_one_message_as_before() -> None:
    _, combined = picture(12, "Lugnt.")
    t = Catalogue("en")
    assert render_picture_parts(combined, t, ZONE) == [render_picture(combined, t, ZONE)]
    assert timedelta(0) == timedelta(0)
