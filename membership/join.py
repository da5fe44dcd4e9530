"""The join enquiry form on the membership page: what a visit and a POST do, step by step.

A valid enquiry is counted against the sender's address, checked for the honeypot, stored
and sent to the network's staff; then the sender is thanked. Invalid forms are shown again
with their errors and do not count.

The form carries no CSRF token for anonymous visitors, so the page can be served from the
page cache: their POSTs are accepted on the browser's proof that they come from this site
(``security.csrf``). A POST with no such proof is shown again with a token (``resend``);
signed-in users always get a token, and Django's check.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers

from home.models import SiteSettings
from security.client import client_ip
from security.rate_limit import RateLimit

from .forms import JoinEnquiryForm
from .models.enquiries import JoinEnquiry

if TYPE_CHECKING:
    from .models.pages import MembershipPage

logger = logging.getLogger(__name__)

# Valid join enquiries one address may send per hour before being asked to email instead.
JOIN_RATE_LIMIT = 5
JOIN_RATE_WINDOW = 60 * 60
# Counted under "membership:join:<address>".
JOIN_LIMIT = RateLimit("membership:join", JOIN_RATE_LIMIT, JOIN_RATE_WINDOW)


def handle_join(request: HttpRequest, page: MembershipPage) -> HttpResponse:
    """The membership page with its join form; a POST is an enquiry."""
    if request.method != "POST":
        return render_form(request, page, JoinEnquiryForm())
    if is_rate_limited(request):
        return rate_limited_response(request, page)
    form = JoinEnquiryForm(request.POST)
    if not form.is_valid():
        return render_form(request, page, form)
    count_enquiry(request)
    if not form.is_spam():
        notify_staff(request, save_enquiry(form))
    # A bot that filled the honeypot sees the same thank-you page as a person.
    return HttpResponseRedirect(page.url + page.reverse_subpage("join_thanks"))


def render_form(
    request: HttpRequest, page: MembershipPage, form: JoinEnquiryForm, **context
) -> HttpResponse:
    """The page with ``form``; a token in it only for a signed-in user (never cached)."""
    context_overrides = {"form": form, "form_token": request.user.is_authenticated, **context}
    return page.render(request, context_overrides=context_overrides)


def resend(request: HttpRequest, page: MembershipPage) -> HttpResponse:
    """A POST that did not show it came from this site: the form as sent, with a token.

    Nothing is stored, sent or counted; the visitor presses the button again and the token
    proves the second POST (security.csrf). The token makes this response one visitor's own.
    """
    response = page.render(
        request,
        context_overrides={
            "form": JoinEnquiryForm(request.POST),
            "form_token": True,
            "resend": True,
        },
    )
    add_never_cache_headers(response)
    return response


def is_rate_limited(request: HttpRequest) -> bool:
    """This address has already sent as many enquiries as the window allows."""
    return JOIN_LIMIT.exceeded(client_ip(request))


def count_enquiry(request: HttpRequest) -> None:
    """Count a valid enquiry (the honeypot's too) against the sender's address."""
    JOIN_LIMIT.hit(client_ip(request))


def rate_limited_response(request: HttpRequest, page: MembershipPage) -> HttpResponse:
    """The page with an empty form and the "please email us instead" message, as a 429."""
    response = render_form(request, page, JoinEnquiryForm(), rate_limited=True)
    response.status_code = 429
    return response


def save_enquiry(form: JoinEnquiryForm) -> JoinEnquiry:
    """Store the enquiry, so staff can follow it up from the admin."""
    return form.save()


def enquiry_recipients(request: HttpRequest) -> list[str]:
    """``MEMBERSHIP_ENQUIRY_EMAIL`` (one address or a list), else the site's contact email."""
    configured = getattr(settings, "MEMBERSHIP_ENQUIRY_EMAIL", [])
    if isinstance(configured, str):
        configured = [configured]
    if configured:
        return list(configured)
    return [SiteSettings.for_request(request).contact_email]


def enquiry_email(request: HttpRequest, enquiry: JoinEnquiry) -> EmailMessage:
    """The message to staff; replying to it replies to the sender."""
    lines = [
        f"Name: {enquiry.name}",
        f"Organisation: {enquiry.organisation}",
        f"Role: {enquiry.role or '-'}",
        f"Email: {enquiry.email}",
        f"Tier of interest: {enquiry.get_tier_display()}",
        "",
        enquiry.message or "(no message)",
        "",
        "All enquiries are in the admin under Network > Join enquiries.",
    ]
    return EmailMessage(
        subject=f"Membership enquiry from {enquiry.organisation}",
        body="\n".join(lines),
        to=enquiry_recipients(request),
        reply_to=[enquiry.email],
    )


def notify_staff(request: HttpRequest, enquiry: JoinEnquiry) -> None:
    """Tell the network's staff; the enquiry is already stored, so a mail failure is logged."""
    try:
        enquiry_email(request, enquiry).send()
    except Exception:  # the enquiry is saved; staff see it in the admin
        logger.exception("Could not email membership enquiry %s", enquiry.pk)
