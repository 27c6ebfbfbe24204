"""A mixed write workload over HTTP, for the crash trials and the mixed load.

Each writer owns the cadres it registered and records entries on them (任职, 免职, 考核, 培训, 谈话 …),
corrects and retracts them, opens selection cases and records their steps; some requests are
refusals on purpose (a body the schema refuses, a stale ``expected_version``, an unknown cadre, a
date in the future). The posts are shared, so appointments of different writers race for them.

Every request carries a unique *marker* as its ``Idempotency-Key`` and ``X-Request-ID``: the server
stores the request id on every event the command records (provenance), so the stored events of one
request can be counted afterwards — that is how "stored exactly once" is checked.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import httpx

from domain.identity import make_id_number

EARLIEST = date(2012, 1, 1)  # entries fall between this day and LATEST (after every registration)
LATEST = date(2024, 12, 31)
UNITS = ("CT1", "CT2", "CT3")
# code, grade (职务层次), establishment (职数): P2 fills up, so some appointments meet R-EST
POSTS = (("P1", "142", 60), ("P2", "142", 2), ("P3", "150", 120))


@dataclass(frozen=True)
class Request:
    """One write: where it goes, its body, and the topic of the event it records if it is accepted."""

    marker: str  # Idempotency-Key and X-Request-ID
    kind: str  # register, entry:<Type>, correction, retraction, case, step:<Type>, refuse:<why>
    path: str
    body: dict[str, Any]
    topic: str  # the command's own event (its other events are on posts it moves)
    cadre: str | None = None  # the cadre it writes on (its writer's), if any

    @property
    def headers(self) -> dict[str, str]:
        return {"Idempotency-Key": self.marker, "X-Request-ID": self.marker}


@dataclass
class Outcome:
    """What became of a request: its status (None: no answer — in flight when the server died)."""

    request: Request
    status: int | None
    body: dict[str, Any] | None
    seconds: float
    error: str = ""
    ended: float = field(default_factory=time.monotonic)  # when the answer (or the failure) came

    @property
    def stored(self) -> bool:
        return self.status == 201


def send(client: httpx.Client, request: Request) -> Outcome:
    started = time.perf_counter()
    try:
        response = client.post(request.path, json=request.body, headers=request.headers)
    except httpx.TransportError as error:
        return Outcome(request, None, None, time.perf_counter() - started, type(error).__name__)
    body: dict[str, Any]
    try:
        body = response.json()
    except ValueError:
        body = {"text": response.text[:500]}
    return Outcome(request, response.status_code, body, time.perf_counter() - started)


@dataclass
class CadreState:
    cadre_id: str
    entries: dict[str, str] = field(default_factory=dict)  # entry_id → type, of entries still standing
    held: dict[tuple[str, str], date] = field(default_factory=dict)  # post → appointed on (entry's date)
    appointments: dict[str, tuple[str, str]] = field(default_factory=dict)  # Appointed entry_id → post
    changed: int = 1  # how many accepted writes changed its stream (≥ its version)


@dataclass
class WriterState:
    """What one writer knows it has recorded (learned only from 201 answers)."""

    index: int
    cadres: dict[str, CadreState] = field(default_factory=dict)
    cases: dict[str, date] = field(default_factory=dict)  # case_id → opened on

    def learn(self, outcome: Outcome) -> None:
        if outcome.status != 201 or outcome.body is None:
            return
        request, result = outcome.request, outcome.body
        kind = request.kind
        if kind == "register":
            self.cadres[result["cadre_id"]] = CadreState(result["cadre_id"])
            return
        if kind == "case":
            self.cases[result["case_id"]] = date.fromisoformat(request.body["effective_on"])
            return
        cadre = self.cadres.get(request.cadre or "")
        if cadre is None:
            return
        cadre.changed += 1
        entry_type = kind.removeprefix("entry:")
        if kind.startswith("entry:"):
            cadre.entries[result["entry_id"]] = entry_type
            post = (request.body.get("unit_code", ""), request.body.get("post_code", ""))
            if entry_type == "Appointed":
                cadre.held[post] = date.fromisoformat(request.body["effective_on"])
                cadre.appointments[result["entry_id"]] = post
            elif entry_type == "Dismissed":
                cadre.held.pop(post, None)
        elif kind == "retraction":
            target = request.path.rstrip("/").split("/")[-2]
            cadre.entries.pop(target, None)
            vacated = cadre.appointments.pop(target, None)
            if vacated is not None:
                cadre.held.pop(vacated, None)


def _day(rng: random.Random, after: date = EARLIEST, before: date = LATEST) -> date:
    span = max(0, (before - after).days)
    return after + timedelta(days=rng.randint(0, span))


def registration(marker: str, rng: random.Random) -> dict[str, Any]:
    birth = date(1975, 1, 1) + timedelta(days=rng.randint(0, 3650))
    return {"cadre_no": marker, "name": rng.choice(("王芳", "李强", "张伟", "刘洋", "陈静")),
            "gender": rng.choice("12"), "birth_date": birth.isoformat(), "ethnicity": "01",
            "id_number": make_id_number("110105", birth, f"{rng.randint(0, 999):03d}"), "political_status": "01",
            "education": "21", "full_time_education": True, "native_place": "河北保定",
            "work_started_on": "2008-07-01", "entry_channel": "考试录用", "rank": "四级主任科员"}


def _entry_values(entry_type: str, marker: str, rng: random.Random) -> dict[str, Any]:
    day = _day(rng)
    values: dict[str, Any] = {"effective_on": day.isoformat()}
    if entry_type == "Assessed":
        year = rng.randint(2012, 2023)
        values.update(effective_on=f"{year + 1}-01-15", kind="年度", period=str(year),
                      grade=rng.choice(("优秀", "称职", "称职", "基本称职")))
    elif entry_type == "TrainingCompleted":
        values.update(kind="在职培训", course="专题研讨班", provider="县委党校",
                      started_on=(day - timedelta(days=5)).isoformat(), hours=str(rng.choice((8, 16, 24, 40))),
                      passed=True)
    elif entry_type == "ConversationHeld":
        values.update(kind="谈心谈话", interviewer="组织部长", summary=f"谈心谈话，了解思想动态 {marker}")
    elif entry_type == "HardshipRecorded":
        values.update(description=f"家中老人患病 {marker}")
    elif entry_type == "DevelopmentLogged":
        values.update(author="导师李明", note=f"参与防汛值守 {marker}")
    elif entry_type == "PerformanceNoted":
        values.update(context="急难险重", task="防汛抢险", narrative=f"连续三昼夜坚守堤坝 {marker}",
                      reported_by="县应急局")
    return values


CORRECTIONS: dict[str, Callable[[random.Random, str], dict[str, Any]]] = {
    "TrainingCompleted": lambda rng, m: {"hours": str(rng.choice((12, 20, 32)))},
    "HardshipRecorded": lambda rng, m: {"description": f"家人重病（更正）{m}"},
    "ConversationHeld": lambda rng, m: {"summary": f"谈话提醒（更正）{m}"},
    "DevelopmentLogged": lambda rng, m: {"note": f"参与抗旱（更正）{m}"},
    "Assessed": lambda rng, m: {"grade": rng.choice(("优秀", "称职"))},
}
SIMPLE_ENTRIES = ("Assessed", "TrainingCompleted", "ConversationHeld", "HardshipRecorded", "DevelopmentLogged",
                  "PerformanceNoted")
KINDS: tuple[tuple[str, int], ...] = (
    ("register", 12), ("appoint", 14), ("dismiss", 5), ("simple", 30), ("correction", 10), ("retraction", 5),
    ("case", 4), ("step", 6), ("refuse:schema", 3), ("refuse:stale", 4), ("refuse:unknown", 3),
    ("refuse:future", 4))


class Generator:
    """The next request of one writer, given what it has recorded so far."""

    def __init__(self, state: WriterState, prefix: str, posts: list[tuple[str, str]], rng: random.Random) -> None:
        self.state, self.prefix, self.posts, self.rng = state, prefix, posts, rng
        self.count = 0

    def next(self) -> Request:
        self.count += 1
        marker = f"{self.prefix}-{self.count}"
        body: dict[str, Any]
        rng, cadres = self.rng, self.state.cadres
        choice = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0] if cadres else "register"
        if choice == "register":
            return Request(marker, "register", "/api/v1/cadres", registration(marker, rng),
                           "jishi.cadre.CadreRegistered")
        cadre = cadres[rng.choice(sorted(cadres))]
        entries = f"/api/v1/cadres/{cadre.cadre_id}/entries"
        if choice == "appoint":
            unit, post = rng.choice(self.posts)
            body = {"type": "Appointed", "effective_on": _day(rng).isoformat(), "unit_code": unit, "post_code": post,
                    "manner": "平职交流", "document_no": f"组干〔{marker}〕号"}
            return Request(marker, "entry:Appointed", entries, body, "jishi.cadre.Appointed", cadre.cadre_id)
        if choice == "dismiss" and cadre.held:
            (unit, post), since = rng.choice(sorted(cadre.held.items()))
            body = {"type": "Dismissed", "effective_on": _day(rng, since + timedelta(days=30)).isoformat(),
                    "unit_code": unit, "post_code": post, "reason": "调动"}
            return Request(marker, "entry:Dismissed", entries, body, "jishi.cadre.Dismissed", cadre.cadre_id)
        if choice == "correction":
            correctable = sorted((e, t) for e, t in cadre.entries.items() if t in CORRECTIONS)
            if correctable:
                entry_id, entry_type = rng.choice(correctable)
                body = {"changes": CORRECTIONS[entry_type](rng, marker), "reason": f"原记录有误，予以更正 {marker}"}
                return Request(marker, "correction", f"{entries}/{entry_id}/corrections", body,
                               "jishi.cadre.EntryCorrected", cadre.cadre_id)
        if choice == "retraction" and cadre.entries:
            entry_id = rng.choice(sorted(cadre.entries))
            return Request(marker, "retraction", f"{entries}/{entry_id}/retractions",
                           {"reason": f"误录，撤销 {marker}"}, "jishi.cadre.EntryRetracted", cadre.cadre_id)
        if choice == "case":
            unit, post = rng.choice(self.posts)
            body = {"effective_on": _day(rng).isoformat(), "unit_code": unit, "post_code": post, "method": "民主推荐",
                    "reason": f"岗位空缺，经分析研判启动选任 {marker}"}
            return Request(marker, "case", "/api/v1/selection-cases", body, "jishi.case.CaseOpened")
        if choice == "step" and self.state.cases:
            case_id, opened = rng.choice(sorted(self.state.cases.items()))
            day = min(opened + timedelta(days=rng.randint(1, 40)), LATEST).isoformat()
            step = rng.choice(("Recommended", "Shortlisted", "Inspected"))
            if step == "Recommended":
                body = {"type": "Recommended", "effective_on": day, "kind": "会议推荐", "participants": 30,
                        "votes": {cadre.cadre_id: rng.randint(10, 30)}}
            elif step == "Shortlisted":
                body = {"type": "Shortlisted", "effective_on": day, "cadre_ids": [cadre.cadre_id]}
            else:
                body = {"type": "Inspected", "effective_on": day, "cadre_id": cadre.cadre_id,
                        "findings": f"政治素质好，工作实绩突出 {marker}"}
            return Request(marker, f"step:{body['type']}", f"/api/v1/selection-cases/{case_id}/steps", body,
                           f"jishi.case.{body['type']}")
        if choice == "refuse:schema":  # TrainingCompleted without its hours: the schema refuses it
            body = {"type": "TrainingCompleted", **_entry_values("TrainingCompleted", marker, rng)}
            del body["hours"]
            return Request(marker, choice, entries, body, "jishi.cadre.TrainingCompleted", cadre.cadre_id)
        if choice == "refuse:stale" and cadre.changed > 1:  # an expected_version it has moved past
            body = {"type": "HardshipRecorded", "expected_version": rng.randint(1, cadre.changed - 1),
                    **_entry_values("HardshipRecorded", marker, rng)}
            return Request(marker, choice, entries, body, "jishi.cadre.HardshipRecorded", cadre.cadre_id)
        if choice == "refuse:unknown":
            body = {"type": "HardshipRecorded", **_entry_values("HardshipRecorded", marker, rng)}
            return Request(marker, choice, f"/api/v1/cadres/{uuid4()}/entries", body, "jishi.cadre.HardshipRecorded")
        if choice == "refuse:future":  # R-FUTURE: not after today
            body = {"type": "HardshipRecorded", **_entry_values("HardshipRecorded", marker, rng),
                    "effective_on": (date.today() + timedelta(days=rng.randint(30, 300))).isoformat()}
            return Request(marker, choice, entries, body, "jishi.cadre.HardshipRecorded", cadre.cadre_id)
        entry_type = rng.choice(SIMPLE_ENTRIES)
        body = {"type": entry_type, **_entry_values(entry_type, marker, rng)}
        return Request(marker, f"entry:{entry_type}", entries, body, f"jishi.cadre.{entry_type}", cadre.cadre_id)


@dataclass
class Writer:
    """A client thread that sends its generator's requests until ``stop`` is set or the server is gone."""

    base: str
    token: str
    generator: Generator
    stop: threading.Event
    outcomes: list[Outcome] = field(default_factory=list)
    limit: int = 1_000_000
    stop_at_silence: bool = True  # a request without an answer ends the writer (the server was killed)

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.base, headers=headers, timeout=120) as client:
            while not self.stop.is_set() and len(self.outcomes) < self.limit:
                outcome = send(client, self.generator.next())
                self.outcomes.append(outcome)
                self.generator.state.learn(outcome)
                if outcome.status is None and self.stop_at_silence:
                    return


def prepare(client: httpx.Client) -> list[tuple[str, str]]:
    """The units and posts the writers share (idempotent: the same keys on a store that has them)."""
    posts: list[tuple[str, str]] = []
    body: dict[str, Any]
    for unit in UNITS:
        body = {"code": unit, "name": f"试验单位{unit}", "kind": "党委部门"}
        _must(client.post("/api/v1/units", json=body, headers={"Idempotency-Key": f"prepare-{unit}"}))
        for code, grade, establishment in POSTS:
            body = {"post_code": code, "title": "副部长" if grade == "142" else "科员", "grade": grade,
                    "leadership": grade == "142", "establishment": establishment, "probation": False,
                    "effective_on": "2010-01-01"}
            _must(client.post(f"/api/v1/units/{unit}/posts", json=body,
                              headers={"Idempotency-Key": f"prepare-{unit}-{code}"}))
            posts.append((unit, code))
    return posts


def _must(response: httpx.Response) -> None:
    if response.status_code != 201:
        raise RuntimeError(f"{response.request.url}: {response.status_code} {response.text[:300]}")
