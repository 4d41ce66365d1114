"""A home summary stays short at any scale: up to SUMMARY_LIST_MAX actors per list are named,
past that a count and where the picture is, while what is asked of the actor is always whole."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings, load_config
from bot.domain.picture import ActorRef, compile_picture
from bot.services.core import Core
from bot.services.summaries import SUMMARY_LIST_MAX, SummaryService
from storage.models.meetings import Meeting
from tests.unit.test_picture import LEVELS, MEETING, entry

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_config(EXAMPLE)


def summary(settings: Settings, count: int) -> str:
    service = SummaryService(
        Core.of(settings, None),  # type: ignore[arg-type]  # only the text is built
        None,  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
    )
    actors = [ActorRef(f"a{n:04}", f"Aktör {n:04}", "kommun") for n in range(count)]
    home = settings.actors[0]
    reports = [
        entry(
            a,
            readiness="stabsläge",
            needs=f"Bandvagnar till {home.name}" if n == 0 else f"Reservkraft till område {n}",
        )
        for n, a in enumerate(actors)
        if n % 2 == 0  # every other one is missing
    ]
    picture = compile_picture(MEETING, actors, reports, LEVELS)
    meeting = Meeting(id=7, forum_id="x", opened_at=datetime(2026, 12, 3, 15, tzinfo=UTC))
    forum = settings.forums[0]
    return str(service.summary_content(forum, meeting, picture, home, None)["body"])


def test_a_few_are_named(settings: Settings) -> None:
    body = summary(settings, 2 * SUMMARY_LIST_MAX)  # ten reported, ten missing
    assert "Reservkraft till område 18" in body and "Aktör 0019" in body
    assert "se lägesbilden" not in body


def test_many_are_counted_and_what_is_asked_stays_whole(settings: Settings) -> None:
    body = summary(settings, 1300)
    assert "650 aktörer saknades." in body and "Aktör 1299" not in body
    assert "område 18" not in body
    assert body.count("650 – se lägesbilden i ") == 2  # raised readiness, and needs
    asked = body.split("Riktat till")[1]
    assert "Bandvagnar till" in asked  # what is asked of this actor, named in full
    assert len(body.encode()) < 4096
