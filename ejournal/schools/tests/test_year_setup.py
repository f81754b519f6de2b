"""Terms, holidays and the standard calendar: services refuse bad input and save nothing; pages per role."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.core.models import AuditEvent
from ejournal.schools import services
from ejournal.schools.models import Holiday, Term

D = dt.date


def deputy(world):
    return Actor(user_id=world.deputy_head.pk, role=Role.DEPUTY_HEAD, school_id=world.school.pk)


def term_args(**kw):
    args = {"kind": "half_year", "number": 1, "starts_on": D(2026, 9, 1), "ends_on": D(2026, 12, 28)}
    return {**args, "min_grade": 10, "max_grade": 11, **kw}


def test_overlapping_term_of_the_same_grades_is_refused(world):
    count = Term.objects.count()
    with pytest.raises(ValidationError, match="пересекается"):
        services.term_create(school=world.school, **term_args(min_grade=9), actor=deputy(world))
    assert Term.objects.count() == count


def test_half_years_for_senior_grades_fit_beside_quarters_of_other_grades(world):
    Term.objects.filter(school=world.school).update(max_grade=9)
    actor = deputy(world)
    services.term_create(school=world.school, **term_args(), actor=actor)
    services.term_create(
        school=world.school, **term_args(number=2, starts_on=D(2027, 1, 12), ends_on=D(2027, 5, 26)), actor=actor
    )
    assert Term.objects.filter(school=world.school, kind="half_year").count() == 2
    assert AuditEvent.objects.filter(action="term_create").count() == 2


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"starts_on": D(2026, 8, 20)}, "в пределах учебного года"),
        ({"number": 2}, "нумеруются подряд"),
        ({"number": 3}, "от 1 до 2"),
        ({"min_grade": 0}, "от 1 до 11"),
        ({"min_grade": 11, "max_grade": 10}, "не может быть больше"),
        ({"ends_on": D(2026, 8, 31)}, "раньше даты начала"),
    ],
)
def test_bad_terms_are_refused_with_a_russian_message(world, kw, message):
    Term.objects.filter(school=world.school).update(max_grade=9)
    with pytest.raises(ValidationError, match=message):
        services.term_create(school=world.school, **term_args(**kw), actor=deputy(world))
    assert not Term.objects.filter(school=world.school, kind="half_year").exists()


def test_only_the_last_term_of_a_band_can_be_deleted(world):
    terms = list(Term.objects.filter(school=world.school).order_by("number"))
    with pytest.raises(ValidationError, match="последний"):
        services.term_delete(term=terms[1], actor=deputy(world))
    services.term_delete(term=terms[3], actor=deputy(world))
    assert Term.objects.filter(school=world.school).count() == 3


def holiday_args(**kw):
    args = {"name": "Осенние каникулы", "kind": "vacation", "starts_on": D(2026, 10, 26), "ends_on": D(2026, 11, 4)}
    return {**args, "min_grade": 1, "max_grade": 11, **kw}


def test_holidays_outside_the_year_are_refused(world):
    with pytest.raises(ValidationError, match="в пределах учебного года"):
        services.holiday_create(school=world.school, **holiday_args(ends_on=D(2027, 9, 3)), actor=deputy(world))
    with pytest.raises(ValidationError, match="раньше даты начала"):
        services.holiday_create(school=world.school, **holiday_args(ends_on=D(2026, 10, 1)), actor=deputy(world))
    assert not Holiday.objects.exists()


def test_city_holidays_are_read_only_for_the_school(world):
    city = Holiday.objects.create(
        municipality=world.city, year=world.year, name="Новогодние", starts_on=D(2027, 1, 1), ends_on=D(2027, 1, 8)
    )
    with pytest.raises(ValidationError, match="департамент"):
        services.holiday_delete(holiday=city, actor=deputy(world))


def test_standard_calendar_fills_an_empty_year_and_refuses_a_filled_one(world):
    with pytest.raises(ValidationError, match="уже заданы"):
        services.year_fill_standard(school=world.school, actor=deputy(world))
    Term.objects.filter(school=world.school).delete()
    terms, holidays = services.year_fill_standard(school=world.school, actor=deputy(world))
    assert (terms, holidays) == (4, 5)
    first = Term.objects.get(school=world.school, number=1)
    assert (first.starts_on, first.ends_on) == (D(2026, 9, 1), D(2026, 10, 25))
    assert Holiday.objects.filter(school=world.school, min_grade=1, max_grade=1).count() == 1


def test_deputy_head_adds_a_term_through_the_page_and_bad_dates_change_nothing(world, login_as):
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    data = {"kind": "quarter", "number": "1", "starts_on": "01.08.2026", "ends_on": "20.10.2026"}
    response = client.post("/year/terms/new/", {**data, "min_grade": "1", "max_grade": "4"})
    assert response.status_code == 400
    assert "в пределах учебного года" in response.content.decode()
    assert Term.objects.filter(school=world.school).count() == 4


def test_foreign_term_is_404_and_coordinator_cannot_edit(world, login_as):
    foreign = Term.objects.filter(school=world.other_school).first()
    assert login_as(world.deputy_head, Role.DEPUTY_HEAD).get(f"/year/terms/{foreign.pk}/").status_code == 404
    own = Term.objects.filter(school=world.school).first()
    assert login_as(world.coordinator, Role.JOURNAL_COORDINATOR).get(f"/year/terms/{own.pk}/").status_code == 403
    response = login_as(world.deputy_head, Role.DEPUTY_HEAD).post(f"/year/terms/{foreign.pk}/delete/")
    assert response.status_code == 404


def test_year_page_lists_holidays_in_constant_queries(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    client.get("/year/")
    before = _count(client, "/year/")
    for n in range(5):
        Holiday.objects.create(
            municipality=world.city, school=world.school, year=world.year, name=f"День {n}",
            starts_on=D(2026, 10, 1 + n), ends_on=D(2026, 10, 1 + n),
        )  # fmt: skip
    assert _count(client, "/year/") == before
    assert "День 4" in client.get("/year/").content.decode()


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)
