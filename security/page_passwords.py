"""A throttle on the passwords of password-protected pages.

Wagtail checks a page's shared password at ``/_util/authenticate_with_password/`` with no
limit, so a script could try thousands a minute. Here wrong passwords are counted per visitor
address and restriction; over the limit the form is shown again with a message and a 429,
and no password is checked until the window has passed.
"""

from django.conf import settings
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from wagtail import views as wagtail_views
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import Page, PageViewRestriction

from .client import client_ip
from .rate_limit import RateLimit

TOO_MANY = "Too many wrong passwords from your connection. Please wait a few minutes and try again."


def page_password_limit() -> RateLimit:
    return RateLimit(
        "page-password", settings.CCIN_PAGE_PASSWORD_LIMIT, settings.CCIN_PAGE_PASSWORD_WINDOW
    )


def authenticate_with_password(
    request: HttpRequest, page_view_restriction_id: int, page_id: int
) -> HttpResponseBase:
    """Wagtail's view, counting wrong passwords and refusing to check once over the limit."""
    if request.method != "POST":
        return wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    limit = page_password_limit()
    key = f"{page_view_restriction_id}:{client_ip(request)}"
    if limit.exceeded(key):
        return refused(request, page_view_restriction_id, page_id)
    response = wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    if response.status_code != 302:  # the form again: the password was wrong
        limit.hit(key)
    return response


def refused(request: HttpRequest, restriction_id: int, page_id: int) -> HttpResponseBase:
    restriction = get_object_or_404(PageViewRestriction, id=restriction_id)
    page = get_object_or_404(Page, id=page_id).specific
    form = PasswordViewRestrictionForm(
        initial={"return_url": request.POST.get("return_url", "")}, instance=restriction
    )
    # Shown as a form error, without validating (and so checking) the password.
    form._errors, form.cleaned_data = ErrorDict(), {}
    form.add_error(None, TOO_MANY)
    action_url = reverse("wagtailcore_authenticate_with_password", args=[restriction.id, page.id])
    response = page.serve_password_required_response(request, form, action_url)
    response.status_code = 429
    return response
