"""Every entry type of DOMAIN.md §4 is stored, reloaded and shown with Chinese labels."""

from __future__ import annotations

from domain.cadre_entries import ENTRY_TYPES, RECORDABLE_TYPES
from domain.labels import describe
from service.commands import RecordEntry
from tests import factories as f
from tests.conftest import AppFactory


def test_every_entry_type_is_stored_reloaded_and_labelled_in_chinese(make_app: AppFactory) -> None:
    writer = make_app()
    f.organisation(writer)
    cadre_id = f.registered(writer)
    recorded = f.every_entry(writer, cadre_id)
    assert {t for t, _ in recorded} == set(RECORDABLE_TYPES), "the sample covers every type"

    reader = make_app()  # a fresh process over the same store
    cadre = reader.get_cadre(cadre_id)
    original = writer.get_cadre(cadre_id)
    for entry_type, result in recorded:
        record = cadre.entry(result.entry_id)
        assert record is not None and record.type == entry_type
        assert record.values == original.entries[result.entry_id].values
        shown = describe(record)
        assert shown["type_label"] == ENTRY_TYPES[entry_type].LABEL
        assert shown["type_label"] and any("\u4e00" <= ch <= "\u9fff" for ch in shown["type_label"])
        assert shown["category"]


def test_registration_shows_code_labels_beside_codes(app: f.Jishi) -> None:
    cadre_id = f.registered(app)
    shown = describe(app.get_cadre(cadre_id).entries[next(iter(app.get_cadre(cadre_id).entries))])
    assert shown["type_label"] == "录用/建档"
    assert (shown["gender"], shown["gender_label"]) == ("2", "女")
    assert shown["ethnicity_label"] == "汉族"
    assert shown["political_status_label"] == "中共党员"
    assert shown["education_label"].startswith("大学本科")


def test_each_event_has_a_stable_explicit_topic(app: f.Jishi) -> None:
    f.organisation(app)
    f.registered(app)
    topics = [n.topic for n in app.recorder.select_notifications(1, 100)]
    # each with its bookkeeping (jishi.system.*) saved in the same transaction: the unit's post directory,
    # the claim on the cadre's ID number
    assert topics == ["jishi.unit.UnitRegistered", "jishi.system.PostDirectoryOpened",
                      "jishi.post.PostEstablished", "jishi.system.PostListed",
                      "jishi.cadre.CadreRegistered", "jishi.system.IdNumberClaimed"]
    for name, cls in ENTRY_TYPES.items():
        assert f"jishi.cadre.{name}" == cls.TOPIC


def test_provenance_is_stored_on_every_event(app: f.Jishi) -> None:
    f.organisation(app)
    cadre_id = f.registered(app)
    result = app.handle(RecordEntry(cadre_id, "Appointed", f.appointment()), f.HR)
    event = next(e for e in app.events.get(cadre_id) if e.originator_version == result.version)
    assert (event.actor, event.actor_role, event.request_id) == ("hr-zhang", "hr", "req-1")
    assert event.document_no == "组干〔2020〕1号"
