"""A bulk rebuild runs with the garbage collector's thresholds raised (projections/bulk_gc.py) and puts
them back afterwards, whether it ends well or not."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

from demo.generator import generate
from jishi.bootstrap import build_runtime
from jishi.settings import Settings
from projections.applier import EventApplier
from projections.bulk_gc import BULK_THRESHOLDS, fewer_collections


def test_the_thresholds_are_raised_inside_and_put_back_after_even_on_an_error() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == BULK_THRESHOLDS
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), fewer_collections((1_000, 5, 5)):
        assert gc.get_threshold() == (1_000, 5, 5)
        raise RuntimeError("a rebuild failed")
    assert gc.get_threshold() == before


def test_a_bulk_rebuild_applies_its_events_with_fewer_collections_and_restores_the_thresholds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runtime = build_runtime(Settings(data_dir=tmp_path))
    try:
        runtime.runner._rebuild_processes = 1
        generate(runtime.app, 2, seed=3)
        seen: set[tuple[int, ...]] = set()
        apply = EventApplier.apply

        def watched(self: EventApplier, *args: Any) -> None:
            seen.add(gc.get_threshold())
            apply(self, *args)

        monkeypatch.setattr(EventApplier, "apply", watched)
        before = gc.get_threshold()
        runtime.runner.rebuild()
        assert seen == {BULK_THRESHOLDS}
        assert gc.get_threshold() == before
    finally:
        runtime.close()
