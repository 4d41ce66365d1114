"""What the bot answers to commands that list or explain things: `!help`, `!calendar`,
`!groups`, and the outcome of `!activate`. Commands hand over what happened; the words are
chosen here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from markupsafe import Markup

from bot.domain.activation import Decision
from bot.render.catalogue import Catalogue
from bot.render.chat_html import Block, listed
from bot.render.times import when


class CommandNames(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def names(self) -> tuple[str, ...]: ...


def render_command_help(t: Catalogue, spec: CommandNames) -> Block:
    summary, usage = t(f"cmd.{spec.name}.summary"), t(f"cmd.{spec.name}.usage")
    names = ", ".join(f"!{n}" for n in spec.names)
    text = f"!{spec.name}: {summary}\n{t('help.usage')}: {usage}\n{t('help.aliases')}: {names}"
    formatted = Markup("<p><b>!{}</b>: {}</p><p>{}: <code>{}</code><br>{}: {}</p>").format(
        spec.name, summary, t("help.usage"), usage, t("help.aliases"), names
    )
    return text, formatted


def render_help(t: Catalogue, specs: Sequence[CommandNames]) -> Block:
    rows = [(t(f"cmd.{s.name}.usage"), t(f"cmd.{s.name}.summary")) for s in specs]
    text = "\n".join(
        [t("help.title"), *(f"{usage}: {summary}" for usage, summary in rows), "", t("help.footer")]
    )
    items = Markup("").join(
        Markup("<li><code>{}</code>: {}</li>").format(usage, summary) for usage, summary in rows
    )
    formatted = Markup("<h4>{}</h4><ul>{}</ul><p>{}</p>").format(
        t("help.title"), items, t("help.footer")
    )
    return text, formatted


def render_calendar(t: Catalogue, zone: ZoneInfo, rows: Sequence[tuple[datetime, str]]) -> Block:
    """`!calendar`: the coming meetings, when and which forum."""
    return listed(t("calendar.title"), [f"{when(t, at, zone)}: {name}" for at, name in rows])


def render_group_list(t: Catalogue, listing: Sequence[GroupLine]) -> Block:
    lines = [t("group.list.title")]
    items = []
    for info in listing:
        head = f"{info.name} ({info.slug}), {t('group.list.reports_to', forum=info.forum_name)}"
        if info.standing:
            head += f" – {t('group.list.standing')}"
        facts = [
            (t("group.list.task"), info.task or "–"),
            (t("group.list.members"), ", ".join(info.members) or "–"),
            (t("group.list.last_report"), info.last_report or "–"),
        ]
        lines.append(head)
        lines += [f"  {k}: {v}" for k, v in facts]
        rows = Markup("<br>").join(Markup("{}: {}").format(k, v) for k, v in facts)
        items.append(Markup("<li><b>{}</b><br>{}</li>").format(head, rows))
    formatted = Markup("<h4>{}</h4><ul>{}</ul>").format(lines[0], Markup("").join(items))
    return "\n".join(lines), formatted


class GroupLine(Protocol):
    @property
    def slug(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def forum_name(self) -> str: ...
    @property
    def task(self) -> str | None: ...
    @property
    def members(self) -> tuple[str, ...]: ...
    @property
    def last_report(self) -> str | None: ...
    @property
    def standing(self) -> bool: ...


def render_activation_outcome(
    t: Catalogue,
    zone: ZoneInfo,
    decision: Decision,
    forum: str,
    *,
    alerted: int,
    activators: Sequence[str],
    request_minutes: int,
    activated_at: datetime | None,
    activated_by: str | None,
    requested_at: datetime,
    requested_by: str,
) -> str:
    """The answer to `!activate`: activated, requested, or already so (since when, by whom)."""
    if decision in (Decision.ACTIVATE, Decision.CONFIRM):
        return t("activation.activated", forum=forum, alerted=alerted)
    if decision == Decision.REQUEST:
        functions = ", ".join(activators) or "bot.admins"
        return t("activation.requested", forum=forum, functions=functions, minutes=request_minutes)
    if decision == Decision.ALREADY_ACTIVE:
        since = when(t, activated_at, zone) if activated_at else "–"
        return t("activation.already_active", forum=forum, when=since, by=activated_by or "–")
    return t(
        "activation.already_requested",
        forum=forum,
        by=requested_by,
        when=when(t, requested_at, zone),
    )
