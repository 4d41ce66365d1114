"""What the homeserver publishes about the bot's cross-signing identity, checked, not trusted.

Other people's clients decide whether to share room keys with the bot from `/keys/query`: the
device must carry a valid signature by the self-signing key, which must carry one by the master
key. `PublishedKeys` reads that answer and verifies those signatures itself, so the bot (and
`samverkan crypto status`) reports what Element will conclude, not what the server claims.
`KeysApi` is the handful of key endpoints nio does not wrap, over plain aiohttp with the token in
an Authorization header.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.matrix.signing import signed_by

Json = dict[str, Any]


class KeysApiError(RuntimeError):
    """A key endpoint answered with an error; the message carries errcode and error."""


@dataclass(frozen=True)
class PublishedKeys:
    """One user's cross-signing keys and one of their devices, as `/keys/query` returned them."""

    user_id: str
    device_id: str
    device: Json | None
    master: Json | None
    self_signing: Json | None

    @classmethod
    def from_query(cls, body: Json, user_id: str, device_id: str) -> PublishedKeys:
        devices = (body.get("device_keys") or {}).get(user_id) or {}
        return cls(
            user_id,
            device_id,
            devices.get(device_id),
            (body.get("master_keys") or {}).get(user_id),
            (body.get("self_signing_keys") or {}).get(user_id),
        )

    @property
    def device_key(self) -> str | None:
        """The device's ed25519 key: its fingerprint."""
        if self.device is None:
            return None
        key = (self.device.get("keys") or {}).get(f"ed25519:{self.device_id}")
        return key if isinstance(key, str) else None

    @property
    def master_key(self) -> str | None:
        return _cross_signing_key(self.master, self.user_id, "master")

    @property
    def self_signing_key(self) -> str | None:
        return _cross_signing_key(self.self_signing, self.user_id, "self_signing")

    @property
    def device_self_signed(self) -> bool:
        """The device keys carry their own signature (clients drop devices without one)."""
        key = self.device_key
        return bool(
            self.device
            and key
            and signed_by(self.device, self.user_id, f"ed25519:{self.device_id}", key)
        )

    @property
    def device_signed(self) -> bool:
        """The device carries a valid signature by the self-signing key."""
        ssk = self.self_signing_key
        return bool(
            self.device and ssk and signed_by(self.device, self.user_id, f"ed25519:{ssk}", ssk)
        )

    @property
    def self_signing_signed(self) -> bool:
        """The self-signing key carries a valid signature by the master key."""
        msk = self.master_key
        return bool(
            self.self_signing
            and msk
            and signed_by(self.self_signing, self.user_id, f"ed25519:{msk}", msk)
        )

    @property
    def master_signed_by_device(self) -> bool:
        """The device vouches for the master key (what Element does for its own identity)."""
        key = self.device_key
        return bool(
            self.master
            and key
            and signed_by(self.master, self.user_id, f"ed25519:{self.device_id}", key)
        )

    @property
    def cross_signed(self) -> bool:
        """What another user's client checks before trusting the device."""
        return self.device_self_signed and self.device_signed and self.self_signing_signed


def _cross_signing_key(obj: Json | None, user_id: str, usage: str) -> str | None:
    """The one public key of a cross-signing key object, if it is well-formed for `usage`."""
    if not obj or obj.get("user_id") != user_id or usage not in (obj.get("usage") or []):
        return None
    keys = obj.get("keys") or {}
    if len(keys) != 1:
        return None
    ((key_id, key),) = keys.items()
    return key if isinstance(key, str) and key_id == f"ed25519:{key}" else None


class KeysApi:
    """The key endpoints for one logged-in user."""

    def __init__(self, http: aiohttp.ClientSession, homeserver: str, access_token: str) -> None:
        self.http = http
        self.base = homeserver.rstrip("/") + "/_matrix/client/v3"
        self.headers = {"Authorization": f"Bearer {access_token}"}

    async def _post(self, path: str, body: Json) -> tuple[int, Json]:
        async with self.http.post(self.base + path, json=body, headers=self.headers) as resp:
            try:
                data = await resp.json(content_type=None)
            except ValueError:
                data = {}
            return resp.status, data if isinstance(data, dict) else {}

    async def query(self, user_id: str) -> Json:
        status, data = await self._post("/keys/query", {"device_keys": {user_id: []}})
        if status != 200:
            raise KeysApiError(f"/keys/query: HTTP {status} {_error(data)}")
        return data

    async def upload_signing_keys(self, body: Json, auth: Json | None = None) -> tuple[int, Json]:
        """Returns the status and body as is: 401 is the start of user-interactive auth."""
        return await self._post(
            "/keys/device_signing/upload", {**body, **({"auth": auth} if auth else {})}
        )

    async def upload_signatures(self, body: Json) -> None:
        status, data = await self._post("/keys/signatures/upload", body)
        if status != 200:
            raise KeysApiError(f"/keys/signatures/upload: HTTP {status} {_error(data)}")
        if data.get("failures"):
            raise KeysApiError(f"/keys/signatures/upload refused: {data['failures']}")


def _error(data: Json) -> str:
    return f"{data.get('errcode', '')} {data.get('error', '')}".strip()
