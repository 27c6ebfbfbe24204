"""An entry's record on the cadre keeps its original payload and its values as it now stands in dicts of
their own (domain/cadre.py): a correction gives the entry new values and leaves the original as stored."""

from __future__ import annotations

from service.application import Jishi
from service.commands import CorrectEntry
from tests import factories as f


def test_an_entry_record_holds_its_original_and_its_values_in_separate_equal_dicts(app: Jishi) -> None:
    cadre_id = f.registered(app)
    record = next(iter(app.repository.get(cadre_id).entries.values()))
    assert record.values == record.original
    assert record.values is not record.original
    assert record.original["name"] == "王芳"


def test_a_correction_changes_the_values_and_leaves_the_original_as_recorded(app: Jishi) -> None:
    cadre_id = f.registered(app)
    registration = next(iter(app.repository.get(cadre_id).entries))
    app.handle(CorrectEntry(cadre_id, registration, {"changes": {"name": "王芳芳"}, "reason": "笔误"}), f.HR)
    record = app.repository.get(cadre_id).entries[registration]
    assert (record.values["name"], record.original["name"]) == ("王芳芳", "王芳")
