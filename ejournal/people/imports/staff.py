"""Staff: user accounts (no password yet: credentials are issued later) and their appointments."""

from __future__ import annotations

from functools import cached_property

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ejournal.accounts.models import User
from ejournal.core.imports import fields as f
from ejournal.core.imports.base import Importer, Row
from ejournal.core.imports.fields import person_key
from ejournal.people.models import RoleAssignment

from . import fields as pf

NAME = f.Column("full_name", "ФИО", ("Фамилия Имя Отчество", "Сотрудник", "ФИО сотрудника"), required=True)
POSITION = f.Column("position", "Должность")
ROLE = f.Column("role", "Роль", ("Роль в системе",), required=True)
EMAIL = f.Column("email", "E-mail", ("Email", "Эл. почта", "Электронная почта", "Почта"))
PHONE = f.Column("phone", "Телефон", ("Моб. телефон", "Мобильный телефон", "Тел."))

TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
        "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
        "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
        "ь": "", "э": "e", "ю": "yu", "я": "ya",
    }
)  # fmt: skip


class StaffImporter(Importer):
    kind = "staff"
    title = gettext_lazy("Сотрудники")
    columns = (NAME, POSITION, ROLE, EMAIL, PHONE)
    examples = (
        {"full_name": "Попова Елена Сергеевна", "position": "учитель математики", "role": "учитель",
         "email": "popova@example.ru", "phone": "8 918 555-11-22"},
        {"full_name": "Смирнова Ольга Викторовна", "position": "заместитель директора по УВР",
         "role": "заместитель директора", "email": "smirnova@example.ru", "phone": ""},
    )  # fmt: skip

    def __init__(self, ctx):
        super().__init__(ctx)
        self.new_users: list[User] = []
        self.changed_users: dict[int, User] = {}
        self.new_posts: list[RoleAssignment] = []
        self.changed_posts: dict[int, RoleAssignment] = {}
        self.seen: dict[tuple, int] = {}
        self.seen_users: set[int] = set()
        self.users_by_email: dict[str, list[User]] = {}

    @cached_property
    def open_posts(self) -> dict[tuple[int, str], RoleAssignment]:
        posts = RoleAssignment.objects.filter(school=self.ctx.school, ends_on__isnull=True)
        return {(p.user_id, p.role): p for p in posts}

    def check(self, row: Row) -> None:
        name = row.value(NAME.key, f.full_name, required=True)
        position = row.value(POSITION.key, lambda v: f.text(v, 255)) or ""
        role = row.value(ROLE.key, pf.staff_role, required=True)
        email = row.value(EMAIL.key, f.email) or ""
        phone = row.value(PHONE.key, f.phone) or ""
        if not row.ok:
            return
        key = (*person_key(*name), email, role)
        if key in self.seen:
            row.error(NAME.key, _("Повтор: этот сотрудник уже есть в строке %(row)s.") % {"row": self.seen[key]})
            return
        self.seen[key] = row.number
        values = {"last_name": name[0], "first_name": name[1], "middle_name": name[2]}
        values.update({k: v for k, v in (("email", email), ("phone", phone)) if v})
        user = self._user(values, email)
        post = self.open_posts.get((user.pk, role)) if user.pk else None
        if post is None:
            post = RoleAssignment(
                user=user, role=role, school=self.ctx.school, position=position, starts_on=self.ctx.today
            )
            self.new_posts.append(post)
            self.count("appointments", "created")
        else:
            self.merge("appointments", post, {"position": position}, self.changed_posts)

    def _user(self, values: dict, email: str) -> User:
        """Match by full name and e-mail, or by full name among the school's staff; else a new account."""
        person = person_key(values["last_name"], values["first_name"], values["middle_name"])
        planned = next((u for u in self.new_users if _person(u) == person and u.email == email), None)
        if planned is not None:
            return planned
        same = [u for u in self._users_with(email) if _person(u) == person] if email else []
        # A colleague already on the staff without an e-mail (or with this one) is the same person.
        matches = same or [u for u in self.ctx.staff_users if _person(u) == person and u.email.lower() in ("", email)]
        if not matches:
            user = User(username="", **values)
            user.set_unusable_password()
            self.new_users.append(user)
            self.count("staff", "created")
            return user
        user = matches[0]
        if user.pk in self.seen_users:
            return user
        self.seen_users.add(user.pk)
        self.merge("staff", user, values, self.changed_users)
        return user

    def _users_with(self, email: str) -> list[User]:
        # One query per distinct e-mail: staff files are short, and users of the whole city are many.
        if email not in self.users_by_email:
            self.users_by_email[email] = list(User.objects.filter(email__iexact=email))
        return self.users_by_email[email]

    def save(self, *, actor=None) -> None:
        self._usernames()
        User.objects.bulk_create(self.new_users)
        User.objects.bulk_update(
            self.changed_users.values(), ["last_name", "first_name", "middle_name", "email", "phone"]
        )
        RoleAssignment.objects.bulk_create(self.new_posts)
        RoleAssignment.objects.bulk_update(self.changed_posts.values(), ["position"])

    def _usernames(self) -> None:
        """Logins like «popova.es», numbered on a clash: «popova.es2»."""
        bases = [(u, _login_base(u)) for u in self.new_users]
        query = Q()
        for base in {base for _user, base in bases}:
            query |= Q(username__startswith=base)
        taken = set(User.objects.filter(query).values_list("username", flat=True)) if bases else set()
        for user, base in bases:
            login, n = base, 1
            while login in taken:
                n += 1
                login = f"{base}{n}"
            user.username = login
            taken.add(login)


def _person(user: User) -> tuple[str, str, str]:
    return person_key(user.last_name, user.first_name, user.middle_name)


def _login_base(user: User) -> str:
    last = user.last_name.lower().translate(TRANSLIT)
    initials = "".join(p[:1].lower() for p in (user.first_name, user.middle_name) if p).translate(TRANSLIT)
    base = "".join(ch for ch in f"{last}.{initials}" if ch.isascii() and (ch.isalnum() or ch in ".-_"))
    return base.strip(".") or "staff"
