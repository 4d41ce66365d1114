"""The dashboard's pages as HTML: one Jinja2 environment over the read model's views.

The templates read the plain views of `bot.services.views` (what the read model hands back, cut
to the viewer) and, for the overview, an `Overview` that puts the forums and the readiness table
together. Autoescape is on for every template, so all text that came from users (reports,
reasons, alert messages, issue titles) is escaped; the only markup inserted as is is the model
picture, which `bot.web.model_svg` builds with every text escaped. Labels come from the message
catalogue in the bot's language; times are shown in the configured zone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from bot.domain.reports import FIELDS
from bot.domain.timeline import SYSTEM
from bot.render import times
from bot.render.catalogue import Catalogue
from bot.render.duty import OnDutyLine
from bot.services.readmodel import READINESS_HISTORY
from bot.services.views import (
    ActivationDetail,
    ActorReadiness,
    ForumView,
    GroupView,
    IssueItem,
    MeetingDetail,
)
from bot.web.model_svg import LEVELS, MODES, ForumBox, GroupBox, ModelLabels, render_model
from bot.web.readiness_svg import chart_label, render_readiness_chart

__all__ = ["STATIC", "TEMPLATES", "Display", "Overview", "Pages", "level_bar", "level_class"]

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

LEVEL_SHADES = 4
"""Distinct looks for readiness levels (lowest, two raised, highest); longer scales share them."""


def level_class(rank: int, count: int) -> str:
    """``level-0`` … ``level-3``: the lowest level 0, the highest 3, the rest in between."""
    if count <= 1 or rank <= 0:
        return "level-0"
    if rank >= count - 1:
        return f"level-{LEVEL_SHADES - 1}"
    shade = 1 + round((rank - 1) * (LEVEL_SHADES - 3) / max(1, count - 3))
    return f"level-{min(LEVEL_SHADES - 2, shade)}"


def level_bar(rank: int, count: int) -> str:
    """``■■□□``: the level's place on the scale, readable without colour."""
    count = max(count, 1)
    filled = min(max(rank, 0), count - 1) + 1
    return "■" * filled + "□" * (count - filled)


@dataclass(frozen=True)
class Overview:
    """The overview page: every visible forum (config order) and each actor's readiness."""

    forums: tuple[ForumView, ...]
    readiness: tuple[ActorReadiness, ...]
    readiness_levels: tuple[str, ...]
    duty: tuple[OnDutyLine, ...] = ()
    """Who holds each rostered function now (`[[rosters]]`)."""

    @property
    def live(self) -> bool:
        """A forum is activated: the page refreshes itself often."""
        return any(view.activated for view in self.forums)


def group_lit(group: GroupView) -> bool:
    """A group formed for an activation that is still at work."""
    return group.activation_id is not None and group.closed_at is None


@dataclass(frozen=True)
class Display:
    """How one request wants the page: wall-screen type, refresh interval (None: default)."""

    wall: bool = False
    refresh_s: int | None = None

    def link(self, path: str) -> str:
        """``path`` keeping the display options, so the wall screen stays a wall screen."""
        query = {}
        if self.wall:
            query["wall"] = "1"
        if self.refresh_s is not None:
            query["refresh"] = str(self.refresh_s)
        return f"{path}?{urlencode(query)}" if query else path


class Pages:
    def __init__(self, catalogue: Catalogue, zone: ZoneInfo) -> None:
        self.t = catalogue
        self.zone = zone
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=StrictUndefined,
            auto_reload=False,  # templates ship with the package; no stat() per page
        )
        self.env.globals["t"] = catalogue
        self.env.globals["lang"] = catalogue.language
        self.env.globals["readiness_chart"] = self.readiness_chart
        self.env.filters.update(
            when=lambda moment: times.when(catalogue, moment, zone),
            clock=lambda moment: times.clock(moment, zone),
            stamp=self.stamp,
            level_class=level_class,
            level_bar=level_bar,
            category=self.category,
            issue_state=self.issue_state,
            report_fields=report_fields,
            group_lit=group_lit,
            user=lambda user: catalogue("timeline.system") if user == SYSTEM else user,
            via=self.via,
            source=self.source,
        )

    # -- filters ------------------------------------------------------------------------

    def readiness_chart(self, cell: ActorReadiness, levels: Sequence[str], now: datetime) -> Markup:
        """The actor's readiness over the weeks the read model looks back, as SVG."""
        label = chart_label(cell.actor.name, levels, cell.history)
        return Markup(
            render_readiness_chart(
                cell.history,
                start=now - READINESS_HISTORY,
                end=now,
                levels=levels,
                label=self.t("web.readiness.chart_label", chart=label),
            )
        )

    def stamp(self, moment: datetime) -> str:
        """``2026-11-26 16:00``, local time."""
        return f"{times.local(moment, self.zone):%Y-%m-%d %H:%M}"

    def category(self, category: str) -> str:
        return self._optional(f"picture.category.{category}", category.capitalize())

    def issue_state(self, state: str) -> str:
        return self._optional(f"issue.state.{state}", state)

    def via(self, via: str) -> str:
        return self._optional(f"timeline.via.{via}", via)

    def source(self, source: str) -> str:
        """Where a report came from (``web-link``), in words when the catalogue knows it."""
        return self._optional(f"web.source.{source}", source)

    def _optional(self, key: str, fallback: str) -> str:
        try:
            return self.t(key)
        except KeyError:  # a value the catalogue does not know: show it as stored
            return fallback

    # -- the model picture --------------------------------------------------------------

    def labels(self) -> ModelLabels:
        t = self.t
        return ModelLabels(
            title=t("web.model.title"),
            description=t("web.model.description"),
            levels={level: t(f"web.level.{level}") for level in LEVELS},
            modes={mode: t(f"web.mode.{mode}") for mode in MODES},
            exercise=t("exercise.marker"),
            empty=t("web.model.empty"),
        )

    def forum_box(self, view: ForumView, display: Display) -> ForumBox:
        t = self.t
        if view.activated:
            status = t("web.state.activated")
        elif view.current_meeting is not None and view.current_meeting.state == "open":
            status = t("web.state.sitting")
        elif view.forum.mode == "aktiverat":
            status = t("web.state.dormant")
        elif view.next_meeting is not None:
            status = t("web.state.next", when=times.when(t, view.next_meeting, self.zone))
        else:
            status = ""
        meeting = view.current_meeting or view.latest_meeting
        if view.activation is not None:
            href: str | None = display.link(f"/activations/{view.activation.id}")
        elif meeting is not None:
            href = display.link(f"/meetings/{meeting.id}")
        else:
            href = None
        return ForumBox(
            id=view.forum.id,
            name=view.forum.name,
            level=view.forum.level,
            mode=view.forum.mode,
            lit=view.activated,
            exercise=view.exercise,
            status=status,
            href=href,
            groups=tuple(
                GroupBox(group.name, lit=group_lit(group), title=group.task or group.name)
                for group in view.groups
            ),
        )

    def model_svg(self, overview: Overview, display: Display) -> str:
        boxes = [self.forum_box(card, display) for card in overview.forums]
        return render_model(boxes, self.labels())

    # -- pages ----------------------------------------------------------------------------

    def _render(self, name: str, display: Display, path: str, **values: Any) -> str:
        template = self.env.get_template(name)
        return template.render(
            wall=display.wall,
            link=display.link,
            request_path=path,
            now=values.pop("now"),
            **values,
        )

    def _overview_values(self, overview: Overview, display: Display) -> dict[str, Any]:
        refresh = display.refresh_s * 1000 if display.refresh_s is not None else 0
        return {
            "overview": overview,
            "model_svg": Markup(self.model_svg(overview, display)),
            "refresh_ms": refresh,
        }

    def overview(self, overview: Overview, display: Display, now: datetime) -> str:
        values = self._overview_values(overview, display)
        return self._render("overview.html", display, "/", now=now, **values)

    def overview_fragment(self, overview: Overview, display: Display, now: datetime) -> str:
        """Only the live section (``#live``), for the page's refresh script."""
        values = self._overview_values(overview, display)
        return self._render("_overview.html", display, "/", now=now, **values)

    def meeting(self, page: MeetingDetail, display: Display, now: datetime) -> str:
        path = f"/meetings/{page.meeting.id}"
        return self._render("meeting.html", display, path, now=now, page=page)

    def activation(self, page: ActivationDetail, display: Display, now: datetime) -> str:
        path = f"/activations/{page.activation.id}"
        return self._render("activation.html", display, path, now=now, page=page)

    def issues(self, issues: list[IssueItem], display: Display, now: datetime) -> str:
        return self._render("issues.html", display, "/issues", now=now, issues=issues)

    def message(self, heading: str, text: str, display: Display, path: str, now: datetime) -> str:
        return self._render("message.html", display, path, now=now, heading=heading, text=text)


def report_fields(fields: dict[str, str | None]) -> Iterator[tuple[str, str]]:
    """A report's filled-in fields, in the order of the report format."""
    for name in FIELDS:
        value = fields.get(name)
        if value:
            yield name, value
