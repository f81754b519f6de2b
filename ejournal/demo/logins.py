"""The demo logins: one per role, all with one known password.

Browser tests import `DEMO_LOGINS` and `demo_password()`. The password is
`demo12345` unless the environment variable DEMO_PASSWORD says otherwise
(or `demo_city --password`).
"""

from __future__ import annotations

import os

from ejournal.access.roles import Role

DEFAULT_DEMO_PASSWORD = "demo12345"  # noqa: S105 - published demo password, documented in README
DEMO_PASSWORD_ENV = "DEMO_PASSWORD"  # noqa: S105 - name of an environment variable

# (role, login, description); the description is shown to people trying the demo.
DEMO_LOGINS: list[tuple[str, str, str]] = [
    (Role.MUNICIPAL_OFFICER, "demo_mun", "Специалист департамента образования (весь город)"),
    (Role.METHODIST, "demo_method", "Методист центра «Старт» (весь город, только просмотр)"),
    (Role.DISTRICT_OFFICER, "demo_district", "Специалист отдела образования округа демо-школы"),
    (Role.DIRECTOR, "demo_director", "Директор демо-школы"),
    (Role.DEPUTY_HEAD, "demo_deputy", "Заместитель директора демо-школы"),
    (Role.JOURNAL_COORDINATOR, "demo_coord", "Ответственный за ведение ЭЖ демо-школы"),
    (Role.TEACHER, "demo_teacher", "Учитель математики демо-школы (без классного руководства)"),
    (Role.CLASS_TEACHER, "demo_classteacher", "Классный руководитель класса демо-ученика"),
    (Role.STUDENT, "demo_student", "Обучающийся демо-школы"),
    (Role.GUARDIAN, "demo_parent", "Родитель демо-ученика и его брата или сестры (двое детей)"),
]

DEMO_USERNAMES: dict[str, str] = {role: login for role, login, _ in DEMO_LOGINS}


def demo_password() -> str:
    """Return the demo password: DEMO_PASSWORD from the environment, else the default."""
    return os.environ.get(DEMO_PASSWORD_ENV) or DEFAULT_DEMO_PASSWORD
