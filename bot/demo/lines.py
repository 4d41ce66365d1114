"""The demo's script lines: what each simulated agency reports, and the short timings that let
a reporting round and an alert play out in seconds."""

from __future__ import annotations

DEMO_ROUNDS = {"report_interval": "30s", "reminder_before": "18s", "report_deadline_before": "8s"}
DEMO_ALERTS = {"ack_timeout": "6s", "max_repeats": 1}


STORM_REPORTS: list[tuple[str, str]] = [
    (
        "lst",
        "Snöfallet har börjat i norra länet.\nberedskap: stab\nåtgärder: RSK-koordinator i tjänst",
    ),
    (
        "trafikverket",
        "E4 och E18 stängda norr om Stockholm.\nbehov: polisens hjälp med avstängningar",
    ),
    (
        "polisen",
        "Många avåkningar.\nberedskap: förstärkning\nkommunikation: gemensamt budskap om resor",
    ),
    ("regionen", "Ambulanser försenade.\nbehov: prioriterad plogning till sjukhusen"),
    ("trafikverket", "E4 öppen igen, E18 fortfarande stängd."),
    ("stockholm", "Plogning pågår dygnet runt.\nresurser: två hjullastare kan lånas ut"),
]


REPORTS: list[tuple[str, str]] = [
    (
        "lst",
        "SMHI har utfärdat en klass 2-varning för snöfall från i kväll.\n"
        "åtgärder: TiB och RSK-koordinator i tjänst hela helgen\n"
        "kommunikation: gemensamt budskap om att undvika onödiga resor",
    ),
    (
        "stockholm",
        "Plogning pågår på huvudstråken.\n"
        "påverkan: förseningar i hemtjänsten\n"
        "behov: samordning med Trafikverket om plogning av infarterna",
    ),
    (
        "polisen",
        "Många trafikolyckor på E4 och E18.\nberedskap: stab\n"
        "behov: information från Trafikverket om avstängningar",
    ),
    (
        "regionen",
        "Sjukhusen har kapacitet; fler halkskador väntas.\n"
        "prognos: ökande belastning på akuterna under helgen",
    ),
    ("ssbf", "Normal verksamhet.\nresurser: två bandvagnar kan lånas ut"),
    ("trafikverket", "E4 halt norr om Uppsala.\nåtgärder: extra plogbilar insatta"),
    ("sos", "Hög belastning på 112 under eftermiddagen."),
    ("solna", "Lugnt.\nbehov: sand från Stockholms stad"),
    ("huddinge", "Lugnt i Huddinge."),
    ("sbff", "Normal verksamhet."),
    ("attunda", "Normal verksamhet."),
    ("hamnar", "Färjetrafiken går enligt tidtabell."),
    ("forsvarsmakten", "Inget att rapportera."),
]
