"""The admin's "WordPress import" screen, under Settings, for moderators."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("wordpress-import/", views.index, name="wordpress_import"),
        path("wordpress-import/<int:pk>/", views.run_detail, name="wordpress_import_run"),
        path("wordpress-import/<int:pk>/import/", views.confirm, name="wordpress_import_confirm"),
        path("wordpress-import/<int:pk>/parity/", views.parity, name="wordpress_import_parity"),
        path(
            "wordpress-import/<int:pk>/progress/",
            views.run_progress,
            name="wordpress_import_progress",
        ),
        path("wordpress-import/<int:pk>/restart/", views.restart, name="wordpress_import_restart"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return views.allowed(request.user)


@hooks.register("register_settings_menu_item")
def register_menu_item():
    return ImportMenuItem(
        "WordPress import", reverse("wordpress_import"), icon_name="download", order=900
    )
