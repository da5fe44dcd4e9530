"""Print a two-step set-up link for a user, for an account without an e-mail address or
when mail is down. Give it to the person only: with their password, it enrols a phone."""

from django.conf import settings
from django.core.management.base import BaseCommand

from security.management.users import user_named
from security.two_factor import ENROLMENT_SECONDS, enrolment_path


class Command(BaseCommand):
    help = (
        "Print a link (valid an hour) with which a user whose role requires two-step "
        "verification can set it up after signing in. Give it to that person only."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = user_named(username)
        base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
        self.stdout.write(f"{base}{enrolment_path(user)}")
        self.stderr.write(f"Valid for {ENROLMENT_SECONDS // 60} minutes, for {username} only.")
