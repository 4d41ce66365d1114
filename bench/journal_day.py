"""A day-long activation's stabsjournal: its size in entries, PDF and archive bytes, and the
time to make them; with ``--png PATH`` also the PDF's first page as an image (needs the
``pypdfium2`` package, which the bot does not).

The services of the example region play 24 hours by a fake clock (bot.testing): the
samordnande forum activated, a reporting round every 2 hours with a report from every actor
that has a reporting member, alerts to the communicators with acknowledgements, a host change,
a note per hour. Run with ``python -m bench.journal_day``.

Baselines, in the same run on the same database: for reading, fetching the same rows raw (the
whole audit log and the rounds' reports) without making a journal of them; for the PDF, the
day's combined pictures alone as a PDF (what printing the pictures would give), so the ratio
says what the journal itself adds.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import io
import os
import tempfile
import time
import tomllib
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import tomli_w
from pypdf import PdfReader

from bot.config import load_config
from bot.testing import ServiceHarness, service_harness
from storage import activations, audit, meetings

EXAMPLE = Path(__file__).resolve().parents[1] / "config.example.toml"
ZONE = ZoneInfo("Europe/Stockholm")
START = datetime(2026, 12, 7, 6, 0, tzinfo=ZONE)
LEVELS = ["normalläge", "stabsläge", "förstärkningsläge"]


async def raw_rows(h: ServiceHarness, activation_id: int) -> int:
    """The baseline of reading: every audit row and the rounds' reports, fetched as rows."""
    async with h.db.session() as session:
        found = len(await audit.recent(session, 1_000_000))
        for meeting in await activations.rounds(session, activation_id):
            found += len(await meetings.current_reports(session, meeting.id))
    return found


async def play(base: Path, png: Path | None) -> None:
    data = tomllib.loads(EXAMPLE.read_text())
    data.pop("webhooks", None)
    data["web"] = {"enabled": True, "public_url": "https://samverkan.example.se"}
    path = base / "config.toml"
    path.write_text(tomli_w.dumps(data))
    os.environ.setdefault("SAMVERKAN_WEB__LINK_SECRET", "bench")
    settings = load_config(path)
    forum = settings.forum("samordnande")
    assert forum is not None
    async with service_harness(settings, base, start=START) as h:
        s = h.services
        outcome = await s.activations.activate(
            forum, "@tib:example.se", reason="Snöstorm över länet", exercise=False, event_id=None
        )
        activation_id = outcome.activation.id
        reporters = {}
        for member in settings.members:
            if member.actor not in reporters and member.user.startswith("@"):
                reporters[member.actor] = member.user
        for hour in range(24):
            h.clock.set(START + timedelta(hours=hour, minutes=30))
            await h.run_due()
            if hour % 2 == 0:
                for index, (actor, user) in enumerate(reporters.items()):
                    level = LEVELS[(index + hour // 6) % len(LEVELS)]
                    text = (
                        f"Läget kl {6 + hour:02d}: plogning och avstängningar pågår.\n"
                        f"beredskap: {level}\nbehov: sand och plogbilar till {actor}\n"
                        "åtgärder: förstärkt bemanning, samordnade budskap"
                    )
                    try:
                        await s.reports.submit(forum, user, text)
                    except Exception:  # an actor that is no participant: not part of the day
                        continue
            if hour % 6 == 3:
                await s.alerts.raise_now(
                    function="kommunikatör",
                    message=f"Nytt pressmeddelande kl {6 + hour:02d}",
                    raised_by="@tib:example.se",
                    exercise=False,
                    activation_id=activation_id,
                )
                await s.alerts.acknowledge("@lst-kommunikator:example.se", None, "command")
            if hour == 8:
                await s.activations.set_host(forum, "@tib:example.se", "polisen")
            journal = s.journal
            assert journal is not None
            room = await s.forums.require_room(forum)
            await journal.log("@tib:example.se", room, f"Lägesgenomgång kl {6 + hour:02d} klar.")
        h.clock.set(START + timedelta(hours=24))
        await s.activations.deactivate(forum, "@tib:example.se")
        assert s.journal is not None
        started = time.perf_counter()
        record = await s.journal.of_activation(activation_id)
        assert record is not None
        read_s = time.perf_counter() - started
        started = time.perf_counter()
        rows = await raw_rows(h, activation_id)
        raw_s = time.perf_counter() - started
        started = time.perf_counter()
        pdf = await s.journal.pdf(record)
        pdf_s = time.perf_counter() - started
        started = time.perf_counter()
        pictures_pdf = await s.journal.pdf(dataclasses.replace(record, entries=()))
        pictures_s = time.perf_counter() - started
        started = time.perf_counter()
        archive = s.journal.archive(record)
        zip_s = time.perf_counter() - started
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    picture_pages = len(PdfReader(io.BytesIO(pictures_pdf)).pages)
    entries, pictures = len(record.entries), len(record.pictures)
    print(f"journal of a 24 h activation: {entries} entries, {pictures} pictures")
    print(
        f"read:    {read_s * 1000:8.0f} ms; baseline {rows} raw rows {raw_s * 1000:.0f} ms"
        f" (x{read_s / raw_s:.1f})"
    )
    print(f"PDF:     {len(pdf) / 1024:8.0f} KiB, {pages} pages, {pdf_s * 1000:.0f} ms")
    print(
        f"         baseline the pictures alone: {len(pictures_pdf) / 1024:.0f} KiB,"
        f" {picture_pages} pages, {pictures_s * 1000:.0f} ms (x{pdf_s / pictures_s:.2f});"
        f" {pdf_s * 1000 / pages:.0f} against {pictures_s * 1000 / picture_pages:.0f} ms a page"
    )
    print(f"archive: {len(archive) / 1024:8.0f} KiB (zip), {zip_s * 1000:.0f} ms")
    if png is not None:
        import pypdfium2

        page = pypdfium2.PdfDocument(pdf)[0]
        page.render(scale=1.4).to_pil().save(png)
        print(f"first page: {png}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--png", type=Path, help="write the PDF's first page here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="samverkan-journal-") as tmp:
        asyncio.run(play(Path(tmp), args.png))


if __name__ == "__main__":
    main()
