"""A simulated person: a real nio client (with E2EE) that syncs in the background and remembers
what it saw, so the demo and the tests can say "send this" and "wait until the bot answers"."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from nio import (
    AsyncClient,
    AsyncClientConfig,
    Event,
    InviteMemberEvent,
    JoinResponse,
    MegolmEvent,
    RoomCreateResponse,
    RoomSendResponse,
    RoomVisibility,
    SyncResponse,
)
from nio.crypto.attachments import decrypt_attachment

from bot.demo.homeserver import Account
from bot.matrix.crypto import e2ee_housekeeping

log = logging.getLogger(__name__)


@dataclass
class Seen:
    """One timeline event as the member saw it (decrypted when possible)."""

    room_id: str
    event_id: str
    sender: str
    type: str
    content: dict[str, Any]
    timestamp_ms: int
    encrypted: bool

    @property
    def body(self) -> str:
        return str(self.content.get("body", ""))

    @property
    def msgtype(self) -> str | None:
        return self.content.get("msgtype")

    @property
    def reply_to(self) -> str | None:
        relates = self.content.get("m.relates_to") or {}
        return (relates.get("m.in_reply_to") or {}).get("event_id")

    @property
    def mentions(self) -> list[str]:
        return list((self.content.get("m.mentions") or {}).get("user_ids", []))


@dataclass
class SimulatedMember:
    account: Account
    client: AsyncClient
    seen: list[Seen] = field(default_factory=list)
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _task: asyncio.Task[None] | None = None
    _undecrypted: list[tuple[str, MegolmEvent]] = field(default_factory=list)
    auto_join: bool = True

    @property
    def user_id(self) -> str:
        return self.account.user_id

    @staticmethod
    def _prepare(store_dir: Path) -> None:
        store_dir.mkdir(parents=True, exist_ok=True)

    @classmethod
    async def start(cls, homeserver_url: str, account: Account, store_dir: Path) -> SimulatedMember:
        cls._prepare(store_dir)
        client = AsyncClient(
            homeserver_url,
            account.user_id,
            device_id=account.device_id,
            store_path=str(store_dir),
            config=AsyncClientConfig(store_sync_tokens=False, encryption_enabled=True),
        )
        client.restore_login(account.user_id, account.device_id, account.access_token)
        member = cls(account, client)
        await member._sync(timeout=0)
        if client.should_upload_keys:
            await client.keys_upload()
        member._task = asyncio.create_task(member._sync_forever(), name=f"member {account.user_id}")
        return member

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self.client.close()

    # -- syncing ---------------------------------------------------------------------

    async def _sync_forever(self) -> None:
        while True:
            try:
                await self._sync(timeout=10_000)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.debug("%s: sync failed: %s", self.user_id, exc)
                await asyncio.sleep(0.5)

    async def _sync(self, timeout: int) -> None:
        resp = await self.client.sync(
            timeout=timeout,
            sync_filter={"room": {"timeline": {"limit": 100}}},
            full_state=self.client.next_batch is None or None,
        )
        if not isinstance(resp, SyncResponse):
            await asyncio.sleep(0.5)
            return
        client = self.client
        await e2ee_housekeeping(client)
        for room_id, invite in resp.rooms.invite.items():
            if self.auto_join and any(
                isinstance(e, InviteMemberEvent) and e.state_key == self.user_id
                for e in invite.invite_state
            ):
                await client.join(room_id)
        async with self._changed:
            for room_id, info in resp.rooms.join.items():
                for event in info.timeline.events:
                    self.seen.append(_seen(room_id, event))
                    if isinstance(event, MegolmEvent):
                        self._undecrypted.append((room_id, event))
            self._retry_decryption()
            self._changed.notify_all()

    def _retry_decryption(self) -> None:
        """A room key can arrive a sync after the message it opens; decrypt those late."""
        waiting, self._undecrypted = self._undecrypted, []
        for room_id, event in waiting:
            try:
                decrypted = self.client.decrypt_event(event)
            except Exception:
                decrypted = None
            if decrypted is None or isinstance(decrypted, MegolmEvent):
                self._undecrypted.append((room_id, event))
                continue
            decrypted.decrypted = True
            index = next(i for i, s in enumerate(self.seen) if s.event_id == event.event_id)
            self.seen[index] = _seen(room_id, decrypted)

    # -- acting ----------------------------------------------------------------------

    async def create_room(
        self,
        name: str,
        alias: str | None = None,
        encrypted: bool = False,
        invite: list[str] | None = None,
        public: bool = False,
    ) -> str:
        initial_state = []
        if encrypted:
            initial_state.append(
                {
                    "type": "m.room.encryption",
                    "state_key": "",
                    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
                }
            )
        resp = await self.client.room_create(
            visibility=RoomVisibility.public if public else RoomVisibility.private,
            alias=alias,
            name=name,
            invite=invite or [],
            initial_state=initial_state,
        )
        if not isinstance(resp, RoomCreateResponse):
            raise RuntimeError(f"{self.user_id} could not create {name}: {resp}")
        await self.wait_until(lambda: resp.room_id in self.client.rooms, timeout=30)
        return resp.room_id

    async def join(self, room: str) -> str:
        resp = await self.client.join(room)
        if not isinstance(resp, JoinResponse):
            raise RuntimeError(f"{self.user_id} could not join {room}: {resp}")
        await self.wait_until(lambda: resp.room_id in self.client.rooms, timeout=30)
        return resp.room_id

    async def invite(self, room_id: str, user_id: str) -> None:
        await self.client.room_invite(room_id, user_id)

    async def send(
        self, room_id: str, body: str, reply_to: str | None = None, thread_root: str | None = None
    ) -> str:
        content: dict[str, Any] = {"msgtype": "m.text", "body": body}
        if thread_root is not None:
            content["m.relates_to"] = {
                "rel_type": "m.thread",
                "event_id": thread_root,
                "is_falling_back": True,
                "m.in_reply_to": {"event_id": reply_to or thread_root},
            }
        elif reply_to is not None:
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
        return await self.send_event(room_id, "m.room.message", content)

    async def react(self, room_id: str, event_id: str, key: str = "✅") -> str:
        content = {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}
        return await self.send_event(room_id, "m.reaction", content)

    async def send_event(self, room_id: str, event_type: str, content: dict[str, Any]) -> str:
        resp = await self.client.room_send(
            room_id, event_type, content, ignore_unverified_devices=True
        )
        if not isinstance(resp, RoomSendResponse):
            raise RuntimeError(f"{self.user_id} could not send to {room_id}: {resp}")
        return resp.event_id

    # -- waiting ---------------------------------------------------------------------

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        async with self._changed:
            while not condition():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{self.user_id}: condition not met within {timeout}s")
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    pass

    def messages(
        self, room_id: str, sender: str | None = None, reply_to: str | None = None
    ) -> list[Seen]:
        return [
            s
            for s in self.seen
            if s.room_id == room_id
            and s.type == "m.room.message"
            and (sender is None or s.sender == sender)
            and (reply_to is None or s.reply_to == reply_to)
        ]

    async def wait_for_reply(
        self, room_id: str, event_id: str, sender: str, timeout: float = 30.0
    ) -> Seen:
        await self.wait_until(
            lambda: bool(self.messages(room_id, sender=sender, reply_to=event_id)), timeout
        )
        return self.messages(room_id, sender=sender, reply_to=event_id)[0]

    async def download(self, message: Seen) -> bytes:
        """The file an `m.file` message points at, decrypted when it is an encrypted file,
        through the authenticated media API that clients use."""
        encrypted = message.content.get("file")
        mxc = encrypted["url"] if encrypted else message.content["url"]
        server, media_id = mxc.removeprefix("mxc://").split("/", 1)
        url = f"{self.client.homeserver}/_matrix/client/v1/media/download/{server}/{media_id}"
        headers = {"Authorization": f"Bearer {self.client.access_token}"}
        async with aiohttp.ClientSession() as http, http.get(url, headers=headers) as resp:
            resp.raise_for_status()
            data = await resp.read()
        if not encrypted:
            return data
        return decrypt_attachment(
            data, encrypted["key"]["k"], encrypted["hashes"]["sha256"], encrypted["iv"]
        )

    async def ask(self, room_id: str, body: str, bot: str, timeout: float = 30.0) -> Seen:
        """Sends `body` and returns the bot's reply to it."""
        event_id = await self.send(room_id, body)
        return await self.wait_for_reply(room_id, event_id, bot, timeout)


def _seen(room_id: str, event: Event) -> Seen:
    source = event.source or {}
    encrypted = isinstance(event, MegolmEvent) or bool(getattr(event, "decrypted", False))
    return Seen(
        room_id=room_id,
        event_id=event.event_id,
        sender=event.sender,
        type=str(source.get("type", "")) if not isinstance(event, MegolmEvent) else "undecrypted",
        content=dict(source.get("content") or {}),
        timestamp_ms=event.server_timestamp,
        encrypted=encrypted,
    )
