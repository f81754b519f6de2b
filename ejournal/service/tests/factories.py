"""Applications for tests, made through the service as the public form makes them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ejournal.access.policy import ANONYMOUS
from ejournal.service import services
from ejournal.service.models import Application


def application_input(**overrides) -> services.ApplicationInput:
    data: dict[str, Any] = {
        "applicant_kind": "parent",
        "relation": "mother",
        "last_name": "Белова",
        "first_name": "Светлана",
        "middle_name": "Петровна",
        "phone": "+7 (918) 123-45-67",
        "email": "belova@example.ru",
        "id_doc_type": "passport",
        "id_doc_number": "03 12 345678",
        "child_last_name": "Белова",
        "child_first_name": "Дарья",
        "child_middle_name": "Игоревна",
        "child_birth_date": dt.date(2015, 3, 1),
        "child_class": "5А",
        "consent": True,
    }
    data.update(overrides)
    return services.ApplicationInput(**data)


def make_application(school, **overrides) -> Application:
    return services.application_submit(school=school, data=application_input(**overrides), actor=ANONYMOUS)


def form_post(**overrides) -> dict:
    """The POST of the public form, filled as a person fills it (the form shown a minute ago)."""
    import time

    from ejournal.service.guard import form_token

    data = {
        "applicant_kind": "parent",
        "relation": "mother",
        "last_name": "Белова",
        "first_name": "Светлана",
        "middle_name": "Петровна",
        "phone": "+7 (918) 123-45-67",
        "email": "belova@example.ru",
        "id_doc_type": "passport",
        "id_doc_number": "03 12 345678",
        "child_last_name": "Белова",
        "child_first_name": "Дарья",
        "child_middle_name": "Игоревна",
        "child_birth_date": "01.03.2015",
        "child_class": "5А",
        "consent": "on",
        "website": "",
        "started": form_token(time.time() - 60),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
