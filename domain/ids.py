"""Deterministic stream ids from natural keys, so imports and retries are idempotent."""

from __future__ import annotations

import hashlib
import hmac
from uuid import UUID, uuid5

JISHI_NAMESPACE = UUID("6b1f4c9e-2d0a-5c8b-9e3f-4a7d2b1c0e5f")


def unit_id(code: str) -> UUID:
    return uuid5(JISHI_NAMESPACE, f"unit:{code}")


def post_id(unit_code: str, post_code: str) -> UUID:
    return uuid5(JISHI_NAMESPACE, f"post:{unit_code}/{post_code}")


def cadre_id(cadre_no: str) -> UUID:
    return uuid5(JISHI_NAMESPACE, f"cadre:{cadre_no}")


def idempotency_id(key: str) -> UUID:
    return uuid5(JISHI_NAMESPACE, f"idempotency:{key}")


def calendar_id(year: int) -> UUID:
    """节假日安排 of one year: published once, then corrected on the same stream."""
    return uuid5(JISHI_NAMESPACE, f"calendar:{year}")


def id_number_claim_id(id_number: str, key: bytes = b"") -> UUID:
    """The claim on a 公民身份号码: a one-way hash of the number, so the claim's stream never holds the
    number itself. Letters are compared in upper case (the check digit X). With ``key`` (a store
    encrypted at rest: ``Jishi.claim_key``) an HMAC-SHA256: the unkeyed uuid5, in clear in the event
    store, is found again by hashing the few million numbers a birth date and gender leave."""
    text = f"id-number:{id_number.strip().upper()}"
    if not key:
        return uuid5(JISHI_NAMESPACE, text)
    return UUID(bytes=hmac.new(key, text.encode(), hashlib.sha256).digest()[:16], version=4)


def unit_posts_id(unit_code: str) -> UUID:
    """The directory of a unit's posts (write side)."""
    return uuid5(JISHI_NAMESPACE, f"unit-posts:{unit_code}")


def assessment_round_id(unit_code: str, kind: str, period: str) -> UUID:
    """One round of assessment of a unit (e.g. 年度考核 2023 of unit U1): its 优秀 tally."""
    return uuid5(JISHI_NAMESPACE, f"assessment-round:{unit_code}/{kind}/{period}")
