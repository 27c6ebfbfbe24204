"""Who the cadres are: names (Faker ``zh_CN``), valid GB 11643 ID numbers and realistic code mixes."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from faker import Faker
from faker.providers.person.zh_CN import Provider as ChineseNames

from domain import ids
from domain.identity import make_id_number

# GB/T 3304: mostly 汉族, with the minorities of a northern county.
ETHNICITIES = (("01", 0.94), ("03", 0.025), ("11", 0.02), ("02", 0.01), ("10", 0.005))
# GB/T 4762: leaders are party members; staff mostly so.
POLITICAL_STAFF = (("01", 0.80), ("02", 0.02), ("03", 0.06), ("13", 0.07), ("04", 0.01), ("08", 0.01),
                   ("09", 0.01), ("12", 0.02))
# GB/T 4658-2006 by generation: (code, full-time, weight)
EDUCATION_YOUNG = (("14", True, 0.22), ("21", True, 0.70), ("11", True, 0.01), ("31", True, 0.07))
EDUCATION_OLD = (("21", False, 0.45), ("21", True, 0.25), ("31", False, 0.15), ("14", False, 0.10),
                 ("41", True, 0.05))
MAJORS = ("法学", "汉语言文学", "行政管理", "经济学", "会计学", "农学", "计算机科学与技术", "土木工程",
          "思想政治教育", "公共事业管理", "财政学", "新闻学", "水利水电工程", "临床医学", "环境工程", "历史学")
NATIVE = ("山西晋城", "山西长治", "山西晋城", "山西晋城", "山西临汾", "河南焦作", "山西太原", "河北邯郸")
CHANNELS_VETERAN = (("考试录用", 0.70), ("转任", 0.10), ("调任", 0.06), ("军转安置", 0.08), ("定向选调生", 0.06))
CHANNELS_RECRUIT = (("考试录用", 0.78), ("定向选调生", 0.08), ("应届选调生", 0.08), ("军转安置", 0.06))
# Faker zh_CN's male given names, less the one a reader takes for a woman's (红霞).
MALE_GIVEN_NAMES = tuple(g for g in ChineseNames.first_names_male if g not in {"红霞"})


def pick(rng: random.Random, options: tuple[tuple[Any, float], ...]) -> Any:
    return rng.choices([o[0] for o in options], weights=[o[1] for o in options])[0]


@dataclass
class Person:
    """The generator's view of one cadre (what the guards will see, kept in step with the record)."""

    no: str
    name: str
    gender: str
    birth: date
    county: Any
    payload: dict[str, Any]
    talent: float  # 0..1: how likely 优秀, a pool, a promotion
    cid: UUID = field(init=False)
    registered: date | None = None
    rank: str = "一级科员"
    rank_since: date | None = None
    post: tuple[str, str] | None = None
    post_since: date | None = None
    post_entry: UUID | None = None
    grade_since: dict[str, date] = field(default_factory=dict)  # post grade -> since (current spell)
    annual: dict[int, tuple[str, date]] = field(default_factory=dict)  # year -> (grade, recorded day)
    sanctions: list[tuple[str, date]] = field(default_factory=list)  # kind, day
    no_promotion_until: date = date.min  # influence period (last forbidden day)
    investigated: bool = False
    pools: dict[str, tuple[date, UUID]] = field(default_factory=dict)
    secondment: tuple[UUID, str, date, date] | None = None
    departed: date | None = None
    busy_until: date = date.min  # reserved by a selection case, a move …
    frozen: set[str] = field(default_factory=set)  # seeded situations the simulation must keep
    merit_streak: int = 0
    mentor_of: int = 0
    last_promotion: date | None = None
    grassroots_days: int = 0
    grassroots_since: date | None = None
    retire_on: date = date.max

    def __post_init__(self) -> None:
        self.cid = ids.cadre_id(self.no)

    def age_on(self, day: date) -> int:
        return day.year - self.birth.year - ((day.month, day.day) < (self.birth.month, self.birth.day))

    def retirement(self, leader: bool) -> date:
        """退休: at 60, women who are not leaders at 55 (fixed when the record opens)."""
        age = 55 if self.gender == "2" and not leader else 60
        return date(self.birth.year + age, self.birth.month, min(self.birth.day, 28))

    @property
    def leader(self) -> bool:
        return self.post is not None and self.post[1] != "KY"

    def active(self, day: date) -> bool:
        return self.registered is not None and self.registered <= day and self.departed is None

    def free(self, day: date) -> bool:
        return self.active(day) and self.busy_until < day and self.secondment is None and not self.frozen


class People:
    """Makes people with Faker ``zh_CN`` names (seeded) and valid ID numbers."""

    def __init__(self, rng: random.Random, seed: int) -> None:
        self.rng = rng
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.sequence: dict[tuple[str, date], int] = {}

    def make(self, no: str, county: Any, birth: date, *, female: bool, veteran: bool, work_started: date,
             channel: str | None = None, political: str | None = None) -> Person:
        rng = self.rng
        # Faker's name_female()/name_male() draw given names from both lists (黄建军 女); the given name
        # follows the gender here: 姓 + a female or male 名.
        given = self.fake.first_name_female() if female else self.fake.random_element(MALE_GIVEN_NAMES)
        name = self.fake.last_name() + given
        gender = "2" if female else "1"
        key = (county.region, birth)
        n = self.sequence.get(key, 0) + 1
        self.sequence[key] = n
        seq = (n * 2 + (0 if female else 1)) % 1000  # the last digit's parity is the sex (GB 11643)
        id_number = make_id_number(county.region, birth, f"{seq:03d}")
        status = political or pick(rng, POLITICAL_STAFF)
        young = birth.year >= 1985
        education, full_time = pick(rng, tuple(((c, f), w) for c, f, w in (EDUCATION_YOUNG if young
                                                                            else EDUCATION_OLD)))
        channel = channel or pick(rng, CHANNELS_VETERAN if veteran else CHANNELS_RECRUIT)
        payload: dict[str, Any] = {
            "cadre_no": no, "name": name, "gender": gender, "birth_date": birth.isoformat(),
            "ethnicity": pick(rng, ETHNICITIES), "id_number": id_number, "political_status": status,
            "education": education, "full_time_education": full_time, "native_place": rng.choice(NATIVE),
            "work_started_on": work_started.isoformat(), "entry_channel": channel,
            "major": rng.choice(MAJORS),
        }
        if status in ("01", "02"):
            joined = min(work_started + timedelta(days=rng.randint(-900, 2500)), date(2016, 6, 30) if veteran
                         else work_started - timedelta(days=rng.randint(30, 900)))
            joined = max(joined, birth + timedelta(days=18 * 366))
            payload["party_joined_on"] = joined.isoformat()
        return Person(no, name, gender, birth, county, payload, rng.random())
