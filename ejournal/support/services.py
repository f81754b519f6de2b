"""Writes of the support desk: file a request, reply in its thread, change its status."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record
from ejournal.schools.models import School

from .models import SupportAttachment, SupportMessage, SupportRequest
from .rules import support_setting

# The first bytes of each allowed kind of file: a renamed executable is refused.
SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
}


def attachments_check(files: list[UploadedFile]) -> None:
    """Refuse too many, too large or not allowed files, with a message naming the file."""
    if len(files) > support_setting("attachments_per_message"):
        raise ValidationError(
            _("Слишком много файлов в одном сообщении; допустимо не более %(n)s.")
            % {"n": support_setting("attachments_per_message")}
        )
    allowed = tuple(support_setting("attachment_extensions"))
    limit = support_setting("attachment_max_bytes")
    for upload in files:
        name = Path(upload.name or "").name
        ext = Path(name).suffix.lower()
        if ext not in allowed:
            raise ValidationError(
                _("Файл «%(name)s» не принят: допустимы %(types)s.") % {"name": name, "types": ", ".join(allowed)}
            )
        if upload.size > limit:
            raise ValidationError(
                _("Файл «%(name)s» больше %(limit)s МБ.") % {"name": name, "limit": f"{limit / 1024 / 1024:g}"}
            )
        head = upload.read(8)
        upload.seek(0)
        if ext == ".txt":
            if b"\x00" in upload.read(4096):
                raise ValidationError(_("Файл «%(name)s» не похож на текстовый.") % {"name": name})
            upload.seek(0)
        elif not head.startswith(SIGNATURES[ext]):
            raise ValidationError(_("Содержимое файла «%(name)s» не соответствует его типу.") % {"name": name})


def _message_add(*, request: SupportRequest, text: str, files: list[UploadedFile], actor: Actor) -> SupportMessage:
    message = SupportMessage.objects.create(
        request=request,
        school_id=request.school_id,
        author_id=actor.user_id_required,
        author_role=actor.role or "",
        text=text,
        created_at=timezone.now(),
    )
    for upload in files:
        SupportAttachment.objects.create(
            message=message,
            school_id=request.school_id,
            file=upload,
            name=Path(upload.name or "").name[:255],
            size=upload.size or 0,
        )
    return message


def support_request_file(
    *, school: School, kind: str, subject: str, text: str, files: list[UploadedFile], actor: Actor
) -> SupportRequest:
    """File a request of `school` to the methodical centre: its first message carries the text and the files."""
    policy.enforce(actor, "can_file_support_request", SimpleNamespace(school_id=school.id))
    attachments_check(files)
    if kind not in SupportRequest.Kind.values:
        raise ValidationError(_("Выберите вид поддержки."))
    with transaction.atomic():
        request = SupportRequest.objects.create(
            school=school, kind=kind, subject=subject, created_by_id=actor.user_id_required, created_at=timezone.now()
        )
        _message_add(request=request, text=text, files=files, actor=actor)
        audit_record(actor=actor, action="support_request_filed", obj=request, changes={"subject": [None, subject]})
    return request


def support_request_reply(
    *, request: SupportRequest, text: str, files: list[UploadedFile], actor: Actor
) -> SupportMessage:
    """Write in the thread: the school that filed it, or the methodist (whose first reply marks it answered)."""
    answering = policy.check(actor, "can_answer_support_request", request)
    if not answering:
        policy.enforce(actor, "can_file_support_request", request)
    if request.status == SupportRequest.Status.CLOSED:
        raise ValidationError(_("Заявка закрыта: ответить в ней нельзя. Подайте новую заявку."))
    attachments_check(files)
    with transaction.atomic():
        message = _message_add(request=request, text=text, files=files, actor=actor)
        changes = {}
        if answering and request.status != SupportRequest.Status.ANSWERED:
            changes["status"] = [request.status, SupportRequest.Status.ANSWERED]
            request.status = SupportRequest.Status.ANSWERED
            request.save(update_fields=["status"])
        audit_record(actor=actor, action="support_request_replied", obj=request, changes=changes)
    return message


def support_request_status_set(*, request: SupportRequest, status: str, actor: Actor) -> SupportRequest:
    """The methodist moves a request between new, in work, answered and closed (a closed one may be reopened)."""
    policy.enforce(actor, "can_answer_support_request", request)
    if status not in SupportRequest.Status.values:
        raise ValidationError(_("Неизвестное состояние заявки."))
    if status == request.status:
        return request
    with transaction.atomic():
        old = request.status
        request.status = status
        request.closed_at = timezone.now() if status == SupportRequest.Status.CLOSED else None
        request.save(update_fields=["status", "closed_at"])
        audit_record(actor=actor, action="support_request_status", obj=request, changes={"status": [old, status]})
    return request
