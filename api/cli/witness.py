"""`jishi witness …`: run a witness (见证方) that cosigns the tree heads of Jishi ledgers.

    jishi witness keygen --out KEY.pem
    jishi witness serve --key KEY --name NAME --log LOG_PUBLIC_KEY [--log …] [--state DIR] [--host H] [--port P]

The same program as ``python -m verify witness …`` in a copy of ``ledger/verify/`` (Python and
``cryptography`` only), which is what a witness office runs without Jishi; see README, 见证.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ledger.verify.cli import main as verifier_main

witness_app = typer.Typer(help="见证 Witness: cosign the ledger heads of a Jishi operator (C2SP tlog-witness).",
                          no_args_is_help=True)


@witness_app.command("keygen")
def keygen(out: Annotated[Path, typer.Option("--out", help="Where to write the new private key (PEM, 0600).")]) -> None:
    """Create a witness key and print its public key (give it to the operator and to auditors)."""
    raise typer.Exit(verifier_main(["witness", "keygen", "--out", str(out)]))


@witness_app.command("serve")
def serve(
    key: Annotated[str, typer.Option("--key", help="The witness's private key: 64 hex chars or a PEM file.")],
    name: Annotated[str, typer.Option("--name", help="The witness's name, e.g. jijian.example.gov.cn/w1.")],
    log: Annotated[list[str], typer.Option("--log", help="A witnessed ledger's public key (hex or PEM file).")],
    state: Annotated[Path, typer.Option("--state", help="Directory of the witness's durable state.")] = Path(
        "./witness-state"),
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535)] = 7380,
) -> None:
    """Serve POST /add-checkpoint: check each head against the last one cosigned, then cosign it."""
    argv = ["witness", "serve", "--key", key, "--name", name, "--state", str(state), "--host", host,
            "--port", str(port)]
    for each in log:
        argv += ["--log", each]
    raise typer.Exit(verifier_main(argv))
