"""Access expectations for roster import URLs (see ejournal/tests/test_authorization.py)."""

from ejournal.access.roles import Role
from ejournal.core.models import ImportJob

SCHOOL_ADMIN = {Role.DIRECTOR, Role.DEPUTY_HEAD, Role.JOURNAL_COORDINATOR}


def _job(world, school, user):
    job = ImportJob.objects.create(
        school_id=school.pk, kind="students", created_by=user, file_name="students.xlsx", status=ImportJob.Status.DONE
    )
    return {"pk": job.pk}


def own_job(world):
    return _job(world, world.school, world.coordinator)


def foreign_job(world):
    return _job(world, world.other_school, world.foreign_coordinator)


AUTHZ = {
    "people:import_list": {"allowed": SCHOOL_ADMIN},
    "people:import_template": {"allowed": SCHOOL_ADMIN, "kwargs": lambda w: {"kind": "students", "fmt": "xlsx"}},
    "people:import_job": {"allowed": SCHOOL_ADMIN, "kwargs": own_job, "foreign_kwargs": foreign_job},
    "people:import_job_progress": {"allowed": SCHOOL_ADMIN, "kwargs": own_job, "foreign_kwargs": foreign_job},
}
