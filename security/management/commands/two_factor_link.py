"""Print a two-step set-up link for a user, for an account without an e-mail address or
when mail is down. Give it to the person only: with their password, it enrols a phone."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from security.two_factor import ENROLMENT_SECONDS, enrolment_path


class Command(BaseCommand):
    help = (
        "Print a link (valid an hour) with which a user whose role requires two-step "
        "verification can set it up after signing in. Give it to that person only."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist as error:
            raise CommandError(f"No user called {username!r}.") from error
        base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
        self.stdout.write(f"{base}{enrolment_path(user)}")
        self.stderr.write(f"Valid for {ENROLMENT_SECONDS // 60} minutes, for {username} only.")
