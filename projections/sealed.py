"""Sealed read-model fields (字段级加密): the sensitive values of the read models are stored encrypted,
on SQLite and PostgreSQL alike, and an ID number is found by a keyed hash.

What is sealed: in the JSON columns (``rm_entry.values``, ``rm_span.data``) the value of every key in
``SEALED_KEYS`` — the 公民身份号码 and every free-text note of an entry (conversation and complaint
summaries, sanction and commendation reasons, descriptions …); in ``rm_audit`` the reason and the
override reason. Names, codes and dates stay in clear: the roster sorts by name and search matches
names by substring, which a cipher text cannot do.

How: the column types below seal on the way into the database and open on the way out, with the
``Sealer`` of the engine (``projections.db.make_engine(…, sealer=…)``), so queries and projections
work with plain values and nothing else changes. The encryption is AES-256-GCM under a key derived
(HKDF-SHA256) from the store's cipher key — with ``JISHI_CIPHER=sm4`` SM4-GCM, HKDF-SM3 and HMAC-SM3 —
with a synthetic nonce: an HMAC of the field and the value (the SIV construction): the same value seals to the same
text, so a rebuild writes byte-identical rows, the read models' checksum and row signatures stay
what they were, and the only thing an observer learns is that two sealed values are equal.
An ID number is also kept as an HMAC under a third derived key (``LookupKey``), which exact
search compares with the HMAC of what was typed.
"""

from __future__ import annotations

import base64
from typing import Any

import orjson
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hmac import HMAC
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import JSON, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from domain.cadre_entries import SENSITIVE_FIELDS

__all__ = [
    "PREFIX",
    "SEALED_KEYS",
    "LookupKey",
    "SealedJSON",
    "SealedText",
    "SealedWithoutKey",
    "Sealer",
    "sealer_of",
]

# The ID number and every free-text (Note) field of an entry; tests/unit/test_sealed.py checks that
# no Note field of an entry type is missing.
SEALED_KEYS = frozenset(SENSITIVE_FIELDS | {
    "reason",  # 处分/奖励/组织处理 reasons (the enumerated reasons of 出库/离职 are sealed alike)
    "description", "narrative", "note", "grounds", "outcome", "remarks", "feedback",
})
PREFIX = "sealed1:"
_DIALECT_ATTRIBUTE = "jishi_sealer"


class SealedWithoutKey(RuntimeError):
    """A sealed value was read through an engine that has no key for it."""


class Sealer:
    """Seals and opens values under keys derived from the store's cipher key; immutable, shared by
    every thread of a process."""

    def __init__(self, key: bytes, *, algorithm: str = "aes") -> None:
        if algorithm not in ("aes", "sm4"):
            msg = f"unknown cipher {algorithm!r}"
            raise ValueError(msg)
        self.algorithm = algorithm
        # SM4 goes with SM3 (HKDF-SM3, HMAC-SM3: GB/T 39786-2021), AES with SHA-256
        self._hash: type[hashes.SHA256 | hashes.SM3] = hashes.SHA256 if algorithm == "aes" else hashes.SM3
        size = 32 if algorithm == "aes" else 16
        self._key = self._derive(key, b"jishi read-model fields", size)
        self._nonce_key = self._derive(key, b"jishi read-model nonces", 32)
        self._lookup_key = self._derive(key, b"jishi look-up keys", 32)
        self.signature_key = self._derive(key, b"jishi row signatures", 32)  # keys the rows' content digests
        self._aes = AESGCM(self._key) if algorithm == "aes" else None

    def _derive(self, key: bytes, info: bytes, size: int) -> bytes:
        return HKDF(algorithm=self._hash(), length=size, salt=None, info=info).derive(key)

    def _mac(self, key: bytes, data: bytes) -> bytes:
        mac = HMAC(key, self._hash())
        mac.update(data)
        return mac.finalize()

    def seal(self, value: Any, field: str) -> str:
        plain = orjson.dumps(value)
        context = field.encode()
        nonce = self._mac(self._nonce_key, context + b"\x00" + plain)[:12]
        if self._aes is not None:
            sealed = self._aes.encrypt(nonce, plain, context)
        else:
            encryptor = Cipher(algorithms.SM4(self._key), modes.GCM(nonce)).encryptor()
            encryptor.authenticate_additional_data(context)
            sealed = encryptor.update(plain) + encryptor.finalize() + encryptor.tag
        return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")

    def open(self, token: str, field: str) -> Any:
        raw = base64.urlsafe_b64decode(token[len(PREFIX):] + "=" * (-len(token) % 4))
        nonce, sealed, context = raw[:12], raw[12:], field.encode()
        if self._aes is not None:
            plain = self._aes.decrypt(nonce, sealed, context)
        else:
            decryptor = Cipher(algorithms.SM4(self._key), modes.GCM(nonce, sealed[-16:])).decryptor()
            decryptor.authenticate_additional_data(context)
            plain = decryptor.update(sealed[:-16]) + decryptor.finalize()
        return orjson.loads(plain)

    def lookup(self, value: str) -> str:
        """The keyed hash an exact look-up compares (letters in upper case: the check digit X)."""
        return self._mac(self._lookup_key, value.strip().upper().encode()).hex()

    def seal_tree(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: self.seal(v, k) if k in SEALED_KEYS and v is not None else self.seal_tree(v)
                    for k, v in value.items()}
        if isinstance(value, list):
            return [self.seal_tree(v) for v in value]
        return value

    def open_tree(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: self.open(v, k) if isinstance(v, str) and v.startswith(PREFIX) and k in SEALED_KEYS
                    else self.open_tree(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.open_tree(v) for v in value]
        return value


def attach(dialect: Dialect, sealer: Sealer | None) -> None:
    """Give an engine's dialect its sealer (once, when the engine is made)."""
    setattr(dialect, _DIALECT_ATTRIBUTE, sealer)


def sealer_of(dialect: Dialect) -> Sealer | None:
    return getattr(dialect, _DIALECT_ATTRIBUTE, None)


def _refuse(field: str) -> SealedWithoutKey:
    return SealedWithoutKey(f"读模型字段已加密但未配置密钥 (the read-model field {field} is sealed, and this "
                            f"engine has no key: make it with projections.db.make_engine(…, sealer=…))")


class SealedJSON(TypeDecorator[Any]):
    """A JSON column whose ``SEALED_KEYS`` are stored sealed (at any depth)."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        sealer = sealer_of(dialect)
        return value if sealer is None or value is None else sealer.seal_tree(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        sealer = sealer_of(dialect)
        if sealer is not None:
            return sealer.open_tree(value)
        if PREFIX in orjson.dumps(value).decode():
            raise _refuse("JSON")
        return value


class SealedText(TypeDecorator[str]):
    """A text column stored sealed."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        sealer = sealer_of(dialect)
        return value if sealer is None or value is None else sealer.seal(value, "text")

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or not value.startswith(PREFIX):
            return value
        sealer = sealer_of(dialect)
        if sealer is None:
            raise _refuse("text")
        opened = sealer.open(value, "text")
        return str(opened)


class LookupKey(TypeDecorator[str]):
    """A column holding the keyed hash of a value (an ID number): written and compared as the plain
    value, stored and read back as the hash — ``column == "110…"`` compares hashes."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        sealer = sealer_of(dialect)
        if value is None or sealer is None:
            return value.strip().upper() if value is not None else None
        return sealer.lookup(value)
