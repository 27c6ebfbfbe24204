"""JISHI_REBUILD_PROCESSES: how many processes a bulk rebuild spreads the aggregates over."""

from __future__ import annotations

from pathlib import Path

import pytest

from jishi.settings import Settings
from projections.rebuild_workers import processes_for


def test_by_default_a_rebuild_takes_one_process_per_core_and_two_at_most() -> None:
    assert processes_for(None, 1) == 1
    assert processes_for(None, 2) == 2
    assert processes_for(None, 8) == 2
    assert processes_for(None, None) == 1  # the number of cores unknown: one process


def test_the_setting_overrides_the_default_either_way() -> None:
    assert processes_for(1, 8) == 1
    assert processes_for(3, 2) == 3


@pytest.mark.parametrize(("raw", "expected"), [("", None), ("1", 1), ("2", 2), ("16", 16), (" 4 ", 4)])
def test_jishi_rebuild_processes_from_one_to_sixteen_is_read(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, raw: str, expected: int | None) -> None:
    monkeypatch.setenv("JISHI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JISHI_REBUILD_PROCESSES", raw)
    assert Settings.from_env().rebuild_processes == expected


@pytest.mark.parametrize("raw", ["0", "17", "-1", "two", "1.5"])
def test_jishi_rebuild_processes_outside_one_to_sixteen_is_refused_naming_the_variable(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, raw: str) -> None:
    monkeypatch.setenv("JISHI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JISHI_REBUILD_PROCESSES", raw)
    with pytest.raises(ValueError, match=r"JISHI_REBUILD_PROCESSES 须为 1 到 16 之间的整数 \(must be a whole number"):
        Settings.from_env()
