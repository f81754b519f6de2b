"""Writes of the regulation app: the exemplary Regulation, a school's adoption, the coordinator's appointment."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.accounts.models import User
from ejournal.core.audit import audit_record, diff
from ejournal.people.models import RoleAssignment
from ejournal.people.services.staff import appointment_add, appointment_end
from ejournal.schools.models import Municipality, School

from .models import NORM_FIELDS, CoordinatorAppointment, Regulation
from .selectors import cache_forget


def order_number_clean(value: str) -> str:
    """The number of an order as typed, without a leading «№» (documents print «№ » before it themselves)."""
    return re.sub(r"^(?:№\s*)+", "", value.strip()).strip()


def _norms_check(values: dict[str, Any]) -> dict[str, Any]:
    missing = [name for name in NORM_FIELDS if values.get(name) is None]
    if missing:
        raise ValidationError(_("Заполните все нормы положения."))
    if not Decimal(5) >= values["suggestion_five"] > values["suggestion_four"] > values["suggestion_three"] > 1:
        raise ValidationError(
            _("Границы среднего балла должны убывать: для «5» больше, чем для «4», для «4» больше, чем для «3».")
        )
    if values["density_min_high_hours"] < values["density_min_low_hours"]:
        raise ValidationError(_("Минимум отметок при большем числе часов не может быть меньше, чем при малом."))
    if not 1 <= values["control_days"] <= 31:
        raise ValidationError(_("Проверять журнал нужно не реже одного раза в месяц (от 1 до 31 дня)."))
    return {name: values[name] for name in NORM_FIELDS}


def _forget_city(municipality_id: int) -> None:
    ids = list(School.objects.filter(municipality_id=municipality_id).values_list("id", flat=True))
    cache_forget(ids)
    transaction.on_commit(lambda: cache_forget(ids))


@transaction.atomic
def exemplary_save(*, municipality: Municipality, values: dict[str, Any], title: str = "", actor: Actor) -> Regulation:
    """Create or change the city's exemplary Regulation (the department's document)."""
    if actor.role != Role.MUNICIPAL_OFFICER or actor.municipality_id != municipality.pk:
        raise ValidationError(_("Примерное положение утверждает специалист департамента образования."))
    norms = _norms_check(values)
    title = title.strip() or _("Примерное положение о ведении электронных дневников и журналов")
    current = Regulation.objects.select_for_update().filter(municipality=municipality, school__isnull=True).first()
    if current is None:
        current = Regulation.objects.create(municipality=municipality, title=title, **norms)
        audit_record(actor=actor, action="regulation_exemplary_create", obj=current, changes=norms)
    else:
        changes = diff(current, {"title": title, **norms})
        for name, (_old, new) in changes.items():
            setattr(current, name, new)
        current.save()
        audit_record(actor=actor, action="regulation_exemplary_update", obj=current, changes=changes)
    _forget_city(municipality.pk)
    return current


@transaction.atomic
def school_regulation_adopt(
    *, school: School, values: dict[str, Any], adopted_on: dt.date, order_number: str, actor: Actor
) -> Regulation:
    """Adopt (or re-adopt) the school's own Regulation by the director's order: a full copy of the norms."""
    if actor.role != Role.DIRECTOR or actor.school_id != school.pk:
        raise ValidationError(_("Положение школы утверждает директор."))
    order_number = order_number_clean(order_number)
    if not order_number or adopted_on is None:
        raise ValidationError(_("Укажите номер и дату приказа об утверждении положения."))
    norms = _norms_check(values)
    base = Regulation.objects.filter(municipality_id=school.municipality_id, school__isnull=True).first()
    fields = {
        "title": _("Положение о ведении электронных дневников и журналов в %(school)s") % {"school": school.short_name},
        "adopted_on": adopted_on, "order_number": order_number, "derived_from": base, **norms,
    }  # fmt: skip
    current = Regulation.objects.select_for_update().filter(school=school).first()
    if current is None:
        current = Regulation.objects.create(municipality_id=school.municipality_id, school=school, **fields)
        audit_record(
            actor=actor, action="regulation_adopt", obj=current, changes={k: [None, v] for k, v in fields.items()}
        )
    else:
        changes = diff(current, fields)
        for name, (_old, new) in changes.items():
            setattr(current, name, new)
        current.save()
        audit_record(actor=actor, action="regulation_readopt", obj=current, changes=changes)
    cache_forget([school.pk])
    transaction.on_commit(lambda: cache_forget([school.pk]))
    return current


def _open_coordinator_role(user: User, school: School) -> RoleAssignment | None:
    return RoleAssignment.objects.filter(
        user=user, school=school, role=Role.JOURNAL_COORDINATOR, ends_on__isnull=True
    ).first()


@transaction.atomic
def coordinator_appoint(
    *, school: School, user: User, order_number: str, order_date: dt.date, starts_on: dt.date, actor: Actor
) -> CoordinatorAppointment:
    """Record the director's order appointing the journal coordinator; open the role, end the predecessor's."""
    if actor.role != Role.DIRECTOR or actor.school_id != school.pk:
        raise ValidationError(_("Ответственного за электронный журнал назначает директор."))
    order_number = order_number_clean(order_number)
    if not order_number:
        raise ValidationError(_("Укажите номер приказа о назначении."))
    if order_date > starts_on:
        raise ValidationError(_("Назначение не может начинаться раньше даты приказа."))
    if not RoleAssignment.objects.filter(user=user, school=school, ends_on__isnull=True).exists():
        raise ValidationError(_("Назначить можно только сотрудника школы."))
    previous = CoordinatorAppointment.objects.select_for_update().filter(school=school, ends_on__isnull=True).first()
    if previous is not None:
        if previous.user_id == user.pk:
            raise ValidationError(_("Этот сотрудник уже назначен ответственным."))
        coordinator_end(appointment=previous, ends_on=max(previous.starts_on, starts_on - dt.timedelta(days=1)),
                        actor=actor)  # fmt: skip
    role = _open_coordinator_role(user, school) or appointment_add(
        user=user, school=school, role=Role.JOURNAL_COORDINATOR, position=_("ответственный за ЭЖ"),
        starts_on=starts_on, actor=actor,
    )  # fmt: skip
    appointment = CoordinatorAppointment.objects.create(
        school=school, user=user, order_number=order_number, order_date=order_date, starts_on=starts_on,
        role_assignment=role, created_by_id=actor.user_id_required,
    )  # fmt: skip
    audit_record(
        actor=actor, action="coordinator_appoint", obj=appointment,
        changes={"user": [None, user.get_full_name()], "order": [None, str(appointment)]},
    )  # fmt: skip
    return appointment


@transaction.atomic
def coordinator_end(*, appointment: CoordinatorAppointment, ends_on: dt.date, actor: Actor) -> CoordinatorAppointment:
    """End a coordinator's appointment on `ends_on` and the journal_coordinator role it opened."""
    if actor.role != Role.DIRECTOR or actor.school_id != appointment.school_id:
        raise ValidationError(_("Ответственного за электронный журнал назначает директор."))
    if appointment.ends_on is not None:
        raise ValidationError(_("Назначение уже завершено."))
    if ends_on < appointment.starts_on:
        raise ValidationError(_("Дата окончания не может быть раньше начала назначения."))
    appointment.ends_on = ends_on
    appointment.save(update_fields=["ends_on"])
    role = appointment.role_assignment
    if role is not None and role.ends_on is None:
        appointment_end(assignment=role, ends_on=max(ends_on, role.starts_on or ends_on), actor=actor)
    audit_record(actor=actor, action="coordinator_end", obj=appointment, changes={"ends_on": [None, ends_on]})
    return appointment
