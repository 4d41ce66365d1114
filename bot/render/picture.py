"""The combined picture, the report help and the report receipt as Matrix messages.

Every function returns what the outbox needs: a plain-text ``body`` (notifications, clients
without HTML, the minutes archive) and, where it helps reading, an HTML ``formatted_body``
using only tags Element keeps (h3-h5, p, b, i, ul, li, table …). All text that came from users
(reports, names, reasons) is escaped, because a report is typed by anyone in the room and the
picture is posted as the bot.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from markupsafe import Markup

from bot.domain.picture import (
    ActorRef,
    ActorSummary,
    CombinedPicture,
    Contribution,
    DirectionInfo,
)
from bot.domain.reports import FIELDS, KEYS, SituationReport
from bot.matrix.eventsize import BUDGET, block_cost, encrypted_size
from bot.render import times
from bot.render.catalogue import Catalogue
from bot.render.changes import changes_block
from bot.render.chat_html import lines as _h

__all__ = ["render_picture", "render_picture_parts", "render_receipt", "render_report_format"]

RAISED_MARK = "⚠️"

Block = tuple[str, Markup]
"""One part of a message: (plain text, HTML)."""

#: Room left in each part of a split picture for what the estimate of its size leaves out
#: (the message's keys, separators between blocks).
PACKING_MARGIN = 1024


def _indented(text: str, indent: str = "  ") -> str:
    """Continuation lines of a multi-line value, indented under their label in plain text."""
    return text.replace("\n", "\n" + indent)


def _category_name(t: Catalogue, category: str) -> str:
    try:
        return t(f"picture.category.{category}")
    except KeyError:  # a category this catalogue does not know: show it as configured
        return category[:1].upper() + category[1:]


def _actor_name(t: Catalogue, actor: ActorRef, extra: bool) -> str:
    return f"{actor.name} ({t('picture.extra')})" if extra else actor.name


def _heading(title: str) -> Block:
    return title, Markup("<h4>{}</h4>").format(title)


# --- the parts of the picture -----------------------------------------------------------


def _header(
    picture: CombinedPicture, t: Catalogue, zone: ZoneInfo, title_key: str = "picture.title"
) -> Block:
    meeting = picture.meeting
    title = t(title_key, forum=meeting.forum_name)
    when = times.when(t, meeting.starts_at, zone)
    if meeting.round_number is not None:
        when += f" ({t('picture.round', number=meeting.round_number)})"
    lines = [when]
    if meeting.host:
        lines.append(t("picture.host", host=meeting.host))
    if meeting.reason:
        lines.append(t("picture.reason", reason=meeting.reason))
    if meeting.deadline_at is not None:
        lines.append(t("picture.deadline", time=times.clock(meeting.deadline_at, zone)))
    lines.append(t("picture.counts", reported=picture.reported, expected=picture.expected))
    if picture.extras == 1:
        lines.append(t("picture.extras_one"))
    elif picture.extras:
        lines.append(t("picture.extras_many", count=picture.extras))
    text = "\n".join([title, *lines])
    body = Markup("<br>").join(_h(line) for line in lines)
    return text, Markup("<h3>{}</h3><p>{}</p>").format(title, body)


def _exercise(t: Catalogue) -> Block:
    banner = f"{RAISED_MARK} {t('picture.exercise')}"
    return banner, Markup("<p><b>{}</b></p>").format(banner)


def _direction(direction: DirectionInfo, t: Catalogue) -> Block:
    if direction.number is not None:
        title = t("picture.direction.numbered", number=direction.number)
    else:
        title = t("picture.direction.title")
    parts = [
        (t(f"picture.direction.{name}"), value)
        for name, value in (
            ("goal", direction.goal),
            ("priorities", direction.priorities),
            ("guidelines", direction.guidelines),
            ("messages", direction.messages),
        )
        if value
    ]
    text = "\n".join([title, *(f"{label}: {_indented(value)}" for label, value in parts)])
    body = Markup("<br>").join(Markup("<b>{}:</b> {}").format(k, _h(v)) for k, v in parts)
    paragraph = Markup("<p>{}</p>").format(body) if parts else ""
    return text, Markup("<h4>{}</h4>{}").format(title, paragraph)


def _readiness(
    picture: CombinedPicture, t: Catalogue, *, only_raised: bool = False, rows: bool = True
) -> Block:
    """The readiness summary with a row per actor (`only_raised`: only those above normal;
    not `rows`: the summary alone)."""
    title, title_html = _heading(t("picture.readiness.title"))
    listed = [r for r in picture.readiness if r.raised] if only_raised else picture.readiness
    shown = listed if rows else []
    first = picture.readiness_levels[0] if picture.readiness_levels else ""
    raised = len(picture.raised)
    if raised == 0:
        summary = t("picture.readiness.none_raised", first=first)
    elif raised == 1:
        summary = t("picture.readiness.raised_one", first=first)
    else:
        summary = t("picture.readiness.raised_many", count=raised, first=first)
    lines: list[str] = []
    cells: list[Markup] = []
    for row in shown:
        name = _actor_name(t, row.actor, row.extra)
        if row.level is None:
            level = t("picture.readiness.not_stated")
            lines.append(f"- {name}: {level}")
            cells.append(Markup("<tr><td>{}</td><td><i>{}</i></td></tr>").format(name, level))
        elif row.raised:
            lines.append(f"- {name}: {RAISED_MARK} {row.level}")
            cells.append(
                Markup("<tr><td><b>{}</b></td><td><b>{} {}</b></td></tr>").format(
                    name, RAISED_MARK, row.level
                )
            )
        else:
            lines.append(f"- {name}: {row.level}")
            cells.append(Markup("<tr><td>{}</td><td>{}</td></tr>").format(name, row.level))
    text = "\n".join([title, summary, *lines])
    table = _table(t("picture.readiness.actor"), t("picture.readiness.level"), cells)
    return text, Markup("{}<p>{}</p>{}").format(title_html, summary, table if shown else "")


def _readiness_lines(picture: CombinedPicture, t: Catalogue) -> list[Block]:
    """Every actor's readiness, a block each (the thread of a split picture)."""
    blocks = [_heading(t("picture.readiness.title"))]
    for row in picture.readiness:
        name = _actor_name(t, row.actor, row.extra)
        level = row.level or t("picture.readiness.not_stated")
        mark = f"{RAISED_MARK} " if row.raised else ""
        blocks.append(
            (f"- {name}: {mark}{level}", Markup("{}: {}{}<br>").format(name, mark, level))
        )
    return blocks


def _source(t: Catalogue, source: str) -> str:
    try:
        return t(f"picture.source.{source}")
    except KeyError:  # a source this catalogue does not know: show it as stored
        return source


def _actor(summary: ActorSummary, t: Catalogue) -> Block:
    name = _actor_name(t, summary.actor, summary.extra)
    if summary.source == "relayed":
        name = f"{name} ({t('picture.source.relayed', by=summary.author)})"
    elif summary.source:
        name = f"{name} ({_source(t, summary.source)})"
    parts = [
        (t(f"report.field.{field}"), value)
        for field, value in (
            ("situation", summary.situation),
            ("impact", summary.impact),
            ("actions", summary.actions),
        )
        if value
    ]
    if not parts:
        nothing = t("picture.nothing_to_report")
        return f"• {name}\n  {nothing}", Markup("<p><b>{}</b><br>{}</p>").format(name, _h(nothing))
    text = "\n".join(
        [f"• {name}", *(f"  {label}: {_indented(value, '    ')}" for label, value in parts)]
    )
    body = Markup("<br>").join(Markup("<i>{}:</i> {}").format(k, _h(v)) for k, v in parts)
    return text, Markup("<p><b>{}</b><br>{}</p>").format(name, body)


def _sections(picture: CombinedPicture, t: Catalogue) -> list[Block]:
    blocks = []
    for section in picture.sections:
        title, title_html = _heading(_category_name(t, section.category))
        actors = [_actor(summary, t) for summary in section.actors]
        blocks.append(
            (
                "\n".join([title, *(text for text, _ in actors)]),
                title_html + Markup("").join(part for _, part in actors),
            )
        )
    return blocks


def _needs(needs: Sequence[Contribution], t: Catalogue) -> Block:
    title, title_html = _heading(t("picture.needs.title"))
    if not needs:
        none = t("picture.needs.none")
        return f"{title}\n{none}", title_html + Markup("<p>{}</p>").format(none)
    lines = [f"- {_actor_name(t, n.actor, n.extra)}: {_indented(n.text)}" for n in needs]
    rows = [
        Markup("<tr><td><b>{}</b></td><td>{}</td></tr>").format(
            _actor_name(t, n.actor, n.extra), _h(n.text)
        )
        for n in needs
    ]
    table = _table(t("picture.needs.who"), t("picture.needs.what"), rows)
    return "\n".join([title, *lines]), title_html + table


def _table(first: str, second: str, rows: Iterable[Markup]) -> Markup:
    """A table of two columns headed `first` and `second`."""
    return Markup(
        "<table><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>"
    ).format(first, second, Markup("").join(rows))


def _contributions(title_key: str, items: Sequence[Contribution], t: Catalogue) -> Block | None:
    if not items:
        return None
    title, title_html = _heading(t(title_key))
    lines = [f"- {_actor_name(t, i.actor, i.extra)}: {_indented(i.text)}" for i in items]
    entries = Markup("").join(
        Markup("<li><b>{}</b>: {}</li>").format(_actor_name(t, i.actor, i.extra), _h(i.text))
        for i in items
    )
    return "\n".join([title, *lines]), Markup("{}<ul>{}</ul>").format(title_html, entries)


def _group_reports(picture: CombinedPicture, t: Catalogue, zone: ZoneInfo) -> Block | None:
    if not picture.group_reports:
        return None
    title, title_html = _heading(t("picture.groups.title"))
    lines: list[str] = []
    entries: list[Markup] = []
    for report in picture.group_reports:
        at = times.local(report.at, zone)
        source = f"{report.group_name} ({report.author}, {at:%H:%M})"
        lines.append(f"- {source}: {_indented(report.text)}")
        entries.append(
            Markup("<li><b>{}</b> ({}, {:%H:%M}): {}</li>").format(
                report.group_name, report.author, at, _h(report.text)
            )
        )
    listed = Markup("").join(entries)
    return "\n".join([title, *lines]), Markup("{}<ul>{}</ul>").format(title_html, listed)


def _missing(missing: Sequence[ActorRef], t: Catalogue) -> Block:
    if not missing:
        everyone = t("picture.missing.none")
        return everyone, Markup("<p><b>{}</b></p>").format(everyone)
    title, title_html = _heading(t("picture.missing.title"))
    names = ", ".join(actor.name for actor in missing)
    return f"{title}\n{names}", title_html + Markup("<p>{}</p>").format(names)


def _join(blocks: Iterable[Block | None]) -> Block:
    present = [block for block in blocks if block is not None]
    return "\n\n".join(text for text, _ in present), Markup("").join(part for _, part in present)


# --- public --------------------------------------------------------------------------------


def render_picture(picture: CombinedPicture, t: Catalogue, zone: ZoneInfo) -> tuple[str, str]:
    """The combined picture as one message: ``(plain text body, HTML formatted_body)``.

    Order follows the conference's work: what frames it (exercise, direction), who has raised
    readiness, what is happening per kind of actor, then what needs coordinating and what is
    offered, and last who is still missing, so the host can chase them.
    """
    exercise = _exercise(t) if picture.meeting.exercise else None
    blocks: list[Block | None] = [exercise, _header(picture, t, zone)]
    if picture.changes is not None:
        blocks.append(changes_block(t, picture.changes, zone))
    if picture.direction is not None:
        blocks.append(_direction(picture.direction, t))
    if picture.readiness:
        blocks.append(_readiness(picture, t))
    sections = _sections(picture, t)
    if sections:
        blocks += sections
    else:
        none = t("picture.no_reports")
        blocks.append((none, Markup("<p><i>{}</i></p>").format(none)))
    blocks += [
        _needs(picture.needs, t),
        _contributions("picture.resources.title", picture.resources, t),
        _contributions("picture.communication.title", picture.communication, t),
        _contributions("picture.outlook.title", picture.outlook, t),
        _contributions("picture.contacts.title", picture.contacts, t),
        _group_reports(picture, t, zone),
        _missing(picture.missing, t),
        exercise,  # exercise traffic ends as it starts, so no excerpt is mistaken for real
    ]
    return _join(blocks)


def render_picture_parts(
    picture: CombinedPicture,
    t: Catalogue,
    zone: ZoneInfo,
    *,
    budget: int = BUDGET,
    link: str | None = None,
) -> list[tuple[str, str]]:
    """The combined picture as messages that each fit in one event (see `bot.matrix.eventsize`).

    When the whole picture fits, it is one message, as `render_picture`. Otherwise the first is
    a head with what the host reads first (the header, readiness above normal, the needs for
    coordination, who is missing, and `link` to the web page), and the rest, for the head's
    thread, carry the reports by kind of actor and the offers, split between actors, never
    inside one actor's report; a section that continues in the next part repeats its title.
    """
    whole = render_picture(picture, t, zone)
    if encrypted_size(block_cost(whole)) <= budget:
        return [whole]
    exercise = _exercise(t) if picture.meeting.exercise else None
    head, moved = _head(picture, t, zone, budget - PACKING_MARGIN, link, exercise)
    rest: list[list[Block]] = list(moved)  # groups: a title and the blocks under it
    if picture.readiness:
        rest.append(_readiness_lines(picture, t))
    for section in picture.sections:
        heading = _heading(_category_name(t, section.category))
        rest.append([heading, *(_actor(summary, t) for summary in section.actors)])
    for block in (
        _contributions("picture.resources.title", picture.resources, t),
        _contributions("picture.communication.title", picture.communication, t),
        _contributions("picture.outlook.title", picture.outlook, t),
        _contributions("picture.contacts.title", picture.contacts, t),
        _group_reports(picture, t, zone),
    ):
        if block is not None:
            rest.append([block])
    parts = _pack(rest, budget - PACKING_MARGIN, exercise)
    return [_head_message(head, t("picture.continued", parts=len(parts)), link, exercise), *parts]


def render_picture_head(
    picture: CombinedPicture,
    t: Catalogue,
    zone: ZoneInfo,
    note: str,
    *,
    budget: int = BUDGET,
    link: str | None = None,
    title_key: str = "picture.title",
) -> Block:
    """The head of a split picture alone, ending with `note` on where the rest is (an
    attached file, when the thread would be too long to read); `title_key` names it (the
    living picture is not yet the combined one)."""
    exercise = _exercise(t) if picture.meeting.exercise else None
    head, _moved = _head(picture, t, zone, budget - PACKING_MARGIN, link, exercise, title_key)
    return _head_message(head, note, link, exercise)


def _head_message(
    head: list[Block | None], note: str, link: str | None, exercise: Block | None
) -> Block:
    return _join([*head, (note, Markup("<p><i>{}</i></p>").format(note)), *_tail(link, exercise)])


#: Needs and missing actors per block when they move from the head into the thread.
CHUNK = 25


def _head(
    picture: CombinedPicture,
    t: Catalogue,
    zone: ZoneInfo,
    budget: int,
    link: str | None,
    exercise: Block | None,
    title_key: str = "picture.title",
) -> tuple[list[Block | None], list[list[Block]]]:
    """The head's blocks, and the groups that had to move from it into the thread: the fullest
    head that fits (raised readiness, needs and missing actors listed), else with counts
    instead of lists, the lists going first in the thread."""
    top: list[Block | None] = [exercise, _header(picture, t, zone, title_key)]
    if picture.changes is not None:
        top.append(changes_block(t, picture.changes, zone))
    if picture.direction is not None:
        top.append(_direction(picture.direction, t))
    needs, missing = picture.needs, picture.missing
    needs_moved = [[_needs(needs[i : i + CHUNK], t)] for i in range(0, len(needs), CHUNK)]
    missing_moved = [[_missing(missing[i : i + CHUNK], t)] for i in range(0, len(missing), CHUNK)]
    needs_count = _line(t("picture.needs.in_thread", count=len(needs)))
    missing_count = _line(t("picture.missing.in_thread", count=len(missing)))
    raised = [_readiness(picture, t, only_raised=True)] if picture.readiness else []
    summary = [_readiness(picture, t, rows=False)] if picture.readiness else []
    variants: list[tuple[list[Block], list[list[Block]]]] = [
        ([*raised, _needs(needs, t), _missing(missing, t)], []),
        ([*summary, _needs(needs, t), _missing(missing, t)], []),
        ([*summary, needs_count, _missing(missing, t)], needs_moved),
        ([*summary, needs_count, missing_count], needs_moved + missing_moved),
    ]
    reserve = block_cost((t("picture.continued", parts=9999), "<p><i></i></p>"))
    for blocks, moved in variants:
        head = [*top, *blocks]
        cost = sum(block_cost(b) for b in [*head, *_tail(link, exercise)] if b) + reserve
        if encrypted_size(cost) <= budget:
            return head, moved
    return head, moved  # the smallest head; the outbox splits it if it must


def _line(text: str) -> Block:
    return text, Markup("<p>{}</p>").format(text)


def _tail(link: str | None, exercise: Block | None) -> list[Block | None]:
    tail: list[Block | None] = []
    if link:
        tail.append((link, Markup('<p><a href="{}">{}</a></p>').format(link, link)))
    return [*tail, exercise]


def _pack(groups: list[list[Block]], budget: int, exercise: Block | None) -> list[Block]:
    """Blocks into as few parts under `budget` as keep each block whole; a group cut between
    parts starts the next one with its first block (the title) again."""
    frame = block_cost(exercise) * 2 if exercise else 0
    parts: list[list[Block]] = []
    current: list[Block] = []
    used = frame

    def close() -> None:
        nonlocal current, used
        if current:
            parts.append(current)
        current, used = [], frame

    for group in groups:
        title = group[0]
        for index, block in enumerate(group):
            cost = block_cost(block)
            if current and encrypted_size(used + cost) > budget:
                close()
                if index > 0:  # a section goes on: its title again
                    current, used = [title], frame + block_cost(title)
            current.append(block)
            used += cost
    close()
    return [_join([exercise, *blocks, exercise]) for blocks in parts]


def render_report_format(t: Catalogue, readiness_levels: Sequence[str]) -> tuple[str, str]:
    """The short "how to report" help for a call-in: keys in the bot's language, the levels."""
    language = t.language
    command = "!läge" if language == "sv" else "!status"
    title = t("report.format.title")
    intro = t("report.format.intro", command=command)
    keys = [(KEYS[field][language], t(f"report.meaning.{field}")) for field in FIELDS]
    levels = t(
        "report.format.levels",
        levels=", ".join(readiness_levels),
        first=readiness_levels[0] if readiness_levels else "",
    )
    text = "\n".join([title, intro, *(f"  {key}: {meaning}" for key, meaning in keys), levels])
    items = Markup("").join(
        Markup("<li><code>{}:</code> {}</li>").format(key, meaning) for key, meaning in keys
    )
    formatted = Markup("<p><b>{}</b><br>{}</p><ul>{}</ul><p>{}</p>").format(
        title, intro, items, levels
    )
    return text, formatted


def render_receipt(t: Catalogue, actor_name: str, report: SituationReport) -> str:
    """The one-line confirmation that a report was taken, with its readiness when stated."""
    if report.readiness:
        return t("report.receipt_readiness", actor=actor_name, readiness=report.readiness)
    return t("report.receipt", actor=actor_name)
