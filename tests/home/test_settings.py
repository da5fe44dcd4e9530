"""Production settings read the environment and refuse to start without the essentials."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3y-" + "x9Qv7Lp2Zr8Tn4Wm6Yc1Hd5Jf0Gb3Ks" * 2


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "WAGTAILADMIN_BASE_URL", "REDIS_URL"}
    }
    clean_env.update(DJANGO_SETTINGS_MODULE="ccin.settings.production", **env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_checks_pass_with_secret_key_and_allowed_hosts():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="www.councils.coop,councils.coop",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "councils.coop"}, "SECRET_KEY"),
        ({"SECRET_KEY": STRONG_KEY}, "ALLOWED_HOSTS"),
        (
            {
                "SECRET_KEY": STRONG_KEY,
                "ALLOWED_HOSTS": "councils.coop",
                "WAGTAILADMIN_BASE_URL": "http://example.com",
            },
            "https://",
        ),
    ],
)
def test_refuses_to_start_without_essentials(env, message):
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_environment_chooses_database_cache_and_media():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE']);"
        "print(s.CACHES['default']['BACKEND']);"
        "print(s.STORAGES['default']['BACKEND']);"
        "print(s.WAGTAILADMIN_BASE_URL);"
        "print(s.SECURE_SSL_REDIRECT)"
    )
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="councils.coop",
        DATABASE_URL="postgres://ccin@db:5432/ccin",
        REDIS_URL="redis://cache:6379/0",
        AWS_STORAGE_BUCKET_NAME="ccin-media",
        SECURE_SSL_REDIRECT="0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "caching.resilient_redis.ResilientRedisCache",
        "storages.backends.s3.S3Storage",
        "https://councils.coop",
        "False",
    ]


def test_base_settings_are_safe_on_their_own():
    from ccin.settings import base

    assert base.DEBUG is False
    assert os.environ.get("SECRET_KEY", "") == base.SECRET_KEY  # no hard-coded fallback
