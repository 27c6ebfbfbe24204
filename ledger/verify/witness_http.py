"""The witness over HTTP, on the standard library's threading HTTP server (no Jishi needed).

    POST /add-checkpoint   {"old": int, "proof": [hex, ...], "head": {signed tree head}}
        200 {"witness", "key_id", "timestamp", "signature", "note_signature"}   the cosignature
        400 unusable request · 403 head not signed by the log · 404 unknown log
        409 {"size": N} the witness holds another size: resend with old = N
        422 the proof does not hold, or another root for a size already cosigned (split view)
        503 the witness could not save its state (nothing cosigned: send again later)
    GET /                  {"name", "public_key", "key_id", "logs": [origin, ...]}

Paths and status codes are C2SP ``tlog-witness``'s; the bodies are JSON because a Jishi head is
not a signed note (see :mod:`.cosignature`).  Errors are ``{"error": reason}``.
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives import serialization

from .cosignature import note_signature_line
from .encoding import key_id
from .witness import Refusal, Witness

__all__ = ["MAX_BODY", "make_server"]

MAX_BODY = 64 * 1024


def make_server(witness: Witness, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """A server (not yet serving: call ``serve_forever``) bound to ``host:port`` (0: a free port)."""
    public_key = witness.private_key.public_key().public_bytes(serialization.Encoding.Raw,
                                                               serialization.PublicFormat.Raw)

    class Handler(BaseHTTPRequestHandler):
        server_version = "jishi-witness/1"

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path != "/":
                self._send(404, {"error": "not found"})
                return
            self._send(200, {"name": witness.name, "public_key": public_key.hex(), "key_id": key_id(public_key),
                             "logs": sorted(witness.logs)})

        def do_POST(self) -> None:
            if self.path != "/add-checkpoint":
                self._send(404, {"error": "not found"})
                return
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                self._send(411, {"error": "a Content-Length is required"})
                return
            if not 0 < length <= MAX_BODY:
                self._send(413, {"error": f"the body must be 1 to {MAX_BODY} bytes"})
                return
            try:
                request = json.loads(self.rfile.read(length))
                cosignature = witness.add_checkpoint(request)
            except (UnicodeDecodeError, json.JSONDecodeError):
                self._send(400, {"error": "the body is not JSON"})
            except OSError as error:  # the state could not be saved: nothing was cosigned
                self._send(503, {"error": f"the witness cannot save its state: {error}"})
            except Refusal as refusal:
                body: dict[str, Any] = {"error": refusal.reason}
                if refusal.size is not None:
                    body["size"] = refusal.size
                self._send(refusal.status, body)
            else:
                self._send(200, {**cosignature, "note_signature": note_signature_line(cosignature, public_key)})

        def log_message(self, format: str, *args: Any) -> None:
            print(f"{self.address_string()} {format % args}", flush=True)

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server
