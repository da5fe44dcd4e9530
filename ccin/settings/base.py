"""Settings shared by every environment.

Safe for production on its own: DEBUG is off and there is no secret key here;
``dev`` and ``test`` relax it, ``production`` insists on the environment.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

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

# The site's own apps, bottom layer first (docs/architecture.md; tests/test_layers.py).
INSTALLED_APPS = [
    "security",
    "caching",
    "home",
    "search",
    "operations",
    "editorial",
    "alerts",
    "membership",
    "news",
    "casestudies",
    "api",
    "demo",
    "wordpress",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
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
    "operations.middleware.HealthCheckMiddleware",
    "api.middleware.APICorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "security.headers.ContentSecurityPolicyMiddleware",
    "security.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # WordPress's id links (/?p=123) name pages that exist, so the redirects app (404s only)
    # never sees them: answered here from its table, before a cached page could be.
    "wordpress.middleware.LegacyQueryRedirectMiddleware",
    # Whole pages for anonymous visitors (caching/page_cache.py): inside the CSP and security
    # headers, which every response gets on its way out; outside sessions, CSRF and
    # authentication, so a cached page skips them (it reads their flags on a miss).
    "caching.page_cache.PageCacheMiddleware",
    # Which site a host belongs to, from the cache (a query on every request otherwise).
    "caching.routing.SiteLookupMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Django's CSRF check, plus the origin check for the join form (security/csrf.py).
    "security.csrf.SameOriginCsrfMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "security.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # django-axes turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Last, so its process_exception sees a view's lost database connection first: a 503 page.
    "operations.resilience.DatabaseUnavailableMiddleware",
    "operations.storage.MediaStorageUnavailableMiddleware",
]
# Django's deploy check looks for its CsrfViewMiddleware by name; the subclass above is
# Django's check and more. security/checks.py makes sure a CsrfViewMiddleware is installed.
SILENCED_SYSTEM_CHECKS = ["security.W003"]

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
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue instead of failing with "database is locked" when the server has threads
    # (an editor's autosave and a submit can land together).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# REDIS_URL switches the cache to Redis, shared by every app server. If Redis stops,
# pages go on serving uncached (caching/resilient_redis.py); short timeouts keep a dead host
# from stalling.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "caching.resilient_redis.ResilientRedisCache",
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
# Anonymous full-page cache (caching/page_cache.py): how long a page may be served from the
# cache, in seconds; 0 turns it off. Any content change empties it at once, so this is
# only an upper bound. Safe without Redis too: every process reads the content version from
# the database (caching/versions.py), so each one's own memory cache forgets on a publish.
CCIN_PAGE_CACHE_SECONDS = int(os.environ.get("CCIN_PAGE_CACHE_SECONDS", str(24 * 60 * 60)))
# How long a process may reuse the content version it read (caching/versions.py): a change
# committed by another process or server shows within this many seconds.
CCIN_CONTENT_VERSION_SECONDS = float(os.environ.get("CCIN_CONTENT_VERSION_SECONDS", "1"))
# A page with a query string (a filter, a page number, or junk) is kept this long at most.
CCIN_PAGE_CACHE_QUERY_SECONDS = int(os.environ.get("CCIN_PAGE_CACHE_QUERY_SECONDS", "600"))
# How long a cached page may live at most, from what it shows (the pre-election notice).
CCIN_PAGE_LIFETIME = "home.models.seconds_until_notice_changes"
# What many pages share (site, settings, menu, breadcrumbs, filter choices) is kept in the
# cache until content changes (caching.versions.remember), with or without Redis.
CCIN_REMEMBER = True

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
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
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
# Not /media/: that was the old WordPress site's news archive (wordpress/legacy.py).
MEDIA_URL = "/media-files/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# /readyz reports media storage unavailable below this much free space (uploads would fail).
CCIN_MEDIA_MIN_FREE_BYTES = int(os.environ.get("CCIN_MEDIA_MIN_FREE_BYTES", str(50 * 1024 * 1024)))

STORAGES = {
    # Files written whole or not at all; a full or read-only disk is a clear 503, not a 500.
    "default": {"BACKEND": "operations.storage.MediaStorage"},
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

# Without a bucket, the app itself serves image files from MEDIA_ROOT (only images: documents
# always go through Wagtail's view, which checks collection privacy). A proxy or CDN in front
# may serve /media-files/images/ instead; set SERVE_MEDIA=0 then.
SERVE_MEDIA = env_bool("SERVE_MEDIA", not AWS_STORAGE_BUCKET_NAME)

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = "Co-operative Councils' Innovation Network"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Security: only office formats and PDFs; only PDFs open in the browser, everything else
# downloads (Content-Disposition: attachment), always through Wagtail's view so the headers
# apply even with S3 storage. No SVG images: they can carry script.
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "csv", "pptx"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
# A file that looks like an image but will not open is a form error (security/uploads.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "security.uploads.ImageForm"
# Video embeds from YouTube and Vimeo only: their players are plain iframes that the CSP's
# frame-src allows; providers that need their own scripts would be blocked anyway.
WAGTAILEMBEDS_FINDERS = [
    {
        "class": "wagtail.embeds.finders.oembed",
        "providers": [
            {
                "endpoint": "https://www.youtube.com/oembed",
                "urls": [
                    r"^https?://(?:[-\w]+\.)?youtube\.com/watch.+$",
                    r"^https?://(?:[-\w]+\.)?youtube\.com/v/.+$",
                    r"^https?://youtu\.be/.+$",
                    r"^https?://(?:[-\w]+\.)?youtube\.com/shorts/.+$",
                    r"^https?://(?:[-\w]+\.)?youtube\.com/embed/.+$",
                ],
            },
            {
                "endpoint": "https://vimeo.com/api/oembed.json",
                "urls": [
                    r"^https?://(?:www\.)?vimeo\.com/.+$",
                    r"^https?://player\.vimeo\.com/video/.+$",
                ],
            },
        ],
    }
]
# No Gravatar look-ups from the admin (a third party learning who edits the site).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_I18N_ENABLED = False
WAGTAIL_PASSWORD_REQUIRED_TEMPLATE = "password_required.html"  # noqa: S105
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILSEARCH_HITS_MAX_AGE = 14

# The public read-only API at /api/v2/ (api/endpoints.py). A ?limit= above the maximum is
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
# X-Forwarded-For; 0 means REMOTE_ADDR is the visitor (used by form rate limits and the login
# lockout; security.client.client_ip).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# Where those proxies connect from (comma-separated addresses or networks). X-Forwarded-For is
# read only from a connection from one of them, so a visitor who reaches the app server
# directly cannot write their own address. The default is loopback and the private ranges
# (a proxy on the same host or network, as in compose); narrow it to the proxy's own address.
TRUSTED_PROXY_ADDRESSES = env_list(
    "TRUSTED_PROXY_ADDRESSES",
    "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7",
)
for _network in TRUSTED_PROXY_ADDRESSES:  # a typo stops the server at start, not each request
    ipaddress.ip_network(_network, strict=False)

# --- Security (security/; docs/security.md) ------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Nothing reads the CSRF cookie from JavaScript (forms carry the token; the admin gets it in
# the page), so scripts need not see it either.
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Where media is served from when not this origin: CSP_MEDIA_SOURCES, else the S3 custom domain.
MEDIA_SOURCES = env_list("CSP_MEDIA_SOURCES") or (
    [f"https://{AWS_S3_CUSTOM_DOMAIN}"] if AWS_STORAGE_BUCKET_NAME and AWS_S3_CUSTOM_DOMAIN else []
)
VIDEO_EMBED_SOURCES = [
    "https://www.youtube-nocookie.com",
    "https://www.youtube.com",
    "https://player.vimeo.com",
]
# The public policy. Anonymous pages use only 'self' scripts (static/js/*.js), so their header
# is the same for every visitor and safe to cache; the nonce appears only when a template asks
# for request.csp_nonce (the Wagtail user bar, shown to signed-in editors).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *MEDIA_SOURCES],
        "media-src": [SELF, *MEDIA_SOURCES],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "frame-src": VIDEO_EMBED_SOURCES,
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The Wagtail admin (and its previews) needs inline scripts and styles, and frames its own
# previews; no nonce, or browsers would ignore 'unsafe-inline'.
CCIN_ADMIN_PATH_PREFIX = "/admin/"
CCIN_ADMIN_CONTENT_SECURITY_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:", *MEDIA_SOURCES],
    "media-src": [SELF, *MEDIA_SOURCES],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "frame-src": [SELF, *VIDEO_EMBED_SOURCES],
    "worker-src": [SELF, "blob:"],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}

# Login lockout (django-axes): 5 failures for one username from one address lock that pair
# for an hour; a successful login resets the count. The address is read by client_ip, which
# honours TRUSTED_PROXY_COUNT. Unlock early: `manage.py axes_reset_username <name>`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "security.client.login_client_ip"
AXES_LOCKOUT_CALLABLE = "security.accounts.lockout_response"
AXES_VERBOSE = False

# Password reset: at most this many requests per address and per email address per window;
# beyond it the form still says "sent" but sends nothing.
CCIN_PASSWORD_RESET_LIMIT = 5
# The reset form finds the account and sends its mail after the response (security/accounts.py,
# security/background.py): the answer's timing no longer tells whether an address has one.
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "security.accounts.QuietPasswordResetForm"  # noqa: S105
CCIN_BACKGROUND_TASKS = True

# Background jobs (django-tasks). Wagtail's own tasks (reference index, file deletion) stay
# inline on "default", as without this setting; "background" is a queue in the database for
# work too long for a request (the admin's WordPress preview, import and address check), run
# by `manage.py db_worker --backend background` (docs/operations.md#the-background-worker).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
CCIN_PASSWORD_RESET_WINDOW = 60 * 60
# Wrong passwords for a password-protected page, per visitor address and page, per window.
CCIN_PAGE_PASSWORD_LIMIT = 10
CCIN_PAGE_PASSWORD_WINDOW = 15 * 60

# Two-step verification (django-otp TOTP) at admin sign-in: required for superusers and these
# groups, set up on first sign-in; optional for everyone else (/admin/2fa/setup/).
CCIN_REQUIRE_2FA_FOR = env_list("CCIN_REQUIRE_2FA_FOR", "Moderators")
CCIN_REQUIRE_2FA_FOR_SUPERUSERS = env_bool("CCIN_REQUIRE_2FA_FOR_SUPERUSERS", True)
OTP_TOTP_ISSUER = "councils.coop"

# security.txt (RFC 9116): who to tell about a vulnerability. Empty means the contact email
# in the site settings.
SECURITY_TXT_CONTACT = os.environ.get("SECURITY_TXT_CONTACT", "")
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
