"""Names instead of codes on the pages: units, posts, code tables and rules, as of the page's date.

A ``Names`` is made for one page (``render`` puts one in every template's context as ``naming``) and
reads the read models lazily, keeping what it has read for that page only — nothing is shared between
requests. The templates use it through the filters ``unit_name``, ``post_name``, ``code_name`` and
``rule_name``, ``rules_named``, ``posts_named`` (registered in ``api.pages.render``); Python code may call it directly.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from datetime import date
from typing import TypeVar

from sqlalchemy import Engine, select

from domain.codes import CODE_TABLES
from domain.rules.catalog import RULES
from projections.models import PostRow, UnitRow
from projections.timeframe import Timeframe

K = TypeVar("K", bound=Hashable)


def code_name(table: str, value: object) -> str:
    """A code's name in one of ``domain.codes``' tables (性别 "2" → 女, 职务层次 "142" → 乡科级副职)."""
    text = "" if value is None else str(value)
    found = CODE_TABLES.get(table)
    return found.entries.get(text, text) if found is not None else text


def rule_name(rule_id: object) -> str:
    """A rule's Chinese title (R-POOL-REVIEW → 后备干部一年未考察); an unknown id is shown as it is."""
    rule = RULES.get(str(rule_id))
    return rule.title_zh if rule is not None else str(rule_id)


POST_REF = re.compile(r"(?<![A-Za-z0-9-])([A-Za-z][A-Za-z0-9-]*)/([A-Za-z][A-Za-z0-9-]*)")  # "QS-T01/ZZ"
RULE_ID = re.compile(r"\bR-[A-Z0-9]+(?:-[A-Z0-9]+)*")


def rules_named(text: object) -> str:
    """Rule ids inside a text, each given its title (经批准例外放行：R-EST → 经批准例外放行：不得超职数配备（R-EST）);
    an id not in the catalogue stays as it is."""
    return RULE_ID.sub(lambda m: f"{RULES[m[0]].title_zh}（{m[0]}）" if m[0] in RULES else m[0],
                       "" if text is None else str(text))


class Names:
    """Unit and post names on ``as_of`` (the latest name before it; for a unit or post not yet set up
    on that day, its first name), read once per code for one page."""

    def __init__(self, engine: Engine | None, as_of: date) -> None:
        self.engine = engine
        self.as_of = as_of
        self.units: dict[str, str] = {}
        self.posts: dict[tuple[str, str], str] = {}

    def preload(self, units: Iterable[str] = (), posts: Iterable[tuple[str, str]] = ()) -> Names:
        """Read the names of many units and posts in two queries (instead of one per name)."""
        wanted_units = {u for u in units if u and u not in self.units}
        wanted_posts = {p for p in posts if all(p) and p not in self.posts}
        if self.engine is None or not (wanted_units or wanted_posts):
            return self
        tf = Timeframe(self.as_of, None)
        with self.engine.connect() as conn:
            if wanted_units:
                rows = conn.execute(select(UnitRow.code, UnitRow.name, UnitRow.valid_from).where(
                    UnitRow.code.in_(wanted_units), tf.known(UnitRow)).order_by(UnitRow.valid_from)).all()
                self.units.update(_as_of(((r.code, r.valid_from, r.name) for r in rows), self.as_of))
            if wanted_posts:
                post_rows = conn.execute(select(PostRow.unit_code, PostRow.post_code, PostRow.title, PostRow.valid_from)
                                         .where(PostRow.unit_code.in_({u for u, _ in wanted_posts}),
                                                tf.known(PostRow)).order_by(PostRow.valid_from)).all()
                keys = [((r.unit_code, r.post_code), r.valid_from, r.title) for r in post_rows
                        if (r.unit_code, r.post_code) in wanted_posts]
                self.posts.update(_as_of(keys, self.as_of))
        for code in wanted_units:
            self.units.setdefault(code, code)
        for key in wanted_posts:
            self.posts.setdefault(key, key[1])
        return self

    def unit(self, code: object) -> str:
        """单位名称 for a unit code (the code itself if no such unit was ever recorded)."""
        text = "" if code is None else str(code)
        if text and text not in self.units:
            self.preload(units=[text])
        return self.units.get(text, text)

    def post(self, unit_code: object, post_code: object) -> str:
        """职位名称 for a post of a unit (the post code itself if no such post was ever recorded)."""
        key = ("" if unit_code is None else str(unit_code), "" if post_code is None else str(post_code))
        if all(key) and key not in self.posts:
            self.preload(posts=[key])
        return self.posts.get(key, key[1])

    def posts_in(self, text: object) -> str:
        """Posts written "UNIT/POST" inside a text (a finding's detail) as "单位名称职位名称"; a pair whose
        unit was never recorded (not a post at all) stays as it is."""
        def named(m: re.Match[str]) -> str:
            return self.post_key(m[0]) if self.unit(m[1]) != m[1] else m[0]
        return POST_REF.sub(named, "" if text is None else str(text))

    def post_key(self, text: object) -> str:
        """A post written "UNIT/POST" (任…免…'s ``ends_posts``) as "单位名称职位名称"."""
        unit, _, post = str(text).partition("/")
        return f"{self.unit(unit)}{self.post(unit, post)}" if post else self.unit(unit)


def _as_of(rows: Iterable[tuple[K, date, str]], as_of: date) -> dict[K, str]:
    """Per key, the name valid on ``as_of``: the last version begun by then, else the first one
    (``rows`` in order of ``valid_from``)."""
    found: dict[K, list[tuple[date, str]]] = {}
    for key, valid_from, name in rows:
        found.setdefault(key, []).append((valid_from, name))
    named: dict[K, str] = {}
    for key, versions in found.items():
        begun = [name for valid_from, name in versions if valid_from <= as_of]
        named[key] = begun[-1] if begun else versions[0][1]
    return named
