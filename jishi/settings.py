"""One validated place for the process settings (JISHI_* environment variables)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str | None = None
    cipher_key: str | None = None  # base64; None: <data_dir>/cipher.key (jishi/cipher.py)
    cipher: str = "aes"  # aes (AES-256-GCM) | sm4 (SM4-GCM, GB/T 39786) | none (a store made before encryption)
    ledger_key: str | None = None  # hex Ed25519 seed or a PEM path; else <data_dir>/ledger-ed25519.pem
    ledger_head_every: int = 1000  # sign a ledger tree head every N appended events
    max_body_bytes: int = 1 << 20  # a request body larger than this is refused (413) before it is read
    max_upload_bytes: int = 32 << 20  # the same for a file upload (multipart/form-data: imports)
    header_timeout: float = 10.0  # seconds from a request's first byte to the end of its headers
    body_timeout: float = 30.0  # seconds the server waits for the next part of a request body
    rate_reads: int = 1200  # reads a user may make a minute (a bucket: a minute's worth at once); 0: no limit
    rate_writes: int = 300  # writes a user may make a minute; 0: no limit
    witnesses: Path | None = None  # a witness policy file (witness NAME KEY URL lines, quorum K); None: no witnesses
    witness_interval: int = 60  # seconds between cosigning rounds when nothing new is written (retries)
    # sign-in for people (service/signin.py, service/sessions.py)
    session_idle_minutes: int = 30  # a session unused this long ends
    session_hours: int = 8  # a session ends this long after sign-in, used or not
    totp_roles: frozenset[str] = frozenset({"admin", "hr", "auditor", "oversight"})  # admin always
    signin_delay_after: int = 3  # failures in a row before each further attempt must wait (doubling)
    signin_lockout_after: int = 5  # failures in a row that lock a user
    signin_address_lockout_after: int = 20  # failures in a row from one address that lock the address
    signin_lockout_minutes: int = 15  # how long a lockout lasts (an admin may lift it earlier)
    token_days: int = 90  # an API token's default lifetime
    response_cache_bytes: int = 64 << 20  # rendered roster / growth-file answers kept per worker (0: none)
    rebuild_processes: int | None = None  # processes of a bulk rebuild (1 to 16); None: min(2, cores)

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            data_dir=Path(os.environ.get("JISHI_DATA_DIR", "./jishi-data")),
            database_url=os.environ.get("JISHI_DATABASE_URL") or None,
            cipher_key=os.environ.get("JISHI_CIPHER_KEY") or None,
            cipher=_cipher(os.environ.get("JISHI_CIPHER") or "aes"),
            ledger_key=os.environ.get("JISHI_LEDGER_KEY") or None,
            ledger_head_every=_positive_int("JISHI_LEDGER_HEAD_EVERY", 1000),
            max_body_bytes=_positive_int("JISHI_MAX_BODY_BYTES", cls.max_body_bytes),
            max_upload_bytes=_positive_int("JISHI_MAX_UPLOAD_BYTES", cls.max_upload_bytes),
            header_timeout=_positive_int("JISHI_HEADER_TIMEOUT", int(cls.header_timeout)),
            body_timeout=_positive_int("JISHI_BODY_TIMEOUT", int(cls.body_timeout)),
            rate_reads=_count("JISHI_RATE_READS", cls.rate_reads),
            rate_writes=_count("JISHI_RATE_WRITES", cls.rate_writes),
            witnesses=Path(os.environ["JISHI_WITNESSES"]) if os.environ.get("JISHI_WITNESSES") else None,
            witness_interval=_positive_int("JISHI_WITNESS_INTERVAL", cls.witness_interval),
            session_idle_minutes=_positive_int("JISHI_SESSION_IDLE_MINUTES", cls.session_idle_minutes),
            session_hours=_positive_int("JISHI_SESSION_HOURS", cls.session_hours),
            totp_roles=_totp_roles(os.environ.get("JISHI_TOTP_ROLES")),
            signin_delay_after=_positive_int("JISHI_SIGNIN_DELAY_AFTER", cls.signin_delay_after),
            signin_lockout_after=_positive_int("JISHI_SIGNIN_LOCKOUT_AFTER", cls.signin_lockout_after),
            signin_address_lockout_after=_positive_int("JISHI_SIGNIN_ADDRESS_LOCKOUT_AFTER",
                                                       cls.signin_address_lockout_after),
            signin_lockout_minutes=_positive_int("JISHI_SIGNIN_LOCKOUT_MINUTES", cls.signin_lockout_minutes),
            token_days=_positive_int("JISHI_TOKEN_DAYS", cls.token_days),
            response_cache_bytes=_count("JISHI_RESPONSE_CACHE_MB", cls.response_cache_bytes >> 20) << 20,
            rebuild_processes=_rebuild_processes(os.environ.get("JISHI_REBUILD_PROCESSES")),
        )

    @property
    def backend(self) -> str:
        return "postgres" if self.database_url else "sqlite"

    def event_store_env(self) -> dict[str, str]:
        """Translate our settings into the eventsourcing library's environment."""
        env: dict[str, str] = {}
        if self.database_url:
            url = urlparse(self.database_url)
            if url.scheme not in ("postgresql", "postgres", "postgresql+psycopg"):
                msg = f"JISHI_DATABASE_URL must be postgresql://…, got {url.scheme}://"
                raise ValueError(msg)
            env.update({
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "POSTGRES_DBNAME": url.path.lstrip("/"),
                "POSTGRES_HOST": unquote(url.hostname or "localhost"),
                "POSTGRES_PORT": str(url.port or 5432),
                "POSTGRES_USER": unquote(url.username or "postgres"),
                "POSTGRES_PASSWORD": unquote(url.password or ""),
            })
        else:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            env.update({
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.data_dir / "events.sqlite"),
                "SQLITE_LOCK_TIMEOUT": "30",
            })
        if self.cipher_key and self.cipher != "none":
            env["CIPHER_KEY"] = self.cipher_key
            # AES-GCM from `cryptography` (a dependency; the library's default needs pycryptodome),
            # or SM4-GCM (jishi/cipher.py)
            env["CIPHER_TOPIC"] = CIPHER_TOPICS[self.cipher]
            env["COMPRESSOR_TOPIC"] = "eventsourcing.compressor:ZlibCompressor"
        return env

    def sqlalchemy_url(self) -> str:
        """Where the read models live: beside the events."""
        if self.database_url:
            url = self.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
            return url.replace("postgres://", "postgresql+psycopg://", 1)
        return f"sqlite:///{self.data_dir / 'read.sqlite'}"


def _totp_roles(raw: str | None) -> frozenset[str]:
    """``JISHI_TOTP_ROLES``: the roles that must give a TOTP code (comma-separated); admin always must."""
    if raw is None:
        return Settings.totp_roles
    roles = {part.strip() for part in raw.split(",") if part.strip()}
    unknown = roles - {"admin", "hr", "auditor", "oversight"}
    if unknown:
        msg = f"JISHI_TOTP_ROLES 含未知角色 (unknown roles): {', '.join(sorted(unknown))}"
        raise ValueError(msg)
    return frozenset(roles | {"admin"})


# AES: the library's cipher with its AESGCM made once (jishi/cipher.py); it reads and writes the same layout
CIPHER_TOPICS = {"aes": "jishi.cipher:AESCipher", "sm4": "jishi.cipher:SM4Cipher"}


def _cipher(raw: str) -> str:
    value = raw.strip().lower()
    if value not in ("aes", "sm4", "none"):
        msg = f"JISHI_CIPHER 须为 aes、sm4 或 none (must be aes, sm4 or none), got {raw!r}"
        raise ValueError(msg)
    return value


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        msg = f"{name} 须为正整数 (must be a positive integer), got {raw!r}"
        raise ValueError(msg)
    return value


MAX_REBUILD_PROCESSES = 16


def _rebuild_processes(raw: str | None) -> int | None:
    """JISHI_REBUILD_PROCESSES: a whole number from 1 (one process, no workers) to MAX_REBUILD_PROCESSES;
    unset or empty: None (min(2, cores))."""
    if raw is None or not raw.strip():
        return None
    value = int(raw) if raw.strip().isdigit() else 0
    if not 1 <= value <= MAX_REBUILD_PROCESSES:
        msg = (f"JISHI_REBUILD_PROCESSES 须为 1 到 {MAX_REBUILD_PROCESSES} 之间的整数 "
               f"(must be a whole number from 1 to {MAX_REBUILD_PROCESSES}), got {raw!r}")
        raise ValueError(msg)
    return value


def _count(name: str, default: int) -> int:
    """A whole number ≥ 0 (0: off)."""
    raw = os.environ.get(name)
    if not raw:
        return default
    if not raw.isdigit():
        msg = f"{name} 须为非负整数 (must be a whole number, 0 for no limit), got {raw!r}"
        raise ValueError(msg)
    return int(raw)
