"""The journal's group reports and directions, played by a fake clock: an activation forms a
group that reports, drafts a joint direction that the inriktande forum adopts; the journal holds
what the group said and what the direction says, each once, at the clock's time, and nothing
from a later activation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import load_config
from bot.domain.journal import JournalEntry
from bot.domain.timeline import as_utc
from bot.render.catalogue import Catalogue
from bot.render.journal import entry_what
from bot.testing import ServiceHarness, service_harness
from storage import issues
from tests.services.harness_config import REGION

ZONE = ZoneInfo("Europe/Stockholm")
SAMORDNANDE = "!samordnande-example.se:example.se"
INRIKTANDE = "!inriktande-example.se:example.se"
FORUMS = """
[[forums]]
id = "samordnande"
name = "Regionalt samordnande forum"
level = "samordnande"
mode = "aktiverat"
room = "#samordnande:example.se"
participants = ["*"]
activators = ["tib"]
host_function = "tib"
alert_functions = ["kommunikatör"]

[[forums]]
id = "inriktande"
name = "Regionalt inriktande forum"
level = "inriktande"
mode = "aktiverat"
room = "#inriktande:example.se"
participants = ["*"]
activators = ["tib"]
host_function = "tib"
"""


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, 2, hour, minute, tzinfo=ZONE)


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[ServiceHarness]:
    path = tmp_path / "region.toml"
    path.write_text(REGION + FORUMS, encoding="utf-8")
    async with service_harness(load_config(path), tmp_path, start=at(10)) as harness:
        yield harness


async def _activate(h: ServiceHarness, reason: str) -> int:
    forum = h.settings.forum("samordnande")
    assert forum is not None
    outcome = await h.services.activations.activate(
        forum, "@tib:example.se", reason=reason, exercise=False, event_id=None
    )
    assert outcome.activation is not None
    return outcome.activation.id


def _of(entries: tuple[JournalEntry, ...], kind: str) -> list[JournalEntry]:
    return [e for e in entries if e.kind == kind]


async def test_group_reports_and_directions_are_in_the_activations_journal(
    h: ServiceHarness,
) -> None:
    s = h.services
    forum = h.settings.forum("samordnande")
    assert forum is not None
    first = await _activate(h, "Snöoväder")
    h.clock.set(at(10, 5))
    await s.groups.create(forum, "@tib:example.se", "analys", "Trafiken", request="$create")
    h.clock.set(at(10, 10))
    await s.groups.report("analys", "E4 stängs i natt", "@solna:example.se", SAMORDNANDE, None)
    await s.reports.submit(forum, "@solna:example.se", "Lugnt i Solna.")
    h.clock.set(at(10, 15))
    await s.reports.submit(forum, "@solna:example.se", "Snöfall i Solna.")  # corrected
    h.clock.set(at(10, 17))
    issue = await s.issues.raise_issue(forum, "@solna:example.se", "Sand till Solna", None)
    h.clock.set(at(10, 18))
    await s.issues.decide(issue.number, "Trafikverket kör sand", "@tib:example.se")
    h.clock.set(at(10, 20))
    draft = await s.directions.draft(
        "@solna:example.se",
        SAMORDNANDE,
        "mål: Säkra framkomligheten\nbudskap: Undvik onödiga resor",
    )
    h.clock.set(at(10, 30))
    await s.directions.adopt(draft.id, "@tib:example.se", INRIKTANDE)
    h.clock.set(at(11))
    await s.activations.deactivate(forum, "@tib:example.se")

    # A later activation's direction is not the first one's.
    h.clock.set(at(14))
    await _activate(h, "Översvämning")
    await s.directions.draft("@solna:example.se", SAMORDNANDE, "mål: Länsa källare")

    record = await s.journal.of_activation(first)
    assert record is not None
    reports = _of(record.entries, "group.report")
    assert len(reports) == 1  # from the group's row; its audit row is not a second entry
    assert reports[0].values == {"group": "analys", "text": "E4 stängs i natt"}
    assert reports[0].person == "@solna:example.se" and reports[0].actor == "Solna stad"
    assert reports[0].at == at(10, 10)  # the service clock, not the wall clock

    drafted, adopted = (
        _of(record.entries, "direction.draft"),
        _of(record.entries, "direction.adopt"),
    )
    assert [e.at for e in drafted] == [at(10, 20)] and [e.at for e in adopted] == [at(10, 30)]
    assert drafted[0].values["text"] == (
        f"#{draft.id} Mål: Säkra framkomligheten; Gemensamma budskap: Undvik onödiga resor"
    )
    assert adopted[0].person == "@tib:example.se"
    assert not any("Länsa källare" in str(e.values) for e in record.entries)

    # A corrected report stays on record as what was said then, marked as replaced.
    said = [(e.kind, e.values["text"]) for e in record.entries if e.kind.startswith("report")]
    assert said == [
        ("report.replaced", "Läge: Lugnt i Solna."),
        ("report", "Läge: Snöfall i Solna."),
    ]

    # An issue's own history is in the clock's time too, as is its journal entry.
    steps = [(e.kind, e.at) for e in record.entries if e.kind.startswith("issue.")]
    assert steps == [("issue.raise", at(10, 17)), ("issue.decide", at(10, 18))]
    async with h.db.session() as session:
        stored = await issues.get(session, issue.number)
    assert stored is not None and as_utc(stored.created_at) == at(10, 17)
    assert [as_utc(e.at) for e in stored.events] == [at(10, 17), at(10, 18)]
    assert as_utc(stored.updated_at) == at(10, 18)

    t = Catalogue("sv")
    assert entry_what(t, reports[0]) == "Grupprapport: grupp: analys; E4 stängs i natt"
    replaced = next(e for e in record.entries if e.kind == "report.replaced")
    assert entry_what(t, replaced) == "Lägesrapport (ersatt av en senare): Läge: Lugnt i Solna."
    assert entry_what(t, adopted[0]).startswith(f"Beslut: inriktning: #{draft.id} Mål:")
    times = [e.at for e in record.entries]
    assert times == sorted(times) and times[0] == at(10) and times[-1] == at(11)
    # At one moment, entries keep the order they were written in: the decision, then what
    # it set off (the alerts it raised are about the alert, not the forum, yet come after).
    assert record.entries[0].kind == "activation.activate"
    # The host by name; the journal's own forum is not repeated on every line.
    assert record.entries[0].values["host"] == "Länsstyrelsen Stockholm"
    assert "forum" not in drafted[0].values
