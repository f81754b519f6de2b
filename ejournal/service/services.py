"""Writes of the municipal service: accept an application, work on it, decide, withdraw a consent.

Each function runs in one transaction with its audit record. Bad input or a
step out of order raises `ValidationError` with a Russian message and writes
nothing. Authorization is the caller's (views check the policy and fetch the
application through the actor's selectors).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record, audit_record_many
from ejournal.people.models import Guardian, GuardianLink, Student
from ejournal.people.services import (
    Credential,
    credentials_issue,
    guardian_create,
    guardian_link,
    guardian_match,
    guardian_unlink,
)
from ejournal.schools.models import School

from .models import ApplicantKind, Application, Consent
from .rules import age_reached, service_setting

PARENT_KINDS = (ApplicantKind.PARENT, ApplicantKind.LEGAL, ApplicantKind.PROXY)


@dataclass(frozen=True)
class ApplicationInput:
    """What the applicant wrote on the public form (already trimmed by the form)."""

    applicant_kind: str
    relation: str
    last_name: str
    first_name: str
    middle_name: str
    phone: str
    email: str
    id_doc_type: str
    id_doc_number: str
    child_last_name: str
    child_first_name: str
    child_middle_name: str
    child_birth_date: dt.date
    child_class: str
    consent: bool


def application_check(data: ApplicationInput, *, today: dt.date) -> None:
    """Refuse what the service's rules do not allow: no consent, a child of the wrong age, no relation."""
    errors: dict[str, str] = {}
    if not data.consent:
        errors["consent"] = _("Без согласия на обработку персональных данных заявление не может быть принято.")
    born = data.child_birth_date
    if born > today:
        errors["child_birth_date"] = _("Дата рождения не может быть позже сегодняшнего дня.")
    elif data.applicant_kind == ApplicantKind.STUDENT:
        if not age_reached(born, months=12 * service_setting("student_min_years"), on=today):
            errors["child_birth_date"] = _(
                "Самостоятельно подать заявление может обучающийся, достигший %(years)s лет."
            ) % {"years": service_setting("student_min_years")}
    elif not age_reached(born, months=service_setting("parent_child_min_months"), on=today) or age_reached(
        born, months=12 * service_setting("parent_child_max_years"), on=today
    ):
        errors["child_birth_date"] = _("Услуга предоставляется родителям детей в возрасте от 6,5 до 18 лет.")
    if data.applicant_kind in PARENT_KINDS and data.relation not in GuardianLink.Relation.values:
        errors["relation"] = _("Укажите, кем вы приходитесь ребёнку.")
    if errors:
        raise ValidationError(errors)


def _next_seq(school: School) -> int:
    return (Application.objects.filter(school=school).aggregate(m=Max("seq"))["m"] or 0) + 1


def phone_digits(phone: str) -> str:
    """The last ten digits of a phone: +7 (918) 123-45-67 and 8 918 1234567 are the same number."""
    return "".join(ch for ch in phone if ch.isdigit())[-10:]


def _hold_reason(*, school: School, source: str, now: dt.datetime) -> str:
    """Why an application arriving now is held: more than an hour normally brings from its sender or to its school.

    Every saved application counts, held ones too, so a flood stays held while it lasts; counted in the
    database, so a restart or a stopped cache does not open the gate.
    """
    since = now - dt.timedelta(seconds=service_setting("rate_window_seconds"))
    recent = Application.objects.filter(received_at__gte=since)
    if source and recent.filter(source=source).count() >= service_setting("rate_per_ip"):
        return Application.HoldReason.ADDRESS
    if recent.filter(school=school).count() >= service_setting("rate_per_school"):
        return Application.HoldReason.SCHOOL
    return ""


def _form_used(form_nonce: str) -> ValidationError:
    number = Application.objects.filter(form_nonce=form_nonce).values_list("number", flat=True).first()
    return ValidationError(
        _(
            "Это заявление уже отправлено и зарегистрировано под номером %(number)s. "
            "Чтобы подать ещё одно, проверьте данные и отправьте форму ещё раз."
        )
        % {"number": number or "—"},
        code="form_used",
    )


@transaction.atomic
def application_submit(
    *, school: School, data: ApplicationInput, actor: Actor, form_nonce: str = "", source: str = ""
) -> Application:
    """Accept an application from the public page; only the last 4 characters of the document are kept.

    `form_nonce` is the one-time nonce of the form it came from: a second application from the same
    form is refused (the database decides, so two posts at once save one). `source` is the sender's
    keyed address: over the hourly limits the application is saved *held*, with no deadline running
    until the school releases it (`applications_release`), instead of being refused.
    """
    now = timezone.now()
    application_check(data, today=timezone.localdate(now))
    if form_nonce and Application.objects.filter(form_nonce=form_nonce).exists():
        raise _form_used(form_nonce)
    digits = "".join(ch for ch in data.id_doc_number if ch.isalnum())
    fields = {k: v for k, v in data.__dict__.items() if k not in ("id_doc_number", "consent")}
    hold = _hold_reason(school=school, source=source, now=now)
    application = Application(
        school=school,
        received_at=now,
        status=Application.Status.HELD if hold else Application.Status.RECEIVED,
        hold_reason=hold,
        due_on=None if hold else timezone.localdate(now) + dt.timedelta(days=service_setting("deadline_days")),
        id_doc_tail=digits[-4:],
        phone_digits=phone_digits(data.phone),
        consent_given=True,
        form_nonce=form_nonce,
        source=source,
        **fields,
    )
    if data.applicant_kind == ApplicantKind.STUDENT:
        application.relation = ""
    for _attempt in range(5):  # two applications at once may take the same number: take the next one
        application.seq = _next_seq(school)
        application.number = f"{school.code.upper()}-{application.seq:05d}"
        try:
            with transaction.atomic():
                application.save()
            break
        except IntegrityError:
            application.pk = None
            if form_nonce and Application.objects.filter(form_nonce=form_nonce).exists():
                raise _form_used(form_nonce) from None  # the same form, posted twice at once
    else:
        raise ValidationError(_("Не удалось зарегистрировать заявление. Отправьте его ещё раз."))
    audit_record(
        actor=actor,
        action="service_application_submit",
        obj=application,
        changes={"status": [None, application.status]},
        reason=application.get_hold_reason_display() if hold else "",
    )
    return application


@transaction.atomic
def applications_release(*, school_id: int, ids: Sequence[int], actor: Actor) -> int:
    """Release held applications into the register: their deadline starts today. Returns how many.

    Applications no longer held (released or rejected meanwhile) are left as they are.
    """
    rows = list(
        Application.objects.select_for_update().filter(
            school_id=school_id, pk__in=list(ids), status=Application.Status.HELD
        )
    )
    due_on = timezone.localdate() + dt.timedelta(days=service_setting("deadline_days"))
    for application in rows:
        application.status = Application.Status.RECEIVED
        application.due_on = due_on
    Application.objects.bulk_update(rows, ["status", "due_on"])
    audit_record_many(
        actor=actor,
        action="service_application_release",
        objs=rows,
        changes={"status": ["held", "received"], "due_on": [None, due_on]},
    )
    return len(rows)


SPAM_FROM = (Application.Status.HELD, Application.Status.RECEIVED)


@transaction.atomic
def applications_mark_spam(*, school_id: int, ids: Sequence[int], actor: Actor) -> int:
    """Reject held or newly received applications as spam: out of the register and the figures. Returns how many.

    An application the school has started working on (matched, checked) is never spam: it is left as it is.
    """
    rows = list(
        Application.objects.select_for_update().filter(school_id=school_id, pk__in=list(ids), status__in=SPAM_FROM)
    )
    now = timezone.now()
    olds = {application.pk: application.status for application in rows}
    for application in rows:
        application.status = Application.Status.SPAM
        application.decided_by_id = actor.user_id
        application.decided_at = now
    Application.objects.bulk_update(rows, ["status", "decided_by", "decided_at"])
    audit_record_many(
        actor=actor,
        action="service_application_spam",
        objs=rows,
        changes_of=lambda application: {"status": [olds[application.pk], "spam"]},
    )
    return len(rows)


def _open(application: Application) -> Application:
    """The application re-read under a lock; refused unless it still awaits a decision."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status == Application.Status.HELD:
        raise ValidationError(_("Заявление задержано: сначала примите его в работу в очереди задержанных."))
    if not application.is_open:
        raise ValidationError(
            _("По заявлению уже принято решение: %(status)s.") % {"status": application.get_status_display()}
        )
    return application


def child_mismatch(application: Application, student: Student) -> list[str]:
    """What differs between the child named in the application and the student (exact comparison: a name
    spelt otherwise, ё for е included, is a difference a person must look at)."""
    differs = []
    if application.child_last_name.strip() != student.last_name:
        differs.append(_("фамилия"))
    if application.child_first_name.strip() != student.first_name:
        differs.append(_("имя"))
    if application.child_birth_date != student.birth_date:
        differs.append(_("дата рождения"))
    return differs


@transaction.atomic
def application_match(
    *, application: Application, student: Student, same_child_confirmed: bool = False, actor: Actor
) -> Application:
    """Tie the application to the child it is about: a current student of the same school.

    A student whose name or birth date differs from the application's child is refused unless the coordinator
    confirms it is the same child (a changed surname, a typo of the applicant's); the confirmation is audited.
    """
    application = _open(application)
    if student.school_id != application.school_id or not student.is_active:
        raise ValidationError(_("Выберите обучающегося своей школы."))
    differs = child_mismatch(application, student)
    if differs and not same_child_confirmed:
        raise ValidationError(
            _(
                "Ребёнок в заявлении — %(child)s, %(born)s — не совпадает с выбранным обучающимся "
                "(%(student)s, %(student_born)s): %(what)s. Если это тот же ребёнок (например, сменил фамилию), "
                "отметьте «Это тот же ребёнок» и свяжите снова."
            )
            % {
                "child": application.child_name,
                "born": application.child_birth_date.strftime("%d.%m.%Y"),
                "student": student.full_name,
                "student_born": student.birth_date.strftime("%d.%m.%Y") if student.birth_date else "—",
                "what": ", ".join(differs),
            },
            code="mismatch",
        )
    old = application.student.full_name if application.student else None
    application.student = student
    application.status = Application.Status.IN_WORK
    application.save(update_fields=["student", "status"])
    changes = {"student": [old, student.full_name]}
    if differs:
        changes["same_child_confirmed"] = [None, ", ".join(differs)]
    audit_record(actor=actor, action="service_application_match", obj=application, changes=changes)
    return application


@transaction.atomic
def application_verify(*, application: Application, note: str, actor: Actor) -> Application:
    """Record that the applicant's identity and relationship to the child were checked, by whom and when."""
    application = _open(application)
    application.verified_by_id = actor.user_id
    application.verified_at = timezone.now()
    application.verification_note = note.strip()[:255]
    application.status = Application.Status.IN_WORK
    application.save(update_fields=["verified_by", "verified_at", "verification_note", "status"])
    audit_record(
        actor=actor, action="service_application_verify", obj=application, changes={"verified": [None, note.strip()]}
    )
    return application


CONSENT_MAX_DAYS_BEFORE = 365  # a written consent dated more than a year before the application is a typo


@dataclass(frozen=True)
class Grant:
    application: Application
    person: Guardian | Student
    credential: Credential | None  # None: the person already had a login, it keeps working


def _guardian_for(application: Application, student: Student, actor: Actor) -> Guardian:
    """The applicant as a guardian linked to the child: a guardian known in the city is reused."""
    relation = application.relation or GuardianLink.Relation.REPRESENTATIVE
    names = {"last_name": application.last_name, "first_name": application.first_name}
    guardian = guardian_match(**names, phone=application.phone, email=application.email)
    if guardian is None:
        return guardian_create(
            **names,
            middle_name=application.middle_name,
            phone=application.phone,
            email=application.email,
            student=student,
            relation=relation,
            actor=actor,
        )
    if not GuardianLink.objects.filter(guardian=guardian, student=student).exists():
        guardian_link(guardian=guardian, student=student, relation=relation, actor=actor)
    return guardian


@transaction.atomic
def application_grant(*, application: Application, consent_date: dt.date, consent_document: str, actor: Actor) -> Grant:
    """Give the applicant access to the child: guardian and link, the written consent, a login if none yet.

    A second click finds the application decided and changes nothing.
    """
    application = _open(application)
    student = application.student
    if student is None or not student.is_active or student.school_id != application.school_id:
        raise ValidationError(_("Сначала выберите обучающегося, о котором заявление."))
    if application.verified_at is None:
        raise ValidationError(_("Сначала проверьте личность заявителя и родство с ребёнком."))
    if consent_date > timezone.localdate():
        raise ValidationError(_("Дата согласия не может быть позже сегодняшнего дня."))
    earliest = timezone.localtime(application.received_at).date() - dt.timedelta(days=CONSENT_MAX_DAYS_BEFORE)
    if consent_date < earliest:
        raise ValidationError(
            _("Дата согласия не может быть раньше %(date)s: согласие даётся к заявлению, а не за годы до него.")
            % {"date": earliest.strftime("%d.%m.%Y")}
        )
    if application.applicant_kind == ApplicantKind.STUDENT:
        person: Guardian | Student = student
        guardian = None
    else:
        person = guardian = _guardian_for(application, student, actor)
    active = Consent.objects.filter(guardian=guardian, student=student, kind=Consent.Kind.CONSENT, withdrawn_at=None)
    if guardian is None or not active.exists():
        consent = Consent.objects.create(
            school_id=application.school_id,
            guardian=guardian,
            student=student,
            application=application,
            kind=Consent.Kind.CONSENT,
            document=consent_document.strip()[:255],
            given_at=consent_date,
            recorded_by_id=actor.user_id,
        )
        audit_record(actor=actor, action="service_consent_record", obj=consent, changes={"kind": [None, "consent"]})
    credential = None
    if person.user_id is None:
        credential = credentials_issue(person=person, school_id=application.school_id, actor=actor)
    application.status = Application.Status.GRANTED
    application.guardian = guardian
    application.decided_by_id = actor.user_id
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "guardian", "decided_by", "decided_at"])
    audit_record(
        actor=actor, action="service_application_grant", obj=application, changes={"status": ["in_work", "granted"]}
    )
    return Grant(application=application, person=person, credential=credential)


@transaction.atomic
def application_refuse(
    *, application: Application, reason: str, consent_refused: bool = False, actor: Actor
) -> Application:
    """Refuse, with the reason the applicant is told; a written refusal of consent is recorded as such."""
    application = _open(application)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Укажите причину отказа: она сообщается заявителю.")})
    if consent_refused:
        if application.student is None:
            raise ValidationError(_("Чтобы записать отказ от согласия, сначала выберите обучающегося."))
        consent = Consent.objects.create(
            school_id=application.school_id,
            student=application.student,
            application=application,
            kind=Consent.Kind.REFUSAL,
            given_at=timezone.localdate(),
            recorded_by_id=actor.user_id,
        )
        audit_record(actor=actor, action="service_consent_record", obj=consent, changes={"kind": [None, "refusal"]})
    old = application.status
    application.status = Application.Status.REFUSED
    application.refusal_reason = reason
    application.decided_by_id = actor.user_id
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action="service_application_refuse",
        obj=application,
        changes={"status": [old, "refused"]},
        reason=reason,
    )
    return application


@transaction.atomic
def consent_withdraw(*, consent: Consent, reason: str, actor: Actor) -> Consent:
    """Withdraw a consent: the guardian loses access to the child (the link is removed)."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.kind != Consent.Kind.CONSENT or consent.withdrawn_at is not None:
        raise ValidationError(_("Это согласие уже отозвано или не действует."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Укажите основание отзыва, например «заявление от 01.10.2026».")})
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by_id = actor.user_id
    consent.withdrawal = reason[:255]
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal"])
    audit_record(
        actor=actor,
        action="service_consent_withdraw",
        obj=consent,
        changes={"withdrawn": [None, reason]},
        reason=reason,
    )
    link = GuardianLink.objects.filter(guardian=consent.guardian_id, student_id=consent.student_id).first()
    if link is not None:
        guardian_unlink(link=link, actor=actor)
    return consent
