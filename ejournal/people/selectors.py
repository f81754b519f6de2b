"""Reads of a school's roster, each scoped to the acting `Actor`.

School administration reaches its whole school; teachers reach the classes in
`actor.class_ids`. An object out of scope is simply not returned, so views
that fetch through these querysets answer 404 for a foreign object.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ejournal.access.policy import Actor
from ejournal.access.roles import SCHOOL_ADMIN_ROLES
from ejournal.accounts.models import User
from ejournal.schools.models import School, SchoolClass, Subgroup

from .models import Departure, Enrolment, Guardian, GuardianLink, RoleAssignment, Student, SubgroupMembership


def _is_admin(actor: Actor) -> bool:
    return actor.role in SCHOOL_ADMIN_ROLES and actor.school_id is not None


def case_variants(text: str) -> set[str]:
    """`text` as typed, as names are written (Орлова-Петрова), in lower and upper case.

    SQLite folds case for ASCII only (LIKE, lower(), upper()), so a
    case-insensitive match of Cyrillic is a match of these variants;
    PostgreSQL folds case anyway.
    """
    text = text.strip()
    return {text, text.lower(), text.upper(), text.capitalize(), text.title()}


def name_search(q: str, fields: tuple[str, ...]) -> Q:
    """Every word of `q` in one of `fields`, whatever its case."""
    condition = Q()
    for word in q.split()[:5]:
        condition &= Q(*(Q(**{f"{f}__icontains": v}) for f in fields for v in case_variants(word)), _connector=Q.OR)
    return condition


def school_of(actor: Actor) -> School:
    return get_object_or_404(School, pk=actor.school_id)


# --- classes ------------------------------------------------------------------------------


def classes_scope(actor: Actor) -> QuerySet[SchoolClass]:
    """Current-year classes the actor reaches: the whole school for administration, own classes for teachers."""
    qs = SchoolClass.objects.filter(school=actor.school_id, year__is_current=True)
    if not _is_admin(actor):
        qs = qs.filter(id__in=actor.class_ids)
    return qs


def classes_list(*, actor: Actor) -> list[SchoolClass]:
    """Classes with their class teacher and counts of students and subgroups, in a fixed number of queries."""
    return list(
        classes_scope(actor)
        .select_related("class_teacher")
        .annotate(
            student_count=Count("students", filter=Q(students__is_active=True), distinct=True),
            subgroup_count=Count("subgroups", distinct=True),
        )
        .order_by("grade", "letter")
    )


def class_get(*, actor: Actor, pk: int) -> SchoolClass:
    return get_object_or_404(classes_scope(actor).select_related("class_teacher", "school", "year"), pk=pk)


def class_enrolments(*, school_class: SchoolClass) -> list[Enrolment]:
    """Current enrolments of a class (its students today), with the student's login."""
    return list(
        Enrolment.objects.filter(school_class=school_class, ends_on__isnull=True)
        .select_related("student__user")
        .order_by("student__last_name", "student__first_name", "student__middle_name")
    )


def class_subgroups(*, school_class: SchoolClass) -> list[Subgroup]:
    return list(
        Subgroup.objects.filter(school_class=school_class)
        .annotate(member_count=Count("memberships", filter=Q(memberships__ends_on__isnull=True)))
        .order_by("name")
    )


def subgroup_get(*, actor: Actor, pk: int) -> Subgroup:
    return get_object_or_404(
        Subgroup.objects.filter(school_class__in=classes_scope(actor)).select_related("school_class__school"), pk=pk
    )


def subgroup_member_ids(*, subgroup: Subgroup) -> set[int]:
    return set(
        SubgroupMembership.objects.filter(subgroup=subgroup, ends_on__isnull=True).values_list("student_id", flat=True)
    )


def school_staff_users(*, school_id: int) -> QuerySet[User]:
    """People with a current appointment in the school (candidates for class teacher)."""
    active = RoleAssignment.objects.filter(user=OuterRef("pk"), school_id=school_id, ends_on__isnull=True)
    return User.objects.filter(Exists(active)).order_by("last_name", "first_name", "middle_name")


# --- students ------------------------------------------------------------------------------


def students_scope(actor: Actor) -> QuerySet[Student]:
    """Students the actor reaches.

    Administration: the school's students, and those who left it (departed or
    transferred to another school), whose history here the school keeps.
    Teachers: the current students of their classes.
    """
    if _is_admin(actor):
        stayed_here = Enrolment.objects.filter(student=OuterRef("pk"), school=actor.school_id)
        return Student.objects.filter(Q(school_id=actor.school_id) | Exists(stayed_here))
    return Student.objects.filter(school=actor.school_id, school_class_id__in=actor.class_ids, is_active=True)


# "current": enrolled or arriving; "arriving": no class yet (transferred in); "left": departed or transferred away.
STUDENT_STATUSES = ("current", "arriving", "left")


@dataclass
class StudentFilter:
    q: str = ""
    class_id: int | None = None
    status: str = "current"


def students_search(*, actor: Actor, filters: StudentFilter) -> QuerySet[Student]:
    qs = students_scope(actor).select_related("school_class", "user")
    if filters.status == "left":
        qs = qs.filter(~Q(school_id=actor.school_id) | Q(is_active=False))
    else:
        qs = qs.filter(school=actor.school_id, is_active=True)
        if filters.status == "arriving":
            qs = qs.filter(school_class__isnull=True)
    if filters.class_id:
        qs = qs.filter(school_class_id=filters.class_id)
    if filters.q:
        qs = qs.filter(name_search(filters.q, ("last_name", "first_name", "middle_name", "record_number")))
    own_links = Count("guardian_links", filter=Q(guardian_links__school_id=actor.school_id))
    return qs.annotate(guardian_count=own_links).order_by("last_name", "first_name", "middle_name", "id")


def student_get(*, actor: Actor, pk: int) -> Student:
    return get_object_or_404(students_scope(actor).select_related("school", "school_class", "user"), pk=pk)


def student_history(*, actor: Actor, student: Student) -> dict:
    """Enrolments in the actor's school and departures from it or arrivals into it."""
    return {
        "enrolments": list(
            Enrolment.objects.filter(student=student, school=actor.school_id)
            .select_related("school_class", "departure")
            .order_by("starts_on", "id")
        ),
        "departures": list(
            Departure.objects.filter(student=student)
            .filter(Q(school_id=actor.school_id) | Q(to_school_id=actor.school_id))
            .select_related("to_school")
        ),
    }


def student_links(*, actor: Actor, student: Student) -> list[GuardianLink]:
    """The student's guardians as this school knows them."""
    return list(
        GuardianLink.objects.filter(student=student, school=actor.school_id)
        .select_related("guardian__user")
        .order_by("guardian__last_name", "guardian__first_name")
    )


def student_choices(*, actor: Actor, q: str, limit: int = 20) -> list[Student]:
    """Current students of the school matching `q`, for linking a guardian."""
    if not q.strip():
        return []
    qs = Student.objects.filter(school=actor.school_id, is_active=True).select_related("school_class")
    return list(qs.filter(name_search(q, ("last_name", "first_name", "middle_name", "record_number")))[:limit])


def transfer_schools(*, actor: Actor) -> QuerySet[School]:
    """Other schools of the city, for a transfer."""
    school = school_of(actor)
    return (
        School.objects.filter(municipality_id=school.municipality_id)
        .exclude(pk=school.pk)
        .order_by("number", "short_name")
    )


# --- guardians -----------------------------------------------------------------------------


def _own_links(actor: Actor) -> QuerySet[GuardianLink]:
    links = GuardianLink.objects.filter(school=actor.school_id)
    if not _is_admin(actor):
        links = links.filter(student__school_class_id__in=actor.led_class_ids)
    return links


def guardians_scope(actor: Actor) -> QuerySet[Guardian]:
    """Guardians linked to a child of the actor's school (of the led classes for a class teacher)."""
    return Guardian.objects.filter(Exists(_own_links(actor).filter(guardian=OuterRef("pk"))))


def guardians_search(*, actor: Actor, q: str = "") -> QuerySet[Guardian]:
    qs = guardians_scope(actor).select_related("user")
    if q:
        qs = qs.filter(name_search(q, ("last_name", "first_name", "middle_name", "phone", "email")))
    children = Prefetch(
        "links",
        queryset=_own_links(actor).select_related("student__school_class").order_by("student__last_name"),
        to_attr="own_links",
    )
    return qs.prefetch_related(children).order_by("last_name", "first_name", "middle_name", "id")


def guardian_get(*, actor: Actor, pk: int) -> Guardian:
    return get_object_or_404(guardians_scope(actor).select_related("user"), pk=pk)


def guardian_links(*, actor: Actor, guardian: Guardian) -> list[GuardianLink]:
    return list(
        _own_links(actor)
        .filter(guardian=guardian)
        .select_related("student__school_class")
        .order_by("student__last_name")
    )


def link_get(*, actor: Actor, pk: int) -> GuardianLink:
    return get_object_or_404(_own_links(actor).select_related("guardian", "student"), pk=pk)


# --- staff --------------------------------------------------------------------------------------


@dataclass
class StaffMember:
    user: User
    assignments: list[RoleAssignment]

    @property
    def is_current(self) -> bool:
        return any(a.is_current for a in self.assignments)  # type: ignore[attr-defined]  # set by _staff_members


def _staff_members(assignments: QuerySet[RoleAssignment]) -> list[StaffMember]:
    """Group appointments by person, in one query."""
    today = timezone.localdate()
    members: dict[int, StaffMember] = {}
    order = ("user__last_name", "user__first_name", "user__middle_name", "user_id", "starts_on", "id")
    for a in assignments.select_related("user").order_by(*order):
        a.is_current = a.ends_on is None or a.ends_on >= today  # type: ignore[attr-defined]  # for the staff page
        members.setdefault(a.user_id, StaffMember(user=a.user, assignments=[])).assignments.append(a)
    return list(members.values())


def staff_list(*, actor: Actor, include_former: bool = False) -> list[StaffMember]:
    """The school's staff, one entry per person with their appointments here."""
    members = _staff_members(RoleAssignment.objects.filter(school=actor.school_id))
    return [m for m in members if include_former or m.is_current]


def staff_member_get(*, actor: Actor, user_id: int) -> StaffMember:
    """A person appointed in the actor's school (now or before), with those appointments; 404 otherwise."""
    members = _staff_members(RoleAssignment.objects.filter(school=actor.school_id, user_id=user_id))
    if not members:
        raise Http404
    return members[0]


def assignment_get(*, actor: Actor, pk: int) -> RoleAssignment:
    return get_object_or_404(RoleAssignment.objects.filter(school=actor.school_id).select_related("user"), pk=pk)


@dataclass(frozen=True)
class ClassCredentialsPlan:
    """Who a class's sheet of slips reaches, before anything is issued (the question page and the service)."""

    issue: list  # (person, child) pairs to get a login or a new password, in the sheet's order
    new: int  # people without a login: they get one
    reset: int  # people whose login stays and whose password is replaced (their old one stops working)
    kept: int  # people with a login left alone (new passwords were not asked for)
    staff: int  # accounts that are also staff accounts: never reset from a class sheet


def class_credentials_plan(*, school_class: SchoolClass, who: str, reissue: bool) -> ClassCredentialsPlan:
    """The current students of a class (`who="students"`) or their guardians, and what a sheet would do to each.

    Without `reissue` only people without a login get one, so slips already handed out stay valid.
    """
    students = Student.objects.filter(school_class=school_class, is_active=True).select_related("user")
    people: list[tuple[Student | Guardian, Student]]
    if who == "students":
        people = [(s, s) for s in students.order_by("last_name", "first_name", "id")]
    else:
        links = GuardianLink.objects.filter(student__in=students, school_id=school_class.school_id)
        seen: set[int] = set()
        people = []
        for link in links.select_related("guardian__user", "student").order_by("student__last_name", "id"):
            if link.guardian_id not in seen:
                seen.add(link.guardian_id)
                people.append((link.guardian, link.student))
    with_login = {p.user_id for p, _child in people if p.user_id}
    staff = set(RoleAssignment.objects.filter(user_id__in=with_login).values_list("user_id", flat=True))
    issue = [(p, c) for p, c in people if not p.user_id or (reissue and p.user_id not in staff)]
    return ClassCredentialsPlan(
        issue=issue,
        new=sum(1 for p, _c in people if not p.user_id),
        reset=sum(1 for p, _c in issue if p.user_id),
        kept=0 if reissue else len(with_login - staff),
        staff=len(staff),
    )


def user_roles_today(user: User) -> set[str]:
    """The roles `user` holds today by appointment, and class teacher of a current class (settings.OTP_ROLES_OF_USER)."""
    today = timezone.localdate()
    roles = set(
        RoleAssignment.objects.filter(user_id=user.pk)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=today))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values_list("role", flat=True)
    )
    if SchoolClass.objects.filter(class_teacher_id=user.pk, year__is_current=True).exists():
        roles.add("class_teacher")
    return roles


def appointments_beyond_school(*, user_id: int, school_id: int | None) -> bool:
    """True when the person also holds a current appointment outside this school (a district, the city, another school)."""
    today = timezone.localdate()
    return (
        RoleAssignment.objects.filter(user_id=user_id)
        .exclude(school=school_id)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .exists()
    )
