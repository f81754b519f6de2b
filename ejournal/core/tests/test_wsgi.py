"""The WSGI entry point sets the thread switch interval of the app server's processes."""

import importlib
import sys

import pytest


@pytest.fixture
def interval():
    before = sys.getswitchinterval()
    yield
    sys.setswitchinterval(before)


def test_the_app_servers_threads_hand_over_the_gil_at_the_configured_interval(settings, interval):
    import ejournal.wsgi

    sys.setswitchinterval(0.005)
    settings.WSGI_SWITCH_INTERVAL_US = 1500
    importlib.reload(ejournal.wsgi)
    assert sys.getswitchinterval() == pytest.approx(0.0015)


def test_zero_keeps_pythons_own_interval(settings, interval):
    import ejournal.wsgi

    sys.setswitchinterval(0.005)
    settings.WSGI_SWITCH_INTERVAL_US = 0
    importlib.reload(ejournal.wsgi)
    assert sys.getswitchinterval() == pytest.approx(0.005)
