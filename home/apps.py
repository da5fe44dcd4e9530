from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site"

    def ready(self) -> None:
        from . import page_cache, restrictions

        # Private sections read from the cache, not once per .public() (home/restrictions.py);
        # cached pages forgotten whenever content they show changes (home/page_cache.py).
        restrictions.install()
        page_cache.connect_signals()
