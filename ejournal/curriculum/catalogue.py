"""The usual subjects of a Russian school (ФГОС), preloaded into the catalogue."""

# (name, short name) in the order a journal lists them.
SUBJECTS: list[tuple[str, str]] = [
    ("Русский язык", "Рус. яз."),
    ("Литературное чтение", "Лит. чт."),
    ("Литература", "Лит."),
    ("Родной язык", "Родн. яз."),
    ("Литературное чтение на родном языке", "Лит. чт. родн."),
    ("Иностранный язык (английский)", "Англ. яз."),
    ("Иностранный язык (немецкий)", "Нем. яз."),
    ("Иностранный язык (французский)", "Фр. яз."),
    ("Второй иностранный язык", "2-й ин. яз."),
    ("Математика", "Матем."),
    ("Алгебра", "Алгебра"),
    ("Геометрия", "Геометрия"),
    ("Вероятность и статистика", "Вер. и стат."),
    ("Информатика", "Информ."),
    ("Окружающий мир", "Окр. мир"),
    ("История", "История"),
    ("Обществознание", "Общество."),
    ("География", "Геогр."),
    ("Биология", "Биол."),
    ("Физика", "Физика"),
    ("Химия", "Химия"),
    ("Основы религиозных культур и светской этики", "ОРКСЭ"),
    ("Основы духовно-нравственной культуры народов России", "ОДНКНР"),
    ("Кубановедение", "Кубановед."),
    ("Музыка", "Музыка"),
    ("Изобразительное искусство", "ИЗО"),
    ("Труд (технология)", "Труд"),
    ("Физическая культура", "Физ-ра"),
    ("Основы безопасности и защиты Родины", "ОБЗР"),
    ("Индивидуальный проект", "Инд. проект"),
    ("Астрономия", "Астр."),
]


def catalogue_ensure(subject_model=None) -> int:
    """Add the catalogue subjects that are missing; return how many were added.

    `subject_model` lets the data migration pass its historical model; anything
    that empties the database (a flushed test database, `demo_city --rebuild`)
    calls this to get the catalogue back.
    """
    if subject_model is None:
        from .models import Subject as subject_model
    existing = set(subject_model.objects.filter(school__isnull=True).values_list("name", flat=True))
    missing = [
        subject_model(school=None, name=name, short_name=short_name, position=position * 10)
        for position, (name, short_name) in enumerate(SUBJECTS, start=1)
        if name not in existing
    ]
    subject_model.objects.bulk_create(missing)
    return len(missing)
