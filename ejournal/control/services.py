"""Writes of the control: reminders to teachers of what they owe, the справка's second part in the background."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal.access.policy import Actor
from ejournal.accounts.models import User
from ejournal.core.audit import audit_record
from ejournal.core.runner import task_run
from ejournal.diary.pdf import PdfUnavailable
from ejournal.schools.models import School

from .documents import details_pdf
from .filling import KINDS, Finding, school_filling_control
from .models import NoteJob


@dataclass(frozen=True)
class RemindResult:
    sent: int = 0
    without_email: int = 0


def _items(findings: list[Finding], names: dict[str, dict[int, str]]) -> list[dict[str, object]]:
    """Lesson findings one by one; students' findings as a count per class and subject (no names in e-mail)."""
    items: list[dict[str, object]] = []
    per_class: defaultdict[tuple[str, int, int], int] = defaultdict(int)
    for f in findings:
        if f.student_id is None:
            items.append({"kind": KINDS[f.kind], "date": f.lesson_date, "number": f.lesson_number,
                          "class": names["class"].get(f.class_id, ""), "subject": names["subject"].get(f.subject_id, ""),
                          "count": f.count})  # fmt: skip
        else:
            per_class[(f.kind, f.class_id, f.subject_id)] += 1
    for (kind, class_id, subject_id), n in per_class.items():
        items.append({"kind": KINDS[kind], "date": None, "number": None, "class": names["class"].get(class_id, ""),
                      "subject": names["subject"].get(subject_id, ""), "students": n})  # fmt: skip
    return items


def _teacher_mail(
    teacher: User,
    school: School,
    findings: list[Finding],
    names: dict[str, dict[int, str]],
    period: tuple[dt.date, dt.date],
) -> EmailMessage:
    counts: dict[str, int] = defaultdict(int)
    for f in findings:
        counts[f.kind] += f.count
    context = {
        "teacher": teacher, "school": school, "first": period[0], "last": period[1],
        "totals": [(label, counts[kind]) for kind, label in KINDS.items() if counts[kind]],
        "items": _items(findings, names),
    }  # fmt: skip
    body = render_to_string("control/email/reminder.txt", context)
    subject = _("Электронный журнал: что нужно заполнить (%(school)s)") % {"school": school.short_name}
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [teacher.email])


@dataclass(frozen=True)
class RemindPlan:
    """Who the reminders of a period reach: teachers with findings, with an e-mail address or without."""

    to_mail: list[User]
    without_email: int
    findings: dict[int, list[Finding]]
    names: dict

    @property
    def with_email(self) -> int:
        return len(self.to_mail)


def teacher_reminders_plan(*, school: School, first: dt.date, last: dt.date) -> RemindPlan:
    """The teachers of `school` with findings in the period (the question before sending, and the sending)."""
    report = school_filling_control(school=school, first=first, last=last)
    by_teacher: dict[int, list[Finding]] = defaultdict(list)
    for f in report.findings:
        by_teacher[f.teacher_id].append(f)
    teachers = list(User.objects.filter(pk__in=by_teacher, is_active=True).order_by("pk"))
    return RemindPlan(
        to_mail=[t for t in teachers if t.email], without_email=sum(1 for t in teachers if not t.email),
        findings=by_teacher, names=report.names,
    )  # fmt: skip


@transaction.atomic
def teacher_reminders_send(
    *, school: School, first: dt.date, last: dt.date, actor: Actor | None = None
) -> RemindResult:
    """E-mail each teacher of `school` the findings of the period that are theirs; teachers without e-mail are counted.

    One message per teacher with findings, sent over one connection; an audit record keeps how many were sent.
    """
    plan = teacher_reminders_plan(school=school, first=first, last=last)
    messages = [
        _teacher_mail(teacher, school, plan.findings[teacher.pk], plan.names, (first, last)) for teacher in plan.to_mail
    ]
    without = plan.without_email
    if messages:
        get_connection().send_messages(messages)
    result = RemindResult(sent=len(messages), without_email=without)
    audit_record(
        actor=actor, action="control_reminders_send", obj=school, school_id=school.pk,
        changes={"sent": [None, result.sent], "period": [None, f"{first:%d.%m.%Y}–{last:%d.%m.%Y}"]},
    )  # fmt: skip
    return result


# --- the справка's second part in the background ------------------------------------------------------


def note_job_start(*, school: School, first: dt.date, last: dt.date, actor: Actor) -> NoteJob:
    """Queue the PDF of a school's findings per teacher; the same period asked again while queued is reused."""
    with transaction.atomic():
        job = (
            NoteJob.objects.select_for_update()
            .filter(school=school, first=first, last=last, status__in=[NoteJob.Status.PENDING, NoteJob.Status.RUNNING])
            .first()
        )
        if job is None:
            job = NoteJob.objects.create(school=school, first=first, last=last, created_by_id=actor.user_id_required)
            audit_record(actor=actor, action="control_note_job", obj=job, school_id=school.pk,
                         changes={"period": [None, f"{first:%d.%m.%Y}–{last:%d.%m.%Y}"]})  # fmt: skip
            task_run("ejournal.control.tasks.note_job_run", job.pk)
    return job


def note_job_run(job_id: int) -> None:
    """Render the job's PDF teacher by teacher, saving the progress; a failure is kept with its reason."""
    job = NoteJob.objects.select_related("school__municipality").get(pk=job_id)
    if job.status != NoteJob.Status.PENDING:
        return
    NoteJob.objects.filter(pk=job.pk).update(status=NoteJob.Status.RUNNING)
    try:
        report = school_filling_control(school=job.school, first=job.first, last=job.last)
        pdf = details_pdf(report, progress=lambda done, total: NoteJob.objects.filter(pk=job.pk).update(
            done=done, total=total))  # fmt: skip
    except PdfUnavailable:
        _note_job_failed(job, _("PDF сейчас недоступен на сервере; распечатайте вторую часть справки со страницы."))
        return
    except Exception:
        _note_job_failed(job, _("Не удалось подготовить PDF. Попробуйте ещё раз или распечатайте страницу."))
        raise
    NoteJob.objects.filter(pk=job.pk).update(status=NoteJob.Status.DONE, pdf=pdf, finished_at=timezone.now())


def _note_job_failed(job: NoteJob, message: str) -> None:
    NoteJob.objects.filter(pk=job.pk).update(status=NoteJob.Status.FAILED, error=message, finished_at=timezone.now())


def journal_verify_start(*, school: School) -> None:
    """Verify the school's journal against its change-record chain in the background (`journal.verify`)."""
    task_run("ejournal.journal.tasks.school_verify_now", school.pk)
