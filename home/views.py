"""Site-wide text files: robots.txt and security.txt."""

from datetime import UTC, timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from wagtail.models import Site

from .hosts import absolute_url
from .models import SiteSettings


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Point crawlers at the sitemap; keep them out of the admin and search results."""
    sitemap = absolute_url(request, reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    """/.well-known/security.txt (RFC 9116): where to report a vulnerability.

    Expires is always six months ahead (the RFC asks for less than a year), so the file never
    goes stale while the site is up.
    """
    contact = settings.SECURITY_TXT_CONTACT
    if not contact:
        site = Site.find_for_request(request)
        email = SiteSettings.for_site(site).contact_email if site else settings.DEFAULT_FROM_EMAIL
        contact = f"mailto:{email}"
    expires = (timezone.now() + timedelta(days=182)).replace(microsecond=0)
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: en",
        f"Canonical: {absolute_url(request, reverse('security_txt'))}",
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "max-age=86400"
    return response
