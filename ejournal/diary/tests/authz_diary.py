"""Access expectations for diary URLs (see ejournal/tests/test_authorization.py).

Own: the world's student (5 «А»), reached by the student and by the guardian
of two children; the class teacher of 5 «А» and the coordinator print its
extract. Foreign: the student of the other school.
"""

import datetime as dt
import secrets

from django.core.files.base import ContentFile

from ejournal.access.roles import Role
from ejournal.journal.models import Homework, HomeworkAttachment
from ejournal.timetable.tests.helpers import MON, assignment, lesson

from ..feed import feed_token
from ..models import FeedKey

FAMILY = {Role.STUDENT, Role.GUARDIAN}
PRINTERS = FAMILY | {Role.CLASS_TEACHER, Role.JOURNAL_COORDINATOR}


def _student(w, foreign=False):
    return {"student_id": (w.foreign_student if foreign else w.student).pk}


def _attachment(w, foreign=False):
    cls, user, student = (
        (w.foreign_cls, w.foreign_teacher, w.foreign_student) if foreign else (w.cls, w.teacher, w.student)
    )
    day = lesson(w, assignment(w, cls=cls, teacher=user), MON)
    hw = Homework.objects.create(school=cls.school, lesson=day, school_class_id=day.school_class_id, text="§1",
                                 due_date=MON + dt.timedelta(days=1), created_by=user)  # fmt: skip
    item = HomeworkAttachment(school=cls.school, homework=hw, token=secrets.token_hex(8), original_name="задание.txt",
                              size=4, uploaded_by=user)  # fmt: skip
    item.file.save(item.token, ContentFile(b"test"), save=True)
    return {"student_id": student.pk, "pk": item.pk}


def _feed(w):
    key = FeedKey.objects.create(user=w.guardian_user, role=FeedKey.Role.GUARDIAN, key=secrets.token_urlsafe(16))
    return {"token": feed_token(key)}


AUTHZ = {
    # A redirect (302) to the remembered child's week for the family; see test_views.
    "diary:home": {"allowed": set()},
    "diary:week": {"allowed": FAMILY, "kwargs": _student, "foreign_kwargs": lambda w: _student(w, foreign=True)},
    "diary:marks": {"allowed": FAMILY, "kwargs": _student, "foreign_kwargs": lambda w: _student(w, foreign=True)},
    "diary:acknowledge": {"allowed": {Role.GUARDIAN}, "post_only": True, "kwargs": _student},
    "diary:attachment": {
        "allowed": FAMILY,
        "kwargs": _attachment,
        "foreign_kwargs": lambda w: _attachment(w, foreign=True),
    },
    "diary:extract": {"allowed": PRINTERS, "kwargs": _student, "foreign_kwargs": lambda w: _student(w, foreign=True)},
    # Family roles are sent on to their own diary (302); staff see the list.
    "diary:extract_students": {"allowed": {Role.CLASS_TEACHER, Role.JOURNAL_COORDINATOR}},
    "diary:feed_settings": {"allowed": FAMILY},
    "diary:feed_reset": {"allowed": FAMILY, "post_only": True},
    "diary:feed": {"public": True, "kwargs": _feed},
}
