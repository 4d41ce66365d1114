"""The bot's cross-signing identity on a real Synapse, checked the way another user's client does.

Signatures are verified here with `cryptography` over canonical JSON written out in this file,
not with the bot's own helpers, so a shared mistake cannot make the test agree with the bot.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import secrets
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from bot.app import App
from bot.demo.member import SimulatedMember
from bot.matrix.identity import KeysApi
from bot.matrix.keyfile import load_keys
from tests.fixtures.homeserver import World

pytestmark = pytest.mark.integration

Json = dict[str, Any]


def canonical(obj: Json) -> bytes:
    rest = {k: v for k, v in obj.items() if k not in ("signatures", "unsigned")}
    return json.dumps(rest, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def verify(obj: Json, user_id: str, key_id: str, public: str) -> None:
    """Raises InvalidSignature unless `obj` is signed by `public` under `key_id`."""
    signature = obj["signatures"][user_id][key_id]
    Ed25519PublicKey.from_public_bytes(unb64(public)).verify(unb64(signature), canonical(obj))


def only_key(obj: Json, user_id: str, usage: str) -> str:
    assert obj["user_id"] == user_id and obj["usage"] == [usage]
    ((key_id, public),) = obj["keys"].items()
    assert key_id == f"ed25519:{public}"
    return str(public)


async def query(member: SimulatedMember | App, url: str, user_id: str) -> Json:
    """`/keys/query` for `user_id`, as `member`'s client (or the bot itself) asks it."""
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{url}/_matrix/client/v3/keys/query",
            headers={"Authorization": f"Bearer {member.client.access_token}"},
            json={"device_keys": {user_id: []}},
        ) as resp:
            assert resp.status == 200
            body: Json = await resp.json()
            return body


def verified_master(body: Json, user_id: str, device_id: str, device_key: str) -> str:
    """Checks device ← self-signing key ← master key; returns the master public key."""
    master = only_key(body["master_keys"][user_id], user_id, "master")
    ssk_obj = body["self_signing_keys"][user_id]
    ssk = only_key(ssk_obj, user_id, "self_signing")
    verify(ssk_obj, user_id, f"ed25519:{master}", master)
    device = body["device_keys"][user_id][device_id]
    assert device["keys"][f"ed25519:{device_id}"] == device_key
    verify(device, user_id, f"ed25519:{device_id}", device_key)  # its own signature
    verify(device, user_id, f"ed25519:{ssk}", ssk)
    return master


def device_key(app: App) -> str:
    assert app.client.olm is not None
    return str(app.client.olm.account.identity_keys["ed25519"])


def spy_uploads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every cross-signing upload the bot makes from now on."""
    calls: list[str] = []
    for name in ("upload_signing_keys", "upload_signatures"):
        original = getattr(KeysApi, name)

        async def wrapper(self: KeysApi, *args: Any, _f: Any = original, _n: str = name) -> Any:
            calls.append(_n)
            return await _f(self, *args)

        monkeypatch.setattr(KeysApi, name, wrapper)
    return calls


async def crypto_status(config: Path, secret: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMVERKAN_")}
    if secret:
        env["SAMVERKAN_CRYPTO__KEY"] = secret
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "crypto",
        "status",
        "--config",
        str(config),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, err.decode()
    return out.decode()


async def setup(world: World, secret: str | None) -> tuple[SimulatedMember, Path]:
    alice = await world.member("alice")
    bot = await world.bot_account()
    room = await alice.create_room("Konferens", encrypted=True, invite=[bot.user_id])
    if secret:
        world.bot_env["SAMVERKAN_CRYPTO__KEY"] = secret
    return alice, world.config(forum_room=room, members={alice.user_id: ("lst", ["tib"])})


async def test_device_is_cross_signed_and_a_restart_uploads_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    secret = secrets.token_urlsafe(32)
    alice, config = await setup(world, secret)
    app = await world.start_bot(config)
    bot, device = app.client.user_id, app.client.device_id
    body = await query(alice, world.hs.url, bot)
    master = verified_master(body, bot, device, device_key(app))
    # The device vouches for the master key too, as Element's own devices do (Synapse shows
    # signatures on a master key only to their signer, so the bot asks for itself).
    own = await query(app, world.hs.url, bot)
    verify(own["master_keys"][bot], bot, f"ed25519:{device}", device_key(app))

    store = Path(app.settings.matrix.store_path)
    keys = load_keys(store / "cross_signing.keys", user_id=bot, secret=secret)
    assert keys is not None and keys.master.public == master
    assert (store / "cross_signing.keys").stat().st_mode & 0o077 == 0
    written = caplog.text + (store / "cross_signing.keys").read_text()
    for private in (keys.master, keys.self_signing, keys.user_signing):
        assert base64.b64encode(private.seed).decode().rstrip("=") not in written
    assert secret not in written

    status = await crypto_status(config, secret)
    assert device in status and master in status
    fingerprint = device_key(app)[:4] + " " + device_key(app)[4:8]
    assert fingerprint in status
    assert "status:        cross-signed" in status and "match the server" in status

    await world.stop_bot(app)
    uploads = spy_uploads(monkeypatch)
    app = await world.start_bot(config)
    assert app.client.device_id == device
    assert uploads == []
    body = await query(alice, world.hs.url, bot)
    assert verified_master(body, bot, device, device_key(app)) == master


async def test_a_new_device_is_signed_by_the_same_master_key(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice, config = await setup(world, secrets.token_urlsafe(32))
    app = await world.start_bot(config)
    bot, first_device = app.client.user_id, app.client.device_id
    master = verified_master(
        await query(alice, world.hs.url, bot), bot, first_device, device_key(app)
    )
    await world.stop_bot(app)

    # The store loses its login (the cross-signing key file survives): a new device.
    (Path(app.settings.matrix.store_path) / "credentials.json").unlink()
    uploads = spy_uploads(monkeypatch)
    app = await world.start_bot(config)
    assert app.client.device_id != first_device
    assert uploads == ["upload_signatures"]  # signatures only: the keys are already there
    body = await query(alice, world.hs.url, bot)
    assert verified_master(body, bot, app.client.device_id, device_key(app)) == master


async def test_replacing_lost_keys_needs_the_password(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    secret = secrets.token_urlsafe(32)
    alice, config = await setup(world, secret)
    app = await world.start_bot(config)
    bot = app.client.user_id
    old_master = verified_master(
        await query(alice, world.hs.url, bot), bot, app.client.device_id, device_key(app)
    )
    await world.stop_bot(app)
    store = Path(app.settings.matrix.store_path)
    (store / "cross_signing.keys").unlink()
    (store / "credentials.json").unlink()

    # With only an access token the server's user-interactive auth cannot be answered.
    assert world.bot is not None
    world.bot_env["SAMVERKAN_MATRIX__ACCESS_TOKEN"] = world.bot.access_token
    caplog.set_level(logging.INFO, logger="bot.matrix.crosssigning")
    app = await world.start_bot(config)
    assert "SAMVERKAN_MATRIX__PASSWORD" in caplog.text
    assert app.cross_signing is not None and not app.cross_signing.cross_signed
    assert app.cross_signing.master_key == old_master
    assert "not cross-signed" in await crypto_status(config, secret)
    await world.stop_bot(app)

    # With the password the new identity replaces the lost one.
    del world.bot_env["SAMVERKAN_MATRIX__ACCESS_TOKEN"]
    app = await world.start_bot(config)
    assert app.client.device_id == world.bot.device_id  # the token's device, kept
    body = await query(alice, world.hs.url, bot)
    new_master = verified_master(body, bot, app.client.device_id, device_key(app))
    assert new_master != old_master
    assert world.bot.password not in caplog.text


async def test_without_a_crypto_key_the_bot_runs_but_says_why_it_is_not_cross_signed(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    _, config = await setup(world, None)
    caplog.set_level(logging.INFO, logger="bot.matrix.crosssigning")
    app = await world.start_bot(config)
    assert app.cross_signing is None
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("SAMVERKAN_CRYPTO__KEY" in r.getMessage() for r in errors)
    assert not (Path(app.settings.matrix.store_path) / "cross_signing.keys").exists()
    assert "not cross-signed" in await crypto_status(config, None)


async def test_whoami_in_an_admins_direct_chat_shows_the_keys_to_compare(world: World) -> None:
    secret = secrets.token_urlsafe(32)
    alice = await world.member("alice")
    bob = await world.member("bob")
    bot = await world.bot_account()
    shared = await alice.create_room("Konferens", invite=[bot.user_id, bob.user_id])
    await bob.join(shared)
    direct = await alice.create_room("DM", encrypted=True, invite=[bot.user_id])
    world.bot_env["SAMVERKAN_CRYPTO__KEY"] = secret
    config = world.config(
        forum_room=shared,
        members={alice.user_id: ("lst", ["tib"]), bob.user_id: ("lst", [])},
        admins=(alice.user_id,),
    )
    app = await world.start_bot(config)
    body = await query(alice, world.hs.url, app.client.user_id)
    master = verified_master(body, app.client.user_id, app.client.device_id, device_key(app))

    def grouped(key: str) -> str:
        return " ".join(key[i : i + 4] for i in range(0, len(key), 4))

    answer = await alice.ask(direct, "!vem", bot.user_id)
    assert answer.encrypted
    assert grouped(device_key(app)) in answer.body and app.client.device_id in answer.body
    assert grouped(master) in answer.body and "korssignerad av boten" in answer.body
    # Not in a room others share, and not for someone who is no admin.
    in_shared = await alice.ask(shared, "!vem", bot.user_id)
    assert grouped(master) not in in_shared.body
    bobs = await bob.ask(shared, "!vem", bot.user_id)
    assert "huvudnyckel" not in bobs.body
