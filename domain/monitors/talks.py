"""Required talks (五必谈 and their kin): R-TALK-PROMO, -CONCERN, -DEPART, -SANCTION, -HARDSHIP.

Each trigger entry yields one finding, due ``monitors.talk_due_days`` after it. A talk resolves
it when it *fits* the rule (its kind, or its 五必谈 trigger) and either names the trigger entry
in ``trigger_entry_id`` (then its date does not matter), or names nothing (or an entry of the
same day, i.e. the same move, or an entry no longer on the record) and is held on or after the
window start. The window starts on the trigger day, except for R-TALK-PROMO and R-TALK-DEPART
where it opens ``talk_due_days`` before it: a 任前谈话 precedes the appointment, and a 离任谈话
precedes a departure (nothing may be recorded after ``Departed``). A talk held after the due
date still resolves the finding, late. One unlinked talk may resolve several triggers.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from domain.appointment import ended_posts
from domain.monitors.facts import EntryFact, FindingFact
from domain.monitors.timeline import Timeline, str_value
from domain.monitors.values import add_days, as_uuid
from domain.rules.config import RuleConfig
from domain.rules.registry import monitor

# Kinds a talk linked to its trigger may have without naming a 五必谈 trigger.
GENERIC_KINDS = frozenset({"五必谈", "谈心谈话"})


@dataclass(frozen=True)
class TalkSpec:
    """Which talks satisfy a rule: any of ``kinds``, or any talk whose 五必谈 trigger is ``trigger``."""

    rule: str
    kinds: frozenset[str]
    trigger: str | None
    looks_back: bool  # the talk may precede the trigger entry
    what_zh: str
    what_en: str

    def fits(self, talk: EntryFact, linked: bool) -> bool:
        return self.fits_values(str_value(talk, "kind"), str_value(talk, "trigger"), linked)

    def fits_values(self, kind: str | None, trigger: str | None, linked: bool) -> bool:
        """``fits`` for a talk of this kind and 五必谈 trigger."""
        if kind in self.kinds or (self.trigger is not None and trigger == self.trigger):
            return True
        return linked and trigger is None and kind in GENERIC_KINDS


PROMO = TalkSpec("R-TALK-PROMO", frozenset({"任前谈话", "任职谈话"}), "提拔交流调整", True,
                 "提拔交流调整", "a promotion, transfer or secondment")
CONCERN = TalkSpec("R-TALK-CONCERN", frozenset({"提醒谈话", "诫勉谈话"}), "苗头问题", False,
                   "苗头性倾向性问题", "a concern raised")
DEPART = TalkSpec("R-TALK-DEPART", frozenset({"离任谈话"}), "离任", True, "离任", "leaving a post")
SANCTION = TalkSpec("R-TALK-SANCTION", frozenset({"诫勉谈话"}), "受处理处分", False,
                    "受处理处分", "a sanction or organisational handling")
HARDSHIP = TalkSpec("R-TALK-HARDSHIP", frozenset(), "重大困难", False, "遭遇重大困难", "a hardship")
FOLLOWUP = TalkSpec("R-FOLLOWUP", frozenset({"提任回访"}), None, False, "提任回访", "follow-up after promotion")


class _Talk(NamedTuple):
    """A dated ConversationHeld with what ``resolving_talk`` asks of it."""

    when: date
    position: int  # among the dated talks, in effective order
    entry: EntryFact
    link: int | None  # trigger_entry_id, as its UUID int
    names_other: bool  # the linked entry is on the record …
    other_day: date | None  # … and this is its effective date
    kind: str | None
    trigger: str | None


class _Candidates(NamedTuple):
    """The talks that can resolve one spec: ``fitting`` fit it linked or not (``days`` are their
    dates, for bisection); ``linked`` maps a trigger entry (UUID int) to the first talk linked to
    it that fits when linked (a generic kind fits only then)."""

    fitting: list[_Talk]
    days: list[date]
    linked: dict[int, _Talk]


def _talks(tl: Timeline) -> list[_Talk]:
    found = []
    for position, (when, talk) in enumerate(tl.dated("ConversationHeld")):
        link = as_uuid(talk.values.get("trigger_entry_id"))
        other = tl.entry(link)
        found.append(_Talk(when, position, talk, link.int if link is not None else None, other is not None,
                           other.effective_on if other is not None else None,
                           str_value(talk, "kind"), str_value(talk, "trigger")))
    return found


def _candidates(tl: Timeline, spec: TalkSpec) -> _Candidates:
    fitting: list[_Talk] = []
    linked: dict[int, _Talk] = {}
    for t in tl.cached("talks", _talks):
        if spec.fits_values(t.kind, t.trigger, False):
            fitting.append(t)
        elif not spec.fits_values(t.kind, t.trigger, True):
            continue
        if t.link is not None and t.link not in linked:
            linked[t.link] = t
    return _Candidates(fitting, [t.when for t in fitting], linked)


def _candidates_by_rule(tl: Timeline) -> dict[str, _Candidates]:
    return {}  # filled by resolving_talk, one spec at a time


def resolving_talk(tl: Timeline, spec: TalkSpec, trigger: EntryFact, window_start: date) -> EntryFact | None:
    """The earliest talk that resolves ``spec`` for ``trigger`` (see the module docstring): the
    first talk linked to the trigger that fits it, or the first fitting talk from the window
    start on that names no other occasion — whichever comes first."""
    by_rule: dict[str, _Candidates] = tl.cached("talk candidates", _candidates_by_rule)
    c = by_rule.get(spec.rule)
    if c is None:
        c = by_rule[spec.rule] = _candidates(tl, spec)
    if not c.fitting and not c.linked:
        return None
    number = trigger.entry_id.int
    best = c.linked.get(number)
    day = trigger.effective_on
    for i in range(bisect_left(c.days, window_start), len(c.fitting)):
        t = c.fitting[i]
        if best is not None and t.position >= best.position:
            break
        if t.link != number and (not t.names_other or t.other_day == day):
            best = t
            break
    return best.entry if best is not None else None


def talk_findings(tl: Timeline, config: RuleConfig, spec: TalkSpec,
                  triggers: Sequence[tuple[EntryFact, str | None]]) -> list[FindingFact]:
    """One finding per (trigger entry, its unit or None for the cadre's unit on that day)."""
    if not triggers:
        return []
    days = config.int("monitors.talk_due_days")
    detail = f"{spec.what_zh}后{days}日内应谈话 (a talk is due within {days} days of {spec.what_en})"
    found: list[FindingFact] = []
    for entry, unit_code in triggers:
        day = entry.effective_on
        if day is None:
            continue
        start = add_days(day, -days) if spec.looks_back else day
        talk = resolving_talk(tl, spec, entry, start)
        found.append(tl.finding(
            spec.rule, tl.key_of(entry), trigger=entry, trigger_on=day, due_on=add_days(day, days),
            resolved_by=(talk,) if talk else (), unit_code=unit_code, detail=detail,
        ))
    return found


@monitor("R-TALK-PROMO", "提拔交流调整未谈话", "no talk after a promotion or transfer",
    source="seed 002 五必谈",
    judges="提拔/交流/调整 (an appointment, a dismissal for transfer, a secondment start) without a 五必谈/任前/任职 "
           "talk",
    due="30 days (monitors.talk_due_days)",
    reads=("ConversationHeld", "ConcernRaised", "Sanctioned", "HandledOrganizationally", "HardshipRecorded",
           "SecondmentStarted"),
    thresholds=("monitors.talk_due_days",))
def r_talk_promo(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """提拔交流调整: every Appointed, a Dismissed for 调动 and a SecondmentStarted need a 五必谈
    (提拔交流调整), 任前谈话 or 任职谈话. A 调动 dismissal on the day of an appointment is the
    same move: the appointment's finding covers it."""
    appointed_days = {e.effective_on for e in tl.of_type("Appointed")}
    triggers: list[tuple[EntryFact, str | None]] = []
    for e in tl.of_type("Appointed", "Dismissed", "SecondmentStarted"):
        if e.type == "Dismissed" and (e.values.get("reason") != "调动" or e.effective_on in appointed_days):
            continue
        triggers.append((e, str_value(e, "unit_code") if e.type != "SecondmentStarted" else None))
    return talk_findings(tl, config, PROMO, triggers)


@monitor("R-TALK-CONCERN", "苗头问题未谈话", "no talk after a concern",
    source="五必谈",
    judges="`ConcernRaised` without a talk with trigger 苗头问题",
    due="30 days",
    reads=("ConversationHeld", "ConcernRaised", "Sanctioned", "HandledOrganizationally", "HardshipRecorded",
           "SecondmentStarted"),
    thresholds=("monitors.talk_due_days",))
def r_talk_concern(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """ConcernRaised needs a talk with trigger 苗头问题 (or a 提醒谈话 / 诫勉谈话)."""
    return talk_findings(tl, config, CONCERN, [(e, None) for e in tl.of_type("ConcernRaised")])


@monitor("R-TALK-DEPART", "离任未谈话", "no talk on leaving",
    source="五必谈",
    judges="`Departed` or leaving a post (a dismissal, a post an appointment ends) without a 离任谈话",
    due="30 days",
    reads=("ConversationHeld", "ConcernRaised", "Sanctioned", "HandledOrganizationally", "HardshipRecorded",
           "SecondmentStarted"),
    thresholds=("monitors.talk_due_days",))
def r_talk_depart(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """Leaving a post (any Dismissed, or an Appointed whose ``ends_posts`` end others: 任…免…, one
    finding for the move, in the unit of the first post it ends) or the service (Departed, except
    by death) needs a 离任谈话 (or a 五必谈 with trigger 离任)."""
    triggers: list[tuple[EntryFact, str | None]] = []
    for e in tl.of_type("Dismissed", "Departed", "Appointed"):
        if e.type == "Departed" and e.values.get("reason") == "死亡":
            continue
        if e.type == "Appointed":
            ended = ended_posts(e.values) if e.values.get("ends_posts") else []
            if ended:
                triggers.append((e, ended[0][0]))
            continue
        triggers.append((e, str_value(e, "unit_code")))
    return talk_findings(tl, config, DEPART, triggers)


@monitor("R-TALK-SANCTION", "受处理处分未谈话", "no talk after a sanction",
    source="五必谈",
    judges="`Sanctioned` / `HandledOrganizationally` without a talk",
    due="30 days",
    reads=("ConversationHeld", "ConcernRaised", "Sanctioned", "HandledOrganizationally", "HardshipRecorded",
           "SecondmentStarted"),
    thresholds=("monitors.talk_due_days",))
def r_talk_sanction(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """Sanctioned / HandledOrganizationally need a talk with trigger 受处理处分 (or a 诫勉谈话)."""
    return talk_findings(tl, config, SANCTION,
                         [(e, None) for e in tl.of_type("Sanctioned", "HandledOrganizationally")])


@monitor("R-TALK-HARDSHIP", "遭遇重大困难未谈话", "no talk after a hardship",
    source="五必谈",
    judges="`HardshipRecorded` without a talk",
    due="30 days",
    reads=("ConversationHeld", "ConcernRaised", "Sanctioned", "HandledOrganizationally", "HardshipRecorded",
           "SecondmentStarted"),
    thresholds=("monitors.talk_due_days",))
def r_talk_hardship(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """HardshipRecorded needs a talk with trigger 重大困难."""
    return talk_findings(tl, config, HARDSHIP, [(e, None) for e in tl.of_type("HardshipRecorded")])
