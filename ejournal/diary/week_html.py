"""The week page's content as HTML, built in Python: rendered on every change of a week, where the template
engine cost more than the reads.

Every value from the database goes through `escape` (or `format_html`); the markup, CSS classes, aria
attributes and texts are those of the diary's templates (`diary/partials/header.html`, `mark.html`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.template.defaultfilters import filesizeformat, linebreaksbr, truncatewords
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

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


def content_html(page: WeekContent, days: list[WeekDay], token_input: str) -> str:
    """The content of the week page (tabs, menu, heading, week switch, acknowledgements, days)."""
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
    parts.extend(_day(day, page.today, student.id) for day in days)
    return "\n".join(parts) + "\n"


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


def _day(day: WeekDay, today: dt.date, student_id: int) -> str:
    is_today = day.date == today
    badge = format_html(' <span class="badge">{}</span>', _("сегодня")) if is_today else ""
    out = [format_html(
        '<section class="diary-day{}" aria-labelledby="{}">\n<h2 id="{}">{}{}</h2>',
        " is-today" if is_today else "", day.anchor, day.anchor, day.heading, badge,
    )]  # fmt: skip
    if day.lessons:
        out.append(format_html(
            '<table class="diary-lessons">\n<caption class="visually-hidden">{}</caption>\n'
            '<thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead>\n<tbody>',
            day.caption, _("Урок"), _("Предмет, тема, задание"), _("Отметки"),
        ))  # fmt: skip
        out.extend(_lesson(lesson, day.date, student_id) for lesson in day.lessons)
        out.append("</tbody>\n</table>")
    else:
        out.append(format_html('<p class="muted">{}</p>', _("Уроков нет.")))
    if day.due:
        items = "".join(
            format_html("<li><strong>{}:</strong> {}</li>", hw.subject, truncatewords(hw.text, 40)) for hw in day.due
        )
        out.append(format_html('<div class="diary-due"><h3>{}</h3><ul>', _("Задано на этот день")) + items)
        out.append("</ul></div>")
    out.append("</section>")
    return "\n".join(out)


def _lesson(lesson: WeekLesson, day: dt.date, student_id: int) -> str:
    off = ' class="is-off"' if lesson.is_cancelled or lesson.is_moved else ""
    time = format_html('<span class="diary-time">{}</span>', lesson.time) if lesson.time else ""
    out = [
        f'<tr{off}>\n<th scope="row"><span class="diary-num">{lesson.number}</span>{time}</th>\n<td>',
        format_html('<strong class="diary-subject">{}</strong>', lesson.subject),
    ]
    out.extend(format_html('<span class="{}">{}</span>', css, text) for css, text in lesson.badges)
    out.append(format_html('<div class="diary-teacher">{}</div>', lesson.who))
    if lesson.change_note:
        out.append(format_html('<div class="diary-note">{}</div>', lesson.change_note))
    if lesson.topic:
        out.append(format_html('<div><span class="diary-label">{}</span> {}</div>', _("Тема:"), lesson.topic))
    if lesson.homework_text is not None:
        out.append(format_html(
            '<div class="diary-hw"><span class="diary-label">{}</span> {}',
            lesson.homework_label, linebreaksbr(lesson.homework_text, autoescape=True),
        ))  # fmt: skip
        if lesson.files:
            files = "".join(format_html(
                '<li><a href="{}">{}</a> <span class="muted">({})</span></li>',
                reverse("diary:attachment", args=[student_id, f.pk]), f.name, filesizeformat(f.size),
            ) for f in lesson.files)  # fmt: skip
            out.append(f'<ul class="diary-files">{files}</ul>')
        out.append("</div>")
    out.append('</td>\n<td class="diary-marks">')
    out.extend(mark_html(mark, day) for mark in lesson.marks)
    if lesson.attendance:
        out.append(format_html('<span class="diary-att">{}</span>', lesson.attendance))
    out.append("</td>\n</tr>")
    return "\n".join(out)


def mark_html(mark: WeekMark, day: dt.date) -> str:
    """diary/partials/mark.html."""
    weight = weight_text(mark.weight)
    times = f" ×{weight}" if mark.weight != 1 else ""
    comment = ""
    if mark.comment:
        comment = format_html("\n<dt>{}</dt><dd>{}</dd>", _("Комментарий"), mark.comment)
    return format_html(
        '<details class="diary-mark">\n<summary><span class="diary-mark-value v{}">{}</span> '
        '<span class="diary-mark-kind">{}{}</span></summary>\n<dl class="diary-mark-info">\n'
        "<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>{}\n</dl>\n</details>",
        mark.value or "s", mark.display, mark.name, times,
        _("Дата"), f"{day:%d.%m.%Y}", _("Вид работы"), mark.name, _("Вес"), weight, comment,
    )  # fmt: skip
