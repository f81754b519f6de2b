"""Credentials: issuing logins with one-time passwords and the printable slips that show them once."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ejournal.access import policy
from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.core.views import confirmed, question_page, run, run_or_message
from ejournal.schools.models import School

from .. import selectors, services
from ..forms import ClassSlipsForm
from ..models import Guardian, Student
from .common import class_credentials_target, form_page, slips_remember, slips_take


def slip_for(request: ActorRequest, person, credential: services.Credential, *, school: School, children=()) -> dict:
    """What one printed slip says; plain strings, kept in the session until the slip page shows it."""
    children_text = ""
    if isinstance(person, Student):
        kind, name = _("Обучающийся"), person.full_name
        if person.school_class_id:
            kind = _("Обучающийся, класс %(cls)s") % {"cls": person.school_class}
    elif isinstance(person, Guardian):
        kind, name = _("Родитель (законный представитель)"), person.full_name
        children_text = ", ".join(
            f"{c.full_name} ({c.school_class})" if c.school_class_id else c.full_name for c in children
        )
    else:
        kind, name = _("Сотрудник"), person.get_full_name()
    return {
        "school": school.full_name,
        "kind": kind,
        "name": name,
        "children": children_text,
        "login": credential.login,
        "password": credential.password,
        "site": request.build_absolute_uri(reverse("accounts:login")),
    }


def _issue(request: ActorRequest, person, school: School, children=()) -> HttpResponse | None:
    """Issue credentials to one person and queue their slip; None when the service refused (message shown)."""
    holder: dict = {}

    def call():
        holder["credential"] = services.credentials_issue(person=person, school_id=school.pk, actor=request.actor)

    if not run_or_message(request, call, _("Логин и одноразовый пароль выданы. Распечатайте лист и передайте его.")):
        return None
    slips_remember(request, [slip_for(request, person, holder["credential"], school=school, children=children)])
    return redirect("people:slips")


@require_POST
@access_rule("can_issue_credentials")
def student_credentials(request: ActorRequest, pk: int) -> HttpResponse:
    student = selectors.student_get(actor=request.actor, pk=pk)
    policy.enforce(request.actor, "can_issue_credentials", student)
    if student.school_id != request.actor.school_id or not student.is_active:
        raise PermissionDenied("student left the school")
    return _issue(request, student, student.school) or redirect("people:student_detail", pk=pk)


@require_POST
@access_rule("can_issue_credentials")
def guardian_credentials(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    guardian = selectors.guardian_get(actor=actor, pk=pk)
    children = [
        link.student
        for link in selectors.guardian_links(actor=actor, guardian=guardian)
        if policy.check(actor, "can_issue_credentials", link.student)
    ]
    if not children:
        raise PermissionDenied("can_issue_credentials")
    back = request.POST.get("back_student", "")
    response = _issue(request, guardian, selectors.school_of(actor), children)
    if response is not None:
        return response
    if back.isdigit():
        return redirect("people:student_detail", pk=int(back))
    return redirect("people:guardian_detail", pk=pk)


@require_POST
@access_rule("can_manage_staff")
def staff_credentials(request: ActorRequest, user_id: int) -> HttpResponse:
    member = selectors.staff_member_get(actor=request.actor, user_id=user_id)
    school = selectors.school_of(request.actor)
    return _issue(request, member.user, school) or redirect("people:staff_detail", user_id=user_id)


@access_rule("can_issue_credentials")
def class_slips(request: ActorRequest, pk: int) -> HttpResponse:
    """Issue logins to a whole class's guardians (or students) and print all the slips on A4 sheets."""
    actor = request.actor
    cls = selectors.class_get(actor=actor, pk=pk)
    policy.enforce(actor, "can_issue_credentials", class_credentials_target(cls))
    form = ClassSlipsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not confirmed(request):
            return _class_slips_question(request, cls, data)
        ok, issued = run(
            form,
            lambda: services.class_credentials_issue(
                school_class=cls, who=data["who"], reissue=data["reissue"], actor=actor
            ),
        )
        if ok and not issued:
            messages.info(request, _("Новых логинов не потребовалось: у всех они уже есть."))
            return redirect("people:class_detail", pk=cls.pk)
        if ok:
            slips_remember(
                request, [slip_for(request, p, c, school=cls.school, children=[child]) for p, c, child in issued]
            )
            return redirect("people:slips")
    return form_page(
        request,
        form,
        title=_("Логины для класса %(name)s") % {"name": cls},
        back=reverse("people:class_detail", args=[cls.pk]),
        submit=_("Выдать и распечатать"),
        intro=_(
            "Логины получат те, у кого их ещё нет. Пароли одноразовые: при первом входе система попросит придумать "
            "свой. Лист с паролями показывается один раз — распечатайте его сразу."
        ),
    )


def _class_slips_question(request: ActorRequest, cls, data: dict) -> HttpResponse:
    """What the sheet will do, to how many; new passwords for those who have a login are said first."""
    plan = selectors.class_credentials_plan(school_class=cls, who=data["who"], reissue=data["reissue"])
    back = reverse("people:class_detail", args=[cls.pk])
    if not plan.issue:
        messages.info(request, _("Новых логинов не потребовалось: у всех они уже есть."))
        return redirect(back)
    lines = []
    if plan.reset:
        lines.append(ngettext(
            "%(n)s человек получит новый пароль: его прежний пароль перестанет действовать.",
            "%(n)s человека получат новые пароли: их прежние пароли перестанут действовать.", plan.reset,
        ) % {"n": plan.reset})  # fmt: skip
    if plan.new:
        lines.append(ngettext("%(n)s человек получит логин и пароль впервые.",
                              "%(n)s человека получат логины и пароли впервые.", plan.new) % {"n": plan.new})  # fmt: skip
    if plan.kept:
        lines.append(ngettext("У %(n)s человека логин уже есть — его пароль не изменится.",
                              "У %(n)s человек логины уже есть — их пароли не изменятся.", plan.kept)
                     % {"n": plan.kept})  # fmt: skip
    if plan.staff:
        lines.append(ngettext("%(n)s служебная учётная запись не изменится (её пароль меняют в «Сотрудниках»).",
                              "%(n)s служебные учётные записи не изменятся (их пароли меняют в «Сотрудниках»).",
                              plan.staff) % {"n": plan.staff})  # fmt: skip
    whom = _("родителям обучающихся") if data["who"] == "guardians" else _("обучающимся")
    return question_page(
        request,
        title=_("Выдать логины %(whom)s класса %(cls)s?") % {"whom": whom, "cls": cls},
        lines=lines,
        warning=_("Прежние пароли перестанут действовать сразу: передайте новые листы всем.") if plan.reset else "",
        confirm=ngettext("Выдать %(n)s лист", "Выдать %(n)s листа", len(plan.issue)) % {"n": len(plan.issue)},
        cancel=back,
    )


@access_rule("can_issue_credentials")
def slips(request: ActorRequest) -> HttpResponse:
    """The printable slips of the credentials just issued; shown once, then gone from the session."""
    return render(request, "people/slips.html", {"slips": slips_take(request)})
