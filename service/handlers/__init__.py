"""One handler per command: ``HANDLERS[type(command)](command, context) -> Recorded``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from service import commands
from service.handlers import cadres, calendar, cases, imports, units
from service.handlers.context import Context
from service.results import Recorded

Handler = Callable[[Any, Context], Recorded]

HANDLERS: dict[type[commands.Command], Handler] = {
    commands.RegisterUnit: units.register_unit,
    commands.RenameUnit: units.rename_unit,
    commands.DissolveUnit: units.dissolve_unit,
    commands.EstablishPost: units.establish_post,
    commands.ChangeEstablishment: units.change_establishment,
    commands.AbolishPost: units.abolish_post,
    commands.RecordAssessmentParticipants: units.record_assessment_participants,
    commands.RegisterCadre: cadres.register_cadre,
    commands.RecordEntry: cadres.record_entry,
    commands.CorrectEntry: cadres.correct_entry,
    commands.RetractEntry: cadres.retract_entry,
    commands.OpenCase: cases.open_case,
    commands.RecordCaseStep: cases.record_case_step,
    commands.CorrectCaseStep: cases.correct_case_step,
    commands.RetractCaseStep: cases.retract_case_step,
    commands.PublishCalendar: calendar.publish_calendar,
    commands.RecordImport: imports.record_import,
}

__all__ = ["HANDLERS", "Context", "Handler"]
