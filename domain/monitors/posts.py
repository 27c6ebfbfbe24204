"""R-DUAL-POST (DOMAIN.md §6.4): two leadership posts held at once, neither held 兼任.

A cadre holds one leadership post (领导职务) at a time unless a further one is given as a
concurrent post (兼任). Two leadership tenures that overlap, neither appointed 兼任, are a finding
from the first day both are held, due that day (at once: the record shows a post that should
have been ended — by a 免职, or by the appointment's ``ends_posts``, 任…免…), resolved on the day
the overlap ends, by the entry that ends the first of the two. One finding per pair of tenures,
keyed by their two appointments; a tenure of no days (ended on the day it began) overlaps nothing.
"""

from __future__ import annotations

from datetime import date

from domain.entry_values import CONCURRENT_MANNER
from domain.history import Tenure
from domain.monitors.facts import FindingFact
from domain.monitors.timeline import Timeline
from domain.rules.config import RuleConfig
from domain.rules.registry import monitor


def _leading(tl: Timeline) -> list[Tenure]:
    found = []
    for t in tl.tenures:
        info = tl.post(t.unit_code, t.post_code)
        lasts = t.end is None or t.start < t.end
        if info is not None and info.leadership and t.manner != CONCURRENT_MANNER and lasts:
            found.append(t)
    return found


@monitor("R-DUAL-POST", "同时担任两个领导职务（非兼任）", "two leadership posts held at once, neither 兼任",
    source="DOMAIN.md §6.4",
    judges="two leadership posts held at once, neither by manner 兼任",
    due="at once")
def r_dual_post(tl: Timeline, config: RuleConfig, horizon: date) -> list[FindingFact]:
    """Two overlapping leadership tenures, neither 兼任 (see the module docstring)."""
    leading = _leading(tl)
    found: list[FindingFact] = []
    for i, a in enumerate(leading):  # tl.tenures is in (start, unit, post) order
        for b in leading[i + 1:]:
            start = max(a.start, b.start)
            end = min(a.end or date.max, b.end or date.max)
            if start >= end:
                continue
            first_out = a if (a.end or date.max) <= (b.end or date.max) else b
            ender = tl.entry(first_out.ended_by) if end != date.max else None
            where = f"{a.unit_code}/{a.post_code}、{b.unit_code}/{b.post_code}"
            found.append(tl.finding(
                "R-DUAL-POST", f"{a.appointed_entry}:{b.appointed_entry}", trigger_on=start, due_on=start,
                evidence=(a.appointed_entry, b.appointed_entry), resolved_by=(ender,) if ender else (),
                resolved_on=end if end != date.max else None, unit_code=b.unit_code,
                detail=f"同时担任两个领导职务（{where}），均非兼任，应免去其一 "
                       f"(two leadership posts held at once, neither as a concurrent post (兼任): {where})"))
    return found
