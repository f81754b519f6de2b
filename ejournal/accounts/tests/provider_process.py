"""A real OpenID Connect provider in a second process: this project's own authorization server.

`manage.py runserver` on a free port with its own SQLite database, holding a few
people of the «state identity provider» and one confidential client for us. The
tests reach it over HTTP exactly as the site reaches ЕСИА: discovery, JWKS, token.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import requests

ROOT = Path(__file__).resolve().parents[3]
CLIENT_ID = "ejournal-school-site"
CLIENT_SECRET = "provider-test-secret-0123456789"
PASSWORD = "Esia-pass-2026!"
# The provider's people: login → (family name, given name, middle name, e-mail).
PEOPLE = {
    "esia_parent": ("Орлова", "Марина", "Викторовна", "orlova@example.ru"),
    "esia_namesake": ("Орлова", "Марина", "Викторовна", "another.orlova@example.ru"),
    "esia_stranger": ("Новикова", "Анна", "Сергеевна", "novikova@example.ru"),
    "esia_deputy": ("Смирнова", "Ольга", "Викторовна", "smirnova@example.ru"),
}
# ID tokens live a minute at this provider, so a test can let one expire.
ID_TOKEN_SECONDS = 60

_SETUP = """
import json, os
from oauth2_provider.models import Application
from ejournal.accounts.models import User
from ejournal.people.models import RoleAssignment
from ejournal.schools.models import Municipality
# The authorization server's consent screen wants a person with a role there: a city role, as at ЕСИА.
city, _ = Municipality.objects.get_or_create(name="Госуслуги (тест)", short_name="ЕСИА")
people = json.loads(os.environ["PROVIDER_PEOPLE"]); redirects = os.environ["PROVIDER_REDIRECTS"]
subjects = {}
for login, (last, first, middle, email) in people.items():
    user, _ = User.objects.get_or_create(username=login, defaults=dict(last_name=last, first_name=first,
                                         middle_name=middle, email=email))
    user.set_password(%(password)r); user.save()
    RoleAssignment.objects.get_or_create(user=user, role="methodist", municipality=city)
    subjects[login] = str(user.pk)
app = Application.objects.filter(client_id=%(client_id)r).first() or Application(client_id=%(client_id)r)
app.name = "Электронный журнал (тест)"; app.client_secret = %(secret)r
app.client_type = Application.CLIENT_CONFIDENTIAL
app.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
app.redirect_uris = redirects; app.algorithm = Application.RS256_ALGORITHM; app.skip_authorization = True
app.save()
print("SUBJECTS=" + json.dumps(subjects))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Provider:
    port: int
    folder: Path
    env: dict
    process: subprocess.Popen | None = None
    subjects: dict[str, str] = field(default_factory=dict)
    redirects: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def discovery(self) -> str:
        return f"{self.url}/o/.well-known/openid-configuration"

    def manage(self, *args: str, timeout: int = 300, **env: str) -> str:
        result = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def allow_redirects(self, *uris: str) -> None:
        """Register redirect URIs of our client (the live server's port is known only later)."""
        self.redirects = list(dict.fromkeys([*self.redirects, *uris]))
        script = _SETUP % {"password": PASSWORD, "client_id": CLIENT_ID, "secret": CLIENT_SECRET}
        out = self.manage(
            "shell", "-c", script, PROVIDER_PEOPLE=json.dumps(PEOPLE), PROVIDER_REDIRECTS=" ".join(self.redirects)
        )
        line = next(x for x in out.splitlines() if x.startswith("SUBJECTS="))
        self.subjects = json.loads(line.removeprefix("SUBJECTS="))

    def log(self) -> str:
        path = self.folder / "server.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)

    def person_session(self, login: str) -> requests.Session:
        """A browser of the person, signed in at the provider through its login form."""
        s = requests.Session()
        page = s.get(f"{self.url}/accounts/login/", timeout=10)
        token = s.cookies.get("csrftoken")
        assert page.status_code == 200 and token, page.status_code
        answer = s.post(
            f"{self.url}/accounts/login/",
            data={"csrfmiddlewaretoken": token, "username": login, "password": PASSWORD},
            headers={"Referer": f"{self.url}/accounts/login/"},
            allow_redirects=False,
            timeout=10,
        )
        assert answer.status_code == 302, (answer.status_code, answer.text[:500])
        return s

    def authorize(self, person: requests.Session, authorize_url: str) -> str:
        """The person's browser at the provider's authorize URL: the redirect back to us (code and state)."""
        answer = person.get(authorize_url, allow_redirects=False, timeout=10)
        assert answer.status_code == 302, (answer.status_code, answer.text[:500])
        return urljoin(authorize_url, answer.headers["Location"])


def provider_start(redirects: list[str]) -> Provider:
    folder = Path(tempfile.mkdtemp(prefix="ejournal-provider-"))
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "OIDC_RP_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{folder / 'provider.sqlite3'}",
        SITE_URL=f"http://127.0.0.1:{port}",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_DEBUG="1",  # runserver serves the pages' static files (a browser test walks them)
        OTP_REQUIRED_ROLES="",
        REDIS_URL="",
        OAUTH_ID_TOKEN_SECONDS=str(ID_TOKEN_SECONDS),
        PYTHONUNBUFFERED="1",
    )
    provider = Provider(port=port, folder=folder, env=env)
    try:
        provider.manage("migrate", "--noinput", "-v0", timeout=600)
        provider.allow_redirects(*redirects)
        with (folder / "server.log").open("w") as log:
            provider.process = subprocess.Popen(  # noqa: S603 - our own manage.py
                [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if provider.process.poll() is not None:
                raise RuntimeError(f"the provider stopped:\n{provider.log()}")
            try:
                if requests.get(provider.discovery, timeout=2).status_code == 200:
                    return provider
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the provider did not answer in 60 s:\n{provider.log()}")
    except BaseException:
        provider.stop()
        raise
