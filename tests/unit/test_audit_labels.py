"""审计轨迹: every stored event type reads in Chinese (entries, case steps, reads, users, units, posts …)."""

from __future__ import annotations

import importlib

from eventsourcing.domain import DomainEvent

from projections.audit import EVENT_MODULES, type_label


def _leaf_event_classes() -> list[type]:
    """Every event class of the domain that nothing derives from (what is stored), whether labelled or not."""
    for module in EVENT_MODULES:
        importlib.import_module(module)
    found: list[type] = []
    pending: list[type] = [DomainEvent]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("domain.") and not cls.__subclasses__():
            found.append(cls)
    return found


def test_every_event_type_the_domain_stores_is_shown_by_a_chinese_name() -> None:
    # an aggregate's generic ``Created`` is never stored: each aggregate is created by an event of its own
    stored = [c for c in _leaf_event_classes() if c.__name__ != "Created"]
    assert len(stored) > 50
    unnamed = sorted(c.__name__ for c in stored if not any("\u4e00" <= ch <= "\u9fff" for ch in type_label(c.__name__)))
    assert unnamed == []


def test_the_case_steps_and_a_read_are_labelled_as_the_office_says_them() -> None:
    assert (type_label("PublicityHeld"), type_label("GrowthFileRead")) == ("任前公示", "查阅成长档案")
