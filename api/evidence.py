"""证据包 The offline evidence bundle of one cadre (issue 23 §3), for `jishi evidence cadre` and
``GET /api/v1/cadres/{cadre_id}/evidence``.

A zip an auditor checks with Python and ``cryptography`` alone (``python verifier.py bundle .``): the
cadre's stored records exactly as stored, with positions; an RFC 6962 inclusion proof of each against
ONE signed tree head; that head and the ledger's public key; the growth file as of a day, as known at
an instant, as JSON and as a printable page; and the verifier (``ledger/verify/``).  The member
formats and what the verifier checks are in ``ledger/verify/bundle.py``.

The bundle is consistent by construction and checked before it leaves: the instant T is fixed first
(``known_at``, else now), the read models caught up, the growth file read, then the ledger synced and
one head signed over everything stored — so every record the growth file stands on is in that head.
A record of the cadre written concurrently between the read and the head (stamped before T, committed
after the read) would make the bundle disagree with itself; the builder runs the verifier's own check
on it and builds again (a few times) rather than hand out a bundle that does not verify.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.pages import growth, labels
from domain.errors import ConflictError, FieldError, NotFoundError, ValidationError
from jishi.bootstrap import Runtime
from ledger.keys import public_key_pem
from ledger.verify import check_bundle
from ledger.verify.bundle import BUNDLE_FORMAT
from projections.scope import Scope

__all__ = ["Bundle", "build_bundle", "stream_records"]

VERIFY_DIR = Path(__file__).resolve().parent.parent / "ledger" / "verify"
TEMPLATES = Path(__file__).resolve().parent / "templates"
ATTEMPTS = 3
_ENV = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)
README = """纪实 证据包 (Jishi evidence bundle)

核验 (verify), with Python 3.10+ and the `cryptography` package, offline, in this directory:

    python verifier.py bundle . --public-key 您持有的账本公钥 (the ledger public key you hold: PEM file or hex)

It checks the tree head's signature, each record's inclusion proof against that one head, that the
records are the cadre's stream in order with no gap, and that the growth file (growth-file.json) lists
exactly the entries those records give as of {as_of}, as known at {known_at}. Without --public-key it
checks against public-key.pem in this bundle and prints the key id to compare with yours.
{limit}
Members: manifest.json, head.json, public-key.pem, records.json (as stored, with positions),
proofs.json (RFC 6962 audit paths, leaf to root), growth-file.json, growth-file.html (the printable
page), verifier.py and verify/ (the verifier's source).
"""
VERIFIER_PY = '''"""Run the verifier from an unzipped evidence bundle: python verifier.py bundle . [--public-key KEY]

It needs Python 3.10+ and the cryptography package, nothing else (no network, no Jishi): the code is
the package verify/ beside this file (in Jishi: ledger/verify/, also run as python -m ledger.verify).
"""

import sys

from verify.cli import main

sys.exit(main())
'''
ENCRYPTED_LIMIT = """
记录为加密存储 (records are encrypted at rest): their bytes are proven as stored, but without the
cipher key the verifier cannot read them, so it checks only that every growth-file entry is a proven
record of this cadre, not what the entries say.
"""


@dataclass(frozen=True)
class Bundle:
    """A built bundle: the zip's bytes and what it covers."""

    content: bytes
    cadre_id: UUID
    as_of: date
    known_at: datetime
    head_size: int
    records: int

    @property
    def filename(self) -> str:
        return f"evidence-{self.cadre_id}-{self.as_of.isoformat()}.zip"


def stream_records(recorder: ApplicationRecorder, stream_id: UUID) -> list[dict[str, Any]]:
    """Every stored record of one stream, as stored and with its position, in version order."""
    datastore = getattr(recorder, "datastore", None)
    table = getattr(recorder, "events_table_name", "stored_events")
    module = type(recorder).__module__
    columns = "originator_version, topic, state"
    rows: list[tuple[int, int, str, bytes]]
    if module == "eventsourcing.sqlite" and datastore is not None:
        with datastore.transaction(commit=False) as c:
            c.execute(f"SELECT rowid, {columns} FROM {table} WHERE originator_id=? ORDER BY originator_version",
                      (stream_id.hex,))
            rows = [(int(r[0]), int(r[1]), str(r[2]), bytes(r[3])) for r in c.fetchall()]
    elif module == "eventsourcing.postgres" and datastore is not None:
        from psycopg.sql import SQL, Identifier

        with datastore.transaction(commit=False) as c:
            c.execute(SQL("SELECT notification_id, {} FROM {}.{} WHERE originator_id=%s "
                          "ORDER BY originator_version").format(
                SQL(columns), Identifier(datastore.schema or "public"), Identifier(table)), (stream_id,))
            rows = [(int(r["notification_id"]), int(r["originator_version"]), str(r["topic"]), bytes(r["state"]))
                    for r in c.fetchall()]
    else:  # the in-memory recorder
        rows = [(n.id, n.originator_version, n.topic, bytes(n.state))
                for n in recorder.select_notifications(start=None, limit=2**62) if n.originator_id == stream_id]
    return [{"position": p, "originator_id": str(stream_id), "originator_version": v, "topic": t,
             "state": s.hex()} for p, v, t, s in rows]


def build_bundle(runtime: Runtime, cadre_id: UUID, as_of: date, known_at: datetime | None, *,
                 scope: Scope = None, masked: Any = None, encrypted: bool = False) -> Bundle:
    """The evidence bundle of ``cadre_id`` as of ``as_of`` known at ``known_at`` (default: now).

    A cadre out of ``scope`` is answered as one that does not exist (NotFoundError, from the growth
    file read); ``masked`` (a function) masks the growth file for the reader's role.
    """
    now = datetime.now(UTC)
    instant = (known_at if known_at.tzinfo else known_at.replace(tzinfo=UTC)) if known_at else now
    if instant > now:
        raise ValidationError([FieldError("known_at", "不能晚于当前时刻 (must not be later than now: a bundle "
                                                      "proves what is stored)")])
    for _ in range(ATTEMPTS):
        bundle = _attempt(runtime, cadre_id, as_of, instant, scope, masked, encrypted)
        if bundle is not None:
            return bundle
    raise ConflictError("证据包在生成时记录仍在变化，请稍后重试 (the cadre's record changed while the bundle was "
                        "built; try again)")


def _attempt(runtime: Runtime, cadre_id: UUID, as_of: date, instant: datetime, scope: Scope, masked: Any,
             encrypted: bool) -> Bundle | None:
    runtime.catch_up()
    found: dict[str, Any] = runtime.read_models.growth_file(cadre_id, as_of, instant, scope=scope)
    gf = masked(found) if masked is not None else found
    ledger = runtime.ledger
    ledger.sync(runtime.app.recorder)
    head = ledger.head(sign=True)
    if head is None:  # pragma: no cover — sign=True always answers a head
        raise NotFoundError("账本尚无树头 (the ledger has no head)")
    records, proofs = [], []
    for record in stream_records(runtime.app.recorder, cadre_id):
        try:
            proof = ledger.inclusion(record["position"], head["size"])
        except (NotFoundError, ValidationError):
            break  # stored after the head: not in this bundle (nor in the growth file, read before)
        records.append(record)
        proofs.append({"position": proof["position"], "index": proof["index"], "size": proof["size"],
                       "root_hash": proof["root_hash"], "proof": proof["proof"]})
    if not records:
        raise NotFoundError(f"干部不存在 (no such cadre): {cadre_id}")
    manifest = {"format": BUNDLE_FORMAT, "cadre_id": str(cadre_id), "as_of": as_of.isoformat(),
                "known_at": instant.isoformat(), "created_at": datetime.now(UTC).isoformat(),
                "encrypted": encrypted, "head_size": head["size"], "key_id": head["key_id"],
                "records": len(records)}
    checked = {
        "manifest.json": _json(manifest), "head.json": _json(head),
        "public-key.pem": public_key_pem(ledger.signing_key), "records.json": _json(records),
        "proofs.json": _json(proofs), "growth-file.json": _json(gf),
    }
    if not check_bundle(checked, ledger.public_key).ok:
        return None
    page = _ENV.get_template("evidence_growth_file.html").render(
        gf=gf, manifest=manifest, head=head, groups=growth.timeline_groups(gf["timeline"]),
        status_labels=labels.STATUS_LABELS)
    readme = README.format(as_of=as_of.isoformat(), known_at=instant.isoformat(),
                           limit=ENCRYPTED_LIMIT if encrypted else "")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in checked.items():
            archive.writestr(name, content)
        archive.writestr("growth-file.html", page.encode("utf-8"))
        archive.writestr("README.txt", readme.encode("utf-8"))
        archive.writestr("verifier.py", VERIFIER_PY.encode("utf-8"))
        for source in sorted(VERIFY_DIR.glob("*.py")):
            archive.writestr(f"verify/{source.name}", source.read_bytes())
    return Bundle(buffer.getvalue(), cadre_id, as_of, instant, head["size"], len(records))


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)  # UUID, Decimal


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1, default=_plain) + "\n").encode("utf-8")
