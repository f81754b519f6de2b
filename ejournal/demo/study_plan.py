"""The demo's standard curriculum (ФГОС, five-day week) and who teaches each subject.

Hours follow the federal basic curriculum of 2023 with one hour of
Kubanovedenie (Кубановедение), the Krasnodar regional subject, in every grade.
A foreign language from the 2nd grade and informatics are taught in two
subgroups. Every grade stays within the sanitary maximum of a five-day week
(ejournal.curriculum.rules), so a six-day school keeps the same hours.
"""

from __future__ import annotations

RUSSIAN = "Русский язык"
LITERARY_READING = "Литературное чтение"
LITERATURE = "Литература"
ENGLISH = "Иностранный язык (английский)"
MATHS = "Математика"
ALGEBRA = "Алгебра"
GEOMETRY = "Геометрия"
PROBABILITY = "Вероятность и статистика"
INFORMATICS = "Информатика"
WORLD = "Окружающий мир"
HISTORY = "История"
SOCIAL = "Обществознание"
GEOGRAPHY = "География"
BIOLOGY = "Биология"
PHYSICS = "Физика"
CHEMISTRY = "Химия"
ORKSE = "Основы религиозных культур и светской этики"
ODNKNR = "Основы духовно-нравственной культуры народов России"
KUBAN = "Кубановедение"
MUSIC = "Музыка"
ART = "Изобразительное искусство"
LABOUR = "Труд (технология)"
PE = "Физическая культура"
OBZR = "Основы безопасности и защиты Родины"
PROJECT = "Индивидуальный проект"

SUBGROUP_SUBJECTS = frozenset({ENGLISH, INFORMATICS})
SUBGROUP_NAMES = ("1 группа", "2 группа")

_PRIMARY_2_3 = [
    (RUSSIAN, 5), (LITERARY_READING, 4), (ENGLISH, 2), (MATHS, 4), (WORLD, 2), (MUSIC, 1), (ART, 1), (LABOUR, 1),
    (PE, 2), (KUBAN, 1),
]  # fmt: skip
# The state exams every student sits (ОГЭ in 9, ЕГЭ in 11): the curriculum marks them, the journal takes exam marks.
EXAM_SUBJECTS = {9: frozenset({RUSSIAN, ALGEBRA}), 11: frozenset({RUSSIAN, ALGEBRA})}

_SENIOR = [
    (RUSSIAN, 2), (LITERATURE, 3), (ENGLISH, 3), (ALGEBRA, 4), (GEOMETRY, 3), (PROBABILITY, 1), (INFORMATICS, 1),
    (HISTORY, 2), (SOCIAL, 2), (GEOGRAPHY, 1), (BIOLOGY, 1), (PHYSICS, 2), (CHEMISTRY, 1), (PE, 2), (OBZR, 1),
    (KUBAN, 1),
]  # fmt: skip

# grade → [(subject, hours a week)], in the order a journal lists them.
CURRICULUM: dict[int, list[tuple[str, int]]] = {
    1: [
        (RUSSIAN, 5), (LITERARY_READING, 4), (MATHS, 4), (WORLD, 2), (MUSIC, 1), (ART, 1), (LABOUR, 1), (PE, 2),
        (KUBAN, 1),
    ],
    2: _PRIMARY_2_3,
    3: _PRIMARY_2_3,
    4: [
        (RUSSIAN, 5), (LITERARY_READING, 3), (ENGLISH, 2), (MATHS, 4), (WORLD, 2), (ORKSE, 1), (MUSIC, 1), (ART, 1),
        (LABOUR, 1), (PE, 2), (KUBAN, 1),
    ],
    5: [
        (RUSSIAN, 5), (LITERATURE, 3), (ENGLISH, 3), (MATHS, 5), (HISTORY, 2), (GEOGRAPHY, 1), (BIOLOGY, 1),
        (MUSIC, 1), (ART, 1), (LABOUR, 2), (PE, 2), (ODNKNR, 1), (KUBAN, 1),
    ],
    6: [
        (RUSSIAN, 6), (LITERATURE, 3), (ENGLISH, 3), (MATHS, 5), (HISTORY, 2), (SOCIAL, 1), (GEOGRAPHY, 1),
        (BIOLOGY, 1), (MUSIC, 1), (ART, 1), (LABOUR, 2), (PE, 2), (KUBAN, 1),
    ],
    7: [
        (RUSSIAN, 4), (LITERATURE, 2), (ENGLISH, 3), (ALGEBRA, 3), (GEOMETRY, 2), (PROBABILITY, 1), (INFORMATICS, 1),
        (HISTORY, 2), (SOCIAL, 1), (GEOGRAPHY, 2), (BIOLOGY, 1), (PHYSICS, 2), (MUSIC, 1), (ART, 1), (LABOUR, 2),
        (PE, 2), (KUBAN, 1),
    ],
    8: [
        (RUSSIAN, 3), (LITERATURE, 2), (ENGLISH, 3), (ALGEBRA, 3), (GEOMETRY, 2), (PROBABILITY, 1), (INFORMATICS, 1),
        (HISTORY, 2), (SOCIAL, 1), (GEOGRAPHY, 2), (BIOLOGY, 2), (PHYSICS, 2), (CHEMISTRY, 2), (MUSIC, 1),
        (LABOUR, 1), (PE, 2), (OBZR, 1), (KUBAN, 1),
    ],
    9: [
        (RUSSIAN, 3), (LITERATURE, 3), (ENGLISH, 3), (ALGEBRA, 3), (GEOMETRY, 2), (PROBABILITY, 1), (INFORMATICS, 1),
        (HISTORY, 2), (SOCIAL, 1), (GEOGRAPHY, 2), (BIOLOGY, 2), (PHYSICS, 3), (CHEMISTRY, 2), (LABOUR, 1), (PE, 2),
        (OBZR, 1), (KUBAN, 1),
    ],
    10: [*_SENIOR, (PROJECT, 1)],
    11: _SENIOR,
}  # fmt: skip

PRIMARY = "учитель начальных классов"
MATHS_TEACHER = "учитель математики"
# Subjects a primary class teacher teaches in his own class (grades 1–4); the rest go to subject teachers.
PRIMARY_TEACHER_SUBJECTS = frozenset({RUSSIAN, LITERARY_READING, MATHS, WORLD, ART, LABOUR, ORKSE, KUBAN})
_POSITIONS = {
    "учитель русского языка и литературы": (RUSSIAN, LITERATURE, PROJECT),
    MATHS_TEACHER: (MATHS, ALGEBRA, GEOMETRY, PROBABILITY),
    "учитель английского языка": (ENGLISH,),
    "учитель истории и обществознания": (HISTORY, SOCIAL, ODNKNR, KUBAN),
    "учитель физики": (PHYSICS,),
    "учитель химии": (CHEMISTRY,),
    "учитель биологии": (BIOLOGY,),
    "учитель географии": (GEOGRAPHY,),
    "учитель информатики": (INFORMATICS,),
    "учитель физической культуры": (PE,),
    "учитель музыки": (MUSIC,),
    "учитель изобразительного искусства": (ART,),
    "учитель технологии": (LABOUR,),
    "учитель основ безопасности и защиты Родины": (OBZR,),
}
SUBJECT_POSITION = {subject: position for position, subjects in _POSITIONS.items() for subject in subjects}


def teacher_position(subject: str, grade: int) -> str:
    """The position of the teacher who teaches `subject` in `grade` (a primary class teacher in grades 1–4)."""
    if grade <= 4 and subject in PRIMARY_TEACHER_SUBJECTS:
        return PRIMARY
    return SUBJECT_POSITION[subject]


def positions_teaching(grade: int) -> set[str]:
    """Subject teachers' positions that have lessons in `grade`."""
    return {teacher_position(subject, grade) for subject, _ in CURRICULUM[grade]} - {PRIMARY}


def weekly_lessons(grade: int) -> int:
    """Lessons a class of `grade` sits in a week (a subgroup lesson counts once)."""
    return sum(hours for _, hours in CURRICULUM[grade])
