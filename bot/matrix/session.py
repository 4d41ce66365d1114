"""Logging in and keeping one device: the E2EE store is only worth keeping with a fixed device.

The bot's own login (never a token copied from Element) is saved under `store_path` next to the
crypto store, so a restart reuses the same device id and access token; transaction ids are
scoped to the device, so this is also what makes retried sends idempotent. Only a logout (which
deletes the device on the server) moves the bot to a new device: see `ensure_device_keys`.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from nio import (
    Api,
    AsyncClient,
    AsyncClientConfig,
    LoginResponse,
    LogoutResponse,
    WhoamiResponse,
)

from bot.matrix.crosssigning import ensure_cross_signing
from bot.observability.logs import redact

log = logging.getLogger(__name__)

CREDENTIALS_FILE = "credentials.json"
PICKLE_KEY_FILE = "pickle.key"


class LoginFailed(RuntimeError):
    """The homeserver refused the bot's credentials; the message says what to fix."""


@dataclass(frozen=True)
class LoginSettings:
    """What a login needs, taken from `[matrix]` and the environment."""

    homeserver: str
    user_id: str
    device_name: str
    store_path: Path
    password: str | None = None
    access_token: str | None = None
    device_id: str | None = None
    pickle_key: str | None = None
    request_timeout: float = 30.0


@dataclass(frozen=True)
class Credentials:
    user_id: str
    device_id: str
    access_token: str


def client_config(settings: LoginSettings, pickle_key: str) -> AsyncClientConfig:
    """nio config: no built-in retries (the outbox and sync loop own retrying) and no nio
    sync-token store (our database keeps the token, saved after events are recorded)."""
    return AsyncClientConfig(
        max_limit_exceeded=0,
        max_timeouts=0,
        request_timeout=settings.request_timeout,
        store_sync_tokens=False,
        encryption_enabled=True,
        pickle_key=pickle_key,
    )


class MatrixSession:
    """Owns the nio client's login: first login, restore, and re-login after a revoked token."""

    def __init__(self, settings: LoginSettings) -> None:
        self.settings = settings
        self.store_path = Path(settings.store_path)
        self.client: AsyncClient | None = None

    # -- files under store_path ------------------------------------------------------

    def _prepare_store(self) -> None:
        self.store_path.mkdir(parents=True, exist_ok=True)
        os.chmod(self.store_path, 0o700)

    def _pickle_key(self) -> str:
        """The key nio's store is pickled with. A store begun without the crypto key keeps its
        `pickle.key` file even after SAMVERKAN_CRYPTO__KEY is set (else it could not be read
        again); a new store with the crypto key set is protected by it and gets no file."""
        path = self.store_path / PICKLE_KEY_FILE
        if path.exists():
            return path.read_text().strip()
        if self.settings.pickle_key:
            return self.settings.pickle_key
        if any(self.store_path.glob("*.db")):
            raise LoginFailed(
                f"the encryption store in {self.store_path} was made with SAMVERKAN_CRYPTO__KEY; "
                "set it again (the same value) so the bot can read its keys"
            )
        _write_private(path, secrets.token_urlsafe(32))
        return path.read_text().strip()

    def load_credentials(self) -> Credentials | None:
        path = self.store_path / CREDENTIALS_FILE
        if not path.exists():
            return None
        data = json.loads(path.read_text())
        redact(data.get("access_token"))
        if data.get("user_id") != self.settings.user_id:
            log.warning("stored credentials are for %s, ignoring them", data.get("user_id"))
            return None
        return Credentials(**data)

    def _save_credentials(self, creds: Credentials) -> None:
        redact(creds.access_token)  # a token learnt at run time is hidden in logs from now on
        _write_private(self.store_path / CREDENTIALS_FILE, json.dumps(asdict(creds)))

    # -- login -----------------------------------------------------------------------

    async def open(self) -> AsyncClient:
        """Returns a logged-in client with its E2EE store loaded."""
        self._prepare_store()
        s = self.settings
        stored = self.load_credentials()
        device_id = (stored.device_id if stored else None) or s.device_id
        client = AsyncClient(
            s.homeserver,
            s.user_id,
            device_id=device_id or "",
            store_path=str(self.store_path),
            config=client_config(s, self._pickle_key()),
        )
        self.client = client
        if s.access_token:
            await self._use_token(client, s.access_token)
        elif stored and await self._token_valid(client, stored):
            client.restore_login(stored.user_id, stored.device_id, stored.access_token)
        else:
            await self.password_login()
        if client.olm is None:
            raise LoginFailed(
                f"end-to-end encryption is not available (store {self.store_path}); "
                "install matrix-nio[e2e] and make sure store_path is writable"
            )
        # The device may have been logged out while the bot was down; then it moves to a new one.
        await self.ensure_device_keys()
        if client.should_upload_keys:
            await client.keys_upload()
        log.info("logged in as %s on device %s", client.user_id, client.device_id)
        return client

    async def _use_token(self, client: AsyncClient, token: str) -> None:
        client.access_token = token
        resp = await client.whoami()
        if not isinstance(resp, WhoamiResponse) or not resp.device_id:
            raise LoginFailed(
                f"the access token was refused ({getattr(resp, 'message', resp)}); "
                "create a new one with the bot's own login, not one copied from Element"
            )
        if resp.user_id != self.settings.user_id:
            raise LoginFailed(f"the access token belongs to {resp.user_id}, not {client.user}")
        client.restore_login(resp.user_id, resp.device_id, token)
        self._save_credentials(Credentials(resp.user_id, resp.device_id, token))

    async def _token_valid(self, client: AsyncClient, creds: Credentials) -> bool:
        client.access_token = creds.access_token
        resp = await client.whoami()
        return isinstance(resp, WhoamiResponse) and resp.device_id == creds.device_id

    async def password_login(self) -> None:
        """Logs in with the password, reusing the stored device id so the E2EE store stays valid."""
        client = self.client
        assert client is not None
        if not self.settings.password:
            raise LoginFailed(
                "no usable login: set SAMVERKAN_MATRIX__PASSWORD "
                "(or SAMVERKAN_MATRIX__ACCESS_TOKEN)"
            )
        resp = await client.login(self.settings.password, device_name=self.settings.device_name)
        if not isinstance(resp, LoginResponse):
            raise LoginFailed(f"login as {self.settings.user_id} failed: {resp.message}")
        self._save_credentials(Credentials(resp.user_id, resp.device_id, resp.access_token))

    async def relogin(self) -> None:
        """After `M_UNKNOWN_TOKEN`: a fresh token, on the same device if it still exists."""
        if self.settings.access_token and not self.settings.password:
            raise LoginFailed("the configured access token was revoked; set a new one")
        log.warning("access token no longer valid; logging in again")
        await self.password_login()
        if await self.ensure_device_keys():
            # The new device is not cross-signed yet; Element withholds room keys until it is.
            client = self.client
            assert client is not None
            await ensure_cross_signing(
                client,
                store_path=self.store_path,
                secret=self.settings.pickle_key,  # SAMVERKAN_CRYPTO__KEY, as at start
                password=self.settings.password,
            )

    async def ensure_device_keys(self) -> bool:
        """Makes sure others can encrypt to this login's device; returns whether it is a new one.

        A logout deletes the device on the server with its keys. Logging in again with the same
        device id re-creates the id, but other users' clients remember the device as deleted
        (matrix-nio never revives it, even with the very same keys) and send it no room keys, so
        the bot could not read new encrypted messages. So when keys we had uploaded are gone,
        the bot does what a client does after a logout: it continues as a new device with a new
        Olm account (the old store file stays, unused)."""
        client = self.client
        assert client is not None and client.olm is not None
        if await self._server_has_device_keys():
            return False
        if not client.olm.account.shared:  # a new account: its keys were never uploaded
            await client.keys_upload()
            return False
        if not self.settings.password:
            log.warning("the server lost this device's keys; uploading them again")
            client.olm.account.shared = False
            await client.keys_upload()
            return False
        log.warning(
            "device %s was logged out (the server deleted it and its keys); "
            "continuing as a new device",
            client.device_id,
        )
        await self._move_to_new_device()
        return True

    async def _server_has_device_keys(self) -> bool:
        client = self.client
        assert client is not None
        method, path, data = Api.keys_query(client.access_token, {client.user_id})
        resp = await client.send(method, path, data)
        body = await resp.json()
        devices = (body.get("device_keys") or {}).get(client.user_id) or {}
        return client.device_id in devices

    async def _move_to_new_device(self) -> None:
        """Drops the re-created, keyless device and logs in as a new one with a new Olm account
        (nio loads a fresh store for the new device id)."""
        client = self.client
        assert client is not None
        encrypted_rooms = set(client.encrypted_rooms)
        resp = await client.logout()
        if not isinstance(resp, LogoutResponse):
            log.warning("could not remove the re-created device %s: %s", client.device_id, resp)
        client.olm = None
        client.store = None
        client.device_id = ""  # the login then asks the server for a new device
        await self.password_login()
        if client.olm is None or client.store is None:
            raise LoginFailed(
                f"the new device's encryption store in {self.store_path} did not load"
            )
        client.encrypted_rooms |= encrypted_rooms
        client.store.save_encrypted_rooms(encrypted_rooms)
        # A new Olm account knows nobody's devices; rooms that stay quiet would not show up
        # in a sync to make nio fetch them, and the bot's replies must reach every member.
        for room in client.rooms.values():
            if room.encrypted:
                client.olm.update_tracked_users(room)
        await client.keys_upload()
        log.info("now on device %s", client.device_id)


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
