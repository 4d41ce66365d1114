"""Signing JSON the way Matrix does, with ed25519 keys of our own.

matrix-nio signs only with the device's Olm account; cross-signing needs three more ed25519 keys
(master, self-signing, user-signing) and the spec's signing rules: drop `signatures` and
`unsigned`, serialise as canonical JSON (sorted keys, no whitespace, UTF-8), sign the bytes, and
publish the signature and public keys as unpadded base64 under key ids `ed25519:<public key>`.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)


def canonical_json(obj: dict[str, Any]) -> bytes:
    """The bytes a Matrix signature covers: the object without `signatures` and `unsigned`.

    NaN and Infinity are refused with a `ValueError` naming where they are: JSON has no such
    numbers, so no other implementation could check a signature over them.
    """
    stripped = {k: v for k, v in obj.items() if k not in ("signatures", "unsigned")}
    try:
        text = json.dumps(
            stripped, ensure_ascii=False, allow_nan=False, separators=(",", ":"), sort_keys=True
        )
    except ValueError as error:
        where = _non_finite(stripped, "")
        if where is None:  # another refusal (a circular reference): json's own words
            raise
        raise ValueError(f"canonical JSON has no NaN or Infinity, found {where}") from error
    return text.encode("utf-8")


def _non_finite(value: Any, path: str, seen: frozenset[int] = frozenset()) -> str | None:
    """Where in `value` a NaN or infinite float is (``value['keys'][0] = nan``), if anywhere."""
    if isinstance(value, float) and not math.isfinite(value):
        return f"value{path} = {value!r}"
    if isinstance(value, dict):
        items: Iterable[tuple[Any, Any]] = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    else:
        return None
    if id(value) in seen:  # a circular reference, which json refuses on its own
        return None
    for key, item in items:
        found = _non_finite(item, f"{path}[{key!r}]", seen | {id(value)})
        if found is not None:
            return found
    return None


def b64encode(data: bytes) -> str:
    """Matrix's base64: standard alphabet, no padding."""
    return base64.b64encode(data).decode("ascii").rstrip("=")


def b64decode(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class SigningKey:
    """An ed25519 key pair; `seed` (the 32 private bytes) is the only secret part."""

    seed: bytes

    @classmethod
    def generate(cls) -> SigningKey:
        raw = Ed25519PrivateKey.generate().private_bytes(
            Encoding.Raw, PrivateFormat.Raw, NoEncryption()
        )
        return cls(raw)

    def __repr__(self) -> str:  # never show the seed in a log or traceback
        return f"SigningKey(public={self.public})"

    @property
    def _private(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    @property
    def public(self) -> str:
        """The public key, unpadded base64: what Matrix shows and uses in key ids."""
        raw = self._private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return b64encode(raw)

    @property
    def key_id(self) -> str:
        return f"ed25519:{self.public}"

    def sign(self, obj: dict[str, Any]) -> str:
        return b64encode(self._private.sign(canonical_json(obj)))


def with_signature(
    obj: dict[str, Any], user_id: str, key_id: str, signature: str
) -> dict[str, Any]:
    """`obj` as uploaded to `/keys/signatures/upload`: without `unsigned`, carrying only the
    new signature (the server keeps the ones it already has)."""
    signed = {k: v for k, v in obj.items() if k not in ("signatures", "unsigned")}
    signed["signatures"] = {user_id: {key_id: signature}}
    return signed


def signed_by(obj: dict[str, Any], user_id: str, key_id: str, public_key: str) -> bool:
    """Whether `obj` carries a valid signature by `public_key` under `key_id`."""
    signature = ((obj.get("signatures") or {}).get(user_id) or {}).get(key_id)
    if not isinstance(signature, str):
        return False
    try:
        key = Ed25519PublicKey.from_public_bytes(b64decode(public_key))
        key.verify(b64decode(signature), canonical_json(obj))
    except (InvalidSignature, ValueError):
        return False
    return True
