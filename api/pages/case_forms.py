"""The forms of a selection case (选任纪实): opening a case and recording a step, built on the entry forms
(``api.pages.forms``) with lists instead of typed codes and ids — the unit and post of the user's
jurisdiction, the case's candidates, the cadres in scope for a recommendation, the tallies of a vote.

A step's fields come from its event class (``domain.schema.field_specs``) like an entry's; the fields
a generic form cannot draw (a list of cadres, votes keyed by cadre or by 同意/不同意/缓议) are drawn here
and read back into the JSON payload the command takes, so the guards judge a page exactly as an API body.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData

from api.pages import forms
from domain.schema import field_specs
from domain.selection import DECISION_VOTES

RECOMMENDATION_ROWS = 8  # 被推荐人 rows of a 民主推荐 form (more: a second recommendation step)
SHARED_OPTIONS = 200  # a longer list of cadres is sent in the first row only (the page stays small)
VOTE_FIELDS = {"同意": "votes_agree", "不同意": "votes_against", "缓议": "votes_defer"}  # 讨论决定 tallies
CUSTOM = ("votes", "cadre_ids")  # read here, not by ``forms`` (``votes`` is drawn here too)


@dataclass(frozen=True)
class Choices:
    """What a case form chooses from: units and their posts, the cadres, the case's candidates."""

    units: Sequence[tuple[str, str]] = ()  # (code, name) of the units in scope with a post
    posts: Mapping[str, Sequence[tuple[str, str]]] | None = None  # unit code → [(post code, title)]
    cadres: Sequence[tuple[str, str]] = ()  # (cadre id, label) in scope — a recommendation names them
    candidates: Sequence[tuple[str, str]] = ()  # (cadre id, label) of the case's 考察对象
    recommended: Sequence[tuple[str, str]] = ()  # (cadre id, label) the case's recommendations named


def _values(values: Mapping[str, Any] | FormData, name: str) -> list[str]:
    if isinstance(values, FormData):
        return [str(v) for v in values.getlist(name) if str(v)]
    found = values.get(name)
    return [str(v) for v in found] if isinstance(found, list | tuple) else [str(found)] if found else []


def place_fields(fields: list[forms.Field], choices: Choices, values: Mapping[str, Any] | FormData
                 ) -> list[forms.Field]:
    """The unit chosen from the units in scope, the post from the chosen unit's posts (forms.js shows only
    its group; the server refuses a post the unit does not have)."""
    posts = choices.posts or {}
    names = dict(choices.units)
    for f in fields:
        if f.name == "unit_code":
            f.kind, f.label, f.options = "select", "单位", list(choices.units)
            f.hint, f.attrs = "管辖范围内设有职位的单位", {}
        elif f.name == "post_code":
            unit = str(values.get("unit_code") or "")
            f.kind, f.label, f.hint = "select", "职位", "先选择单位，再选择该单位的职位"
            f.groups = [forms.OptionGroup(code, names.get(code, code),
                                          [(p, title, code == unit and p == f.value) for p, title in items])
                        for code, items in posts.items()]
            f.attrs = {"data-depends-on": "unit_code"}
    return fields


def step_fields(step_type: str, fields: list[forms.Field], choices: Choices,
                values: Mapping[str, Any] | FormData, errors: Mapping[str, list[str]]) -> list[forms.Field]:
    """A step's fields with its cadres chosen from lists and its votes as tallies."""
    for f in fields:
        if f.name == "cadre_id":
            f.kind, f.label, f.options = "select", "考察对象", list(choices.candidates)
            f.hint = "本选任已确定的考察对象"
        elif f.name == "cadre_ids":
            f.kind, f.value = "checkboxes", _values(values, "cadre_ids")
            if choices.recommended:
                f.options, f.hint = list(choices.recommended), "从民主推荐的被推荐人中勾选"
            elif len(choices.cadres) <= SHARED_OPTIONS:
                f.options, f.hint = list(choices.cadres), "民主推荐未记录得票：从管辖范围内的干部中勾选"
            else:
                f.options, f.hint = [], "民主推荐未记录得票：请先在民主推荐中记录被推荐人及其得票"
    if step_type == "Recommended":
        fields += recommendation_rows(choices, values, errors)
    elif step_type == "Decided":
        fields += decision_tallies(values, errors)
    return fields


def recommendation_rows(choices: Choices, values: Mapping[str, Any] | FormData,
                        errors: Mapping[str, list[str]]) -> list[forms.Field]:
    """民主推荐 得票: a cadre chosen from the cadres in scope and the votes they received, per row."""
    rows = []
    shared = len(choices.cadres) > SHARED_OPTIONS
    for i in range(RECOMMENDATION_ROWS):
        cadre, votes = f"rec_cadre_{i}", f"rec_votes_{i}"
        chosen = str(values.get(cadre) or "")
        options, attrs = list(choices.cadres), {}
        if shared and i > 0:  # a long list is sent once; forms.js copies it into the other rows
            options = [(c, text) for c, text in choices.cadres if c == chosen]
            attrs = {"data-options-from": "rec_cadre_0"}
        rows += [forms.Field(cadre, f"被推荐人{i + 1}", "select", False, chosen, options,
                             "管辖范围内的干部，按姓名排序" if i == 0 else "", list(errors.get(cadre, [])), attrs),
                 forms.Field(votes, f"被推荐人{i + 1}得票", "number", False, str(values.get(votes) or ""),
                             errors=list(errors.get(votes, [])), attrs={"step": "1", "min": "0"})]
    return rows


def decision_tallies(values: Mapping[str, Any] | FormData, errors: Mapping[str, list[str]]) -> list[forms.Field]:
    """讨论决定 表决: the votes for, against and deferred."""
    return [forms.Field(name, f"表决{choice}票数", "number", choice == "同意", str(values.get(name) or ""),
                        hint="同意票须超过应到会人数的半数" if choice == "同意" else "",
                        errors=list(errors.get(name, [])), attrs={"step": "1", "min": "0"})
            for choice, name in VOTE_FIELDS.items()]


def _number(text: str) -> int | str:
    return int(text) if forms.WHOLE.match(text) else text  # not a whole number: refused at its field


def step_payload(step_type: str, event_class: type, form: FormData) -> tuple[dict[str, Any], dict[str, str]]:
    """The command's payload from a step form, and where each of the custom fields' errors is shown
    (an error's location → the form's field)."""
    payload = forms.payload_of(event_class, form, skip=CUSTOM)
    rename: dict[str, str] = {}
    if any(s.name == "cadre_ids" for s in field_specs(event_class)):
        payload["cadre_ids"] = _values(form, "cadre_ids")
    if step_type == "Recommended":
        votes: dict[str, Any] = {}
        rename["votes"] = "rec_votes_0"
        for i in range(RECOMMENDATION_ROWS):
            cadre = str(form.get(f"rec_cadre_{i}") or "").strip()
            count = str(form.get(f"rec_votes_{i}") or "").strip()
            if cadre:
                votes[cadre] = _number(count) if count else None
                rename[f"votes.{cadre}"] = f"rec_votes_{i}"
        payload["votes"] = votes
    elif step_type == "Decided":
        tally: dict[str, Any] = {}
        rename["votes"] = VOTE_FIELDS["同意"]
        for choice in DECISION_VOTES:
            text = str(form.get(VOTE_FIELDS[choice]) or "").strip()
            if text:
                tally[choice] = _number(text)
            rename[f"votes.{choice}"] = VOTE_FIELDS[choice]
        payload["votes"] = tally
    return payload, rename


def custom_names(step_type: str) -> list[str]:
    """The form's own field names (the targets of ``step_payload``'s renames)."""
    if step_type == "Recommended":
        return [n for i in range(RECOMMENDATION_ROWS) for n in (f"rec_cadre_{i}", f"rec_votes_{i}")]
    if step_type == "Decided":
        return list(VOTE_FIELDS.values())
    return []
