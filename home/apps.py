from django.apps import AppConfig
from django.db.models.signals import pre_save


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site"

    def ready(self) -> None:
        from .sanitise import clean_rich_text_before_save

        # Every save, whatever its source (imports, demo content, scripts), stores clean rich text.
        pre_save.connect(clean_rich_text_before_save, dispatch_uid="home.sanitise_rich_text")

        from . import page_cache, restrictions

        # Private sections read from the cache, not once per .public() (home/restrictions.py);
        # cached pages forgotten whenever content they show changes (home/page_cache.py).
        restrictions.install()
        page_cache.connect_signals()
