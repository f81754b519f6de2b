"""Roster services: invariants of moves, refusals that change nothing, credentials."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.accounts.models import User
from ejournal.core.models import AuditEvent
from ejournal.people import services
from ejournal.people.credentials import login_stem, password_generate, transliterate
from ejournal.people.models import Departure, Enrolment, Guardian, GuardianLink, RoleAssignment, SubgroupMembership
from ejournal.schools.models import SchoolClass

D = dt.date


@pytest.fixture
def coord(world):
    return Actor(user_id=world.coordinator.pk, role=Role.JOURNAL_COORDINATOR, school_id=world.school.pk)


@pytest.fixture
def director(world):
    return Actor(user_id=world.director.pk, role=Role.DIRECTOR, school_id=world.school.pk)


def snapshot(student):
    """Everything a move may touch, to prove that a refusal changed nothing."""
    student.refresh_from_db()
    return (
        student.school_id,
        student.school_class_id,
        student.is_active,
        list(student.enrolments.order_by("id").values_list("school_class_id", "starts_on", "ends_on", "end_reason")),
        Departure.objects.filter(student=student).count(),
        AuditEvent.objects.count(),
    )


# --- classes and subgroups ---------------------------------------------------------------


def test_class_create_normalises_the_letter_and_logs_it(world, coord):
    cls = services.class_create(
        school=world.school, grade=7, letter=" «в» ", class_teacher=world.other_teacher, shift=2, actor=coord
    )
    assert (cls.grade, cls.letter, cls.shift, cls.year) == (7, "В", 2, world.year)
    event = AuditEvent.objects.get(action="class_create")
    assert event.school_id == world.school.pk and event.actor_role == Role.JOURNAL_COORDINATOR


@pytest.mark.parametrize(
    ("grade", "letter", "shift", "message"),
    [
        (12, "А", 1, "от 1 до 11"),
        (0, "А", 1, "от 1 до 11"),
        (5, "", 1, "Литера"),
        (5, "А", 3, "Смена"),
        (5, "А", 1, "уже есть"),
    ],
)
def test_class_create_refuses_bad_values_in_russian(world, coord, grade, letter, shift, message):
    before = SchoolClass.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.class_create(
            school=world.school, grade=grade, letter=letter, class_teacher=None, shift=shift, actor=coord
        )
    assert message in " ".join(exc.value.messages)
    assert SchoolClass.objects.count() == before


def test_class_teacher_must_work_at_the_school(world, coord):
    with pytest.raises(ValidationError, match="сотрудник этой школы"):
        services.class_update(
            school_class=world.cls, grade=5, letter="А", class_teacher=world.foreign_teacher, shift=1, actor=coord
        )
    world.cls.refresh_from_db()
    assert world.cls.class_teacher == world.teacher


def test_class_update_logs_old_and_new(world, coord):
    services.class_update(
        school_class=world.cls, grade=5, letter="А", class_teacher=world.other_teacher, shift=2, actor=coord
    )
    event = AuditEvent.objects.get(action="class_update")
    assert event.changes["shift"] == [1, 2]
    assert event.changes["class_teacher"] == [str(world.teacher), str(world.other_teacher)]


def test_subgroup_members_are_set_from_a_date_and_history_is_kept(world, coord):
    subgroup = world.subgroup
    services.subgroup_member_set(
        subgroup=subgroup, student_ids=[world.student.pk, world.classmate.pk], on_date=D(2026, 9, 1), actor=coord
    )
    services.subgroup_member_set(subgroup=subgroup, student_ids=[world.student.pk], on_date=D(2026, 10, 1), actor=coord)
    ended = SubgroupMembership.objects.get(student=world.classmate)
    assert ended.ends_on == D(2026, 9, 30)
    assert SubgroupMembership.objects.filter(subgroup=subgroup, ends_on__isnull=True).count() == 1


def test_subgroup_takes_only_students_of_its_class(world, coord):
    with pytest.raises(ValidationError, match="только обучающихся этого класса"):
        services.subgroup_member_set(
            subgroup=world.subgroup, student_ids=[world.sibling.pk], on_date=D(2026, 9, 1), actor=coord
        )
    assert not SubgroupMembership.objects.exists()


def test_subgroup_with_history_cannot_be_deleted_but_an_empty_one_can(world, coord):
    services.subgroup_member_set(
        subgroup=world.subgroup, student_ids=[world.student.pk], on_date=D(2026, 9, 2), actor=coord
    )
    with pytest.raises(ValidationError, match="нельзя удалить"):
        services.subgroup_delete(subgroup=world.subgroup, actor=coord)
    empty = services.subgroup_create(school_class=world.cls, name="Информатика, 2 группа", actor=coord)
    services.subgroup_delete(subgroup=empty, actor=coord)
    assert not type(empty).objects.filter(pk=empty.pk).exists()


def test_subgroup_names_are_unique_in_a_class(world, coord):
    with pytest.raises(ValidationError, match="уже есть подгруппа"):
        services.subgroup_create(school_class=world.cls, name="английский язык, 1 группа", actor=coord)


# --- students -------------------------------------------------------------------------------


def test_student_create_enrols_into_the_class(world, coord):
    student = services.student_create(
        school=world.school,
        last_name="Ершов",
        first_name="Илья",
        birth_date=D(2015, 5, 5),
        record_number="A-9",
        school_class=world.cls,
        starts_on=D(2026, 9, 10),
        order_number="12-у",
        actor=coord,
    )
    enrolment = student.enrolments.get()
    assert (enrolment.school_class, enrolment.starts_on, enrolment.ends_on) == (world.cls, D(2026, 9, 10), None)
    assert enrolment.order_number == "12-у" and student.school_class == world.cls


def test_student_create_refuses_a_foreign_class_and_a_taken_record_number(world, coord):
    kwargs = {"school": world.school, "last_name": "Ершов", "first_name": "Илья", "starts_on": D(2026, 9, 10)}
    with pytest.raises(ValidationError, match="классом этой школы"):
        services.student_create(**kwargs, school_class=world.foreign_cls, actor=coord)
    with pytest.raises(ValidationError, match="уже есть"):
        services.student_create(**kwargs, school_class=world.cls, record_number="A-1", actor=coord)
    assert not world.school.students.filter(last_name="Ершов").exists()


def test_transfer_closes_the_old_stay_and_keeps_it(world, coord):
    services.student_transfer(
        student=world.student, school_class=world.other_cls, on_date=D(2026, 10, 1), order_number="7", actor=coord
    )
    old, new = world.student.enrolments.order_by("starts_on")
    assert (old.school_class, old.ends_on, old.end_reason) == (world.cls, D(2026, 9, 30), Enrolment.Reason.TRANSFER)
    assert (new.school_class, new.starts_on, new.ends_on) == (world.other_cls, D(2026, 10, 1), None)
    world.student.refresh_from_db()
    assert world.student.school_class == world.other_cls


@pytest.mark.parametrize("on_date", [D(2026, 9, 1), D(2026, 8, 15)])
def test_transfer_dated_not_after_the_current_stay_is_refused_and_nothing_changes(world, coord, on_date):
    before = snapshot(world.student)
    with pytest.raises(ValidationError) as exc:
        services.student_transfer(student=world.student, school_class=world.other_cls, on_date=on_date, actor=coord)
    assert "должна быть позже даты зачисления в текущий класс (01.09.2026)" in exc.value.messages[0]
    assert snapshot(world.student) == before


def test_transfer_after_the_school_year_is_refused(world, coord):
    before = snapshot(world.student)
    with pytest.raises(ValidationError, match="позже окончания учебного года 2026/2027"):
        services.student_transfer(
            student=world.student, school_class=world.other_cls, on_date=D(2099, 1, 1), actor=coord
        )
    assert snapshot(world.student) == before


def test_transfer_to_a_class_of_another_school_is_refused(world, coord):
    before = snapshot(world.student)
    with pytest.raises(ValidationError, match="классом этой школы"):
        services.student_transfer(
            student=world.student, school_class=world.foreign_cls, on_date=D(2026, 10, 1), actor=coord
        )
    assert snapshot(world.student) == before


def test_departure_closes_the_enrolment_and_records_the_order(world, coord):
    services.subgroup_member_set(
        subgroup=world.subgroup, student_ids=[world.student.pk], on_date=D(2026, 9, 2), actor=coord
    )
    departure = services.student_depart(
        student=world.student, on_date=D(2026, 11, 10), reason="переезд", order_number="45-у", actor=coord
    )
    world.student.refresh_from_db()
    assert not world.student.is_active and world.student.school_class is None
    enrolment = world.student.enrolments.get()
    assert (enrolment.ends_on, enrolment.end_reason) == (D(2026, 11, 9), Enrolment.Reason.DEPARTURE)
    assert (departure.order_number, departure.reason, departure.school) == ("45-у", "переезд", world.school)
    assert SubgroupMembership.objects.get(student=world.student).ends_on == D(2026, 11, 9)


def test_departure_needs_a_reason_and_a_later_date(world, coord):
    before = snapshot(world.student)
    with pytest.raises(ValidationError, match="причину"):
        services.student_depart(
            student=world.student, on_date=D(2026, 11, 10), reason=" ", order_number="1", actor=coord
        )
    with pytest.raises(ValidationError, match="позже"):
        services.student_depart(student=world.student, on_date=D(2026, 1, 1), reason="x", order_number="1", actor=coord)
    assert snapshot(world.student) == before


def test_transfer_to_another_school_keeps_history_in_both(world, coord):
    foreign_coord = Actor(
        user_id=world.foreign_coordinator.pk, role=Role.JOURNAL_COORDINATOR, school_id=world.other_school.pk
    )
    services.student_transfer_to_school(
        student=world.student, to_school=world.other_school, on_date=D(2026, 12, 1), order_number="90", actor=coord
    )
    world.student.refresh_from_db()
    assert (world.student.school, world.student.school_class, world.student.is_active) == (
        world.other_school,
        None,
        True,
    )
    assert set(GuardianLink.objects.filter(student=world.student).values_list("school_id", flat=True)) == {
        world.other_school.pk
    }
    services.student_admit(
        student=world.student, school_class=world.foreign_cls, on_date=D(2026, 12, 1), actor=foreign_coord
    )
    stays = list(world.student.enrolments.order_by("starts_on").values_list("school_id", "ends_on"))
    assert stays == [(world.school.pk, D(2026, 11, 30)), (world.other_school.pk, None)]
    departure = Departure.objects.get(student=world.student)
    assert (departure.school, departure.to_school, departure.order_number) == (world.school, world.other_school, "90")
    logged = set(AuditEvent.objects.filter(action="student_transfer_to_school").values_list("school_id", flat=True))
    assert logged == {world.school.pk, world.other_school.pk}


def test_admission_must_start_after_the_previous_stay_ended(world, coord):
    services.student_transfer_to_school(
        student=world.student, to_school=world.other_school, on_date=D(2026, 12, 1), actor=coord
    )
    foreign = Actor(user_id=world.foreign_director.pk, role=Role.DIRECTOR, school_id=world.other_school.pk)
    before = snapshot(world.student)
    with pytest.raises(ValidationError, match=r"30\.11\.2026"):
        services.student_admit(
            student=world.student, school_class=world.foreign_cls, on_date=D(2026, 11, 1), actor=foreign
        )
    with pytest.raises(ValidationError, match="классом этой школы"):
        services.student_admit(student=world.student, school_class=world.cls, on_date=D(2026, 12, 2), actor=foreign)
    assert snapshot(world.student) == before


def test_admitting_an_enrolled_student_is_refused(world, coord):
    with pytest.raises(ValidationError, match="уже зачислен"):
        services.student_admit(student=world.student, school_class=world.other_cls, on_date=D(2026, 12, 1), actor=coord)


def test_student_update_logs_changed_fields_only(world, coord):
    services.student_update(
        student=world.student,
        last_name="Орлов",
        first_name="Максим",
        middle_name="Андреевич",
        birth_date=D(2015, 4, 1),
        record_number="A-1",
        actor=coord,
    )
    event = AuditEvent.objects.get(action="student_update")
    assert set(event.changes) == {"birth_date"}


# --- guardians ---------------------------------------------------------------------------


def test_guardian_known_in_the_city_is_reused_not_duplicated(world, coord):
    world.foreign_guardian.phone = "+7 (918) 111-22-33"
    world.foreign_guardian.save()
    guardian = services.guardian_create(
        last_name="зайцева",
        first_name="Ольга",
        phone="8 918 111 22 33",
        student=world.classmate,
        relation=GuardianLink.Relation.MOTHER,
        actor=coord,
    )
    assert guardian == world.foreign_guardian
    assert set(guardian.links.values_list("school_id", flat=True)) == {world.school.pk, world.other_school.pk}


def test_guardian_link_twice_is_refused(world, coord):
    with pytest.raises(ValidationError, match="уже связан"):
        services.guardian_link(
            guardian=world.guardian, student=world.student, relation=GuardianLink.Relation.MOTHER, actor=coord
        )


def test_guardian_unlink_is_logged(world, coord):
    link = world.guardian.links.get(student=world.student)
    services.guardian_unlink(link=link, actor=coord)
    assert not GuardianLink.objects.filter(pk=link.pk).exists()
    assert AuditEvent.objects.filter(action="guardian_unlink", school_id=world.school.pk).exists()


# --- staff ---------------------------------------------------------------------------------


def test_staff_add_creates_a_user_with_appointments(world, director):
    credential = services.staff_add(
        school=world.school,
        last_name="Щукина",
        first_name="Юлия",
        middle_name="Игоревна",
        roles=[Role.TEACHER, Role.JOURNAL_COORDINATOR],
        position="учитель химии",
        actor=director,
    )
    user = User.objects.get(pk=credential.user_id)
    assert user.username.startswith("shchukinayi") and user.must_change_password
    assert user.check_password(credential.password)
    roles = set(RoleAssignment.objects.filter(user=user, school=world.school).values_list("role", flat=True))
    assert roles == {Role.TEACHER, Role.JOURNAL_COORDINATOR}


def test_only_the_director_appoints_a_coordinator(world, coord):
    users = User.objects.count()
    with pytest.raises(ValidationError, match="только директор"):
        services.staff_add(
            school=world.school, last_name="Щукина", first_name="Юлия", roles=[Role.JOURNAL_COORDINATOR], actor=coord
        )
    assert User.objects.count() == users


def test_appointment_end_keeps_history_and_checks_dates(world, coord):
    assignment = RoleAssignment.objects.get(user=world.other_teacher, school=world.school)
    assignment.starts_on = D(2026, 9, 1)
    assignment.save()
    with pytest.raises(ValidationError, match="раньше начала"):
        services.appointment_end(assignment=assignment, ends_on=D(2026, 8, 1), actor=coord)
    services.appointment_end(assignment=assignment, ends_on=D(2026, 12, 31), actor=coord)
    assignment.refresh_from_db()
    assert assignment.ends_on == D(2026, 12, 31)
    with pytest.raises(ValidationError, match="уже завершено"):
        services.appointment_end(assignment=assignment, ends_on=D(2027, 1, 1), actor=coord)


def test_nobody_ends_the_appointment_they_act_under(world, coord):
    own = RoleAssignment.objects.get(user=world.coordinator)
    with pytest.raises(ValidationError):
        services.appointment_end(assignment=own, ends_on=D(2026, 12, 31), actor=coord)


# --- credentials --------------------------------------------------------------------------------


def test_logins_are_transliterated_surname_and_initials():
    assert transliterate("Щукина-Ёлкина") == "shchukinaelkina"
    assert login_stem("Иванов", "Сергей", "Петрович") == "ivanovsp"
    assert login_stem("  ", "") == "user"


def test_passwords_avoid_ambiguous_characters():
    for _ in range(50):
        password = password_generate()
        assert len(password) == 10
        assert not set(password) & set("0O1lIio")


def test_credentials_issue_creates_a_login_and_never_logs_the_password(world, coord):
    credential = services.credentials_issue(person=world.classmate, school_id=world.school.pk, actor=coord)
    world.classmate.refresh_from_db()
    user = world.classmate.user
    assert user.username == credential.login and user.check_password(credential.password)
    assert user.must_change_password
    event = AuditEvent.objects.get(action="credentials_issue")
    assert credential.password not in str(event.changes) and event.changes["login"] == [None, credential.login]


def test_duplicate_login_is_impossible_for_namesakes(world, coord):
    twin = services.student_create(
        school=world.school,
        last_name="Белова",
        first_name="Дарья",
        middle_name="Игоревна",
        school_class=world.cls,
        starts_on=D(2026, 9, 2),
        actor=coord,
    )
    logins = {
        services.credentials_issue(person=p, school_id=world.school.pk, actor=coord).login
        for p in (world.classmate, twin)
    }
    assert len(logins) == 2 and all(login.startswith("belovadi") for login in logins)


def test_reissue_keeps_the_login_and_changes_the_password(world, coord):
    first = services.credentials_issue(person=world.classmate, school_id=world.school.pk, actor=coord)
    second = services.credentials_issue(person=world.classmate, school_id=world.school.pk, actor=coord)
    assert first.login == second.login and first.password != second.password
    user = User.objects.get(username=first.login)
    assert user.check_password(second.password) and not user.check_password(first.password)


def test_a_guardian_account_that_is_also_staff_is_not_reset_from_the_roster(world, coord):
    world.guardian.user = world.teacher
    world.guardian.save()
    with pytest.raises(ValidationError, match="служебная"):
        services.credentials_issue(person=world.guardian, school_id=world.school.pk, actor=coord)


def test_a_directors_password_is_reset_only_by_the_director(world, coord, director):
    with pytest.raises(ValidationError, match="директора"):
        services.credentials_issue(person=world.director, school_id=world.school.pk, actor=coord)
    with pytest.raises(ValidationError, match="вне вашей школы"):
        services.credentials_issue(person=world.foreign_teacher, school_id=world.school.pk, actor=director)


def test_class_credentials_skip_people_who_have_a_login_unless_reissued(world, coord):
    issued = services.class_credentials_issue(school_class=world.cls, who="students", reissue=False, actor=coord)
    assert [person for person, _c, _child in issued] == [world.classmate]  # world.student already has a login
    guardians = services.class_credentials_issue(school_class=world.cls, who="guardians", reissue=True, actor=coord)
    assert [person for person, _c, _child in guardians] == [world.guardian]
    assert Guardian.objects.get(pk=world.guardian.pk).user.check_password(guardians[0][1].password)
