"""The school's own subjects next to the city catalogue: add, rename, deactivate."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record, diff
from ejournal.schools.models import School

from ..models import Subject

SHORT_MAX = 32


def _names_check(*, school_id: int | None, name: str, short_name: str, pk: int | None = None) -> tuple[str, str]:
    """Normalise the names; refuse an empty one or a name the school or the catalogue already has."""
    name = " ".join(name.split())
    short_name = " ".join(short_name.split()) or name[:SHORT_MAX]
    if not name:
        raise ValidationError(_("Укажите название предмета."))
    if len(name) > 150 or len(short_name) > SHORT_MAX:
        raise ValidationError(_("Название — до 150 знаков, сокращение — до 32."))
    visible = Subject.objects.filter(Q(school__isnull=True) | Q(school=school_id))
    if pk is not None:
        visible = visible.exclude(pk=pk)
    key = name.lower().replace("ё", "е")
    for other in visible.only("name", "school_id"):
        if other.name.lower().replace("ё", "е") == key:
            if other.school_id is None:
                raise ValidationError(_("Предмет «%(name)s» уже есть в городском перечне.") % {"name": other.name})
            raise ValidationError(_("Предмет «%(name)s» в школе уже есть.") % {"name": other.name})
    return name, short_name


@transaction.atomic
def subject_create(*, school: School, name: str, short_name: str, actor: Actor) -> Subject:
    """Add a subject of the school's own (an elective, a course of its curriculum)."""
    name, short_name = _names_check(school_id=school.pk, name=name, short_name=short_name)
    subject = Subject.objects.create(school=school, name=name, short_name=short_name, position=200)
    audit_record(actor=actor, action="subject_create", obj=subject, changes={"name": [None, name]})
    return subject


def _own(subject: Subject) -> None:
    if subject.school_id is None:
        raise ValidationError(_("Предметы городского перечня школа не меняет."))


@transaction.atomic
def subject_update(*, subject: Subject, name: str, short_name: str, actor: Actor) -> Subject:
    """Rename a subject of the school's own."""
    _own(subject)
    name, short_name = _names_check(school_id=subject.school_id, name=name, short_name=short_name, pk=subject.pk)
    changes = diff(subject, {"name": name, "short_name": short_name})
    subject.name, subject.short_name = name, short_name
    subject.save(update_fields=["name", "short_name"])
    audit_record(actor=actor, action="subject_update", obj=subject, changes=changes)
    return subject


@transaction.atomic
def subject_set_active(*, subject: Subject, is_active: bool, actor: Actor) -> Subject:
    """Stop offering a subject of the school's own (its history stays), or bring it back."""
    _own(subject)
    if subject.is_active != is_active:
        audit_record(
            actor=actor, action="subject_set_active", obj=subject, changes={"is_active": [subject.is_active, is_active]}
        )
        subject.is_active = is_active
        subject.save(update_fields=["is_active"])
    return subject
