"""`make run` ends with the local admin's address (on the HOST it serves) and one-time password."""

from __future__ import annotations

import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from demo.management.commands.create_local_admin import admin_address

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000/admin/"),
        ("127.0.0.1:8001", "http://127.0.0.1:8001/admin/"),
        ("localhost:9000", "http://localhost:9000/admin/"),
        ("0.0.0.0:9000", "http://127.0.0.1:9000/admin/"),  # noqa: S104  (listen anywhere, visit here)
        ("[::]:8000", "http://[::1]:8000/admin/"),
        ("8002", "http://127.0.0.1:8002/admin/"),  # runserver takes a bare port too
    ],
)
def test_the_address_is_where_runserver_will_listen(host, address):
    assert admin_address(host) == address


@pytest.mark.django_db
def test_the_password_and_address_are_set_off_at_the_end_and_shown_once(
    settings, monkeypatch, django_user_model
):
    settings.CCIN_ALLOW_LOCAL_ADMIN = True
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    out = StringIO()
    call_command("create_local_admin", "--host", "127.0.0.1:8001", stdout=out)
    lines = out.getvalue().strip().splitlines()
    rule = "=" * 72
    assert lines[0] == lines[-1] == rule
    assert lines[1] == "Sign in at http://127.0.0.1:8001/admin/"
    assert lines[2] == "  username: admin"
    password = lines[3].removeprefix("  password: ")
    assert django_user_model.objects.get(username="admin").check_password(password)
    assert "shown this once only" in lines[4]

    again = StringIO()
    call_command("create_local_admin", "--host", "localhost:9000", stdout=again)
    text = again.getvalue()
    assert password not in text
    assert "already exists: sign in at http://localhost:9000/admin/" in text
    assert "changepassword admin" in text
    assert django_user_model.objects.count() == 1


def test_make_run_creates_the_admin_after_the_demo_content_and_serves_on_host_with_a_worker():
    result = subprocess.run(
        ["make", "-n", "run", "HOST=127.0.0.1:8001"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    commands = [line for line in result.stdout.splitlines() if "manage.py" in line]
    assert [command.split("manage.py ")[1] for command in commands[-4:]] == [
        "load_demo_content",
        "create_local_admin --host 127.0.0.1:8001",
        # The background worker (the admin's WordPress import), beside the server.
        "db_worker --backend background --queue-name '*' --no-reload & \\",
        "runserver 127.0.0.1:8001",
    ]
