"""Encryption at rest (数据存储加密): the store's cipher key, the SM4-GCM cipher, private files.

Every store is encrypted unless the operator says otherwise (``JISHI_CIPHER=none``, for a store made
before encryption at rest). The key is ``JISHI_CIPHER_KEY`` (base64) or, without it,
``<data dir>/cipher.key`` — created 0600 only together with a new store (``jishi init``, ``jishi demo``,
``jishi serve``: whoever makes the store makes its key), never for a store that exists: a store whose
key is missing is refused with the reason, not given a new key it cannot read with.

The same key encrypts the events (the eventsourcing library's cipher: AES-GCM, or SM4-GCM with
``JISHI_CIPHER=sm4``, GB/T 39786-2021) and, through keys derived from it, the sensitive fields of the
read models (``projections/sealed.py``).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher as PrimitiveCipher
from cryptography.hazmat.primitives.ciphers import algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.cryptography import AESCipher as LibraryAESCipher
from eventsourcing.persistence import Cipher

from ledger.keys import write_private_once
from projections.sealed import Sealer

if TYPE_CHECKING:
    from eventsourcing.utils import Environment

    from jishi.settings import Settings

__all__ = ["CIPHER_KEY_FILE", "KEY_BYTES", "AESCipher", "CipherKeyError", "CipherKeyMissing", "SM4Cipher", "cipher_key",
           "make_private", "new_key", "sealer_for"]

CIPHER_KEY_FILE = "cipher.key"
# JISHI_CIPHER -> the size of a new key; "none": a store made before encryption at rest, not encrypted
KEY_BYTES = {"aes": 32, "sm4": 16, "none": 0}
PRIVATE_FILES = ("events.sqlite", "read.sqlite")  # with their -wal and -shm, which SQLite makes alike


class CipherKeyError(ValueError):
    """The cipher key cannot be read, or does not fit the chosen cipher."""


class CipherKeyMissing(CipherKeyError):
    """The store exists but its cipher key does not (and a new key could not read it)."""


def new_key(settings: Settings) -> str:
    """A fresh random key for the configured cipher, base64 (what ``JISHI_CIPHER_KEY`` holds)."""
    return base64.b64encode(os.urandom(KEY_BYTES[settings.cipher])).decode()


def cipher_key(settings: Settings, *, store_exists: bool) -> str | None:
    """The store's key (base64): the setting, else the data directory's key file — created when the
    store does not exist yet. None when encryption is off (``JISHI_CIPHER=none``)."""
    if settings.cipher == "none":
        return None
    if settings.cipher_key:
        return _checked(settings, settings.cipher_key.strip(), "JISHI_CIPHER_KEY")
    path = settings.data_dir / CIPHER_KEY_FILE
    if not path.exists():
        if store_exists:
            raise CipherKeyMissing(
                f"纪实数据库已存在但没有加密密钥 (the store exists but its cipher key does not) {path.absolute()}: "
                f"恢复该密钥文件或设置 JISHI_CIPHER_KEY (restore the key file or set JISHI_CIPHER_KEY); "
                f"加密功能之前建立的库设置 JISHI_CIPHER=none (a store made before encryption at rest: "
                f"set JISHI_CIPHER=none)")
        _create(path, new_key(settings))
    try:
        text = path.read_text("ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise CipherKeyError(f"无法读取加密密钥 (cannot read the cipher key) {path}: {exc}") from exc
    return _checked(settings, text, str(path))


def sealer_for(settings: Settings, key: str | None) -> Sealer | None:
    """What seals the read models' sensitive fields, with keys derived from the store's key."""
    if key is None:
        return None
    return Sealer(base64.b64decode(key), algorithm=settings.cipher)


def make_private(data_dir: Path, *, sqlite: bool = True) -> None:
    """The data directory 0700 (on PostgreSQL it holds the keys) and its SQLite database files 0600.
    The files are made empty (a valid empty SQLite database) before SQLite opens them, so the -wal and
    -shm files SQLite makes take the same mode; files an older version left 0644 are narrowed."""
    data_dir.mkdir(parents=True, exist_ok=True)
    _narrow(data_dir, stat.S_IRWXU)
    for name in PRIVATE_FILES if sqlite else ():
        path = data_dir / name
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        for existing in (path, path.with_name(name + "-wal"), path.with_name(name + "-shm")):
            _narrow(existing, stat.S_IRUSR | stat.S_IWUSR)


def _narrow(path: Path, mode: int) -> None:
    with contextlib.suppress(FileNotFoundError, PermissionError):
        if stat.S_IMODE(path.stat().st_mode) != mode:
            path.chmod(mode)


def _checked(settings: Settings, text: str, source: str) -> str:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CipherKeyError(f"加密密钥须为 base64 (the cipher key must be base64): {source}") from exc
    allowed = (16, 24, 32) if settings.cipher == "aes" else (16,)
    if len(raw) not in allowed:
        sizes = "/".join(map(str, allowed))
        raise CipherKeyError(f"{settings.cipher} 加密密钥须为 {sizes} 字节 (the {settings.cipher} cipher key must be "
                             f"{sizes} bytes), got {len(raw)}: {source}")
    return text


def _create(path: Path, key: str) -> None:
    """Created once, never overwritten, never read half-written (as the ledger's key)."""
    write_private_once(path, (key + "\n").encode("ascii"))


class AESCipher(LibraryAESCipher):
    """The library's AES-GCM cipher (the same stored layout: nonce + tag + ciphertext) with its key's
    ``AESGCM`` made once instead of for every event (≈ 0.7 µs of the ≈ 1.7 µs a decryption takes; a
    rebuild decrypts every event). An ``AESGCM`` keeps no state between calls, so the threads serving
    requests share it as they share the key."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self._aead = AESGCM(self.key)

    def encrypt(self, plaintext: bytes) -> bytes:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, plaintext, None)
        return nonce + sealed[-16:] + sealed[:-16]

    def decrypt(self, ciphertext: bytes) -> bytes:
        nonce, tag = ciphertext[:12], ciphertext[12:28]
        if len(nonce) != 12 or len(tag) != 16:
            msg = "Damaged cipher text: too short"
            raise ValueError(msg)
        try:
            return self._aead.decrypt(nonce, ciphertext[28:] + tag, None)
        except InvalidTag as exc:
            msg = "Invalid cipher tag"
            raise ValueError(msg) from exc


class SM4Cipher(Cipher):
    """SM4 in GCM mode (GB/T 32907, GB/T 39786-2021) for the eventsourcing library, from the
    ``cryptography`` package: a random 96-bit nonce per record, stored as nonce + tag + ciphertext
    (the layout of the library's AESCipher)."""

    CIPHER_KEY = "CIPHER_KEY"

    def __init__(self, environment: Environment) -> None:
        encoded = environment.get(self.CIPHER_KEY)
        if not encoded:
            msg = f"'{self.CIPHER_KEY}' not in env"
            raise OSError(msg)
        key = base64.b64decode(encoded.encode())
        if len(key) != 16:
            msg = f"SM4 密钥须为 16 字节 (an SM4 key is 16 bytes), got {len(key)}"
            raise ValueError(msg)
        self.key = key

    def encrypt(self, plaintext: bytes) -> bytes:
        nonce = os.urandom(12)
        encryptor = PrimitiveCipher(algorithms.SM4(self.key), modes.GCM(nonce)).encryptor()
        encrypted = encryptor.update(plaintext) + encryptor.finalize()
        return nonce + encryptor.tag + encrypted

    def decrypt(self, ciphertext: bytes) -> bytes:
        nonce, tag, encrypted = ciphertext[:12], ciphertext[12:28], ciphertext[28:]
        if len(nonce) != 12 or len(tag) != 16:
            msg = "Damaged cipher text: too short"
            raise ValueError(msg)
        decryptor = PrimitiveCipher(algorithms.SM4(self.key), modes.GCM(nonce, tag)).decryptor()
        try:
            return decryptor.update(encrypted) + decryptor.finalize()
        except InvalidTag as exc:
            msg = "Invalid cipher tag"
            raise ValueError(msg) from exc
