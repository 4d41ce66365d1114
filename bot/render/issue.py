"""Issues (ärenden) as Matrix messages: one issue with its history, a listing, a meeting's
agenda.

Every function returns ``(plain text body, HTML formatted_body)``, the HTML using only tags
Element keeps (h4, p, b, i, ul, li, br). Titles, descriptions, decisions, owner names, forum
names and user ids are escaped: any participant can type them, and the bot posts the result
under its own name. Times are local, in the configured zone; history lines carry the full date
because an issue lives for weeks or months.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup

from bot.domain.issues import (
    HistoryStep,
    IssueAction,
    IssueView,
    came_from,
    followup_event_time,
    history,
    route,
)
from bot.domain.timeline import SYSTEM
from bot.render import times
from bot.render.catalogue import MESSAGES, Catalogue
from bot.render.chat_html import lines as _h

__all__ = ["AGENDA_ITEMS", "render_agenda", "render_issue", "render_issue_list"]

AGENDA_ITEMS: tuple[str, ...] = (
    "roll_call",
    "reports",
    "analysis",
    "coordination",
    "communication",
    "issues",
    "next_meeting",
)
"""The standing agenda of a meeting (``agenda.item.<name>``), in the order a conference runs:
who is here, what each reports, what it means together, what needs coordinating, what to say
to the public, the issues brought to the forum, and when it meets next."""

_ISSUES_ITEM = "issues"

Block = tuple[str, Markup]
"""One part of a message: (plain text, HTML)."""

_NOT_QUOTED = frozenset({IssueAction.RAISE, IssueAction.ASSIGN, IssueAction.SCHEDULE_FOLLOWUP})
"""Kinds whose ``text`` is not something typed to quote: the title (shown above), the owner
and the follow-up time (both part of the sentence)."""


# --- small pieces --------------------------------------------------------------------------


def _user(t: Catalogue, user: str) -> str:
    return t("issue.system") if user == SYSTEM else user


def _stamp(moment: datetime, zone: ZoneInfo) -> str:
    """``2026-11-26 16:10``, local."""
    local = times.local(moment, zone)
    return f"{local.date().isoformat()} {local:%H:%M}"


def _state(t: Catalogue, issue: IssueView) -> str:
    return t(f"issue.state.{issue.state.value}")


def _join(blocks: Sequence[Block]) -> Block:
    return "\n\n".join(text for text, _ in blocks), Markup("").join(part for _, part in blocks)


# --- one issue -----------------------------------------------------------------------------


def _sentence(t: Catalogue, zone: ZoneInfo, step: HistoryStep) -> str:
    event = step.event
    user = _user(t, event.by)
    if event.kind == IssueAction.ESCALATE:
        return t("issue.event.escalated", user=user, source=step.source, target=step.forum)
    if event.kind == IssueAction.ASSIGN:
        return t("issue.event.assigned", user=user, owner=event.text or "—")
    if event.kind == IssueAction.SCHEDULE_FOLLOWUP:
        moment = followup_event_time(event.text)
        when = times.when(t, moment, zone) if moment else (event.text or "—")
        return t("issue.event.followup_scheduled", user=user, when=when)
    key = f"issue.event.{event.kind}"
    if key in MESSAGES:
        return t(key, user=user, forum=step.forum)
    return t("issue.event.other", user=user, kind=event.kind)


def _history_line(t: Catalogue, zone: ZoneInfo, step: HistoryStep) -> Block:
    stamp = _stamp(step.event.at, zone)
    sentence = _sentence(t, zone, step)
    typed = step.event.text.strip() if step.event.text else ""
    if not typed or step.event.kind in _NOT_QUOTED:
        return f"{stamp} {sentence}", Markup("<b>{}</b> {}").format(stamp, sentence)
    quoted = t("issue.quote", text=typed)
    return (
        f"{stamp} {sentence}: {quoted}".replace("\n", "\n  "),
        Markup("<b>{}</b> {}: <i>{}</i>").format(stamp, sentence, _h(quoted)),
    )


def _facts(t: Catalogue, zone: ZoneInfo, issue: IssueView) -> list[str]:
    facts = [
        t("issue.field.state", state=_state(t, issue)),
        t("issue.field.forum", forum=issue.forum_name),
    ]
    path = route(issue)
    if len(path) > 1:
        facts.append(t("issue.field.route", route=" → ".join(path)))
    if issue.owner:
        facts.append(t("issue.field.owner", owner=issue.owner))
    elif issue.is_open:
        facts.append(t("issue.field.no_owner", number=issue.number))
    if issue.followup_at is not None and issue.is_open:
        facts.append(t("issue.field.followup", when=times.when(t, issue.followup_at, zone)))
    raised = {
        "user": _user(t, issue.raised_by),
        "forum": issue.origin_forum_name,
        "when": times.when(t, issue.created_at, zone),
    }
    if issue.actor_name:
        facts.append(t("issue.field.raised_actor", actor=issue.actor_name, **raised))
    else:
        facts.append(t("issue.field.raised", **raised))
    if issue.closed_at is not None:
        facts.append(t("issue.field.closed", when=times.when(t, issue.closed_at, zone)))
    return facts


def render_issue(t: Catalogue, zone: ZoneInfo, issue: IssueView) -> tuple[str, str]:
    """``!issue N``: the issue with its full history (ärendets gång).

    First what someone picking the issue up needs (where it stands, where it sits, whose it
    is, when it is followed up), with the route when it has been lifted between forums; then
    every step oldest first, escalations as from → to and decisions quoted in full, since this
    is the record the forums follow up against.
    """
    title = t("issue.title", number=issue.number, title=issue.title)
    texts = [title]
    parts = [Markup("<h4>{}</h4>").format(title)]
    description = (issue.description or "").strip()
    if description:
        texts.append(description)
        parts.append(Markup("<p>{}</p>").format(_h(description)))
    facts = _facts(t, zone, issue)
    texts += facts
    parts.append(Markup("<p>{}</p>").format(Markup("<br>").join(facts)))
    blocks: list[Block] = [("\n".join(texts), Markup("").join(parts))]
    steps = history(issue)
    if steps:
        lines = [_history_line(t, zone, step) for step in steps]
        heading = t("issue.history")
        blocks.append(
            (
                "\n".join([heading, *(f"- {text}" for text, _ in lines)]),
                Markup("<p><b>{}</b></p><ul>{}</ul>").format(
                    heading,
                    Markup("").join(Markup("<li>{}</li>").format(part) for _, part in lines),
                ),
            )
        )
    return _join(blocks)


# --- the !issues listing -------------------------------------------------------------------


def _details(t: Catalogue, zone: ZoneInfo, issue: IssueView) -> str:
    details = [_state(t, issue), issue.forum_name]
    if issue.owner:
        details.append(t("issue.list.owner", owner=issue.owner))
    if issue.followup_at is not None and issue.is_open:
        details.append(t("issue.list.followup", when=_stamp(issue.followup_at, zone)))
    return ", ".join(details)


def _item(head: str, details: str) -> Block:
    return (
        f"- {head} ({details})",
        Markup("<li><b>{}</b> ({})</li>").format(head, details),
    )


def render_issue_list(
    t: Catalogue, zone: ZoneInfo, issues: Sequence[IssueView], title: str
) -> tuple[str, str]:
    """The ``!issues`` listing under ``title`` (``issue.list.title_forum`` or
    ``issue.list.title_all``), in the order given: per issue its number and title, enough to
    pick one for ``!issue N``, and where it stands (state, forum, owner, follow-up)."""
    if not issues:
        none = t("issue.list.none")
        return (
            f"{title}\n{none}",
            Markup("<h4>{}</h4><p><i>{}</i></p>").format(title, none),
        )
    items = [
        _item(
            t("issue.list.item", number=issue.number, title=issue.title),
            _details(t, zone, issue),
        )
        for issue in issues
    ]
    return (
        "\n".join([title, *(text for text, _ in items)]),
        Markup("<h4>{}</h4><ul>{}</ul>").format(title, Markup("").join(part for _, part in items)),
    )


# --- a meeting's agenda --------------------------------------------------------------------


def _agenda_issues(
    t: Catalogue, zone: ZoneInfo, items: Sequence[IssueView], due: Sequence[IssueView]
) -> Block:
    """The issues point: those lifted to the forum (formal points for the forum to take up,
    as in example 2), then those due for follow-up; an issue in both is listed once, under
    the first, with its follow-up."""
    lifted_numbers = {issue.number for issue in items}
    due = [issue for issue in due if issue.number not in lifted_numbers]
    if not items and not due:
        none = t("agenda.no_issues")
        return f"   {none}", Markup("<br><i>{}</i>").format(none)
    texts: list[str] = []
    parts: list[Markup] = []
    for heading, issues, lifted in (
        (t("agenda.escalated"), items, True),
        (t("agenda.due"), due, False),
    ):
        if not issues:
            continue
        lines = []
        for issue in issues:
            details = []
            source = came_from(issue) if lifted else None
            if source:
                details.append(t("agenda.from", forum=source))
            details.append(_state(t, issue))
            if issue.owner:
                details.append(t("issue.list.owner", owner=issue.owner))
            if issue.followup_at is not None:
                details.append(t("agenda.followup", when=_stamp(issue.followup_at, zone)))
            head = t("issue.list.item", number=issue.number, title=issue.title)
            lines.append(_item(head, "; ".join(details)))
        texts.append(f"   {heading}:")
        texts += [f"   {text}" for text, _ in lines]
        parts.append(
            Markup("<br><i>{}</i><ul>{}</ul>").format(heading, Markup("").join(p for _, p in lines))
        )
    return "\n".join(texts), Markup("").join(parts)


def render_agenda(
    t: Catalogue,
    zone: ZoneInfo,
    forum_name: str,
    meeting_at: datetime,
    items: Sequence[IssueView],
    due: Sequence[IssueView],
) -> tuple[str, str]:
    """The agenda (dagordning) of a meeting: the standing points (``AGENDA_ITEMS``), with the
    issues point listing ``items`` (issues lifted to this forum) and ``due`` (issues whose
    follow-up falls before the meeting), so what another forum sent here is not forgotten."""
    title = t("agenda.title", forum=forum_name, when=times.when(t, meeting_at, zone))
    texts = [title]
    parts = []
    for number, name in enumerate(AGENDA_ITEMS, start=1):
        point = t("agenda.numbered", number=number, item=t(f"agenda.item.{name}"))
        texts.append(point)
        extra = Markup()
        if name == _ISSUES_ITEM:
            issues_text, extra = _agenda_issues(t, zone, items, due)
            texts.append(issues_text)
        parts.append(Markup("<li><b>{}</b>{}</li>").format(point, extra))
    return "\n".join(texts), Markup("<h4>{}</h4><ul>{}</ul>").format(title, Markup("").join(parts))
