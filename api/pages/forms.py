"""HTML forms from the entry types' own field specifications (``domain.schema.field_specs``).

One description per field (label, input kind, options, current value, errors) feeds one Jinja macro;
a submitted form is turned back into the JSON-typed payload the commands take, so the domain's
``coerce`` and guards judge a form exactly as they judge an API body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from starlette.datastructures import FormData

from api.pages.labels import HINTS, field_label
from domain.bounds import REASON_LENGTH
from domain.codes import CODE_TABLES
from domain.entry_values import GRADE_SCALES
from domain.errors import FieldError, JishiError, RuleViolationError, ValidationError
from domain.rules.catalog import RULES
from domain.rules.engine import overridable as violation_overridable
from domain.schema import FieldSpec, field_specs

TIER_LABELS = {1: "1 巩固", 2: "2 提高", 3: "3 诫勉", 4: "4 调整"}
# entry-id fields: which earlier entries of the cadre they may point at (None: any)
REFERENCES: dict[str, tuple[str, ...] | None] = {
    "secondment_entry_id": ("SecondmentStarted",),
    "complaint_entry_id": ("ComplaintReceived",),
    "investigation_entry_id": ("InvestigationOpened",),
    "trigger_entry_id": None,
}
WHOLE = re.compile(r"^[+-]?\d{1,12}$")
# list fields whose items are chosen from the cadre's own record (``references``), as checkboxes
PICKED = frozenset({"ends_posts"})


@dataclass
class OptionGroup:
    """A labelled group of a select's options; ``key`` tells a script which group to show."""

    key: str
    label: str
    options: list[tuple[str, str, bool]]  # value, text, selected


# The field whose options depend on another field's value: (entry type, field) → (the other field,
# its value → the options allowed, the group labels). Without JavaScript every group is shown and the
# server refuses a mismatch (a grade outside its kind's scale is a field error on grade); forms.js
# shows only the chosen kind's group.
SCALE_LABELS = {"年度": "年度考核", "平时": "平时考核", "专项": "专项考核", "一线专项考察": "一线专项考察",
                "任期": "任期考核", "试用期满": "试用期满考核"}
DEPENDENT: dict[tuple[str, str], tuple[str, Mapping[str, tuple[str, ...]], Mapping[str, str]]] = {
    ("Assessed", "grade"): ("kind", GRADE_SCALES, SCALE_LABELS),
}


def _groups(event_class: type, name: str, values: Mapping[str, Any], current: Any
            ) -> tuple[list[OptionGroup], dict[str, Any]]:
    """The grouped options of a dependent select (empty if the field is not one), and its data attributes."""
    dependent = DEPENDENT.get((event_class.__name__, name))
    if dependent is None:
        return [], {}
    on, scales, labels = dependent
    chosen = values.get(on)
    selected_in = chosen if current in scales.get(str(chosen), ()) else next(  # a mismatch stays chosen (and refused)
        (k for k, grades in scales.items() if current in grades), None)
    groups = [OptionGroup(key, labels.get(key, key), [(g, g, key == selected_in and g == current) for g in grades])
              for key, grades in scales.items()]
    return groups, {"data-depends-on": on}


@dataclass
class Field:
    """One input of a form, as the template draws it."""

    name: str
    label: str
    kind: str  # text | textarea | lines | date | number | select | yesno | checkbox | checkboxes
    required: bool
    value: Any = ""
    options: list[tuple[str, str]] = field(default_factory=list)
    hint: str = ""
    errors: list[str] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)
    groups: list[OptionGroup] = field(default_factory=list)  # a select's options by group (shown instead)

    @property
    def described_by(self) -> str:
        ids = [f"hint-{self.name}"] if self.hint else []
        return " ".join([*ids, f"err-{self.name}"])


def _kind(spec: FieldSpec) -> str:
    if spec.base is bool:
        return "yesno" if spec.required else "checkbox"
    if spec.base is tuple:
        return "checkboxes" if spec.choices or spec.name in PICKED else "lines"
    if spec.choices is not None or spec.code_table:
        return "select"
    if spec.base is date:
        return "date"
    if spec.base in (int, Decimal):
        return "number"
    if spec.base is str and spec.max_length is not None and spec.max_length > REASON_LENGTH:
        return "textarea"  # narratives (谈话内容 …); a reason or a name fits one line
    return "text"


def _options(spec: FieldSpec, references: Mapping[str, list[tuple[str, str]]]) -> list[tuple[str, str]]:
    if spec.name == "tier":
        return [(str(c), TIER_LABELS.get(c, str(c))) for c in spec.choices or ()]
    if spec.choices is not None:
        return [(str(c), str(c)) for c in spec.choices]
    if spec.code_table:
        return [(code, label) for code, label in CODE_TABLES[spec.code_table].entries.items()]  # names, not codes
    return references.get(spec.name, [])


def _shown(kind: str, value: Any) -> Any:
    """A stored or submitted value as the input shows it."""
    if kind == "checkbox":
        return value in (True, "on", "true", "1")
    if kind == "yesno":
        return "true" if value in (True, "true") else "false" if value in (False, "false") else ""
    if kind == "checkboxes":
        return [str(v) for v in value] if isinstance(value, list | tuple) else []
    if kind == "lines":
        return "\n".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value or "")
    return "" if value is None else str(value)


def fields_of(event_class: type, values: Mapping[str, Any] | None = None,
              errors: Mapping[str, list[str]] | None = None, *,
              references: Mapping[str, list[tuple[str, str]]] | None = None,
              skip: Iterable[str] = (), datalists: Mapping[str, str] | None = None,
              grouped: Mapping[str, tuple[str, list[OptionGroup]]] | None = None) -> list[Field]:
    """The form's fields for an entry type, filled with ``values`` (stored or as submitted).

    ``references``: a field's options to choose from (a text or id field becomes a select);
    ``grouped``: field → (the field it depends on, its options by that field's value), as a select
    whose script shows only the chosen value's group (职位 by 单位)."""
    values, errors, references, grouped = values or {}, errors or {}, references or {}, grouped or {}
    out = []
    for spec in field_specs(event_class):
        if spec.name in skip:
            continue
        kind = _kind(spec)
        if (spec.base is UUID or kind == "text") and (spec.name in references or spec.name in grouped):
            kind = "select"
        attrs: dict[str, Any] = {}
        if kind == "number":
            attrs["step"] = "1" if spec.base is int else "any"
            if spec.low is not None:
                attrs["min"], attrs["max"] = spec.low, spec.high
            if spec.positive:
                attrs["min"] = "0"
        if kind in ("text", "textarea") and spec.max_length:
            attrs["maxlength"] = spec.max_length
        if datalists and spec.name in datalists:
            attrs["list"] = datalists[spec.name]
        hint = HINTS.get(spec.name, "")
        if spec.base is UUID and kind == "text":
            hint = hint or "记录或干部的 ID（UUID）"
        value = values.getlist(spec.name) if kind == "checkboxes" and isinstance(values, FormData) \
            else values.get(spec.name)
        shown = _shown(kind, value)
        if spec.name in grouped:
            on, given = grouped[spec.name]
            groups, data = _chosen_in(given, str(values.get(on) or ""), shown), {"data-depends-on": on}
            attrs.pop("list", None)
        else:
            groups, data = _groups(event_class, spec.name, values, shown)
        if groups:
            attrs.update(data)
            if spec.name not in grouped:
                hint = hint or "等次随考核类别而定，请先选择类别"
        options = _options(spec, references)
        if kind == "select" and not groups and shown and all(v != shown for v, _ in options):
            options = [*options, (shown, shown)]  # a value not among today's choices stays as it is
        if kind == "select" and spec.name in references:
            attrs.pop("list", None)
        out.append(Field(spec.name, field_label(spec.name), kind, spec.required,
                         shown, options, hint, list(errors.get(spec.name, [])), attrs, groups))
    return out


def _chosen_in(groups: list[OptionGroup], key: str, current: Any) -> list[OptionGroup]:
    """The groups with ``current`` selected in the group ``key`` — else in the first group holding it (a
    mismatch stays chosen, and refused), else in a group of its own: a stored or submitted value is never
    silently dropped."""
    holding = [g.key for g in groups if any(v == current for v, _, _ in g.options)] if current else []
    where = key if key in holding else holding[0] if holding else None
    out = [OptionGroup(g.key, g.label, [(v, t, g.key == where and v == current) for v, t, _ in g.options])
           for g in groups]
    if current and where is None:
        out.append(OptionGroup(key, "其他", [(str(current), str(current), True)]))
    return out


def payload_of(event_class: type, form: FormData, *, skip: Iterable[str] = ()) -> dict[str, Any]:
    """The submitted form as the command's JSON payload: empty inputs are left out."""
    payload: dict[str, Any] = {}
    for spec in field_specs(event_class):
        if spec.name in skip:
            continue
        kind = _kind(spec)
        if kind == "checkbox":
            payload[spec.name] = spec.name in form
            continue
        if kind == "checkboxes":
            chosen = [str(v) for v in form.getlist(spec.name) if str(v)]
            if chosen or spec.name in PICKED:  # none chosen from the record is an answer too
                payload[spec.name] = chosen
            continue
        raw = form.get(spec.name)
        text = raw.strip() if isinstance(raw, str) else ""
        if not text:
            continue
        if kind == "lines":
            payload[spec.name] = [line.strip() for line in text.splitlines() if line.strip()]
        elif kind == "yesno":
            payload[spec.name] = {"true": True, "false": False}.get(text, text)
        elif spec.base is int:
            payload[spec.name] = int(text) if WHOLE.match(text) else text
        else:
            payload[spec.name] = text
    return payload


def held_posts(entries: list[Any], day: date, title: Any, exclude: UUID | None = None) -> list[tuple[str, str]]:
    """任…免…: the posts the cadre holds on ``day`` (without the entry ``exclude``, the appointment a
    correction changes), as ("UNIT/POST", label) choices for ``ends_posts``; ``title(unit, post)`` names the
    post as a person knows it (the unit's name and the post's title)."""
    from domain.history import derive_as_of

    history = derive_as_of(entries, day, exclude=exclude)
    return [(f"{t.unit_code}/{t.post_code}", f"{title(t.unit_code, t.post_code)}（{t.start.isoformat()}起）")
            for t in history.held_on(day)]


def day_of(value: Any, default: date) -> date:
    """The date a form names (as submitted or stored), else ``default``."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        return default


def changed(payload: Mapping[str, Any], current: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a correction form that differ from the entry as it stands."""

    def same(new: Any, old: Any) -> bool:
        if isinstance(old, list | tuple):
            return isinstance(new, list) and [str(v) for v in new] == [str(v) for v in old]
        if isinstance(old, bool) or isinstance(new, bool):
            return new is old
        if old is None:
            return False
        try:
            return Decimal(str(new)) == Decimal(str(old))
        except ArithmeticError:
            return str(new) == str(old)

    def absent(k: str, v: Any) -> bool:  # an empty list for a field the entry never had (recorded before it)
        return k not in current and v == []

    return {k: v for k, v in payload.items() if not absent(k, v) and (k not in current or not same(v, current[k]))}


def cleared(event_class: type, form: FormData, current: Mapping[str, Any], *, skip: Iterable[str] = ()
            ) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """A correction form's inputs the user emptied where the entry stands with a value: an optional field
    becomes null (an empty list for a list), a required one is refused at its field — an empty input is
    never silently read as "unchanged"."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for spec in field_specs(event_class):
        if spec.name in skip or spec.name not in form or _kind(spec) in ("checkbox", "checkboxes"):
            continue
        raw = form.get(spec.name)
        if (isinstance(raw, str) and raw.strip()) or current.get(spec.name) in (None, "", [], ()):
            continue
        if spec.required:
            errors[spec.name] = ["必填，更正不能清空此项 (required: a correction cannot empty it)"]
        else:
            values[spec.name] = [] if spec.base is tuple else None
    return values, errors


@dataclass
class Refusal:
    """Why a form was refused: messages per field, the rest, and whether an override could help."""

    fields: dict[str, list[str]]
    general: list[str]
    overridable: bool = False
    rules: list[str] = field(default_factory=list)


def _message(zh: str, en: str) -> str:
    return zh if zh == en else f"{zh} ({en})"


def refusal(error: JishiError, names: Iterable[str], rename: Mapping[str, str] | None = None) -> Refusal:
    """Sort an error's messages onto the form's fields (rule refusals and validation alike);
    ``rename`` maps an error's location to the form's field name first (a correction's own ``reason``)."""
    known = set(names)
    fields: dict[str, list[str]] = {}
    general: list[str] = []

    def put(loc: str | None, text: str) -> None:
        loc = (rename or {}).get(loc or "", loc)
        name = (loc or "").removeprefix("changes.").split(".")[0]
        if name in known:
            fields.setdefault(name, []).append(text)
        else:
            general.append(f"{field_label(name)}：{text}" if name else text)

    if isinstance(error, RuleViolationError):
        for v in error.violations:
            rule = RULES.get(v.rule)
            title = f"{v.rule}（{rule.title_zh}）" if rule else v.rule
            put(v.field, f"{title}：{_message(v.message_zh, v.message_en)}")
        overridable = all(violation_overridable(v) for v in error.violations if v.rule in RULES)
        return Refusal(fields, general, overridable, error.rules)
    if isinstance(error, ValidationError):
        for e in error.errors:
            put(e.loc, e.msg)
        return Refusal(fields, general)
    general.append(f"{getattr(error, 'title', '')}：{error.detail}")
    return Refusal(fields, general)


def form_error(name: str, message: str) -> ValidationError:
    return ValidationError([FieldError(name, message)])
