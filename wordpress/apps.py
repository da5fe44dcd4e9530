from django.apps import AppConfig


class WordPressConfig(AppConfig):
    name = "wordpress"
    verbose_name = "WordPress import"

    def ready(self) -> None:
        from . import indexing

        indexing.install()
