"""One sheet of students with their guardians: a row per (student, guardian); the student repeats."""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext_lazy

from ejournal.core.imports.base import Importer, Row

from .guardians import GUARDIAN_COLUMNS, GuardianImporter
from .students import STUDENT_COLUMNS, StudentImporter

# On this sheet the guardian's name columns must say whose they are: «Фамилия» is the student's.
GUARDIAN_LABELS = {
    "g_last_name": "Фамилия родителя",
    "g_first_name": "Имя родителя",
    "g_middle_name": "Отчество родителя",
    "phone": "Телефон родителя",
    "email": "E-mail родителя",
}


class StudentGuardianImporter(Importer):
    kind = "students_guardians"
    title = gettext_lazy("Обучающиеся с родителями")
    columns = (
        *STUDENT_COLUMNS,
        *(
            replace(
                c,
                label=GUARDIAN_LABELS.get(c.key, c.label),
                synonyms=c.synonyms[:0] if c.key in GUARDIAN_LABELS else c.synonyms,
            )
            for c in GUARDIAN_COLUMNS
        ),
    )
    examples = (
        {**StudentImporter.examples[0], **GuardianImporter.examples[0]},
        {**StudentImporter.examples[0], "g_last_name": "Иванов", "g_first_name": "Сергей", "g_middle_name": "Петрович",
         "phone": "8 918 765-43-21", "relation": "отец"},
        {**StudentImporter.examples[1], **GuardianImporter.examples[1]},
    )  # fmt: skip

    def __init__(self, ctx):
        super().__init__(ctx)
        self.students = StudentImporter(ctx)
        self.students.allow_repeats = True
        self.guardians = GuardianImporter(ctx)
        self.students.counts = self.guardians.counts = self.counts

    @property
    def repeated_rows(self) -> int:  # type: ignore[override]  # the students importer's count
        """Rows naming again a student of an earlier row (another guardian): with the students, the file's rows."""
        return self.students.repeated_rows

    def check(self, row: Row) -> None:
        student = self.students.student_of(row)
        if any(row.raw(c.key) for c in GUARDIAN_COLUMNS):
            self.guardians.link_guardian(row, student)

    def save(self, *, actor=None) -> None:
        self.students.save(actor=actor)
        self.guardians.save(actor=actor)
