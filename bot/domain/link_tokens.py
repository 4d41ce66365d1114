"""Report links: signed tokens that let an actor without Matrix report for one meeting or round.

A link ``…/r/<token>`` is the actor's whole credential, so the token says exactly what it allows
and is signed: ``<payload>.<mac>``, both base64url, where the payload is ``actor.meeting.expiry``
(an actor id is a slug without dots) and the MAC is HMAC-SHA256 under a key derived from the
bot's link secret. Changing any part (another actor, another meeting, a later expiry) breaks the
MAC; a link past its expiry is refused as expired, not as forged, so the person gets the right
explanation.

Each time the form is shown it carries a fresh *nonce*: random bytes with a MAC binding them to
the token. The nonce proves the submission came from a form the bot served for this link (it is
the CSRF token as well), and a submission is stored once per nonce (a re-POST is "already
received").
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

__all__ = [
    "LinkClaim",
    "LinkRefused",
    "LinkTokenError",
    "check_nonce",
    "derive_key",
    "make_nonce",
    "make_token",
    "read_token",
    "seal",
    "unseal",
]

RefusalKind = Literal["forged", "expired", "used", "stale_form"]


class LinkRefused(Exception):
    """A signed link (a report link, an acknowledgement link), or the form sent with it,
    cannot be used; ``kind`` says why, for the page: forged, expired, used (a one-time link
    whose work is done), or stale_form (a report form not served for this link)."""

    def __init__(self, kind: RefusalKind) -> None:
        super().__init__(kind)
        self.kind: RefusalKind = kind


_KEY_LABEL = b"samverkan/report-link/v1"
_MAC_BYTES = 18  # 144 bits: unguessable, and a link short enough to read out on the phone
_NONCE_BYTES = 16
_MAX_TOKEN = 400


class LinkTokenError(ValueError):
    """``kind`` is ``forged`` (not made by this bot, or altered) or ``expired``."""

    def __init__(self, kind: Literal["forged", "expired"]) -> None:
        super().__init__(kind)
        self.kind: Literal["forged", "expired"] = kind


@dataclass(frozen=True)
class LinkClaim:
    """What a link allows: ``actor_id`` reports for meeting ``meeting_id`` until ``expires_at``."""

    actor_id: str
    meeting_id: int
    expires_at: datetime


def derive_key(secret: str) -> bytes:
    """The signing key, derived so the configured secret itself is never the MAC key."""
    return hmac.new(secret.encode(), _KEY_LABEL, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, purpose: bytes, data: bytes) -> bytes:
    return hmac.new(key, purpose + b"\n" + data, hashlib.sha256).digest()[:_MAC_BYTES]


def seal(key: bytes, purpose: bytes, payload: bytes) -> str:
    """``payload`` and its MAC for ``purpose``, as one URL-safe token (a token made for one
    purpose never passes for another)."""
    return f"{_b64(payload)}.{_b64(_mac(key, purpose, payload))}"


def unseal(key: bytes, purpose: bytes, token: str) -> bytes:
    """The payload of a token `seal` made for ``purpose``; `LinkTokenError("forged")` else."""
    if len(token) > _MAX_TOKEN or token.count(".") != 1:
        raise LinkTokenError("forged")
    encoded, mac_text = token.split(".")
    try:
        payload = _unb64(encoded)
        given = _unb64(mac_text)
    except (binascii.Error, ValueError):
        raise LinkTokenError("forged") from None
    if not hmac.compare_digest(given, _mac(key, purpose, payload)):
        raise LinkTokenError("forged")
    return payload


def make_token(key: bytes, claim: LinkClaim) -> str:
    if "." in claim.actor_id:
        raise ValueError(f"actor id {claim.actor_id!r} cannot contain a dot")
    expiry = int(claim.expires_at.timestamp())
    return seal(key, b"token", f"{claim.actor_id}.{claim.meeting_id}.{expiry}".encode())


def read_token(key: bytes, token: str, now: datetime) -> LinkClaim:
    """The claim of a genuine, unexpired token; `LinkTokenError` otherwise."""
    payload = unseal(key, b"token", token)
    try:
        actor_id, meeting_text, expiry_text = payload.decode().split(".")
        claim = LinkClaim(
            actor_id, int(meeting_text), datetime.fromtimestamp(int(expiry_text), UTC)
        )
    except (UnicodeDecodeError, ValueError, OverflowError, OSError):
        raise LinkTokenError("forged") from None  # signed by us, so only if the format changed
    if now >= claim.expires_at:
        raise LinkTokenError("expired")
    return claim


def make_nonce(key: bytes, token: str, random: bytes | None = None) -> str:
    """A one-time form nonce for ``token``: random bytes and their MAC, bound to the token."""
    raw = random if random is not None else secrets.token_bytes(_NONCE_BYTES)
    return f"{_b64(raw)}.{_b64(_mac(key, b'nonce', raw + token.encode()))}"


def check_nonce(key: bytes, token: str, nonce: str) -> bool:
    """Whether ``nonce`` was made by `make_nonce` for this very token."""
    if len(nonce) > 100 or nonce.count(".") != 1:
        return False
    raw_text, mac_text = nonce.split(".")
    try:
        raw, given = _unb64(raw_text), _unb64(mac_text)
    except (binascii.Error, ValueError):
        return False
    return len(raw) == _NONCE_BYTES and hmac.compare_digest(
        given, _mac(key, b"nonce", raw + token.encode())
    )
