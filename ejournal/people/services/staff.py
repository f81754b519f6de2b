"""Staff appointments and credentials (logins with one-time passwords)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ejournal.access.generation import access_changed
from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.accounts.models import User
from ejournal.accounts.passwords import one_time_password_hash
from ejournal.core.audit import audit_record
from ejournal.schools.models import School, SchoolClass

from ..credentials import login_candidates, login_stem, password_generate
from ..models import Guardian, RoleAssignment, Student
from ..selectors import class_credentials_plan
from .common import date_ru

STAFF_ROLES = (Role.TEACHER, Role.DEPUTY_HEAD, Role.JOURNAL_COORDINATOR, Role.DIRECTOR)
# Appointing (or ending) these takes the director: the director appoints the coordinator (order No. 271, 3.2).
DIRECTOR_ONLY_ROLES = (Role.DIRECTOR, Role.JOURNAL_COORDINATOR)


# --- staff ---------------------------------------------------------------------------------------


def _appointment_check(*, user: User | None, school: School, role: str, actor: Actor) -> None:
    if role not in STAFF_ROLES:
        raise ValidationError(_("Выберите роль сотрудника школы."))
    if role in DIRECTOR_ONLY_ROLES and actor.role != Role.DIRECTOR:
        raise ValidationError(_("Назначить на роль «%(role)s» может только директор.") % {"role": Role(role).label})
    if (
        user is not None
        and RoleAssignment.objects.filter(user=user, school=school, role=role, ends_on__isnull=True).exists()
    ):
        raise ValidationError(_("Сотрудник уже назначен на роль «%(role)s».") % {"role": Role(role).label})


@dataclass(frozen=True)
class Credential:
    """A login and the one-time password, for the slip; the password is never stored in clear."""

    user_id: int
    login: str
    password: str


@transaction.atomic
def staff_add(
    *,
    school: School,
    last_name: str,
    first_name: str,
    middle_name: str = "",
    email: str = "",
    phone: str = "",
    roles: Iterable[str],
    position: str = "",
    starts_on: dt.date | None = None,
    actor: Actor,
) -> Credential:
    """Add a person to the school's staff: a new user with a login and one-time password, and appointments."""
    roles = list(dict.fromkeys(roles))
    if not roles:
        raise ValidationError(_("Выберите хотя бы одну роль."))
    for role in roles:
        _appointment_check(user=None, school=school, role=role, actor=actor)
    user = User(last_name=last_name.strip(), first_name=first_name.strip(), middle_name=middle_name.strip())
    user.email, user.phone = email.strip(), phone.strip()
    credential = _credential_write(user)
    for role in roles:
        assignment = RoleAssignment.objects.create(
            user=user, role=role, school=school, position=position.strip(), starts_on=starts_on
        )
        changes = {"user": [None, user.get_full_name()], "login": [None, user.username], "position": [None, position]}
        audit_record(actor=actor, action="staff_add", obj=assignment, changes=changes)
    access_changed([user.pk])
    return credential


@transaction.atomic
def appointment_add(
    *, user: User, school: School, role: str, position: str = "", starts_on: dt.date | None = None, actor: Actor
) -> RoleAssignment:
    """Give a member of the staff one more role (e.g. a teacher becomes the journal coordinator)."""
    _appointment_check(user=user, school=school, role=role, actor=actor)
    assignment = RoleAssignment.objects.create(
        user=user, role=role, school=school, position=position.strip(), starts_on=starts_on
    )
    audit_record(actor=actor, action="appointment_add", obj=assignment, changes={"role": [None, role]})
    access_changed([user.pk])
    return assignment


@transaction.atomic
def appointment_end(*, assignment: RoleAssignment, ends_on: dt.date, actor: Actor) -> RoleAssignment:
    """End an appointment on `ends_on` (its last day); the row stays for history."""
    if assignment.ends_on is not None:
        raise ValidationError(_("Назначение уже завершено %(date)s.") % {"date": date_ru(assignment.ends_on)})
    if assignment.starts_on and ends_on < assignment.starts_on:
        raise ValidationError(
            _("Дата окончания не может быть раньше начала назначения (%(date)s).")
            % {"date": date_ru(assignment.starts_on)}
        )
    if assignment.role in DIRECTOR_ONLY_ROLES and actor.role != Role.DIRECTOR:
        raise ValidationError(
            _("Снять с роли «%(role)s» может только директор.") % {"role": assignment.get_role_display()}
        )
    if assignment.user_id == actor.user_id and assignment.role == actor.role:
        raise ValidationError(_("Нельзя завершить назначение, под которым вы сейчас работаете."))
    assignment.ends_on = ends_on
    assignment.save(update_fields=["ends_on"])
    audit_record(actor=actor, action="appointment_end", obj=assignment, changes={"ends_on": [None, date_ru(ends_on)]})
    access_changed([assignment.user_id])
    return assignment


# --- credentials -----------------------------------------------------------------------------------


def _credential_write(user: User) -> Credential:
    """Give `user` a fresh one-time password and, if new, a unique readable login; save it."""
    password = password_generate()
    user.password = one_time_password_hash(password)  # random and changed at first sign-in: see accounts.passwords
    user.must_change_password = True
    if user.pk:
        user.save(update_fields=["password", "must_change_password"])
        return Credential(user_id=user.pk, login=user.username, password=password)
    stem = login_stem(user.last_name, user.first_name, user.middle_name)
    for candidate in login_candidates(stem):
        if User.objects.filter(username__iexact=candidate).exists():
            continue
        user.username = candidate
        try:
            with transaction.atomic():  # a concurrent request may take the same login: try the next one
                user.save()
        except IntegrityError:
            user.pk = None
            continue
        return Credential(user_id=user.pk, login=candidate, password=password)
    raise ValidationError(_("Не удалось подобрать свободный логин. Повторите попытку."))


def _staff_account_check(user: User, school_id: int, actor: Actor) -> None:
    """Refuse to reset an account that reaches more than this school's staff may touch."""
    if user.is_superuser or user.is_staff:
        raise ValidationError(_("Пароль этой учётной записи меняет администратор системы."))
    active = RoleAssignment.objects.filter(user=user).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate())
    )
    if active.exclude(school_id=school_id).exists():
        raise ValidationError(_("У сотрудника есть назначения вне вашей школы: пароль меняет их администрация."))
    if active.filter(role=Role.DIRECTOR).exists() and actor.role != Role.DIRECTOR:
        raise ValidationError(_("Пароль директора может сменить только директор."))


@transaction.atomic
def credentials_issue(*, person: Student | Guardian | User, school_id: int, actor: Actor) -> Credential:
    """Issue (or re-issue) a login and a one-time password for a student, a guardian or a staff member.

    A student's or guardian's account that also serves as a staff account is
    refused here: it is reset in the staff pages, by those who manage staff.
    """
    user: User | None
    if isinstance(person, User):
        user = person
        _staff_account_check(user, school_id, actor)
    else:
        user = person.user
        if user is not None and (
            user.is_superuser or user.is_staff or RoleAssignment.objects.filter(user=user).exists()
        ):
            raise ValidationError(
                _("Эта учётная запись — служебная. Пароль меняют в разделе «Сотрудники» директор или ответственный.")
            )
        if user is None:
            user = User(last_name=person.last_name, first_name=person.first_name, middle_name=person.middle_name)
            user.email, user.phone = getattr(person, "email", ""), getattr(person, "phone", "")
    old_login = user.username if user.pk else None
    credential = _credential_write(user)
    if not isinstance(person, User) and person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user"])
        access_changed([user.pk])
    audit_record(
        actor=actor,
        action="credentials_issue",
        obj=person,
        school_id=school_id,
        changes={"login": [old_login, credential.login], "one_time_password": "issued"},
    )
    return credential


@transaction.atomic
def class_credentials_issue(
    *, school_class: SchoolClass, who: str, reissue: bool, actor: Actor
) -> list[tuple[Student | Guardian, Credential, Student]]:
    """Issue credentials to the current students of a class or to their guardians (for a sheet of slips).

    Without `reissue` only people without a login get one, so slips already
    handed out stay valid. Returns (person, credential, the child) triples.
    """
    plan = class_credentials_plan(school_class=school_class, who=who, reissue=reissue)
    out: list[tuple[Student | Guardian, Credential, Student]] = []
    for person, child in plan.issue:
        out.append((person, credentials_issue(person=person, school_id=school_class.school_id, actor=actor), child))
    return out
