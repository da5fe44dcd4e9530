from django.apps import AppConfig


class CachingConfig(AppConfig):
    name = "caching"
    verbose_name = "Caching"

    def ready(self) -> None:
        from . import page_cache, restrictions, routing

        # Private sections read from the cache, not once per .public() (caching/restrictions.py);
        # cached pages forgotten whenever content they show changes (caching/page_cache.py).
        restrictions.install()
        page_cache.connect_signals()
        # Wagtail's site root paths remembered in the process (caching/routing.py).
        routing.install()
