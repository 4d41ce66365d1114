"""Duty rosters in chat: who is on duty (`!duty`) and the hand-off notices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup

from bot.render.catalogue import Catalogue
from bot.render.chat_html import Block
from bot.render.times import when


@dataclass(frozen=True)
class OnDutyLine:
    function: str
    actor: str
    holder: str | None
    until: datetime | None
    override: bool
    next_holder: str | None


@dataclass(frozen=True)
class HandoffBrief:
    """What is open for a function at a hand-off, for the incoming person."""

    function: str
    actor: str
    until: datetime | None
    activations: Sequence[str] = ()
    alerts: Sequence[tuple[int, str]] = ()
    issues: Sequence[tuple[int, str]] = ()
    meeting: tuple[str, datetime] | None = None


def render_duty_list(t: Catalogue, zone: ZoneInfo, lines: Sequence[OnDutyLine]) -> Block:
    """`!duty`: each rostered function, who holds it until when, and who follows."""
    if not lines:
        text = t("duty.none")
        return text, Markup("<p>{}</p>").format(text)
    title = t("duty.title")
    rows = []
    for line in lines:
        until = t("duty.until", when=when(t, line.until, zone)) if line.until else ""
        holder = line.holder or t("duty.nobody")
        row = t("duty.line", function=line.function, actor=line.actor, holder=holder, until=until)
        if line.override:
            row += t("duty.override")
        if line.next_holder and line.next_holder != line.holder:
            row += "; " + t("duty.next", holder=line.next_holder)
        rows.append(row)
    text = "\n".join([title, *(f"- {r}" for r in rows)])
    items = Markup("").join(Markup("<li>{}</li>").format(r) for r in rows)
    return text, Markup("<p><b>{}</b></p><ul>{}</ul>").format(title, items)


def render_handoff_in(t: Catalogue, zone: ZoneInfo, brief: HandoffBrief) -> Block:
    """The direct message to the person coming on duty: the function and what is open."""
    until = t("duty.until", when=when(t, brief.until, zone)) if brief.until else ""
    head = t("duty.handoff.in", function=brief.function, actor=brief.actor, until=until)
    items = [t("duty.handoff.activation", forum=f) for f in brief.activations]
    items += [t("duty.handoff.alert", id=i, message=m) for i, m in brief.alerts]
    items += [t("duty.handoff.issue", number=n, title=title) for n, title in brief.issues]
    if brief.meeting is not None:
        forum, at = brief.meeting
        items.append(t("duty.handoff.meeting", forum=forum, when=when(t, at, zone)))
    if not items:
        nothing = t("duty.handoff.nothing_open")
        return f"{head}\n{nothing}", Markup("<p><b>{}</b></p><p>{}</p>").format(head, nothing)
    label = t("duty.handoff.open")
    text = "\n".join([head, label, *(f"- {i}" for i in items)])
    listed = Markup("").join(Markup("<li>{}</li>").format(i) for i in items)
    return text, Markup("<p><b>{}</b></p><p>{}</p><ul>{}</ul>").format(head, label, listed)


def render_handoff_out(t: Catalogue, function: str, actor: str, holder: str) -> str:
    return t("duty.handoff.out", function=function, actor=actor, holder=holder)
