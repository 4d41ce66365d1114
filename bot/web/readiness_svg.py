"""A small chart of one actor's readiness over the last weeks, for the dashboard's table.

Server-rendered SVG, a pure function from the stated levels to text: a step line (each level
holds until the next is stated), a mark at each statement (a square above the normal level, a
circle at it) and a faint dashed line per level of the scale. Black on white with shapes, not
colour, carrying the meaning, so it reads in grey print; the text alternative says the same in
words.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

WIDTH = 168
HEIGHT = 40
PAD = 4


def render_readiness_chart(
    history: Sequence[tuple[datetime, int]],
    *,
    start: datetime,
    end: datetime,
    levels: Sequence[str],
    label: str,
) -> str:
    """`history` as (when, rank) oldest first; "" when nothing was stated in the period."""
    if not history or not levels or end <= start:
        return ""
    top = max(len(levels) - 1, 1)
    span = (end - start).total_seconds()

    def x(moment: datetime) -> float:
        share = min(max((moment - start).total_seconds() / span, 0.0), 1.0)
        return round(PAD + share * (WIDTH - 2 * PAD), 1)

    def y(rank: int) -> float:
        return round(HEIGHT - PAD - min(rank, top) / top * (HEIGHT - 2 * PAD), 1)

    grid = "".join(
        f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(r)}" y2="{y(r)}" stroke="#999" '
        'stroke-width="0.5" stroke-dasharray="2 2"/>'
        for r in range(len(levels))
    )
    points: list[str] = []
    for index, (moment, rank) in enumerate(history):
        if index:
            points.append(f"{x(moment)},{y(history[index - 1][1])}")
        points.append(f"{x(moment)},{y(rank)}")
    points.append(f"{x(end)},{y(history[-1][1])}")
    line = f'<polyline fill="none" stroke="#000" stroke-width="1.5" points="{" ".join(points)}"/>'
    marks = "".join(
        f'<rect x="{x(m) - 2.5}" y="{y(r) - 2.5}" width="5" height="5" fill="#000"/>'
        if r > 0
        else f'<circle cx="{x(m)}" cy="{y(r)}" r="2" fill="#fff" stroke="#000"/>'
        for m, r in history
    )
    text = escape(label)
    return (
        f'<svg class="readiness-chart" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{text}">'
        f"<title>{text}</title>{grid}{line}{marks}</svg>"
    )


def chart_label(actor: str, levels: Sequence[str], history: Sequence[tuple[datetime, int]]) -> str:
    """The chart in words: the actor and the levels stated, oldest first."""
    stated = [levels[rank] for _, rank in history if 0 <= rank < len(levels)]
    steps = [level for i, level in enumerate(stated) if i == 0 or level != stated[i - 1]]
    return f"{actor}: {' → '.join(steps)}"
