"""The monthly report carries each school's journal chain anchor at the month's end (page and XLSX)."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from ejournal.access.roles import Role
from ejournal.archive.tests.data import term_of_marks
from ejournal.journal.models import ChainAnchor, ChainHead
from ejournal.journal.verify import anchors_take

from .factories import make_report


def test_the_monthly_report_shows_and_exports_the_schools_anchor_at_the_months_end(world, login_as):
    term_of_marks(world)
    report = make_report(world.district, year=2026, month=9)
    anchors_take(dt.date(2026, 9, 15))
    anchors_take(dt.date(2026, 9, 30))  # the month's last: this one is published
    anchors_take(dt.date(2026, 10, 1))  # the next month's: not in September's report
    head = ChainHead.objects.get(pk=world.school.pk)
    client = login_as(world.district_officer, Role.DISTRICT_OFFICER)
    page = client.get(f"/city/reports/{report.pk}/").content.decode()
    assert "Контрольные суммы журналов на конец месяца" in page
    assert (
        f'<td>30.09.2026</td><td>{head.last_id}</td><td>{head.length}</td><td><code class="hash">{head.last_hash}'
        in page
    )
    book = load_workbook(io.BytesIO(client.get(f"/city/reports/{report.pk}/export.xlsx").content))
    rows = list(book["Контрольные суммы"].iter_rows(values_only=True))
    assert rows == [
        ("Школа", "Дата", "Последняя запись истории", "Записей в цепочке", "SHA-256"),
        ("СОШ № 1", "30.09.2026", head.last_id, head.length, head.last_hash),
    ]
    assert ChainAnchor.objects.count() == 3
