"""An entry's id is ``uuid5(stream id, str(version))`` (domain/recorded.py), computed without ``uuid5``'s
overhead: stored ids, links and every rebuilt row depend on it, so it must be uuid5's for every stream
and version."""

from __future__ import annotations

import pickle
from uuid import UUID, uuid5

from hypothesis import given
from hypothesis import strategies as st

from domain.recorded import entry_id_of, id_text


@given(stream_id=st.uuids(), version=st.integers(1, 10**12))
def test_an_entry_id_is_the_uuid5_of_its_stream_and_its_version(stream_id: UUID, version: int) -> None:
    made = entry_id_of(stream_id, version)
    assert made == uuid5(stream_id, str(version))
    assert str(made) == str(uuid5(stream_id, str(version)))


def test_an_entry_id_is_a_version_5_uuid_of_the_rfc_4122_variant_at_the_edges_of_the_id_space() -> None:
    for stream_id in (UUID(int=0), UUID(int=2**128 - 1)):
        made = entry_id_of(stream_id, 1)
        assert (made.version, made.variant) == (5, "specified in RFC 4122")
        assert made == uuid5(stream_id, "1")


@given(stream_id=st.uuids(), versions=st.lists(st.integers(1, 10**6), min_size=1, max_size=20))
def test_an_entry_id_made_without_uuid_checks_behaves_as_the_uuid_it_equals(stream_id: UUID,
                                                                           versions: list[int]) -> None:
    for version in versions:  # the stream's namespace hash is reused from one version to the next
        made, expected = entry_id_of(stream_id, version), uuid5(stream_id, str(version))
        assert (made.int, made.is_safe, hash(made), repr(made)) == (
            expected.int, expected.is_safe, hash(expected), repr(expected))
        assert pickle.loads(pickle.dumps(made)) == expected
        assert made.bytes == expected.bytes and {made: 1}[expected] == 1


@given(value=st.uuids())
def test_an_ids_remembered_text_is_its_str(value: UUID) -> None:
    assert id_text(value) == str(value)
    assert id_text(UUID(int=value.int)) == str(value)  # asked again by an equal id
