"""The coordinator's archive pages: ask first, build in the background, list with sizes and checksums, download."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

import pytest
import time_machine
from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.core.models import AuditEvent

from ..models import ArchiveJob
from ..services import archive_year_end
from .data import term_of_marks

TODAY = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)  # the first quarter ended on 25.10.2026


@pytest.fixture
def archive_settings(settings, tmp_path):
    settings.TASK_RUNNER = "sync"
    settings.ARCHIVE_ROOT = tmp_path / "archive"
    return settings


def _term_choice(world) -> str:
    return f"t{world.school.terms.get(number=1).pk}"


def test_the_coordinator_is_asked_first_then_the_archive_is_built_listed_and_downloaded(
    world, login_as, archive_settings
):
    term_of_marks(world)
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    with time_machine.travel(TODAY, tick=False):
        page = client.get(reverse("archive:index"))
        assert "2026/2027 — 1 четверть" in page.content.decode()
        assert "2026/2027 — 2 четверть" not in page.content.decode()  # not ended, not closed
        question = client.post(reverse("archive:build"), {"period": _term_choice(world)})
        assert "Собрать архив журналов?" in question.content.decode()
        assert "Классов: 2; журналов по предметам: до 2." in question.content.decode()
        assert not ArchiveJob.objects.exists()
        answer = client.post(reverse("archive:build"), {"period": _term_choice(world), "confirmed": "yes"})
    job = ArchiveJob.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("archive:job", kwargs={"pk": job.pk})
    assert (job.status, job.created_by_id, job.term.number) == (ArchiveJob.Status.DONE, world.coordinator.pk, 1)
    assert AuditEvent.objects.filter(action="archive_build").count() == 1
    shown = client.get(answer.url).content.decode()
    assert "Архив готов." in shown and job.sha256 in shown and "journals/05a-" in shown
    assert "31.12.2031" in shown and "31.12.2051" in shown  # journals 5 years, summary sheets 25
    download = client.get(reverse("archive:download", kwargs={"pk": job.pk}))
    body = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/zip"
    assert (hashlib.sha256(body).hexdigest(), len(body)) == (job.sha256, job.size)
    assert "manifest.sha256" in zipfile.ZipFile(io.BytesIO(body)).namelist()
    listed = client.get(reverse("archive:index")).content.decode()
    assert job.sha256 in listed and "31.12.2031" in listed


def test_a_period_that_may_not_be_archived_is_refused_in_russian_and_nothing_is_built(
    world, login_as, archive_settings
):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    second = world.school.terms.get(number=2)
    with time_machine.travel(TODAY, tick=False):
        response = client.post(reverse("archive:build"), {"period": f"t{second.pk}", "confirmed": "yes"})
    assert response.status_code == 400
    assert "Этот период нельзя архивировать сейчас" in response.content.decode()
    assert not ArchiveJob.objects.exists()


def test_asking_again_while_a_build_is_queued_reuses_it(world, login_as, archive_settings):
    archive_settings.TASK_RUNNER = "ejournal.archive.tests.test_views.no_runner"
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    with time_machine.travel(TODAY, tick=False):
        for _n in range(2):
            client.post(reverse("archive:build"), {"period": _term_choice(world), "confirmed": "yes"})
    job = ArchiveJob.objects.get()
    assert job.status == ArchiveJob.Status.PENDING
    assert "Архив в очереди на сборку" in client.get(reverse("archive:job", kwargs={"pk": job.pk})).content.decode()


def no_runner(task_path, *args):
    """A queue that never runs its jobs (the job stays pending)."""


def test_the_list_of_archives_takes_a_constant_number_of_queries(
    world, login_as, archive_settings, django_assert_num_queries
):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    with time_machine.travel(TODAY, tick=False):
        client.get(reverse("archive:index"))
        for n in range(3):
            ArchiveJob.objects.create(school=world.school, year=world.year, status=ArchiveJob.Status.DONE,
                                      size=100 + n, sha256=f"{n}" * 64)  # fmt: skip
        with django_assert_num_queries(QUERIES):
            client.get(reverse("archive:index"))
        ArchiveJob.objects.create(school=world.school, year=world.year, term=world.school.terms.get(number=1))
        with django_assert_num_queries(QUERIES):
            client.get(reverse("archive:index"))


# the request's session and user (2); the school twice (choices, list), terms with closures, ended years, jobs with
# their years and terms (4)
QUERIES = 6


def test_the_year_end_run_archives_each_school_once(world, archive_settings):
    term_of_marks(world)
    assert archive_year_end(today=dt.date(2027, 9, 1)) == 2  # both schools of the world have classes that year
    jobs = list(ArchiveJob.objects.order_by("school_id").values_list("school_id", "term_id", "status", "created_by_id"))
    assert jobs == [(world.school.pk, None, "done", None), (world.other_school.pk, None, "done", None)]
    assert archive_year_end(today=dt.date(2027, 9, 2)) == 0
    assert archive_year_end(today=dt.date(2027, 6, 1)) == 0  # the year has not ended


def test_a_job_delivered_twice_is_built_once(monkeypatch):
    """The second delivery of a job already claimed (a retry, a second worker) builds nothing."""
    from ejournal.archive import services
    from ejournal.archive.models import ArchiveJob

    class Job:
        pk = 7
        status = ArchiveJob.Status.PENDING

    class Query:
        def select_related(self, *args):
            return self

        def get(self, pk):
            return Job()

        def filter(self, **kwargs):
            return self

        def update(self, **kwargs):
            return 0  # another worker claimed it between the read and the update

    monkeypatch.setattr(ArchiveJob, "objects", Query())
    monkeypatch.setattr(services, "Period", lambda **kw: (_ for _ in ()).throw(AssertionError("built twice")))
    services.archive_job_run(7)
