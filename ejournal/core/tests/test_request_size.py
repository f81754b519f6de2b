"""Request bodies over the size limit of their path are refused before a byte of them is read.

The bodies are made on demand (nothing is allocated) and passed through the WSGI handler with its whole
middleware stack and CSRF checks on, as a production request is; a body that is read past the limit
fails the test at once instead of being spooled to disk.
"""

from __future__ import annotations

import io

import pytest
from django.test.client import ClientHandler

MB = 1024 * 1024
BOUNDARY = "ejournal-test-boundary"
CSRF_SECRET = "a" * 32


class LazyBody(io.RawIOBase):
    """A multipart body of `size` bytes with one file part, made while it is read; counts the bytes read."""

    def __init__(self, size: int, stop_after: int):
        self.head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="big.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        self.size = size
        self.stop_after = stop_after
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        left = self.size - self.read_bytes
        n = left if n is None or n < 0 else min(n, left)
        if self.read_bytes + n > self.stop_after:
            raise RuntimeError(f"the server read {self.read_bytes + n} bytes of a body over its limit")
        start = self.read_bytes
        self.read_bytes += n
        head = self.head[start : start + n]
        return head + b"a" * (n - len(head))

    def readline(self, n: int | None = -1) -> bytes:
        return self.read(min(n, 64 * 1024) if n and n > 0 else 64 * 1024)


def _post(path: str, body, *, length: int | None, chunked: bool = False):
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.9",
        # A CSRF cookie, as any client that opened the page first has: the CSRF check then reads the body.
        "HTTP_COOKIE": f"csrftoken={CSRF_SECRET}",
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": body,
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if length is not None:
        environ["CONTENT_LENGTH"] = str(length)
    if chunked:
        environ["HTTP_TRANSFER_ENCODING"] = "chunked"
    return ClientHandler(enforce_csrf_checks=True)(environ)


@pytest.fixture
def upload_dir(settings, tmp_path):
    """Where Django would spool an uploaded file; must stay empty."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    return tmp_path


@pytest.mark.django_db
def test_a_500_mb_post_to_the_public_form_is_refused_before_it_is_read(world, upload_dir):
    size = 500 * MB
    body = LazyBody(size, stop_after=1 * MB)
    response = _post("/u/s1/", body, length=size)
    assert response.status_code == 413
    assert body.read_bytes == 0
    assert list(upload_dir.iterdir()) == []
    text = response.content.decode()
    assert "Слишком большой запрос" in text
    assert "64 КБ" in text


@pytest.mark.django_db
def test_a_2_gb_homework_file_is_refused_before_it_is_read(world, upload_dir):
    size = 2 * 1024 * MB
    body = LazyBody(size, stop_after=1 * MB)
    response = _post("/journal/lesson/1/homework/", body, length=size)
    assert response.status_code == 413
    assert body.read_bytes == 0
    assert list(upload_dir.iterdir()) == []
    assert "52 МБ" in response.content.decode()


@pytest.mark.django_db
def test_each_path_has_its_own_limit(world, settings, upload_dir):
    settings.REQUEST_MAX_BYTES = 1000
    settings.REQUEST_MAX_BYTES_BY_PATH = [(r"^/u/", 100), (r"^/journal/lesson/\d+/homework/$", 5000)]
    # Within the homework limit, over the general one: it reaches CSRF (no token: 403), not the size check.
    assert _post("/journal/lesson/1/homework/", LazyBody(3000, stop_after=3000), length=3000).status_code == 403
    assert _post("/support/", LazyBody(3000, stop_after=0), length=3000).status_code == 413
    assert _post("/u/s1/", LazyBody(200, stop_after=0), length=200).status_code == 413
    assert _post("/u/s1/", LazyBody(90, stop_after=90), length=90).status_code == 403


@pytest.mark.django_db
def test_a_chunked_body_without_a_length_is_refused_unread(world, upload_dir):
    body = LazyBody(500 * MB, stop_after=0)
    response = _post("/u/s1/", body, length=None, chunked=True)
    assert response.status_code == 411
    assert body.read_bytes == 0
    assert "размер" in response.content.decode()


@pytest.mark.django_db
def test_a_body_longer_than_its_declared_length_is_read_only_up_to_that_length(world, upload_dir):
    """Django reads no more than Content-Length: a header that lies low cuts the body short, never the limit."""
    body = LazyBody(500 * MB, stop_after=10_000)
    response = _post("/u/s1/", body, length=10_000)
    assert response.status_code == 403  # the CSRF check read the short body and found no token
    assert body.read_bytes <= 10_000


def test_the_refusal_of_an_htmx_request_is_a_fragment_the_panel_shows(world, client, settings):
    settings.REQUEST_MAX_BYTES_BY_PATH = [(r"^/journal/lesson/\d+/homework/$", 100)]
    response = client.post("/journal/lesson/1/homework/", data={"text": "x" * 500}, HTTP_HX_REQUEST="true")
    assert response.status_code == 413
    text = response.content.decode()
    assert "<html" not in text and "Слишком большой запрос" in text
