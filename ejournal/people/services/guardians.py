"""Guardians and their links to children."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ejournal.access.generation import access_changed
from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record

from ..models import Guardian, GuardianLink, Student
from ..selectors import case_variants
from .common import apply_changes

# --- guardians --------------------------------------------------------------------------------


def _digits(phone: str) -> str:
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return digits[-10:]


def guardian_match(*, last_name: str, first_name: str, phone: str = "", email: str = "") -> Guardian | None:
    """The same person already known in the city: same name and the same phone or e-mail."""
    if not (_digits(phone) or email):
        return None
    namesakes = Guardian.objects.filter(
        last_name__in=case_variants(last_name), first_name__in=case_variants(first_name)
    )
    for guardian in namesakes:
        if (_digits(phone) and _digits(guardian.phone) == _digits(phone)) or (
            email and guardian.email.lower() == email.strip().lower()
        ):
            return guardian
    return None


@transaction.atomic
def guardian_create(
    *,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    phone: str = "",
    email: str = "",
    student: Student,
    relation: str,
    actor: Actor,
) -> Guardian:
    """Record a guardian of `student` and link them; a guardian already known in the city is reused."""
    guardian = guardian_match(last_name=last_name, first_name=first_name, phone=phone, email=email)
    if guardian is None:
        guardian = Guardian.objects.create(
            last_name=last_name.strip(),
            first_name=first_name.strip(),
            middle_name=middle_name.strip(),
            phone=phone.strip(),
            email=email.strip(),
        )
        audit_record(
            actor=actor,
            action="guardian_create",
            obj=guardian,
            school_id=student.school_id,
            changes={"full_name": [None, guardian.full_name]},
        )
    guardian_link(guardian=guardian, student=student, relation=relation, actor=actor)
    return guardian


@transaction.atomic
def guardian_update(
    *, guardian: Guardian, last_name: str, first_name: str, middle_name: str, phone: str, email: str, actor: Actor
) -> Guardian:
    values = {
        "last_name": last_name.strip(),
        "first_name": first_name.strip(),
        "middle_name": middle_name.strip(),
        "phone": phone.strip(),
        "email": email.strip(),
    }
    return apply_changes(guardian, values, action="guardian_update", actor=actor, school_id=actor.school_id)


@transaction.atomic
def guardian_link(*, guardian: Guardian, student: Student, relation: str, actor: Actor) -> GuardianLink:
    if relation not in GuardianLink.Relation.values:
        raise ValidationError(_("Укажите, кем родитель приходится ребёнку."))
    if GuardianLink.objects.filter(guardian=guardian, student=student).exists():
        raise ValidationError(
            _("%(guardian)s уже связан(а) с ребёнком %(student)s.")
            % {"guardian": guardian.full_name, "student": student.full_name}
        )
    link = GuardianLink.objects.create(
        school_id=student.school_id, guardian=guardian, student=student, relation=relation
    )
    audit_record(
        actor=actor, action="guardian_link", obj=link, changes={"relation": [None, link.get_relation_display()]}
    )
    access_changed([guardian.user_id])
    return link


@transaction.atomic
def guardian_unlink(*, link: GuardianLink, actor: Actor) -> None:
    audit_record(actor=actor, action="guardian_unlink", obj=link, changes={"link": [str(link), None]})
    link.delete()
    access_changed([link.guardian.user_id])


_SUBJECT = re.compile(r"^[A-Za-z0-9-]{1,64}$")


@transaction.atomic
def guardian_esia_subject_set(*, guardian: Guardian, subject: str, actor: Actor) -> None:
    """Record (or clear) the parent's identifier at the state identity provider, copied from a document.

    It is the only thing sign-in through the provider links an account by; one account per identifier.
    """
    from ejournal.accounts.models import User

    if guardian.user_id is None:
        raise ValidationError(_("У родителя ещё нет логина: сначала выдайте логин и пароль."))
    subject = subject.strip()
    if subject and not _SUBJECT.match(subject):
        raise ValidationError(_("Идентификатор состоит из цифр и латинских букв, без пробелов, до 64 знаков."))
    user = User.objects.select_for_update().get(pk=guardian.user_id)
    if subject and User.objects.filter(esia_subject=subject).exclude(pk=user.pk).exists():
        raise ValidationError(_("Этот идентификатор уже записан у другой учётной записи. Сверьте его с документом."))
    old = user.esia_subject or ""
    if old == subject:
        return
    User.objects.filter(pk=user.pk).update(esia_subject=subject or None)
    audit_record(
        actor=actor,
        action="esia_subject_set",
        obj=user,
        school_id=actor.school_id,
        changes={"esia_subject": [old, subject]},
    )
