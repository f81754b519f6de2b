"""What a term change takes away (dates × grades), the hook the apps above answer, and the admin's read-only terms."""

import datetime as dt

import pytest

from ejournal.schools import services
from ejournal.schools.guards import Area, TermChange, term_guard_register, term_guards
from ejournal.schools.models import Term

from .test_year_setup import deputy

D = dt.date


def _change(**new):
    term = Term(starts_on=D(2026, 11, 5), ends_on=D(2026, 12, 28), min_grade=1, max_grade=11)
    values = {"starts_on": term.starts_on, "ends_on": term.ends_on, "min_grade": 1, "max_grade": 11, **new}
    return TermChange(term=term, **values)


def test_a_shorter_term_gives_up_the_days_cut_off_for_all_its_grades():
    change = _change(starts_on=D(2026, 11, 9), ends_on=D(2026, 12, 20))
    assert change.removed == [
        Area(D(2026, 11, 5), D(2026, 11, 8), 1, 11),
        Area(D(2026, 12, 21), D(2026, 12, 28), 1, 11),
    ]
    assert change.grades_left == []


def test_a_narrower_band_gives_up_the_grades_for_the_days_kept():
    change = _change(ends_on=D(2026, 12, 20), min_grade=5, max_grade=9)
    assert change.removed == [
        Area(D(2026, 12, 21), D(2026, 12, 28), 1, 11),
        Area(D(2026, 11, 5), D(2026, 12, 20), 1, 4),
        Area(D(2026, 11, 5), D(2026, 12, 20), 10, 11),
    ]
    assert change.grades_left == [1, 2, 3, 4, 10, 11]


def test_a_longer_term_or_a_new_number_gives_up_nothing():
    assert _change(starts_on=D(2026, 11, 2), ends_on=D(2026, 12, 30)).removed == []
    assert not _change().moves
    assert _change().removed == []


def test_deleting_gives_up_the_whole_term():
    change = TermChange(term=_change().term, starts_on=None, ends_on=None, min_grade=None, max_grade=None)
    assert change.removed == [Area(D(2026, 11, 5), D(2026, 12, 28), 1, 11)]
    assert change.moves and change.grades_left == list(range(1, 12))


def test_every_registered_guard_is_asked_and_its_reasons_refuse_the_change(world, monkeypatch):
    from django.core.exceptions import ValidationError

    from ejournal.schools import guards

    monkeypatch.setattr(guards, "_guards", list(term_guards()))
    asked = []
    term_guard_register(lambda change: asked.append(change.removed) or ["Нельзя: проверка."])
    term = Term.objects.get(school=world.school, number=2)
    with pytest.raises(ValidationError, match="Нельзя: проверка"):
        services.term_update(term=term, kind=term.kind, number=2, starts_on=term.starts_on, ends_on=D(2026, 12, 27),
                             min_grade=1, max_grade=11, actor=deputy(world))  # fmt: skip
    assert asked == [[Area(D(2026, 12, 28), D(2026, 12, 28), 1, 11)]]
    term.refresh_from_db()
    assert term.ends_on == D(2026, 12, 28)


def test_a_term_saved_unchanged_writes_no_audit_event(world):
    from ejournal.core.models import AuditEvent

    term = Term.objects.get(school=world.school, number=2)
    values = {f: getattr(term, f) for f in ("kind", "number", "starts_on", "ends_on", "min_grade", "max_grade")}
    services.term_update(term=term, **values, actor=deputy(world))
    assert not AuditEvent.objects.filter(action="term_update").exists()


def test_the_admin_shows_saved_terms_read_only_and_cannot_delete_them(world, client):
    world.director.is_staff = world.director.is_superuser = True
    world.director.save()
    client.force_login(world.director)
    term = Term.objects.get(school=world.school, number=2)
    url = f"/admin/schools/term/{term.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="ends_on"' not in page
    client.post(url, {"ends_on": "2026-12-01", "starts_on": "2026-11-05", "kind": term.kind, "number": 2,
                      "min_grade": 1, "max_grade": 11, "school": world.school.pk, "year": world.year.pk})  # fmt: skip
    term.refresh_from_db()
    assert term.ends_on == D(2026, 12, 28)
    assert client.post(f"/admin/schools/term/{term.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Term.objects.filter(pk=term.pk).exists()
