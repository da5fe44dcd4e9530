import re

from django.conf import settings
from django.urls import include, path
from django.views.decorators.http import require_POST
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views.account import LogoutView, PasswordResetView
from wagtail.documents import urls as wagtaildocs_urls

from api.endpoints import api_router
from home import views as home_views
from operations import health
from search import views as search_views
from security import page_passwords, two_factor
from security.accounts import throttled_password_reset
from wordpress import old_uploads

from . import sitemaps, social_cards

urlpatterns = [
    # Before Wagtail's admin URLs: two-step verification and the throttled password reset.
    path("admin/2fa/", include(two_factor)),
    path(
        "admin/password_reset/",
        throttled_password_reset(PasswordResetView.as_view()),
        name="ccin_password_reset",
    ),
    # Signing out only by POST: Wagtail's view refuses a GET with a 405 but deletes the session
    # cookie all the same, so any page could sign an editor out with an <img> tag.
    path("admin/logout/", require_POST(LogoutView.as_view()), name="wagtailadmin_logout"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("search/", search_views.search, name="search"),
    path("alerts/", include("alerts.urls")),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.section_sitemap, name="sitemap_section"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path(".well-known/security.txt", home_views.security_txt, name="security_txt"),
    path("healthz", health.healthz, name="healthz"),
    path("social-cards/", include(social_cards)),
    # Before Wagtail's own: the same address, with wrong passwords counted (security/).
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        page_passwords.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path("readyz", health.readyz, name="readyz"),
    # The old addresses under /media/ that are not pages: this site's former file URLs and
    # WordPress's news archive. Anything else there (an old post) falls through to Wagtail,
    # whose redirects app answers the 404 with the imported redirect.
    path("media/", include("wordpress.legacy")),
    # The old site's file addresses: the imported document or image (wordpress/old_uploads.py).
    path("wp-content/uploads/<path:path>", old_uploads.old_upload, name="wordpress_old_upload"),
]

# A lost database connection outside a view still gets the friendly 503 (operations/resilience.py).
handler500 = "operations.resilience.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif settings.SERVE_MEDIA:
    from django.urls import re_path

    from . import media

    _media = re.escape(settings.MEDIA_URL.lstrip("/"))  # media-files/
    urlpatterns += [
        re_path(rf"^{_media}images/(?P<name>[^/]+)$", media.rendition, name="media_images"),
        re_path(
            rf"^{_media}original_images/(?P<name>[^/]+)$", media.original, name="media_originals"
        ),
    ]

urlpatterns += [
    # Everything else is a Wagtail page; keep this last.
    path("", include(wagtail_urls)),
]
