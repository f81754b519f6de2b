from django.core.files.base import ContentFile
from django.utils import timezone

from ejournal.support.models import SupportAttachment, SupportMessage, SupportRequest


def make_request(
    school, user, *, status=SupportRequest.Status.NEW, created_at=None, closed_at=None, subject="Не входит учитель"
):
    request = SupportRequest.objects.create(
        school=school,
        kind=SupportRequest.Kind.TECHNICAL,
        subject=subject,
        status=status,
        created_by=user,
        created_at=created_at or timezone.now(),
        closed_at=closed_at,
    )
    SupportMessage.objects.create(
        request=request, school=school, author=user, author_role="director", text="Текст", created_at=request.created_at
    )
    return request


def make_attachment(request):
    message = request.messages.first()
    return SupportAttachment.objects.create(
        message=message,
        school_id=request.school_id,
        file=ContentFile(b"%PDF-1.4 test", name="a.pdf"),
        name="a.pdf",
        size=13,
    )
