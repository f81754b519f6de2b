"""Rules of the city layer (rollout schedule, monthly report) and of the support desk, on plain objects."""

from types import SimpleNamespace as Obj

import pytest

from ejournal.access.policy import Actor, check
from ejournal.access.roles import Role

# City 1: district 10 (schools 1, 2), district 20 (school 3). City 2: district 30 (school 4).
own_rollout = Obj(school_id=1)
other_district_rollout = Obj(school_id=3)
other_city_rollout = Obj(school_id=4)
own_report = Obj(district_id=10, municipality_id=1)
other_district_report = Obj(district_id=20, municipality_id=1)
other_city_report = Obj(district_id=30, municipality_id=2)


def actor(role, **kw):
    return Actor(user_id=99, role=role, **kw)


DISTRICT = actor(Role.DISTRICT_OFFICER, municipality_id=1, district_id=10, school_ids=frozenset({1, 2}))
MUNICIPAL = actor(Role.MUNICIPAL_OFFICER, municipality_id=1, school_ids=frozenset({1, 2, 3}))
METHODIST = actor(Role.METHODIST, municipality_id=1, school_ids=frozenset({1, 2, 3}))
DIRECTOR = actor(Role.DIRECTOR, municipality_id=1, district_id=10, school_id=1)
COORDINATOR = actor(Role.JOURNAL_COORDINATOR, municipality_id=1, district_id=10, school_id=1)
DEPUTY = actor(Role.DEPUTY_HEAD, municipality_id=1, district_id=10, school_id=1)
TEACHER = actor(Role.TEACHER, municipality_id=1, district_id=10, school_id=1)
GUARDIAN = actor(Role.GUARDIAN, student_ids=frozenset({5}))


def test_district_officer_reads_and_edits_only_the_districts_schedule():
    for name in ("can_view_rollout", "can_edit_rollout"):
        assert check(DISTRICT, name)
        assert check(DISTRICT, name, own_rollout)
        assert not check(DISTRICT, name, other_district_rollout)


def test_department_edits_the_whole_citys_schedule_but_not_another_city():
    assert check(MUNICIPAL, "can_edit_rollout", other_district_rollout)
    assert not check(MUNICIPAL, "can_edit_rollout", other_city_rollout)


def test_methodist_reads_the_schedule_but_cannot_edit_it():
    assert check(METHODIST, "can_view_rollout", other_district_rollout)
    assert not check(METHODIST, "can_edit_rollout")
    assert not check(METHODIST, "can_edit_rollout", own_rollout)


@pytest.mark.parametrize("a", [DIRECTOR, COORDINATOR, TEACHER, GUARDIAN])
def test_school_and_family_roles_have_no_city_layer(a):
    for name in (
        "can_view_rollout",
        "can_edit_rollout",
        "can_manage_software_complexes",
        "can_view_monthly_reports",
        "can_prepare_monthly_report",
        "can_review_monthly_report",
        "can_view_city_report",
    ):
        assert not check(a, name), name


def test_only_the_department_keeps_the_list_of_software_complexes():
    assert check(MUNICIPAL, "can_manage_software_complexes", Obj(municipality_id=1))
    assert not check(MUNICIPAL, "can_manage_software_complexes", Obj(municipality_id=2))
    assert not check(DISTRICT, "can_manage_software_complexes")
    assert not check(METHODIST, "can_manage_software_complexes")


def test_district_officer_prepares_only_the_own_districts_report():
    assert check(DISTRICT, "can_prepare_monthly_report", own_report)
    assert not check(DISTRICT, "can_prepare_monthly_report", other_district_report)
    assert check(DISTRICT, "can_view_monthly_reports", own_report)
    assert not check(DISTRICT, "can_view_monthly_reports", other_district_report)
    assert not check(DISTRICT, "can_review_monthly_report", own_report)


def test_department_reviews_every_district_of_its_city_only():
    assert check(MUNICIPAL, "can_review_monthly_report", own_report)
    assert check(MUNICIPAL, "can_review_monthly_report", other_district_report)
    assert not check(MUNICIPAL, "can_review_monthly_report", other_city_report)
    assert not check(MUNICIPAL, "can_prepare_monthly_report", own_report)


def test_methodist_reads_reports_but_neither_prepares_nor_reviews():
    assert check(METHODIST, "can_view_monthly_reports", other_district_report)
    assert not check(METHODIST, "can_view_monthly_reports", other_city_report)
    assert not check(METHODIST, "can_prepare_monthly_report", own_report)
    assert not check(METHODIST, "can_review_monthly_report", own_report)


def test_city_report_is_for_the_department_and_the_methodist():
    assert check(MUNICIPAL, "can_view_city_report", Obj(id=1))
    assert check(METHODIST, "can_view_city_report")
    assert not check(MUNICIPAL, "can_view_city_report", Obj(id=2))
    assert not check(DISTRICT, "can_view_city_report")


@pytest.mark.parametrize("a", [DIRECTOR, DEPUTY, COORDINATOR])
def test_school_administration_files_requests_for_its_own_school(a):
    assert check(a, "can_file_support_request")
    assert check(a, "can_file_support_request", Obj(school_id=1))
    assert not check(a, "can_file_support_request", Obj(school_id=3))
    assert check(a, "can_view_support_requests", Obj(school_id=1))
    assert not check(a, "can_view_support_requests", Obj(school_id=3))


@pytest.mark.parametrize("a", [TEACHER, GUARDIAN, DISTRICT, MUNICIPAL, METHODIST])
def test_others_do_not_file_requests(a):
    assert not check(a, "can_file_support_request")


def test_district_reads_its_schools_requests_but_cannot_answer():
    assert check(DISTRICT, "can_view_support_requests", Obj(school_id=2))
    assert not check(DISTRICT, "can_view_support_requests", Obj(school_id=3))
    assert not check(DISTRICT, "can_answer_support_request", Obj(school_id=2))


def test_methodist_answers_requests_of_the_city_only():
    assert check(METHODIST, "can_answer_support_request", Obj(school_id=3))
    assert not check(METHODIST, "can_answer_support_request", Obj(school_id=4))
    assert not check(MUNICIPAL, "can_answer_support_request", Obj(school_id=3))
    assert not check(TEACHER, "can_view_support_requests")
