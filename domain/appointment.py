"""任…免… in one document: an appointment (``Appointed``) that ends the cadre's other posts.

``ends_posts`` names, as "UNIT/POST", posts the cadre holds on the appointment's date; the record
folds them as ended that day by the appointment itself (``domain.history.derive``, and the two
folds of the read side, ``projections/derive.py`` through it and ``domain/monitors/facts.py``),
so a correction or a retraction of the appointment moves or restores those ends with it, and
the posts' occupancy is mirrored as for a dismissal, in the same transaction. ``ends_reason`` is
the 免职 reason recorded for them: given, or by manner from ``[appointment.ends_reason]``
(提拔 → 提拔, a lateral move → 调动). A 兼任 (concurrent post) ends nothing.

What the field types cannot say is checked here (422 naming the field); a post that is not held
that day is a contradiction of the record, refused as R-SEQ by the fold.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, get_args

from domain.entry_values import CONCURRENT_MANNER, DismissalReason
from domain.errors import FieldError, ValidationError
from domain.rules.config import ConfigError, RuleConfig

PostKey = tuple[str, str]
DISMISSAL_REASONS: tuple[str, ...] = get_args(DismissalReason)


def post_key(text: object) -> PostKey | None:
    """("UNIT", "POST") of a post named "UNIT/POST", or None if it is not written so."""
    if not isinstance(text, str):
        return None
    unit_code, slash, post_code = text.partition("/")
    unit_code, post_code = unit_code.strip(), post_code.strip()
    if not slash or not unit_code or not post_code or "/" in post_code:
        return None
    return unit_code, post_code


def ended_posts(values: Mapping[str, Any]) -> list[PostKey]:
    """The posts an appointment's ``ends_posts`` name (those written as "UNIT/POST")."""
    found = (post_key(text) for text in values.get("ends_posts") or ())
    return [key for key in found if key is not None]


def default_reason(manner: object, config: RuleConfig) -> str | None:
    """The 免职 reason recorded for the posts an appointment of ``manner`` ends."""
    reason = dict(config.get("appointment.ends_reason")).get(str(manner))
    if reason is not None and reason not in DISMISSAL_REASONS:
        raise ConfigError(f"免职原因须为{'、'.join(DISMISSAL_REASONS)}之一 "
                          f"(appointment.ends_reason.{manner} must be a dismissal reason): {reason}")
    return reason if isinstance(reason, str) else None


def settle(values: Mapping[str, Any], config: RuleConfig, *, given: Collection[str] | None = None,
           loc: str = "") -> dict[str, Any]:
    """An appointment's values with ``ends_posts`` checked and ``ends_reason`` settled, or a
    ValidationError naming the field (prefixed by ``loc``, e.g. "changes."). ``given``: the fields
    the user gave (a correction's changes); an ``ends_reason`` left over from posts no longer ended
    is cleared, one given without posts to end is refused."""
    given = set(values) if given is None else set(given)
    settled = dict(values)
    texts = tuple(values.get("ends_posts") or ())
    errors: list[FieldError] = []
    keys = []
    for text in texts:
        key = post_key(text)
        if key is None:
            errors.append(FieldError(f"{loc}ends_posts", f"须写作“单位代码/职位代码” (must be UNIT/POST): {text}"))
        else:
            keys.append(key)
    if len(set(keys)) != len(keys):
        errors.append(FieldError(f"{loc}ends_posts", "免去的职位重复 (a post is listed twice)"))
    if (values.get("unit_code"), values.get("post_code")) in keys:
        errors.append(FieldError(f"{loc}ends_posts", "不能免去所任的同一职位 (the post appointed to cannot be ended)"))
    if texts and values.get("manner") == CONCURRENT_MANNER:
        where = "manner" if "manner" in given and "ends_posts" not in given else "ends_posts"
        errors.append(FieldError(f"{loc}{where}", "兼任不免去其他职务 (a concurrent post, 兼任, ends no other post)"))
    if not texts and values.get("ends_reason") is not None:
        if "ends_reason" in given:
            errors.append(FieldError(f"{loc}ends_reason", "未免去任何职位，不应填写免职原因 "
                                                          "(no post is ended: give no dismissal reason)"))
        settled["ends_reason"] = None
    if errors:
        raise ValidationError(errors)
    if texts and values.get("ends_reason") is None:
        settled["ends_reason"] = default_reason(values.get("manner"), config)
    return settled


def settle_changes(current: Mapping[str, Any], changes: Mapping[str, Any], config: RuleConfig) -> dict[str, Any]:
    """A correction's typed changes of an appointment, with ``ends_reason`` added when the
    correction starts or stops ending posts (see ``settle``)."""
    merged = {**current, **changes}
    settled = settle(merged, config, given=changes, loc="changes.")
    extra = {k: v for k, v in settled.items() if merged.get(k) != v}
    return {**changes, **extra}
