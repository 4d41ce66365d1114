"""Whom a report is for: the sender's actor among the forum's participants."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest

from bot.config import Settings, load_config
from bot.domain.errors import Refusal
from bot.services.core import Core
from bot.services.reports import ReportService
from storage.db import Database

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"


@pytest.fixture
def settings() -> Settings:
    base = load_config(EXAMPLE)
    data = base.model_dump(mode="python")
    # One person who is a member of two actors, as a shared duty officer might be.
    data["members"].append({"user": "@dubbel:example.se", "actor": "solna", "functions": []})
    data["members"].append({"user": "@dubbel:example.se", "actor": "huddinge", "functions": []})
    return Settings.model_validate(data)


def service(settings: Settings) -> ReportService:
    return ReportService(Core.of(settings, cast(Database, None)))


def test_a_member_of_several_actors_is_asked_which(settings: Settings) -> None:
    forum = settings.forum("konferens")
    assert forum is not None
    with pytest.raises(Refusal) as asked:
        service(settings).reporting_actor(forum, "@dubbel:example.se", None)
    assert asked.value.key == "report.which_actor"
    assert asked.value.values == {"actors": "solna, huddinge"}
    chosen = service(settings).reporting_actor(forum, "@dubbel:example.se", "huddinge")
    assert chosen.id == "huddinge"
    with pytest.raises(Refusal) as wrong:
        service(settings).reporting_actor(forum, "@dubbel:example.se", "polisen")
    assert wrong.value.key == "report.not_your_actor"


def test_strangers_and_non_participants_are_refused_with_the_reason(settings: Settings) -> None:
    forum = settings.forum("konferens")
    assert forum is not None
    with pytest.raises(Refusal) as stranger:
        service(settings).reporting_actor(forum, "@okand:example.se", None)
    assert stranger.value.key == "report.not_member"
    narrow = next(f for f in settings.forums if f.participants != ["*"])
    outside = next(m.user for m in settings.members if m.actor not in set(narrow.participants))
    with pytest.raises(Refusal) as not_participant:
        service(settings).reporting_actor(narrow, outside, None)
    assert not_participant.value.key == "report.not_participant"
