"""The one message catalogue: every text the bot sends, in Swedish (default) and English.

Keys are grouped by what they belong to (`cmd.<name>.*` for command help, `router.*` for the
command router's own answers, …). Placeholders use `str.format` names; the test suite checks
that both languages have every key with the same placeholders.
"""

from __future__ import annotations

import string
from typing import Literal

from bot.render.access_messages import ACCESS_MESSAGES
from bot.render.activation_messages import ACTIVATION_MESSAGES
from bot.render.calendar_messages import CALENDAR_MESSAGES
from bot.render.conference_messages import CONFERENCE_MESSAGES
from bot.render.crypto_messages import CRYPTO_MESSAGES
from bot.render.duty_messages import DUTY_MESSAGES
from bot.render.group_messages import GROUP_MESSAGES
from bot.render.issue_messages import ISSUE_MESSAGES
from bot.render.picture_messages import PICTURE_MESSAGES
from bot.render.report_link_messages import REPORT_LINK_MESSAGES
from bot.render.timeline_messages import TIMELINE_MESSAGES
from bot.render.web_messages import WEB_MESSAGES
from bot.render.webhook_messages import WEBHOOK_MESSAGES

Language = Literal["sv", "en"]

MESSAGES: dict[str, dict[str, str]] = {
    # -- the router --------------------------------------------------------------------
    "router.unknown": {
        "sv": "Okänt kommando: !{name}. Menade du !{suggestion}? Skriv !hjälp för alla kommandon.",
        "en": "Unknown command: !{name}. Did you mean !{suggestion}? Type !help for all commands.",
    },
    "router.unknown_no_suggestion": {
        "sv": "Okänt kommando: !{name}. Skriv !hjälp för alla kommandon.",
        "en": "Unknown command: !{name}. Type !help for all commands.",
    },
    "router.usage": {
        "sv": "Det gick inte att tolka kommandot ({error}). Användning: {usage}",
        "en": "Could not read the command ({error}). Usage: {usage}",
    },
    "router.refused": {
        "sv": "Du får inte använda !{name}: {reason}",
        "en": "You may not use !{name}: {reason}",
    },
    "router.rate_limited": {
        "sv": "Du skickar kommandon för tätt. Vänta {seconds} s och försök igen; under tiden "
        "svarar jag inte på fler kommandon från dig.",
        "en": "You are sending commands too quickly. Wait {seconds} s and try again; until "
        "then I will not answer more of your commands.",
    },
    "router.too_long": {
        "sv": "Meddelandet är för långt ({length} tecken; högst {max}). Korta det eller dela "
        "upp det i flera meddelanden. Inget har sparats.",
        "en": "The message is too long ({length} characters; at most {max}). Shorten it or "
        "split it into several messages. Nothing was stored.",
    },
    "perm.participant": {
        "sv": "det är för medlemmar i de aktörer som deltar i {forum}, eller administratörer.",
        "en": "it is for members of the actors taking part in {forum}, or administrators.",
    },
    "router.failed": {
        "sv": "Något gick fel när !{name} skulle utföras. Inget har ändrats; försök igen "
        "eller kontakta en administratör.",
        "en": "Something went wrong while running !{name}. Nothing was changed; try again "
        "or contact an administrator.",
    },
    "args.unexpected": {"sv": "oväntat ord: {word}", "en": "unexpected word: {word}"},
    "args.missing": {"sv": "{name} saknas", "en": "{name} is missing"},
    "args.invalid": {"sv": "{name} kan inte vara {value}", "en": "{name} cannot be {value}"},
    "args.needs_value": {"sv": "{option} behöver ett värde", "en": "{option} needs a value"},
    # -- permissions -------------------------------------------------------------------
    "perm.admin": {
        "sv": "kommandot kräver att du är administratör för boten (bot.admins).",
        "en": "the command requires you to be a bot administrator (bot.admins).",
    },
    "perm.member": {
        "sv": "kommandot kräver att du är medlem i en aktör i konfigurationen (members).",
        "en": "the command requires you to be a member of an actor in the config (members).",
    },
    # -- !help -------------------------------------------------------------------------
    "cmd.help.summary": {
        "sv": "listar kommandon, eller förklarar ett",
        "en": "lists commands, or explains one",
    },
    "cmd.help.usage": {"sv": "!hjälp [kommando]", "en": "!help [command]"},
    "cmd.whoami.summary": {
        "sv": "visar din aktör och dina funktioner",
        "en": "shows your actor(s) and functions",
    },
    "cmd.whoami.usage": {"sv": "!vem", "en": "!whoami"},
    "help.title": {"sv": "Kommandon", "en": "Commands"},
    "help.footer": {
        "sv": "Skriv !hjälp KOMMANDO för mer om ett kommando. Svenska och engelska namn fungerar.",
        "en": "Type !help COMMAND for more about one command. English and Swedish names work.",
    },
    "help.aliases": {"sv": "Även", "en": "Also"},
    "help.usage": {"sv": "Användning", "en": "Usage"},
    "help.unknown_topic": {
        "sv": "Det finns inget kommando som heter {name}. Skriv !hjälp för alla kommandon.",
        "en": "There is no command called {name}. Type !help for all commands.",
    },
    # -- !whoami -----------------------------------------------------------------------
    "whoami.you": {"sv": "Du är {user}.", "en": "You are {user}."},
    "whoami.actor": {
        "sv": "Aktör: {name} ({id}, {category})",
        "en": "Actor: {name} ({id}, {category})",
    },
    "whoami.functions": {"sv": "Funktioner: {functions}", "en": "Functions: {functions}"},
    "whoami.no_functions": {"sv": "Inga funktioner.", "en": "No functions."},
    "whoami.admin": {"sv": "Du är administratör för boten.", "en": "You are a bot administrator."},
    "whoami.device": {
        "sv": "Botens enhet: {device}, fingeravtryck {fingerprint}",
        "en": "The bot's device: {device}, fingerprint {fingerprint}",
    },
    "whoami.master": {"sv": "Botens huvudnyckel: {master}", "en": "The bot's master key: {master}"},
    "whoami.cross_signed": {
        "sv": "Enheten är korssignerad av boten.",
        "en": "The device is cross-signed by the bot.",
    },
    "whoami.unsigned": {
        "sv": "Enheten är inte korssignerad (se samverkan crypto status).",
        "en": "The device is not cross-signed (see samverkan crypto status).",
    },
    "whoami.not_member": {
        "sv": "Du är inte medlem i någon aktör i konfigurationen; be en administratör lägga "
        "till dig under [[members]].",
        "en": "You are not a member of any actor in the config; ask an administrator to add "
        "you under [[members]].",
    },
    # -- delivery ----------------------------------------------------------------------
    "outbox.failed": {
        "sv": "Boten kunde inte skicka ett meddelande till {room}: {error}",
        "en": "The bot could not send a message to {room}: {error}",
    },
    "outbox.refused_here": {
        "sv": "⚠️ Ett meddelande från boten kunde inte levereras i det här rummet: servern "
        "vägrade det ({error}). Inget annat väntar på det; administratörerna har fått veta.",
        "en": "⚠️ A message from the bot could not be delivered in this room: the server "
        "refused it ({error}). Nothing else waits for it; the administrators have been told.",
    },
    "inbox.gave_up": {
        "sv": "Boten kunde inte utföra ditt meddelande efter {tries} försök (databasen eller "
        "servern svarade inte). Inget har ändrats; skicka det igen om en stund.",
        "en": "The bot could not carry out your message after {tries} tries (the database or "
        "the server did not answer). Nothing was changed; send it again in a while.",
    },
}


def _merge(*parts: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for part in parts:
        twice = merged.keys() & part.keys()
        if twice:
            raise ValueError(f"message keys defined twice: {sorted(twice)}")
        merged.update(part)
    return merged


MESSAGES = _merge(
    MESSAGES,
    PICTURE_MESSAGES,
    CONFERENCE_MESSAGES,
    TIMELINE_MESSAGES,
    ACTIVATION_MESSAGES,
    ISSUE_MESSAGES,
    GROUP_MESSAGES,
    CRYPTO_MESSAGES,
    WEB_MESSAGES,
    CALENDAR_MESSAGES,
    ACCESS_MESSAGES,
    WEBHOOK_MESSAGES,
    REPORT_LINK_MESSAGES,
    DUTY_MESSAGES,
)


class Catalogue:
    """Looks up messages in one language; `t("key", name=...)` formats them."""

    def __init__(self, language: Language = "sv") -> None:
        self.language: Language = language

    def __call__(self, key: str, **values: object) -> str:
        entry = MESSAGES[key]
        return entry[self.language].format(**values)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
