"""The bulk rebuild's deferred changes come back in log order, whatever order they were kept in."""

from __future__ import annotations

from datetime import date, datetime
from uuid import uuid4

from hypothesis import given
from hypothesis import strategies as st

from projections.deferred import DeferredChanges
from projections.unit_spans import PostSpan


@given(st.lists(st.integers(min_value=1, max_value=50), max_size=60))
def test_changes_come_back_sorted_by_position_and_in_arrival_order_within_one(positions: list[int]) -> None:
    with DeferredChanges() as deferred:
        for arrival, position in enumerate(positions):
            deferred.append(position, ("change", arrival))

        replayed = list(deferred.in_log_order())

    assert len(replayed) == len(positions)
    assert replayed == sorted(((p, ("change", i)) for i, p in enumerate(positions)), key=lambda item: item[0])


def test_a_change_comes_back_equal_to_what_was_kept() -> None:
    span = PostSpan(uuid4(), uuid4(), date(2020, 1, 1), date(9999, 12, 31), "P1", "选任", None)
    change = (datetime(2024, 5, 6, 7, 8, 9), ([("U1", "sig-a")], [("U2", "sig-b", span)]), None, {"U1", "U2"})
    with DeferredChanges() as deferred:
        deferred.append(7, change)
        deferred.append(3, (datetime(2024, 1, 1), None, None, None))

        assert len(deferred) == 2
        assert list(deferred.in_log_order()) == [(3, (datetime(2024, 1, 1), None, None, None)), (7, change)]
