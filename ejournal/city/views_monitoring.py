"""The monitoring pages: the city (or the own district), a district, a school, a teacher — charts, rankings, flags."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ejournal.access import policy
from ejournal.access.decorators import access_rule
from ejournal.access.http import ActorRequest
from ejournal.access.roles import Role
from ejournal.core.templatetags.ru_format import month_in_sentence

from .models import Stage
from .monitoring import selectors as mon
from .monitoring.forms import PeriodForm
from .monitoring.indicators import (
    BY_KEY,
    FLAG_RULES,
    INDICATORS,
    TEACHER_INDICATORS,
    flags_of,
    monitoring_setting,
    teacher_indicator,
)
from .monitoring.svg import bar_chart, line_chart, month_label
from .selectors import districts_reached

RULE = "can_view_monthly_reports"
TEACHER_RULE = "can_view_teacher_monitoring"


def _period(request: ActorRequest) -> tuple[PeriodForm, dict]:
    form = PeriodForm(request.GET, today=timezone.localdate())
    form.is_valid()
    period = form.period()
    period["months"] = mon.months_ending(period["year"], period["month"], period["span"])
    return form, period


def _thresholds() -> list[tuple[object, object, bool]]:
    """(indicator, limit, whether the value must not fall below it) of each red flag."""
    return [(BY_KEY[r.key].label, monitoring_setting(r.setting), r.below) for r in FLAG_RULES]


def _context(request, *, form, period, title, scope_label, schools, units, unit_heading) -> dict:
    """Trend of all `schools`, ranking of `units` for the chosen month, charts and their data tables."""
    data = mon.school_month_values(schools=schools, months=period["months"])
    ids = [s.id for s in schools]
    late = mon.late_stages(school_ids=ids)
    return _charts(request, form=form, period=period, key=period["indicator"], title=title, scope_label=scope_label,
                   data=data, ids=ids, units=units, unit_heading=unit_heading, late=late)  # fmt: skip


def _charts(request, *, form, period, key, title, scope_label, data, ids, units, unit_heading, late) -> dict:
    """The trend of `ids` (schools, or a teacher) in `data` by `key`, the ranking of `units`, charts and tables."""
    months = period["months"]
    month = (period["year"], period["month"])
    points = mon.trend(data=data, school_ids=ids, key=key)
    rows = mon.ranking(data=data, month=month, units=units, key=key, late=late)
    indicator = BY_KEY[key]
    month_title = month_in_sentence(*month)  # every use reads «… за октябрь 2026 г.»
    return {
        "data": data,
        "form": form,
        "title": title,
        "indicator": indicator,
        "indicators": INDICATORS,
        "months": [month_label(m) for m in months],
        "month_title": month_title,
        "points": points,
        "rows": rows,
        "unit_heading": unit_heading,
        "flags": flags_of(mon.aggregate(data[month][sid] for sid in ids if sid in data[month])),
        "thresholds": _thresholds(),
        "line": line_chart(
            key=key,
            points=points,
            title=_("%(indicator)s: %(scope)s по месяцам") % {"indicator": indicator.label, "scope": scope_label},
            desc=_("Линейный график; значения — в таблице под ним."),
        ),
        "bars": bar_chart(
            key=key,
            rows=rows,
            title=_("%(indicator)s за %(month)s") % {"indicator": indicator.label, "month": month_title},
            desc=_("Столбцы по убыванию места в рейтинге; значения — в таблице рейтинга."),
        ),
        "period_month": period["month"],
        "period_year": period["year"],
        "period_span": period["span"],
        "query": request.GET.urlencode(),
    }


def _render(request: ActorRequest, template: str, context: dict) -> HttpResponse:
    return render(request, template, context, status=400 if context["form"].errors else 200)


@access_rule(RULE)
@require_GET
def monitoring(request: ActorRequest) -> HttpResponse:
    form, period = _period(request)
    schools = mon.monitoring_schools(actor=request.actor)
    if request.actor.role == Role.DISTRICT_OFFICER:
        units = [mon.Unit(s.short_name, reverse("city:monitoring_school", args=[s.pk]), [s.id]) for s in schools]
        scope, heading = (schools[0].district.name if schools else ""), _("Школа")
    else:
        units = [
            mon.Unit(d.name, reverse("city:monitoring_district", args=[d.pk]),
                     [s.id for s in schools if s.district_id == d.id])
            for d in districts_reached(actor=request.actor)
        ]  # fmt: skip
        scope, heading = _("город"), _("Округ")
    context = _context(request, form=form, period=period, title=_("Мониторинг внедрения"), scope_label=scope,
                       schools=schools, units=units, unit_heading=heading)  # fmt: skip
    return _render(request, "city/monitoring/index.html", context)


@access_rule(RULE)
@require_GET
def monitoring_district(request: ActorRequest, district_id: int) -> HttpResponse:
    district = mon.monitoring_district_get(actor=request.actor, pk=district_id)
    form, period = _period(request)
    schools = mon.monitoring_schools(actor=request.actor, district_id=district.id)
    units = [mon.Unit(s.short_name, reverse("city:monitoring_school", args=[s.pk]), [s.id]) for s in schools]
    title = _("Мониторинг: %(district)s округ") % {"district": district.name}
    context = _context(request, form=form, period=period, title=title, scope_label=district.name,
                       schools=schools, units=units, unit_heading=_("Школа"))  # fmt: skip
    context["district"] = district
    return _render(request, "city/monitoring/district.html", context)


@access_rule(RULE)
@require_GET
def monitoring_school(request: ActorRequest, school_id: int) -> HttpResponse:
    school = mon.monitoring_school_get(actor=request.actor, pk=school_id)
    form, period = _period(request)
    context = _context(request, form=form, period=period, title=_("Мониторинг: %(school)s") % {"school": school.short_name},
                       scope_label=school.short_name, schools=[school], units=[], unit_heading="")  # fmt: skip
    data = context["data"]
    context["school"] = school
    context["table"] = [(ind, mon.trend(data=data, school_ids=[school.id], key=ind.key)) for ind in INDICATORS]
    late = mon.late_stages(school_ids=[school.id])[school.id]
    context["late_stages"] = [Stage(key).label for key in late]
    if policy.check(request.actor, TEACHER_RULE, mon.teacher_target(school)):
        month = (period["year"], period["month"])
        key = teacher_indicator(period["indicator"])
        teachers = mon.teacher_month_values(actor=request.actor, school=school, months=[month])
        context["teachers"] = mon.teacher_ranking(school=school, data=teachers, month=month, key=key)
        context["teacher_indicator"] = BY_KEY[key]
        context["teacher_indicators"] = TEACHER_INDICATORS
        context["on_another_system"] = mon.on_another_system(school)
    return _render(request, "city/monitoring/school.html", context)


@access_rule(TEACHER_RULE)
@require_GET
def monitoring_teacher(request: ActorRequest, school_id: int, teacher_id: int) -> HttpResponse:
    school = mon.monitoring_school_get(actor=request.actor, pk=school_id)
    teacher = mon.monitoring_teacher_get(actor=request.actor, school=school, pk=teacher_id)
    form, period = _period(request)
    key = teacher_indicator(period["indicator"])
    data = mon.teacher_month_values(actor=request.actor, school=school, months=period["months"], teacher_id=teacher.pk)
    name = teacher.get_full_name()
    title = _("Мониторинг: %(teacher)s, %(school)s") % {"teacher": name, "school": school.short_name}
    context = _charts(request, form=form, period=period, key=key, title=title, scope_label=name, data=data,
                      ids=[teacher.pk], units=[], unit_heading="", late={})  # fmt: skip
    context.update(
        school=school,
        teacher=teacher,
        indicators=[i for i in INDICATORS if teacher_indicator(i.key) == i.key],
        table=[(ind, mon.trend(data=data, school_ids=[teacher.pk], key=ind.key)) for ind in TEACHER_INDICATORS],
    )
    return _render(request, "city/monitoring/teacher.html", context)
