from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ejournal.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the sign-in settings' checks
