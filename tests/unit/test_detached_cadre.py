"""R-RETROACTIVE keeps the cadre as it was before a late entry (projections/retroactive.py ``detached``)
while the event is applied to the cached aggregate in place: the copy must stay what ``deepcopy`` keeps,
through entries of every type, corrections, a correction of a correction and retractions of both."""

from __future__ import annotations

import copy
from typing import Any

from domain.cadre import Cadre
from projections.retroactive import detached
from service.application import Jishi
from service.commands import CorrectEntry, RetractEntry
from tests import factories as f


def _view(cadre: Cadre) -> tuple[Any, ...]:
    """Everything of a cadre an event can change, as plain values."""
    return (cadre.cadre_no, cadre.registrant_scope, cadre.version,
            [(key, r.entry_id, r.type, r.version, r.recorded_at, dict(r.original), dict(r.values),
              list(r.corrections), r.retracted_by, r.overrides) for key, r in cadre.entries.items()],
            {key: (root, dict(changes)) for key, (root, changes) in cadre.correction_changes.items()})


def test_a_detached_cadre_stays_as_a_deep_copy_stays_while_every_later_event_is_applied(app: Jishi) -> None:
    f.organisation(app)
    cadre_id = f.registered(app)
    done = dict(f.every_entry(app, cadre_id))
    training = done["TrainingCompleted"].entry_id
    first = app.handle(CorrectEntry(cadre_id, training, {"changes": {"hours": "48"}, "reason": "补登"}), f.HR)
    second = app.handle(CorrectEntry(cadre_id, first.entry_id, {"changes": {"hours": "56"}, "reason": "再更正"}), f.HR)
    app.handle(RetractEntry(cadre_id, second.entry_id, {"reason": "更正有误"}), f.HR)
    app.handle(RetractEntry(cadre_id, done["EducationAttained"].entry_id, {"reason": "误录"}), f.HR)
    events = list(app.events.get(cadre_id))
    kinds = {type(e).__name__ for e in events}
    assert {"EntryCorrected", "EntryRetracted", "Appointed", "CadreRegistered"} <= kinds
    for event in events[1:]:
        cadre = app.repository.get(cadre_id, version=event.originator_version - 1)
        deep, ours = copy.deepcopy(cadre), detached(cadre)
        assert _view(ours) == _view(deep)
        event.mutate(cadre)  # as the applier's cache does: in place
        assert _view(ours) == _view(deep), type(event).__name__
        assert _view(cadre) != _view(deep)
