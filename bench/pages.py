"""The pages every benchmark measures: one or more per public page type, feeds and the API.

Shared by ``server_times.py`` and ``weight.py``; each entry is (label, URL, kind) where kind
is "detail" (budget 12 queries) or "listing" (15, with filters, facets or pagination).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAGES: list[tuple[str, str, str]] = [
    ("home", "/", "listing"),
    ("standard page", "/about/", "detail"),
    ("principles", "/principles/", "detail"),
    ("membership", "/membership/", "detail"),
    ("DPS page", "/dynamic-purchasing-system/", "listing"),
    ("elections", "/membership/elections-2026/", "listing"),
    ("member directory", "/membership/members/?tier=full&nation=england", "listing"),
    ("member profile", "/membership/members/kirklees-council/", "detail"),
    ("news index", "/news/", "listing"),
    ("news, filtered", "/news/?kind=news&category=governance&year=2024&page=2", "listing"),
    ("news tag", "/news/tag/generated-tag-1/", "listing"),
    ("article", "/news/statement-2026-local-elections/", "detail"),
    ("news RSS", "/news/feed/", "listing"),
    ("news Atom", "/news/feed/atom/", "listing"),
    ("case studies", "/case-studies/", "listing"),
    ("case studies, 1 facet", "/case-studies/?theme=housing", "listing"),
    (
        "case studies, 3 facets + search",
        "/case-studies/?q=council&theme=housing&nation=england&year=2024",
        "listing",
    ),
    ("case study", "/case-studies/community-energy-as-part-of-the-route-to-net-zero/", "detail"),
    ("case studies RSS", "/case-studies/feed/?theme=housing", "listing"),
    ("policy labs", "/policy-labs/", "listing"),
    ("publications", "/publications/", "listing"),
    ("search", "/search/?q=council", "listing"),
    ("API pages", "/api/v2/pages/?type=news.NewsPage", "listing"),
    ("API members", "/api/v2/members/", "listing"),
]
BUDGET = {"detail": 12, "listing": 15}


def setup_django(
    database_url: str | None, settings: str = "ccin.settings.production", root: Path = ROOT
) -> None:
    """Point Django at the benchmark database (a temporary SQLite file unless given).

    ``settings`` is the settings module (``server_times.py`` passes production settings and
    sets the environment they demand); ``root`` the checkout whose code is imported.
    """
    sys.path.insert(0, str(root))
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    elif "DATABASE_URL" not in os.environ:
        path = Path(tempfile.mkdtemp(prefix="ccin-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    if not os.environ.get("MEDIA_ROOT"):
        os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="ccin-bench-media-")
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    import django

    django.setup()


def build_volume() -> float:
    """Migrate and load the demo content at full volume; return the load's seconds."""
    import io
    import time

    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    call_command("load_demo_content", volume=True, stdout=io.StringIO())
    return time.perf_counter() - started
