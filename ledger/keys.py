"""The ledger's Ed25519 signing key: given by the operator, or created once in the data directory.

``spec`` (the ``JISHI_LEDGER_KEY`` setting) is either 64 hex characters (the 32-byte private
seed) or the path of a PEM private key (PKCS#8, unencrypted).  Without it the key lives in
``<data dir>/ledger-ed25519.pem``, created with mode 0600 and never overwritten — only when the
caller may create it (``jishi init``, ``jishi demo``, ``jishi serve``, the library's defaults); every
other command opens it with ``create=False`` and is told ``LedgerKeyMissing`` instead of writing one.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.signing import public_key_bytes

__all__ = ["KEY_FILE_NAME", "LedgerKeyError", "LedgerKeyMissing", "load_signing_key", "public_key_hex",
           "public_key_pem", "write_private_once"]

KEY_FILE_NAME = "ledger-ed25519.pem"
_SEED_RE = re.compile(r"[0-9a-fA-F]{64}")


class LedgerKeyError(ValueError):
    """Raised when the configured ledger key cannot be read or is not an Ed25519 private key."""


class LedgerKeyMissing(LedgerKeyError):
    """Raised when the data directory has no key and the caller may not create one."""


def load_signing_key(data_dir: Path, spec: str | None = None, *, create: bool = True) -> Ed25519PrivateKey:
    """The signing key named by ``spec``, else the data directory's key — created if absent when
    ``create``, else ``LedgerKeyMissing`` (nothing is written)."""
    if spec:
        spec = spec.strip()
        if _SEED_RE.fullmatch(spec):
            return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(spec))
        return _read_pem(Path(spec))
    path = Path(data_dir) / KEY_FILE_NAME
    if not path.exists():
        if not create:
            raise LedgerKeyMissing(f"没有账本签名密钥 (no ledger signing key) {path.absolute()}: 运行 `jishi init` "
                                   f"创建 (run `jishi init` to create it), 或设置 JISHI_LEDGER_KEY (or set it)")
        _create(path)
    return _read_pem(path)


def public_key_hex(key: Ed25519PrivateKey) -> str:
    """The raw 32-byte public key as 64 hex characters (what auditors keep)."""
    return public_key_bytes(key).hex()


def public_key_pem(key: Ed25519PrivateKey) -> bytes:
    """The public key as a PEM SubjectPublicKeyInfo."""
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _read_pem(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise LedgerKeyError(f"无法读取账本签名密钥 (cannot read the ledger signing key) {path}: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise LedgerKeyError(f"账本签名密钥须为 Ed25519 (the ledger signing key must be Ed25519): {path}")
    return key


def _create(path: Path) -> None:
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    write_private_once(path, pem)


def write_private_once(path: Path, data: bytes) -> None:
    """A key file (0600) that is never overwritten: written in full to a private temporary file, then
    linked into place — the link fails if another process got there first (its key wins), and nobody
    ever reads a partial file. The ledger's signing key and the store's cipher key (jishi/cipher.py)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A name of its own for every writer (process and thread): two threads of one process once shared a
    # pid-named file, truncated and unlinked each other's, and linked a half-written key into place.
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # 0600
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
