"""Fixtures shared by the whole suite: a site with a home page, its settings, users."""

import pytest
from django.core.cache import cache
from wagtail.models import Page, Site

from home.models import HomePage, SiteSettings


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (a shared Redis in CI would otherwise carry over)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home_page(db) -> HomePage:
    """A published home page serving the default site at http://testserver/."""
    root = Page.get_first_root_node()
    # Wagtail's first migration leaves a "Welcome" placeholder; the site gets our home instead.
    root.get_children().exact_type(Page).delete()
    home = HomePage(title="Home", slug="home")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.all().delete()
    Site.objects.create(
        hostname="testserver", port=80, root_page=home, is_default_site=True, site_name="CCIN"
    )
    return home


@pytest.fixture
def site(home_page) -> Site:
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def site_settings(site) -> SiteSettings:
    return SiteSettings.for_site(site)


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser(
        username="admin", email="admin@example.org", password="password"
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client
