"""Russian names with correct gender forms, from Faker's ru_RU lists and a seeded RNG.

Faker's lists are read once and sampled with our own `random.Random`, which is
both deterministic and far faster than calling Faker per person. Children get
mostly today's popular names; a father's first name gives his children's
patronymic, so a family reads as one.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from faker.providers.person.ru_RU import Provider as RuPerson

MALE, FEMALE = "m", "f"

# Common names of fathers (and of boys); each has a regular patronymic.
POPULAR_MALE = [
    "Александр",
    "Алексей",
    "Андрей",
    "Антон",
    "Артём",
    "Борис",
    "Вадим",
    "Валерий",
    "Василий",
    "Виктор",
    "Виталий",
    "Владимир",
    "Владислав",
    "Георгий",
    "Григорий",
    "Даниил",
    "Денис",
    "Дмитрий",
    "Евгений",
    "Егор",
    "Иван",
    "Игорь",
    "Кирилл",
    "Константин",
    "Максим",
    "Марк",
    "Матвей",
    "Михаил",
    "Олег",
    "Павел",
    "Пётр",
    "Роман",
    "Руслан",
    "Сергей",
    "Станислав",
    "Степан",
    "Тимофей",
    "Фёдор",
    "Юрий",
    "Ярослав",
    "Лев",
    "Илья",
    "Никита",
]
POPULAR_FEMALE = [
    "Анна",
    "Мария",
    "Елизавета",
    "Дарья",
    "Полина",
    "Виктория",
    "Алиса",
    "Анастасия",
    "Екатерина",
    "София",
    "Варвара",
    "Ксения",
    "Вероника",
    "Александра",
    "Валерия",
    "Ульяна",
    "Василиса",
    "Евгения",
    "Кира",
    "Маргарита",
    "Таисия",
    "Ирина",
    "Ольга",
    "Елена",
    "Наталья",
    "Татьяна",
    "Юлия",
    "Светлана",
    "Марина",
    "Ангелина",
    "Алина",
    "Эмилия",
]
# Patronymics that the suffix rule below gets wrong.
IRREGULAR_PATRONYMIC = {
    "Павел": ("Павлович", "Павловна"),
    "Пётр": ("Петрович", "Петровна"),
    "Лев": ("Львович", "Львовна"),
    "Илья": ("Ильич", "Ильинична"),
    "Никита": ("Никитич", "Никитична"),
    "Фёдор": ("Фёдорович", "Фёдоровна"),
    "Артём": ("Артёмович", "Артёмовна"),
    "Михаил": ("Михайлович", "Михайловна"),
    "Георгий": ("Георгиевич", "Георгиевна"),
    "Дмитрий": ("Дмитриевич", "Дмитриевна"),
}

_TRANSLIT = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфхцыэ", "abvgdeziiklmnoprstufhcye", strict=True)),
        "ё": "e",
        "ж": "zh",
        "ч": "ch",
        "ш": "sh",
        "щ": "sch",
        "ю": "yu",
        "я": "ya",
        "ъ": "",
        "ь": "",
    }
)


def patronymic(father_first_name: str, gender: str) -> str:
    """Form the patronymic of a son (`m`) or daughter (`f`) of a father with this first name."""
    male, female = IRREGULAR_PATRONYMIC.get(father_first_name) or _regular_patronymic(father_first_name)
    return male if gender == MALE else female


def _regular_patronymic(name: str) -> tuple[str, str]:
    if name.endswith("ий"):  # Василий → Васильевич
        stem = name[:-2] + "ье"
    elif name[-1] in "йь":
        stem = name[:-1] + "е"
    else:
        stem = name + "о"
    return stem + "вич", stem + "вна"


def translit(text: str) -> str:
    """Latin letters for a login: «Кузнецова» → «kuznecova»."""
    return text.lower().translate(_TRANSLIT)


@dataclass(frozen=True)
class Person:
    last_name: str
    first_name: str
    middle_name: str
    gender: str


class NameSource:
    """Seeded source of names; the same seed gives the same people in the same order."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.surnames = list(zip(RuPerson.last_names_male, RuPerson.last_names_female, strict=True))

    def surname_pair(self) -> tuple[str, str]:
        """(male, female) forms of one surname."""
        return self.rng.choice(self.surnames)

    def first_name(self, gender: str, *, popular: float = 0.7) -> str:
        names: Sequence[str]
        if gender == MALE:
            names = POPULAR_MALE if self.rng.random() < popular else RuPerson.first_names_male
        else:
            names = POPULAR_FEMALE if self.rng.random() < popular else RuPerson.first_names_female
        return self.rng.choice(names)

    def adult(self, gender: str | None = None) -> Person:
        """An unrelated adult (a teacher, an officer)."""
        gender = gender or self.rng.choice((MALE, FEMALE, FEMALE, FEMALE))  # most teachers are women
        male_surname, female_surname = self.surname_pair()
        father = self.rng.choice(POPULAR_MALE)
        return Person(
            last_name=male_surname if gender == MALE else female_surname,
            first_name=self.first_name(gender, popular=0.8),
            middle_name=patronymic(father, gender),
            gender=gender,
        )

    def gender(self) -> str:
        return self.rng.choice((MALE, FEMALE))
