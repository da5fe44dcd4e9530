"""Create the local admin user for ``make run``; refuses outside the dev settings."""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEFAULT_HOST = "127.0.0.1:8000"
# Addresses runserver listens on that a browser cannot visit: the same machine's loopback.
ANY_ADDRESS = {"0.0.0.0": "127.0.0.1", "0": "127.0.0.1", "[::]": "[::1]"}  # noqa: S104  # nosec B104 (names, not a bind)


def admin_address(host: str) -> str:
    """The admin's address for runserver's ``[addr:]port`` (``make run HOST=…``)."""
    addr, _, port = host.strip().rpartition(":")
    addr = ANY_ADDRESS.get(addr, addr or "127.0.0.1")
    return f"http://{addr}:{port or 8000}/admin/"


class Command(BaseCommand):
    help = (
        "Create a local superuser 'admin' (dev settings only). Prints the password once, "
        "with the address to sign in at."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--host",
            default=DEFAULT_HOST,
            help="What runserver will serve on, [addr:]port, as `make run HOST=…` "
            f"(default {DEFAULT_HOST}).",
        )

    def handle(self, *args, username: str, host: str, **options):
        if not getattr(settings, "CCIN_ALLOW_LOCAL_ADMIN", False):
            raise CommandError(
                "Refusing to create a local admin: this is only for the dev settings. "
                "In production use `manage.py createsuperuser`."
            )
        address = admin_address(host)
        User = get_user_model()  # noqa: N806
        if User.objects.filter(username=username).exists():
            self.notice(
                f"Local admin user '{username}' already exists: sign in at {address}",
                "Its password was shown once, when it was created. Forgotten it?",
                f"  .venv/bin/python manage.py changepassword {username}",
            )
            return
        from_environment = bool(os.environ.get("DJANGO_SUPERUSER_PASSWORD"))
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser(
            username=username, email=f"{username}@localhost", password=password
        )
        self.notice(
            f"Sign in at {address}",
            f"  username: {username}",
            "  password: " + ("(your DJANGO_SUPERUSER_PASSWORD)" if from_environment else password),
            "" if from_environment else "Copy the password now: it is shown this once only.",
        )

    def notice(self, *lines: str) -> None:
        """Lines set off from the migrate and demo output above, where they will be seen."""
        rule = "=" * 72
        body = "\n".join(line for line in lines if line)
        self.stdout.write(f"\n{rule}\n{self.style.SUCCESS(body)}\n{rule}\n")
