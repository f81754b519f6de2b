"""The lesson column editor (topic, control work, homework with files) and homework file downloads."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ejournal.access import policy
from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest

from .. import presenters, selectors, services
from ..forms import HomeworkForm, TopicForm, WorkTypeForm


def _panel(request: ActorRequest, lesson, *, topic_form=None, homework_form=None, work_form=None, message="",
           status=200):  # fmt: skip
    editor = selectors.lesson_editor(actor=request.actor, lesson=lesson)
    column_kind = presenters.column_work_type(note=editor.note, work_types=editor.work_types)
    homework, note = editor.homework, editor.note
    attachments = list(homework.attachments.all()) if homework else []
    suggested = editor.suggested_topic
    topic_form = topic_form or TopicForm(
        lesson=lesson,
        initial={
            "topic": lesson.topic or (suggested.title if suggested else ""),
            "planned_topic": (note.planned_topic_id if note and note.planned_topic_id else suggested),
            "is_control_work": bool(note and note.is_control_work) or bool(suggested and suggested.is_control_work),
        },
    )
    homework_form = homework_form or HomeworkForm(
        attachments=attachments,
        initial={
            "text": homework.text if homework else "",
            "due_date": homework.due_date if homework else editor.next_date,
        },
    )
    work_form = work_form or WorkTypeForm(
        work_types=editor.work_types,
        default_label=presenters.default_work_label(editor.note, editor.work_types),
        initial={"work_type": editor.note.work_type_id if editor.note else None},
    )
    context = {
        "lesson": lesson, "editor": editor, "attachments": attachments, "topic_form": topic_form,
        "work_form": work_form, "column_kind": column_kind,
        "homework_form": homework_form, "message": message, "suggested": suggested,
        "can_edit": policy.check(request.actor, "can_keep_journal", lesson),
        "header": presenters.lesson_header(lesson, homework, note, attachments, column_kind),
        "history": presenters.history_rows(editor.history),
        "oob": request.method == "POST" and status == 200,
    }  # fmt: skip
    return render(request, "journal/partials/lesson_panel.html", context, status=status)


@access_rule("can_view_journal")
def lesson_panel(request: ActorRequest, lesson_id: int) -> HttpResponse:
    return _panel(request, selectors.lesson_get(actor=request.actor, pk=lesson_id))


@require_POST
@access_rule("can_keep_journal")
def lesson_topic(request: ActorRequest, lesson_id: int) -> HttpResponse:
    lesson = selectors.lesson_get(actor=request.actor, pk=lesson_id)
    form = TopicForm(request.POST, lesson=lesson)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.lesson_topic_set(
                lesson=lesson, topic=data["topic"], planned_topic=data["planned_topic"],
                is_control_work=data["is_control_work"], actor=request.actor,
            )  # fmt: skip
            return _panel(request, lesson, message=_("Тема урока сохранена."))
        except ValidationError as exc:
            form.add_error(None, exc)
    return _panel(request, lesson, topic_form=form, status=400)


@require_POST
@access_rule("can_keep_journal")
def lesson_work_type(request: ActorRequest, lesson_id: int) -> HttpResponse:
    """The kind of work of the lesson's column: marks typed there later take it and its weight."""
    lesson = selectors.lesson_get(actor=request.actor, pk=lesson_id)
    editor = selectors.lesson_editor(actor=request.actor, lesson=lesson)
    form = WorkTypeForm(request.POST, work_types=editor.work_types)
    if form.is_valid():
        try:
            services.lesson_work_type_set(lesson=lesson, work_type=form.cleaned_data["work_type"], actor=request.actor)
            return _panel(request, lesson, message=_("Вид работы урока сохранён."))
        except ValidationError as exc:
            form.add_error(None, exc)
    return _panel(request, lesson, work_form=form, status=400)


@require_POST
@access_rule("can_keep_journal")
def lesson_homework(request: ActorRequest, lesson_id: int) -> HttpResponse:
    lesson = selectors.lesson_get(actor=request.actor, pk=lesson_id)
    editor = selectors.lesson_editor(actor=request.actor, lesson=lesson)
    attachments = list(editor.homework.attachments.all()) if editor.homework else []
    form = HomeworkForm(request.POST, request.FILES, attachments=attachments)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.homework_set(
                lesson=lesson, text=data["text"], due_date=data["due_date"], files=data["files"],
                remove_attachment_ids=data["remove"], actor=request.actor,
            )  # fmt: skip
            return _panel(request, lesson, message=_("Домашнее задание сохранено."))
        except ValidationError as exc:
            form.add_error(None, exc)
    return _panel(request, lesson, homework_form=form, status=400)


@access_rule("can_view_journal")
def attachment(request: ActorRequest, pk: int) -> FileResponse:
    """A homework file, only to those who may read the journal; never served from a public media URL."""
    item = selectors.attachment_get(actor=request.actor, pk=pk)
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
