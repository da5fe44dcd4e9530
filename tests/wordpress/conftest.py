"""The demo site, an uploads folder and a signed-in moderator, shared by the import tests."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Site

from wordpress.uploads import Uploads

from .wxr_builder import pdf, png


@pytest.fixture(scope="module")
def _demo_loaded(module_atomic):
    call_command("load_demo_content", stdout=StringIO())


@pytest.fixture
def demo(_demo_loaded, db) -> Site:
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def uploads(tmp_path) -> Uploads:
    png(tmp_path / "2021/05/solar.png")
    pdf(tmp_path / "2021/05/energy-report.pdf")
    return Uploads.from_folder(tmp_path)


@pytest.fixture
def library(home_page):
    from casestudies.models import CaseStudyIndexPage
    from membership.models import MemberCouncil

    MemberCouncil.objects.create(name="Kirklees Council", slug="kirklees-council")
    index = CaseStudyIndexPage(title="Case studies", slug="case-studies")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


def user_in(django_user_model, group: str, name: str):
    user = django_user_model.objects.create_user(name, f"{name}@example.org", "password")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def moderator(client, django_user_model):
    client.force_login(user_in(django_user_model, "Moderators", "moderator"))
    return client
