"""Create the local admin user for ``make run``; refuses outside the dev settings."""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create a local superuser 'admin' (dev settings only). Prints the password once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options):
        if not getattr(settings, "CCIN_ALLOW_LOCAL_ADMIN", False):
            raise CommandError(
                "Refusing to create a local admin: this is only for the dev settings. "
                "In production use `manage.py createsuperuser`."
            )
        User = get_user_model()  # noqa: N806
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Local admin user '{username}' already exists; leaving it alone.")
            return
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser(
            username=username, email=f"{username}@localhost", password=password
        )
        shown = (
            "(from DJANGO_SUPERUSER_PASSWORD)"
            if os.environ.get("DJANGO_SUPERUSER_PASSWORD")
            else password
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created local admin user '{username}' with password: {shown}\n"
                "This is shown once. Log in at http://127.0.0.1:8000/admin/"
            )
        )
