"""Fixtures shared by the whole suite: a site with a home page, its settings, users.

Also what lets the suite run in parallel (pytest-xdist, `make test`) and build expensive
read-mostly data once per module (`module_atomic`) while every test still starts clean.
"""

import os
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.cache import cache
from django.db import transaction
from wagtail.models import Page, Site

from caching import versions
from home.models import HomePage, SiteSettings


def pytest_configure(config):
    """Give each xdist worker its own Redis database.

    The tests empty the cache around each test (``cache.clear()`` is Redis's FLUSHDB), so
    workers sharing one database would empty each other's cache mid-test. Worker gwN uses
    database N+1 of the same server; the environment is changed too, so the commands the
    tests run in subprocesses use the worker's database as well.
    """
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    url = os.environ.get("REDIS_URL", "")
    if not (worker.startswith("gw") and url and settings.configured):
        return
    number = 1 + int(worker.removeprefix("gw")) % 15  # Redis has databases 0-15 by default
    worker_url = urlunsplit(urlsplit(url)._replace(path=f"/{number}"))
    os.environ["REDIS_URL"] = worker_url
    settings.REDIS_URL = worker_url
    for alias in settings.CACHES.values():
        if alias.get("LOCATION") == url:
            alias["LOCATION"] = worker_url


def uses_module_atomic(item) -> bool:
    return "module_atomic" in getattr(item, "fixturenames", ())


def is_transactional(item) -> bool:
    """Whether the test runs outside a test transaction (the database is flushed after it)."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    fixtures = getattr(item, "fixturenames", ())
    return "transactional_db" in fixtures or "live_server" in fixtures


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Keep a module that shares data (``module_atomic``) in one piece, its sharers last.

    Module-shared data stays in the database from the first test that asks for it to the end
    of the module, so the module's other tests run first and see only their own data. Other
    modules keep pytest-django's order (transactional tests after the rest). pytest-xdist
    (``--dist loadfile``) runs a file's tests on one worker in this order.
    """
    by_module: dict[str, list] = {}
    for item in items:
        by_module.setdefault(item.nodeid.split("::")[0], []).append(item)
    sharing = {module for module, tests in by_module.items() if any(map(uses_module_atomic, tests))}
    for module in sharing:
        if any(map(is_transactional, by_module[module])):
            raise pytest.UsageError(
                f"{module}: a transactional test cannot share a module with module_atomic"
            )
    ordered, placed = [], set()
    for item in items:
        module = item.nodeid.split("::")[0]
        if module not in sharing:
            ordered.append(item)
        elif module not in placed:
            placed.add(module)
            tests = by_module[module]
            ordered += [t for t in tests if not uses_module_atomic(t)]
            ordered += [t for t in tests if uses_module_atomic(t)]
    items[:] = ordered


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test, put back the migrated data its flush removed.

    Run serially, pytest-django puts transactional tests after all the others, so nothing
    needs the data again; under pytest-xdist a worker may run another file's tests next, and
    they need Wagtail's root page, content types and the rest, as migrations left them.
    """
    result = yield
    if nextitem is not None and is_transactional(item):
        from django.core.management import call_command
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for connection in connections.all(initialized_only=True):
                serialized = getattr(connection, "_test_serialized_contents", None)
                if serialized is None:
                    continue
                call_command(
                    "flush",
                    verbosity=0,
                    interactive=False,
                    database=connection.alias,
                    reset_sequences=False,  # as Django's own flush: no id is handed out twice
                    inhibit_post_migrate=True,
                )
                connection.creation.deserialize_db_from_string(serialized)
    return result


@pytest.fixture(scope="module")
def module_atomic(django_db_setup, django_db_blocker):
    """An open transaction for the module's shared data, rolled back after its last test.

    Each test still runs in its own savepoint inside it (pytest-django's ``db``), so what a
    test writes is undone before the next one. Fixtures that hand shared model instances to
    tests give each test a deep copy, as Django's ``setUpTestData`` does, so changes a test
    makes to the Python objects do not carry over either.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (a shared Redis in CI would otherwise carry over),
    and reads the content version afresh (the last test's rolled back)."""
    cache.clear()
    versions.forget_memo()
    yield
    cache.clear()
    versions.forget_memo()


def make_home_page() -> HomePage:
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
def home_page(request) -> HomePage:
    """A published home page serving the default site at http://testserver/.

    With ``published_site`` (tests/api/conftest.py), that site's home page.
    """
    if "published_site" in request.fixturenames:
        return request.getfixturevalue("published_site").home
    request.getfixturevalue("db")
    return make_home_page()


@pytest.fixture(scope="module")
def _shared_published_site(module_atomic):
    """tests/api's published site, built once for the module (rolled back after it)."""
    from tests.api.conftest import build_published_site, make_image

    return build_published_site(make_home_page(), make_image())


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
