"""The per-user access cache: cheap requests, and no stale access after a change made through the app."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.urls import reverse

from ejournal.access.generation import access_generation
from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.curriculum.models import Subject
from ejournal.curriculum.services import assignment_create, assignment_end, assignment_reassign
from ejournal.people.services import appointment_end, guardian_unlink
from ejournal.portal.models import RolePreference

SIMPLE_PAGE = "/accounts/password/done/"


def _director(world):
    return Actor(user_id=world.director.pk, role=Role.DIRECTOR, school_id=world.school.pk)


def _maths_of_5a(world, teacher):
    return assignment_create(
        school=world.school,
        teacher=teacher,
        school_class=world.cls,
        subgroup=None,
        subject=Subject.objects.get(school=None, name="Математика"),
        hours_per_week=Decimal("4"),
        starts_on=dt.date(2026, 9, 1),
        actor=_director(world),
    )


def _actor_of(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200
    request = response.wsgi_request
    return request.actor, [c.role for c in request.role_choices]


def test_a_signed_in_page_costs_only_the_user_query(world, login_as, django_assert_num_queries):
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    client.get(SIMPLE_PAGE)  # the first request builds the cached access
    with django_assert_num_queries(1):  # the user; the session comes from the cache
        assert client.get(SIMPLE_PAGE).status_code == 200


def test_the_guardians_steady_request_asks_nothing_about_roles(world, login_as, django_assert_max_num_queries):
    client = login_as(world.guardian_user, Role.GUARDIAN)
    client.get(SIMPLE_PAGE)
    with django_assert_max_num_queries(2):
        client.get(SIMPLE_PAGE)


def test_users_never_share_a_cached_actor(world, client):
    from ejournal.testing import login

    for _ in range(2):
        for user, role in ((world.teacher, Role.CLASS_TEACHER), (world.other_teacher, Role.CLASS_TEACHER)):
            login(client, user, role)
            actor, _roles = _actor_of(client)
            assert actor.user_id == user.pk
            expected = world.cls.pk if user == world.teacher else world.other_cls.pk
            assert actor.led_class_ids == {expected}


def test_an_ended_appointment_is_gone_at_the_next_request(world, login_as):
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    assert _actor_of(client)[0].role == Role.DEPUTY_HEAD
    assignment = world.deputy_head.role_assignments.get()
    yesterday = dt.date.today() - dt.timedelta(days=1)
    appointment_end(assignment=assignment, ends_on=yesterday, actor=_director(world))
    actor, roles = _actor_of(client)
    assert Role.DEPUTY_HEAD not in roles
    assert actor.role is None


def test_an_unlinked_child_is_out_of_reach_at_the_next_request(world, login_as):
    client = login_as(world.guardian_user, Role.GUARDIAN)
    assert client.get(f"/diary/{world.sibling.pk}/").status_code == 200
    link = world.guardian.links.get(student=world.sibling)
    guardian_unlink(link=link, actor=_director(world))
    actor, _roles = _actor_of(client)
    assert actor.student_ids == {world.student.pk}
    assert client.get(f"/diary/{world.sibling.pk}/").status_code in (403, 404)


def test_an_ended_teaching_assignment_takes_the_class_away_at_the_next_request(world, login_as):
    client = login_as(world.other_teacher, Role.TEACHER)
    assignment = _maths_of_5a(world, world.other_teacher)
    assert world.cls.pk in _actor_of(client)[0].class_ids
    assignment_end(assignment=assignment, ends_on=dt.date.today() - dt.timedelta(days=1), actor=_director(world))
    assert world.cls.pk not in _actor_of(client)[0].class_ids


def test_a_reassigned_class_moves_to_the_new_teacher_at_the_next_request(world, client):
    from ejournal.testing import appoint, login, make_user

    newcomer = make_user("newcomer", "Новикова", "Ася")
    appoint(newcomer, Role.TEACHER, school=world.school)

    assignment = _maths_of_5a(world, world.other_teacher)
    login(client, world.other_teacher, Role.TEACHER)
    assert world.cls.pk in _actor_of(client)[0].class_ids
    login(client, newcomer, Role.TEACHER)
    assert world.cls.pk not in _actor_of(client)[0].class_ids
    assignment_reassign(assignment=assignment, new_teacher=newcomer, from_date=dt.date.today(),
                        actor=_director(world))  # fmt: skip
    assert world.cls.pk in _actor_of(client)[0].class_ids
    login(client, world.other_teacher, Role.TEACHER)
    assert world.cls.pk not in _actor_of(client)[0].class_ids


def test_a_role_ending_today_is_gone_tomorrow(world, login_as, monkeypatch):
    from django.utils import timezone

    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    assignment = world.deputy_head.role_assignments.get()
    today = timezone.localdate()
    appointment_end(assignment=assignment, ends_on=today, actor=_director(world))
    assert _actor_of(client)[0].role == Role.DEPUTY_HEAD
    monkeypatch.setattr(timezone, "localdate", lambda *a, **kw: today + dt.timedelta(days=1))
    assert _actor_of(client)[0].role is None


def test_an_admin_post_forgets_everybodys_access(world, client):
    world.director.is_staff = world.director.is_superuser = True
    world.director.save()
    before = access_generation(world.teacher.pk)
    client.force_login(world.director)
    client.post(reverse("admin:people_roleassignment_changelist"), {})
    assert access_generation(world.teacher.pk) != before


# --- the role a user starts in ------------------------------------------------------------------


def _key_of(user, role):
    from ejournal.portal.actors import role_choices

    return next(c.key for c in role_choices(user) if c.role == role)


def test_the_last_chosen_role_is_where_the_next_sign_in_starts(world, client):
    """A teacher who is also deputy head switched to the journal once; the next sign-in starts there."""
    from ejournal.testing import appoint

    appoint(world.teacher, Role.DEPUTY_HEAD, school=world.school)
    client.force_login(world.teacher)
    assert _actor_of(client)[0].role == Role.TEACHER  # the first appointment
    client.post(reverse("portal:switch_role"), {"key": _key_of(world.teacher, Role.CLASS_TEACHER)})
    assert RolePreference.objects.get(user=world.teacher).key == _key_of(world.teacher, Role.CLASS_TEACHER)
    client.logout()
    client.force_login(world.teacher)
    assert AUTH_SESSION_KEY in client.session and "active_role" not in client.session
    assert _actor_of(client)[0].role == Role.CLASS_TEACHER


def test_a_preference_for_a_role_no_longer_held_falls_back_to_the_first_role(world, client):
    RolePreference.objects.create(user=world.teacher, key="a999999")
    client.force_login(world.teacher)
    assert _actor_of(client)[0].role == Role.TEACHER


def test_a_role_the_user_does_not_hold_is_not_remembered(world, client):
    client.force_login(world.teacher)
    client.post(reverse("portal:switch_role"), {"key": _key_of(world.director, Role.DIRECTOR)})
    assert not RolePreference.objects.filter(user=world.teacher).exists()
