"""Columns, header matching and the cell parsers every kind of file may use.

A parser takes the cell text and returns the value or raises `CellError` with
a Russian message; empty optional cells never reach a parser.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from .readers import ImportFileError


class CellError(ValueError):
    """A cell's value is unusable; the message is for the user."""


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the header of the downloadable template
    synonyms: tuple[str, ...] = ()
    required: bool = False

    def names(self) -> set[str]:
        return {header_key(n) for n in (self.label, *self.synonyms)}


def header_key(text: str) -> str:
    """Compare headers ignoring case, spaces, punctuation and ё/е: «Дата  рождения.» == «дата рождения»."""
    return re.sub(r"[^0-9a-zа-я]", "", text.lower().replace("ё", "е"))


def match_headers(columns: tuple[Column, ...], headers: list[str]) -> dict[str, int]:
    """Map column keys to their position in the file; refuse a file without a required column."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = header_key(header)
        for column in columns:
            if key and column.key not in found and key in column.names():
                found[column.key] = index
                break
    missing = [c.label for c in columns if c.required and c.key not in found]
    if missing:
        raise ImportFileError(
            _("В файле нет обязательных столбцов: %(missing)s. Найдены столбцы: %(found)s.")
            % {"missing": ", ".join(missing), "found": ", ".join(h for h in headers if h) or "—"}
        )
    return found


# --- parsers ----------------------------------------------------------------------

NAME_MAX = 150
DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
EARLIEST_BIRTH = dt.date(1900, 1, 1)


def text(value: str, max_length: int = NAME_MAX) -> str:
    if len(value) > max_length:
        raise CellError(_("Слишком длинное значение: не более %(max)s знаков.") % {"max": max_length})
    return value


def date(value: str) -> dt.date:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise CellError(_("«%(value)s» — не дата; ожидается ДД.ММ.ГГГГ, например 01.09.2026.") % {"value": value})


def birth_date(value: str) -> dt.date:
    for fmt in DATE_FORMATS:
        try:
            date = dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if not EARLIEST_BIRTH <= date < dt.date.today():
            raise CellError(_("Дата %(date)s вне допустимого диапазона.") % {"date": date.strftime("%d.%m.%Y")})
        return date
    raise CellError(_("«%(value)s» — не дата; ожидается ДД.ММ.ГГГГ, например 01.09.2015.") % {"value": value})


# Latin letters that look Cyrillic in class names typed on a Latin keyboard.
LOOKALIKES = str.maketrans("ABEKMHOPCTXY", "АВЕКМНОРСТХУ")
CLASS_RE = re.compile(r"^(\d{1,2})\s*[-\s«\"'“„]*\s*([A-ZА-ЯЁ]{1,3})[»\"'”]?$")


def letter(value: str) -> str:
    result = value.strip(" «»\"'").upper().translate(LOOKALIKES)
    if not re.fullmatch(r"[А-ЯЁ0-9]{1,8}", result):
        raise CellError(_("Литера класса — буква, например «А»."))
    return result


def grade(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 11:
        raise CellError(_("Параллель — число от 1 до 11, а не «%(value)s».") % {"value": value})
    return int(value)


def class_name(value: str) -> tuple[int, str]:
    """Parse «5А», «5 А», «5-А», «5 «А»» into (grade, letter)."""
    match = CLASS_RE.match(value.upper())
    if not match:
        raise CellError(_("«%(value)s» — не класс; ожидается, например, 5А.") % {"value": value})
    return grade(match.group(1)), letter(match.group(2))


def shift(value: str) -> int:
    if value not in {"1", "2"}:
        raise CellError(_("Смена — 1 или 2."))
    return int(value)


def phone(value: str) -> str:
    """Normalise a Russian phone number to +7XXXXXXXXXX."""
    digits = re.sub(r"\D", "", value)
    if len(digits) == 10:
        digits = "7" + digits
    if len(digits) == 11 and digits[0] in "78":
        return "+7" + digits[1:]
    raise CellError(_("«%(value)s» — не номер телефона; ожидается, например, +7 918 123-45-67.") % {"value": value})


def email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise CellError(_("«%(value)s» — не адрес электронной почты.") % {"value": value}) from None
    return value.lower()


def full_name(value: str) -> tuple[str, str, str]:
    """Split «Фамилия Имя Отчество» (the patronymic may be missing or have two words)."""
    parts = value.split()
    if len(parts) < 2:
        raise CellError(_("Укажите фамилию и имя полностью, например «Иванова Мария Петровна»."))
    last, first, middle = parts[0], parts[1], " ".join(parts[2:])
    return text(last), text(first), text(middle)


YES = {"да", "д", "yes", "1", "+", "п"}
NO = {"нет", "н", "no", "0", "-", ""}


def yes_no(value: str) -> bool:
    key = value.strip().lower().rstrip(".")
    if key in YES:
        return True
    if key in NO:
        return False
    raise CellError(_("Укажите «да» или «нет»."))


def person_key(last: str, first: str, middle: str) -> tuple[str, str, str]:
    """Fold names ignoring case and ё/е: to *suggest* that two are alike, never to decide they are one person."""
    last, first, middle = (p.lower().replace("ё", "е") for p in (last, first, middle))
    return last, first, middle


def exact_person(last: str, first: str, middle: str) -> tuple[str, str, str]:
    """Names as identity compares them: repeated spaces collapsed, nothing folded (ё is not е, case counts)."""
    last, first, middle = (" ".join(p.split()) for p in (last, first, middle))
    return last, first, middle


def name_key(value: str) -> str:
    """Compare names of things (subjects, subgroups) ignoring case, ё/е and repeated spaces."""
    return " ".join(value.lower().replace("ё", "е").split())
