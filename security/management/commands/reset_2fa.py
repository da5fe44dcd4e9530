"""Recovery for a lost authenticator: remove a user's two-step devices so they enrol again."""

from django.core.management.base import BaseCommand
from django_otp.plugins.otp_totp.models import TOTPDevice

from security.management.users import user_named


class Command(BaseCommand):
    help = (
        "Remove a user's two-step verification devices (lost phone). If their role requires "
        "two-step verification they set it up again at their next sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = user_named(username)
        deleted, _ = TOTPDevice.objects.filter(user=user).delete()
        self.stdout.write(f"Removed {deleted} two-step device(s) for {username}.")
