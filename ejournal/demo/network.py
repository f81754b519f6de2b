"""The demo school network of Krasnodar: the city, its four districts, schools with real-looking names."""

from __future__ import annotations

import random
from dataclasses import dataclass

from ejournal.schools.models import District, Municipality, School

from .bulk import BulkWriter

MUNICIPALITY = {
    "name": "Муниципальное образование город Краснодар",
    "short_name": "Краснодар",
    "department_name": "Департамент образования администрации муниципального образования город Краснодар",
}

# District → streets of that district (for school addresses).
DISTRICT_STREETS = {
    "Западный": [
        "ул. Северная",
        "ул. Гоголя",
        "ул. Кубанская Набережная",
        "ул. Красных Партизан",
        "ул. Тургенева",
        "ул. Промышленная",
        "ул. Гимназическая",
        "ул. Кожевенная",
    ],
    "Карасунский": [
        "ул. Ставропольская",
        "ул. Селезнёва",
        "ул. Уральская",
        "ул. Тюляева",
        "ул. Сормовская",
        "ул. Бургасская",
        "ул. Стахановская",
        "ул. Новороссийская",
    ],
    "Прикубанский": [
        "ул. Московская",
        "ул. Российская",
        "ул. Восточно-Кругликовская",
        "ул. Алма-Атинская",
        "ул. им. 70-летия Октября",
        "ул. Калинина",
        "ул. Рождественская Набережная",
        "ул. Бульварное Кольцо",
    ],
    "Центральный": [
        "ул. Красная",
        "ул. Мира",
        "ул. Пушкина",
        "ул. Октябрьская",
        "ул. Седина",
        "ул. Коммунаров",
        "ул. Рашпилевская",
        "ул. Кирова",
    ],
}
DISTRICTS = list(DISTRICT_STREETS)

# Kind → (share of the city's schools, relative size, short name pattern, code prefix, highest grade).
KINDS = {
    School.Kind.SOSH: (0.64, 1.0, "СОШ № {n}", "sosh", 11),
    School.Kind.GYMNASIUM: (0.12, 1.1, "гимназия № {n}", "gym", 11),
    School.Kind.LYCEUM: (0.08, 1.0, "лицей № {n}", "lyc", 11),
    School.Kind.SOSH_UIOP: (0.07, 1.2, "СОШ № {n} с углублённым изучением отдельных предметов", "uiop", 11),
    School.Kind.OOSH: (0.04, 0.4, "ООШ № {n}", "oosh", 9),
    School.Kind.NOSH: (0.03, 0.3, "НОШ № {n}", "nosh", 4),
    School.Kind.CENTRE: (0.02, 0.8, "центр образования № {n}", "co", 11),
}


@dataclass(frozen=True)
class SchoolPlan:
    """What the people step needs to know about one school."""

    id: int
    district_id: int
    number: int
    kind: str
    short_name: str
    max_grade: int
    students: int
    half_year_seniors: bool  # grades 10–11 marked by half-years instead of quarters


@dataclass(frozen=True)
class Network:
    municipality_id: int
    district_ids: list[int]
    schools: list[SchoolPlan]


def network_build(writer: BulkWriter, rng: random.Random, *, schools: int, students: int) -> Network:
    """Queue the municipality, districts and `schools` schools sharing `students` students.

    The first school is always a full СОШ (grades 1–11) in the first district:
    the demo logins live there.
    """
    city_id = writer.add(Municipality, **MUNICIPALITY)
    district_ids = [
        writer.add(
            District,
            municipality_id=city_id,
            name=name,
            office_name=f"Отдел образования {name[:-2].lower()}ого внутригородского округа",
        )
        for name in DISTRICTS
    ]
    kinds = [School.Kind.SOSH, *rng.choices(list(KINDS), weights=[k[0] for k in KINDS.values()], k=schools - 1)]
    numbers = sorted(rng.sample(range(1, max(schools + schools // 5, 2) + 1), schools))
    numbers.insert(0, numbers.pop(rng.randrange(len(numbers))))
    sizes = _split(students, [KINDS[k][1] * rng.uniform(0.75, 1.25) for k in kinds])
    plans = []
    for index, (kind, number, size) in enumerate(zip(kinds, numbers, sizes, strict=True)):
        district = 0 if index == 0 else rng.randrange(len(DISTRICTS))
        plans.append(_school_add(writer, rng, city_id, district_ids[district], DISTRICTS[district], kind, number, size))
    return Network(municipality_id=city_id, district_ids=district_ids, schools=plans)


def _school_add(writer, rng, city_id, district_id, district_name, kind, number, size) -> SchoolPlan:
    _, _, pattern, prefix, max_grade = KINDS[kind]
    short_name = pattern.format(n=number)
    legal_form = "МАОУ" if rng.random() < 0.25 else "МБОУ"
    code = f"{prefix}{number}"
    school_id = writer.add(
        School,
        municipality_id=city_id,
        district_id=district_id,
        number=number,
        kind=kind,
        full_name=f"{legal_form} {short_name}",
        short_name=short_name,
        code=code,
        address=f"3500{rng.randrange(10, 90)}, г. Краснодар, {rng.choice(DISTRICT_STREETS[district_name])}, "
        f"д. {rng.randrange(1, 250)}",
        site_url=f"https://{code}.centerstart.ru",
        phone=f"+7 (861) {rng.randrange(200, 300)}-{rng.randrange(10, 100)}-{rng.randrange(10, 100)}",
        email=f"school{number}@kubannet.ru",
        max_grade=max_grade,
    )
    return SchoolPlan(
        id=school_id,
        district_id=district_id,
        number=number,
        kind=kind,
        short_name=short_name,
        max_grade=max_grade,
        students=size,
        half_year_seniors=max_grade == 11 and kind in (School.Kind.GYMNASIUM, School.Kind.LYCEUM),
    )


def _split(total: int, weights: list[float]) -> list[int]:
    """Split `total` into integer parts proportional to `weights`, each at least 1, summing exactly."""
    scale = total / sum(weights)
    parts = [max(1, int(w * scale)) for w in weights]
    for i in range(total - sum(parts)):
        parts[i % len(parts)] += 1
    return parts
