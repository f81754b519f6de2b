"""Readable logins and one-time passwords for credential slips.

Pure functions: no database access; `services.credentials_issue` checks that
a login is free and writes it.
"""

from __future__ import annotations

import secrets

from django.conf import settings

# Russian → Latin, close to the passport rules but friendlier to type (й → y, ю → yu, я → ya).
_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip

# No 0/O/o, 1/l/I/i: a parent copies the password from paper.
LOWER = "abcdefghjkmnpqrstuvwxyz"
UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
DIGITS = "23456789"
LOGIN_SURNAME_MAX = 20


def transliterate(text: str) -> str:
    """Lower-case Latin letters for `text`; anything else (spaces, hyphens, signs) is dropped."""
    out = []
    for ch in text.lower():
        if ch in _TRANSLIT:
            out.append(_TRANSLIT[ch])
        elif "a" <= ch <= "z":
            out.append(ch)
    return "".join(out)


def login_stem(last_name: str, first_name: str = "", middle_name: str = "") -> str:
    """`ivanovsp` for Иванов Сергей Петрович; `user` when nothing transliterates."""
    surname = transliterate(last_name)[:LOGIN_SURNAME_MAX]
    initials = "".join(transliterate(name)[:1] for name in (first_name, middle_name) if name)
    return (surname + initials) or "user"


def login_candidates(stem: str, *, tries_per_width: int = 12):
    """Yield `stem` plus random digits, two digits first, widening when the short ones are taken."""
    for width in range(2, 8):
        for _ in range(tries_per_width):
            yield f"{stem}{secrets.randbelow(10**width):0{width}d}"


def password_generate(length: int | None = None) -> str:
    """A random password from unambiguous characters, with a lower, an upper case letter and a digit."""
    length = max(10, length or settings.CREDENTIALS_PASSWORD_LENGTH)
    alphabet = LOWER + UPPER + DIGITS
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(length))
        if all(any(ch in group for ch in password) for group in (LOWER, UPPER, DIGITS)):
            return password
