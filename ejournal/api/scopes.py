"""OAuth scopes per area, and which kind of application may ask for which.

A person's app (authorization code with PKCE) may ask for the family and staff
areas; a vendor's system (client credentials) only for the city exchange, and
only for the schools bound to it (`ApplicationSchool`).
"""

from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import AbstractApplication
from oauth2_provider.scopes import BaseScopes

OPENID = "openid"
PROFILE = "profile"
EMAIL = "email"
FAMILY = "family"
STAFF = "staff"
JOURNAL_WRITE = "journal.write"
CITY_EXCHANGE = "city.exchange"
CITY_READ = "city.read"

SCOPES = {
    OPENID: _("Подтверждение вашей личности"),
    PROFILE: _("Ваши фамилия, имя и отчество"),
    EMAIL: _("Ваш адрес электронной почты"),
    FAMILY: _("Дневник ваших детей: неделя, отметки, домашние задания; отметка «ознакомлен»"),
    STAFF: _("Ваше расписание и журнал ваших классов (чтение)"),
    JOURNAL_WRITE: _("Выставление отметок в журнал ваших классов"),
    CITY_EXCHANGE: _("Передача ежемесячных показателей школ и чтение графика внедрения"),
    CITY_READ: _("Сводные показатели школ города (чтение)"),
}

SYSTEM_SCOPES = frozenset({CITY_EXCHANGE})
PERSON_SCOPES = frozenset(SCOPES) - SYSTEM_SCOPES


def _is_system(application) -> bool:
    return getattr(application, "authorization_grant_type", None) == AbstractApplication.GRANT_CLIENT_CREDENTIALS


class AreaScopes(BaseScopes):
    """A system gets the exchange scope only; a person's app everything else."""

    def get_all_scopes(self):
        return dict(SCOPES)

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        return sorted(SYSTEM_SCOPES if _is_system(application) else PERSON_SCOPES)

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return [CITY_EXCHANGE] if _is_system(application) else [OPENID]
