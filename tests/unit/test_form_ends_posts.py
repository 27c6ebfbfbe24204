"""The entry form's choice of posts an appointment ends (任…免…): checkboxes of the posts held that day,
sent as a list (none chosen is an answer too), and a correction that changes only what changed."""

from __future__ import annotations

from datetime import date

from starlette.datastructures import FormData

from api.pages import forms
from domain.cadre_entries import Appointed
from tests import factories as f

DAY = date(2023, 6, 1)


def test_the_posts_to_end_are_checkboxes_and_every_chosen_post_is_sent() -> None:
    field = next(x for x in forms.fields_of(Appointed, {}, references={"ends_posts": [("U1/P1", "副部长")]})
                 if x.name == "ends_posts")
    assert (field.kind, field.options) == ("checkboxes", [("U1/P1", "副部长")])
    both = FormData([("ends_posts", "U1/P1"), ("ends_posts", "U2/P3"), ("manner", "轮岗")])
    assert forms.payload_of(Appointed, both)["ends_posts"] == ["U1/P1", "U2/P3"]
    assert forms.payload_of(Appointed, FormData([("manner", "兼任")]))["ends_posts"] == []


def test_a_correction_form_sends_the_posts_to_end_only_when_they_changed() -> None:
    current = {"manner": "轮岗", "ends_posts": ("U1/P1",)}
    assert forms.changed({"manner": "轮岗", "ends_posts": ["U1/P1"]}, current) == {}
    assert forms.changed({"manner": "轮岗", "ends_posts": []}, current) == {"ends_posts": []}
    recorded_before = {"manner": "轮岗"}  # an appointment stored before ends_posts existed
    assert forms.changed({"manner": "轮岗", "ends_posts": []}, recorded_before) == {}
    assert forms.changed({"manner": "轮岗", "ends_posts": ["U1/P1"]}, recorded_before) == {"ends_posts": ["U1/P1"]}


def test_the_choices_are_the_posts_held_that_day_without_the_appointment_being_corrected() -> None:
    entries = [f.registration(), f.record("Appointed", date(2020, 1, 1), unit_code="U1", post_code="P1",
                                          manner="平职交流"),
               f.record("Appointed", date(2024, 1, 1), unit_code="U1", post_code="P9", manner="平职交流")]
    move = f.record("Appointed", DAY, unit_code="U2", post_code="P3", manner="轮岗", ends_posts=("U1/P1",))
    entries.append(move)
    title = {("U1", "P1"): "组织部副部长", ("U2", "P3"): "宣传部部长", ("U1", "P9"): "组织部主任"}

    def held(day: date, exclude: f.UUID | None = None) -> list[tuple[str, str]]:
        return forms.held_posts(entries, day, lambda u, p: title[(u, p)], exclude)

    assert held(DAY, move.entry_id) == [("U1/P1", "组织部副部长（2020-01-01起）")]
    assert held(DAY) == [("U2/P3", "宣传部部长（2023-06-01起）")]  # the move itself ended P1 that day
    assert [value for value, _ in held(date(2024, 2, 1))] == ["U2/P3", "U1/P9"]
    assert forms.day_of("2023-06-01", date(2000, 1, 1)) == DAY and forms.day_of("", DAY) == DAY
