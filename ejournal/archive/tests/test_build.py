"""The archive: the same data builds the same bytes; the standalone verifier finds any changed byte and SQL edit."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import time_machine
from django.conf import settings

from ejournal.journal.tests.test_chain import tamper
from ejournal.journal.verify import anchors_take, school_verify

from ..build import Period, archive_build, archive_zip
from ..verify import main as verify_main
from .data import term_of_marks

PACKAGE_ROOT = Path(settings.BASE_DIR)


def _build(world, tmp_path: Path, name: str, term=None) -> tuple[Path, bytes]:
    period = Period(school=world.school, year=world.year, term=term)
    out = tmp_path / name
    archive_build(period, out)
    archive_zip(out, tmp_path / f"{name}.zip")
    return out, (tmp_path / f"{name}.zip").read_bytes()


def verifier(path: Path) -> subprocess.CompletedProcess:
    """Run the verifier as an inspector would: isolated (-I), with a path that holds the package and no Django."""
    code = (
        f"import sys; sys.path[:0] = [{str(PACKAGE_ROOT)!r}]; import runpy\n"
        "try:\n    import django\nexcept ImportError:\n    pass\nelse:\n    sys.exit('django is importable')\n"
        f"sys.argv = ['verify', {str(path)!r}]; runpy.run_module('ejournal.archive.verify', run_name='__main__')\n"
    )
    # The system's interpreter without the virtualenv's site-packages: Django cannot be imported there.
    python = getattr(sys, "_base_executable", sys.executable)
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"}
    return subprocess.run([python, "-I", "-S", "-c", code], capture_output=True, text=True, env=env, timeout=120)  # noqa: S603


def test_the_same_data_builds_byte_identical_archives(world, tmp_path, keep=None):
    data = term_of_marks(world)
    anchors_take()
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC), tick=False):
        first_dir, first_zip = _build(world, tmp_path, "one", data["term"])
    with time_machine.travel(dt.datetime(2026, 11, 3, 18, tzinfo=dt.UTC), tick=False):  # a rebuild the next day
        second_dir, second_zip = _build(world, tmp_path, "two", data["term"])
    assert first_zip == second_zip
    files = sorted(p.relative_to(first_dir).as_posix() for p in first_dir.rglob("*") if p.is_file())
    a, b = f"05a-{world.cls.pk}", f"05b-{world.other_cls.pk}"
    assert [f for f in files if f.endswith(".pdf")] == [
        f"journals/{a}/060-inostrannyy-yazyk-angliyskiy.pdf", f"journals/{a}/100-matematika.pdf",
        f"summary/{a}.pdf", f"summary/{b}.pdf",
    ]  # fmt: skip
    for f in files:
        assert (first_dir / f).read_bytes() == (second_dir / f).read_bytes(), f
    description = json.loads((first_dir / "archive.json").read_text())
    assert description["rows"]["marks"] == 3 + 1
    assert description["rows"]["period_marks"] == 1
    assert description["retention_until"] == {"journal": "2031-12-31", "summary": "2051-12-31", "data": "2051-12-31"}


def test_the_verifier_runs_without_django_and_accepts_an_intact_archive(world, tmp_path):
    term_of_marks(world)
    out, _zip = _build(world, tmp_path, "a")
    result = verifier(out)
    assert (result.returncode, result.stderr) == (0, ""), result.stdout + result.stderr
    assert result.stdout.startswith("OK ")
    assert verifier(tmp_path / "a.zip").returncode == 0


def test_a_changed_byte_of_the_machine_copy_is_reported(world, tmp_path):
    term_of_marks(world)
    out, _zip = _build(world, tmp_path, "a")
    marks = out / "data" / "marks.csv"
    content = marks.read_bytes()
    marks.write_bytes(content.replace(b",5,", b",2,", 1))
    result = verifier(out)
    assert result.returncode == 1
    assert "FAIL data/marks.csv: SHA-256 does not match the manifest (the file was changed)" in result.stdout


def test_a_machine_copy_rewritten_with_its_manifest_is_still_caught_by_the_chain(world, capsys, tmp_path):
    """An intruder who edits a mark in both copies and recomputes the manifest: the change records disagree."""
    data = term_of_marks(world)
    out, _zip = _build(world, tmp_path, "a")
    mark = data["marks"][0]
    for name in ("marks.csv", "marks.json"):
        path = out / "data" / name
        text = path.read_text()
        old = (
            f"{mark.pk},{mark.lesson_id},{mark.student_id},5,"
            if name.endswith("csv")
            else f'[{mark.pk}, {mark.lesson_id}, {mark.student_id}, "5",'
        )
        assert old in text
        path.write_text(
            text.replace(old, old.replace("5,", "2,") if name.endswith("csv") else old.replace('"5"', '"2"'))
        )
    import hashlib

    lines = []
    for line in (out / "manifest.sha256").read_text().splitlines():
        _digest, path = line.split("  ", 1)
        lines.append(f"{hashlib.sha256((out / path).read_bytes()).hexdigest()}  {path}\n")
    (out / "manifest.sha256").write_text("".join(lines))
    assert verify_main([str(out)]) == 1
    assert f"FAIL mark {mark.pk}: «2», its last change record" in capsys.readouterr().out


def test_a_mark_changed_in_sql_is_named_by_journal_verify_and_by_the_archive_built_after(world, tmp_path):
    data = term_of_marks(world)
    mark = data["marks"][1]
    tamper("UPDATE journal_mark SET value = 5 WHERE id = %s", [mark.pk])
    result = school_verify(world.school.pk)
    assert (result.entity, result.entity_id) == ("mark", mark.pk)
    out, _zip = _build(world, tmp_path, "a")
    report = verifier(out)
    assert report.returncode == 1
    assert f"FAIL mark {mark.pk}: «5», its last change record" in report.stdout


def test_pdfs_rendered_in_worker_processes_are_the_same_bytes(world, tmp_path, settings):
    data = term_of_marks(world)
    _dir, alone = _build(world, tmp_path, "one", data["term"])
    settings.ARCHIVE_PDF_WORKERS = 2
    _dir, pooled = _build(world, tmp_path, "two", data["term"])
    assert alone == pooled
