"""The city exchange: a vendor's system sends its schools' monthly figures and reads their rollout schedule;
the department reads the city's consolidated figures.

The figures go through `city.services.school_figures_push` (the upload's checks, the report's draft →
submitted workflow); the schedule and the consolidated report through the city's own selectors.
"""

from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from ninja import Path, Query, Router

from ejournal.access.http import ActorRequest
from ejournal.city import selectors as city
from ejournal.city import services as city_services
from ejournal.city.models import MonthlyReportRow, Stage
from ejournal.schools.models import School

from .. import scopes
from ..core import ErrorOut, api_rule, json_read, page_of
from ..schemas import MAX_ID, CityFiguresOut, FiguresIn, SchedulePage, SchoolFiguresOut

ID = Path(..., ge=1, le=MAX_ID)  # an id beyond a bigint cannot exist: 422, not a database error
router = Router(tags=["Обмен с городом"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
EXCHANGE = "can_exchange_school_figures"


def _plain(value):
    """A report value as JSON keeps it: counts as numbers, decimals and dates as text."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    return str(value) if not isinstance(value, Decimal) else format(value, "f")


@router.get("/schedule", auth=api_rule(EXCHANGE, scope=scopes.CITY_EXCHANGE),
            response={200: SchedulePage, 304: None, **ERRORS}, url_name="city_schedule",
            summary="График внедрения школ системы",
            description="Строки сводного графика внедрения по школам, привязанным к системе поставщика.")  # fmt: skip
def schedule(request: ActorRequest, page: int = Query(1, ge=1, le=10000), per_page: int = Query(50, ge=1, le=200)):
    labels = dict(Stage.choices)
    rows = [
        {"school_id": r.school.pk, "school": r.school.short_name, "district": r.school.district.name,
         "complex": r.rollout.complex.name if r.rollout and r.rollout.complex else "", "status": r.status,
         "stages": [{"stage": key, "label": str(labels[key]), "planned_on": s.planned_on if s else None,
                     "actual_on": s.actual_on if s else None} for key, s in r.stages.items()]}
        for r in city.rollout_rows(actor=request.actor)
    ]  # fmt: skip
    return json_read(request, SchedulePage, page_of(rows, page, per_page))


def _school(request: ActorRequest, school_id: int) -> School:
    school = School.objects.filter(pk=school_id, id__in=request.actor.school_ids).first()
    if school is None:
        raise Http404
    return school


def _figures(school: School, year: int, month: int, row: MonthlyReportRow | None) -> dict:
    return {"school_id": school.pk, "year": year, "month": month,
            "report_status": row.report.status if row else "none",
            "values": {k: _plain(v) for k, v in (row.data if row else {}).items()}}  # fmt: skip


YEAR = Path(..., ge=2000, le=2100)
MONTH = Path(..., ge=1, le=12)


@router.get("/reports/{year}/{month}/schools/{school_id}", auth=api_rule(EXCHANGE, scope=scopes.CITY_EXCHANGE),
            response={200: SchoolFiguresOut, 304: None, **ERRORS},
            url_name="city_school_figures", summary="Показатели школы за месяц",
            description="Что записано в строке школы в отчёте округа, и состояние отчёта (draft — черновик, "
                        "submitted — отправлен, returned — возвращён, accepted — принят, none — ещё не открыт).")  # fmt: skip
def school_figures(request: ActorRequest, school_id: int = ID, year: int = YEAR, month: int = MONTH):
    school = _school(request, school_id)
    row = (MonthlyReportRow.objects.select_related("report")
           .filter(school=school, report__year=year, report__month=month).first())  # fmt: skip
    return json_read(request, SchoolFiguresOut, _figures(school, year, month, row))


@router.put("/reports/{year}/{month}/schools/{school_id}", auth=api_rule(EXCHANGE, scope=scopes.CITY_EXCHANGE),
            response={200: SchoolFiguresOut, 409: ErrorOut, **ERRORS},
            url_name="city_school_figures_push", summary="Передать показатели школы за месяц",
            description="Заменяет строку школы в отчёте округа (черновик или возвращённый). Проверки — как у "
                        "загрузки файла округом; значения — как ячейки файла (строки или числа). Отправляет "
                        "отчёт в департамент округ. 409 — отчёт уже отправлен.")  # fmt: skip
def school_figures_push(request: ActorRequest, payload: FiguresIn, school_id: int = ID, year: int = YEAR,
                        month: int = MONTH):  # fmt: skip
    school = _school(request, school_id)
    row = city_services.school_figures_push(school=school, year=year, month=month, raw=payload.values,
                                            actor=request.actor)  # fmt: skip
    return _figures(school, year, month, row)


@router.get("/figures", auth=api_rule("can_view_city_report", scope=scopes.CITY_READ),
            response={200: CityFiguresOut, 304: None, **ERRORS}, url_name="city_figures",
            summary="Сводные показатели города за месяц",
            description="Итоги отчётов округов и города (департамент, методический центр); без месяца — текущий.")  # fmt: skip
def city_figures(
    request: ActorRequest, year: int = Query(None, ge=2000, le=2100), month: int = Query(None, ge=1, le=12)
):
    today = timezone.localdate()
    year, month = year or today.year, month or today.month
    parts, total = city.city_report(actor=request.actor, year=year, month=month)
    data = {
        "year": year, "month": month,
        "districts": [{"district_id": p.district.pk, "district": p.district.name,
                       "report_status": p.report.status if p.report else None,
                       "totals": {k: _plain(v) for k, v in p.totals.items()}} for p in parts],
        "totals": {k: _plain(v) for k, v in total.items()},
    }  # fmt: skip
    return json_read(request, CityFiguresOut, data)
