import pytest
from django.contrib.auth.models import Group


@pytest.fixture
def editor(db, django_user_model):
    user = django_user_model.objects.create_user(
        username="eddie",
        email="eddie@councils.coop",
        password="password",
        first_name="Eddie",
        last_name="Editor",
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def moderator(db, django_user_model):
    user = django_user_model.objects.create_user(
        username="mo",
        email="mo@councils.coop",
        password="password",
        first_name="Mo",
        last_name="Moderator",
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client
