"""A throwaway PostgreSQL server for the test session, from the Debian binaries.

PostgreSQL refuses to run as root, so when the tests run as root (CI) the server runs as
the ``postgres`` system user that the Debian package creates. It listens on loopback and
a private socket directory, with durability off (fsync) since it lives for one session.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg


def find_bindir() -> Path:
    explicit = os.environ.get("JISHI_PG_BINDIR")
    if explicit:
        return Path(explicit)
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                        key=lambda p: int(p.split("/")[4]))
    if not candidates:
        msg = ("PostgreSQL server binaries not found: install Debian's `postgresql` package "
               "(apt-get install postgresql) or set JISHI_PG_BINDIR")
        raise RuntimeError(msg)
    return Path(candidates[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    def __init__(self, root: Path | None = None) -> None:
        """A server in a fresh temporary directory, or in ``root`` (kept: a later server on the same
        ``root`` starts the same cluster again, its databases as they were)."""
        self.bindir = find_bindir()
        self.kept = root is not None
        self.root = Path(tempfile.mkdtemp(prefix="jishi-pg-")) if root is None else root
        self.data = self.root / "data"
        self.port = _free_port()
        self.user = "postgres"
        self._as_root = os.geteuid() == 0
        self._counter = 0

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self._as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, text=True)

    def start(self) -> PostgresServer:
        self.root.mkdir(parents=True, exist_ok=True)
        if self._as_root:
            shutil.chown(self.root, "postgres", "postgres")
        if not (self.data / "PG_VERSION").exists():
            self._run("initdb", "-D", str(self.data), "-U", self.user, "-A", "trust",
                      "-E", "UTF8", "--locale=C.UTF-8")
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=300")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                  str(self.root / "server.log"), "-w", "start")
        return self

    def stop(self) -> None:
        """Stop the server; a kept one cleanly (its data stays), a temporary one removed."""
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast" if self.kept else "immediate", "-w", "stop")
        finally:
            if not self.kept:
                shutil.rmtree(self.root, ignore_errors=True)

    def create_database(self, name: str | None = None) -> str:
        """A new empty database (or ``name``, created unless it exists); returns its name."""
        if name is None:
            self._counter += 1
            name = f"jishi_test_{self._counter}"
        with psycopg.connect(host="127.0.0.1", port=self.port, user=self.user,
                             dbname="postgres", autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
                conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def url(self, dbname: str) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{dbname}"
