"""Health (/healthz) and readiness (/readyz) checks for load balancers, Docker and operators."""

import logging
import os
import shutil
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not (for load balancers and Docker)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    probe = getattr(cache, "check", None)
    if (
        probe is not None
    ):  # caching.resilient_redis.ResilientRedisCache hides outages; ask Redis directly
        probe()
        return
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)


def _check_storage() -> None:
    if isinstance(default_storage, FileSystemStorage):
        root = Path(default_storage.location)
        if not root.is_dir() or not os.access(root, os.W_OK):
            raise OSError(f"media folder {root} is missing or not writable")
        # Writable in name is not enough: a read-only mount or a full disk refuses the write.
        free = shutil.disk_usage(root).free
        if free < settings.CCIN_MEDIA_MIN_FREE_BYTES:
            raise OSError(f"media folder {root} has only {free} bytes free")
        with tempfile.NamedTemporaryFile(dir=root, prefix=".readyz-") as probe:
            probe.write(b"ok")
            probe.flush()
            os.fsync(probe.fileno())
    else:
        default_storage.listdir("")  # one request to the bucket: reachable and authorised


READINESS_CHECKS = {"database": _check_database, "cache": _check_cache, "storage": _check_storage}
# Without these the instance cannot serve; without the cache it serves slower, so it stays in.
READINESS_REQUIRED = {"database", "storage"}


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: database, cache and storage each "ok" or "unavailable"; 503 if one we need fails.

    A Redis outage is reported ("degraded") but keeps the 200: pages still serve without a
    cache, and taking every instance out of the load balancer for it would be a full outage.
    """
    checks = {}
    for name, check in READINESS_CHECKS.items():
        try:
            check()
        except Exception as error:  # any failure is "unavailable"; the reason goes to the log
            logger.warning("Readiness check %s failed: %s", name, error)
            checks[name] = "unavailable"
        else:
            checks[name] = "ok"
    failed = {name for name, state in checks.items() if state != "ok"}
    if failed & READINESS_REQUIRED:
        status, code = "unavailable", 503
    elif failed:
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "checks": checks}, status=code)
