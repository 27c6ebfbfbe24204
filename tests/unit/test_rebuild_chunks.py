"""A bulk rebuild's chunks of aggregates, on disk (projections/rebuild_chunks.py): read back as they were
cut, handed to a worker as a file descriptor and offsets (not the positions), in a file without a name."""

from __future__ import annotations

import os
import pickle
from array import array
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from projections import rebuild_chunks
from projections.rebuild_chunks import Chunk, ChunkFile, chunks_of


def log(aggregates: int, events: int) -> dict[UUID, array[int]]:
    """``aggregates`` streams of ``events`` positions each, interleaved as a log would have them."""
    ids = [uuid4() for _ in range(aggregates)]
    streams: dict[UUID, array[int]] = {i: array("q") for i in ids}
    for position in range(1, aggregates * events + 1):
        streams[ids[position % aggregates]].append(position)
    return streams


def test_chunks_hold_consecutive_aggregates_of_about_the_chunk_size_in_the_streams_order(
        monkeypatch: pytest.MonkeyPatch) -> None:
    streams = log(10, 3)
    monkeypatch.setattr(rebuild_chunks, "CHUNK_EVENTS", 7)
    chunks = list(chunks_of(streams))
    assert [len(c) for c in chunks] == [3, 3, 3, 1]  # 9 events ≥ 7 close a chunk; the rest is the last one
    assert [s for c in chunks for s in c] == list(streams.items())


def test_the_chunks_read_back_from_the_file_are_the_chunks_written(tmp_path: Path) -> None:
    streams = log(50, 7)
    expected = list(chunks_of(streams, 40))
    with ChunkFile.write(chunks_of(streams, 40), str(tmp_path)) as chunks:
        assert len(chunks) == len(expected) == 9
        assert list(chunks) == expected
        assert chunks[8] == expected[8] and chunks[0] == expected[0]  # in any order
        with pytest.raises(IndexError):
            chunks[9]


def test_a_worker_is_handed_the_files_descriptor_and_offsets_not_the_positions(tmp_path: Path) -> None:
    streams = log(200, 50)  # 10,000 positions: 80,000 bytes
    with ChunkFile.write(chunks_of(streams, 2_000), str(tmp_path)) as chunks:
        handed = pickle.dumps(chunks)
        assert len(handed) < 1_000
        copy = pickle.loads(handed)
        assert list(copy) == list(chunks_of(streams, 2_000))
        copy.close()  # a copy's descriptor is its own: the others still read
        assert chunks[4] == list(chunks_of(streams, 2_000))[4]


def test_the_chunks_file_has_no_name_so_a_killed_rebuild_leaves_nothing_behind(tmp_path: Path) -> None:
    with ChunkFile.write(chunks_of(log(20, 5), 10), str(tmp_path)) as chunks:
        assert len(chunks) == 10
        assert os.listdir(tmp_path) == []


def test_a_chunk_file_that_fails_while_written_leaves_no_file(tmp_path: Path) -> None:
    def failing() -> Iterator[Chunk]:
        yield [(uuid4(), array("q", [1, 2]))]
        raise OSError("磁盘已满 (disk full)")

    with pytest.raises(OSError, match="disk full"):
        ChunkFile.write(failing(), str(tmp_path))
    assert os.listdir(tmp_path) == []
