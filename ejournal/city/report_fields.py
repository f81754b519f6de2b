"""The columns of the monthly report (appendix 2): one list for the page, the hand entry, the upload and exports."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Field:
    key: str
    label: object
    kind: str  # "int", "pct", "decimal", "date", "stage", "url", "text"
    group: object = ""
    synonyms: tuple[str, ...] = ()


STAGE = _("Этап внедрения")
COVERAGE = _("Охват")
FILLING = _("Наполнение за месяц")
SERVICE = _("Муниципальная услуга")
SUPPORT = _("Поддержка")

FIELDS: tuple[Field, ...] = (
    Field("stage", _("Достигнутый этап"), "stage", STAGE),
    Field("stage_on", _("Дата этапа"), "date", STAGE),
    Field("classes_in_system", _("Классов в системе"), "int", COVERAGE),
    Field("students_in_system", _("Обучающихся в системе"), "int", COVERAGE),
    Field("teachers_with_accounts", _("Учителей с учётной записью"), "int", COVERAGE),
    Field("teachers_active", _("Учителей, работавших в месяце"), "int", COVERAGE),
    Field("guardians_with_access", _("Родителей с доступом"), "int", COVERAGE),
    Field("guardians_logged_in", _("Родителей, входивших в месяце"), "int", COVERAGE),
    Field("lessons_total", _("Уроков в месяце"), "int", FILLING),
    Field("lessons_topic_on_time_pct", _("% уроков с темой в день урока"), "pct", FILLING),
    Field("lessons_homework_on_time_pct", _("% уроков с ДЗ в срок"), "pct", FILLING),
    Field("lessons_attendance_pct", _("% уроков с посещаемостью"), "pct", FILLING),
    Field("marks_per_student", _("Отметок на обучающегося"), "decimal", FILLING),
    Field("density_norm_met_pct", _("% обучающихся с нормой накопляемости"), "pct", FILLING),
    Field("marks_late_pct", _("% отметок, выставленных с опозданием"), "pct", FILLING),
    Field("applications_received", _("Заявлений получено"), "int", SERVICE),
    Field("applications_granted", _("Доступ предоставлен"), "int", SERVICE),
    Field("applications_refused", _("Отказано"), "int", SERVICE),
    Field("applications_avg_days", _("Средний срок, дней"), "decimal", SERVICE),
    Field("site_url", _("Ссылка на сайте школы"), "url", SUPPORT),
    Field("support_filed", _("Заявок в поддержку подано"), "int", SUPPORT),
    Field("support_closed", _("Заявок закрыто"), "int", SUPPORT),
    Field("support_open", _("Заявок открыто"), "int", SUPPORT),
    Field("problems", _("Проблемы"), "text", SUPPORT),
)
BY_KEY = {f.key: f for f in FIELDS}
# Fields whose city/district total is a sum; percentages and averages are averaged over the schools that have them.
SUMMED = tuple(f.key for f in FIELDS if f.kind == "int")
AVERAGED = tuple(f.key for f in FIELDS if f.kind in ("pct", "decimal"))
