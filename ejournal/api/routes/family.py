"""Families: the children, the week, marks by term and year, homework with files, «ознакомлен».

Reads go through the diary's own selectors (`ejournal/diary`), with the actor the token acts as; every read of
a child's data is logged (`ApiRead`) in the same request.
"""

from django.core.cache import cache
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone, translation
from ninja import Path, Query, Router

from ejournal.diary import selectors as diary
from ejournal.diary import services as diary_services
from ejournal.diary.week import fingerprint, week_data

from .. import scopes
from ..core import (
    ApiRequest,
    ErrorOut,
    api_rule,
    etag_of,
    json_bytes,
    json_read,
    matches,
    not_modified,
    page_of,
    render_json,
)
from ..schemas import MAX_ID, AcknowledgeIn, AcknowledgeOut, ChildrenPage, HomeworkList, MarksOut, WeekOut
from ..services import api_read_log, api_read_log_child

ID = Path(..., ge=1, le=MAX_ID)  # an id beyond a bigint cannot exist: 422, not a database error
router = Router(tags=["Семьи"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
READ = "can_read_diary"
WEEK_CACHE = "api:week:1"
WEEK_CACHE_SECONDS = 7 * 24 * 3600  # a stale key is never read again (its fingerprint is gone)


def _child(request: ApiRequest, student_id: int, what: str):
    student = diary.child_get(actor=request.actor, student_id=student_id)
    api_read_log(caller=request.caller, actor=request.actor, student_id=student.pk, school_id=student.school_id,
                 what=what)  # fmt: skip
    return student


def _child_out(c) -> dict:
    cls = c.school_class
    return {"id": c.pk, "full_name": c.full_name, "class_label": f"{cls.grade} «{cls.letter}»" if cls else "",
            "school": c.school.short_name}  # fmt: skip


@router.get("/children", auth=api_rule(READ, scope=scopes.FAMILY),
            response={200: ChildrenPage, 304: None, **ERRORS}, url_name="family_children",
            summary="Дети", description="Дети родителя (или сам обучающийся) — чьи дневники доступны.")  # fmt: skip
def children(request: ApiRequest, page: int = Query(1, ge=1, le=10000), per_page: int = Query(50, ge=1, le=200)):
    kids = diary.children(actor=request.actor)
    return json_read(request, ChildrenPage, page_of([_child_out(c) for c in kids], page, per_page))


def _file(student_id: int, f) -> dict:
    url = reverse("api_v1:family_attachment", kwargs={"student_id": student_id, "pk": f.pk})
    return {"id": f.pk, "name": f.name, "size": f.size, "url": url}


def _week_json(content, days, student_id: int) -> dict:
    s = content.student
    return {
        "student": {"id": s.id, "full_name": s.full_name, "class_label": s.class_label, "school": s.school},
        "week": diary.week_param(content.monday), "monday": content.monday,
        "can_acknowledge": content.can_acknowledge,
        "acknowledged": [{"who": a.who, "at": a.at} for a in content.acks],
        "days": [{"date": d.date, "due": [{"subject": x.subject, "text": x.text} for x in d.due], "lessons": [{
            "number": x.number, "subject": x.subject, "time": x.time, "status": x.status, "teacher": x.teacher,
            "substitute": x.substitute, "room": x.room, "change_note": x.change_note, "topic": x.topic,
            "moved_to": x.moved_to[0] if x.moved_to else None, "moved_from": x.moved_from,
            "homework": x.homework_text, "homework_due": x.homework_due,
            "files": [_file(student_id, f) for f in x.files],
            "marks": [{"display": m.display, "value": m.value, "work_type": m.name, "weight": m.weight,
                       "comment": m.comment} for m in x.marks],
            "attendance": x.attendance} for x in d.lessons]} for d in days],
    }  # fmt: skip


@router.get("/children/{student_id}/week", auth=api_rule(READ, scope=scopes.FAMILY),
            response={200: WeekOut, 304: None, **ERRORS}, url_name="family_week",
            summary="Неделя дневника",
            description="Уроки недели с темами, домашними заданиями, файлами, отметками и посещаемостью; "
                        "кто отметил «ознакомлен». ETag меняется, только когда меняется что-то из показанного.")  # fmt: skip
def week(request: ApiRequest, student_id: int = ID, week: str = Query("", max_length=20, description="2026-W37")):
    """The week as the diary's page shows it; its ETag and cache key hold the page's own fingerprint."""
    actor = request.actor
    monday = diary.parse_week(week)
    diary.child_check(actor=actor, student_id=student_id)
    # The read's record, its school taken from the child's row in the same statement (none: the record is gone).
    if not api_read_log_child(caller=request.caller, actor=actor, student_id=student_id,
                              what=f"week {diary.week_param(monday)}"):  # fmt: skip
        raise Http404
    today = timezone.localdate()
    children = sorted(actor.student_ids)
    stamp = fingerprint(student_id=student_id, children=children, monday=monday)
    etag = etag_of(f"{stamp}:{today:%Y%m%d}:{actor.user_id}:{actor.role}:{translation.get_language()}")
    if matches(request, etag):
        return not_modified(etag)
    key = f"{WEEK_CACHE}:{student_id}:{monday:%Y%m%d}:{etag[1:-1]}"
    body = cache.get(key)
    if body is None:
        content, days = week_data(actor=actor, student_id=student_id, monday=monday, today=today)
        body = render_json(WeekOut, _week_json(content, days, student_id))
        # Kept only when no write slipped in between the reads (as the page: `diary.week.week_page`).
        if fingerprint(student_id=student_id, children=children, monday=monday) == stamp:
            cache.set(key, body, WEEK_CACHE_SECONDS)
    return json_bytes(body, etag)


def _term(t) -> dict:
    return {"id": t.pk, "name": str(t), "starts_on": t.starts_on, "ends_on": t.ends_on}


@router.get("/children/{student_id}/marks", auth=api_rule(READ, scope=scopes.FAMILY),
            response={200: MarksOut, 304: None, **ERRORS}, url_name="family_marks",
            summary="Отметки за период или год",
            description="term — id периода (пусто: текущий), или year — годовой вид.")  # fmt: skip
def marks(request: ApiRequest, student_id: int = ID, term: str = Query("", max_length=12)):
    student = _child(request, student_id, f"marks {term or 'current'}")
    if term and term != "year" and not term.isdigit():
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError(_("Учебный период указан неверно."), code="term")
    terms = diary.student_terms(student)
    if term == "year":
        page = diary.marks_year(actor=request.actor, student=student, terms=terms)
    else:
        picked = diary.term_pick(terms, int(term) if term else None, timezone.localdate())
        page = diary.marks_term(actor=request.actor, student=student, terms=terms, term=picked)
    data = {
        "student_id": student.pk, "term": _term(page.term) if page.term else None,
        "terms": [_term(t) for t in terms],
        "subjects": [{"subject": r.subject.name, "average": r.average,
                      "period_mark": r.period_mark or str(r.period_marks.get("year", "")),
                      "period_marks": {str(k): str(v) for k, v in r.period_marks.items()},
                      "marks": [{"date": m.lesson.date, "display": m.display, "value": m.value,
                                 "work_type": m.work_type.name, "weight": m.weight} for m in r.marks]}
                     for r in page.rows],
        "absences": vars(page.absences) if page.absences else None,
    }  # fmt: skip
    return json_read(request, MarksOut, data)


@router.get("/children/{student_id}/homework", auth=api_rule(READ, scope=scopes.FAMILY),
            response={200: HomeworkList, 304: None, **ERRORS},
            url_name="family_homework", summary="Домашние задания недели",
            description="Задания, выданные на уроках недели, с файлами.")  # fmt: skip
def homework(request: ApiRequest, student_id: int = ID, week: str = Query("", max_length=20)):
    monday = diary.parse_week(week)
    student = _child(request, student_id, f"homework {diary.week_param(monday)}")
    _content, days = week_data(actor=request.actor, student_id=student.pk, monday=monday, today=timezone.localdate())
    items = [{"date": d.date, "subject": x.subject, "text": x.homework_text, "due": x.homework_due,
              "files": [_file(student.pk, f) for f in x.files]}
             for d in days for x in d.lessons if x.homework_text is not None]  # fmt: skip
    return json_read(
        request, HomeworkList, {"student_id": student.pk, "week": diary.week_param(monday), "items": items}
    )


@router.get("/children/{student_id}/attachments/{pk}", auth=api_rule(READ, scope=scopes.FAMILY),
            response={200: bytes, **ERRORS},
            url_name="family_attachment", summary="Файл домашнего задания",
            openapi_extra={"responses": {"200": {"description": "Файл", "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}})  # fmt: skip
def attachment(request: ApiRequest, student_id: int = ID, pk: int = ID):
    student = _child(request, student_id, f"attachment {pk}")
    item = diary.attachment_get(actor=request.actor, student=student, pk=pk)
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name,
                            content_type="application/octet-stream")  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post("/children/{student_id}/acknowledge", auth=api_rule("can_acknowledge_diary_week", scope=scopes.FAMILY),
             response={200: AcknowledgeOut, **ERRORS},
             url_name="family_acknowledge", summary="«Ознакомлен» с неделей",
             description="Родитель отмечает, что видел неделю ребёнка; повтор ничего не меняет.")  # fmt: skip
def acknowledge(request: ApiRequest, payload: AcknowledgeIn, student_id: int = ID):
    student = diary.child_get(actor=request.actor, student_id=student_id)
    monday = diary.parse_week(payload.week)
    ack = diary_services.week_acknowledge(student=student, week_start=monday, actor=request.actor)
    return {"student_id": student.pk, "week": diary.week_param(monday), "at": ack.at}
