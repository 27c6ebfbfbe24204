"""An orjson transcoder for stored events.

The library ships only a ``json``-module transcoder. This one is faster and keeps the
same tagged form for non-JSON types (``{"_type_": name, "_data_": value}``), so a value
decodes to exactly the type it was: UUID, datetime (with its zone), date, Decimal and
tuple round-trip; Chinese text is stored as UTF-8, never escaped.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import Transcoder

_ENCODERS: dict[type, tuple[str, Callable[[Any], Any]]] = {
    UUID: ("uuid_hex", lambda v: v.hex),
    datetime: ("datetime_iso", lambda v: v.isoformat()),
    date: ("date_iso", lambda v: v.isoformat()),
    Decimal: ("decimal_str", str),
}

_DECODERS: dict[str, Callable[[Any], Any]] = {
    "uuid_hex": UUID,
    "datetime_iso": datetime.fromisoformat,
    "date_iso": date.fromisoformat,
    "decimal_str": Decimal,
    "tuple": lambda items: tuple(_decode(i) for i in items),
}


def _encode(obj: Any) -> Any:
    kind = type(obj)
    if kind is str or kind is int or kind is bool or obj is None:
        return obj
    if kind is float:
        if not math.isfinite(obj):
            msg = f"cannot store a non-finite number: {obj!r}"
            raise TypeError(msg)
        return obj
    if kind is dict:
        for key in obj:
            if type(key) is not str:
                msg = f"dict keys must be str to be stored, got {type(key).__name__}"
                raise TypeError(msg)
        return {k: _encode(v) for k, v in obj.items()}
    if kind is list:
        return [_encode(v) for v in obj]
    if kind is tuple:
        return {"_type_": "tuple", "_data_": [_encode(v) for v in obj]}
    try:
        name, encode = _ENCODERS[kind]
    except KeyError:
        msg = f"cannot store a value of type {kind.__name__}: {obj!r}"
        raise TypeError(msg) from None
    return {"_type_": name, "_data_": encode(obj)}


def _decode(obj: Any) -> Any:
    """The stored value of ``obj`` as ``orjson.loads`` made it: its dicts and lists are this call's own,
    so they are decoded in place, and only where a dict or a list is nested (most values are text,
    numbers and tagged values one level down)."""
    kind = type(obj)
    if kind is dict:
        if len(obj) == 2 and "_type_" in obj and "_data_" in obj:
            return _DECODERS[obj["_type_"]](obj["_data_"])
        for key, value in obj.items():
            if type(value) is dict or type(value) is list:
                obj[key] = _decode(value)  # a value replaced, no key added: iterating stays valid
        return obj
    if kind is list:
        for index, value in enumerate(obj):
            if type(value) is dict or type(value) is list:
                obj[index] = _decode(value)
        return obj
    return obj


class OrjsonTranscoder(Transcoder):
    """Encodes event state as compact UTF-8 JSON with tagged non-JSON values."""

    def encode(self, obj: Any) -> bytes:
        return orjson.dumps(_encode(obj))

    def decode(self, data: bytes) -> Any:
        return _decode(orjson.loads(data))
