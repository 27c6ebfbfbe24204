"""Post 职位: a seat in a unit with its grade (职务层次) and establishment (职数).

The post keeps who holds it and when (its occupancy), so that appointing saves the
cadre and the post together: two appointments racing for the last seat conflict on the
post's stream and only one is stored.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, AggregateCreated

from domain.bounds import CODE_LENGTH, MAX_ESTABLISHMENT, NAME_LENGTH
from domain.recorded import RecordedEvent
from domain.schema import Code, Range, Text

Tenure = tuple[date, date | None]  # [start, end): end is the first day no longer held


class Post(Aggregate):
    TOPIC = "jishi.Post"

    class Event(Aggregate.Event):
        TOPIC = "jishi.Post.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "jishi.Post.Created"

    def __init__(self) -> None:
        self.unit_code = ""
        self.post_code = ""
        self.title = ""
        self.grade = ""
        self.leadership = False
        self.probation = False
        self.established_on: date | None = None
        self.abolished_on: date | None = None
        # (effective date, establishment) in effective order
        self.establishment_schedule: list[tuple[date, int]] = []
        self.occupancy: dict[UUID, tuple[Tenure, ...]] = {}

    def establishment_on(self, day: date) -> int:
        current = 0
        for since, number in self.establishment_schedule:
            if since <= day:
                current = number
        return current

    def exists_on(self, day: date) -> bool:
        started = self.established_on is not None and self.established_on <= day
        return started and (self.abolished_on is None or day < self.abolished_on)


class PostEvent(RecordedEvent):
    STREAM: ClassVar[str] = "post"


class PostEstablished(PostEvent, AggregateCreated):
    LABEL: ClassVar[str] = "设立职位"
    FIELD_OVERRIDES: ClassVar[dict[str, object]] = {}  # effective_on optional: None = before records
    unit_code: Annotated[str, Text(CODE_LENGTH)]
    post_code: Annotated[str, Text(CODE_LENGTH)]
    title: Annotated[str, Text(NAME_LENGTH)]
    grade: Annotated[str, Code("grade")]
    leadership: bool
    establishment: Annotated[int, Range(1, MAX_ESTABLISHMENT)]  # 职数
    probation: bool

    def apply(self, post: Post) -> None:
        post.unit_code, post.post_code, post.title = self.unit_code, self.post_code, self.title
        post.grade, post.leadership, post.probation = self.grade, self.leadership, self.probation
        post.established_on = self.effective_on or date.min
        post.establishment_schedule = [(post.established_on, self.establishment)]


class EstablishmentChanged(PostEvent):
    LABEL: ClassVar[str] = "职数调整"
    establishment: Annotated[int, Range(1, MAX_ESTABLISHMENT)]

    def apply(self, post: Post) -> None:
        assert self.effective_on is not None
        post.establishment_schedule = sorted(
            [*post.establishment_schedule, (self.effective_on, self.establishment)],
            key=lambda item: item[0],
        )


class PostAbolished(PostEvent):
    LABEL: ClassVar[str] = "撤销职位"

    def apply(self, post: Post) -> None:
        post.abolished_on = self.effective_on


class OccupancyChanged(PostEvent):
    """Mirror of a cadre's tenures at this post after an appointment, dismissal,
    departure, or a correction or retraction of one of them."""

    LABEL: ClassVar[str] = "任职变动"
    cadre_id: UUID
    tenures: tuple[Tenure, ...]
    cause_entry_id: UUID

    def apply(self, post: Post) -> None:
        if self.tenures:
            post.occupancy[self.cadre_id] = self.tenures
        else:
            post.occupancy.pop(self.cadre_id, None)

    @staticmethod
    def holders_on(occupancy: dict[UUID, tuple[Tenure, ...]], day: date) -> int:
        return sum(
            1
            for tenures in occupancy.values()
            for start, end in tenures
            if start <= day and (end is None or day < end)
        )
