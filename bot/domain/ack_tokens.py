"""Acknowledgement links in alert e-mails: ``…/a/<token>`` acknowledges one person's place in
one alert, as ``!ack`` would, for someone who cannot reach Matrix.

The token is signed like a report link (`bot.domain.link_tokens`, under its own purpose, so
neither passes for the other) and names the alert recipient row and an expiry. It is single-use
by the row itself: once the place is acknowledged, by any channel, the link answers "already".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.domain.link_tokens import LinkTokenError, seal, unseal

_PURPOSE = b"ack"


@dataclass(frozen=True)
class AckClaim:
    recipient_id: int
    expires_at: datetime


def make_ack_token(key: bytes, claim: AckClaim) -> str:
    expiry = int(claim.expires_at.timestamp())
    return seal(key, _PURPOSE, f"{claim.recipient_id}.{expiry}".encode())


def read_ack_token(key: bytes, token: str, now: datetime) -> AckClaim:
    """The claim of a genuine, unexpired token; `LinkTokenError` (forged, expired) otherwise."""
    payload = unseal(key, _PURPOSE, token)
    try:
        recipient_text, expiry_text = payload.decode().split(".")
        claim = AckClaim(int(recipient_text), datetime.fromtimestamp(int(expiry_text), UTC))
    except (UnicodeDecodeError, ValueError, OverflowError, OSError):
        raise LinkTokenError("forged") from None
    if now >= claim.expires_at:
        raise LinkTokenError("expired")
    return claim
