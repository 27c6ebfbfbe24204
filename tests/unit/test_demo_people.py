"""The demo's people: a given name that matches the recorded gender (no 黄建军 女, no 黄桂花 男)."""

from __future__ import annotations

import random
from datetime import date
from types import SimpleNamespace

from faker.providers.person.zh_CN import Provider

from demo.people import People

FEMALE = set(Provider.first_names_female)
MALE = set(Provider.first_names_male)


def given_name(name: str) -> str:
    """The longest known given name the full name ends with (玉华 rather than 华)."""
    return next(g for g in sorted(FEMALE | MALE, key=len, reverse=True) if name.endswith(g) and len(name) > len(g))


def test_every_generated_woman_has_a_female_given_name_and_every_man_a_male_one() -> None:
    people = People(random.Random(7), seed=7)
    county = SimpleNamespace(region="140521")
    made = [people.make(f"QS{i:05d}", county, date(1980 + i % 20, 1 + i % 12, 1 + i % 28), female=i % 2 == 0,
                        veteran=i % 3 == 0, work_started=date(2005, 7, 1)) for i in range(400)]
    for person in made:
        own = FEMALE if person.gender == "2" else MALE
        assert given_name(person.name) in own, person.name
        assert given_name(person.name) != "红霞", person.name
        assert person.payload["gender"] == person.gender and person.payload["name"] == person.name
    assert {p.gender for p in made} == {"1", "2"}


def test_the_same_seed_gives_the_same_names() -> None:
    def names(seed: int) -> list[str]:
        people = People(random.Random(seed), seed=seed)
        county = SimpleNamespace(region="140521")
        return [people.make(f"QS{i:05d}", county, date(1985, 3, 1 + i), female=i % 2 == 1, veteran=False,
                            work_started=date(2008, 7, 1)).name for i in range(20)]

    assert names(3) == names(3) and names(3) != names(4)
