"""The journal's objections to a change of a term (registered with `schools.guards` by `JournalConfig.ready`).

A term whose dates or grades shrink leaves the journal's records there outside
every term: the grid and the averages no longer find them and term marks
change without anybody touching a mark. So such a change is refused while
marks, absences, lessons with a topic or homework, or term marks of the
classes taken out lie there, naming how many, which classes and subjects and
which dates; and a closed term (for the school or for any class) does not
change its dates or grades at all.
"""

from __future__ import annotations

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ejournal.curriculum.models import Subject
from ejournal.schools.guards import Area, TermChange
from ejournal.schools.models import SchoolClass
from ejournal.timetable.models import Lesson

from .models import Attendance, Mark, PeriodMark, TermClosure

NAMES_SHOWN = 5


def term_change_objections(change: TermChange) -> list[str]:
    """The Russian reasons to refuse `change`; none when it strands no record and the term is open."""
    reasons = _closed_reasons(change)
    records = _records_reasons(change)
    if records:
        reasons += [_("Изменение оставит записи журнала вне учебных периодов (перенесите или удалите их либо "
                      "выберите другие даты):"), *records]  # fmt: skip
    return reasons


def _closed_reasons(change: TermChange) -> list[str]:
    closures = list(TermClosure.objects.filter(term=change.term).select_related("school_class"))
    if not closures:
        return []
    if any(c.school_class_id is None for c in closures):
        where = _("для всей школы")
    else:
        classes = sorted((c.school_class for c in closures if c.school_class), key=lambda c: (c.grade, c.letter))
        where = _("для классов %(classes)s") % {"classes": _names(classes)}
    return [
        _("Период «%(term)s» закрыт %(where)s: его даты и классы не меняются. Если изменение действительно нужно, "
          "сначала откройте период в журнале.") % {"term": change.term, "where": where}
    ]  # fmt: skip


def _records_reasons(change: TermChange) -> list[str]:
    term, reasons = change.term, []
    areas = change.removed
    if areas:
        lessons = Lesson.objects.filter(_in(areas), school_id=term.school_id)
        for queryset, path, plural in (
            (Mark.objects.filter(_in(areas, "lesson__"), school_id=term.school_id), "lesson__", _marks),
            (Attendance.objects.filter(_in(areas, "lesson__"), school_id=term.school_id), "lesson__", _absences),
            (lessons.filter(~Q(topic="") | Q(homework__isnull=False)), "", _lessons),
        ):
            reasons += _summary(queryset, path, plural)
    if change.grades_left:
        period_marks = PeriodMark.objects.filter(term=term, school_class__grade__in=change.grades_left)
        reasons += _summary(period_marks, None, _period_marks)
    return reasons


def _in(areas: list[Area], path: str = "") -> Q:
    """Lessons (through `path`) dated in one of the areas, in a class of its grades."""
    where = Q()
    for area in areas:
        where |= Q(**{f"{path}date__range": (area.first, area.last),
                      f"{path}school_class__grade__range": (area.min_grade, area.max_grade)})  # fmt: skip
    return where


def _summary(queryset: QuerySet, path: str | None, plural) -> list[str]:
    """One line: how many, which classes and subjects and (for lesson records) which dates; nothing when none."""
    dated = path is not None
    prefix = path or ""
    figures = queryset.aggregate(
        n=Count("pk"), **({"first": Min(f"{prefix}date"), "last": Max(f"{prefix}date")} if dated else {})
    )
    if not figures["n"]:
        return []
    class_ids = queryset.values(f"{prefix}school_class_id")
    subject_ids = queryset.values(f"{prefix}subject_id")
    classes = SchoolClass.objects.filter(pk__in=class_ids).order_by("grade", "letter")
    subjects = Subject.objects.filter(pk__in=subject_ids).order_by("name")
    details = {"what": plural(figures["n"]), "classes": _names(classes), "subjects": _names(subjects)}
    if not dated:
        return [_("%(what)s — классы: %(classes)s; предметы: %(subjects)s.") % details]
    dates = {"first": date_format(figures["first"], "d.m.Y"), "last": date_format(figures["last"], "d.m.Y")}
    return [_("%(what)s — классы: %(classes)s; предметы: %(subjects)s; даты: %(first)s – %(last)s.")
            % {**details, **dates}]  # fmt: skip


def _names(objects) -> str:
    names = [str(o) for o in objects]
    shown = ", ".join(names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        shown += " " + _("и ещё %(n)s") % {"n": len(names) - NAMES_SHOWN}
    return shown


def _marks(n: int) -> str:
    return ngettext("%(n)s отметка", "%(n)s отметки", n) % {"n": n}


def _absences(n: int) -> str:
    return ngettext("%(n)s отметка о посещаемости", "%(n)s отметки о посещаемости", n) % {"n": n}


def _lessons(n: int) -> str:
    return ngettext("%(n)s урок с темой или заданием", "%(n)s урока с темой или заданием", n) % {"n": n}


def _period_marks(n: int) -> str:
    return ngettext("%(n)s отметка за период", "%(n)s отметки за период", n) % {"n": n}
