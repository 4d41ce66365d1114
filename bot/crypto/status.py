"""`samverkan crypto status`: the bot's device and cross-signing identity, as others see them.

People verify the bot by comparing fingerprints, and the bot is only readable by Element users
when its device is cross-signed. This command answers both from the homeserver's `/keys/query`
(signatures verified here, not taken on trust), using the login the bot saved under
`store_path`, so it never creates a device of its own.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from bot.config import ConfigError, Settings, load_config
from bot.matrix.crosssigning import TIMEOUT, fetch_status, fingerprint
from bot.matrix.identity import KeysApiError, PublishedKeys
from bot.matrix.keyfile import KeyFileError, key_file, load_keys
from bot.matrix.session import LoginSettings, MatrixSession


@dataclass(frozen=True)
class Login:
    user_id: str
    device_id: str
    access_token: str


def describe(published: PublishedKeys) -> list[str]:
    """The status lines; the last one says whether the device is cross-signed, and why not."""
    lines = [
        f"user:          {published.user_id}",
        f"device:        {published.device_id}",
        f"fingerprint:   {fingerprint(published.device_key) if published.device_key else '-'}",
        f"master key:    {published.master_key or '-'}",
    ]
    if published.cross_signed:
        verdict = "cross-signed (device signed by the self-signing key, signed by the master key)"
    elif published.device is None:
        verdict = "not cross-signed: the homeserver has no keys for this device"
    elif not published.device_self_signed:
        verdict = "not cross-signed: the device keys do not carry their own valid signature"
    elif published.master_key is None:
        verdict = "not cross-signed: no cross-signing keys are published"
    elif not published.self_signing_signed:
        verdict = "not cross-signed: the self-signing key is not signed by the master key"
    else:
        verdict = "not cross-signed: the device is not signed by the self-signing key"
    return [*lines, f"status:        {verdict}"]


def stored_keys_line(settings: Settings, published: PublishedKeys) -> str:
    """Whether the keys kept under store_path are the ones the server publishes."""
    path = key_file(Path(settings.matrix.store_path))
    if not path.exists():
        return f"stored keys:   none in {path}"
    if settings.crypto.key is None:
        return "stored keys:   present, but SAMVERKAN_CRYPTO__KEY is not set"
    try:
        keys = load_keys(
            path, user_id=published.user_id, secret=settings.crypto.key.get_secret_value()
        )
    except KeyFileError as exc:
        return f"stored keys:   unusable: {exc}"
    assert keys is not None
    same = keys.master.public == published.master_key
    return f"stored keys:   {'match the server' if same else 'DIFFER from the server'}"


async def find_login(settings: Settings) -> Login | None:
    """The configured token, else the login the bot saved; None if the bot never logged in."""
    m = settings.matrix
    if m.access_token is not None:
        token = m.access_token.get_secret_value()
        async with aiohttp.ClientSession(timeout=TIMEOUT) as http:
            async with http.get(
                m.homeserver.rstrip("/") + "/_matrix/client/v3/account/whoami",
                headers={"Authorization": f"Bearer {token}"},
            ) as resp:
                body = await resp.json(content_type=None)
        if resp.status != 200 or not body.get("device_id"):
            raise KeysApiError(f"the access token was refused (HTTP {resp.status})")
        return Login(body["user_id"], body["device_id"], token)
    session = MatrixSession(LoginSettings(m.homeserver, m.user_id, m.device_name, m.store_path))
    creds = session.load_credentials()
    return Login(creds.user_id, creds.device_id, creds.access_token) if creds else None


async def status(settings: Settings) -> int:
    try:
        login = await find_login(settings)
        if login is None:
            print(
                f"no login under {settings.matrix.store_path}: start the bot once "
                "(samverkan run) so it has a device",
                file=sys.stderr,
            )
            return 1
        published = await fetch_status(
            settings.matrix.homeserver, login.access_token, login.user_id, login.device_id
        )
    except (KeysApiError, aiohttp.ClientError, TimeoutError) as exc:
        print(f"crypto status: {exc}", file=sys.stderr)
        return 1
    for line in [*describe(published), stored_keys_line(settings, published)]:
        print(line)
    return 0


def main(path: str | None) -> int:
    try:
        settings = load_config(path)
    except ConfigError as err:
        for problem in err.problems:
            print(f"{problem.path}: {problem.message}", file=sys.stderr)
        return 1
    return asyncio.run(status(settings))
