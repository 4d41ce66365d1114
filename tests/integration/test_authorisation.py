"""Every command of the permission table, as each kind of user, on the real homeserver.

The matrix is generated from `commands.permissions.rules()`: for each command (and action) and
each kind of user (admin, activator, host, member of a participant, member of a non-participant,
someone the config does not know) the test expects "allowed" or "refused" from the rule's kinds
alone, using the small table `ALLOWED` below, which is written independently of the code. A
refused command must be answered with its reason and written to the audit log; an allowed one
must not be refused (it may still fail on the facts, e.g. "not active").
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from sqlalchemy import select

from bot.domain.access import Who
from commands.permissions import rules
from storage.models.infra import AuditEntry
from tests.fixtures.homeserver import World
from tests.fixtures.scene import Scene

pytestmark = pytest.mark.integration

PEOPLE = {
    "activator": ("lst", ["tib"]),
    "host": ("polisen", ["rsk"]),
    "participant": ("lst", ["handläggare"]),
    "outsider": ("kommun", ["säkerhetschef"]),
}
ACTORS = {"lst": "Länsstyrelsen", "polisen": "Polisen", "kommun": "Kommunen"}
KINDS = ("admin", "activator", "host", "participant", "outsider", "unknown")

#: Who passes each kind of rule in this cast: the forum's participants are lst and polisen,
#: its activator function tib, its host function rsk, and the standing group has lst.
ALLOWED = {
    Who.ANYONE: set(KINDS),
    Who.MEMBER: set(KINDS) - {"unknown"},
    Who.PARTICIPANT: {"admin", "activator", "host", "participant"},
    Who.GROUP_MEMBER: {"admin", "activator", "participant"},
    Who.HOST: {"admin", "host"},
    Who.ACTIVATOR: {"admin", "activator"},
    Who.ESCALATION: {"admin"},
}

#: One harmless, well-formed use of every command and action; {n} is the kind's own issue.
USES = {
    "help": "!hjälp",
    "whoami": "!vem",
    "calendar": "!kalender",
    "status": "!läge allt lugnt",
    "picture": "!lägesbild",
    "missing": "!saknas",
    "meeting": "!möte start",
    "summary": "!sammanfattning",
    "activate": "!aktivera samordnande --övning behörighetstest",
    "host": "!värd lst",
    "deactivate": "!avaktivera samordnande",
    "alert": "!larma --övning säkerhetschef behörighetstest",
    "ack": "!kvittera",
    "alerts": "!larmlista",
    "log": "!logg behörighetstest",
    "export": "!exportera möte",
    "raise": "!lyft Testärende",
    "issues": "!ärenden",
    "issue": "!ärende {n}",
    "assign": "!tilldela {n} lst",
    "decide": "!besluta {n} beslutat",
    "followup": "!uppfölj {n} imorgon",
    "close": "!stäng {n} klart",
    "escalate": "!eskalera {n} konferens",
    "group create": "!grupp skapa Grupp {kind}",
    "group assign": "!grupp tilldela analys polisen",
    "group report": "!grupp rapport analys läget är lugnt",
    "groups": "!grupper",
    "direction draft": "!inriktning utkast\nmål: testa behörigheter",
    "direction adopt": "!inriktning fastställ 1",
    "direction show": "!inriktning visa",
    "duty show": "!tjänst",
    "duty take": "!tjänst ta tib",
    "duty give": "!tjänst ge tib @anna:example.se",
    "duty release": "!tjänst släpp tib",
}
REFUSED = "Du får inte använda !"


def expected_allowed(key: str) -> set[str]:
    who = rules()[key].who
    return set().union(*(kinds for flag, kinds in ALLOWED.items() if flag in who))


class Cast(Scene):
    def __init__(self, world: World) -> None:
        rooms = ("Samordnande", "Konferens", "Kommunikatörer")
        super().__init__(world, PEOPLE, ACTORS, rooms, outsiders=("admin", "unknown"))

    def configure(self, data: dict[str, Any]) -> None:
        data["bot"]["admins"] = [self.people["admin"].user_id]
        data["limits"] = {"commands_per_window": 0}
        data["forums"] = [
            {
                "id": "samordnande",
                "name": "Regionalt samordnande forum",
                "level": "samordnande",
                "mode": "aktiverat",
                "room": self.rooms["Samordnande"],
                "participants": ["lst", "polisen"],
                "host_function": "rsk",
                "activators": ["tib"],
                "report_interval": "1h",
            },
            {
                "id": "konferens",
                "name": "Regional samverkanskonferens",
                "level": "samordnande",
                "mode": "ordinarie",
                "room": self.rooms["Konferens"],
                "participants": ["*"],
            },
        ]
        data["alerts"] = {"room": self.rooms["Kommunikatörer"]}
        data["groups"] = [
            {"id": "analys", "name": "Analys", "reports_to": "samordnande", "members": ["lst"]}
        ]


@pytest.fixture
async def cast(world: World) -> Cast:
    scene = Cast(world)
    await scene.setup()
    yield scene  # type: ignore[misc]
    await scene.stop()


async def test_every_command_as_every_kind_of_user(cast: Cast) -> None:
    assert set(USES) == set(rules()), "every command and action in the table needs a use here"
    room = cast.rooms["Samordnande"]
    # Each kind acts on an issue of its own, so one kind's escalation moves nobody else's.
    numbers: dict[str, int] = {}
    for kind in KINDS:
        reply = await cast.participant.ask(room, f"!lyft Ärende för {kind}", cast.bot)
        found = re.search(r"#(\d+)", reply.body)
        assert found, reply.body
        numbers[kind] = int(found.group(1))
    # Order within a kind: escalation last (it moves the issue to another forum).
    order = [k for k in USES if k != "escalate"] + ["escalate"]

    async def run(kind: str) -> dict[str, str]:
        """Sends the kind's commands in order without waiting, then collects the answers."""
        member = cast.people[kind]
        sent = {}
        for key in order:
            sent[key] = await member.send(room, USES[key].format(n=numbers[kind], kind=kind))
        return {
            key: (await member.wait_for_reply(room, event_id, cast.bot, timeout=120)).body
            for key, event_id in sent.items()
        }

    results = dict(zip(KINDS, await asyncio.gather(*(run(k) for k in KINDS)), strict=True))

    wrong = []
    for key in order:
        allowed = expected_allowed(key)
        for kind in KINDS:
            refused = REFUSED in results[kind][key]
            if refused == (kind in allowed):
                wrong.append(f"{key} as {kind}: {results[kind][key]!r}")
    assert not wrong, "\n".join(wrong)

    # Every refusal says why (more than the prefix) and is in the audit log, under the
    # command's own name, with the room and the reason's key.
    assert cast.app is not None
    async with cast.app.db.session() as session:
        rows = (
            await session.execute(select(AuditEntry).where(AuditEntry.action == "command.refused"))
        ).scalars()
        logged = [(r.actor, r.subject, (r.details or {}).get("room")) for r in rows]
    for key in order:
        for kind in set(KINDS) - expected_allowed(key):
            body = results[kind][key]
            reason = body.split(REFUSED, 1)[1].split(":", 1)[1].strip()
            assert len(reason) > 10, body
            entry = (cast.people[kind].user_id, f"command:{key.split()[0]}", room)
            assert entry in logged, f"{key} as {kind} is not in the audit log"
    refusals = sum(len(set(KINDS) - expected_allowed(k)) for k in order)
    assert len(logged) == refusals  # nothing allowed was logged as refused
    print(f"authorisation matrix: {len(order)} commands × {len(KINDS)} kinds of user")
