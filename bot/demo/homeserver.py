"""A throwaway Synapse homeserver on 127.0.0.1, for `samverkan demo` and the test suite.

Synapse (PyPI `matrix-synapse`, in the `dev` extra) runs as a child process with SQLite in
a directory of its own. Registration goes through the shared-secret admin API, which is how a
real homeserver admin would create the bot's account too.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

log = logging.getLogger(__name__)

#: Rate limits high enough that a test suite never waits on them.
RELAXED = {"per_second": 10000, "burst_count": 10000}

#: Synapse's own defaults for sending messages, used to exercise rate limiting.
DEFAULT_MESSAGE_LIMIT = {"messages_per_second": 0.2, "burst_count": 10}


class HomeserverError(RuntimeError):
    """The local homeserver could not be started or refused a request."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Account:
    user_id: str
    password: str
    access_token: str
    device_id: str


class LocalHomeserver:
    """One Synapse process with its data in `base_dir`; start, stop and restart it at will."""

    def __init__(
        self,
        base_dir: Path,
        server_name: str = "localhost",
        port: int | None = None,
        default_message_limits: bool = False,
    ) -> None:
        """With `default_message_limits`, sending keeps Synapse's default rate limit
        (0.2/s, burst 10) and `register(..., exempt=True)` lifts it per user, so one server
        can test both a bot under default limits and fast simulated actors."""
        self.base_dir = Path(base_dir)
        self.default_message_limits = default_message_limits
        self.server_name = server_name
        self.port = port or free_port()
        self.shared_secret = secrets.token_hex(16)
        self._process: subprocess.Popen[bytes] | None = None
        self._admin: Account | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def config_path(self) -> Path:
        return self.base_dir / "homeserver.yaml"

    @property
    def log_path(self) -> Path:
        return self.base_dir / "homeserver.log"

    def write_config(self) -> None:
        """Writes the minimal working config from docs/matrix-notes.md; JSON is valid YAML."""
        self.base_dir.mkdir(parents=True, exist_ok=True)
        rc = dict(RELAXED)
        config: dict[str, Any] = {
            "server_name": self.server_name,
            "public_baseurl": self.url + "/",
            "pid_file": str(self.base_dir / "homeserver.pid"),
            "report_stats": False,
            "listeners": [
                {
                    "port": self.port,
                    "bind_addresses": ["127.0.0.1"],
                    "type": "http",
                    "tls": False,
                    "x_forwarded": False,
                    "resources": [{"names": ["client"], "compress": False}],
                }
            ],
            "database": {
                "name": "sqlite3",
                "args": {"database": str(self.base_dir / "homeserver.db")},
            },
            "log_config": str(self.base_dir / "log.config"),
            "media_store_path": str(self.base_dir / "media"),
            "signing_key_path": str(self.base_dir / "signing.key"),
            "registration_shared_secret": self.shared_secret,
            "macaroon_secret_key": secrets.token_hex(16),
            "form_secret": secrets.token_hex(16),
            "trusted_key_servers": [],
            "suppress_key_server_warning": True,
            "enable_registration": False,
            "url_preview_enabled": False,
            "presence": {"enabled": False},
            # Passwords of throwaway accounts: hashing them at the default cost (12) makes
            # registering a thousand members take minutes.
            "bcrypt_rounds": 4,
            "rc_registration": rc,
            "rc_login": {"address": rc, "account": rc, "failed_attempts": rc},
            "rc_joins": {"local": rc, "remote": rc},
            "rc_joins_per_room": rc,
            "rc_invites": {"per_room": rc, "per_user": rc, "per_issuer": rc},
            "rc_room_creation": rc,
            "rc_key_requests": rc,
            "rc_3pid_validation": rc,
            "rc_admin_redaction": rc,
        }
        if not self.default_message_limits:
            config["rc_message"] = rc
        self.config_path.write_text(json.dumps(config, indent=2))
        (self.base_dir / "log.config").write_text(
            json.dumps(
                {
                    "version": 1,
                    "formatters": {
                        "plain": {"format": "%(asctime)s %(name)s %(levelname)s %(message)s"}
                    },
                    "handlers": {
                        "file": {
                            "class": "logging.FileHandler",
                            "filename": str(self.log_path),
                            "formatter": "plain",
                        }
                    },
                    "root": {"level": "WARNING", "handlers": ["file"]},
                    "disable_existing_loggers": False,
                }
            )
        )

    def _generate_keys(self) -> None:
        if (self.base_dir / "signing.key").exists():
            return
        subprocess.run(
            [
                sys.executable,
                "-m",
                "synapse.app.homeserver",
                "-c",
                str(self.config_path),
                "--generate-keys",
            ],
            check=True,
            cwd=self.base_dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    async def start(self, timeout: float = 60.0) -> None:
        """Starts Synapse (writing its config the first time) and waits for `/health`."""
        try:
            import synapse  # noqa: F401
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise HomeserverError(
                "matrix-synapse is not installed; install the dev extra: pip install -e '.[dev]'"
            ) from exc
        if not self.config_path.exists():
            self.write_config()
        await asyncio.to_thread(self._generate_keys)
        self._process = self._spawn()
        await self._wait_healthy(timeout)

    def _spawn(self) -> subprocess.Popen[bytes]:
        stderr = open(self.base_dir / "stderr.log", "ab")
        return subprocess.Popen(
            [sys.executable, "-m", "synapse.app.homeserver", "-c", str(self.config_path)],
            cwd=self.base_dir,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )

    async def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession() as http:
            while time.monotonic() < deadline:
                if self._process is not None and self._process.poll() is not None:
                    raise HomeserverError(
                        f"Synapse exited with {self._process.returncode}; see {self.base_dir}"
                    )
                try:
                    async with http.get(self.url + "/health") as resp:
                        if resp.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.2)
        raise HomeserverError(f"Synapse did not answer /health within {timeout}s")

    async def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.to_thread(process.wait, 20)
        except subprocess.TimeoutExpired:
            process.kill()
            await asyncio.to_thread(process.wait)

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    # -- accounts -----------------------------------------------------------------------

    async def register(
        self, localpart: str, password: str | None = None, admin: bool = False, exempt: bool = True
    ) -> Account:
        """Registers a user through the shared-secret admin API and returns its login.

        `exempt` lifts the message rate limit for the user (when the server keeps defaults).
        """
        password = password or secrets.token_urlsafe(12)
        endpoint = self.url + "/_synapse/admin/v1/register"
        async with aiohttp.ClientSession() as http:
            async with http.get(endpoint) as resp:
                nonce = (await resp.json())["nonce"]
            body = {
                "nonce": nonce,
                "username": localpart,
                "password": password,
                "admin": admin,
                "mac": _mac(self.shared_secret, nonce, localpart, password, admin),
            }
            async with http.post(endpoint, json=body) as resp:
                data = await resp.json()
                if resp.status != 200:
                    raise HomeserverError(f"register {localpart}: {resp.status} {data}")
        account = Account(data["user_id"], password, data["access_token"], data["device_id"])
        # The server admin is the one who exempts, so it cannot exempt itself on registering;
        # telling it by the flag (not by name) leaves a member named "admin" exempt like others.
        if exempt and self.default_message_limits and not admin:
            await self.set_message_ratelimit(account.user_id, 0, 0)
        return account

    def user_id(self, localpart: str) -> str:
        return f"@{localpart}:{self.server_name}"

    async def admin(self) -> Account:
        if self._admin is None:
            self._admin = await self.register("admin-" + secrets.token_hex(3), admin=True)
        return self._admin

    async def room_events(self, room_id: str) -> list[dict[str, Any]]:
        """Every timeline event of a room, oldest first, read with the admin API: the server's
        own record, seen without joining the room or decrypting anything."""
        admin = await self.admin()
        endpoint = f"{self.url}/_synapse/admin/v1/rooms/{room_id}/messages"
        headers = {"Authorization": f"Bearer {admin.access_token}"}
        events: list[dict[str, Any]] = []
        token: str | None = None
        async with aiohttp.ClientSession() as http:
            while True:
                params = {"dir": "f", "limit": "1000", **({"from": token} if token else {})}
                async with http.get(endpoint, params=params, headers=headers) as resp:
                    if resp.status != 200:
                        raise HomeserverError(f"room messages: {resp.status} {await resp.text()}")
                    page = await resp.json()
                events.extend(page.get("chunk", []))
                token = page.get("end")
                if not page.get("chunk") or not token:
                    return events

    async def set_message_ratelimit(
        self, user_id: str, messages_per_second: int, burst_count: int
    ) -> None:
        """Overrides a user's message rate limit; 0/0 exempts, as a real admin would do.

        Synapse accepts whole numbers only here, so the defaults (0.2/s) cannot be restored
        this way: use `default_message_limits` and leave the user alone instead."""
        admin = await self.admin()
        endpoint = f"{self.url}/_synapse/admin/v1/users/{user_id}/override_ratelimit"
        headers = {"Authorization": f"Bearer {admin.access_token}"}
        body = {"messages_per_second": messages_per_second, "burst_count": burst_count}
        async with aiohttp.ClientSession() as http:
            async with http.post(endpoint, json=body, headers=headers) as resp:
                if resp.status != 200:
                    raise HomeserverError(f"override_ratelimit: {resp.status} {await resp.text()}")


def _mac(secret: str, nonce: str, user: str, password: str, admin: bool) -> str:
    """HMAC-SHA1 over nonce\\0user\\0password\\0admin|notadmin, as Synapse expects."""
    mac = hmac.new(secret.encode(), digestmod=hashlib.sha1)
    mac.update(nonce.encode())
    mac.update(b"\x00")
    mac.update(user.encode())
    mac.update(b"\x00")
    mac.update(password.encode())
    mac.update(b"\x00")
    mac.update(b"admin" if admin else b"notadmin")
    return mac.hexdigest()
