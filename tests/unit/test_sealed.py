"""The sealing of read-model fields (projections/sealed.py): what is sealed, that it opens, that it is
bound to its key and field, and that it is deterministic (a rebuild writes the same bytes)."""

from __future__ import annotations

import os
import typing

import pytest
from cryptography.exceptions import InvalidTag

from domain.cadre_entries import ENTRY_TYPES, SENSITIVE_FIELDS
from domain.entry_values import Note
from jishi.cipher import SM4Cipher
from projections.sealed import PREFIX, SEALED_KEYS, Sealer


def test_every_free_text_field_of_every_entry_type_and_the_sensitive_fields_are_sealed() -> None:
    notes = set()
    for cls in ENTRY_TYPES.values():
        fields = {**typing.get_type_hints(cls, include_extras=True), **getattr(cls, "FIELD_OVERRIDES", {})}
        notes |= {name for name, kind in fields.items() if kind in (Note, Note | None)}
    assert notes and notes | SENSITIVE_FIELDS <= SEALED_KEYS


@pytest.mark.parametrize("algorithm", ["aes", "sm4"])
def test_a_sealed_tree_hides_the_sealed_keys_at_any_depth_and_opens_to_the_same_tree(algorithm: str) -> None:
    sealer = Sealer(os.urandom(32), algorithm=algorithm)
    tree = {"name": "王芳", "id_number": "11010519850615004X", "summary": "谈话提醒", "months": 12,
            "changes": {"reason": "违反工作纪律", "kind": "警告"}, "goals": [{"note": "防汛"}], "outcome": None}
    sealed = sealer.seal_tree(tree)
    assert sealed["name"] == "王芳" and sealed["months"] == 12 and sealed["changes"]["kind"] == "警告"
    assert sealed["outcome"] is None
    for value in (sealed["id_number"], sealed["summary"], sealed["changes"]["reason"], sealed["goals"][0]["note"]):
        assert value.startswith(PREFIX) and "谈话" not in value and "1101" not in value
    assert sealer.open_tree(sealed) == tree


def test_the_same_value_seals_to_the_same_text_but_differently_under_another_field_or_key() -> None:
    key = os.urandom(32)
    one, same = Sealer(key), Sealer(key)
    assert one.seal("违反工作纪律", "reason") == same.seal("违反工作纪律", "reason")  # rebuild = incremental
    assert one.seal("违反工作纪律", "reason") != one.seal("违反工作纪律", "summary")
    assert one.seal("违反工作纪律", "reason") != Sealer(os.urandom(32)).seal("违反工作纪律", "reason")
    assert one.lookup("11010519850615004x") == one.lookup(" 11010519850615004X") != Sealer(os.urandom(32)).lookup(
        "11010519850615004X")


def test_a_sealed_value_moved_to_another_field_or_altered_does_not_open() -> None:
    sealer = Sealer(os.urandom(32))
    token = sealer.seal("反映其违规收受礼品", "summary")
    with pytest.raises(InvalidTag):
        sealer.open(token, "reason")
    altered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    with pytest.raises(InvalidTag):
        sealer.open(altered, "summary")


def test_the_sm4_cipher_of_the_event_store_round_trips_and_rejects_a_changed_byte() -> None:
    import base64

    cipher = SM4Cipher({"CIPHER_KEY": base64.b64encode(os.urandom(16)).decode()})  # type: ignore[arg-type]
    sealed = cipher.encrypt("王芳 11010519850615004X".encode())
    assert cipher.decrypt(sealed) == "王芳 11010519850615004X".encode()
    assert cipher.encrypt(b"same") != cipher.encrypt(b"same")  # a fresh nonce per record
    with pytest.raises(ValueError, match="tag"):
        cipher.decrypt(sealed[:-1] + bytes([sealed[-1] ^ 1]))
    with pytest.raises(ValueError, match="16"):
        SM4Cipher({"CIPHER_KEY": base64.b64encode(os.urandom(32)).decode()})  # type: ignore[arg-type]
