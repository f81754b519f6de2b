"""Phones: the journal page carries the one-lesson mode (toggle, lesson menu, columns marked) for grid.js."""

import datetime as dt
from pathlib import Path

from django.contrib.staticfiles import finders
from django.urls import reverse

from ejournal.access.roles import Role

from .. import selectors
from .helpers import MON, journal


def test_the_page_offers_one_lesson_at_a_time_with_every_column_marked(world, login_as):
    a, _days = journal(world, days=[MON, MON + dt.timedelta(days=1)])
    url = reverse("journal:grid", kwargs={"assignment_id": a.pk, "term_id": world.school.terms.get(number=1).pk})
    for user, role in ((world.teacher, Role.CLASS_TEACHER), (world.deputy_head, Role.DEPUTY_HEAD)):
        html = login_as(user, role).get(url).content.decode()
        assert 'id="j-one-toggle"' in html and 'aria-pressed="false"' in html
        assert html.count('<option value="0"') == (2 if role == Role.CLASS_TEACHER else 1)  # the fill menu too
        assert 'class="j-lh" data-col="1"' in html
        assert html.count('class="j-td" data-col="0"') == 2  # one cell per student in the first column
    script = Path(finders.find("journal/grid.js")).read_text(encoding="utf-8")
    assert "j-one" in script and "matchMedia" in script


def test_the_selectors_package_keeps_its_public_names():
    for name in ("journal_grid", "class_overview", "cell_history", "plan_vs_fact", "journal_page", "my_journals",
                 "corrections_queue", "term_closing", "JournalGrid", "GridStudent", "ClassOverview", "today"):  # fmt: skip
        assert hasattr(selectors, name), name
    assert set(selectors.__all__) <= set(dir(selectors))
