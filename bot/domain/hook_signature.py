"""Who may post into a forum room from outside: the HMAC signature of an incoming webhook.

The sender and the bot share a secret per source. The sender computes HMAC-SHA256 over the raw
request body with it and sends ``X-Samverkan-Signature: sha256=<hex>``. When it also sends
``X-Samverkan-Timestamp: <unix seconds>``, the MAC is taken over ``<timestamp>.<body>`` instead
and the call is only accepted within `MAX_SKEW` of the bot's clock, so a captured call cannot be
replayed later (a source may be configured to require it). Comparison is constant-time.

Plain functions over bytes, with no I/O, so the whole contract is unit-tested.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

__all__ = [
    "DELIVERY_HEADER",
    "MAX_SKEW",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "SignatureError",
    "body_digest",
    "sign",
    "verify",
]

SIGNATURE_HEADER = "X-Samverkan-Signature"
TIMESTAMP_HEADER = "X-Samverkan-Timestamp"
DELIVERY_HEADER = "X-Samverkan-Delivery"
"""Optional: the sender's id of the delivery, logged with the outcome to trace a call."""
MAX_SKEW = timedelta(minutes=5)
_PREFIX = "sha256="


class SignatureError(ValueError):
    """The call is not proven to come from the source; ``reason`` says what to fix."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _message(body: bytes, timestamp: str | None) -> bytes:
    return body if timestamp is None else timestamp.encode("ascii") + b"." + body


def sign(secret: bytes, body: bytes, timestamp: str | None = None) -> str:
    """The header value a sender puts in ``X-Samverkan-Signature``."""
    digest = hmac.new(secret, _message(body, timestamp), hashlib.sha256).hexdigest()
    return _PREFIX + digest


def body_digest(body: bytes) -> str:
    """The body's SHA-256 (hex): the same body is the same event, posted once."""
    return hashlib.sha256(body).hexdigest()


def verify(
    secret: bytes,
    body: bytes,
    signature: str | None,
    timestamp: str | None,
    *,
    now: datetime,
    require_timestamp: bool = False,
) -> None:
    """Returns when ``signature`` proves ``body`` (and ``timestamp``); raises `SignatureError`."""
    if not signature:
        raise SignatureError(
            "missing_signature",
            f"no {SIGNATURE_HEADER} header; send {SIGNATURE_HEADER}: sha256=<hex of "
            "HMAC-SHA256(secret, body)>",
        )
    if timestamp is None and require_timestamp:
        raise SignatureError(
            "missing_timestamp",
            f"this source requires {TIMESTAMP_HEADER}: <unix seconds>, with the MAC taken "
            "over '<timestamp>.<body>'",
        )
    if timestamp is not None:
        if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
            raise SignatureError(
                "malformed_timestamp", f"{TIMESTAMP_HEADER} must be whole unix seconds"
            )
        sent = datetime.fromtimestamp(int(timestamp), now.tzinfo)
        if abs(now - sent) > MAX_SKEW:
            raise SignatureError(
                "stale_timestamp",
                f"{TIMESTAMP_HEADER} is more than {int(MAX_SKEW.total_seconds() // 60)} minutes "
                "from the bot's clock; sign each call when it is sent (and check the clocks)",
            )
    given = signature.strip()
    if not given.lower().startswith(_PREFIX):
        raise SignatureError(
            "malformed_signature", f"{SIGNATURE_HEADER} must look like sha256=<64 hex digits>"
        )
    expected = sign(secret, body, timestamp)
    presented = _PREFIX + given[len(_PREFIX) :].lower()
    if not hmac.compare_digest(expected.encode(), presented.encode()):
        raise SignatureError(
            "bad_signature",
            "the signature does not match the body; sign the exact bytes sent with the "
            "source's secret" + (" as '<timestamp>.<body>'" if timestamp is not None else ""),
        )
