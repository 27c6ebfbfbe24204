"""How an entry is shown to a person: Chinese labels beside codes and type names."""

from __future__ import annotations

from typing import Any

from domain.cadre import EntryRecord
from domain.cadre_entries import ENTRY_TYPES
from domain.codes import CODE_TABLES
from domain.schema import field_specs


def type_label(entry_type: str) -> str:
    return ENTRY_TYPES[entry_type].LABEL


def with_labels(entry_type: str, values: dict[str, Any]) -> dict[str, Any]:
    """The values plus a ``<field>_label`` for every code-table field."""
    shown = dict(values)
    for spec in field_specs(ENTRY_TYPES[entry_type]):
        value = values.get(spec.name)
        if spec.code_table and value is not None:
            table = CODE_TABLES[spec.code_table]
            shown[f"{spec.name}_label"] = table.entries.get(str(value), str(value))
    return shown


def describe(record: EntryRecord) -> dict[str, Any]:
    """An entry as a person reads it: type and category in Chinese, fields with labels."""
    cls = ENTRY_TYPES[record.type]
    return {
        "entry_id": str(record.entry_id),
        "type": record.type,
        "type_label": cls.LABEL,
        "category": cls.CATEGORY,
        "recorded_at": record.recorded_at.isoformat(),
        "corrected": bool(record.corrections),
        "retracted": not record.stands,
        "overrides": list(record.overrides),
        **with_labels(record.type, record.values),
    }
