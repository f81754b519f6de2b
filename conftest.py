import pytest

from ejournal.testing import build_world, login


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
