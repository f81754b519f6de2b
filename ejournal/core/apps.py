from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ejournal.core"
    label = "core"

    def ready(self) -> None:
        # The global access generation is deleted on every recovery of the cache (decision 0007). `access` is the
        # lowest layer and may not import the cache; core, above it, names the key on its behalf.
        from ejournal.access.generation import GLOBAL_KEY

        from .cache import forget_on_recovery

        forget_on_recovery(GLOBAL_KEY)
