"""School settings of the journal: kinds of work with their weights, and mark scales per subject."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record, diff_apply
from ejournal.curriculum.models import Subject
from ejournal.schools.models import School

from .. import school_cache
from ..models import MARK_FAIL, MARK_PASS, MarkScale, ScaleKind, WorkType
from ..rules import rules_for

# code, name, weight, is_written, is_composition: the exemplary Regulation's defaults.
DEFAULT_WORK_TYPES = [
    ("answer", gettext_noop("Ответ на уроке"), "1", False, False),
    ("independent", gettext_noop("Самостоятельная работа"), "1.5", True, False),
    ("test", gettext_noop("Контрольная работа"), "2", True, False),
    ("dictation", gettext_noop("Диктант"), "2", True, False),
    ("composition", gettext_noop("Сочинение"), "2", True, True),
    ("project", gettext_noop("Проект"), "1.5", False, False),
    ("term_test", gettext_noop("Итоговая (четвертная) контрольная работа"), "3", True, False),
]
DEFAULT_WORK_TYPE = "answer"
# Period marks beside the scale's values: «н/а» (not attested), «осв» (exempt).
SPECIAL = ("н/а", "осв")


def work_types_ensure(school: School) -> dict[str, WorkType]:
    """Create the default kinds of work a school lacks; return all of its kinds by code.

    Reads the school's cached constants first and writes only when a default
    code is missing. Idempotent (existing codes are left as the school set
    them); safe under concurrent calls thanks to the unique (school, code)
    constraint.
    """
    kinds = school_cache.school_constants(school.pk)["work_types"]
    if all(row[0] in kinds for row in DEFAULT_WORK_TYPES):
        return kinds
    _work_types_create(school, kinds)
    school_cache.school_constants_forget(school.pk)
    return school_cache.school_constants(school.pk, store=False)["work_types"]


def _work_types_create(school: School, kinds: dict[str, WorkType]) -> None:
    WorkType.objects.bulk_create(
        [
            WorkType(
                school=school,
                code=code,
                name=_(name),
                weight=Decimal(weight),
                is_written=written,
                is_composition=composition,
                position=(n + 1) * 10,
            )
            for n, (code, name, weight, written, composition) in enumerate(DEFAULT_WORK_TYPES)
            if code not in kinds
        ],
        ignore_conflicts=True,
    )


def default_work_type(school: School) -> WorkType:
    return work_types_ensure(school)[DEFAULT_WORK_TYPE]


def work_type_update(
    *,
    work_type: WorkType,
    name: str,
    weight: Decimal | str,
    is_written: bool,
    is_composition: bool = False,
    is_active: bool = True,
    actor: Actor,
) -> WorkType:
    """Change a kind of work of the school; marks already given keep their weight snapshot."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Введите название вида работы."))
    try:
        weight = Decimal(str(weight).replace(",", "."))
    except InvalidOperation:
        weight = Decimal("0")
    if not (Decimal("0") < weight <= Decimal("10")) or weight != weight.quantize(Decimal("0.01")):
        raise ValidationError(_("Вес — число больше 0 и не больше 10, не более двух знаков после запятой."))
    values = {
        "name": name,
        "weight": weight,
        "is_written": is_written,
        "is_composition": is_composition,
        "is_active": is_active,
    }
    with transaction.atomic():
        changes = diff_apply(work_type, values)
        work_type.save()
        audit_record(actor=actor, action="work_type_updated", obj=work_type, changes=changes)
        school_cache.school_constants_forget(work_type.school_id)
    return work_type


def scale_of(school: School, subject_id: int) -> str:
    """The scale kind of a subject in a school: its own setting, else the rules' default."""
    return school_cache.school_constants(school.pk)["scales"].get(subject_id) or rules_for(school).default_scale


def allowed_period_values(scale: str) -> tuple[str, ...]:
    """Period marks a subject's scale allows, «н/а» (not attested) and «осв» (exempt) included."""
    if scale == ScaleKind.PASS_FAIL:
        return (MARK_PASS, MARK_FAIL, *SPECIAL)
    low = 2 if scale == ScaleKind.FIVE_FROM_TWO else 1
    return (*(str(v) for v in range(5, low - 1, -1)), *SPECIAL)


def mark_scale_set(*, school: School, subject: Subject, kind: str, actor: Actor) -> MarkScale:
    """Set the scale of a subject in a school (five-point 1–5 or 2–5, or pass/fail)."""
    if kind not in ScaleKind.values:
        raise ValidationError(_("Неизвестная шкала отметок."))
    with transaction.atomic():
        scale, created = MarkScale.objects.select_for_update().get_or_create(
            school=school, subject=subject, defaults={"kind": kind}
        )
        old = None if created else scale.kind
        if not created and scale.kind != kind:
            scale.kind = kind
            scale.save(update_fields=["kind"])
        audit_record(actor=actor, action="mark_scale_set", obj=scale, changes={"kind": [old, kind]})
        school_cache.school_constants_forget(school.pk)
    return scale
