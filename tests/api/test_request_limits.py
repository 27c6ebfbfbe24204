"""Limits on what one request may cost (等保 resource control): a body over the limit is refused with 413
before it is read and before the token is looked at; a body that trickles is answered 408; a request whose
headers do not complete is cut off. Each limit is configurable (JISHI_MAX_BODY_BYTES, JISHI_MAX_UPLOAD_BYTES,
JISHI_BODY_TIMEOUT, JISHI_HEADER_TIMEOUT)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from api.app import create_app
from api.limits import HeaderTimeoutProtocol
from jishi.bootstrap import Runtime, build_runtime
from jishi.settings import Settings


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    settings = replace(Settings(data_dir=Path(tmp_path_factory.mktemp("limits"))), max_body_bytes=1000,
                       max_upload_bytes=5000, body_timeout=1.0)
    runtime = build_runtime(settings)
    yield runtime
    runtime.close()


@pytest.fixture(scope="module")
def api(small: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(small, follow=False)) as client:
        yield client


def test_a_body_declared_over_the_limit_is_refused_with_413_before_the_token_is_looked_at(api: TestClient) -> None:
    response = api.post("/api/v1/units", content=b"x" * 1001, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "1,000" in response.json()["detail"]
    assert response.headers.get("x-request-id")


def test_a_body_at_the_limit_reaches_the_application(api: TestClient) -> None:
    response = api.post("/api/v1/units", content=b"x" * 1000, headers={"Content-Type": "application/json"})
    assert response.status_code == 422  # read and judged (not JSON): the limit let it through


def test_a_body_sent_without_a_length_is_counted_and_refused_when_it_passes_the_limit(api: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(11):
            yield b"y" * 100

    response = api.post("/api/v1/units", content=chunks(), headers={"Content-Type": "application/json",
                                                                      "Authorization": "Bearer nobody.secret"})
    assert response.status_code == 413
    assert "1,000" in response.json()["detail"]


def test_a_file_upload_has_its_own_larger_limit(api: TestClient) -> None:
    within = api.post("/api/v1/units", files={"file": ("a.xlsx", b"z" * 3000)})
    assert within.status_code != 413
    over = api.post("/api/v1/units", files={"file": ("a.xlsx", b"z" * 6000)})
    assert over.status_code == 413


def test_a_content_length_that_is_not_a_number_is_refused(api: TestClient) -> None:
    response = api.post("/api/v1/units", content=b"{}", headers={"Content-Length": "abc",
                                                                 "Content-Type": "application/json"})
    assert response.status_code == 413


@pytest.fixture(scope="module")
def served(small: Runtime) -> Iterator[tuple[str, int]]:
    """The app behind uvicorn with the header-timeout protocol, as `jishi serve` runs it, 1 s timeouts."""
    HeaderTimeoutProtocol.header_timeout = 1.0
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(small, follow=False), log_level="warning",
                                           http=HeaderTimeoutProtocol))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield "127.0.0.1", port
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
    HeaderTimeoutProtocol.header_timeout = None


def read_all(conn: socket.socket, wait: float) -> bytes:
    conn.settimeout(wait)
    data = b""
    try:
        while chunk := conn.recv(4096):
            data += chunk
    except TimeoutError:
        return data + b"<still open>"
    return data


def test_a_request_whose_headers_do_not_complete_is_cut_off(served: tuple[str, int]) -> None:
    with socket.create_connection(served) as conn:
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
        assert read_all(conn, 5.0) == b""  # closed by the server, not left open


def test_a_connection_that_sends_nothing_is_closed(served: tuple[str, int]) -> None:
    with socket.create_connection(served) as conn:
        assert read_all(conn, 5.0) == b""


def test_a_complete_request_on_a_slow_client_is_still_answered(served: tuple[str, int]) -> None:
    with socket.create_connection(served) as conn:
        conn.sendall(b"GET /healthz HTTP/1.1\r\n")
        time.sleep(0.5)
        conn.sendall(b"Host: x\r\nConnection: close\r\n\r\n")
        assert read_all(conn, 5.0).startswith(b"HTTP/1.1 200")


def test_a_body_that_stops_arriving_is_answered_408(served: tuple[str, int]) -> None:
    with socket.create_connection(served) as conn:
        conn.sendall(b"POST /api/v1/imports-nowhere HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\nConnection: close\r\n\r\n{\"a\":")
        answer = read_all(conn, 5.0)
    assert answer.startswith(b"HTTP/1.1 4")
