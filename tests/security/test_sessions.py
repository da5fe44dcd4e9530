"""Cookies, session rotation at login and a real logout."""

import os
import subprocess
import sys
from pathlib import Path

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session

from .conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def sign_in(client, username: str):
    return client.post(
        "/admin/login/", {"username": username, "password": PASSWORD, "next": "/admin/"}
    )


def test_session_and_csrf_cookies_are_httponly_and_lax(client, editor, home_page):
    login_page = client.get("/admin/login/")
    csrf = login_page.cookies["csrftoken"]
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"
    response = sign_in(client, "eddie")
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def test_production_cookies_are_secure():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.CSRF_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE)"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "WAGTAILADMIN_BASE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="ccin.settings.production",
        SECRET_KEY="k3y-" + "x9Qv7Lp2Zr8Tn4Wm6Yc1Hd5Jf0Gb3Ks" * 2,
        ALLOWED_HOSTS="councils.coop",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True", "Lax", "Lax"]


def test_session_key_rotates_at_login(client, editor, home_page):
    """A session id planted before sign-in (session fixation) is worthless after it."""
    session = client.session
    session["visited"] = True
    session.save()
    planted = session.session_key
    client.cookies["sessionid"] = planted

    response = sign_in(client, "eddie")

    assert response.status_code == 302
    new_key = response.cookies["sessionid"].value
    assert new_key != planted
    assert not SessionStore().exists(planted)
    assert SessionStore(session_key=new_key).get("_auth_user_id") == str(editor.pk)


def test_logout_ends_the_server_session(client, editor, home_page):
    sign_in(client, "eddie")
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()

    response = client.post("/admin/logout/")

    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    # The old cookie no longer opens the admin.
    client.cookies["sessionid"] = key
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_a_link_or_image_cannot_sign_an_editor_out(client, editor, home_page):
    """GET /admin/logout/ (an <img src> on any site would do) leaves the session alone:
    Wagtail's view refused the GET with a 405 but still deleted the session cookie."""
    sign_in(client, "eddie")
    key = client.cookies["sessionid"].value

    response = client.get("/admin/logout/")

    assert response.status_code == 405
    assert "GET" not in response["Allow"]
    assert client.cookies["sessionid"].value == key
    assert Session.objects.filter(session_key=key).exists()
    assert client.get("/admin/").status_code == 200
