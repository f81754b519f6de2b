"""Cell parsers only roster files need: gender, a guardian's relation, a staff role.

The generic parsers (text, dates, phones, classes…) are in `ejournal.core.imports.fields`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ejournal.access.roles import Role
from ejournal.core.imports.fields import CellError, header_key
from ejournal.people.models import Gender, GuardianLink

GENDERS = {
    "м": Gender.MALE, "муж": Gender.MALE, "мужской": Gender.MALE, "m": Gender.MALE,
    "ж": Gender.FEMALE, "жен": Gender.FEMALE, "женский": Gender.FEMALE, "f": Gender.FEMALE,
}  # fmt: skip


def gender(value: str) -> str:
    try:
        return GENDERS[value.lower().rstrip(".")]
    except KeyError:
        raise CellError(_("Пол указывается буквой «м» или «ж».")) from None


RELATIONS = {
    "мать": GuardianLink.Relation.MOTHER, "мама": GuardianLink.Relation.MOTHER,
    "отец": GuardianLink.Relation.FATHER, "папа": GuardianLink.Relation.FATHER,
    "опекун": GuardianLink.Relation.GUARDIAN, "попечитель": GuardianLink.Relation.TRUSTEE,
    "приемныйродитель": GuardianLink.Relation.FOSTER, "приемнаямать": GuardianLink.Relation.FOSTER,
    "приемныйотец": GuardianLink.Relation.FOSTER,
    "законныйпредставитель": GuardianLink.Relation.REPRESENTATIVE,
    "иной законный представитель": GuardianLink.Relation.REPRESENTATIVE,
}  # fmt: skip
RELATIONS = {header_key(k): v for k, v in RELATIONS.items()}


def relation(value: str) -> str:
    try:
        return RELATIONS[header_key(value)]
    except KeyError:
        choices = ", ".join(str(label) for label in GuardianLink.Relation.labels)
        raise CellError(_("Кем приходится: одно из значений — %(choices)s.") % {"choices": choices}) from None


STAFF_ROLES = {
    "директор": Role.DIRECTOR,
    "заместительдиректора": Role.DEPUTY_HEAD, "завуч": Role.DEPUTY_HEAD,
    "ответственныйзаэж": Role.JOURNAL_COORDINATOR, "ответственныйзаведениеэж": Role.JOURNAL_COORDINATOR,
    "учитель": Role.TEACHER, "педагог": Role.TEACHER,
}  # fmt: skip


def staff_role(value: str) -> str:
    try:
        return STAFF_ROLES[header_key(value)]
    except KeyError:
        choices = "учитель, заместитель директора, директор, ответственный за ЭЖ"
        raise CellError(_("Роль: одно из значений — %(choices)s.") % {"choices": choices}) from None
