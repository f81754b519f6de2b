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
    `job_context`, for kinds that load into one object, builds it from the whole job
    (its `target_id` and `options`) instead;
    `refusals` are the exceptions whose message rejects the file as a whole;
    `changes_access`: a finished import may change who reaches what (rosters, staff, assignments).
    """

    name: str
    importers: dict[str, type[Importer]]
    entity_labels: dict[str, Any]
    context: Callable[[int], Any] | None
    run_task: str
    refusals: tuple[type[Exception], ...] = field(default=(ImportFileError,))
    job_context: Callable[[Any], Any] | None = None
    changes_access: bool = True

    def context_of(self, job: Any) -> Any:
        """What the importers of `job` read."""
        if self.job_context is not None:
            return self.job_context(job)
        assert self.context is not None, f"{self.name}: neither context nor job_context"
        return self.context(job.school_id)

    def title(self, kind: str) -> Any:
        return self.importers[kind].title if kind in self.importers else kind

    def choices(self) -> list[tuple[str, Any]]:
        return [(kind, cls.title) for kind, cls in self.importers.items()]
