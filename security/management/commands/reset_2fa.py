"""Recovery for a lost authenticator: remove a user's two-step devices so they enrol again."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Remove a user's two-step verification devices (lost phone). If their role requires "
        "two-step verification they set it up again at their next sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist as error:
            raise CommandError(f"No user called {username!r}.") from error
        deleted, _ = TOTPDevice.objects.filter(user=user).delete()
        self.stdout.write(f"Removed {deleted} two-step device(s) for {username}.")
