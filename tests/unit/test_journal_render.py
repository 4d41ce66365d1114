"""The journal's renderers: a line per entry in the bot's language, user text escaped in the
HTML, and an archive whose manifest names every file with its checksum."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.domain.journal import LOG, REPORT, JournalEntry, JournalRecord, PictureCopy
from bot.render.catalogue import Catalogue
from bot.render.journal import entry_what, journal_archive, journal_html

ZONE = ZoneInfo("Europe/Stockholm")
AT = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


def record(*entries: JournalEntry) -> JournalRecord:
    picture = PictureCopy("aktiverat", 2, AT, "Samlad lägesbild", "<h3>Samlad lägesbild</h3>")
    return JournalRecord(
        "samordnande",
        "Regionalt samordnande forum",
        "activation",
        7,
        AT,
        None,
        True,
        "Storm <Ävja>",
        entries,
        (picture,),
    )


def test_entries_read_in_the_bots_language() -> None:
    note = JournalEntry(AT, LOG, "@tib:x", "Länsstyrelsen", {"text": "Skolor stängda"})
    report = JournalEntry(AT, "group.report", "@p:x", None, {"group": "analys", "text": "E4"})
    assert entry_what(Catalogue("sv"), note) == "Anteckning: Skolor stängda"
    assert entry_what(Catalogue("en"), note) == "Note: Skolor stängda"
    assert entry_what(Catalogue("en"), report) == "Group report: group: analys; E4"
    decided = JournalEntry(AT, "issue.decide", "@tib:x", values={"decision": "sand"})
    assert entry_what(Catalogue("sv"), decided).endswith("(decide): beslut: sand")


def test_user_text_is_escaped_in_the_document() -> None:
    note = JournalEntry(AT, REPORT, "@p:x", "Polisen", {"text": "<script>alert(1)</script>"})
    html = journal_html(Catalogue("sv"), ZONE, record(note), AT)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Storm &lt;Ävja&gt;" in html and "ÖVNING" in html
    assert "<h3>Samlad lägesbild</h3>" in html  # the picture's own (rendered, escaped) HTML
    empty = journal_html(Catalogue("en"), ZONE, record(), AT)
    assert "No entries." in empty


def test_the_archive_lists_every_file_with_its_checksum() -> None:
    note = JournalEntry(AT, LOG, "@tib:x", None, {"text": "Anteckning ett"})
    data = journal_archive(Catalogue("sv"), ZONE, record(note), AT)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = {f["name"] for f in manifest["files"]}
        assert names | {"manifest.json"} == set(archive.namelist())
        for listed in manifest["files"]:
            content = archive.read(listed["name"])
            assert hashlib.sha256(content).hexdigest() == listed["sha256"]
        picture = json.loads(archive.read("pictures/001.json"))
        journal = json.loads(archive.read("journal.json"))
    assert picture["meeting"] == "aktiverat" and picture["round"] == 2
    assert picture["at"] == AT.isoformat()
    assert (
        journal["exercise"] is True
        and journal["entries"][0]["text"] == "Anteckning: Anteckning ett"
    )
