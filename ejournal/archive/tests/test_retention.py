"""Retention: print journals leave the zip after 5 years, the whole zip goes after 25; never a day early.

The first quarter of 2026/2027 ends on 25.10.2026: its journals are kept to 31.12.2031, its summary sheets and
machine copy to 31.12.2051.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.core.models import AuditEvent

from ..models import ArchiveJob
from ..services import archive_job_start, archive_retention_apply
from ..storage import archive_file
from ..tasks import retention
from ..verify import main as verify_main
from .data import term_of_marks

BUILT = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def built(world, settings, tmp_path) -> ArchiveJob:
    settings.TASK_RUNNER = "sync"
    settings.ARCHIVE_ROOT = tmp_path / "archive"
    data = term_of_marks(world)
    with time_machine.travel(BUILT, tick=False):
        job = archive_job_start(school=world.school, year=world.year, term=data["term"], actor=None)
    job.refresh_from_db()
    assert job.status == ArchiveJob.Status.DONE
    return job


def _at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), tick=False)


def test_nothing_is_deleted_on_the_last_day_of_the_journals_retention(built):
    zip_before = archive_file(built).read_bytes()
    with _at(dt.date(2031, 12, 31)):
        assert retention() == {"all": 0, "journals": 0}
    built.refresh_from_db()
    assert built.journals_deleted_on is None and archive_file(built).read_bytes() == zip_before
    assert not AuditEvent.objects.filter(action__startswith="archive_retention").exists()


def test_the_day_after_the_journals_leave_the_zip_and_the_rest_still_verifies(built, capsys):
    with _at(dt.date(2032, 1, 1)):
        assert retention() == {"all": 0, "journals": 1}
        assert retention() == {"all": 0, "journals": 0}  # once
    built.refresh_from_db()
    path = archive_file(built)
    names = zipfile.ZipFile(path).namelist()
    assert not [n for n in names if n.startswith("journals/")]
    assert "retention.json" in names and any(n.startswith("summary/") for n in names)
    assert built.journals_deleted_on == dt.date(2032, 1, 1) and built.status == ArchiveJob.Status.DONE
    assert (built.size, len(built.sha256)) == (path.stat().st_size, 64)
    removed = [f for f in built.file_rows if f["removed_on"]]
    assert {f["kind"] for f in removed} == {"journal"} and len(removed) == 2
    assert verify_main([str(path)]) == 0
    assert "2 print journals removed on 2032-01-01 at the end of their retention" in capsys.readouterr().out
    event = AuditEvent.objects.get(action="archive_retention_journals")
    assert event.object_id == str(built.pk) and "31.12.2031" in event.reason


def test_journals_removed_before_their_retention_ended_fail_verification(built, tmp_path, capsys):
    """An intruder who drops journals early and writes retention.json with an early day is caught."""
    with _at(dt.date(2032, 1, 1)):
        retention()
    built.refresh_from_db()
    source = zipfile.ZipFile(archive_file(built))
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(forged, "w") as out:
        for name in source.namelist():
            content = source.read(name)
            out.writestr(name, content.replace(b"2032-01-01", b"2030-06-01") if name == "retention.json" else content)
    assert verify_main([str(forged)]) == 1
    assert "files removed on 2030-06-01, but they are kept until 2031-12-31" in capsys.readouterr().out


def test_after_the_summary_retention_the_zip_is_deleted_and_the_list_says_so(built, world, login_as):
    path = archive_file(built)
    with _at(dt.date(2051, 12, 31)):
        assert archive_retention_apply(today=dt.date(2051, 12, 31)) == {"all": 0, "journals": 1}
    assert path.is_file()
    with _at(dt.date(2052, 1, 1)):
        assert archive_retention_apply(today=dt.date(2052, 1, 1)) == {"all": 1, "journals": 0}
        built.refresh_from_db()
        assert (built.status, built.deleted_on, built.path) == (ArchiveJob.Status.DELETED, dt.date(2052, 1, 1), "")
        assert not path.exists()
        assert AuditEvent.objects.filter(action="archive_retention_delete", object_id=str(built.pk)).count() == 1
        client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
        listing = client.get(reverse("archive:index")).content.decode()
        assert "удалён по истечении срока хранения 01.01.2052" in listing
        assert client.get(reverse("archive:download", kwargs={"pk": built.pk})).status_code == 404
        shown = client.get(reverse("archive:job", kwargs={"pk": built.pk})).content.decode()
        assert "Архив удалён по истечении срока хранения 01.01.2052." in shown


def test_the_command_lists_first_with_dry_run_then_deletes(built):
    out = StringIO()
    with _at(dt.date(2032, 3, 1)):
        call_command("archive_retention", "--dry-run", stdout=out)
        assert f"archive {built.pk} " in out.getvalue() and "journals, kept until 2031-12-31" in out.getvalue()
        built.refresh_from_db()
        assert built.journals_deleted_on is None
        call_command("archive_retention", stdout=out)
    built.refresh_from_db()
    assert built.journals_deleted_on == dt.date(2032, 3, 1)
