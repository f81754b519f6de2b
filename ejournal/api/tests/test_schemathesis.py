"""Schemathesis against the live OpenAPI description, with valid tokens of several roles.

Every operation is fuzzed with generated parameters and bodies (positive and negative), the path's ids
sometimes replaced by the world's own and foreign objects so that the answers are not all 404. Each response
must not be a server error and must match the description: its status code, content type and body schema.
The run is kept short (EXAMPLES per operation and role) so that it fits in `make test` on both databases.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import hypothesis
import pytest
import schemathesis
import time_machine
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ejournal.access.roles import VENDOR_SYSTEM, Role
from ejournal.city.tests.factories import other_vendor
from ejournal.diary.tests.authz_diary import _attachment
from ejournal.journal.tests.authz_journal import _own
from ejournal.timetable.tests.helpers import MON

from .helpers import direct_token, person_app, system_app, vendor_owner

EXAMPLES = 8
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# The roles each area is fuzzed with: those it serves, and one it refuses.
AREA_ROLES: dict[str, list[str]] = {
    "/family/": [Role.GUARDIAN, Role.STUDENT, Role.CLASS_TEACHER],
    "/staff/": [Role.CLASS_TEACHER, Role.DIRECTOR, Role.GUARDIAN],
    "/city/": [VENDOR_SYSTEM, Role.MUNICIPAL_OFFICER, Role.GUARDIAN],
}
ROLES = sorted({role for roles in AREA_ROLES.values() for role in roles})
MSK = ZoneInfo("Europe/Moscow")


def _ids(world) -> dict[str, list]:
    """Ids the world really has, own and foreign, for the path's parameters."""
    own_assignment, _lesson = _own(world)
    attachment = _attachment(world)
    return {
        "student_id": [world.student.pk, world.sibling.pk, world.foreign_student.pk],
        "pk": [attachment["pk"]],
        "assignment_id": [own_assignment.pk],
        "term_id": list(world.school.terms.values_list("pk", flat=True)[:2]),
        "school_id": [world.school.pk, world.other_school.pk],
        "year": [2026],
        "month": [9, 10],
    }


def _token(world, role) -> str:
    if role == VENDOR_SYSTEM:
        return direct_token(system_app([world.school], owner=vendor_owner()), scope="city.exchange")
    return direct_token(person_app(skip=True), world.personas[role])


@pytest.fixture
def wsgi_in_the_test_transaction():
    """The WSGI handler closes the connection after each request; the test's transaction must survive it (as
    Django's test client does it)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_no_server_errors_and_no_responses_outside_the_schema(world, wsgi_in_the_test_transaction):
    other_vendor(world.school, world.city)
    with time_machine.travel(dt.datetime.combine(MON, dt.time(15), tzinfo=MSK), tick=False):
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_in_the_test_transaction)
        ids = _ids(world)
        tokens = {role: _token(world, role) for role in ROLES}
        failures, seen = [], {area: set() for area in AREA_ROLES}
        for result in schema.get_all_operations():
            operation = result.ok()
            area = next(key for key in AREA_ROLES if key in operation.path)
            for role in AREA_ROLES[area]:
                failures += _fuzz(operation, tokens[role], role, ids, seen[area])
    assert not failures, "\n".join(failures[:20])
    # The fuzzer got past the guards and the lookups: the answers checked are not all refusals.
    assert all(200 in statuses for statuses in seen.values()), seen


def _fuzz(operation, token: str, role, ids: dict, statuses: set) -> list[str]:
    failures: list[str] = []
    strategy = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @hypothesis.settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                         suppress_health_check=list(HealthCheck), phases=[hypothesis.Phase.generate])  # fmt: skip
    @given(case=strategy, data=st.data())
    def run(case, data):
        for name in list(case.path_parameters or {}):
            if name in ids and data.draw(st.booleans()):
                case.path_parameters[name] = data.draw(st.sampled_from(ids[name]))
        headers = {"Authorization": f"Bearer {token}"}
        if role != VENDOR_SYSTEM:
            headers["X-Ejournal-Role"] = str(role)
        response = case.call(headers=headers)
        statuses.add(response.status_code)
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as exc:
            failures.append(f"{role} {case.method} {case.formatted_path} → {response.status_code}: {exc}"[:800])

    run()
    return failures
