"""Background jobs behind one call, so the runner can change without touching callers.

`settings.TASK_RUNNER` chooses how `task_run` runs a job:
- "thread" (default): a daemon thread of this process, started after the
  current transaction commits; enough for the embedded single-server mode;
- "sync": at once, in the caller (tests, management commands);
- a dotted path to a callable `runner(task_path, *args)`, e.g. one that calls
  a Celery task's `delay`.
Jobs are named by dotted path and take JSON-friendly arguments, so any queue can carry them.

The services that queue jobs import this module; the jobs themselves live in
each app's `tasks` module (where Celery finds them), so no service and its
task import each other.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def task_run(task_path: str, *args: Any) -> None:
    """Run the function at `task_path` with `args` through the configured runner."""
    runner = getattr(settings, "TASK_RUNNER", "thread")
    if runner == "sync":
        import_string(task_path)(*args)
    elif runner == "thread":
        transaction.on_commit(lambda: _start_thread(task_path, args))
    else:
        import_string(runner)(task_path, *args)


def _start_thread(task_path: str, args: tuple) -> None:
    threading.Thread(target=_run_in_thread, args=(task_path, args), daemon=True, name=f"task:{task_path}").start()


def _run_in_thread(task_path: str, args: tuple) -> None:
    close_old_connections()
    try:
        import_string(task_path)(*args)
    except Exception:  # the thread has nobody to report to but the log
        logger.exception("Background task %s failed", task_path)
    finally:
        connections.close_all()
