import datetime as dt

import pytest

from ejournal.core import runner
from ejournal.core.spreadsheet import safe_cell

calls: list = []


def remember(*args):
    calls.append(args)


def fake_queue(task_path, *args):
    calls.append(("queued", task_path, *args))


@pytest.mark.parametrize("value", ["=SUM(A1:A9)", "+79181234567", "-1", "@cmd", "\t=1"])
def test_safe_cell_prefixes_formula_looking_text_with_an_apostrophe(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Иванов", "5А", "", None, 5, -3, dt.date(2026, 9, 1), "a=b"])
def test_safe_cell_leaves_other_values_alone(value):
    assert safe_cell(value) == value


def test_task_runner_is_chosen_by_setting(settings):
    calls.clear()
    settings.TASK_RUNNER = "sync"
    runner.task_run(f"{__name__}.remember", 1, "a")
    settings.TASK_RUNNER = f"{__name__}.fake_queue"
    runner.task_run(f"{__name__}.remember", 2)
    assert calls == [(1, "a"), ("queued", f"{__name__}.remember", 2)]


def test_thread_runner_starts_after_commit(db, settings, django_capture_on_commit_callbacks):
    calls.clear()
    settings.TASK_RUNNER = "thread"
    with django_capture_on_commit_callbacks() as callbacks:
        runner.task_run(f"{__name__}.remember", 3)
    assert calls == [] and len(callbacks) == 1
