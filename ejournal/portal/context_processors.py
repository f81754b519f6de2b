"""The navigation of the active role, for the base template."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from ejournal.access import policy

# (url name, label, rule): an item shows only when the active role passes the rule.
MENU = [
    ("portal:home", _("Главная"), "is_signed_in"),
    ("diary:home", _("Дневник"), "can_read_diary"),
    ("timetable:today", _("Сегодня"), "can_view_own_lessons"),
    ("journal:my", _("Журнал"), "can_view_journal"),
    ("journal:my_corrections", _("Мои запросы"), "can_view_own_corrections"),
    ("people:classes", _("Классы"), "can_view_class"),
    ("people:students", _("Обучающиеся"), "can_manage_school"),
    ("people:guardians", _("Родители"), "can_manage_school"),
    ("people:staff", _("Сотрудники"), "can_manage_school"),
    ("people:import_list", _("Загрузка списков"), "can_import_roster"),
    ("service:register", _("Заявления родителей"), "can_view_service_register"),
    ("diary:extract_students", _("Выписки"), "can_print_extracts_for_families"),
    ("schools:year", _("Учебный год"), "can_view_school_plan"),
    ("curriculum:grid", _("Учебный план"), "can_view_school_plan"),
    ("curriculum:assignments", _("Нагрузка"), "can_view_school_plan"),
    ("timetable:home", _("Расписание"), "can_view_timetable"),
    ("control:dashboard", _("Контроль журнала"), "can_view_filling_control"),
    ("reports:school", _("Отчёты"), "can_view_school_reports"),
    ("reports:classes", _("Отчёты классов"), "can_view_class_reports"),
    ("regulation:school", _("Положение о ЭЖ"), "can_view_school_regulation"),
    ("archive:index", _("Архив журналов"), "can_manage_archive"),
    ("journal:corrections", _("Исправления"), "can_approve_correction"),
    ("journal:terms", _("Закрытие периодов"), "can_close_term"),
    ("curriculum:my_assignments", _("Моя нагрузка"), "can_view_own_assignments"),
    ("portal:schools", _("Школы"), "can_view_district"),
    ("city:rollout", _("График внедрения"), "can_view_rollout"),
    ("city:reports", _("Ежемесячные отчёты"), "can_view_monthly_reports"),
    ("city:city_report", _("Сводный отчёт по городу"), "can_view_city_report"),
    ("city:monitoring", _("Мониторинг"), "can_view_monthly_reports"),
    ("city:complexes", _("Программные комплексы"), "can_manage_software_complexes"),
    ("regulation:exemplary", _("Примерное положение"), "can_view_exemplary_regulation"),
    ("support:list", _("Служба поддержки"), "can_view_support_requests"),
    ("notifications:settings", _("Уведомления"), "can_manage_notifications"),
    ("api:school_apps", _("Приложения школы"), "can_revoke_school_apps"),
    ("api:my_apps", _("Подключённые приложения"), "is_signed_in"),
]


_urls: dict[str, str | None] = {}


def _url(name: str) -> str | None:
    """The menu item's address, reversed once per process (None when the app is not installed)."""
    if name not in _urls:
        try:
            _urls[name] = reverse(name)
        except NoReverseMatch:
            _urls[name] = None
    return _urls[name]


def _current(path: str, urls: list[str]) -> str | None:
    """The one menu address the page belongs to: the longest that starts its path ("/" only for itself).

    "/journal/corrections/" is under both «Журнал» (/journal/) and «Исправления»; only the latter is current.
    """
    under = [url for url in urls if path == url or (url != "/" and path.startswith(url))]
    return max(under, key=len, default=None)


def navigation(request):
    actor = getattr(request, "actor", policy.ANONYMOUS)
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav": {}}
    allowed = [(url, label) for name, label, rule in MENU if (url := _url(name)) and policy.check(actor, rule)]
    current = _current(request.path, [url for url, _label in allowed])
    items = [{"url": url, "label": label, "current": url == current} for url, label in allowed]
    active = getattr(request, "active_role", None)
    return {
        "nav": {
            "items": items,
            "current_label": next((item["label"] for item in items if item["current"]), ""),
            "role_choices": getattr(request, "role_choices", []),
            "active_key": active.key if active else None,
            "active_label": f"{active.label}" if active else "",
        }
    }
