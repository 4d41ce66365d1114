"""The bot's cross-signing identity: created once, kept encrypted, and vouching for its device.

matrix-nio has no cross-signing, and Element no longer shares room keys with devices their owner
has not cross-signed, so a nio bot without this cannot read what Element users write in encrypted
rooms. At start, before the bot reports ready, `ensure_cross_signing`:

1. loads the master, self-signing and user-signing keys from `store_path` (or creates them, and
   writes them encrypted before anything is uploaded, so the server never has keys we lost);
2. uploads them with `/keys/device_signing/upload` unless the server already has exactly these
   (the first upload needs no password on current Synapse; replacing keys needs the password
   through user-interactive auth, which a token-only login cannot give: then it warns);
3. signs this device with the self-signing key, and the master key with this device (as Element
   does), unless the server already has valid signatures: a restart uploads nothing, a new
   device gets signed by the same master key.

It never stops the bot: without cross-signing it still works with clients that accept
unverified devices, so failures are logged loudly and retried at the next start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from nio import AsyncClient

from bot.matrix.identity import Json, KeysApi, KeysApiError, PublishedKeys
from bot.matrix.keyfile import CrossSigningKeys, KeyFileError, key_file, load_keys, save_keys
from bot.matrix.signing import canonical_json, with_signature

log = logging.getLogger(__name__)

TIMEOUT = aiohttp.ClientTimeout(total=30)
NO_KEY = (
    "cross-signing skipped: set SAMVERKAN_CRYPTO__KEY (a long random secret) so the bot can keep "
    "its cross-signing keys encrypted under %s; until then Element users' clients may withhold "
    "room keys from the bot's device"
)


@dataclass(frozen=True)
class LocalDevice:
    """This device as the Olm account knows it; `sign` signs canonical JSON with its ed25519 key."""

    device_id: str
    ed25519: str
    curve25519: str
    sign: Callable[[Json], str]

    @classmethod
    def of(cls, client: AsyncClient) -> LocalDevice:
        assert client.olm is not None
        account = client.olm.account
        keys = account.identity_keys
        return cls(
            client.device_id,
            keys["ed25519"],
            keys["curve25519"],
            lambda obj: account.sign(canonical_json(obj).decode("utf-8")),
        )

    def matches(self, published: Json) -> bool:
        """Whether the server's copy of the device keys is really ours (never vouch for others)."""
        keys = published.get("keys") or {}
        return (
            keys.get(f"ed25519:{self.device_id}") == self.ed25519
            and keys.get(f"curve25519:{self.device_id}") == self.curve25519
        )


def signing_keys_body(user_id: str, keys: CrossSigningKeys) -> Json:
    """The `/keys/device_signing/upload` body: the master key signs the other two."""

    def key(usage: str, public: str) -> Json:
        return {"user_id": user_id, "usage": [usage], "keys": {f"ed25519:{public}": public}}

    def signed(obj: Json) -> Json:
        return with_signature(obj, user_id, keys.master.key_id, keys.master.sign(obj))

    return {
        "master_key": key("master", keys.master.public),
        "self_signing_key": signed(key("self_signing", keys.self_signing.public)),
        "user_signing_key": signed(key("user_signing", keys.user_signing.public)),
    }


class CrossSigner:
    """One run of the bootstrap for a logged-in device."""

    def __init__(
        self, api: KeysApi, user_id: str, device: LocalDevice, password: str | None
    ) -> None:
        self.api = api
        self.user_id = user_id
        self.device = device
        self.password = password

    async def published(self) -> PublishedKeys:
        body = await self.api.query(self.user_id)
        return PublishedKeys.from_query(body, self.user_id, self.device.device_id)

    async def run(self, keys: CrossSigningKeys) -> PublishedKeys:
        now = await self.published()
        if (now.master_key, now.self_signing_key) != (
            keys.master.public,
            keys.self_signing.public,
        ):
            if now.master_key:
                log.warning(
                    "the account's cross-signing master key is %s, not the stored %s: replacing "
                    "it, so anyone who verified the bot must verify it again",
                    now.master_key,
                    keys.master.public,
                )
            if not await self.upload_keys(keys):
                return now
            now = await self.published()
        return await self.published() if await self.sign(keys, now) else now

    async def upload_keys(self, keys: CrossSigningKeys) -> bool:
        """Uploads the public keys, with password user-interactive auth when asked for."""
        body = signing_keys_body(self.user_id, keys)
        status, data = await self.api.upload_signing_keys(body)
        if status == 200:
            return True
        if status != 401 or "session" not in data:
            raise KeysApiError(f"/keys/device_signing/upload: HTTP {status} {data.get('errcode')}")
        if not self.password:
            log.warning(
                "cannot upload cross-signing keys: the homeserver wants the account password "
                "and the bot has only an access token; set SAMVERKAN_MATRIX__PASSWORD and restart. "
                "Until then the device is not cross-signed and Element users' clients may "
                "withhold room keys from it"
            )
            return False
        if not any(f.get("stages") == ["m.login.password"] for f in data.get("flows") or []):
            log.warning(
                "cannot upload cross-signing keys: no password flow in %s", data.get("flows")
            )
            return False
        auth = {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": self.user_id},
            "password": self.password,
            "session": data["session"],
        }
        status, data = await self.api.upload_signing_keys(body, auth)
        if status != 200:
            raise KeysApiError(
                f"/keys/device_signing/upload with the password: HTTP {status} "
                f"{data.get('errcode')} {data.get('error', '')}"
            )
        log.info("uploaded cross-signing keys (master key %s)", keys.master.public)
        return True

    async def sign(self, keys: CrossSigningKeys, now: PublishedKeys) -> bool:
        """Signs the device with the self-signing key and the master key with the device,
        where the server lacks those signatures; says whether anything was uploaded."""
        if now.device is None:
            log.warning("the server has no keys for device %s; not signing it", now.device_id)
            return False
        if not self.device.matches(now.device):
            raise KeysApiError(f"the server's keys for device {now.device_id} are not ours")
        user, uploads = self.user_id, {}
        if not now.device_signed:
            ssk = keys.self_signing
            uploads[now.device_id] = with_signature(
                now.device, user, ssk.key_id, ssk.sign(now.device)
            )
        if now.master is not None and not now.master_signed_by_device:
            signature = self.device.sign(now.master)
            uploads[keys.master.public] = with_signature(
                now.master, user, f"ed25519:{now.device_id}", signature
            )
        if uploads:
            await self.api.upload_signatures({user: uploads})
            log.info("signed device %s with the bot's cross-signing keys", now.device_id)
        return bool(uploads)


async def ensure_cross_signing(
    client: AsyncClient, *, store_path: Path, secret: str | None, password: str | None
) -> PublishedKeys | None:
    """Makes this device cross-signed by the bot's own identity; returns what the server now
    publishes, or None when cross-signing was skipped (see the log for why)."""
    if not secret:
        log.error(NO_KEY, store_path)
        return None
    path = key_file(store_path)
    try:
        keys = load_keys(path, user_id=client.user_id, secret=secret)
    except KeyFileError as exc:
        log.error("cross-signing skipped: %s", exc)
        return None
    if keys is None:
        keys = CrossSigningKeys.generate()
        save_keys(path, keys, user_id=client.user_id, secret=secret)
        log.info("created cross-signing keys (master key %s) in %s", keys.master.public, path)
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as http:
            api = KeysApi(http, client.homeserver, client.access_token)
            signer = CrossSigner(api, client.user_id, LocalDevice.of(client), password)
            published = await signer.run(keys)
    except (KeysApiError, aiohttp.ClientError, TimeoutError) as exc:
        log.error("cross-signing failed, will try again at the next start: %s", exc)
        return None
    if published.cross_signed:
        log.info(
            "device %s is cross-signed (master key %s)", client.device_id, published.master_key
        )
    else:
        log.warning("device %s is NOT cross-signed", client.device_id)
    return published


async def fetch_status(
    homeserver: str, access_token: str, user_id: str, device_id: str
) -> PublishedKeys:
    """What other users' clients see about the device, for `samverkan crypto status`."""
    async with aiohttp.ClientSession(timeout=TIMEOUT) as http:
        body = await KeysApi(http, homeserver, access_token).query(user_id)
    return PublishedKeys.from_query(body, user_id, device_id)


def fingerprint(key: str) -> str:
    """An ed25519 key in groups of four, the way Element shows a session key."""
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
