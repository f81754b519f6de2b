"""An app's table of import kinds: what the generic runner, summary and pages need to know about them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .base import Importer
from .readers import ImportFileError


@dataclass(frozen=True)
class ImportKinds:
    """The kinds of file one app loads, and how its jobs are named, run and reported.

    `name` prefixes the audit actions (`<name>_import_queued`, `<name>_imported`);
    `run_task` is the dotted path of the app's run function, which only calls
    `services.import_job_run` with this table (background tasks carry JSON, not objects);
    `context` builds, from the job's school id, what the importers read;
    `refusals` are the exceptions whose message rejects the file as a whole.
    """

    name: str
    importers: dict[str, type[Importer]]
    entity_labels: dict[str, Any]
    context: Callable[[int], Any]
    run_task: str
    refusals: tuple[type[Exception], ...] = field(default=(ImportFileError,))

    def title(self, kind: str) -> Any:
        return self.importers[kind].title if kind in self.importers else kind

    def choices(self) -> list[tuple[str, Any]]:
        return [(kind, cls.title) for kind, cls in self.importers.items()]
