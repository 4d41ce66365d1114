"""`!help` and `!whoami` (`commands/help.py`, `commands/whoami.py`)."""

HELP_MESSAGES: dict[str, dict[str, str]] = {
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
}
