"""The picture of the model: three levels × ordinarie/aktiverat läge, each forum a box.

The model description (seeds, section 3.2 and figure 3) draws the regional collaboration as a
grid: the levels inriktande, samordnande and verkställande as rows, ordinarie and aktiverat läge
as columns, the forums in their cells and the working groups under the forum they report to.
The dashboard opens with that grid so that a newcomer sees at a glance which forums exist and
which are activated right now.

`render_model` is a pure function from a small view model to SVG text: no I/O, no catalogue
(the caller passes every label, already in the bot's language), every piece of text escaped.
Lit (activated) forums differ by more than colour, so the picture reads in grey-scale print:
a thick border, bold status text and, for an exercise, a dashed border and the ÖVNING marker.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

__all__ = ["LEVELS", "MODES", "ForumBox", "GroupBox", "ModelLabels", "render_model", "wrap"]

LEVELS: tuple[str, ...] = ("inriktande", "samordnande", "verkställande")
"""Rows, top to bottom: the model's levels from direction-setting down to operational."""
MODES: tuple[str, ...] = ("ordinarie", "aktiverat")
"""Columns, left to right."""

# Geometry, in SVG user units (the picture scales to the page width).
WIDTH = 1000
LABEL_W = 170
GAP = 12
HEADER_H = 44
COLUMN_W = (WIDTH - LABEL_W - 3 * GAP) // 2
BOX_PAD = 10
BOX_W = COLUMN_W - 2 * BOX_PAD
TEXT_W = BOX_W - 2 * BOX_PAD
FONT = 17
LINE_H = 22
SMALL = 13
SMALL_LINE_H = 16
GROUPS_PER_ROW = 2
GROUP_GAP = 8
GROUP_W = (TEXT_W - (GROUPS_PER_ROW - 1) * GROUP_GAP) // GROUPS_PER_ROW
CHAR_W = 0.6
"""Average glyph width as a share of the font size, to wrap text without measuring it."""


@dataclass(frozen=True)
class GroupBox:
    """A working group, drawn as a small box under its forum; `lit` while it works for an
    ongoing activation."""

    name: str
    lit: bool = False
    title: str | None = None
    """Longer text for the tooltip (task, members); the name when None."""


@dataclass(frozen=True)
class ForumBox:
    """One forum as the picture shows it."""

    id: str
    name: str
    level: str
    mode: str
    lit: bool = False
    """Activated right now."""
    exercise: bool = False
    """The activation is an exercise (övning)."""
    status: str = ""
    """One short line under the name, e.g. "AKTIVERAT" or "Nästa möte torsdag 16:00"."""
    href: str | None = None
    groups: tuple[GroupBox, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ModelLabels:
    """Every text of the picture that does not come from a forum, in the page's language."""

    title: str
    description: str
    levels: Mapping[str, str]
    modes: Mapping[str, str]
    exercise: str
    """The exercise marker (ÖVNING)."""
    empty: str
    """Shown in a cell without forums."""


def wrap(text: str, size: int, width: float, max_lines: int = 3) -> list[str]:
    """`text` broken into lines that fit `width` at font `size` (estimated), at most
    `max_lines`, the last shortened with an ellipsis when the text does not fit."""
    limit = max(4, int(width / (size * CHAR_W)))
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > limit:  # a word longer than a line is cut, not allowed to overflow
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:limit])
            word = word[limit:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= limit:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        kept = lines[:max_lines]
        last = kept[-1]
        kept[-1] = (last[: limit - 1] if len(last) >= limit else last) + "…"
        return kept
    return lines or [""]


def _a(value: str) -> str:
    """An attribute value, escaped (quotes included)."""
    return escape(value, quote=True)


def _text(
    x: float,
    y: float,
    lines: Sequence[str],
    size: int,
    line_h: int,
    cls: str,
    weight: str = "normal",
) -> str:
    # A space between the lines, so that copied or read-out text keeps its words apart.
    spans = " ".join(
        f'<tspan x="{x:g}" y="{y + index * line_h:g}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return f'<text class="{cls}" font-size="{size}" font-weight="{weight}">{spans}</text>'


# Presentation attributes, so the picture keeps its meaning without the page's stylesheet (saved
# alone, or printed in grey): lit is a thick border and a warm fill, an exercise a dashed border.
PLAIN_GROUP = 'fill="#eef2f5" stroke="#607080" stroke-width="1"'
LIT_GROUP = 'fill="#ffe08a" stroke="#1a1a1a" stroke-width="2.5"'


def _box_look(forum: ForumBox) -> str:
    fill = "#ffc93c" if forum.lit else "#ffffff"
    stroke, width = ("#1a1a1a", 5) if forum.lit else ("#607080", 1.5)
    dashes = ' stroke-dasharray="12 6"' if forum.exercise else ""
    return f'fill="{fill}" stroke="{stroke}" stroke-width="{width:g}"{dashes}'


# --- layout --------------------------------------------------------------------------------


def _group_rows(count: int) -> int:
    return (count + GROUPS_PER_ROW - 1) // GROUPS_PER_ROW


def _group_h() -> int:
    return BOX_PAD + 2 * SMALL_LINE_H


def _forum_h(forum: ForumBox) -> int:
    name_lines = len(wrap(forum.name, FONT, TEXT_W))
    height = BOX_PAD + name_lines * LINE_H
    if forum.status or forum.exercise:
        height += SMALL_LINE_H + 4
    if forum.groups:
        rows = _group_rows(len(forum.groups))
        height += 6 + rows * _group_h() + (rows - 1) * GROUP_GAP
    return height + BOX_PAD


def _cell_h(forums: Sequence[ForumBox]) -> int:
    if not forums:
        return LINE_H + 2 * BOX_PAD
    return sum(_forum_h(f) for f in forums) + GAP * (len(forums) - 1)


# --- drawing -------------------------------------------------------------------------------


def _group(group: GroupBox, x: float, y: float) -> str:
    cls = "group lit" if group.lit else "group"
    lines = wrap(group.name, SMALL, GROUP_W - 8, max_lines=2)
    look = LIT_GROUP if group.lit else PLAIN_GROUP
    return (
        f'<g class="{cls}"><title>{escape(group.title or group.name)}</title>'
        f'<rect x="{x:g}" y="{y:g}" width="{GROUP_W}" height="{_group_h()}" rx="4" {look}/>'
        + _text(x + 4, y + SMALL_LINE_H - 2, lines, SMALL, SMALL_LINE_H, "group-name")
        + "</g>"
    )


def _forum(forum: ForumBox, labels: ModelLabels, x: float, y: float) -> str:
    height = _forum_h(forum)
    classes = ["forum", f"mode-{forum.mode}"]
    if forum.lit:
        classes.append("lit")
    if forum.exercise:
        classes.append("exercise")
    status = " · ".join(
        part for part in (forum.status, labels.exercise if forum.exercise else "") if part
    )
    tooltip = " – ".join(part for part in (forum.name, status) if part)
    parts = [
        f'<g class="{" ".join(classes)}" data-forum="{_a(forum.id)}" '
        f'data-lit="{"true" if forum.lit else "false"}" '
        f'data-exercise="{"true" if forum.exercise else "false"}">',
        f"<title>{escape(tooltip)}</title>",
        f'<rect class="box" x="{x:g}" y="{y:g}" width="{BOX_W}" height="{height}" rx="8" '
        f"{_box_look(forum)}/>",
    ]
    name_lines = wrap(forum.name, FONT, TEXT_W)
    cursor = y + BOX_PAD + FONT
    parts.append(_text(x + BOX_PAD, cursor, name_lines, FONT, LINE_H, "forum-name"))
    cursor += (len(name_lines) - 1) * LINE_H
    if status:
        cursor += SMALL_LINE_H + 4
        line = wrap(status, SMALL, TEXT_W, max_lines=1)
        weight = "bold" if forum.lit else "normal"
        parts.append(_text(x + BOX_PAD, cursor, line, SMALL, SMALL_LINE_H, "forum-status", weight))
    if forum.groups:
        top = cursor + 10
        for index, group in enumerate(forum.groups):
            row, column = divmod(index, GROUPS_PER_ROW)
            gx = x + BOX_PAD + column * (GROUP_W + GROUP_GAP)
            gy = top + row * (_group_h() + GROUP_GAP)
            parts.append(_group(group, gx, gy))
    parts.append("</g>")
    drawn = "".join(parts)
    if forum.href:
        return f'<a href="{_a(forum.href)}">{drawn}</a>'
    return drawn


def render_model(forums: Sequence[ForumBox], labels: ModelLabels) -> str:
    """The model as an inline ``<svg>`` element: a header row with the two modes, then one row
    per level with that level's forums in the column of their mode, in the order given."""
    cells: dict[tuple[str, str], list[ForumBox]] = {(lv, md): [] for lv in LEVELS for md in MODES}
    for forum in forums:
        if (forum.level, forum.mode) in cells:
            cells[(forum.level, forum.mode)].append(forum)
    body: list[str] = []
    columns_x = [LABEL_W + GAP + index * (COLUMN_W + GAP) for index in range(len(MODES))]
    for mode, cx in zip(MODES, columns_x, strict=True):
        body.append(
            f'<g class="mode-head mode-{_a(mode)}">'
            f'<rect x="{cx}" y="0" width="{COLUMN_W}" height="{HEADER_H - 8}" rx="6" '
            f'fill="#dde5ec"/>'
            + _text(cx + BOX_PAD, 25, [labels.modes.get(mode, mode)], FONT, LINE_H, "head", "bold")
            + "</g>"
        )
    y = HEADER_H
    for level in LEVELS:
        row_h = max(_cell_h(cells[(level, mode)]) for mode in MODES) + 2 * BOX_PAD
        label_lines = wrap(labels.levels.get(level, level), FONT, LABEL_W - 2 * BOX_PAD)
        body.append(
            f'<g class="level level-{_a(level)}" data-level="{_a(level)}">'
            f'<rect class="band" x="0" y="{y}" width="{WIDTH}" height="{row_h}" rx="8" '
            f'fill="#f3f6f9" stroke="#c5d0da"/>'
            + _text(BOX_PAD, y + BOX_PAD + FONT, label_lines, FONT, LINE_H, "level-name", "bold")
        )
        for mode, cx in zip(MODES, columns_x, strict=True):
            fy = y + BOX_PAD
            here = cells[(level, mode)]
            if not here:
                body.append(
                    _text(
                        cx + BOX_PAD, fy + BOX_PAD + SMALL, [labels.empty], SMALL, LINE_H, "empty"
                    )
                )
            for forum in here:
                body.append(_forum(forum, labels, cx + BOX_PAD, fy))
                fy += _forum_h(forum) + GAP
        body.append("</g>")
        y += row_h + GAP
    height = y - GAP
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="model" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="model-title model-desc">'
        f'<title id="model-title">{escape(labels.title)}</title>'
        f'<desc id="model-desc">{escape(labels.description)}</desc>' + "".join(body) + "</svg>"
    )
