"""Local development: DEBUG on, a throwaway secret, SQLite unless DATABASE_URL is set."""

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = True
SECRET_KEY = "dev-only-insecure-key-never-used-in-production"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Absolute links (canonical, share links, sitemap, feeds, the API's find/) name the host and
# port in use, e.g. `make run HOST=127.0.0.1:8001` or localhost:9000, not the demo Site's
# 127.0.0.1:8000 (home/hosts.py). Production keeps the configured Site's address.
_after_site_lookup = MIDDLEWARE.index("caching.routing.SiteLookupMiddleware") + 1  # noqa: F405
MIDDLEWARE = [  # a new list: base's own stays as production reads it
    *MIDDLEWARE[:_after_site_lookup],  # noqa: F405
    "home.hosts.DevelopmentHostMiddleware",
    *MIDDLEWARE[_after_site_lookup:],  # noqa: F405
]
# The local admin user may only be created under these settings.
CCIN_ALLOW_LOCAL_ADMIN = True
# Template edits show at once; CCIN_PAGE_CACHE_SECONDS=86400 tries the page cache locally.
CCIN_PAGE_CACHE_SECONDS = int(os.environ.get("CCIN_PAGE_CACHE_SECONDS", "0"))  # noqa: F405
# Serve static files from the finders; no collectstatic needed outside production.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Two-step verification is off locally unless asked for (CCIN_REQUIRE_2FA_FOR=Moderators).
CCIN_REQUIRE_2FA_FOR = env_list("CCIN_REQUIRE_2FA_FOR")
CCIN_REQUIRE_2FA_FOR_SUPERUSERS = env_bool("CCIN_REQUIRE_2FA_FOR_SUPERUSERS", False)
