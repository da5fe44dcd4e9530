import pytest
from django.contrib.auth.models import Group

from home.models import StandardPage

PASSWORD = "a-long-enough-passphrase-for-tests"


def make_user(django_user_model, username: str, group: str | None = None, **extra):
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@councils.coop", password=PASSWORD, **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db, django_user_model):
    return make_user(django_user_model, "eddie", "Editors", first_name="Eddie")


@pytest.fixture
def moderator(db, django_user_model):
    return make_user(django_user_model, "mo", "Moderators", first_name="Mo")


@pytest.fixture
def about_page(home_page) -> StandardPage:
    page = StandardPage(title="About the network", slug="about", summary="Who we are.")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page
