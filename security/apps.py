from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from . import checks  # noqa: F401 - registers the system checks
        from .sanitise import clean_rich_text_before_save

        # Every save, whatever its source (imports, demo content, scripts), stores clean rich text.
        pre_save.connect(clean_rich_text_before_save, dispatch_uid="home.sanitise_rich_text")
