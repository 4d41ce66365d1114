"""The message catalogue: both languages, the same placeholders, every command documented."""

from __future__ import annotations

import commands  # noqa: F401  (registers the commands)
from bot.render.catalogue import MESSAGES, Catalogue, placeholders
from commands.registry import registry


def test_every_message_exists_in_both_languages_with_the_same_placeholders() -> None:
    for key, entry in MESSAGES.items():
        assert set(entry) == {"sv", "en"}, key
        assert placeholders(entry["sv"]) == placeholders(entry["en"]), key


def test_every_command_has_help_texts() -> None:
    for spec in registry:
        for part in ("summary", "usage"):
            assert f"cmd.{spec.name}.{part}" in MESSAGES, (spec.name, part)


def test_language_is_chosen_by_config() -> None:
    assert Catalogue("sv")("whoami.you", user="@a:b") == "Du är @a:b."
    assert Catalogue("en")("whoami.you", user="@a:b") == "You are @a:b."
