"""Build a school's archive for a year or a closed term: print journals, summary sheets, machine copy, manifest, zip.

The same data gives the same bytes: every order is fixed (classes by grade and letter, subjects by position,
rows by date, lesson number and id), the PDFs carry the period's end as their date and a fixed identifier
(`render.py`), the zip's entries are sorted with a fixed timestamp and mode, and nothing records when the
build ran (the job keeps that). What is in the archive is the period's journal as it is when the archive is
built, and the school's chain of change records from the period's first day to its end at that moment.

Layout (paths are ASCII: a class «5 А» is `05a`, a subject its position and a transliterated name):
    archive.json                      what, whose, which period, the chain's ends, retention, row counts
    journals/<class>/<nn>-<subject>.pdf
    summary/<class>.pdf               the class's сводная ведомость
    data/<table>.csv, data/<table>.json   the machine copy (`schema.py`, docs/archive-schema.md)
    manifest.sha256                   `sha256sum -c` format, every other file
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import zipfile
from collections import defaultdict, deque
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q

from ejournal.accounts.models import User
from ejournal.curriculum.models import Subject
from ejournal.diary.pdf import PdfUnavailable
from ejournal.journal.chain import GENESIS
from ejournal.journal.models import Attendance, ChainAnchor, ChangeRecord, Mark, PeriodMark
from ejournal.people.models import Enrolment, RoleAssignment
from ejournal.schools.models import AcademicYear, School, SchoolClass, Term
from ejournal.timetable.models import Lesson

from . import retention
from .pdfwork import PdfEngineMissing, pdf_job
from .render import journal_pdf, render_now, summary_pdf
from .schema import DESCRIPTION, MANIFEST, RETENTION, RETENTION_PREFIX, SCHEMA, TABLES
from .writer import MachineCopy

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
HELD = (Lesson.Status.SCHEDULED, Lesson.Status.EXTRA)


@dataclass(frozen=True)
class Period:
    school: School
    year: AcademicYear
    term: Term | None = None

    @property
    def first(self) -> dt.date:
        return self.term.starts_on if self.term else self.year.starts_on

    @property
    def last(self) -> dt.date:
        return self.term.ends_on if self.term else self.year.ends_on

    @property
    def boundary(self) -> dt.datetime:
        """The moment the archive stands for: midnight after the period's last day, school time."""
        tz = ZoneInfo(settings.TIME_ZONE)
        return dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(), tzinfo=tz)

    @property
    def key(self) -> str:
        base = f"{self.year.starts_on.year}-{self.year.ends_on.year}"
        return f"{base}-{self.term.kind}{self.term.number}" if self.term else base


@dataclass
class Built:
    files: list[dict] = field(default_factory=list)  # path, kind, size, sha256
    counts: dict[str, int] = field(default_factory=dict)


def retention_until(period: Period, kind: str) -> dt.date:
    return retention.retention_until(period.last, kind)


def archive_build(period: Period, out: Path, *, progress: Callable[[int, int], object] | None = None) -> Built:
    """Write the archive's files into the empty directory `out`; return their list (manifest included)."""
    out.mkdir(parents=True, exist_ok=True)
    classes = list(SchoolClass.objects.filter(school=period.school, year=period.year).order_by("grade", "letter", "pk"))
    pairs = _class_subjects(period, classes)
    subjects = {s.pk: s for s in Subject.objects.filter(pk__in={s for ss in pairs.values() for s in ss})}
    names = _names(period, classes)
    total, done = sum(len(s) for s in pairs.values()) + len(classes), 0
    kinds: dict[str, str] = {}
    with MachineCopy(out / "data") as machine, _renderer() as render:
        for cls in classes:
            data = _class_data(period, cls)
            _machine_rows(machine, cls, data, names)
            ordered = sorted(pairs[cls.pk], key=lambda s: (subjects[s].position, subjects[s].name, s))
            parts = by_subject(data)
            for subject_id in ordered:
                subject = subjects[subject_id]
                path = f"journals/{_class_slug(cls)}/{subject.position:03d}-{_slug(subject.name)}.pdf"
                kinds[path] = "journal"
                render.put(out / path, journal_pdf(period, cls, subject, parts[subject_id], data, names, ident=path))
            path = f"summary/{_class_slug(cls)}.pdf"
            kinds[path] = "summary"
            render.put(out / path, summary_pdf(period, cls, [subjects[s] for s in ordered], data, names, ident=path))
            for _written in render.ready():
                done += 1
                if progress:
                    progress(done, total)
        for _written in render.drain():
            done += 1
            if progress:
                progress(done, total)
        for s in sorted(subjects.values(), key=lambda s: s.pk):
            machine.row("subjects", [s.pk, s.name, s.short_name])
        chain = _chain_rows(machine, period)
    counts = machine.counts
    _write(out / DESCRIPTION, _description(period, counts, chain))
    return _manifest(out, kinds, counts)


class _Renderer:
    """Render PDFs here, or in ARCHIVE_PDF_WORKERS processes while this one reads the next class.

    The bytes do not depend on where a document was drawn (tested); each is written to its own path.
    """

    def __init__(self, pool: ProcessPoolExecutor | None, window: int):
        self.pool, self.window = pool, window
        self.pending: deque = deque()

    def put(self, path: Path, job: tuple) -> None:
        if self.pool is None:
            _write(path, render_now(job))
            self.pending.append(None)
        else:
            self.pending.append((path, self.pool.submit(pdf_job, job)))

    def ready(self):
        """The documents written so far; with workers, waits only while more than `window` are queued."""
        while self.pending and (self.pool is None or len(self.pending) > self.window or self.pending[0][1].done()):
            yield self._take()

    def drain(self):
        while self.pending:
            yield self._take()

    def _take(self) -> Path | None:
        item = self.pending.popleft()
        if item is None:
            return None
        path, future = item
        try:
            _write(path, future.result())
        except PdfEngineMissing as exc:
            raise PdfUnavailable(str(exc)) from exc
        return path


@contextmanager
def _renderer():
    workers = settings.ARCHIVE_PDF_WORKERS
    if workers <= 1:
        yield _Renderer(None, 0)
        return
    # spawn: the workers import only pdfwork (no Django, no database connection inherited)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield _Renderer(pool, 8 * workers)


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def _class_subjects(period: Period, classes: list[SchoolClass]) -> dict[int, set[int]]:
    pairs: dict[int, set[int]] = {c.pk: set() for c in classes}
    held = Lesson.objects.filter(school_class__in=classes, date__range=(period.first, period.last))
    for class_id, subject_id in held.values_list("school_class_id", "subject_id").distinct():
        pairs[class_id].add(subject_id)
    marks = PeriodMark.objects.filter(school_class__in=classes, year=period.year)
    for class_id, subject_id in marks.values_list("school_class_id", "subject_id").distinct():
        pairs[class_id].add(subject_id)
    return pairs


def _names(period: Period, classes: list[SchoolClass]) -> dict:
    users = {c.class_teacher_id for c in classes if c.class_teacher_id}
    users |= set(
        Lesson.objects.filter(school=period.school, date__range=(period.first, period.last))
        .values_list("teacher_id", flat=True)
        .distinct()
    )
    director = (
        RoleAssignment.objects.filter(school=period.school, role="director")
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=period.last))
        .order_by("pk")
        .select_related("user")
        .first()
    )
    people = {u.pk: u.get_full_name() for u in User.objects.filter(pk__in=users - {None}).order_by()}
    return {"people": people, "director": director.user.get_full_name() if director else ""}


def _class_data(period: Period, cls: SchoolClass) -> dict:
    """Everything of one class in the period: students, lessons, marks, attendance, period marks."""
    enrolments = (
        Enrolment.objects.filter(school_class=cls, starts_on__lte=period.last)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=period.first))
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "student__middle_name", "student_id", "starts_on")
    )
    students: dict[int, dict] = {}
    for e in enrolments:
        s = students.setdefault(e.student_id, {"id": e.student_id, "student": e.student, "from": e.starts_on,
                                               "to": e.ends_on})  # fmt: skip
        s["to"] = None if e.ends_on is None or s["to"] is None else max(s["to"], e.ends_on)
    lessons = list(
        Lesson.objects.filter(school_class=cls, date__range=(period.first, period.last))
        .order_by("date", "lesson_number", "pk")
        .values(
            "id",
            "subject_id",
            "subgroup__name",
            "teacher_id",
            "date",
            "lesson_number",
            "status",
            "topic",
            "homework__text",
        )
    )
    ids = [lesson["id"] for lesson in lessons]
    marks = list(
        Mark.objects.filter(lesson_id__in=ids)
        .order_by("lesson_id", "student_id", "slot", "pk")
        .values_list("id", "lesson_id", "student_id", "value", "symbol", "work_type__name", "weight", "comment")
    )
    attendance = list(
        Attendance.objects.filter(lesson_id__in=ids)
        .order_by("lesson_id", "student_id", "pk")
        .values_list("id", "lesson_id", "student_id", "code", "late_minutes", "reason_note")
    )
    period_marks = PeriodMark.objects.filter(school_class=cls, year=period.year)
    if period.term:
        period_marks = period_marks.filter(term=period.term)
    rows = list(
        period_marks.order_by("subject_id", "student_id", "kind", "term__number", "pk").values_list(
            "id", "subject_id", "student_id", "kind", "term__number", "value"
        )
    )
    terms = Term.objects.filter(school=period.school, year=period.year, min_grade__lte=cls.grade,
                                max_grade__gte=cls.grade).order_by("starts_on", "pk")  # fmt: skip
    return {"students": students, "lessons": lessons, "marks": marks, "attendance": attendance,
            "period_marks": rows, "terms": {t.number: t for t in terms}}  # fmt: skip


def _machine_rows(machine: MachineCopy, cls: SchoolClass, data: dict, names: dict) -> None:
    people = names["people"]
    machine.row("classes", [cls.pk, cls.grade, cls.letter, people.get(cls.class_teacher_id, "")])
    for s in data["students"].values():
        st = s["student"]
        machine.row("students", [st.pk, cls.pk, st.last_name, st.first_name, st.middle_name, st.record_number,
                                 s["from"].isoformat(), s["to"].isoformat() if s["to"] else None])  # fmt: skip
    for lesson in data["lessons"]:
        machine.row("lessons", [
            lesson["id"], cls.pk, lesson["subject_id"], lesson["subgroup__name"] or "",
            people.get(lesson["teacher_id"], ""), lesson["date"].isoformat(), lesson["lesson_number"],
            lesson["status"], lesson["topic"], lesson["homework__text"] or "",
        ])  # fmt: skip
    for pk, lesson_id, student_id, value, symbol, work_type, weight, comment in data["marks"]:
        machine.row("marks", [pk, lesson_id, student_id, str(value) if value is not None else symbol, work_type,
                              str(weight), comment])  # fmt: skip
    for row in data["attendance"]:
        machine.row("attendance", list(row))
    for pk, subject_id, student_id, kind, term, value in data["period_marks"]:
        machine.row("period_marks", [pk, cls.pk, subject_id, student_id, kind, term, value])


def _chain_rows(machine: MachineCopy, period: Period) -> dict:
    """The school's chain from the period's first day to its end now, and the anchors taken since that day.

    Not cut at the period's end: a correction made after it changed the archived marks, and the inspector
    checks each archived mark against its last record.
    """
    start = dt.datetime.combine(period.first, dt.time(), tzinfo=period.boundary.tzinfo)
    records = ChangeRecord.objects.filter(school=period.school, at__gte=start).order_by("id")
    columns = [name for name, _type in TABLES["change_records"]]
    first_prev, last_hash, last_id = None, None, None
    for row in records.values_list(*columns).iterator(chunk_size=10_000):
        values = list(row)
        values[columns.index("at")] = _utc(values[columns.index("at")])
        machine.row("change_records", values)
        if first_prev is None:
            first_prev = values[columns.index("prev_hash")]
        last_hash, last_id = values[columns.index("hash")], values[0]
    anchors = ChainAnchor.objects.filter(school=period.school, day__gte=period.first).order_by("day")
    for a in anchors:
        machine.row("anchors", [a.day.isoformat(), a.last_id, a.hash, a.length])
    return {"first_prev_hash": first_prev or GENESIS, "last_hash": last_hash, "last_id": last_id}


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _description(period: Period, counts: dict[str, int], chain: dict) -> bytes:
    school = period.school
    doc = {
        "schema": SCHEMA,
        "school": {"id": school.pk, "code": school.code, "full_name": school.full_name, "short_name": school.short_name},
        "period": {
            "year": period.year.name, "term": period.term.number if period.term else None,
            "term_kind": period.term.kind if period.term else None,
            "first": period.first.isoformat(), "last": period.last.isoformat(),
        },
        "as_of": _utc(period.boundary),
        "retention_until": {"journal": retention_until(period, "journal").isoformat(),
                            "summary": retention_until(period, "summary").isoformat(),
                            "data": retention_until(period, "summary").isoformat()},
        "chain": chain,
        "rows": dict(sorted(counts.items())),
        "tables": {name: [c for c, _t in cols] for name, cols in TABLES.items()},
    }  # fmt: skip
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _manifest(out: Path, kinds: dict[str, str], counts: dict[str, int]) -> Built:
    built = Built(counts=counts)
    lines = []
    for path in sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()):
        if path == MANIFEST:
            continue
        digest, size = _sha256(out / path)
        kind = kinds.get(path) or ("data" if path.startswith("data/") else "description")
        built.files.append({"path": path, "kind": kind, "size": size, "sha256": digest})
        lines.append(f"{digest}  {path}\n")
    (out / MANIFEST).write_text("".join(lines), encoding="utf-8")
    return built


def _sha256(path: Path) -> tuple[str, int]:
    h, size = hashlib.sha256(), 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def archive_zip(out: Path, target: Path) -> tuple[str, int]:
    """Zip the directory `out` into `target` reproducibly (sorted, fixed time and mode); return its sha256 and size."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w") as zf:
        for path in sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path, date_time=ZIP_TIME)
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with (out / path).open("rb") as src, zf.open(info, "w", force_zip64=True) as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
    return _sha256(target)


def archive_zip_without_journals(source: Path, target: Path, removed_on: dt.date) -> tuple[str, int, list[str]]:
    """Copy the zip `source` to `target` without its print journals, with `retention.json` recording them (path
    and sha256 from the manifest) and the day; the same reproducible form. Return sha256, size, removed paths.
    """
    prefix = RETENTION_PREFIX["journal"]
    with zipfile.ZipFile(source) as src:
        manifest = src.read(MANIFEST).decode("utf-8").splitlines()
        removed: dict[str, str] = {}
        for line in manifest:
            digest, name = line.split("  ", 1)
            if name.startswith(prefix):
                removed[name] = digest
        record = {"removed_on": removed_on.isoformat(), "kind": "journal", "files": dict(sorted(removed.items()))}
        extra = (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        with zipfile.ZipFile(target, "w") as zf:
            for name in sorted([n for n in src.namelist() if not n.startswith(prefix)] + [RETENTION]):
                info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                with zf.open(info, "w", force_zip64=True) as dst:
                    if name == RETENTION:
                        dst.write(extra)
                        continue
                    with src.open(name) as f:
                        while chunk := f.read(1 << 20):
                            dst.write(chunk)
    digest, size = _sha256(target)
    return digest, size, sorted(removed)


# --- paths ------------------------------------------------------------------------------------------------------

_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", [
    "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
    "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"], strict=True))  # fmt: skip


def _slug(text: str) -> str:
    latin = "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())
    return "-".join("".join(ch if ch.isascii() and ch.isalnum() else " " for ch in latin).split())[:40] or "x"


def _class_slug(cls: SchoolClass) -> str:
    return f"{cls.grade:02d}{_slug(cls.letter)}-{cls.pk}"


def held(status: str) -> bool:
    return status in HELD


def by_subject(data: dict) -> dict[int, dict]:
    """The parts of a class's data that each subject's journal prints, in one pass over the class's rows."""
    parts: dict[int, dict] = defaultdict(lambda: {"lessons": [], "marks": defaultdict(list), "attendance": {},
                                                  "period": defaultdict(dict)})  # fmt: skip
    subject_of = {}
    for x in data["lessons"]:
        parts[x["subject_id"]]["lessons"].append(x)
        subject_of[x["id"]] = x["subject_id"]
    for _pk, lesson_id, student_id, value, symbol, _wt, _w, _c in data["marks"]:
        parts[subject_of[lesson_id]]["marks"][(lesson_id, student_id)].append(
            str(value) if value is not None else symbol
        )
    for _pk, lesson_id, student_id, code, _late, _reason in data["attendance"]:
        parts[subject_of[lesson_id]]["attendance"][(lesson_id, student_id)] = code
    for _pk, subj, student_id, kind, term, value in data["period_marks"]:
        parts[subj]["period"][student_id][f"{kind}{term or ''}"] = value
    return parts
