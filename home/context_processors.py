"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def site_feeds(request: HttpRequest) -> dict:
    """Feeds to advertise with <link rel="alternate"> and in the footer (settings.SITE_FEEDS)."""
    return {"site_feeds": getattr(settings, "SITE_FEEDS", [])}
