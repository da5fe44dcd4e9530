"""Settings shared by every environment.

Safe for production on its own: DEBUG is off and there is no secret key here;
``dev`` and ``test`` relax it, ``production`` insists on the environment.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable into a list, dropping blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "home",
    "news",
    "casestudies",
    "membership",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "home.middleware.HealthCheckMiddleware",
    "home.middleware.APICorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Whole pages for anonymous visitors (home/page_cache.py): inside the CSP and security
    # headers, which every response gets on its way out; outside sessions, CSRF and
    # authentication, so a cached page skips them (it reads their flags on a miss).
    "home.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so its process_exception sees a view's lost database connection first: a 503 page.
    "home.resilience.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "ccin.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.site_feeds",
            ],
        },
    },
]

WSGI_APPLICATION = "ccin.wsgi.application"

# DATABASE_URL chooses the database (postgres://… in production and CI);
# without it, a SQLite file beside manage.py.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# REDIS_URL switches the cache to Redis, shared by every app server. If Redis stops,
# pages go on serving uncached (home.cache); short timeouts keep a dead host from stalling.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "home.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ccin",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Room for every page type and the common filter combinations.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Anonymous full-page cache (home/page_cache.py): how long a page may be served from the
# cache, in seconds; 0 turns it off. Any content change empties it at once, so this is
# only an upper bound. Production turns it off without Redis: with several processes each
# holding its own memory cache, a publish would reach only one of them.
CCIN_PAGE_CACHE_SECONDS = int(os.environ.get("CCIN_PAGE_CACHE_SECONDS", str(24 * 60 * 60)))

# A CDN in front, purged on publish (wagtail.contrib.frontend_cache); off unless
# FRONTEND_CACHE_BACKEND is cloudflare, cloudfront or http (Varnish/nginx purge).
FRONTEND_CACHE_BACKENDS = {
    "cloudflare": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": os.environ.get("FRONTEND_CACHE_CLOUDFLARE_TOKEN", ""),
        "ZONEID": os.environ.get("FRONTEND_CACHE_CLOUDFLARE_ZONEID", ""),
    },
    "cloudfront": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": os.environ.get("FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID", ""),
    },
    "http": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ.get("FRONTEND_CACHE_LOCATION", ""),
    },
}
FRONTEND_CACHE_BACKEND = os.environ.get("FRONTEND_CACHE_BACKEND", "").strip().lower()
if FRONTEND_CACHE_BACKEND:
    INSTALLED_APPS.insert(INSTALLED_APPS.index("wagtail"), "wagtail.contrib.frontend_cache")
    WAGTAILFRONTENDCACHE = {"default": FRONTEND_CACHE_BACKENDS[FRONTEND_CACHE_BACKEND]}
# How long the CDN may keep an anonymous page (s-maxage) when a backend is configured.
CCIN_CDN_MAX_AGE = int(os.environ.get("CCIN_CDN_MAX_AGE", "60"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Media on S3-compatible object storage when a bucket is configured, so that
# several app servers share one media library.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = False
    AWS_S3_FILE_OVERWRITE = False

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = "Co-operative Councils' Innovation Network"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_I18N_ENABLED = False
WAGTAIL_PASSWORD_REQUIRED_TEMPLATE = "password_required.html"  # noqa: S105
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILSEARCH_HITS_MAX_AGE = 14

# The public read-only API at /api/v2/ (home/api.py). A ?limit= above the maximum is
# refused with a 400 that names the maximum, rather than silently cut short.
WAGTAILAPI_LIMIT_MAX = 100
# Rich text as display HTML (links resolved), not Wagtail's internal database format.
WAGTAILAPI_RICH_TEXT_FORMAT = "html"

# Feeds advertised on every page (autodiscovery links and the footer).
# Each: {"title": …, "type": "application/rss+xml" | "application/atom+xml", "url": "/…/"}.
SITE_FEEDS: list[dict[str, str]] = [
    {"title": "CCIN news (RSS)", "type": "application/rss+xml", "url": "/news/feed/"},
    {"title": "CCIN news (Atom)", "type": "application/atom+xml", "url": "/news/feed/atom/"},
    {
        "title": "CCIN case studies (RSS)",
        "type": "application/rss+xml",
        "url": "/case-studies/feed/",
    },
]

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "website@councils.coop")
# Who receives join enquiries from /membership/ (comma-separated); empty means the
# contact email in site settings.
MEMBERSHIP_ENQUIRY_EMAIL = env_list("MEMBERSHIP_ENQUIRY_EMAIL")
# How many proxies (load balancer, CDN) sit in front of the app and append to
# X-Forwarded-For; 0 means REMOTE_ADDR is the visitor (used by form rate limits).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # Wagtail 8 runs search indexing as immediate tasks; one INFO line each is noise.
        "django_tasks": {"level": "WARNING"},
    },
}
