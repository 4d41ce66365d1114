"""The command router's own answers (`commands/router.py`, `commands/args.py`): unknown
commands, unreadable arguments, refusals by the permission rules, limits."""

ROUTER_MESSAGES: dict[str, dict[str, str]] = {
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
}
