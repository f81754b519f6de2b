"""The Jinja2 fragments: Django's escaping and translations, and keys of rendered pages that follow the templates."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ejournal.core import templating
from ejournal.core.templating import digest_of, escape_text, render_fragment, templates_digest


@pytest.mark.parametrize("value", ["plain", '<b>"O\'Brien" & co</b>', 5, None, dt.date(2026, 9, 9), 1.5, True])
def test_a_value_is_escaped_as_djangos_templates_escape_it(value):
    assert escape_text(value) == escape(value)


def test_html_made_safe_is_printed_as_it_is():
    assert escape_text(mark_safe("<b>x</b>")) == "<b>x</b>"


def test_a_fragment_escapes_every_value_and_speaks_the_active_language(world):
    from ejournal.diary.week_html import Tab, header_html

    kids = [Tab(1, "<Анна>", "5 «А»"), Tab(2, "Борис", "")]
    with translation.override("ru"):
        russian = header_html(children=kids, student_id=1, section="marks")
    with translation.override("en"):
        english = header_html(children=kids, student_id=1, section="marks")
    assert "&lt;Анна&gt;" in russian and "<Анна>" not in russian
    assert ">Отметки</a>" in russian and ">Marks</a>" in english


def test_an_unknown_name_in_a_fragment_is_an_error():
    from jinja2 import UndefinedError

    with pytest.raises(UndefinedError):
        render_fragment("diary/partials/header.html")


def test_the_digest_changes_with_any_template_and_only_then(tmp_path):
    (tmp_path / "a").mkdir()
    page = tmp_path / "a" / "page.html"
    page.write_text("<p>{{ x }}</p>")
    first = digest_of(tmp_path)
    assert digest_of(tmp_path) == first
    page.write_text("<p>{{ x }} </p>")
    assert digest_of(tmp_path) != first
    page.write_text("<p>{{ x }}</p>")
    assert digest_of(tmp_path) == first
    (tmp_path / "a" / "other.html").write_text("")
    assert digest_of(tmp_path) != first


def test_changing_a_templates_content_changes_the_keys_of_rendered_pages(tmp_path):
    """The week's, its days', the marks pages' and the frame's keys hold the digest of every template of both
    engines, computed once per process: a deploy with a changed template never serves the old HTML."""
    from ejournal.diary import marks, views, week

    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[1] = {**templates[1], "DIRS": [str(tmp_path)]}
    fragment = tmp_path / "extra.html"
    keys = []
    for content in ("<p>1</p>", "<p>2</p>"):
        fragment.write_text(content)
        with override_settings(TEMPLATES=templates):
            templates_digest.cache_clear()
            views._frame_version.cache_clear()
            day = dt.date(2026, 9, 9)
            stamp = marks.Stamp(student="s", tabs="t", school_id=1)
            keys.append((templates_digest(), week._days_key(1, dt.date(2026, 9, 7), day, "f"),
                         marks._content_key(1, "", day, stamp), views._frame_version()))  # fmt: skip
    templates_digest.cache_clear()
    views._frame_version.cache_clear()
    assert all(before != after for before, after in zip(*keys, strict=True))


def _imports(path: Path) -> set[str]:
    """The modules of the diary a module imports (relative imports, by name)."""
    tree = ast.parse(path.read_text())
    return {f"{'.' * n.level}{n.module or ''}" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level}


def test_the_weeks_rendering_does_not_import_its_reads():
    """diary/week.py reads and caches the week and renders it by week_html.py, which imports only the values
    (week_values.py): no cycle between them."""
    diary = Path(templating.__file__).resolve().parent.parent / "diary"
    assert ".week" not in _imports(diary / "week_html.py")
    assert ".week" not in _imports(diary / "week_values.py") and ".week_html" not in _imports(diary / "week_values.py")
    assert ".week_html" in _imports(diary / "week.py")
