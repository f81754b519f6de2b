import os

import pytest

from ejournal.testing import build_world, login


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` test PostgreSQL itself (a trigger, a role): deselected on other databases.

    Deselected, not skipped: CI runs the whole suite on SQLite and on PostgreSQL and fails on any skip; such a
    test runs on the PostgreSQL run and is simply not collected on the SQLite one.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    kept = [item for item in items if item.get_closest_marker("postgresql") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """SQLite tests use a file database (under var/, one per test process), not a shared in-memory one.

    Several connections to a shared in-memory database lock whole tables and fail at once ("database table is
    locked") instead of waiting; a file in WAL mode behaves as the app does: IMMEDIATE transactions queue
    (the concurrency tests open one connection per thread, `journal/tests/test_cell_race.py`).
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(settings.BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def login_as(client):
    """`login_as(user, role=None)` signs in on the test client and returns it."""

    def _login(user, role=None):
        return login(client, user, role)

    return _login


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: ids are reused between tests, cached values must not be."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
