"""Django's own check for the CSRF middleware is silenced (it looks for the class by name);
the site's check must catch a MIDDLEWARE without any CSRF protection."""

from django.test import override_settings

from security.checks import csrf_middleware_installed


def test_the_sites_csrf_middleware_passes():
    assert csrf_middleware_installed(None) == []


def test_no_csrf_middleware_is_an_error(settings):
    without = [path for path in settings.MIDDLEWARE if "csrf" not in path.lower()]
    with override_settings(MIDDLEWARE=without):
        assert [error.id for error in csrf_middleware_installed(None)] == ["ccin.E001"]
