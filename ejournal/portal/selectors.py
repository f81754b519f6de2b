"""Reads for the home pages; each takes the acting Actor and stays in its scope."""

from __future__ import annotations

from django.db.models import Count, Q

from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.people.models import Guardian, GuardianLink, RoleAssignment, Student
from ejournal.schools.models import District, School, SchoolClass


def districts_overview(*, actor: Actor) -> list[District]:
    """Districts of the actor's city with school and student counts (city roles)."""
    return list(
        District.objects.filter(municipality=actor.municipality_id)
        .annotate(
            school_count=Count("schools", distinct=True),
            student_count=Count("schools__students", filter=Q(schools__students__is_active=True), distinct=True),
        )
        .order_by("name")
    )


def schools_overview(*, actor: Actor, district_id: int | None = None) -> list[School]:
    """Schools the actor oversees with their counts, optionally one district."""
    qs = School.objects.filter(id__in=actor.school_ids).select_related("district")
    if district_id is not None:
        qs = qs.filter(district_id=district_id)
    return list(
        qs.annotate(
            class_count=Count("classes", filter=Q(classes__year__is_current=True), distinct=True),
            student_count=Count("students", filter=Q(students__is_active=True), distinct=True),
        ).order_by("district__name", "number", "short_name")
    )


def school_overview(*, actor: Actor) -> dict:
    """Counts and classes of the actor's school (school administration)."""
    school = School.objects.select_related("district").get(id=actor.school_id_required)
    classes = (
        SchoolClass.objects.filter(school=actor.school_id, year__is_current=True)
        .select_related("class_teacher")
        .annotate(student_count=Count("students", filter=Q(students__is_active=True)))
        .order_by("grade", "letter")
    )
    staff = (
        RoleAssignment.objects.filter(school=actor.school_id, ends_on__isnull=True).values("user_id").distinct().count()
    )
    return {
        "school": school,
        "classes": list(classes),
        "student_count": Student.objects.filter(school=actor.school_id, is_active=True).count(),
        "guardian_count": Guardian.objects.filter(links__school=actor.school_id).distinct().count(),
        "staff_count": staff,
        "appointments": list(
            RoleAssignment.objects.filter(
                school=actor.school_id,
                role__in=[Role.DIRECTOR, Role.DEPUTY_HEAD, Role.JOURNAL_COORDINATOR],
                ends_on__isnull=True,
            ).select_related("user")
        ),
    }


def teacher_classes(*, actor: Actor) -> list[SchoolClass]:
    """Classes the teacher teaches or leads, with `is_led` set on the led ones."""
    classes: list[SchoolClass] = list(
        SchoolClass.objects.filter(id__in=actor.class_ids)
        .annotate(student_count=Count("students", filter=Q(students__is_active=True)))
        .order_by("grade", "letter")
    )
    for cls in classes:
        cls.is_led = cls.id in actor.led_class_ids  # type: ignore[attr-defined]  # for the template
    return classes


def children_of(*, actor: Actor) -> list[Student]:
    """The guardian's children or the student's own record, with school and class."""
    return list(
        Student.objects.filter(id__in=actor.student_ids)
        .select_related("school", "school_class", "school_class__class_teacher")
        .order_by("birth_date", "first_name")
    )


def guardian_links_of(*, actor: Actor) -> list[GuardianLink]:
    return list(GuardianLink.objects.filter(student_id__in=actor.student_ids, guardian__user=actor.user_id))
