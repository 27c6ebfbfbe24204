"""账本 (the signed RFC 6962 ledger) and 查阅留痕 (who read whose growth file, when).

The ledger page shows the signed tree head and checks one record's inclusion the way an outside auditor
would with ``ledger/verify``: the leaf hash recomputed from the stored record itself, the audit path
folded up to the signed root, the head's Ed25519 signature checked under the public key offered for
download. Who may see what is the API's (``api/routes/ledger.py``, ``GET /api/v1/audit/reads``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.auth import AUDITORS
from api.pages import reads
from api.pages.render import Reader, _role, html_errors, render, start_timer, status_of, timed
from api.pages.session import Session
from domain.bulk_reads import KIND_LABELS
from domain.errors import JishiError, NotFoundError
from jishi.bootstrap import Runtime
from ledger.ledger import Ledger
from ledger.verify.encoding import record_leaf_hash
from ledger.verify.heads import verify_tree_head
from ledger.verify.proofs import verify_inclusion
from service.bulk_reads import bulk_reads, visible_to
from service.users import reads as recorded_reads

router = APIRouter(include_in_schema=False, dependencies=[Depends(start_timer)])
Auditor = Annotated[Session, Depends(_role(*AUDITORS))]  # 查阅留痕 is the auditors' (as the API)
READ_LOG_PAGE = 50
MAX_POSITION = 2**63 - 1


def _ledger(runtime: Runtime) -> Ledger:
    """The runtime's ledger, first given what the event store holds and it has not seen yet (as the API)."""
    runtime.ledger.sync(runtime.app.recorder)
    return runtime.ledger


def _position(raw: str) -> tuple[int | None, str | None]:
    if not raw:
        return None, None
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_POSITION:
        return None, "请输入正整数的记录位置"
    return int(raw), None


def inclusion_check(runtime: Runtime, ledger: Ledger, head: dict[str, Any], position: int) -> dict[str, Any]:
    """The three checks an auditor makes for one record, each as the page shows it."""
    proof = ledger.inclusion(position, int(head["size"]))
    found = runtime.app.recorder.select_notifications(position, 1, stop=position)
    record = found[0] if found and found[0].id == position else None
    leaf = record_leaf_hash(record.id, record.originator_id, record.originator_version, record.topic,
                            record.state) if record is not None else b""
    path = [bytes.fromhex(p) for p in proof["proof"]]
    root = bytes.fromhex(str(head["root_hash"]))
    steps = [
        ("记录哈希与账本叶子一致（由存储的原始记录重新计算）", record is not None and leaf.hex() == proof["leaf_hash"]),
        ("审计路径自该叶子推算出已签名的树根", verify_inclusion(leaf, proof["index"], proof["size"], path, root)),
        ("树头签名有效（Ed25519，公钥见下载）", verify_tree_head(head, ledger.public_key)),
    ]
    return {**proof, "computed_leaf": leaf.hex(), "steps": steps, "ok": all(ok for _, ok in steps)}


@router.get("/ledger")
@html_errors
def ledger_page(request: Request, session: Reader) -> Response:
    """账本: the signed tree head (size, root, time, key id) and the check of one record's inclusion."""
    runtime: Runtime = request.app.state.runtime
    user = session.principal
    raw = (request.query_params.get("position") or "").strip()
    position, problem = _position(raw)
    errors = {"position": problem} if problem else {}
    with timed(request, "ledger"):
        ledger = _ledger(runtime)
        tree_head = ledger.head(sign=True)
        assert tree_head is not None
        head: dict[str, Any] = dict(tree_head)
        check = None
        if position is not None and not errors:
            visible = user.scopes is None or runtime.read_models.event_visible(position, user.scopes)
            try:
                if not visible:
                    raise NotFoundError("out of scope")  # as a position the ledger does not hold (as the API)
                check = inclusion_check(runtime, ledger, head, position)
            except JishiError:
                errors["position"] = f"账本中没有位置 {position} 的记录（或不在您的管辖范围内）"
    return render(request, "ledger.html", {
        "nav": "ledger", "head": head, "signed_at": datetime.fromtimestamp(int(head["timestamp"]) / 1000, UTC),
        "head_ok": verify_tree_head(head, ledger.public_key),
        "public_key": ledger.public_key.hex(), "raw": raw, "check": check, "errors": errors},
        status=status_of(errors))


@router.get("/ledger/public-key")
def public_key(request: Request, session: Reader) -> Response:
    """The ledger's Ed25519 public key as a PEM file (``python -m ledger.verify head HEAD.json KEY.pem``)."""
    runtime: Runtime = request.app.state.runtime
    key = runtime.ledger.public_key
    pem = Ed25519PublicKey.from_public_bytes(key).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    name = f"jishi-ledger-{runtime.ledger.key_id[:16]}.pem"
    return Response(pem, media_type="application/x-pem-file", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff"})


@router.get("/reads")
@html_errors
def read_log(request: Request, session: Auditor) -> Response:
    """查阅留痕: who read which growth file, when — oldest first, a page at a time (auditors; a scoped auditor
    sees the reads of the cadres ever in their scope)."""
    runtime: Runtime = request.app.state.runtime
    user = session.principal
    raw = {k: (request.query_params.get(k) or "").strip() for k in ("after", "cadre", "bulk_after")}
    errors: dict[str, str] = {}
    after, bulk_after = 0, 0
    for key in ("after", "bulk_after"):
        if raw[key]:
            if raw[key].isdigit() and int(raw[key]) <= MAX_POSITION:
                after, bulk_after = (int(raw[key]), bulk_after) if key == "after" else (after, int(raw[key]))
            else:
                errors[key] = "翻页位置无效"
    cadre_id = None
    if raw["cadre"]:
        try:
            cadre_id = UUID(raw["cadre"])
        except ValueError:
            errors["cadre"] = "干部编号格式不正确"
    items: list[dict[str, Any]] = []
    next_after = None
    if not errors:
        visible: Callable[[UUID], bool] | None = None
        if user.scopes is not None:
            if cadre_id is not None and runtime.read_models.cadre_reach(cadre_id, user.scopes) is None:
                raise NotFoundError(f"干部不存在 (no such cadre): {cadre_id}")
            ever = runtime.read_models.cadres_ever_in_scope(user.scopes) or set()
            visible = (lambda c: str(c) in ever)  # noqa: E731
        with timed(request, "read"):
            items = recorded_reads(runtime.app, cadre_id, after=after, limit=READ_LOG_PAGE, visible=visible)
        next_after = items[-1]["position"] if len(items) == READ_LOG_PAGE else None
    bulk, bulk_next = _bulk_reads(runtime, user, bulk_after) if not errors else ([], None)
    shown = {str(i["cadre_id"]) for i in items} | ({str(cadre_id)} if cadre_id else set())
    names = reads.cadre_names(runtime, user, shown, runtime.app.today())
    return render(request, "read_log.html", {
        "nav": "reads", "items": items, "names": names, "raw": raw, "errors": errors, "after": after,
        "next_after": next_after, "cadre_id": cadre_id, "bulk": bulk, "bulk_next": bulk_next,
        "bulk_after": bulk_after, "kind_labels": KIND_LABELS,
        "cadre_name": names.get(str(cadre_id)) if cadre_id else None}, status=status_of(errors))


def _bulk_reads(runtime: Runtime, user: Any, after: int) -> tuple[list[dict[str, Any]], int | None]:
    """批量查阅: a page of the recorded feed pages, searches, exports and prints the auditor may see."""
    scope = user.scopes
    visible = None if scope is None else visible_to(scope, runtime.read_models.units_in_scope(scope),
                                                     runtime.read_models.cadres_ever_in_scope(scope))
    items = bulk_reads(runtime.app, after=after, limit=READ_LOG_PAGE, visible=visible)
    return items, (items[-1]["position"] if len(items) == READ_LOG_PAGE else None)
