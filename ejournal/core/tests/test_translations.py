"""The translation catalogs: complete, up to date with the code, and used by the pages.

Russian msgids are shown as they are, so the Russian catalog only needs the
three plural forms; the English catalog must translate every entry. A string
added to the code without running `make messages` fails
`test_english_catalog_covers_every_string_in_the_code`.
"""

import ast
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

SOURCE = Path(settings.BASE_DIR) / "ejournal"
LOCALE = SOURCE / "locale"
IGNORE = ["tests/*", "*/tests/*"]
RU_PLURALS = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
CYRILLIC = re.compile("[А-Яа-яЁё]")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple:
        return (self.msgctxt, self.msgid, self.msgid_plural)


def read_po(path: Path) -> list[Entry]:
    """Parse a .po file; the header (empty msgid) and obsolete entries are left out."""
    entries, entry, target = [], Entry(), None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if line.startswith("#~"):
            entry.obsolete = True
            continue
        if not line:
            if target is not None:
                entries.append(entry)
            entry, target = Entry(), None
            continue
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            assert target is not None  # a continued string follows its keyword
            target(ast.literal_eval(line))
            continue
        keyword, value = line.split(" ", 1)
        target = _setter(entry, keyword)
        target(ast.literal_eval(value))
    return [e for e in entries if e.msgid and not e.obsolete]


def _setter(entry: Entry, keyword: str):
    def append(text: str) -> None:
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            entry.msgstr[index] = entry.msgstr.get(index, "") + text
        else:
            setattr(entry, keyword, (getattr(entry, keyword) or "") + text)

    return append


def catalog(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def header(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n\n", 1)[0]


# --- (a) the committed catalogs are complete ---------------------------------


def test_english_catalog_translates_every_entry_without_fuzzy_flags():
    entries = read_po(catalog("en"))
    assert len(entries) > 100
    untranslated = [e.msgid for e in entries if not all(e.msgstr.values()) or not e.msgstr]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    short = [e.msgid for e in entries if e.msgid_plural and len(e.msgstr) != 2]
    assert not untranslated, f"untranslated in en: {untranslated}"
    assert not fuzzy, f"fuzzy in en: {fuzzy}"
    assert not short, f"en plural entries need 2 forms: {short}"
    assert "nplurals=2; plural=(n != 1);" in header(catalog("en"))


def test_russian_catalog_gives_three_forms_for_every_plural_entry():
    assert RU_PLURALS in header(catalog("ru")).replace('"\n"', "")
    plurals = [e for e in read_po(catalog("ru")) if e.msgid_plural]
    assert plurals
    incomplete = [e.msgid for e in plurals if sorted(e.msgstr) != [0, 1, 2] or not all(e.msgstr.values())]
    assert not incomplete, f"ru plural entries need 3 non-empty forms: {incomplete}"
    assert not [e.msgid for e in read_po(catalog("ru")) if "fuzzy" in e.flags]


def test_translations_keep_the_placeholders():
    placeholder = re.compile(r"%\(\w+\)[sd]|%%")
    wrong = []
    for language in ("en", "ru"):
        for e in read_po(catalog(language)):
            expected = set(placeholder.findall(e.msgid + (e.msgid_plural or "")))
            for text in e.msgstr.values():
                if text and not set(placeholder.findall(text)) <= expected:
                    wrong.append((language, e.msgid, text))
    assert not wrong


# --- (b) the catalogs are up to date with the code ---------------------------


@pytest.fixture
def fresh_english_catalog(tmp_path, settings, monkeypatch):
    """Run makemessages for `en` on a copy of the source, leaving the tree untouched."""
    if not shutil.which("xgettext"):
        if os.environ.get("REQUIRE_GETTEXT") == "1":
            pytest.fail("xgettext is missing, and REQUIRE_GETTEXT=1 forbids skipping")
        pytest.skip("gettext is not installed")
    source = tmp_path / "ejournal"
    junk = shutil.ignore_patterns("__pycache__", "*.pyc", "static", "*.mo", "*.sqlite3")
    shutil.copytree(SOURCE, source, ignore=junk)
    settings.LOCALE_PATHS = [source / "locale"]
    monkeypatch.chdir(source)
    call_command("makemessages", locale=["en"], ignore_patterns=IGNORE, verbosity=0)
    return source / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_english_catalog_covers_every_string_in_the_code(fresh_english_catalog):
    committed = {e.key for e in read_po(catalog("en"))}
    missing = [e.msgid for e in read_po(fresh_english_catalog) if e.key not in committed]
    assert not missing, (
        "Strings in the code are missing from ejournal/locale; run `make messages`, "
        "translate them in ejournal/locale/en/LC_MESSAGES/django.po (and the Russian "
        "plural forms), then `make messages` again to compile:\n  " + "\n  ".join(missing)
    )


# --- (c) the pages use the catalogs ------------------------------------------


def test_login_page_is_english_when_english_is_chosen(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/accounts/login/").content.decode()
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    assert "Sign in" in page
    assert not CYRILLIC.search(h1), h1
    visible = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S))
    assert set(re.findall(r"\w*[А-Яа-яЁё]\w*", visible)) <= {"Русский"}


@pytest.mark.parametrize(
    ("count", "schools", "students"),
    [
        (1, "1 школа", "1 обучающийся"),
        (2, "2 школы", "2 обучающихся"),
        (5, "5 школ", "5 обучающихся"),
        (11, "11 школ", "11 обучающихся"),
        (21, "21 школа", "21 обучающийся"),
        (22, "22 школы", "22 обучающихся"),
        (25, "25 школ", "25 обучающихся"),
        (112, "112 школ", "112 обучающихся"),
    ],
)
def test_city_home_counts_schools_with_russian_plural_forms(count, schools, students):
    html = _render_city_home("ru", count)
    assert schools in html
    assert students in html


def test_city_home_counts_schools_in_english():
    assert "1 school<br>" in _render_city_home("en", 1)
    html = _render_city_home("en", 21)
    assert "21 schools" in html
    assert "21 students" in html


def _render_city_home(language: str, count: int) -> str:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    district = {"name": "Центральный", "school_count": count, "student_count": count}
    with translation.override(language):
        return render_to_string("portal/home_city.html", {"districts": [district]}, request)
