"""The Regulation pages: the department edits the exemplary one, the director adopts and appoints, others read."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.core.models import AuditEvent
from ejournal.people.models import RoleAssignment
from ejournal.regulation.models import CoordinatorAppointment, Regulation

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 9, 15, 10, 0, tzinfo=dt.UTC)


def _norms(**over):
    values = {
        "same_day_grace_days": 0, "homework_grace_days": 0, "written_mark_school_days": 3,
        "written_mark_school_days_grades_5_9": 7, "composition_mark_school_days_grades_10_11": 10,
        "period_mark_grace_days": 0, "year_marks_open_days": 14, "year_mark_grace_days": 0, "exam_mark_days": 45,
        "density_hours_threshold": "2", "density_min_low_hours": 3,
        "density_min_high_hours": 5, "density_min_half_year": 5, "suggestion_five": "4.65",
        "suggestion_four": "3.65", "suggestion_three": "2.65", "control_days": 31,
    }  # fmt: skip
    values.update(over)
    return values


def _exemplary(w, **over):
    return Regulation.objects.create(municipality=w.city, title="Примерное положение", **_norms(**over))


@time_machine.travel(NOW, tick=False)
def test_municipal_officer_saves_the_exemplary_regulation(world, login_as):
    client = login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER)
    response = client.post(reverse("regulation:exemplary_edit"), {"title": "", **_norms(homework_grace_days=1)})
    assert response.status_code == 302
    saved = Regulation.objects.get(municipality=world.city, school__isnull=True)
    assert saved.homework_grace_days == 1
    assert AuditEvent.objects.filter(action="regulation_exemplary_create").exists()
    page = client.get(reverse("regulation:exemplary"))
    assert "Изменить примерное положение" in page.content.decode()


def test_bad_thresholds_are_refused_in_russian_and_nothing_is_saved(world, login_as):
    client = login_as(world.municipal_officer, Role.MUNICIPAL_OFFICER)
    response = client.post(reverse("regulation:exemplary_edit"), _norms(suggestion_four="4.80"))
    assert response.status_code == 400
    assert "Границы среднего балла должны убывать" in response.content.decode()
    assert not Regulation.objects.exists()


def test_deputy_head_cannot_edit_the_exemplary_regulation(world, login_as):
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    assert client.post(reverse("regulation:exemplary_edit"), _norms()).status_code == 403
    assert not Regulation.objects.exists()


def test_adopt_form_is_prefilled_from_the_exemplary_one(world, login_as):
    _exemplary(world, homework_grace_days=2)
    page = login_as(world.director, Role.DIRECTOR).get(reverse("regulation:adopt"))
    assert page.status_code == 200
    assert 'name="homework_grace_days" value="2"' in page.content.decode()


@time_machine.travel(NOW, tick=False)
def test_director_adopts_and_the_document_shows_the_differences(world, login_as):
    _exemplary(world)
    client = login_as(world.director, Role.DIRECTOR)
    data = {"order_number": "45-О", "adopted_on": "2026-09-01", **_norms(control_days=14)}
    assert client.post(reverse("regulation:adopt"), data).status_code == 302
    own = Regulation.objects.get(school=world.school)
    assert own.control_days == 14 and own.order_number == "45-О"
    page = client.get(reverse("regulation:school")).content.decode()
    assert "приказом директора от 01.09.2026 № 45-О" in page
    assert page.count("(отличается)") == 1


@time_machine.travel(NOW, tick=False)
def test_the_school_may_allow_planned_marks_ahead_and_the_journal_reads_it(world, login_as):
    from ejournal.journal.rules import rules_for

    _exemplary(world)
    client = login_as(world.director, Role.DIRECTOR)
    form = client.get(reverse("regulation:adopt")).content.decode()
    assert 'type="checkbox" name="allow_future_planned_marks"' in form and "checked" not in form
    data = {"order_number": "46-О", "adopted_on": "2026-09-01", **_norms(allow_future_planned_marks="on")}
    assert client.post(reverse("regulation:adopt"), data).status_code == 302
    assert Regulation.objects.get(school=world.school).allow_future_planned_marks is True
    assert rules_for(world.school).allow_future_planned_marks is True
    page = client.get(reverse("regulation:school")).content.decode()
    row = page.split("Отметки за плановые работы на будущих уроках")[1].split("</tr>")[0]
    assert "<td>да</td>" in row and "нет" in row and "(отличается)" in row  # the exemplary one keeps «нет»


def test_adoption_without_an_order_number_is_refused(world, login_as):
    client = login_as(world.director, Role.DIRECTOR)
    response = client.post(reverse("regulation:adopt"), {"order_number": "", "adopted_on": "2026-09-01", **_norms()})
    assert response.status_code == 400
    assert not Regulation.objects.filter(school=world.school).exists()


def test_deputy_head_reads_but_cannot_adopt(world, login_as):
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    assert client.get(reverse("regulation:school")).status_code == 200
    data = {"order_number": "1", "adopted_on": "2026-09-01", **_norms()}
    assert client.post(reverse("regulation:adopt"), data).status_code == 403
    assert not Regulation.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_director_appoints_the_coordinator_from_the_staff(world, login_as):
    client = login_as(world.director, Role.DIRECTOR)
    data = {"user": world.other_teacher.pk, "order_number": "12-К", "order_date": "2026-09-10"}
    assert client.post(reverse("regulation:coordinator"), data).status_code == 302
    appointment = CoordinatorAppointment.objects.get(school=world.school, ends_on__isnull=True)
    assert appointment.user == world.other_teacher and appointment.starts_on == dt.date(2026, 9, 10)
    assert RoleAssignment.objects.filter(user=world.other_teacher, role=Role.JOURNAL_COORDINATOR).exists()
    page = client.get(reverse("regulation:school")).content.decode()
    assert "12-К от 10.09.2026" in page


def test_a_person_of_another_school_cannot_be_appointed(world, login_as):
    client = login_as(world.director, Role.DIRECTOR)
    data = {"user": world.foreign_teacher.pk, "order_number": "12-К", "order_date": "2026-09-10"}
    assert client.post(reverse("regulation:coordinator"), data).status_code == 400
    assert not CoordinatorAppointment.objects.exists()


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_school_page_answers_in_constant_queries(world, login_as):
    _exemplary(world)
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    url = reverse("regulation:school")
    client.get(url)
    small = _queries(client, url)
    for n, user in enumerate((world.teacher, world.other_teacher), start=1):
        CoordinatorAppointment.objects.create(
            school=world.school, user=user, order_number=str(n), order_date=dt.date(2026, 9, n),
            starts_on=dt.date(2026, 9, n), ends_on=dt.date(2026, 9, n), created_by=world.director,
        )  # fmt: skip
    assert _queries(client, url) == small


def _norm_cells(page: str) -> dict[str, list[str]]:
    """Norm label → the cells after it (value; the exemplary value on a school's own Regulation)."""
    import re

    rows = re.findall(r"<tr[^>]*>\s*<td>2\.\d+</td><td>([^<]+)</td>(.*?)</tr>", page, re.S)
    return {label: re.findall(r"<td>([^<]*)", cells) for label, cells in rows}


def test_without_a_saved_regulation_the_page_shows_the_norms_in_force(world, login_as, settings):
    from ejournal.journal.rules import JournalRules

    settings.EJ_JOURNAL_RULES = {"homework_grace_days": 2}
    page = login_as(world.methodist, Role.METHODIST).get(reverse("regulation:exemplary")).content.decode()
    cells = _norm_cells(page)
    assert len(cells) == 19 and all(values[0].strip() != "—" for values in cells.values())
    assert cells["Домашнее задание: дней после урока"][0] == "2"  # the city's setting, enforced by the journal
    assert cells["Письменные работы: учебных дней на проверку"][0] == str(JournalRules().written_mark_school_days)
    assert cells["Средний балл для «5» от"][0] == "4,65"


def test_a_schools_own_regulation_compares_with_the_norms_in_force_without_an_exemplary_one(world, login_as):
    Regulation.objects.create(municipality=world.city, school=world.school, title="Положение СОШ № 1",
                              adopted_on=dt.date(2026, 8, 30), order_number="№ 145-о", **_norms(control_days=14))  # fmt: skip
    page = login_as(world.deputy_head, Role.DEPUTY_HEAD).get(reverse("regulation:school")).content.decode()
    cells = _norm_cells(page)
    assert cells["Проверка журнала не реже, чем раз в (дней)"][:2] == ["14", "31 "]
    assert all(values[1].strip() != "—" for values in cells.values())
    assert "№ 145-о" in page and "№ №" not in page


def test_the_coordinator_holding_the_role_is_shown_without_an_order_on_record(world, login_as):
    page = login_as(world.director, Role.DIRECTOR).get(reverse("regulation:school")).content.decode()
    assert "Ответственный не назначен" not in page
    assert "Кузнецов Андрей Олегович" in page and "приказ не внесён" in page


def test_an_order_number_typed_with_its_sign_is_kept_without_it(world, login_as):
    client = login_as(world.director, Role.DIRECTOR)
    data = {"order_number": "№ 45-О", "adopted_on": "2026-09-01", **_norms()}
    assert client.post(reverse("regulation:adopt"), data).status_code == 302
    assert Regulation.objects.get(school=world.school).order_number == "45-О"
    data = {"user": world.other_teacher.pk, "order_number": "№12-К", "order_date": "2026-09-10"}
    assert client.post(reverse("regulation:coordinator"), data).status_code == 302
    assert CoordinatorAppointment.objects.get(ends_on__isnull=True).order_number == "12-К"
    page = client.get(reverse("regulation:school")).content.decode()
    assert "№ 45-О" in page and "№ №" not in page


def test_the_regulations_defaults_are_the_journals_rules():
    """`norms_by_default` reads the Regulation's field defaults: they must be what the journal enforces."""
    from ejournal.journal.rules import JournalRules
    from ejournal.regulation.selectors import NOT_JOURNAL_RULES, norms_by_default

    rules, defaults = JournalRules(), norms_by_default()
    assert {n: v for n, v in defaults.items() if n not in NOT_JOURNAL_RULES} == {
        n: getattr(rules, n) for n in defaults if n not in NOT_JOURNAL_RULES
    }
    assert [(defaults[n], m) for n, m in (("suggestion_five", "5"), ("suggestion_four", "4"),
                                           ("suggestion_three", "3"))] == list(rules.suggestion_thresholds)  # fmt: skip
