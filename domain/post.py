"""Post 职位: a seat in a unit with its grade (职务层次) and establishment (职数).

The post keeps who holds it and when (its occupancy), so that appointing saves the
cadre and the post together: two appointments racing for the last seat conflict on the
post's stream and only one is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, ClassVar
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, AggregateCreated

from domain.bounds import CODE_LENGTH, MAX_ESTABLISHMENT, NAME_LENGTH
from domain.recorded import Provenance, RecordedEvent, provenance_fields
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


class UnitPosts(Aggregate):
    """目录: the codes of a unit's posts, so the write side can find who holds a post of the unit
    on a day (R-EXCELLENT-QUOTA's participants) without a read model. Created empty with the unit
    and listed to with each post, in the same transaction."""

    TOPIC = "jishi.UnitPosts"

    class Event(Aggregate.Event):
        TOPIC = "jishi.UnitPosts.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "jishi.UnitPosts.Created"

    def __init__(self) -> None:
        self.unit_code = ""
        self.post_codes: list[str] = []

    def list_post(self, post_code: str, by: Provenance) -> None:
        if post_code not in self.post_codes:
            self.trigger_event(PostListed, post_code=post_code, effective_on=None, **provenance_fields(by))


class PostDirectoryOpened(RecordedEvent, AggregateCreated):
    """Bookkeeping (``jishi.system.*``: not an entry of any record, left out of audit trails)."""

    STREAM: ClassVar[str] = "system"
    LABEL: ClassVar[str] = "职位目录"
    unit_code: str

    def apply(self, directory: UnitPosts) -> None:
        directory.unit_code = self.unit_code


class PostListed(RecordedEvent):
    STREAM: ClassVar[str] = "system"
    LABEL: ClassVar[str] = "职位入目录"
    post_code: str

    def apply(self, directory: UnitPosts) -> None:
        directory.post_codes.append(self.post_code)


ESTABLISHED_TOPIC = PostEstablished.TOPIC


def new_directory(unit_code: str, by: Provenance) -> UnitPosts:
    """The empty directory of a unit being registered."""
    from domain import ids

    return UnitPosts._create(PostDirectoryOpened, id=ids.unit_posts_id(unit_code), unit_code=unit_code,
                             effective_on=None, **provenance_fields(by))


def posts_in_log(app: Application[UUID], unit_code: str) -> list[str]:
    """The codes of the posts established in ``unit_code`` as the stored log says, for a unit
    registered before units kept a directory (a store recorded by an older version): one scan of
    the ``PostEstablished`` events, after which the unit gets its directory."""
    found: list[str] = []
    start, page = 1, 1000
    while True:
        notes = app.recorder.select_notifications(start, page, topics=(ESTABLISHED_TOPIC,))
        for note in notes:
            event = app.mapper.to_domain_event(note)
            if isinstance(event, PostEstablished) and event.unit_code == unit_code:
                found.append(event.post_code)
        if len(notes) < page:
            return found
        start = notes[-1].id + 1


def directory_of(find: Callable[[type[UnitPosts], UUID], UnitPosts | None], app: Application[UUID],
                 unit_code: str, by: Provenance) -> tuple[UnitPosts, bool]:
    """The unit's post directory and whether it is new (then it must be saved with the command):
    a unit of an older store gets one now, listing the posts its log holds."""
    from domain import ids

    directory = find(UnitPosts, ids.unit_posts_id(unit_code))
    if directory is not None:
        return directory, False
    directory = new_directory(unit_code, by)
    for post_code in posts_in_log(app, unit_code):
        directory.list_post(post_code, by)
    return directory, True
