"""The event store's AES cipher (jishi/cipher.py) keeps its ``AESGCM`` instead of making one per event:
it must read what the library's cipher wrote (every store made before) and write what the library reads."""

from __future__ import annotations

import base64

import pytest
from eventsourcing.cryptography import AESCipher as LibraryAESCipher
from eventsourcing.utils import Environment
from hypothesis import given
from hypothesis import strategies as st

from jishi.cipher import AESCipher
from jishi.settings import CIPHER_TOPICS

KEY = base64.b64encode(bytes(range(32))).decode()


def _pair() -> tuple[AESCipher, LibraryAESCipher]:
    environment = Environment(env={"CIPHER_KEY": KEY})
    return AESCipher(environment), LibraryAESCipher(environment)


@given(st.binary(max_size=2_000))
def test_the_kept_cipher_and_the_librarys_read_each_others_texts(plaintext: bytes) -> None:
    ours, theirs = _pair()
    assert ours.decrypt(theirs.encrypt(plaintext)) == plaintext
    assert theirs.decrypt(ours.encrypt(plaintext)) == plaintext
    assert ours.decrypt(ours.encrypt(plaintext)) == plaintext


def test_every_text_gets_a_fresh_nonce() -> None:
    ours, _ = _pair()
    assert ours.encrypt(b"same")[:12] != ours.encrypt(b"same")[:12]


@pytest.mark.parametrize("damage", ["flipped", "short"])
def test_a_damaged_text_is_refused_as_the_library_refuses_it(damage: str) -> None:
    ours, theirs = _pair()
    text = theirs.encrypt(b"growth file")
    broken = text[:-1] + bytes([text[-1] ^ 1]) if damage == "flipped" else text[:20]
    for cipher in (ours, theirs):
        with pytest.raises(ValueError, match="cipher"):
            cipher.decrypt(broken)


def test_a_store_set_to_aes_uses_the_kept_cipher() -> None:
    module, _, name = CIPHER_TOPICS["aes"].partition(":")
    assert (module, name) == (AESCipher.__module__, AESCipher.__name__)
