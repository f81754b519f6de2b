import datetime as dt

from ejournal.core.bulk import rows_insert
from ejournal.schools.models import Holiday


def test_rows_insert_writes_every_row_and_fills_defaults(world):
    rows = (
        {
            "municipality_id": world.city.id,
            "year_id": world.year.id,
            "name": f"День {n}",
            "starts_on": dt.date(2026, 9, 1) + dt.timedelta(days=n),
            "ends_on": dt.date(2026, 9, 1) + dt.timedelta(days=n),
        }
        for n in range(7)
    )
    assert rows_insert(Holiday, rows) == 7
    saved = Holiday.objects.filter(name__startswith="День ").order_by("starts_on")
    assert [h.name for h in saved] == [f"День {n}" for n in range(7)]
    assert {h.kind for h in saved} == {Holiday.Kind.VACATION}  # the model's default
    assert {h.max_grade for h in saved} == {11}
