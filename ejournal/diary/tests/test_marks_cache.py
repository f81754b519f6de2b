"""The cached marks pages (a term, the year): served again while nothing shown changed, never stale after a write.

Each write goes through the real service of its app (a mark, a term mark, an approved correction, a transfer,
a closed term), or straight to the table as an import or the admin would; the next page shows it. Each test
fails when the fingerprint leaves out the rows of its write (decision 0015 lists the runs).
"""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.journal.models import CorrectionKind, Mark, PeriodKind, PeriodMark, TermClosure
from ejournal.journal.services import (
    correction_request_approve,
    correction_request_file,
    mark_delete,
    mark_proposal,
    mark_set,
    period_mark_set,
    term_close,
    term_reopen,
)
from ejournal.journal.tests.helpers import at, deputy, director, teacher
from ejournal.people.services.students import student_transfer
from ejournal.timetable.tests.helpers import MON, assignment, lesson, subject

from ..marks import CACHE_PREFIX, warm
from .helpers import WED, mark, request_queries, term_mark, week_of_lessons

AFTER_TERM = dt.date(2026, 10, 28)  # the autumn vacation: the first quarter has ended, the second not begun


def _url(student, term=""):
    return reverse("diary:marks", kwargs={"student_id": student.pk}) + (f"?term={term}" if term else "")


@pytest.fixture
def marks(world, login_as):
    """The week of lessons, and `page(term="")`: the guardian's marks page (asserting a 200), read twice to
    make sure the second comes from the cache and is the same."""
    data = week_of_lessons(world)
    client = login_as(world.guardian_user, Role.GUARDIAN)

    def page(term="", student=None) -> str:
        response = client.get(_url(student or world.student, term))
        assert response.status_code == 200
        return response.content.decode()

    with at(WED):
        first = page()
        assert _main(page()) == _main(first)
        yield data, page


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def _cached(kind: str) -> int:
    return sum(f"{CACHE_PREFIX}:{kind}:" in key for key in cache._cache)  # type: ignore[attr-defined]  # the test cache is the local-memory one


def test_an_unchanged_page_is_rendered_once_and_then_read_from_the_cache(world, marks):
    _data, page = marks
    assert (_cached("p"), _cached("c")) == (1, 1)
    html = page()
    assert (_cached("p"), _cached("c")) == (1, 1) and "Отметки за 1 четверть" in html


def test_a_mark_given_changed_and_deleted_shows_at_once(world, marks):
    data, page = marks
    day, actor = data.days[WED][1], teacher(world)
    given = mark_set(lesson=day, student=world.student, value=2, comment="Повторить дроби", actor=actor)
    html = page()
    assert "Повторить дроби" in html and 'v2">2</span>' in html
    changed = mark_set(lesson=day, student=world.student, value=3, comment="Исправил дроби", mark=given,
                       expected_version=given.version, actor=actor)  # fmt: skip
    html = page()
    assert "Исправил дроби" in html and "Повторить дроби" not in html and 'v2">2</span>' not in html
    mark_delete(mark=Mark.objects.get(pk=changed.pk), expected_version=changed.version, reason="ошибка", actor=actor)
    assert "Исправил дроби" not in page()


def test_a_mark_changed_straight_in_the_table_shows_at_once(world, marks):
    _data, page = marks
    Mark.objects.filter(student=world.student, comment="Молодец").update(comment="Отлично")  # as an import would
    html = page()
    assert "Отлично" in html and "Молодец" not in html


def test_a_term_mark_set_and_changed_shows_at_once_on_the_term_and_the_year(world, marks):
    data, page = marks
    html = page()
    assert 'class="diary-period">5<' not in html
    term = world.school.terms.get(number=1)
    given = period_mark_set(assignment=data.maths, student=world.student, value="5", term=term, actor=teacher(world))
    assert 'class="diary-period">5<' in page()
    assert 'class="diary-period">5<' in page("year")
    period_mark_set(assignment=data.maths, student=world.student, value="4", term=term,
                    expected_version=given.version, actor=teacher(world))  # fmt: skip
    html = page()
    assert 'class="diary-period">4<' in html and 'class="diary-period">5<' not in html
    assert 'class="diary-period">4<' in page("year")


def test_year_marks_of_every_kind_show_at_once_on_the_year(world, marks):
    _data, page = marks
    assert page("year").count('class="diary-period">—<') > 0
    final = term_mark(world, world.student, subject("Математика"), None, "5")  # «final», as the year's entry
    assert 'class="diary-period">5<' in page("year")
    for kind in (PeriodKind.YEAR, PeriodKind.EXAM):
        PeriodMark.objects.create(school=final.school, year=final.year, student=world.student,
                                  school_class=final.school_class, subject=final.subject, kind=kind, value="4",
                                  confirmed_by=world.teacher, confirmed_at=final.confirmed_at)  # fmt: skip
    assert page("year").count('class="diary-period">4<') == 2
    PeriodMark.objects.filter(pk=final.pk).update(value="3")  # straight in the table
    html = page("year")
    assert 'class="diary-period">3<' in html and 'class="diary-period">5<' not in html


def test_an_approved_correction_shows_at_once(world, login_as):
    maths = assignment(world, cls=world.cls, teacher=world.cls.class_teacher)
    day = lesson(world, maths, MON, 1)
    with at(MON):
        late = mark_set(lesson=day, student=world.student, value=2, actor=teacher(world))
    client = login_as(world.guardian_user, Role.GUARDIAN)
    with at(MON + dt.timedelta(days=7)):
        assert 'v2">2</span>' in client.get(_url(world.student)).content.decode()
        request = correction_request_file(
            kind=CorrectionKind.MARK, lesson=day, student=world.student, reason="ошибка при вводе: в тетради «5»",
            proposed=mark_proposal(mark=late, value=5, work_type=late.work_type), actor=teacher(world),
        )  # fmt: skip
        correction_request_approve(request=request, actor=deputy(world))
        mark_set(lesson=day, student=world.student, value=5, mark=late, expected_version=late.version,
                 correction=request, actor=teacher(world))  # fmt: skip
        html = client.get(_url(world.student)).content.decode()
    assert 'v5">5</span>' in html and 'v2">2</span>' not in html


def test_a_transfer_to_another_class_shows_at_once(world, marks):
    _data, page = marks
    assignment(world, cls=world.other_cls, teacher=world.other_teacher, name="Физика")
    html = page()
    assert ">Физика</th>" not in html and 'Максим <span class="diary-class">5 «А»' in html.replace("\n", " ")
    student_transfer(student=world.student, school_class=world.other_cls, on_date=WED, actor=director(world))
    html = page()
    assert ">Физика</th>" in html  # the subjects of the new class, and its label on the child's tab
    tabs = html.split('class="diary-children"')[1].split("</nav>")[0].replace("\n", " ")
    assert f'Максим <span class="diary-class">{world.other_cls}</span>' in tabs


def test_a_closed_and_reopened_term_shows_at_once(world, login_as):
    week_of_lessons(world)
    client = login_as(world.guardian_user, Role.GUARDIAN)
    term = world.school.terms.get(number=1)
    with at(AFTER_TERM):
        assert "закрыт" not in client.get(_url(world.student)).content.decode()
        closure = term_close(term=term, school_class=world.cls, actor=deputy(world))
        assert "Период «1 четверть» закрыт" in client.get(_url(world.student)).content.decode()
        term_reopen(closure=closure, reason="исправить отметки", actor=deputy(world))
        assert "закрыт" not in client.get(_url(world.student)).content.decode()
        TermClosure.objects.create(school=world.school, term=term, closed_by=world.deputy_head)  # the whole school
        assert "Период «1 четверть» закрыт" in client.get(_url(world.student)).content.decode()


def test_the_cached_content_is_the_childs_own_and_the_page_the_users_own(world, marks, login_as):
    _data, page = marks
    week_of_lessons(world, cls=world.other_cls, student=world.sibling)
    sibling = page(student=world.sibling)
    assert "Орлова Анна Андреевна" in sibling and "Орлов Максим" not in sibling.split("<h1>")[1]
    with at(WED):
        own = login_as(world.student_user, Role.STUDENT).get(_url(world.student)).content.decode()
    assert "Отметки: Орлов Максим Андреевич" in own and 'class="diary-children"' not in own  # a student: no tabs
    assert _cached("c") == 2 and _cached("p") == 3  # the student's content shared by the guardian and the student


def test_a_warmed_content_is_served_without_rendering_it_again(world, login_as, django_assert_num_queries):
    week_of_lessons(world)
    client = login_as(world.guardian_user, Role.GUARDIAN)
    with at(WED):
        client.get(_url(world.student, "year"))  # the session remembers the child; the connection knows the fingerprint
        assert warm(world.student.pk) is True and warm(world.student.pk) is False
        base = request_queries(client)
        # The fingerprint, the children for the tabs, the fingerprint again before the page is kept; no query of the
        # content.
        with django_assert_num_queries(base + HIT_QUERIES + 2):
            html = client.get(_url(world.student)).content.decode()
    assert "Отметки за 1 четверть" in html


def test_a_foreign_or_unknown_term_is_a_404_and_nothing_is_cached(world, marks):
    _data, page = marks
    cache.clear()
    with pytest.raises(AssertionError):
        page(world.other_school.terms.get(number=1).pk)
    assert _cached("p") == _cached("c") == 0


HIT_QUERIES = 1  # the fingerprint, beyond those of any signed-in request
# A miss: the fingerprint; the student, terms, subjects, marks, period marks, the closure (the term's page only) and
# absences; the fingerprint again before the content is kept; the children for the tabs; the fingerprint before the
# page is kept.
MISS_QUERIES = {"": 11, "year": 10}


def _more(world, subjects: list[str], per_subject: int) -> None:
    """More subjects for the class, each with `per_subject` marked lessons in the first quarter."""
    for k, name in enumerate(subjects):
        a = assignment(world, cls=world.cls, teacher=world.cls.class_teacher, name=name)
        for n in range(per_subject):
            mark(world, lesson(world, a, MON + dt.timedelta(days=7 * (n + 1)), 3 + k), world.student, 4)


@pytest.mark.parametrize("term", ["", "year"])
def test_the_marks_pages_run_the_same_queries_whatever_the_subjects_and_marks(
    world, login_as, django_assert_num_queries, term
):
    week_of_lessons(world, per_day=1)
    client = login_as(world.guardian_user, Role.GUARDIAN)
    with at(WED):
        client.get(_url(world.student, world.school.terms.get(number=2).pk))  # the session remembers the child
        base = request_queries(client)
        counts = []
        for size in (0, 1):
            if size:
                _more(world, ["Физика", "История", "Биология", "Информатика"], per_subject=6)
                term_mark(world, world.student, subject("Физика"), world.school.terms.get(number=1), "4")
            cache.clear()
            client.get(_url(world.student, world.school.terms.get(number=2).pk))  # the session and access read again
            with django_assert_num_queries(base + MISS_QUERIES[term]):
                html = client.get(_url(world.student, term)).content.decode()
            with django_assert_num_queries(base + HIT_QUERIES):
                assert _main(client.get(_url(world.student, term)).content.decode()) == _main(html)
            counts.append(len(re.findall(r'<th scope="row">', html)))
    assert counts[1] >= counts[0] + 4  # the larger page has four more subjects


def test_diary_warm_fills_the_contents_of_the_families_signed_in_lately(world):
    from django.core.management import call_command

    week_of_lessons(world)
    world.guardian_user.last_login = dt.datetime(2026, 9, 8, 18, tzinfo=dt.UTC)
    world.guardian_user.save(update_fields=["last_login"])
    with at(WED):
        call_command("diary_warm", "--since-hours", "48", "--year")
        assert _cached("c") == 4  # the guardian's two children, the term and the year
        call_command("diary_warm", "--since-hours", "24")  # signed in 42 hours ago: nobody
    assert _cached("c") == 4


def test_the_marks_of_the_term_shown_follow_the_journal_whichever_term_it_is(world, login_as):
    """The fingerprint reads the marks of the term shown: the one asked, or the one running today, or in the
    holidays the latest begun; a mark of that term shows at once on each."""
    maths = assignment(world, cls=world.cls, teacher=world.cls.class_teacher)
    autumn, winter = lesson(world, maths, dt.date(2026, 10, 20), 1), lesson(world, maths, dt.date(2026, 11, 10), 1)
    second = world.school.terms.get(number=2)
    client = login_as(world.guardian_user, Role.GUARDIAN)

    def shows(comment: str, term="") -> bool:
        response = client.get(_url(world.student, term))
        assert response.status_code == 200
        return comment in response.content.decode()

    with at(AFTER_TERM):  # the holidays: the first quarter is the latest begun
        assert not shows("Осенняя") and not shows("Зимняя", second.pk)
        mark(world, autumn, world.student, 4, comment="Осенняя")
        mark(world, winter, world.student, 5, comment="Зимняя")
        assert shows("Осенняя") and not shows("Зимняя")
        assert shows("Зимняя", second.pk) and not shows("Осенняя", second.pk)
        Mark.objects.filter(comment="Зимняя").update(comment="Декабрьская")
        assert shows("Декабрьская", second.pk)
    with at(dt.date(2026, 11, 12)):  # the second quarter running
        client = login_as(world.guardian_user, Role.GUARDIAN)  # a new session: the first one has expired
        assert shows("Декабрьская")
        Mark.objects.filter(comment="Декабрьская").update(comment="Ноябрьская")
        assert shows("Ноябрьская") and not shows("Ноябрьская", world.school.terms.get(number=1).pk)
