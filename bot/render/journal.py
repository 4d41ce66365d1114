"""The stabsjournal for people and for the archive: a line per entry, one HTML document (the
journal, then the combined pictures) that is also the PDF, and a JSON archive with a manifest
of SHA-256 checksums, so an archivist can show that nothing was changed since export."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from bot.domain.journal import JournalEntry, JournalRecord
from bot.render.catalogue import Catalogue
from bot.render.times import when

PDF_MIMETYPE = "application/pdf"
ARCHIVE_MIMETYPE = "application/zip"

_CSS = Markup(
    "@page{size:A4;margin:18mm 15mm;@bottom-right{content:counter(page) ' / ' counter(pages);"
    "font-size:8pt}}"
    "body{font-family:'DejaVu Sans',sans-serif;font-size:9.5pt;color:#000}"
    "h1{font-size:15pt;margin:0 0 4pt}h2{font-size:12pt;margin:14pt 0 4pt;"
    "border-bottom:1px solid #000}"
    "table{width:100%;border-collapse:collapse}th,td{border-bottom:.5pt solid #999;"
    "padding:2pt 4pt;vertical-align:top;text-align:left}th{background:#eee}"
    "td.t{white-space:nowrap;width:22%}td.w{width:24%}.small{font-size:8pt;color:#333}"
    "section.picture{page-break-inside:auto;margin-top:8pt}"
)


def kind_label(t: Catalogue, kind: str) -> str:
    for key in (f"journal.kind.{kind}", f"journal.kind.{kind.split('.')[0]}"):
        try:
            return t(key)
        except KeyError:
            continue
    return t("journal.kind.other")


def entry_what(t: Catalogue, entry: JournalEntry) -> str:
    label = kind_label(t, entry.kind)
    if entry.kind.startswith("issue."):
        label = f"{label} ({entry.kind.split('.', 1)[1]})"
    details = "; ".join(
        value if name == "text" else f"{_detail(t, name)}: {value}"
        for name, value in entry.values.items()
    )
    return f"{label}: {details}" if details else label


def _detail(t: Catalogue, name: str) -> str:
    try:
        return t(f"journal.detail.{name}")
    except KeyError:
        return name


def entry_who(entry: JournalEntry) -> str:
    return f"{entry.person} ({entry.actor})" if entry.actor else entry.person


def title_of(t: Catalogue, zone: ZoneInfo, record: JournalRecord) -> str:
    if record.scope == "activation":
        return t("journal.title.activation", forum=record.forum_name, ref=record.ref)
    return t(
        "journal.title.meeting", forum=record.forum_name, when=when(t, record.started_at, zone)
    )


def _period(t: Catalogue, zone: ZoneInfo, record: JournalRecord) -> str:
    end = when(t, record.ended_at, zone) if record.ended_at else t("journal.ongoing")
    return t("journal.period", start=when(t, record.started_at, zone), end=end)


def journal_html(t: Catalogue, zone: ZoneInfo, record: JournalRecord, made_at: datetime) -> str:
    """The whole journal as one HTML document (the PDF is printed from it)."""
    title = title_of(t, zone, record)
    if record.exercise:
        title = f"{t('exercise.marker')}: {title}"
    head = [Markup("<p>{}</p>").format(_period(t, zone, record))]
    if record.reason:
        head.append(Markup("<p>{}</p>").format(t("journal.reason", reason=record.reason)))
    rows = Markup("").join(
        Markup('<tr><td class="t">{}</td><td class="w">{}</td><td>{}</td></tr>').format(
            when(t, e.at, zone), entry_who(e), entry_what(t, e)
        )
        for e in record.entries
    )
    table = (
        Markup("<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>{}</table>").format(
            t("journal.col.time"), t("journal.col.who"), t("journal.col.what"), rows
        )
        if record.entries
        else Markup("<p>{}</p>").format(t("journal.none"))
    )
    pictures = Markup("").join(
        Markup('<section class="picture">{}</section>').format(Markup(picture.html))
        for picture in record.pictures
    )
    page = Markup(
        '<!doctype html><html lang="{}"><head><meta charset="utf-8"><title>{}</title>'
        "<style>{}</style></head><body><h1>{}</h1>{}<h2>{}</h2>{}<h2>{}</h2>{}"
        '<p class="small">{}</p></body></html>'
    )
    return str(
        page.format(
            t.language,
            title,
            _CSS,
            title,
            Markup("").join(head),
            t("journal.entries"),
            table,
            t("journal.pictures"),
            pictures,
            t("journal.generated", when=when(t, made_at, zone)),
        )
    )


def journal_pdf(html: str) -> bytes:
    """The HTML document as PDF, with Debian's fonts (WeasyPrint: Pango and fontconfig)."""
    from weasyprint import HTML  # heavy to import; only exports need it

    return bytes(HTML(string=html).write_pdf())


def journal_archive(
    t: Catalogue, zone: ZoneInfo, record: JournalRecord, made_at: datetime
) -> bytes:
    """A zip: ``journal.json``, one JSON per picture, the HTML document, and ``manifest.json``
    naming each file with its size and SHA-256."""
    files: dict[str, bytes] = {}
    entries = [
        {
            "at": e.at.isoformat(),
            "kind": e.kind,
            "person": e.person,
            "actor": e.actor,
            "values": dict(e.values),
            "text": entry_what(t, e),
        }
        for e in record.entries
    ]
    meta: dict[str, Any] = {
        "forum": {"id": record.forum_id, "name": record.forum_name},
        "scope": record.scope,
        "id": record.ref,
        "started_at": record.started_at.isoformat(),
        "ended_at": record.ended_at.isoformat() if record.ended_at else None,
        "exercise": record.exercise,
        "reason": record.reason,
    }
    files["journal.json"] = _json({**meta, "entries": entries})
    for number, picture in enumerate(record.pictures, start=1):
        files[f"pictures/{number:03d}.json"] = _json(
            {
                "meeting": picture.meeting_kind,
                "round": picture.round_number,
                "at": picture.at.isoformat() if picture.at else None,
                "text": picture.text,
                "html": picture.html,
            }
        )
    files["journal.html"] = journal_html(t, zone, record, made_at).encode()
    manifest = {
        **meta,
        "made_at": made_at.isoformat(),
        "files": [
            {"name": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in files.items()
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr("manifest.json", _json(manifest))
    return buffer.getvalue()


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True).encode()


def file_stem(record: JournalRecord) -> str:
    return f"stabsjournal-{record.forum_id}-{record.scope}-{record.ref}"
