"""Requests per second of the web's overview under 50 concurrent clients, beside /healthz.

    python -m bench.web [--clients 50] [--seconds 5] [--actors 12]

The bot and its web run in this process on a local Synapse (as in bench/conference.py), with a
scene filled through real chat commands: a weekly conference with its meeting opened and reports
from several actors (needs, raised readiness), issues raised, an activated forum with an alert
acknowledged, and a working group. Then, for each path, 50 clients (each its own aiohttp session
and connection, keep-alive) ask it again and again for `--seconds` on loopback; they run in a
child process (this module with `--load`), so the load generator does not take the bot's event
loop: on the two cores of our machines, bot and clients each get one.

Paths: the overview page `/` when the dashboard serves it (else it is said so), the API's forum
list `/api/v1/forums` (the same data as JSON), both with the web token as a bearer header, and
`/healthz` as the baseline: a public route that asks the database one `SELECT 1`. The figure that
matters is the ratio: what reading and compiling every forum's state and picture costs per request
compared with the cheapest request the same server answers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from bench.conference import Clock, start_bot
from bot.app import App
from bot.demo.configs import minimal_config, write_config
from bot.demo.homeserver import LocalHomeserver, free_port
from bot.demo.member import Seen, SimulatedMember

#: name → (actor id, actor name, category, functions); the first person creates the rooms.
PEOPLE = {
    "tib": ("lst", "Länsstyrelsen Stockholm", "stat", ["tib", "rsk-koordinator"]),
    "solna": ("solna", "Solna stad", "kommun", ["säkerhetschef"]),
    "polis": ("polisen", "Polisen region Stockholm", "blåljus", ["vakthavande-befäl"]),
    "sos": ("sos", "SOS Alarm", "blåljus", ["vakthavande"]),
    "tv": ("trafikverket", "Trafikverket", "trafik", ["trafikledare"]),
    "komm": ("region", "Region Stockholm", "region", ["kommunikatör"]),
}
REPORTS = {
    "tib": "!läge Snöoväder klass 2 väntas i kväll.\nåtgärder: TiB i tjänst\nberedskap: stab",
    "solna": "!läge Plogning pågår.\nbehov: sand från Trafikverket\nprognos: ökande halka",
    "polis": "!läge Många trafikolyckor.\nberedskap: förstärkningsläge\nkommunikation: VMA-stöd",
    "sos": "!läge Hög belastning på 112.\nbehov: fler operatörer från grannlän",
    "tv": "!läge E4 halt söder om Södertälje.\nresurser: två plogbilar",
}


def config(
    base: Path, hs: str, bot: str, rooms: dict[str, str], users: dict[str, str], actors: int
) -> dict[str, Any]:
    data = minimal_config(
        homeserver=hs, bot_user=bot, base=base / "bot", forum_room=rooms["konferens"], members={}
    )
    listed = [(a, n, c) for a, n, c, _ in PEOPLE.values()]
    listed += [(f"kommun-{i:02d}", f"Kommun {i}", "kommun") for i in range(actors - len(listed))]
    data["actors"] = [
        {"id": a, "name": n, "category": c, "home_room": rooms["hem"]} for a, n, c in listed
    ]
    data["members"] = [
        {"user": users[name], "actor": a, "functions": f} for name, (a, _, _, f) in PEOPLE.items()
    ]
    data["forums"] = [
        {
            "id": "konferens",
            "name": "Regional samverkanskonferens",
            "level": "samordnande",
            "mode": "ordinarie",
            "room": rooms["konferens"],
            "participants": ["*"],
            "host_function": "tib",
            "schedule": "thu 16:00",
        },
        {
            "id": "samordningsgrupp",
            "name": "Regional samordningsgrupp",
            "level": "samordnande",
            "mode": "ordinarie",
            "room": rooms["samordningsgrupp"],
            "participants": ["lst", "solna", "polisen", "region"],
            "host_function": "rsk-koordinator",
            "schedule": "0 9 1 * *",
        },
        {
            "id": "samordnande",
            "name": "Regionalt samordnande forum",
            "level": "samordnande",
            "mode": "aktiverat",
            "room": rooms["samordnande"],
            "participants": ["lst", "polisen", "sos", "trafikverket", "region"],
            "host_function": "tib",
            "activators": ["tib"],
            "alert_functions": ["kommunikatör"],
            "report_interval": "2h",
        },
    ]
    data["alerts"] = {"room": rooms["kommunikatörer"], "ack_timeout": "30m"}
    data["web"] = {"enabled": True, "host": "127.0.0.1", "port": free_port()}
    return data


async def fill(members: dict[str, SimulatedMember], rooms: dict[str, str], bot: str) -> None:
    """The scene, through chat commands: each `ask` waits for the bot's answer."""
    conference, forum = rooms["konferens"], rooms["samordnande"]
    await members["tib"].ask(conference, "!möte start", bot)
    for name, text in REPORTS.items():
        await members[name].ask(conference, text, bot)
    await members["solna"].ask(conference, "!lyft Sandlager räcker inte | inför helgen", bot)
    await members["polis"].ask(conference, "!lyft Gemensamt budskap om halka", bot)
    await members["tib"].ask(forum, "!aktivera samordnande --övning Snöstorm över länet", bot)
    komm, alerts_room = members["komm"], rooms["kommunikatörer"]

    def alert() -> list[Seen]:
        return [m for m in komm.messages(alerts_room, sender=bot) if "Larm #" in m.body]

    await komm.wait_until(lambda: bool(alert()), 30)
    await komm.react(alerts_room, alert()[0].event_id)
    await members["polis"].ask(forum, "!läge Olyckor på E4 och E18.\nberedskap: stab", bot)
    await members["tib"].ask(forum, "!grupp skapa analys --task Samlad analys av läget", bot)


# -- the load, in a child process --------------------------------------------------------------


async def load(url: str, token: str | None, clients: int, seconds: float) -> dict[str, Any]:
    """`clients` sessions asking `url` in a loop for `seconds`; counts and latencies."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    latencies: list[float] = []
    failures = 0
    statuses: set[int] = set()
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal failures
        connector = aiohttp.TCPConnector(limit=1)
        async with aiohttp.ClientSession(connector=connector, headers=headers) as http:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                async with http.get(url) as resp:
                    await resp.read()
                    statuses.add(resp.status)
                    if resp.status != 200:
                        failures += 1
                latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "failures": failures,
        "statuses": sorted(statuses),
        "elapsed_s": elapsed,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else float("nan"),
    }


def run_load(url: str, token: str | None, clients: int, seconds: float) -> dict[str, Any]:
    """The load from a child process (this module with --load); the token via its environment."""
    env = dict(os.environ)
    env.pop("BENCH_WEB_TOKEN", None)
    if token:
        env["BENCH_WEB_TOKEN"] = token
    args = [sys.executable, "-m", "bench.web", "--load", url]
    args += ["--clients", str(clients), "--seconds", str(seconds)]
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=True, timeout=120)
    return dict(json.loads(done.stdout))


async def status_of(url: str, token: str) -> int:
    async with aiohttp.ClientSession() as http:
        async with http.get(url, headers={"Authorization": f"Bearer {token}"}) as resp:
            await resp.read()
            return resp.status


# -- the run -----------------------------------------------------------------------------------


async def run(clients: int, seconds: float, actors: int) -> None:
    clock = Clock()
    token = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory(prefix="samverkan-bench-web-") as tmp:
        base = Path(tmp)
        hs = LocalHomeserver(base / "synapse")
        await hs.start()
        clock.say("Synapse is up")
        members: dict[str, SimulatedMember] = {}
        app: App | None = None
        results: list[tuple[str, dict[str, Any]]] = []
        missing: list[str] = []
        try:
            bot = await hs.register("samverkan")
            for name in PEOPLE:
                account = await hs.register(name)
                members[name] = await SimulatedMember.start(
                    hs.url, account, base / "members" / name
                )
            host = members["tib"]
            others = [m.user_id for n, m in members.items() if n != "tib"]
            rooms = {}
            for key in ("konferens", "samordningsgrupp", "samordnande", "kommunikatörer", "hem"):
                rooms[key] = await host.create_room(key, invite=[bot.user_id, *others])
            for name, member in members.items():
                if name != "tib":
                    for room in rooms.values():
                        await member.join(room)
            users = {name: m.user_id for name, m in members.items()}
            data = config(base, hs.url, bot.user_id, rooms, users, actors)
            os.environ["SAMVERKAN_WEB__TOKEN"] = token
            try:
                written = write_config(data, base / "bot" / "config.toml")
                app = await start_bot(written, bot.password)
            finally:
                os.environ.pop("SAMVERKAN_WEB__TOKEN", None)
            assert app.web is not None
            clock.say(f"bot and web up at {app.web.url}")
            await fill(members, rooms, bot.user_id)
            clock.say("scene filled through chat")
            # Members' clients would be on their own machines: stop their /sync loops.
            for member in members.values():
                await member.stop()
            members.clear()

            paths: list[tuple[str, str | None]] = []
            if await status_of(app.web.url + "/", token) == 200:
                paths.append(("/", token))
            else:
                missing.append("/")
            paths.append(("/api/v1/forums", token))
            if (await status_of(app.web.url + "/healthz", token)) in (200, 503):
                paths.append(("/healthz", None))
            else:
                missing.append("/healthz")
            for path, path_token in paths:
                # In a thread: the bot's event loop (this one) must keep answering.
                await asyncio.to_thread(run_load, app.web.url + path, path_token, clients, 1.0)
                result = await asyncio.to_thread(
                    run_load, app.web.url + path, path_token, clients, seconds
                )
                results.append((path, result))
                clock.say(f"{path}: {result['requests']} requests")
        finally:
            if app is not None:
                await app.stop()
            for member in members.values():
                await member.stop()
            await hs.stop()

    baseline = dict(results).get("/healthz")
    print()
    print(f"{clients} concurrent clients on loopback, {seconds:.0f} s per path, {actors} actors")
    heads = f"{'requests':>10}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'vs /healthz':>13}"
    print(f"  {'path':18}{heads}")
    for path, r in results:
        rate = r["requests"] / r["elapsed_s"]
        ratio = ""
        if baseline is not None and path != "/healthz":
            ratio = f"{rate / (baseline['requests'] / baseline['elapsed_s']):.2f}×"
        bad = f"   ({r['failures']} not 200: {r['statuses']})" if r["failures"] else ""
        print(
            f"  {path:18}{r['requests']:>10}{rate:>10.0f}{r['p50_ms']:>9.1f}"
            f"{r['p99_ms']:>9.1f}{ratio:>13}{bad}"
        )
    for path in missing:
        print(f"  {path}: not served by this build; not measured")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--actors", type=int, default=12, help="configured actors (at least 6)")
    parser.add_argument("--load", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        token = os.environ.get("BENCH_WEB_TOKEN")
        print(json.dumps(asyncio.run(load(args.load, token, args.clients, args.seconds))))
        return
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(run(args.clients, args.seconds, max(args.actors, len(PEOPLE))))


if __name__ == "__main__":
    main()
