"""The application's session table (``service/sessions.py``), made on first use from the runtime's settings.

Kept apart from ``api/pages`` so the API routes (``/api/v1/session``, disabling a user) reach it
without importing the pages.
"""

from __future__ import annotations

import threading

from fastapi import Request

from service.sessions import Limits, SessionStore

_store_lock = threading.Lock()


def session_store(request: Request) -> SessionStore:
    """The application's session table (made on first use, with the runtime's settings)."""
    state = request.app.state
    store: SessionStore | None = getattr(state, "session_store", None)
    if store is None:
        with _store_lock:
            store = getattr(state, "session_store", None)
            if store is None:
                runtime = state.runtime
                s = runtime.settings
                limits = Limits(s.session_idle_minutes * 60.0, s.session_hours * 3600.0, s.signin_delay_after,
                                s.signin_lockout_after, s.signin_address_lockout_after,
                                s.signin_lockout_minutes * 60.0)
                store = state.session_store = SessionStore(runtime.read_models.engine, runtime.runner.engine,
                                                           limits)
    return store


def client_address(request: Request) -> str:
    return request.client.host if request.client else "?"
