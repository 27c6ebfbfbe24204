"""Run one call on several threads released at the same moment (races the tests provoke on purpose)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def at_once(call: Callable[[], T], threads: int, timeout: float = 120) -> tuple[list[T], list[BaseException]]:
    """``call`` on ``threads`` threads started together: what the calls returned, and what they raised."""
    start = threading.Barrier(threads)
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        start.wait(timeout)
        try:
            results.append(call())
        except BaseException as error:  # collected for the test to assert on
            errors.append(error)

    running = [threading.Thread(target=run) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join(timeout)
    return results, errors
