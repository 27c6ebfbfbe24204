"""``entry_id_text`` (domain/recorded.py) is the text of ``entry_id_of`` made without a UUID object: the
audit and calendar rows of a rebuild store it, so it must be the same text for every stream and version."""

from __future__ import annotations

from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from domain.recorded import entry_id_of, entry_id_text


@given(stream_id=st.uuids(), version=st.integers(1, 10**12))
def test_the_text_of_an_entry_id_is_the_text_of_the_uuid5_entry_id_of_gives(stream_id: UUID, version: int) -> None:
    assert entry_id_text(stream_id, version) == str(entry_id_of(stream_id, version))


def test_an_entry_id_text_is_a_version_5_uuid_of_the_rfc_4122_variant() -> None:
    made = UUID(entry_id_text(UUID(int=0), 1))
    assert (made.version, made.variant) == (5, "specified in RFC 4122")
    assert UUID(entry_id_text(UUID(int=2**128 - 1), 7)).version == 5
