from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "ejournal.journal"
    label = "journal"

    def ready(self) -> None:
        # The school year sits below the journal and cannot ask it directly whether a term change
        # strands marks: the journal answers through the hook the year offers (decision 0005).
        from ejournal.schools.guards import term_guard_register

        from .term_guard import term_change_objections

        term_guard_register(term_change_objections)
