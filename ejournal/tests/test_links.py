"""Every link a role is shown opens: a walk of the demo school as each demo role.

`test_authorization.py` checks what each role may open; this test checks what
each role is *shown*. For every demo login it follows the links of the pages it
reaches (GET only, breadth-first from the home page, one page per URL shape,
like `../shared/tools/walk.py` does in a browser) and fails on a link that
answers 403, 404 or 500: a link the role's rules deny must not be on its page.
"""

from __future__ import annotations

import io
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command

from ejournal.accounts.models import User
from ejournal.demo.logins import DEMO_LOGINS
from ejournal.testing import login

# Links that sign out, change data on GET in a careless app, or download files; the same list as the walk's.
SKIP = (
    "logout", "delete", "reset", "/admin/", "download", "export", "unsubscribe",
    ".pdf", ".xlsx", ".xls", ".csv", ".ics", ".docx", ".zip",
    "/static/", "/media/", "/i18n/", "/role/",
)  # fmt: skip
PAGES_PER_ROLE = 40


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href") and "download" not in attrs:
            self.hrefs.append(attrs["href"])


def _links(page: str, html: str) -> list[str]:
    """Same-site addresses (path and query) the page links to."""
    parser = _Links()
    parser.feed(html)
    out = []
    for href in parser.hrefs:
        parts = urlsplit(urljoin(f"http://testserver{page}", href))
        if parts.netloc != "testserver" or any(s in parts.path.lower() + parts.query.lower() for s in SKIP):
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def _shape(url: str) -> str:
    return re.sub(r"\d+", "N", url)


@pytest.fixture
def demo_school(db):
    call_command("demo_city", "--schools", "1", "--students-per-school", "60", stdout=io.StringIO())


def _walk(client) -> list[str]:
    """Broken links of one role: «status address (linked from page)»."""
    broken, seen, shapes = [], {"/"}, {_shape("/")}
    queue = deque([("/", "")])
    visited = 0
    while queue and visited < PAGES_PER_ROLE:
        url, via = queue.popleft()
        response = client.get(url)
        visited += 1
        if response.status_code >= 400:
            broken.append(f"{response.status_code} {url} (linked from {via})")
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for link in _links(url, response.content.decode()):
            if link not in seen and _shape(link) not in shapes:
                seen.add(link)
                shapes.add(_shape(link))
                queue.append((link, url))
    return broken


def test_every_link_a_role_is_shown_opens(demo_school, client):
    broken = {}
    for role, username, _ in DEMO_LOGINS:  # one demo for all roles: building it is the slow part
        client.logout()
        found = _walk(login(client, User.objects.get(username=username), role))
        if found:
            broken[username] = found
    assert broken == {}
