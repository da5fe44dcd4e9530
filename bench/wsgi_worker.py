"""A measuring worker for any Django site: one JSON request a line in, one reply a line out.

It imports nothing but Django (and Wagtail, only to count pages, when the site has it), so
``render_budget.py`` runs this same file for this site and for a reference site in its own
virtualenv, and both are timed by the same code. Requests go through Django's request
handler in-process (the test client), warm: each URL is requested once before timing, so
templates are compiled, renditions made and remembered values cached. Every request is a
new anonymous visitor's (no cookies from the ones before).

The environment says which site:

- ``DJANGO_SETTINGS_MODULE`` and whatever those settings read;
- ``BENCH_SYS_PATH``: directories put first on ``sys.path`` (``os.pathsep``-separated), the
  site's root; run the worker with the site's root as the working directory too;
- ``BENCH_SETTINGS_OVERRIDES``: a JSON object of settings applied after start-up (for
  example ``STATIC_ROOT``, where ``--collect-static`` put the files).

Requests: ``{"url": "/", "runs": 10, "count": true, "body": false, "settings": {…}}`` times
``runs`` requests after the warm-up (``settings``: overridden for this request's duration;
``count``: also the SQL queries of one request; ``body``: the warm-up's content returned);
``{"op": "pages"}`` counts live Wagtail pages by type; ``{"op": "quit"}`` ends. Replies carry
``error`` (a traceback) when something failed. ``--collect-static`` runs collectstatic into
the overridden ``STATIC_ROOT`` and exits.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
import traceback

# Response headers worth reporting (whether a page came from a cache, what it set).
HEADERS = ("Content-Type", "Cache-Control", "Vary", "X-Page-Cache", "Set-Cookie")


def setup() -> dict:
    for entry in reversed([p for p in os.environ.get("BENCH_SYS_PATH", "").split(os.pathsep) if p]):
        sys.path.insert(0, entry)
    import django

    django.setup()
    from django.test import override_settings

    overrides = json.loads(os.environ.get("BENCH_SETTINGS_OVERRIDES") or "{}")
    if overrides:
        override_settings(**overrides).enable()
    return overrides


def info() -> dict:
    """What the report says about this worker: versions, settings, cache, database."""
    from importlib import metadata

    import django
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return ""

    backend = type(caches["default"])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            db_version = "PostgreSQL " + cursor.fetchone()[0].split()[0]
        elif connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            db_version = "SQLite " + cursor.fetchone()[0]
        else:
            db_version = connection.vendor
    loaders = [
        loader if isinstance(loader, str) else loader[0]
        for engine in settings.TEMPLATES
        for loader in engine.get("OPTIONS", {}).get("loaders", []) or []
    ]
    return {
        "settings": os.environ["DJANGO_SETTINGS_MODULE"],
        "debug": settings.DEBUG,
        "django": django.__version__,
        "wagtail": version("wagtail"),
        "python": platform.python_version(),
        "prefix": sys.prefix,
        "cwd": os.getcwd(),
        "cache": f"{backend.__module__}.{backend.__qualname__}",
        "cache_location": str(settings.CACHES["default"].get("LOCATION", "")),
        "caches": sorted(settings.CACHES),
        "template_loaders": loaders,
        "db": db_version,
        "db_name": str(connection.settings_dict["NAME"]),
        "installed_debug_toolbar": "debug_toolbar" in settings.INSTALLED_APPS,
    }


def measure(client, request: dict) -> dict:
    from django.db import connection
    from django.test import override_settings

    url, runs = request["url"], request.get("runs", 0)
    result: dict = {"times": [], "cpu": [], "statuses": []}

    def get(url: str):
        client.cookies.clear()
        return client.get(url)

    with override_settings(**request.get("settings", {})):
        response = get(url)  # the warm-up
        result["status"] = response.status_code
        result["bytes"] = len(response.content)
        if request.get("body"):
            result["body"] = response.content.decode(response.charset or "utf-8", "replace")
        if request.get("count"):
            queries = []

            def count(execute, sql, params, many, context):
                queries.append(sql)
                return execute(sql, params, many, context)

            client.cookies.clear()
            with connection.execute_wrapper(count):
                client.get(url)
            result["queries"] = len(queries)
        for _ in range(runs):
            client.cookies.clear()
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            result["times"].append((time.perf_counter() - started) * 1000)
            result["cpu"].append((time.process_time() - started_cpu) * 1000)
            result["statuses"].append(response.status_code)
        result["headers"] = {name: response[name] for name in HEADERS if response.has_header(name)}
    return result


def pages() -> dict:
    """Live Wagtail pages by their model's name (empty for a site without Wagtail)."""
    try:
        from wagtail.models import Page
    except ImportError:
        return {}
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count

    rows = Page.objects.live().order_by().values("content_type").annotate(n=Count("id"))
    names = {
        ct.pk: ct.model_class().__name__ for ct in ContentType.objects.all() if ct.model_class()
    }
    return {names.get(row["content_type"], "?"): row["n"] for row in rows}


def pages_reply(client, request: dict) -> dict:
    return {"pages": pages()}


def serve() -> None:
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything the site prints goes to the log, not into the replies
    sys.stdout = sys.stderr
    setup()
    from django.test import Client

    client = Client()
    replies.write(json.dumps({"ready": info()}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("op") == "quit":
            break
        try:
            op = pages_reply if request.get("op") == "pages" else measure
            reply = op(client, request)
        except Exception:
            reply = {"error": traceback.format_exc()}
        replies.write(json.dumps(reply) + "\n")


def collect_static() -> None:
    setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


if __name__ == "__main__":
    if "--collect-static" in sys.argv[1:]:
        collect_static()
    else:
        serve()
