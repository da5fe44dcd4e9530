from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = "Editorial"

    def ready(self) -> None:
        from .date_input import keep_typed_text

        keep_typed_text()
