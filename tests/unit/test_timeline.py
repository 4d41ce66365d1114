"""The activation summary and the alert listings: compiling the timeline, writing it out."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.domain.timeline import (
    SYSTEM,
    ActivationInfo,
    AlertInfo,
    HostChange,
    RecipientInfo,
    RoundInfo,
    TimelineEntry,
    as_utc,
    compile_timeline,
    unacked_at,
)
from bot.render.catalogue import MESSAGES, Catalogue, Language, placeholders
from bot.render.timeline import (
    EXCERPT_LENGTH,
    render_activation_summary,
    render_alert_list,
    render_alert_status,
)
from bot.render.timeline_messages import TIMELINE_MESSAGES

ZONE = ZoneInfo("Europe/Stockholm")
START = datetime(2025, 1, 16, 15, 0, tzinfo=UTC)  # Thursday 16:00 in Stockholm (CET)
EVIL = "<img src=x onerror=alert(1)>"
ALLOWED_TAGS = {"h4", "p", "b", "i", "ul", "li", "table", "tr", "td", "th", "br"}


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


ACTIVATION = ActivationInfo(
    id=1,
    forum_name="Regionalt samordnande forum",
    reason="Storm över länet",
    exercise=False,
    requested_by="@tib:ex",
    requested_at=at(0),
    activated_by="@tib:ex",
    activated_at=at(0),
    ended_by="@tib:ex",
    ended_at=at(135),
    host="Länsstyrelsen Stockholm",
)
"""Activated directly by the TiB at 16:00 and deactivated by the same at 18:15."""


def activation(**changes: Any) -> ActivationInfo:
    return replace(ACTIVATION, **changes)


def recipient(
    user: str,
    acked_at: datetime | None = None,
    via: str | None = None,
    pings: int = 1,
    actor: str | None = None,
) -> RecipientInfo:
    return RecipientInfo(user, actor, pings, acked_at, via)


ALERT = AlertInfo(
    id=7,
    function="kommunikatör",
    message="Regionalt samordnande forum är aktiverat: storm",
    raised_by=SYSTEM,
    created_at=at(1),
    exercise=False,
    escalated_at=None,
    escalated_to=(),
    cancelled_at=None,
    recipients=(),
)


def alert(**changes: Any) -> AlertInfo:
    return replace(ALERT, **changes)


def kinds(entries: tuple[TimelineEntry, ...]) -> list[str]:
    return [entry.kind for entry in entries]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        assert not attrs, (tag, attrs)


def tags(formatted: str) -> set[str]:
    parser = _Tags()
    parser.feed(formatted)
    parser.close()
    return set(parser.tags)


# --- the domain ----------------------------------------------------------------------------


def test_alert_acked_unacked_and_complete() -> None:
    done = recipient("@a:ex", at(2), "reaction")
    waiting = recipient("@b:ex")
    partly = alert(recipients=(done, waiting))
    assert partly.acked == [done]
    assert partly.unacked == [waiting]
    assert not partly.complete
    assert alert(recipients=(done,)).complete


def test_entries_are_in_time_order_whatever_the_input_order() -> None:
    late = alert(id=2, created_at=at(60), recipients=(recipient("@a:ex", at(61), "command"),))
    early = alert(id=1, created_at=at(5), recipients=(recipient("@b:ex", at(90), "reaction"),))
    rounds = [RoundInfo(1, at(30), at(100), (("Polisen", at(45)),), ())]
    hosts = [HostChange(at(20), "@tib:ex", "Region Stockholm")]
    entries = compile_timeline(activation(), [late, early], rounds, hosts)
    assert [entry.at for entry in entries] == sorted(entry.at for entry in entries)
    assert kinds(entries) == [
        "activated",
        "alert",  # 1 at 5
        "host",  # 20
        "round_opened",  # 30
        "report",  # 45
        "alert",  # 2 at 60
        "ack",  # 61
        "ack",  # 90
        "round_closed",  # 100
        "ended",  # 135
    ]


def test_ties_keep_causes_before_effects() -> None:
    # Everything at the same minute: request and activation first, then each alert with its
    # acknowledgement and escalation, then the rounds, the host changes, the deactivation last.
    same = at(0)
    pinged = alert(
        created_at=same,
        escalated_at=same,
        escalated_to=("tib",),
        cancelled_at=same,
        recipients=(recipient("@a:ex", same, "command"),),
    )
    rounds = [RoundInfo(1, same, same, (("Polisen", same),), ())]
    hosts = [HostChange(same, "@tib:ex", "Länsstyrelsen Stockholm")]
    info = activation(requested_by="@kom:ex", ended_at=same)
    entries = compile_timeline(info, [pinged], rounds, hosts)
    assert kinds(entries) == [
        "requested",
        "activated",
        "alert",
        "ack",
        "escalated",
        "cancelled",
        "round_opened",
        "report",
        "round_closed",
        "host",
        "ended",
    ]


def test_a_request_is_shown_only_when_someone_else_confirmed_it() -> None:
    direct = compile_timeline(activation(), [], [], [])
    assert "requested" not in kinds(direct)
    confirmed = compile_timeline(
        activation(requested_by="@kom:ex", activated_by="@tib:ex", activated_at=at(10)), [], [], []
    )
    assert kinds(confirmed)[:2] == ["requested", "activated"]
    assert confirmed[0].values == {"user": "@kom:ex"}
    assert confirmed[1].values == {"user": "@tib:ex"}

    sv = Catalogue("sv")
    text, _ = render_activation_summary(sv, ZONE, activation(), [], [], [])
    assert "Begärd av" not in text
    assert "Aktiverad av @tib:ex, torsdag 2025-01-16 kl. 16:00" in text
    text, _ = render_activation_summary(
        sv, ZONE, activation(requested_by="@kom:ex", activated_at=at(10)), [], [], []
    )
    assert "Begärd av @kom:ex, torsdag 2025-01-16 kl. 16:00" in text
    assert "Aktiverad av @tib:ex, torsdag 2025-01-16 kl. 16:10" in text


def test_a_pending_request_is_shown_as_waiting() -> None:
    pending = activation(
        requested_by="@kom:ex", activated_by=None, activated_at=None, ended_by=None, ended_at=None
    )
    assert kinds(compile_timeline(pending, [], [], [])) == ["requested"]
    text, _ = render_activation_summary(Catalogue("sv"), ZONE, pending, [], [], [])
    assert "Inte aktiverad: begäran väntar på bekräftelse." in text
    assert "Varaktighet" not in text


def test_a_request_closed_unconfirmed_did_not_end_an_activation() -> None:
    withdrawn = activation(
        requested_by="@kom:ex", activated_by=None, activated_at=None, ended_by="@kom:ex"
    )
    assert kinds(compile_timeline(withdrawn, [], [], [])) == ["requested", "withdrawn"]
    text, _ = render_activation_summary(Catalogue("sv"), ZONE, withdrawn, [], [], [])
    assert "Aldrig aktiverad: begäran avslutades av @kom:ex, torsdag 2025-01-16 kl. 18:15." in text
    assert "Avaktiverad" not in text and "Varaktighet" not in text


def test_escalation_lists_only_those_unacked_at_that_time() -> None:
    escalated = at(16)
    pinged = alert(
        escalated_at=escalated,
        escalated_to=("tib", "rsk-koordinator"),
        recipients=(
            recipient("@before:ex", at(5), "reaction"),
            recipient("@same:ex", escalated, "command"),
            recipient("@after:ex", at(20), "command"),
            recipient("@never:ex", pings=3),
        ),
    )
    assert [r.user_id for r in unacked_at(pinged, escalated)] == ["@after:ex", "@never:ex"]
    (entry,) = [
        e for e in compile_timeline(activation(), [pinged], [], []) if e.kind == "escalated"
    ]
    assert entry.values["users"] == "@after:ex, @never:ex"
    assert entry.values["to"] == "tib, rsk-koordinator"

    text, _ = render_activation_summary(Catalogue("sv"), ZONE, activation(), [pinged], [], [])
    assert (
        "Larm #7 eskalerades till tib, rsk-koordinator; ej kvitterat av @after:ex, @never:ex"
        in (text)
    )
    # The alert line gives the state now: only @never:ex is still missing.
    assert (
        "Larm #7 till kommunikatör kl. 16:01: 3 av 4 kvitterade; ej kvitterat: @never:ex; "
        "eskalerat kl. 16:16 till tib, rsk-koordinator"
    ) in text


def test_naive_and_aware_times_mix() -> None:
    naive = START.replace(tzinfo=None)
    stockholm = START.astimezone(ZONE)
    info = activation(
        requested_at=naive,
        activated_at=naive,
        ended_at=stockholm + timedelta(hours=2),
    )
    pinged = alert(
        created_at=stockholm + timedelta(minutes=1),
        escalated_at=naive + timedelta(minutes=10),
        escalated_to=("tib",),
        recipients=(
            recipient("@a:ex", stockholm + timedelta(minutes=5), "reaction"),
            recipient("@b:ex", naive + timedelta(minutes=15), "command"),
        ),
    )
    rounds = [RoundInfo(1, naive, None, (("Polisen", stockholm + timedelta(minutes=3)),), ())]
    entries = compile_timeline(info, [pinged], rounds, [HostChange(naive, "@tib:ex", "LST")])
    assert all(entry.at.tzinfo is UTC for entry in entries)
    assert [entry.at for entry in entries] == sorted(entry.at for entry in entries)
    assert kinds(entries) == [
        "activated",
        "round_opened",
        "host",
        "alert",
        "report",
        "ack",
        "escalated",
        "ack",
        "ended",
    ]
    (escalation,) = [e for e in entries if e.kind == "escalated"]
    assert escalation.values["users"] == "@b:ex"
    assert info.duration == timedelta(hours=2)
    assert as_utc(stockholm) == START
    text, _ = render_activation_summary(Catalogue("sv"), ZONE, info, [pinged], rounds, [])
    assert "Varaktighet: 2 h" in text


# --- the summary ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "marker"), [("sv", "Övning"), ("en", "Exercise")], ids=["sv", "en"]
)
def test_exercise_is_in_the_title(language: Language, marker: str) -> None:
    t = Catalogue(language)
    text, formatted = render_activation_summary(t, ZONE, activation(exercise=True), [], [], [])
    title = text.splitlines()[0]
    assert marker in title
    assert "Regionalt samordnande forum" in title
    assert formatted.startswith("<h4>") and marker in formatted.split("</h4>")[0]
    real, _ = render_activation_summary(t, ZONE, activation(), [], [], [])
    assert marker not in real.splitlines()[0]

    status, _ = render_alert_status(t, ZONE, alert(exercise=True))
    assert marker in status.splitlines()[0]


def test_swedish_summary_reads_as_a_coordinator_expects() -> None:
    pinged = alert(
        escalated_at=at(16),
        escalated_to=("tib",),
        recipients=(
            recipient("@kom:ex", at(2), "reaction", actor="Solna stad"),
            recipient("@x:ex", pings=3),
        ),
    )
    rounds = [
        RoundInfo(1, at(0), at(120), (("Polisen", at(30)), ("SOS Alarm", at(40))), ("Nacka",)),
        RoundInfo(2, at(120), None, (), ("Polisen", "SOS Alarm", "Nacka")),
    ]
    hosts = [HostChange(at(60), "@tib:ex", "Region Stockholm")]
    info = activation(host=None)
    text, _ = render_activation_summary(Catalogue("sv"), ZONE, info, [pinged], rounds, hosts)
    assert text.splitlines()[:6] == [
        "Sammanfattning av aktiveringen av Regionalt samordnande forum",
        "Anledning: Storm över länet",
        "Aktiverad av @tib:ex, torsdag 2025-01-16 kl. 16:00",
        "Avaktiverad av @tib:ex, torsdag 2025-01-16 kl. 18:15",
        "Varaktighet: 2 h 15 min",
        "Värd vid avaktiveringen: Region Stockholm",
    ]
    assert "- Larm #7 till kommunikatör kl. 16:01: 1 av 2 kvitterade; ej kvitterat: @x:ex" in text
    assert "- Runda 1: 2 av 3 aktörer rapporterade; saknas: Nacka" in text
    assert "- Runda 2 (pågår): 0 av 3 aktörer har rapporterat; saknas: Polisen" in text
    timeline = text.split("Tidslinje\n", 1)[1].splitlines()
    assert timeline[0] == "- 16:00 @tib:ex aktiverade forumet"
    assert "- 16:01 Larm #7 till kommunikatör (2 mottagare) från boten: ”" in timeline[2]
    assert "- 16:02 @kom:ex (Solna stad) kvitterade larm #7 (reaktion)" in timeline
    assert "- 16:16 Larm #7 eskalerades till tib; ej kvitterat av @x:ex" in timeline
    assert "- 17:00 Region Stockholm tog över värdskapet (ändrat av @tib:ex)" in timeline
    assert timeline[-1] == "- 18:15 @tib:ex avaktiverade forumet"


def test_an_ongoing_activation_has_no_duration() -> None:
    info = activation(ended_by=None, ended_at=None)
    text, _ = render_activation_summary(Catalogue("en"), ZONE, info, [], [], [])
    assert "The activation is still ongoing." in text
    assert "Host: Länsstyrelsen Stockholm" in text
    assert "Duration" not in text
    assert "No alerts were sent." in text
    assert "No reporting rounds." in text


@pytest.mark.parametrize(
    ("minutes", "sv", "en"),
    [
        (135, "2 h 15 min", "2 h 15 min"),
        (45, "45 min", "45 min"),
        (180, "3 h", "3 h"),
        (0.2, "0 min", "0 min"),
        (24 * 60 + 125, "1 dygn 2 h 5 min", "1 d 2 h 5 min"),
    ],
)
def test_duration(minutes: float, sv: str, en: str) -> None:
    info = activation(ended_at=at(minutes))
    expectations: tuple[tuple[Language, str], ...] = (("sv", sv), ("en", en))
    for language, expected in expectations:
        text, _ = render_activation_summary(Catalogue(language), ZONE, info, [], [], [])
        assert f": {expected}\n" in text, (language, text)


def test_user_text_is_escaped_in_html() -> None:
    pinged = alert(
        message=f"Larm {EVIL}",
        recipients=(recipient(f"@{EVIL}:ex", actor=EVIL),),
        escalated_at=at(10),
        escalated_to=(EVIL,),
    )
    rounds = [RoundInfo(1, at(0), at(60), ((EVIL, at(5)),), (EVIL,))]
    hosts = [HostChange(at(1), EVIL, EVIL)]
    info = activation(reason=f"Storm {EVIL}", forum_name=EVIL, host=EVIL, requested_by=EVIL)
    for language in ("sv", "en"):
        t = Catalogue(language)
        results = [
            render_activation_summary(t, ZONE, info, [pinged], rounds, hosts),
            render_alert_status(t, ZONE, pinged),
            render_alert_list(t, ZONE, [pinged]),
        ]
        for text, formatted in results:
            assert "<img" not in formatted
            assert "&lt;img src=x onerror=alert(1)&gt;" in formatted
            assert tags(formatted) <= ALLOWED_TAGS
            assert EVIL in text  # the plain body is not HTML: shown as typed
    summary, _ = render_activation_summary(Catalogue("sv"), ZONE, info, [pinged], rounds, hosts)
    assert f"Anledning: Storm {EVIL}" in summary


def test_date_is_shown_when_the_timeline_crosses_midnight_in_stockholm() -> None:
    evening = datetime(2025, 1, 16, 21, 30, tzinfo=UTC)  # 22:30 in Stockholm
    info = activation(
        requested_at=evening,
        activated_at=evening,
        ended_at=datetime(2025, 1, 16, 23, 10, tzinfo=UTC),  # 00:10 on Friday in Stockholm
    )
    late = alert(created_at=datetime(2025, 1, 16, 22, 50, tzinfo=UTC))  # 23:50, same day
    text, formatted = render_activation_summary(Catalogue("sv"), ZONE, info, [late], [], [])
    assert "- 22:30 @tib:ex aktiverade forumet" in text
    assert "- 23:50 Larm #7" in text
    assert "- 2025-01-17 00:10 @tib:ex avaktiverade forumet" in text
    assert "<b>2025-01-17 00:10</b>" in formatted
    assert "Avaktiverad av @tib:ex, fredag 2025-01-17 kl. 00:10" in text
    assert "Varaktighet: 1 h 40 min" in text


def test_no_date_when_only_utc_crosses_midnight() -> None:
    # 00:30 and 01:30 in Stockholm are 23:30 and 00:30 UTC: one local day, two UTC days.
    night = datetime(2025, 1, 16, 23, 30, tzinfo=UTC)
    info = activation(requested_at=night, activated_at=night, ended_at=night + timedelta(hours=1))
    text, _ = render_activation_summary(Catalogue("sv"), ZONE, info, [], [], [])
    assert "- 00:30 @tib:ex aktiverade forumet" in text
    assert "- 01:30 @tib:ex avaktiverade forumet" in text


# --- one alert, and the listing ------------------------------------------------------------


def test_alert_status_shows_each_recipient() -> None:
    pinged = alert(
        raised_by="@tib:ex",
        escalated_at=at(16),
        escalated_to=("tib",),
        recipients=(
            recipient("@x:ex", pings=3),
            recipient("@late:ex", at(30), "command"),
            recipient("@kom:ex", at(2), "reaction", actor="Solna stad"),
            recipient("@new:ex", pings=1),
            recipient("@twice:ex", pings=2),
            recipient("@unknown:ex", at(40)),
        ),
    )
    text, formatted = render_alert_status(Catalogue("sv"), ZONE, pinged)
    assert text.splitlines() == [
        "Larm #7 till kommunikatör",
        "Regionalt samordnande forum är aktiverat: storm",
        "Skickat av @tib:ex, torsdag 2025-01-16 kl. 16:01",
        "3 av 6 kvitterade",
        "Eskalerat kl. 16:16 till tib",
        "✅ @kom:ex (Solna stad) kl. 16:02 (reaktion)",
        "✅ @late:ex kl. 16:30 (kommando)",
        "✅ @unknown:ex kl. 16:40",
        "⏳ @x:ex — ej kvitterat, påmind 2 gånger",
        "⏳ @new:ex — ej kvitterat",
        "⏳ @twice:ex — ej kvitterat, påmind 1 gång",
    ]
    assert tags(formatted) <= ALLOWED_TAGS
    english, _ = render_alert_status(Catalogue("en"), ZONE, pinged)
    assert "✅ @kom:ex (Solna stad) at 16:02 (reaction)" in english
    assert "⏳ @x:ex — not acknowledged, reminded 2 times" in english
    assert "Sent by @tib:ex, Thursday 2025-01-16 at 16:01" in english


def test_alert_status_dates_an_acknowledgement_on_another_day() -> None:
    evening = datetime(2025, 1, 16, 22, 50, tzinfo=UTC)  # 23:50 in Stockholm
    pinged = alert(
        created_at=evening, recipients=(recipient("@a:ex", evening + timedelta(hours=1)),)
    )
    text, _ = render_alert_status(Catalogue("sv"), ZONE, pinged)
    assert "✅ @a:ex 2025-01-17 kl. 00:50" in text


def test_alert_list() -> None:
    assert render_alert_list(Catalogue("sv"), ZONE, []) == (
        "Inga larm.",
        "<p><i>Inga larm.</i></p>",
    )
    assert render_alert_list(Catalogue("en"), ZONE, [])[0] == "No alerts."
    long = "Stormen   Doris\nslår ut elnätet i norra länet; " + "mycket text " * 20
    alerts = [
        alert(
            id=3,
            message=long,
            exercise=True,
            escalated_at=at(16),
            recipients=(recipient("@a:ex", at(2)), recipient("@b:ex")),
        ),
        alert(id=4, function="tib", cancelled_at=at(3)),
    ]
    text, formatted = render_alert_list(Catalogue("sv"), ZONE, alerts)
    lines = text.splitlines()
    assert lines[0] == "Larm (2)"
    assert (
        lines[1] == "- #3 kommunikatör, 2025-01-16 kl. 16:01: 1 av 2 kvitterade, övning, eskalerat"
    )
    excerpt = lines[2].strip()
    assert excerpt.startswith("Stormen Doris slår ut elnätet i norra länet;")
    assert len(excerpt) <= EXCERPT_LENGTH and excerpt.endswith("…")
    assert lines[3] == "- #4 tib, 2025-01-16 kl. 16:01: 0 av 0 kvitterade, avbrutet"
    assert tags(formatted) <= ALLOWED_TAGS


# --- the catalogue -------------------------------------------------------------------------


class _Recording(Catalogue):
    """A catalogue that remembers which keys were asked for."""

    def __init__(self, language: Language) -> None:
        super().__init__(language)
        self.used: set[str] = set()

    def __call__(self, key: str, **values: object) -> str:
        self.used.add(key)
        return super().__call__(key, **values)


def _render_everything(t: Catalogue) -> None:
    full = alert(
        escalated_at=at(16),
        escalated_to=("tib",),
        recipients=(
            recipient("@a:ex", at(2), "reaction", actor="Solna stad"),
            recipient("@b:ex", at(3), "command"),
            recipient("@f:ex", at(4), "email"),
            recipient("@c:ex", pings=1),
            recipient("@d:ex", pings=2),
            recipient("@e:ex", pings=3),
        ),
    )
    drill = alert(
        id=8,
        raised_by="@tib:ex",
        exercise=True,
        escalated_at=at(24 * 60 + 20),  # the next day
        cancelled_at=at(24 * 60 + 30),
    )
    rounds = [
        RoundInfo(1, at(0), at(60), (("Polisen", at(10)),), ("Nacka",)),
        RoundInfo(2, at(60), at(120), (("Polisen", at(70)),), ()),
        RoundInfo(3, at(120), None, (), ("Polisen",)),
    ]
    hosts = [HostChange(at(5), "@tib:ex", "Region Stockholm")]
    ended = activation(requested_by="@kom:ex", ended_by=None, ended_at=at(24 * 60 + 125))
    render_activation_summary(t, ZONE, ended, [full, drill], rounds, hosts)
    ongoing = activation(activated_by=None, ended_by=None, ended_at=None, host=None)
    render_activation_summary(t, ZONE, ongoing, [full], rounds, hosts)
    pending = activation(
        exercise=True,
        reason=None,
        requested_by="@kom:ex",
        activated_by=None,
        activated_at=None,
        ended_at=None,
    )
    render_activation_summary(t, ZONE, pending, [], [], [])
    withdrawn = replace(pending, ended_by="@kom:ex", ended_at=at(5))
    render_activation_summary(t, ZONE, withdrawn, [], [], [])
    render_alert_status(t, ZONE, full)
    render_alert_status(t, ZONE, drill)
    render_alert_list(t, ZONE, [full, drill])
    render_alert_list(t, ZONE, [])


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_timeline_message_is_used_and_exists(language: Language) -> None:
    t = _Recording(language)
    _render_everything(t)  # a missing key would raise KeyError here
    used = {key for key in t.used if key.startswith("timeline.")}
    assert used == set(TIMELINE_MESSAGES)


def test_timeline_messages_are_in_the_catalogue_in_both_languages() -> None:
    for key, entry in TIMELINE_MESSAGES.items():
        assert key.startswith("timeline."), key
        assert MESSAGES[key] == entry
        assert set(entry) == {"sv", "en"}, key
        assert placeholders(entry["sv"]) == placeholders(entry["en"]), key
