"""The bot's cross-signing private keys, kept under `store_path` and encrypted at rest.

Whoever holds the self-signing key can vouch for new devices of the bot, so the keys are never in
the database or the logs and never on disk in plaintext: the file is AES-256-GCM encrypted with a
key derived (scrypt, so a passphrase is as good as a random secret) from `SAMVERKAN_CRYPTO__KEY`.
The header (format, user id, KDF parameters) is bound to the ciphertext as associated data, so
a file copied from another bot or edited by hand is refused rather than misread.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from bot.matrix.signing import SigningKey, b64decode, b64encode

KEY_FILE = "cross_signing.keys"
FORMAT = "samverkan-cross-signing/1"
SCRYPT = {"n": 2**15, "r": 8, "p": 1}


class KeyFileError(RuntimeError):
    """The key file exists but cannot be used (wrong secret, another user, damaged)."""


@dataclass(frozen=True)
class CrossSigningKeys:
    """The three keys of one cross-signing identity."""

    master: SigningKey
    self_signing: SigningKey
    user_signing: SigningKey

    @classmethod
    def generate(cls) -> CrossSigningKeys:
        return cls(SigningKey.generate(), SigningKey.generate(), SigningKey.generate())


def key_file(store_path: Path) -> Path:
    return Path(store_path) / KEY_FILE


def _derive(secret: str, salt: bytes, params: dict[str, int]) -> bytes:
    return Scrypt(salt=salt, length=32, **params).derive(secret.encode("utf-8"))


def _aad(header: dict[str, object]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


def save_keys(path: Path, keys: CrossSigningKeys, *, user_id: str, secret: str) -> None:
    """Writes the keys encrypted, atomically and readable only by the bot's user."""
    salt, nonce = os.urandom(16), os.urandom(12)
    header: dict[str, object] = {
        "format": FORMAT,
        "user_id": user_id,
        "kdf": {"name": "scrypt", "salt": b64encode(salt), **SCRYPT},
    }
    plaintext = json.dumps(
        {
            "master": b64encode(keys.master.seed),
            "self_signing": b64encode(keys.self_signing.seed),
            "user_signing": b64encode(keys.user_signing.seed),
        }
    ).encode("utf-8")
    ciphertext = AESGCM(_derive(secret, salt, SCRYPT)).encrypt(nonce, plaintext, _aad(header))
    document = {**header, "nonce": b64encode(nonce), "ciphertext": b64encode(ciphertext)}
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(document, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def load_keys(path: Path, *, user_id: str, secret: str) -> CrossSigningKeys | None:
    """The stored keys, or None when there is no file; KeyFileError when it is unusable."""
    if not path.exists():
        return None
    try:
        document = json.loads(path.read_text())
        header = {k: document[k] for k in ("format", "user_id", "kdf")}
        kdf = dict(header["kdf"])
        nonce, ciphertext = b64decode(document["nonce"]), b64decode(document["ciphertext"])
    except (ValueError, KeyError, TypeError) as exc:
        raise KeyFileError(f"{path} is damaged ({exc.__class__.__name__})") from None
    if header["format"] != FORMAT or kdf.get("name") != "scrypt":
        raise KeyFileError(f"{path} has an unknown format {header['format']!r}")
    if header["user_id"] != user_id:
        raise KeyFileError(f"{path} holds the keys of {header['user_id']}, not {user_id}")
    params = {k: int(kdf[k]) for k in ("n", "r", "p")}
    key = _derive(secret, b64decode(str(kdf["salt"])), params)
    try:
        plaintext = AESGCM(key).decrypt(nonce, ciphertext, _aad(header))
    except InvalidTag:
        raise KeyFileError(
            f"{path} cannot be decrypted: SAMVERKAN_CRYPTO__KEY is not the key it was written with"
        ) from None
    seeds = json.loads(plaintext)
    return CrossSigningKeys(
        SigningKey(b64decode(seeds["master"])),
        SigningKey(b64decode(seeds["self_signing"])),
        SigningKey(b64decode(seeds["user_signing"])),
    )
