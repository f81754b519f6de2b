"""Students: the searchable list, the card with history and guardians, admission, moves, departure."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ejournal.access import policy
from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest

from .. import selectors, services
from ..forms import DepartureForm, MoveForm, SchoolTransferForm, StudentCreateForm, StudentForm
from .common import form_flow

PAGE_SIZE = 50
PERSONAL = ("last_name", "first_name", "middle_name", "birth_date", "gender", "record_number")


def _filters(request: ActorRequest) -> selectors.StudentFilter:
    class_id = request.GET.get("class", "")
    status = request.GET.get("status", "current")
    return selectors.StudentFilter(
        q=request.GET.get("q", "").strip()[:100],
        class_id=int(class_id) if class_id.isdigit() else None,
        status=status if status in selectors.STUDENT_STATUSES else "current",
    )


@access_rule("can_manage_student")
def student_list(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    filters = _filters(request)
    page = Paginator(selectors.students_search(actor=actor, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "classes": selectors.classes_list(actor=actor),
        "statuses": [
            ("current", _("обучаются")),
            ("arriving", _("прибывшие, ждут зачисления")),
            ("left", _("выбывшие")),
        ],
    }
    template = "people/partials/student_table.html" if request.htmx else "people/students.html"
    return render(request, template, context)


def _school_classes(request: ActorRequest):
    return selectors.classes_scope(request.actor).order_by("grade", "letter")


@access_rule("can_manage_student")
def student_create(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    school = selectors.school_of(actor)
    form = StudentCreateForm(request.POST or None, classes=_school_classes(request))

    def create(data: dict):
        personal = {k: data[k] for k in PERSONAL}
        return services.student_create(
            school=school,
            **personal,
            school_class=data["school_class"],
            starts_on=data["on_date"],
            order_number=data["order_number"],
            actor=actor,
        )

    return form_flow(
        request,
        form,
        create,
        success=_("Обучающийся зачислен."),
        done=lambda student: reverse("people:student_detail", args=[student.pk]),
        title=_("Зачисление обучающегося"),
        back=reverse("people:students"),
        submit=_("Зачислить"),
    )


@access_rule("can_view_class")
def student_detail(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    student = selectors.student_get(actor=actor, pk=pk)
    here = student.school_id == actor.school_id
    # A student who moved to another school: the school they left keeps reading its own history of them.
    policy.enforce(actor, "can_view_student" if here else "can_manage_school", student if here else None)
    can_manage = policy.check(actor, "can_manage_student", student)
    if can_manage or not here or not student.school_class_id:
        back = reverse("people:students")
    else:
        back = reverse("people:class_detail", args=[student.school_class_id])
    context = {
        "student": student,
        "here": here,
        "back": back,
        **selectors.student_history(actor=actor, student=student),
        "links": selectors.student_links(actor=actor, student=student) if here else [],
        "can_manage": can_manage,
        "can_issue": here and student.is_active and policy.check(actor, "can_issue_credentials", student),
    }
    return render(request, "people/student_detail.html", context)


def _managed_student(request: ActorRequest, pk: int):
    student = selectors.student_get(actor=request.actor, pk=pk)
    policy.enforce(request.actor, "can_manage_student", student)
    return student


def _student_flow(request: ActorRequest, student, form, call, *, success: str, title: str, submit: str, intro=""):
    back = reverse("people:student_detail", args=[student.pk])
    return form_flow(
        request,
        form,
        call,
        success=success,
        done=lambda _result: back,
        title=title % {"name": student.full_name},
        back=back,
        submit=submit,
        intro=intro,
    )


@access_rule("can_manage_student")
def student_edit(request: ActorRequest, pk: int) -> HttpResponse:
    student = _managed_student(request, pk)
    form = StudentForm(request.POST or None, initial={k: getattr(student, k) for k in PERSONAL})
    return _student_flow(
        request,
        student,
        form,
        lambda data: services.student_update(student=student, **data, actor=request.actor),
        success=_("Изменения сохранены."),
        title=_("Личные данные: %(name)s"),
        submit=_("Сохранить"),
    )


def _move(request: ActorRequest, pk: int, service, *, other_classes: bool, **page) -> HttpResponse:
    """Into a class of the school from a date: a transfer between classes, or an admission."""
    student = _managed_student(request, pk)
    classes = _school_classes(request)
    if other_classes:
        classes = classes.exclude(pk=student.school_class_id)

    def call(data: dict):
        return service(
            student=student,
            school_class=data["school_class"],
            on_date=data["on_date"],
            order_number=data["order_number"],
            actor=request.actor,
        )

    return _student_flow(request, student, MoveForm(request.POST or None, classes=classes), call, **page)


@access_rule("can_manage_student")
def student_transfer(request: ActorRequest, pk: int) -> HttpResponse:
    return _move(
        request,
        pk,
        services.student_transfer,
        other_classes=True,
        success=_("Обучающийся переведён."),
        title=_("Перевод в другой класс: %(name)s"),
        submit=_("Перевести"),
        intro=_("Дата — первый день в новом классе. Прежнее зачисление закроется накануне и останется в истории."),
    )


@access_rule("can_manage_student")
def student_admit(request: ActorRequest, pk: int) -> HttpResponse:
    return _move(
        request,
        pk,
        services.student_admit,
        other_classes=False,
        success=_("Обучающийся зачислен в класс."),
        title=_("Зачисление в класс: %(name)s"),
        submit=_("Зачислить"),
        intro=_("Для прибывших из другой школы и вернувшихся. Если ребёнок уже учится в классе, используйте перевод."),
    )


@access_rule("can_manage_student")
def student_transfer_school(request: ActorRequest, pk: int) -> HttpResponse:
    student = _managed_student(request, pk)
    return _student_flow(
        request,
        student,
        SchoolTransferForm(request.POST or None, schools=selectors.transfer_schools(actor=request.actor)),
        lambda data: services.student_transfer_to_school(student=student, **data, actor=request.actor),
        success=_("Обучающийся переведён в другую школу; там его зачислят в класс."),
        title=_("Перевод в другую школу: %(name)s"),
        submit=_("Перевести"),
        intro=_(
            "Ребёнок выбудет из вашей школы накануне указанной даты; история обучения у вас сохранится. "
            "Новая школа увидит его среди прибывших и зачислит в класс; связи с родителями перейдут вместе с ним."
        ),
    )


@access_rule("can_manage_student")
def student_depart(request: ActorRequest, pk: int) -> HttpResponse:
    student = _managed_student(request, pk)
    return _student_flow(
        request,
        student,
        DepartureForm(request.POST or None),
        lambda data: services.student_depart(student=student, **data, actor=request.actor),
        success=_("Выбытие оформлено."),
        title=_("Выбытие: %(name)s"),
        submit=_("Оформить выбытие"),
    )
