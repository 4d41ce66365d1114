"""What the bot says about its own device, for `!whoami` and the admin's device check."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BotIdentity:
    """The bot's device and cross-signing keys, so an admin can compare them with what their
    own client shows before trusting the device; keys in groups of four, as Element shows them."""

    device_id: str
    device_key: str | None
    master_key: str | None
    cross_signed: bool
