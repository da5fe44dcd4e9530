"""The admin's "E-mail alerts" screen, under Settings, for moderators."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("alerts/", admin_views.index, name="alerts_admin")]


class AlertsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.allowed(request.user)


@hooks.register("register_settings_menu_item")
def register_menu_item():
    return AlertsMenuItem("E-mail alerts", reverse("alerts_admin"), icon_name="mail", order=910)
