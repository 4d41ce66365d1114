"""The small region the service tests play in: two actors with home rooms, a weekly conference
on Thursdays at 16:00, an alerts room with escalation, and a weekly tib roster."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings, load_config

REGION = """
[matrix]
homeserver = "https://matrix.example.se"
user_id = "@samverkan:example.se"

[bot]
require_encryption = false
admins = ["@admin:example.se"]

[alerts]
room = "#larm:example.se"
ack_timeout = "10m"
max_repeats = 1
escalate_to = ["rsk-koordinator"]

[[actors]]
id = "lst"
name = "Länsstyrelsen Stockholm"
category = "stat"
home_room = "#lst-hem:example.se"

[[actors]]
id = "solna"
name = "Solna stad"
category = "kommun"
home_room = "#solna-hem:example.se"

[[members]]
user = "@tib:example.se"
actor = "lst"
functions = ["tib"]

[[members]]
user = "@anna:example.se"
actor = "lst"

[[members]]
user = "@bo:example.se"
actor = "lst"

[[members]]
user = "@rsk:example.se"
actor = "lst"
functions = ["rsk-koordinator"]

[[members]]
user = "@solna:example.se"
actor = "solna"
functions = ["säkerhetschef", "kommunikatör"]

[[rosters]]
function = "tjänsteman-i-beredskap"
actor = "lst"
rotation = "weekly"
handoff = "mon 08:00"
start = "2026-11-30"
members = ["@anna:example.se", "@bo:example.se"]

[[forums]]
id = "konferens"
name = "Regional samverkanskonferens"
level = "samordnande"
mode = "ordinarie"
room = "#konferens:example.se"
participants = ["*"]
host_function = "tib"
schedule = "thu 16:00"
alert_functions = ["kommunikatör"]
"""


def region(tmp_path: Path) -> Settings:
    path = tmp_path / "region.toml"
    path.write_text(REGION, encoding="utf-8")
    return load_config(path)
