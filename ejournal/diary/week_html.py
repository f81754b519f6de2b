"""The week page's content as HTML, built in Python: rendered on every change of a week, where the template
engine cost more than the reads.

Every value from the database goes through `esc` (`html.escape`, as Django's `escape`) or `format_html`;
the markup, CSS classes, aria attributes and texts are those the diary's templates had (the shared
`diary/partials/header.html` and `mark.html` are still the marks and extract pages' own).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from html import escape as esc  # Django's `escape` without the lazy wrapper: the same text
from types import MappingProxyType
from typing import TYPE_CHECKING

from django.template.defaultfilters import filesizeformat, linebreaksbr, truncatewords
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ejournal.core.templatetags.ru_format import day_in_sentence

from .selectors import week_param
from .templatetags.diary_format import weight as weight_text

if TYPE_CHECKING:
    from .week import WeekDay, WeekLesson, WeekMark

CURRENT = mark_safe(' aria-current="page"')


@dataclass(frozen=True, slots=True)
class WeekChild:
    id: int
    school_id: int
    full_name: str
    first_name: str
    class_label: str  # «5 «А»», empty without a class
    school: str  # the school's short name


@dataclass(frozen=True, slots=True)
class WeekAck:
    guardian_user_id: int
    at: dt.datetime
    who: str  # the guardian's short name


@dataclass(frozen=True, slots=True)
class WeekContent:
    student: WeekChild
    children: list[WeekChild]
    monday: dt.date
    today: dt.date
    acks: list[WeekAck]
    can_acknowledge: bool
    me: int  # the acting user


def content_html(page: WeekContent, days: list[WeekDay], token_input: str, days_done: str | None = None) -> str:
    """The content of the week page (tabs, menu, heading, week switch, acknowledgements, days); `days_done`: the
    days' HTML made earlier (`days_html`), `days` then unused."""
    student = page.student
    parts = [_header(page), format_html("<h1>{}</h1>", _("Дневник: %(name)s") % {"name": student.full_name})]
    sub = escape(student.school)
    if student.class_label:
        sub += format_html(", {} {}", student.class_label, _("класс"))
    parts.append(f'<p class="diary-sub">{sub}</p>')
    parts.append(_weeknav(page))
    first, last = f"{page.monday:%d.%m.%Y}", f"{page.monday + dt.timedelta(days=6):%d.%m.%Y}"
    rng = _("Неделя %(first)s – %(last)s") % {"first": first, "last": last}
    parts.append(format_html('<p class="diary-range"><strong>{}</strong></p>', rng))
    parts.append(_acks(page, token_input))
    parts.append(days_html(days, page.today, student.id) if days_done is None else days_done)
    return "\n".join(parts) + "\n"


def days_html(days: list[WeekDay], today: dt.date, student_id: int) -> str:
    """The days of the week page: the same for every reader of the child's week (kept apart, `week.week_page`)."""
    t = texts()
    return "\n".join(_day(day, today, student_id, t) for day in days)


def _header(page: WeekContent) -> str:
    """diary/partials/header.html for the week section."""
    out = []
    sid = page.student.id
    if len(page.children) > 1:
        tabs = []
        for child in page.children:
            current = CURRENT if child.id == sid else ""
            label = escape(child.first_name)
            if child.class_label:
                label += format_html(' <span class="diary-class">{}</span>', child.class_label)
            tabs.append(f'<li><a href="{escape(reverse("diary:week", args=[child.id]))}"{current}>{label}</a></li>')
        out.append(f'<nav class="diary-children" aria-label="{escape(_("Дети"))}">\n  <ul>{"".join(tabs)}</ul>\n</nav>')
    links = [
        (reverse("diary:week", args=[sid]), _("Неделя"), True),
        (reverse("diary:marks", args=[sid]), _("Отметки"), False),
        (reverse("diary:extract", args=[sid]), _("Выписка"), False),
        (reverse("diary:feed_settings"), _("Календарь"), None),
    ]
    items = "".join(
        format_html('<li><a href="{}"{}>{}</a></li>', url, CURRENT if current else "", text)
        for url, text, current in links
    )
    out.append(f'<nav class="diary-sections" aria-label="{escape(_("Разделы дневника"))}">\n  <ul>{items}</ul>\n</nav>')
    return "\n".join(out)


def _weeknav(page: WeekContent) -> str:
    this_week = page.monday == page.today - dt.timedelta(days=page.today.weekday())
    return format_html(
        '<nav class="diary-weeknav" aria-label="{}">\n  <a href="?week={}" rel="prev">← {}</a>\n'
        '  <a href="{}"{}>{}</a>\n  <a href="?week={}" rel="next">{} →</a>\n</nav>',
        _("Недели"), week_param(page.monday - dt.timedelta(days=7)), _("Предыдущая"),
        reverse("diary:week", args=[page.student.id]), CURRENT if this_week else "", _("Сегодня"),
        week_param(page.monday + dt.timedelta(days=7)), _("Следующая"),
    )  # fmt: skip


def _when(at: dt.datetime) -> dict[str, str]:
    local = timezone.localtime(at) if timezone.is_aware(at) else at
    return {"day": f"{local:%d.%m.%Y}", "time": f"{local:%H:%M}"}


def _acks(page: WeekContent, token_input: str) -> str:
    """«Ознакомлен»: the actor's own acknowledgement, else the form; for students, who acknowledged."""
    out = []
    mine = next((a for a in page.acks if a.guardian_user_id == page.me), None)
    if mine:
        text = _("Вы ознакомлены с этой неделей %(day)s в %(time)s.") % _when(mine.at)
        out.append(format_html('<p class="diary-ack-done">✓ {}</p>', text))
    elif page.can_acknowledge and page.monday <= page.today - dt.timedelta(days=page.today.weekday()):
        out.append(format_html(
            '<form method="post" action="{}">{}\n<input type="hidden" name="week" value="{}">\n'
            '<button type="submit">{}</button>\n<span class="muted">{}</span>\n</form>',
            reverse("diary:acknowledge", args=[page.student.id]), token_input, week_param(page.monday),
            _("Ознакомлен"), _("Отметьте, что вы просмотрели неделю."),
        ))  # fmt: skip
    if not page.can_acknowledge:
        for ack in page.acks:
            text = _("%(who)s ознакомлен(а) с неделей %(day)s в %(time)s.") % {"who": ack.who, **_when(ack.at)}
            out.append(format_html('<p class="diary-ack-done">✓ {}</p>', text))
    return '<div class="diary-ack" id="ack">\n' + "\n".join(out) + "\n</div>"


def _dmy(day: dt.date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else ""


@functools.cache
def _texts(language: str | None) -> Mapping[str, str]:
    """The texts of the days in `language`, HTML-escaped: translated and escaped once per process and language,
    not per lesson (gettext and escaping were a third of a render). Those with %(…)s placeholders are filled with
    escaped values, which gives the escaped whole."""
    with translation.override(language):
        texts = {
            "today": _("сегодня"), "lesson": _("Урок"), "what": _("Предмет, тема, задание"), "marks": _("Отметки"),
            "none": _("Уроков нет."), "due": _("Задано на этот день"), "topic": _("Тема:"), "date": _("Дата"),
            "kind": _("Вид работы"), "weight": _("Вес"), "comment": _("Комментарий"), "cancelled": _("отменён"),
            "moved_to": _("перенесён на %(day)s, %(number)s урок"), "moved": _("перенесён"),
            "moved_from": _("перенесён с %(day)s"), "substitution": _("замена"),
            "instead": _("%(who)s (вместо %(instead)s)"), "room": _("каб. %(room)s"), "task": _("Задание к %(day)s:"),
            "caption": _("Уроки: %(day)s"),
        }  # fmt: skip
    return MappingProxyType({key: esc(text) for key, text in texts.items()})  # shared: read-only


def texts() -> Mapping[str, str]:
    """The days' texts in the active language, escaped (`_texts`)."""
    return _texts(translation.get_language())


@functools.lru_cache(maxsize=4096)
def _day_title(day: dt.date, language: str | None) -> tuple[str, str]:
    """«Среда, 18.11.2026» escaped for the heading, and «среда, 18.11.2026» escaped for the caption."""
    with translation.override(language):
        sentence = day_in_sentence(day)
    return esc(capfirst(sentence)), esc(sentence)


def _badges(lesson: WeekLesson, t: Mapping[str, str]) -> list[tuple[str, str]]:
    """(CSS class, escaped text) of the lesson's changes: cancelled, moved (to, from), substituted."""
    out = []
    if lesson.is_cancelled:
        out.append(("badge warn", t["cancelled"]))
    if lesson.is_moved and lesson.moved_to:
        day, number = lesson.moved_to
        out.append(("badge warn", t["moved_to"] % {"day": f"{day:%d.%m.%Y}", "number": number}))
    elif lesson.is_moved:
        out.append(("badge warn", t["moved"]))
    if lesson.moved_from:
        out.append(("badge", t["moved_from"] % {"day": f"{lesson.moved_from:%d.%m.%Y}"}))
    if lesson.substitute:
        out.append(("badge", t["substitution"]))
    return out


def _who(lesson: WeekLesson, t: Mapping[str, str]) -> str:
    """The teacher (or «substitute (вместо teacher)») and the room, escaped."""
    if lesson.substitute:
        who = t["instead"] % {"who": esc(lesson.substitute), "instead": esc(lesson.teacher_short)}
    else:
        who = esc(lesson.teacher)
    return f"{who}, {t['room'] % {'room': esc(lesson.room)}}" if lesson.room else who


def _day(day: WeekDay, today: dt.date, student_id: int, t: Mapping[str, str]) -> str:
    is_today = day.date == today
    title, sentence = _day_title(day.date, translation.get_language())
    badge = f' <span class="badge">{t["today"]}</span>' if is_today else ""
    out = [
        f'<section class="diary-day{" is-today" if is_today else ""}" aria-labelledby="{day.anchor}">\n'
        f'<h2 id="{day.anchor}">{title}{badge}</h2>'
    ]
    if day.lessons:
        out.append(
            f'<table class="diary-lessons">\n<caption class="visually-hidden">{t["caption"] % {"day": sentence}}</caption>\n'
            f'<thead><tr><th scope="col">{t["lesson"]}</th><th scope="col">{t["what"]}</th>'
            f'<th scope="col">{t["marks"]}</th></tr></thead>\n<tbody>'
        )
        out.extend(_lesson(lesson, day.date, student_id, t) for lesson in day.lessons)
        out.append("</tbody>\n</table>")
    else:
        out.append(f'<p class="muted">{t["none"]}</p>')
    if day.due:
        items = "".join(
            f"<li><strong>{esc(hw.subject)}:</strong> {esc(truncatewords(hw.text, 40))}</li>" for hw in day.due
        )
        out.append(f'<div class="diary-due"><h3>{t["due"]}</h3><ul>{items}</ul></div>')
    out.append("</section>")
    return "\n".join(out)


def _lesson(lesson: WeekLesson, day: dt.date, student_id: int, t: Mapping[str, str]) -> str:
    off = ' class="is-off"' if lesson.is_cancelled or lesson.is_moved else ""
    time = f'<span class="diary-time">{esc(lesson.time)}</span>' if lesson.time else ""
    out = [
        f'<tr{off}>\n<th scope="row"><span class="diary-num">{lesson.number}</span>{time}</th>\n<td>',
        f'<strong class="diary-subject">{esc(lesson.subject)}</strong>',
    ]
    out.extend(f'<span class="{css}">{text}</span>' for css, text in _badges(lesson, t))
    out.append(f'<div class="diary-teacher">{_who(lesson, t)}</div>')
    if lesson.change_note:
        out.append(f'<div class="diary-note">{esc(lesson.change_note)}</div>')
    if lesson.topic:
        out.append(f'<div><span class="diary-label">{t["topic"]}</span> {esc(lesson.topic)}</div>')
    if lesson.homework_text is not None:
        text = linebreaksbr(lesson.homework_text, autoescape=True)
        out.append(
            f'<div class="diary-hw"><span class="diary-label">{t["task"] % {"day": _dmy(lesson.homework_due)}}</span> {text}'
        )
        if lesson.files:
            files = "".join(
                f'<li><a href="{esc(reverse("diary:attachment", args=[student_id, f.pk]))}">{esc(f.name)}</a> '
                f'<span class="muted">({esc(filesizeformat(f.size))})</span></li>'
                for f in lesson.files
            )
            out.append(f'<ul class="diary-files">{files}</ul>')
        out.append("</div>")
    out.append('</td>\n<td class="diary-marks">')
    out.extend(mark_html(mark, day, t) for mark in lesson.marks)
    if lesson.attendance:
        out.append(f'<span class="diary-att">{esc(lesson.attendance)}</span>')
    out.append("</td>\n</tr>")
    return "\n".join(out)


@functools.lru_cache(maxsize=256)
def _weight(weight: Decimal, language: str | None) -> str:
    """A weight as shown (escaped), in `language`'s number format."""
    with translation.override(language):
        return esc(weight_text(weight))


def mark_html(mark: WeekMark, day: dt.date, t: Mapping[str, str]) -> str:
    """diary/partials/mark.html (`t`: the escaped texts of `texts()`)."""
    weight = _weight(mark.weight, translation.get_language())
    times = f" ×{weight}" if mark.weight != 1 else ""
    name = esc(mark.name)
    comment = f"\n<dt>{t['comment']}</dt><dd>{esc(mark.comment)}</dd>" if mark.comment else ""
    return (
        f'<details class="diary-mark">\n<summary><span class="diary-mark-value v{esc(str(mark.value or "s"))}">'
        f'{esc(mark.display)}</span> <span class="diary-mark-kind">{name}{times}</span></summary>\n'
        f'<dl class="diary-mark-info">\n<dt>{t["date"]}</dt><dd>{day:%d.%m.%Y}</dd>\n'
        f"<dt>{t['kind']}</dt><dd>{name}</dd>\n<dt>{t['weight']}</dt><dd>{weight}</dd>{comment}\n</dl>\n</details>"
    )
