"""The activation summary and the alert listings as Matrix messages.

Every function returns ``(plain text body, HTML formatted_body)``, the HTML using only tags
Element keeps (h4, p, b, i, ul, li, br). Reasons, alert messages, actor names and user ids are
escaped: any participant can type them, and the bot posts the result under its own name.
Times are local clock times; a date is added only where the day differs from the one the
message is about, so a night-long activation is not misread as going backwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup

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
)
from bot.render import times
from bot.render.catalogue import Catalogue
from bot.render.chat_html import lines as _h

__all__ = [
    "EXCERPT_LENGTH",
    "entry_text",
    "render_activation_summary",
    "render_alert_list",
    "render_alert_status",
]

EXCERPT_LENGTH = 80
"""Longest alert message shown in a listing or a timeline line, ellipsis included."""

Block = tuple[str, Markup]
"""One part of a message: (plain text, HTML)."""


# --- small pieces --------------------------------------------------------------------------


def _capitalised(text: str) -> str:
    """A clause that may start a line (``eskalerat …``, ``boten aktiverade …``) as a sentence."""
    return text[:1].upper() + text[1:]


def _excerpt(text: str, limit: int = EXCERPT_LENGTH) -> str:
    """One line of at most ``limit`` characters: a listing shows which alert, not all of it."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rstrip() + "…"


def _day(moment: datetime, zone: ZoneInfo) -> date:
    return times.local(moment, zone).date()


def _stamp(moment: datetime, zone: ZoneInfo, day: date | None) -> str:
    """``16:02``, or ``2025-01-17 00:15`` when the local date is not ``day``."""
    local = times.local(moment, zone)
    if local.date() == day:
        return times.clock(moment, zone)
    return f"{local:%Y-%m-%d} {times.clock(moment, zone)}"


def _at(t: Catalogue, moment: datetime, zone: ZoneInfo, day: date | None) -> str:
    """``kl. 16:02``, or ``2025-01-17 kl. 00:15`` when the local date is not ``day``."""
    local = times.local(moment, zone)
    if local.date() == day:
        return t("timeline.at", time=times.clock(moment, zone))
    return t("timeline.at_date", date=f"{local:%Y-%m-%d}", time=times.clock(moment, zone))


def _user(t: Catalogue, user: str) -> str:
    return t("timeline.system") if user == SYSTEM else user


def _via(t: Catalogue, via: str | None) -> str:
    """`` (reaktion)``; empty when not known, the stored value when the catalogue lacks it."""
    if not via:
        return ""
    try:
        name = t(f"timeline.via.{via}")
    except KeyError:
        name = via
    return f" ({name})"


def _who(recipient: RecipientInfo) -> str:
    if recipient.actor_name:
        return f"{recipient.user_id} ({recipient.actor_name})"
    return recipient.user_id


def _duration(t: Catalogue, delta: timedelta) -> str:
    """``2 h 15 min``; days only from 24 hours on, zero parts left out."""
    minutes = max(0, round(delta.total_seconds() / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(t("timeline.duration.days", count=days))
    if hours:
        parts.append(t("timeline.duration.hours", count=hours))
    if minutes or not parts:
        parts.append(t("timeline.duration.minutes", count=minutes))
    return " ".join(parts)


def _counts(t: Catalogue, alert: AlertInfo) -> str:
    return t("timeline.acked_count", acked=len(alert.acked), total=len(alert.recipients))


def _escalation(t: Catalogue, zone: ZoneInfo, alert: AlertInfo, day: date | None) -> str | None:
    if alert.escalated_at is None:
        return None
    at = _at(t, alert.escalated_at, zone, day)
    if alert.escalated_to:
        return t("timeline.summary.escalated", time=at, to=", ".join(alert.escalated_to))
    return t("timeline.summary.escalated_no_target", time=at)


def _cancellation(t: Catalogue, zone: ZoneInfo, alert: AlertInfo, day: date | None) -> str | None:
    if alert.cancelled_at is None:
        return None
    return t("timeline.summary.cancelled", time=_at(t, alert.cancelled_at, zone, day))


def _section(title: str, lines: Sequence[Block]) -> Block:
    text = "\n".join([title, *(f"- {line}" for line, _ in lines)])
    items = Markup("").join(Markup("<li>{}</li>").format(part) for _, part in lines)
    return text, Markup("<p><b>{}</b></p><ul>{}</ul>").format(title, items)


def _note(title: str, note: str) -> Block:
    return f"{title}\n{note}", Markup("<p><b>{}</b><br><i>{}</i></p>").format(title, note)


def _join(blocks: Sequence[Block]) -> Block:
    return "\n\n".join(text for text, _ in blocks), Markup("").join(part for _, part in blocks)


# --- the timeline --------------------------------------------------------------------------


def entry_text(t: Catalogue, entry: TimelineEntry) -> str:
    """One timeline entry as a sentence in the catalogue's language (without its time)."""
    values = dict(entry.values)
    if "user" in values:
        values["user"] = _user(t, values["user"])
    if "via" in values:
        values["via"] = _via(t, values["via"])
    if "message" in values:
        values["message"] = _excerpt(values["message"])
    return _capitalised(t(f"timeline.entry.{entry.kind}", **values))


def _timeline(
    t: Catalogue, zone: ZoneInfo, entries: Sequence[TimelineEntry], day: date | None
) -> Block | None:
    if not entries:
        return None
    lines: list[Block] = []
    for entry in entries:
        stamp, text = _stamp(entry.at, zone, day), entry_text(t, entry)
        lines.append((f"{stamp} {text}", Markup("<b>{}</b> {}").format(stamp, text)))
    return _section(t("timeline.summary.timeline"), lines)


# --- the activation summary ----------------------------------------------------------------


def _final_host(activation: ActivationInfo, host_changes: Sequence[HostChange]) -> str | None:
    if activation.host:
        return activation.host
    if host_changes:
        return max(host_changes, key=lambda change: as_utc(change.at)).host
    return None


def _header(
    t: Catalogue,
    zone: ZoneInfo,
    activation: ActivationInfo,
    host_changes: Sequence[HostChange],
) -> Block:
    key = "timeline.summary.title_exercise" if activation.exercise else "timeline.summary.title"
    title = t(key, forum=activation.forum_name)
    lines = []
    if activation.reason:
        lines.append(t("timeline.summary.reason", reason=activation.reason))
    if activation.was_requested:
        when = times.when(t, activation.requested_at, zone)
        lines.append(t("timeline.summary.requested", user=activation.requested_by, when=when))
    if activation.activated_at is None:
        if activation.ended_at is None:
            lines.append(t("timeline.summary.not_activated"))
        else:
            by = _user(t, activation.ended_by or SYSTEM)
            when = times.when(t, activation.ended_at, zone)
            lines.append(t("timeline.summary.withdrawn", user=by, when=when))
    else:
        by = _user(t, activation.activated_by or SYSTEM)
        when = times.when(t, activation.activated_at, zone)
        lines.append(t("timeline.summary.activated", user=by, when=when))
        if activation.ended_at is None:
            lines.append(t("timeline.summary.ongoing"))
    if activation.ended_at is not None and activation.activated_at is not None:
        by = _user(t, activation.ended_by or SYSTEM)
        when = times.when(t, activation.ended_at, zone)
        lines.append(t("timeline.summary.ended", user=by, when=when))
    if activation.duration is not None:
        lines.append(t("timeline.summary.duration", duration=_duration(t, activation.duration)))
    host = _final_host(activation, host_changes)
    if host:
        key = "timeline.summary.final_host" if activation.ended_at else "timeline.summary.host"
        lines.append(t(key, host=host))
    text = "\n".join([title, *lines])
    body = Markup("<br>").join(_h(line) for line in lines)
    paragraph = Markup("<p>{}</p>").format(body) if lines else ""
    return text, Markup("<h4>{}</h4>{}").format(title, paragraph)


def _alert_line(
    t: Catalogue, zone: ZoneInfo, alert: AlertInfo, day: date | None, exercise: bool
) -> Block:
    first = t(
        "timeline.summary.alert",
        id=alert.id,
        function=alert.function,
        time=_at(t, alert.created_at, zone, day),
        counts=_counts(t, alert),
    )
    if alert.exercise and not exercise:  # the title says so already for an exercise activation
        first += f" ({t('timeline.flag.exercise')})"
    texts, parts = [first], [Markup.escape(first)]
    if alert.unacked:
        unacked = t("timeline.summary.unacked", users=", ".join(r.user_id for r in alert.unacked))
        texts.append(unacked)
        parts.append(Markup("<b>{}</b>").format(unacked))
    for extra in (_escalation(t, zone, alert, day), _cancellation(t, zone, alert, day)):
        if extra:
            texts.append(extra)
            parts.append(Markup.escape(extra))
    return "; ".join(texts), Markup("; ").join(parts)


def _alerts(
    t: Catalogue,
    zone: ZoneInfo,
    alerts: Sequence[AlertInfo],
    day: date | None,
    exercise: bool,
) -> Block:
    title = t("timeline.summary.alerts")
    if not alerts:
        return _note(title, t("timeline.summary.no_alerts"))
    ordered = sorted(alerts, key=lambda alert: as_utc(alert.created_at))
    return _section(title, [_alert_line(t, zone, alert, day, exercise) for alert in ordered])


def _rounds(t: Catalogue, rounds: Sequence[RoundInfo]) -> Block:
    title = t("timeline.summary.rounds")
    if not rounds:
        return _note(title, t("timeline.summary.no_rounds"))
    lines: list[Block] = []
    for info in sorted(rounds, key=lambda r: r.number):
        key = "timeline.summary.round" if info.closed_at else "timeline.summary.round_open"
        line = t(key, number=info.number, reported=info.reported_count, expected=info.expected)
        if info.missing:
            line += "; " + t("timeline.summary.round_missing", actors=", ".join(info.missing))
        lines.append((line, Markup.escape(line)))
    return _section(title, lines)


def render_activation_summary(
    t: Catalogue,
    zone: ZoneInfo,
    activation: ActivationInfo,
    alerts: Sequence[AlertInfo],
    rounds: Sequence[RoundInfo],
    host_changes: Sequence[HostChange],
) -> tuple[str, str]:
    """The summary of one activation (sammanfattning av aktiveringen).

    First what a reader of a home room needs (why, who decided, for how long, who hosted), then
    whether the alerts reached people and the rounds reached actors, with who did not answer,
    so the follow-up knows where the chain broke; the full timeline last, for the record.
    """
    day = _day(activation.activated_at or activation.requested_at, zone)
    entries = compile_timeline(activation, alerts, rounds, host_changes)
    blocks = [
        _header(t, zone, activation, host_changes),
        _alerts(t, zone, alerts, day, activation.exercise),
        _rounds(t, rounds),
    ]
    timeline = _timeline(t, zone, entries, day)
    if timeline is not None:
        blocks.append(timeline)
    return _join(blocks)


# --- one alert, and the !alerts listing ----------------------------------------------------


def _recipient_line(t: Catalogue, zone: ZoneInfo, recipient: RecipientInfo, day: date) -> str:
    who = _who(recipient)
    if recipient.acked_at is not None:
        at = _at(t, recipient.acked_at, zone, day)
        return t("timeline.status.acked", who=who, time=at, via=_via(t, recipient.acked_via))
    reminders = recipient.pings - 1
    if reminders <= 0:
        return t("timeline.status.pending", who=who)
    if reminders == 1:
        return t("timeline.status.pending_reminded_one", who=who)
    return t("timeline.status.pending_reminded_many", who=who, count=reminders)


def render_alert_status(t: Catalogue, zone: ZoneInfo, alert: AlertInfo) -> tuple[str, str]:
    """One alert with every recipient: who acknowledged, when and how, and who to chase.

    Those who acknowledged come first in the order they did, then those still waiting, with
    how many reminders they have had, so the coordinator sees at the end whom to call.
    """
    day = _day(alert.created_at, zone)
    key = "timeline.status.title_exercise" if alert.exercise else "timeline.status.title"
    title = t(key, id=alert.id, function=alert.function)
    raised = t(
        "timeline.status.raised",
        user=_user(t, alert.raised_by),
        when=times.when(t, alert.created_at, zone),
    )
    facts = [raised, _counts(t, alert)]
    facts += [
        _capitalised(extra)
        for extra in (_escalation(t, zone, alert, day), _cancellation(t, zone, alert, day))
        if extra
    ]
    message = alert.message.strip()
    text_lines = [title, message, *facts]
    formatted = Markup("<h4>{}</h4><p>{}</p><p>{}</p>").format(
        title, _h(message), Markup("<br>").join(facts)
    )
    if not alert.recipients:
        nobody = t("timeline.status.no_recipients")
        return "\n".join([*text_lines, nobody]), formatted + Markup("<p><i>{}</i></p>").format(
            nobody
        )
    acked = sorted(alert.acked, key=lambda r: as_utc(r.acked_at or alert.created_at))
    lines = [_recipient_line(t, zone, r, day) for r in [*acked, *alert.unacked]]
    text = "\n".join([*text_lines, *lines])
    items = Markup("").join(Markup("<li>{}</li>").format(line) for line in lines)
    return text, Markup("{}<ul>{}</ul>").format(formatted, items)


def render_alert_list(t: Catalogue, zone: ZoneInfo, alerts: Sequence[AlertInfo]) -> tuple[str, str]:
    """The ``!alerts`` listing: one short block per alert, in the order given.

    Each block says which alert (id, function, when, the start of its message) and how far it
    got (acknowledged of pinged, escalated, cancelled), enough to pick one for ``!ack`` or a
    status; the full recipient list is ``render_alert_status``.
    """
    if not alerts:
        none = t("timeline.list.none")
        return none, Markup("<p><i>{}</i></p>").format(none)
    title = t("timeline.list.title", count=len(alerts))
    texts: list[str] = [title]
    items: list[Markup] = []
    for alert in alerts:
        line = t(
            "timeline.list.item",
            id=alert.id,
            function=alert.function,
            time=_at(t, alert.created_at, zone, None),
            counts=_counts(t, alert),
        )
        flags = [
            t(f"timeline.flag.{name}")
            for name, on in (
                ("exercise", alert.exercise),
                ("escalated", alert.escalated_at is not None),
                ("cancelled", alert.cancelled_at is not None),
            )
            if on
        ]
        suffix = "".join(f", {flag}" for flag in flags)
        excerpt = _excerpt(alert.message)
        texts.append(f"- {line}{suffix}\n  {excerpt}")
        items.append(Markup("<li><b>{}</b>{}<br><i>{}</i></li>").format(line, suffix, excerpt))
    return "\n".join(texts), Markup("<h4>{}</h4><ul>{}</ul>").format(title, Markup("").join(items))
