"""The bulk rebuild over several processes (projections/rebuild_workers.py): worker processes record
what the writer would do and the rebuilding process replays it in the serial order, so the read
models are the serial rebuild's, written in the same order; a worker that fails or dies fails the rebuild
cleanly (its transaction rolls back), and never leaves it waiting."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

import projections.rebuild
from api.cli import app as cli
from demo.generator import generate
from jishi.bootstrap import Runtime, build_runtime
from projections import rebuild_chunks, rebuild_workers
from projections.checksum import checksum
from projections.db import Base, jsonable
from projections.rebuild_workers import RebuildWorkerFailed, Recipe, claim
from tests.conftest import backend_settings, point_cli_at

CADRES = 20  # a small generated county: a few thousand events, every kind of stream


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.pg)])
def county(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    """One generated county per backend, its read models built (by one process: ``serial``), shared by
    this module's tests."""
    data_dir = tmp_path_factory.mktemp("county")
    settings = backend_settings(request, data_dir)
    runtime = build_runtime(settings)
    runtime.runner._rebuild_processes = 1
    generate(runtime.app, CADRES, seed=5)
    runtime.runner.rebuild()
    yield runtime
    runtime.close()


@pytest.fixture(scope="module")
def serial(county: Runtime) -> dict[str, list[str]]:
    """The rows the serial rebuild writes."""
    rows = every_row(county.runner.engine)
    assert len(rows["rm_span"]) > 100 and rows["rm_finding"], "the county has careers and findings"
    return rows


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any log is spread over the processes, in many chunks."""
    monkeypatch.setattr(projections.rebuild, "PARALLEL_FROM", 0)
    monkeypatch.setattr(rebuild_chunks, "CHUNK_EVENTS", 200)


def every_row(engine: Engine) -> dict[str, list[str]]:
    """Every row of every read model in the order it was written (by id; the ids themselves left out:
    PostgreSQL's sequences go on counting after the tables are emptied), sealed values opened."""
    rows: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name != "id"]
            ordered = select(*columns).order_by(*table.primary_key.columns)
            rows[table.name] = [repr([jsonable(v) for v in row]) for row in conn.execute(ordered)]
    return rows


def rebuilt(runtime: Runtime, processes: int) -> dict[str, list[str]]:
    runtime.runner._rebuild_processes = processes
    assert runtime.runner.rebuild() == runtime.runner.head()
    return every_row(runtime.runner.engine)


def test_a_rebuild_over_two_processes_writes_the_serial_rebuilds_rows_in_its_order(
        county: Runtime, serial: dict[str, list[str]], small_chunks: None, monkeypatch: pytest.MonkeyPatch) -> None:
    received: list[int] = []
    receive, take = rebuild_workers.WorkerPool.receive, rebuild_workers.WorkerPool.claim

    def counted(pool: rebuild_workers.WorkerPool, timeout: float) -> Any:
        found = receive(pool, timeout)
        if found is not None:
            received.append(found[0])
        return found

    def every_other(pool: rebuild_workers.WorkerPool) -> int | None:
        """This process claims only even chunks: the odd ones wait for a worker, however slowly it starts."""
        return take(pool) if pool.counter.value % 2 == 0 else None

    monkeypatch.setattr(rebuild_workers.WorkerPool, "receive", counted)
    monkeypatch.setattr(rebuild_workers.WorkerPool, "claim", every_other)
    assert rebuilt(county, 2) == serial
    assert received, "the worker sent chunks"
    received.clear()
    assert rebuilt(county, 3) == serial  # two workers: their chunks come in any order
    assert received


def test_a_rebuild_whose_every_chunk_comes_from_a_worker_writes_the_serial_rebuilds_rows(
        county: Runtime, serial: dict[str, list[str]], small_chunks: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rebuild_workers.WorkerPool, "claim", lambda pool: None)  # this process only replays
    assert rebuilt(county, 2) == serial


def failing_worker(recipe: Recipe, chunks: Any, counter: Any, results: Any) -> None:
    """A worker whose store fails under it once it has claimed a chunk."""
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("磁盘读取错误 (disk read error)")

    app = recipe.open_source()
    app.recorder.select_events = broken  # type: ignore[method-assign]
    rebuild_workers.work(Recipe(lambda: app, recipe.names, recipe.horizon, recipe.signature_key, recipe.selective),
                         chunks, counter, results)


def dying_worker(recipe: Recipe, chunks: Any, counter: Any, results: Any) -> None:
    """A worker killed (the out-of-memory killer, say) once it has claimed a chunk."""
    claim(counter, len(chunks))
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.parametrize(("worker", "message"), [
    (failing_worker, r"a rebuild worker failed\): OSError: 磁盘读取错误 \(disk read error\)"),
    (dying_worker, r"a rebuild worker died\): jishi-rebuild-1, signal 9"),
])
def test_a_rebuild_worker_that_fails_or_dies_fails_the_rebuild_and_leaves_the_read_models_as_they_were(
        county: Runtime, small_chunks: None, monkeypatch: pytest.MonkeyPatch, worker: Any, message: str) -> None:
    runner = county.runner
    before, positions = checksum(runner.engine), runner.positions()
    runner._rebuild_processes = 2
    monkeypatch.setattr(rebuild_workers.WorkerPool, "claim", lambda pool: None)  # every chunk a worker's
    monkeypatch.setattr(projections.rebuild, "WORKER", worker)
    with pytest.raises(RebuildWorkerFailed, match=message):
        runner.rebuild()
    assert checksum(runner.engine) == before
    assert runner.positions() == positions


def test_jishi_rebuild_whose_worker_dies_exits_non_zero_saying_the_read_models_are_as_they_were(
        county: Runtime, small_chunks: None, monkeypatch: pytest.MonkeyPatch) -> None:
    point_cli_at(county.settings, monkeypatch)
    monkeypatch.setenv("JISHI_REBUILD_PROCESSES", "2")
    monkeypatch.setattr(rebuild_workers.WorkerPool, "claim", lambda pool: None)
    monkeypatch.setattr(projections.rebuild, "WORKER", dying_worker)
    before = checksum(county.runner.engine)
    result = CliRunner().invoke(cli, ["rebuild", "--quiet"])
    assert result.exit_code == 1
    assert "rebuild failed, the read models are as they were" in result.output
    assert "a rebuild worker died" in result.output
    assert checksum(county.runner.engine) == before


def test_a_store_no_other_process_can_open_or_a_short_log_is_rebuilt_by_this_process_alone(
        county: Runtime, serial: dict[str, list[str]], small_chunks: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_workers(*args: object) -> None:
        raise AssertionError("no worker process may start")

    monkeypatch.setattr(rebuild_workers.WorkerPool, "__init__", no_workers)
    reopen = county.runner.reopen
    monkeypatch.setattr(county.runner, "reopen", None)  # e.g. a store in memory
    assert rebuilt(county, 2) == serial
    monkeypatch.setattr(county.runner, "reopen", reopen)
    monkeypatch.setattr(projections.rebuild, "PARALLEL_FROM", county.runner.head() + 1)  # starting one costs more
    assert rebuilt(county, 2) == serial


def test_a_rebuild_lets_go_of_a_late_entrys_open_findings_once_its_cadre_is_done(
        county: Runtime, serial: dict[str, list[str]]) -> None:
    """R-RETROACTIVE's open rows are cached per late entry while the rebuild applies its cadre; kept after
    that, they would pile up over the whole log (one per late entry) in every rebuild process."""
    assert any("'R-RETROACTIVE'" in row for row in serial["rm_finding"]), "the county has late entries"
    assert rebuilt(county, 1) == serial
    cached = county.runner.applier.findings.open_cache
    assert [key for key in cached if isinstance(key, tuple) and key[0] == "R-RETROACTIVE"] == []
