"""Names as people type them after a command, and as file names: ASCII, lower case, dashes."""

from __future__ import annotations

import re
import unicodedata


def slugify(name: str) -> str:
    """`Analys & Lägesbild` → `analys-lagesbild`: what people type after `!grupp rapport`."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:64]
