"""Names as people type them after a command, and as file names: ASCII, lower case, dashes;
and names folded for comparing what people type with what the config says."""

from __future__ import annotations

import re
import unicodedata


def slugify(name: str) -> str:
    """`Analys & Lägesbild` → `analys-lagesbild`: what people type after `!grupp rapport`."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:64]


def fold(text: str) -> str:
    """`Regionalt Samordnande – Forum` → `regionalt samordnande - forum`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("–", "-").replace("—", "-")
    return " ".join(plain.split())
