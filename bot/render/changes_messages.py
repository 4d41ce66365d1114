"""What changed since the previous meeting or round, at the top of the picture and summaries."""

CHANGES_MESSAGES: dict[str, dict[str, str]] = {
    "changes.title": {"sv": "Sedan förra gången ({since})", "en": "Since last time ({since})"},
    "changes.none": {"sv": "Inga förändringar.", "en": "No changes."},
    "changes.raised": {"sv": "Höjd beredskap: {items}", "en": "Readiness raised: {items}"},
    "changes.lowered": {"sv": "Sänkt beredskap: {items}", "en": "Readiness lowered: {items}"},
    "changes.new_needs": {"sv": "Nya behov: {items}", "en": "New needs: {items}"},
    "changes.resolved_needs": {
        "sv": "Behov som inte längre anges: {items}",
        "en": "Needs no longer stated: {items}",
    },
    "changes.silent": {
        "sv": "Rapporterade förra gången men inte nu: {actors}",
        "en": "Reported last time but not now: {actors}",
    },
}
