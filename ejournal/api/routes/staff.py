"""Staff: the own timetable, the journals of the own assignments, and saving cells through the grid's service.

A save goes through `journal.services.journal_cells_set`, as the page's: versions (a stale one is 409), client
tokens (the same token twice is one mark), the Regulation's deadlines and closed terms (400, code «late»: file
a correction with `…/corrections`), all or nothing.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.responses import Status

from ejournal.access.http import ActorRequest
from ejournal.journal import selectors as journal
from ejournal.journal import services as journal_services
from ejournal.journal.batch import batch
from ejournal.journal.services import CellEdit, cell_text
from ejournal.timetable import selectors as timetable
from ejournal.timetable.calendar import Bells

from .. import scopes
from ..core import ErrorOut, api_rule, json_read, page_of
from ..schemas import MAX_ID, CellsIn, CellsOut, CorrectionIn, CorrectionOut, JournalGridOut, JournalsPage, TimetableOut

ID = Path(..., ge=1, le=MAX_ID)  # an id beyond a bigint cannot exist: 422, not a database error
router = Router(tags=["Учителя"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
WRITE_ERRORS = {**ERRORS, 409: ErrorOut}
TIMETABLE_DAYS_MAX = 31


def _class_label(cls) -> str:
    return f"{cls.grade} «{cls.letter}»"


@router.get("/timetable", auth=api_rule("can_view_own_lessons", scope=scopes.STAFF),
            response={200: TimetableOut, 304: None, **ERRORS}, url_name="staff_timetable",
            summary="Моё расписание", description="Уроки учителя (свои и замены) с first по last, не больше 31 дня; "
                                                  "без дат — текущая неделя.")  # fmt: skip
def my_timetable(request: ActorRequest, first: dt.date | None = None, last: dt.date | None = None):
    actor = request.actor
    today = journal.today()
    first = first or today - dt.timedelta(days=today.weekday())
    last = last or first + dt.timedelta(days=6)
    if last < first or (last - first).days >= TIMETABLE_DAYS_MAX:
        raise ValidationError(_("Укажите период от first до last не длиннее %(n)s дней.") % {"n": TIMETABLE_DAYS_MAX})
    lessons = timetable.lessons_of_teacher(
        school_id=actor.school_id_required, teacher_id=actor.user_id_required, first=first, last=last
    )
    bells = Bells(actor.school_id_required)
    rows = []
    for lesson in lessons:
        cls = lesson.school_class
        bell = bells.bell(grade=cls.grade, shift=cls.shift, number=lesson.lesson_number)
        rows.append({
            "id": lesson.pk, "date": lesson.date, "number": lesson.lesson_number,
            "time": f"{bell.starts_at:%H:%M}–{bell.ends_at:%H:%M}" if bell else "",
            "class_label": _class_label(cls), "subject": lesson.subject.name,
            "room": lesson.room.name if lesson.room else "", "status": lesson.status,
            "is_substitution": lesson.substitute_id == actor.user_id, "assignment_id": lesson.assignment_id,
        })  # fmt: skip
    return json_read(request, TimetableOut, {"first": first, "last": last, "lessons": rows})


@router.get("/journals", auth=api_rule("can_view_journal", scope=scopes.STAFF),
            response={200: JournalsPage, 304: None, **ERRORS}, url_name="staff_journals",
            summary="Мои журналы", description="Журналы, которые учитель ведёт (администрация — все журналы школы), "
                                               "с текущим периодом.")  # fmt: skip
def my_journals(request: ActorRequest, page: int = Query(1, ge=1, le=10000), per_page: int = Query(50, ge=1, le=200)):
    rows = [
        {"assignment_id": a.pk, "class_label": _class_label(a.school_class),
         "subgroup": a.subgroup.name if a.subgroup else "", "subject": a.subject.name,
         "current_term_id": term.pk if term else None}
        for a, term in journal.my_journals(actor=request.actor)
    ]  # fmt: skip
    return json_read(request, JournalsPage, page_of(rows, page, per_page))


def _journal(request: ActorRequest, assignment_id: int, term_id: int):
    assignment = journal.assignment_get(actor=request.actor, pk=assignment_id)
    terms = journal.class_terms(assignment.school_class)
    return assignment, journal.term_of_class(school_class=assignment.school_class, pk=term_id, terms=terms)


def _term(t) -> dict:
    return {"id": t.pk, "name": str(t), "starts_on": t.starts_on, "ends_on": t.ends_on}


def _cells(grid, keys=None) -> list[dict]:
    pairs = set(grid.marks) | set(grid.attendance) if keys is None else keys
    out = []
    for sid, lid in sorted(pairs):
        marks, att = grid.marks.get((sid, lid), []), grid.attendance.get((sid, lid))
        out.append({
            "student_id": sid, "lesson_id": lid, "text": cell_text(att, marks),
            "attendance_version": att.version if att else 0,
            "marks": [{"id": m.pk, "version": m.version, "display": m.display, "work_type_id": m.work_type_id,
                       "weight": m.weight} for m in marks],
        })  # fmt: skip
    return out


@router.get("/journals/{assignment_id}/terms/{term_id}", auth=api_rule("can_view_journal", scope=scopes.STAFF),
            response={200: JournalGridOut, 304: None, **ERRORS},
            url_name="staff_journal", summary="Журнал за период",
            description="Ученики, уроки и клетки с версиями — их нужно прислать при сохранении.")  # fmt: skip
def journal_grid(request: ActorRequest, assignment_id: int = ID, term_id: int = ID):
    assignment, term = _journal(request, assignment_id, term_id)
    with batch():
        page = journal.journal_page(actor=request.actor, assignment=assignment, term=term)
    grid = page.grid
    data = {
        "assignment_id": assignment.pk, "term": _term(term), "closed": page.closed, "editable": page.editable,
        "students": [{"id": r.student.pk, "full_name": r.student.full_name, "arrived_on": r.arrived_on,
                      "left_on": r.left_on} for r in grid.students],
        "lessons": [{"id": x.pk, "date": x.date, "number": x.lesson_number, "status": x.status, "topic": x.topic,
                     "locked": str(grid.locked.get(x.pk, ""))} for x in grid.lessons],
        "cells": _cells(grid),
    }  # fmt: skip
    return json_read(request, JournalGridOut, data)


def _edit(cell) -> CellEdit:
    return CellEdit(student_id=cell.student_id, lesson_id=cell.lesson_id, text=cell.text,
                    attendance_version=cell.attendance_version,
                    mark_versions=tuple((m.id, m.version) for m in cell.marks), token=cell.token)  # fmt: skip


@router.post("/journals/{assignment_id}/terms/{term_id}/cells", auth=api_rule("can_keep_journal", scope=scopes.JOURNAL_WRITE),
             response={200: CellsOut, **WRITE_ERRORS},
             url_name="staff_journal_cells", summary="Сохранить клетки журнала",
             description="Все или ничего. 409 — клетку изменили после того, как клиент её прочитал (версия "
                         "устарела); 400 с code «late» — срок Положения прошёл или период закрыт: подайте "
                         "запрос на исправление. Повтор с теми же token ничего не добавит.")  # fmt: skip
def save_cells(request: ActorRequest, payload: CellsIn, assignment_id: int = ID, term_id: int = ID):
    with batch():
        assignment, term = _journal(request, assignment_id, term_id)
        edits = [_edit(c) for c in payload.cells]
        keys = journal_services.journal_cells_set(assignment=assignment, term=term, edits=edits, actor=request.actor)
        wanted = {(e.student_id, e.lesson_id) for e in edits}
        grid = journal.journal_cells(actor=request.actor, assignment=assignment, term=term, keys=wanted,
                                     only={e.student_id for e in edits})  # fmt: skip
    return {"saved": len(keys), "cells": _cells(grid, wanted)}


@router.post("/journals/{assignment_id}/terms/{term_id}/corrections", auth=api_rule("can_keep_journal", scope=scopes.JOURNAL_WRITE),
             response={201: list[CorrectionOut],
             **WRITE_ERRORS}, url_name="staff_journal_correction", summary="Запросить исправление клетки",
             description="Для клетки, которую нельзя сохранить (срок прошёл, период закрыт): запрос заместителю "
                         "директора с причиной.")  # fmt: skip
def file_correction(request: ActorRequest, payload: CorrectionIn, assignment_id: int = ID, term_id: int = ID):
    assignment, term = _journal(request, assignment_id, term_id)
    made = journal_services.cell_correction_file(assignment=assignment, term=term, edit=_edit(payload.cell),
                                                 reason=payload.reason, actor=request.actor)  # fmt: skip
    return Status(201, [{"id": c.pk, "status": c.status} for c in made])
