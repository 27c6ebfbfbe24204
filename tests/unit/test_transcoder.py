"""The orjson transcoder round-trips every value type events hold, exactly."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.transcoder import OrjsonTranscoder

transcoder = OrjsonTranscoder()

zones = st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5, minutes=-30))])
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.text(), st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)),
    st.uuids(), st.dates(), st.datetimes(timezones=zones), st.datetimes(),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.floats(allow_nan=False, allow_infinity=False),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=20,
)


def same(a: Any, b: Any) -> bool:
    """Equal and of the same type all the way down (1 == True == Decimal(1) is not enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, Decimal):
        return str(a) == str(b)
    if isinstance(a, datetime):
        return a == b and a.utcoffset() == b.utcoffset()
    return bool(a == b)


@given(st.dictionaries(st.text(max_size=10), values, max_size=6))
def test_any_event_state_round_trips_with_its_types(state: dict[str, Any]) -> None:
    assert same(transcoder.decode(transcoder.encode(state)), state)


def test_chinese_text_is_stored_as_utf8_not_escaped() -> None:
    data = transcoder.encode({"name": "王芳", "unit": "县委组织部"})
    assert "王芳".encode() in data and b"\\u" not in data


def test_the_tagged_form_matches_the_librarys_json_transcoder() -> None:
    data = transcoder.encode({"id": UUID(int=1), "on": date(2024, 1, 2)})
    assert b'{"_type_":"uuid_hex","_data_":"00000000000000000000000000000001"}' in data
    assert b'{"_type_":"date_iso","_data_":"2024-01-02"}' in data


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), object(), {1: "non-text key"}])
def test_values_that_cannot_round_trip_are_refused(bad: Any) -> None:
    with pytest.raises(TypeError):
        transcoder.encode({"x": bad})


def _decoded_by_copying(obj: Any) -> Any:
    """The decoding as it was before it worked in place: a new dict and list at every level."""
    from service.transcoder import _DECODERS

    if type(obj) is dict:
        if len(obj) == 2 and "_type_" in obj and "_data_" in obj:
            return _DECODERS[obj["_type_"]](obj["_data_"])
        return {k: _decoded_by_copying(v) for k, v in obj.items()}
    if type(obj) is list:
        return [_decoded_by_copying(v) for v in obj]
    return obj


@given(st.dictionaries(st.text(max_size=10), values, max_size=6))
def test_decoding_in_place_gives_what_decoding_by_copying_gave(state: dict[str, Any]) -> None:
    import orjson

    stored = transcoder.encode(state)
    assert same(transcoder.decode(stored), _decoded_by_copying(orjson.loads(stored)))
    assert list(transcoder.decode(stored)) == list(state)  # the keys in their order
