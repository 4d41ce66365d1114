"""The dashboard's readiness chart: a step line over the period, squares above the normal
level and circles at it, the level lines, and the same in words; nothing when nothing was
stated."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

from bot.web.readiness_svg import chart_label, render_readiness_chart

LEVELS = ["normalläge", "stabsläge", "förstärkningsläge", "katastrofläge"]
END = datetime(2026, 12, 10, 16, tzinfo=UTC)
START = END - timedelta(weeks=6)
SVG = "{http://www.w3.org/2000/svg}"


def _chart(history: list[tuple[datetime, int]], label: str = "Solna <stad> & co") -> str:
    return render_readiness_chart(history, start=START, end=END, levels=LEVELS, label=label)


def test_a_raised_then_lowered_actor_is_drawn_as_steps_with_marks() -> None:
    history = [(START + timedelta(weeks=1), 0), (START + timedelta(weeks=3), 2), (END, 0)]
    svg = _chart(history)
    root = ElementTree.fromstring(svg)  # well-formed, and the label escaped
    assert root.find(f"{SVG}title").text == "Solna <stad> & co"  # type: ignore[union-attr]
    assert len(root.findall(f"{SVG}line")) == len(LEVELS)  # one faint line per level
    assert len(root.findall(f"{SVG}rect")) == 1 and len(root.findall(f"{SVG}circle")) == 2
    points = root.find(f"{SVG}polyline").get("points", "").split()  # type: ignore[union-attr]
    ys = [float(p.split(",")[1]) for p in points]
    assert ys[0] == ys[1] and ys[2] < ys[1]  # held, then up (SVG y grows downwards)
    xs = [float(p.split(",")[0]) for p in points]
    assert xs == sorted(xs) and xs[-1] <= 168


def test_nothing_stated_draws_nothing() -> None:
    assert _chart([]) == ""


def test_the_label_says_the_steps_in_words() -> None:
    history = [(START, 0), (START + timedelta(days=1), 0), (END, 3)]
    assert chart_label("Polisen", LEVELS, history) == "Polisen: normalläge → katastrofläge"
    assert not re.search("#[0-9a-f]{3,6}\\b(?<!#000)(?<!#fff)(?<!#999)", _chart(history))
