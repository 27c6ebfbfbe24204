"""The per-process cache of who a token or a session belongs to, and how it follows the store.

``authenticate`` (``service/users.py``) keeps the principal a token belongs to in a ``_TTLCache``
per application, so checking a token is a dict look-up. Every ``SYNC_SECONDS`` the cache asks the
store for its last position and forgets everything if a user change was recorded since — by any
worker or the CLI — so a change shows in every worker within a second.
"""

from __future__ import annotations

import threading
import time
import weakref
from datetime import datetime

from domain.users import CACHE_SECONDS, App, Principal

USER_CHANGES = tuple(f"jishi.audit.{name}" for name in (
    "UserAdded", "TokenIssued", "UserDisabled", "ScopeGranted", "ScopeRevoked", "PermissionGranted",
    "PermissionRevoked", "TokenExpirySet", "TokenRevoked", "PasswordSet", "TotpEnrolled", "TotpReset"))
SYNC_SECONDS = 0.5  # how stale a worker's cache may be: a change in another worker shows within this


class _TTLCache:
    """Token hash (or ``session:NAME``) → principal, so authenticating is a dict look-up.

    Entries live ``seconds``, but every ``SYNC_SECONDS`` the cache also asks the store for its last
    position and looks for a user change (disable, new token, revocation …) recorded since it last
    looked — by any worker or the CLI — and forgets everything if there is one. So a disabled user
    or a re-issued token stops working in every worker within ``SYNC_SECONDS``. The cost is one
    ``max(id)`` query (and, when the store moved, one range query on the notification index) per
    worker per half second, not per request (bench: ``bench/auth_sync.py``)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._items: dict[str, tuple[float, Principal, datetime | None]] = {}
        self._lock = threading.Lock()
        self._position: int | None = None
        self._synced = 0.0

    def sync(self, app: App) -> None:
        now = time.monotonic()
        if now - self._synced < SYNC_SECONDS:
            return
        with self._lock:
            if now - self._synced < SYNC_SECONDS:
                return
            head = app.recorder.max_notification_id() or 0
            if self._position is None or (head > self._position and app.recorder.select_notifications(
                    self._position + 1, 1, stop=head, topics=USER_CHANGES)):
                self._items.clear()
            self._position, self._synced = head, now

    def get(self, key: str) -> tuple[Principal, datetime | None] | None:
        item = self._items.get(key)
        if item is None or item[0] < time.monotonic():
            return None
        return item[1], item[2]

    def put(self, key: str, principal: Principal, expires: datetime | None = None) -> None:
        with self._lock:
            if len(self._items) > 10_000:
                self._items.clear()
            self._items[key] = (time.monotonic() + self.seconds, principal, expires)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_caches: weakref.WeakKeyDictionary[App, _TTLCache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def _cache_for(app: App) -> _TTLCache:
    cache = _caches.get(app)
    if cache is None:
        with _caches_lock:
            cache = _caches.setdefault(app, _TTLCache(CACHE_SECONDS))
    cache.sync(app)
    return cache


def clear_cache(app: App) -> None:
    """Forget cached principals at once (this worker; the others within ``SYNC_SECONDS``)."""
    _cache_for(app).clear()
