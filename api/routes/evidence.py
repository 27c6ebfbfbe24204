"""证据包 The offline evidence bundle of one cadre (API.md v1.1), for auditors.

``GET /api/v1/cadres/{cadre_id}/evidence?as_of=&known_at=`` answers a zip: the cadre's stored records
with an inclusion proof of each against one signed tree head, that head and the public key, the
growth file as JSON and as a printable page, and the standalone verifier (``api/evidence.py``).
A cadre outside the auditor's scope is answered 404, exactly as one that does not exist; the read
is recorded like a growth-file read (查阅留痕).
"""

from __future__ import annotations

from functools import partial
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path
from starlette.responses import Response

from api.auth import AUDITORS, masked_for, require
from api.deps import AsOf, KnownAt, RequestId, RuntimeDep, ScopeDep, known_instant
from api.evidence import build_bundle
from domain.users import Principal
from service.users import record_read

router = APIRouter(prefix="/api/v1/cadres", tags=["cadres 干部"])
RequireAuditor = Annotated[Principal, Depends(require(*AUDITORS))]
CadreId = Annotated[UUID, Path(description="干部 id (uuid5 of cadre_no)")]
ZIP = "application/zip"


@router.get("/{cadre_id}/evidence", response_class=Response,
            responses={200: {"content": {ZIP: {"schema": {"type": "string", "format": "binary"}}},
                             "description": "证据包 zip: records, proofs, head, public key, growth file, verifier"}})
def evidence(cadre_id: CadreId, user: RequireAuditor, runtime: RuntimeDep, rid: RequestId, scope: ScopeDep,
             as_of: AsOf = None, known_at: KnownAt = None) -> Response:
    """证据包: the cadre's stored records, each proven against one signed tree head, with the growth file
    on `as_of` as known at `known_at` (default now; not later) and the offline verifier — check it with
    `python verifier.py bundle .` in the unzipped directory. Auditors only; out of scope → 404."""
    bundle = build_bundle(runtime, cadre_id, as_of or runtime.app.today(), known_instant(known_at), scope=scope,
                          masked=partial(masked_for, user), encrypted=bool(runtime.settings.cipher_key))
    record_read(runtime.app, cadre_id, user.provenance(rid))
    return Response(bundle.content, media_type=ZIP, headers={
        "Content-Disposition": f'attachment; filename="{bundle.filename}"', "Cache-Control": "no-store"})
