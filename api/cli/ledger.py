"""`jishi ledger …`: the tamper-evident ledger from the command line (账本).

    jishi ledger sync                                  append records not yet in the ledger
    jishi ledger head [--sign] [--out F] [--key-out K] the latest signed tree head (+ public key)
    jishi ledger prove inclusion --position P [--size S] [--record]
    jishi ledger prove consistency --first M [--second N]
    jishi ledger verify [--head F] [--public-key K] [--policy P]   recompute from the event store
                                                       (and require P's witness quorum on a head)
    jishi ledger cosign                                send the current head to the witnesses now

Proofs and heads are printed as JSON in the offline verifier's format
(``python -m ledger.verify inclusion|consistency|head …``, or ``python -m verify …`` beside a copy
of the directory ``ledger/verify/``).
Exit status: 0 fine, 1 the ledger diverges (or there is no head yet), 2 unusable input,
4 unknown position.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from domain.errors import JishiError
from jishi.bootstrap import open_ledger
from ledger.keys import LedgerKeyError, public_key_hex, public_key_pem
from ledger.ledger import Ledger, VerifyReport, export_record
from ledger.report import divergence
from ledger.verify.policy import Policy, PolicyError, check_quorum, parse_policy
from ledger.witnessing import Witnessing
from service.application import Jishi

ledger_app = typer.Typer(help="账本 Tamper-evident ledger: signed tree heads, RFC 6962 proofs, verification.",
                         no_args_is_help=True)
prove_app = typer.Typer(help="RFC 6962 proofs as JSON, for the offline verifier.", no_args_is_help=True)
ledger_app.add_typer(prove_app, name="prove")

EXIT_DIVERGED, EXIT_INPUT = 1, 2


@contextmanager
def _opened() -> Iterator[tuple[Jishi, Ledger]]:
    from api.cli.store import existing_settings
    from jishi.bootstrap import build_application

    settings = existing_settings()
    try:
        ledger = open_ledger(settings, create_key=False)  # a command never writes a key (`jishi init` does)
    except LedgerKeyError as error:
        typer.echo(f"错误 (error): {error}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    application = build_application(settings)
    try:
        yield application, ledger
    except JishiError as error:
        from api.problems import classify

        typer.echo(f"错误 (error): {error}", err=True)
        status = classify(error)
        raise typer.Exit(status[1] if status else 1) from None
    finally:
        ledger.close()
        application.close()


def _emit(data: Any, out: Path | None) -> None:
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"已保存 (saved): {out}", err=True)
    else:
        typer.echo(text)


@ledger_app.command("sync")
def sync() -> None:
    """Append every stored event the ledger has not seen yet (signing heads every N)."""
    with _opened() as (application, ledger):
        appended = ledger.sync(application.recorder)
        typer.echo(f"已记入账本 (appended): {appended}; 账本大小 (ledger size): {ledger.size}")


@ledger_app.command("head")
def head(
    sign: Annotated[bool, typer.Option("--sign", help="Catch up and sign a head for the current size now.")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Write the head JSON to this file (else stdout).")] = None,
    key_out: Annotated[Path | None, typer.Option("--key-out", help="Write the public key (PEM) to this file.")] = None,
    witnessed: Annotated[bool, typer.Option("--witnessed", help=(
        "The largest head the witness quorum (JISHI_WITNESSES) cosigned, with the cosignatures."))] = False,
) -> None:
    """Print the latest signed tree head as JSON, and the public key that verifies it."""
    with _opened() as (application, ledger):
        if sign:
            ledger.sync(application.recorder)
        tree_head: dict[str, Any] | None
        if witnessed:
            witnessing = _witnessing(ledger)
            found = witnessing.latest_witnessed()
            tree_head = None if found is None else {**found, "cosignatures": witnessing.cosignatures(found["size"])}
        else:
            latest = ledger.head(sign=sign)
            tree_head = dict(latest) if latest is not None else None
        if key_out is not None:
            key_out.write_bytes(public_key_pem(ledger.signing_key))
        typer.echo(f"公钥 (Ed25519 public key, hex): {public_key_hex(ledger.signing_key)}", err=True)
        if tree_head is None:
            typer.echo("尚无见证法定数副签的树头 (no head is cosigned by the witness quorum yet): run `jishi ledger "
                       "cosign`" if witnessed else "尚无签名树头 (no signed tree head yet): run `jishi ledger head "
                       "--sign`", err=True)
            raise typer.Exit(EXIT_DIVERGED)
        signed_at = datetime.fromtimestamp(tree_head["timestamp"] / 1000, UTC).isoformat(timespec="seconds")
        typer.echo(f"树头 (tree head): size {tree_head['size']}, root {tree_head['root_hash']}, "
                   f"signed {signed_at}, key_id {tree_head['key_id']}", err=True)
        _emit(tree_head, out)


@prove_app.command("inclusion")
def prove_inclusion(
    position: Annotated[int, typer.Option("--position", min=1, help="The event's position (notification id).")],
    size: Annotated[int | None, typer.Option("--size", min=1, help="Tree size to prove in (default: current).")] = None,
    record: Annotated[bool, typer.Option("--record", help="Embed the stored record instead of its leaf hash.")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Write the JSON to this file (else stdout).")] = None,
) -> None:
    """Audit path of one event: shows it is in the tree of that size."""
    with _opened() as (application, ledger):
        ledger.sync(application.recorder)
        proof = ledger.inclusion(position, size)
        if record:
            found = application.recorder.select_notifications(position, 1)
            if not found or found[0].id != position:
                typer.echo(f"错误 (error): 事件库中没有位置 {position} 的记录 (no record at position {position} in "
                           "the event store)", err=True)
                raise typer.Exit(EXIT_DIVERGED)
            del proof["leaf_hash"]
            proof["record"] = export_record(found[0])
        _emit(proof, out)


@prove_app.command("consistency")
def prove_consistency(
    first: Annotated[int, typer.Option("--first", min=1, help="The earlier tree size (e.g. a saved head's).")],
    second: Annotated[int | None, typer.Option("--second", min=1, help="The later size (default: current).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write the JSON to this file (else stdout).")] = None,
) -> None:
    """Consistency proof: the tree of size FIRST is a prefix of the tree of size SECOND."""
    with _opened() as (application, ledger):
        ledger.sync(application.recorder)
        _emit(ledger.consistency(first, second), out)


@ledger_app.command("verify")
def verify(
    head_file: Annotated[Path | None, typer.Option("--head", help="A signed head saved earlier (JSON).")] = None,
    public_key: Annotated[str | None, typer.Option(
        "--public-key", help="The public key you saved (64 hex chars or a PEM file); default: the ledger's.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    policy_file: Annotated[Path | None, typer.Option("--policy", help=(
        "A witness policy (witness NAME KEY lines, quorum K): the saved head (--head), else the largest stored "
        "head, must be cosigned by the quorum."))] = None,
) -> None:
    """Recompute every leaf from the event store and compare; exit 1 at the first divergence."""
    saved = _load_head(head_file) if head_file is not None else None
    key = _load_public_key(public_key) if public_key is not None else None
    policy = _load_policy(policy_file) if policy_file is not None else None
    witnessed: list[str] = []
    with _opened() as (application, ledger):
        report = _verify_with_progress(ledger, application, saved, key)
        if policy is not None:
            witnessed = _check_witnesses(ledger, policy, saved, key or ledger.public_key, report)
    if as_json:
        typer.echo(json.dumps({**report.as_dict(), "witnessed_by": witnessed}, indent=2, ensure_ascii=False))
    else:
        for line in report.lines():
            typer.echo(line)
        if witnessed and report.ok:
            typer.echo(f"见证法定数已满足 (witness quorum met): {', '.join(witnessed)}")
    if not report.ok:
        raise typer.Exit(EXIT_DIVERGED)


def _verify_with_progress(ledger: Ledger, application: Jishi, saved: dict[str, Any] | None,
                          key: bytes | None) -> VerifyReport:
    console = Console(stderr=True)
    if not console.is_terminal:
        return ledger.verify(application.recorder, saved, public_key=key)
    columns = (TextColumn("[bold]账本核验 verifying"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("verify", total=ledger.size)
        return ledger.verify(application.recorder, saved, public_key=key,
                             progress=lambda done, total: progress.update(task, completed=done, total=total))


def _load_head(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        typer.echo(f"错误 (error): 无法读取树头 (cannot read the head) {path}: {error}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    if not isinstance(data, dict) or not {"size", "root_hash", "timestamp", "signature", "key_id"} <= data.keys():
        typer.echo(f"错误 (error): {path} 不是签名树头 (is not a signed tree head JSON)", err=True)
        raise typer.Exit(EXIT_INPUT)
    return data


def _load_public_key(value: str) -> bytes:
    text = value.strip()
    if len(text) != 64 or any(c not in "0123456789abcdefABCDEF" for c in text):
        try:
            text = Path(value).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as error:
            typer.echo(f"错误 (error): 无法读取公钥 (cannot read the public key) {value}: {error}", err=True)
            raise typer.Exit(EXIT_INPUT) from None
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(text.encode("ascii"))
        except ValueError:
            key = None
        if isinstance(key, Ed25519PublicKey):
            return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    elif len(text) == 64:
        try:
            return bytes.fromhex(text)
        except ValueError:
            pass
    typer.echo(f"错误 (error): 不是 Ed25519 公钥 (not an Ed25519 public key): {value}", err=True)
    raise typer.Exit(EXIT_INPUT)


def _load_policy(path: Path) -> Policy:
    try:
        return parse_policy(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, PolicyError) as error:
        typer.echo(f"错误 (error): 见证策略不可用 (unusable witness policy) {path}: {error}", err=True)
        raise typer.Exit(EXIT_INPUT) from None


def _witnessing(ledger: Ledger, policy: Policy | None = None) -> Witnessing:
    from api.cli.store import existing_settings
    from jishi.bootstrap import open_witnessing

    if policy is not None:
        return Witnessing(ledger, policy)
    settings = existing_settings()
    if settings.witnesses is None:
        typer.echo("错误 (error): 未配置见证方 (no witnesses configured): set JISHI_WITNESSES to a policy file",
                   err=True)
        raise typer.Exit(EXIT_INPUT)
    try:
        return open_witnessing(settings, ledger)
    except ValueError as error:
        typer.echo(f"错误 (error): {error}", err=True)
        raise typer.Exit(EXIT_INPUT) from None


def _check_witnesses(ledger: Ledger, policy: Policy, saved: dict[str, Any] | None, key: bytes,
                     report: VerifyReport) -> list[str]:
    """The policy's quorum on the saved head, else on the largest stored head that has it; a divergence
    of kind ``witness`` when it is not met. Returns the witnesses that cosigned the head checked."""
    if saved is not None:
        head: dict[str, Any] | None = saved
        what_zh, what_en = f"保存的树头（大小 {saved.get('size')}）", f"the saved head of size {saved.get('size')}"
    else:
        witnessing = _witnessing(ledger, policy)
        found = witnessing.latest_witnessed()
        head = None if found is None else {**found, "cosignatures": witnessing.cosignatures(found["size"])}
        what_zh, what_en = "账本的树头", "the ledger's heads"
    result = check_quorum(head, policy, key) if head is not None else None
    if result is not None and result.ok:
        return result.cosigned
    got = len(result.cosigned) if result is not None else 0
    rejected = "; ".join(f"{w}: {why}" for w, why in result.rejected) if result is not None else ""
    report.divergences.append(divergence(
        "witness", None, f"{what_zh}没有 {policy.quorum} 个见证方的有效副签（只有 {got} 个）",
        f"{what_en} lack {policy.quorum} valid witness cosignatures (only {got})"
        + (f"; rejected {rejected}" if rejected else ""), head_size=head.get("size") if head else None))
    return result.cosigned if result is not None else []


@ledger_app.command("cosign")
def cosign() -> None:
    """Send the current head to the witnesses (JISHI_WITNESSES) now and store their cosignatures;
    exit 1 when any witness did not cosign (a server does this by itself after each write)."""
    with _opened() as (application, ledger):
        ledger.sync(application.recorder)
        outcomes = _witnessing(ledger).cosign()
    labels = {"cosigned": "已副签", "current": "已是最新", "refused": "拒绝", "unreachable": "无法连接",
              "invalid": "副签无效"}
    for outcome in outcomes:
        typer.echo(f"{outcome.witness}: {labels[outcome.status]} ({outcome.status}) {outcome.detail}".rstrip())
    if any(o.status not in ("cosigned", "current") for o in outcomes):
        raise typer.Exit(EXIT_DIVERGED)
