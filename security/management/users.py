"""What the account commands share: the user they are asked about, or a clear error."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def user_named(username: str):
    User = get_user_model()
    try:
        return User.objects.get(**{User.USERNAME_FIELD: username})
    except User.DoesNotExist as error:
        raise CommandError(f"No user called {username!r}.") from error
