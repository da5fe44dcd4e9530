"""The alert pages: subscribe, confirm (double opt-in), one-click unsubscribe and manage.

No account is needed: the confirmation link is signed (``django.core.signing``, with a maximum
age) and the unsubscribe and manage links carry the subscriber's own secret. Nothing here sends
e-mail: the confirmation is queued for the background worker (alerts/tasks.py).
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from security.client import client_ip
from security.rate_limit import RateLimit

from . import feeds, sending, tasks
from .forms import FrequencyForm, SubscribeForm
from .models import Frequency, Subscriber, Subscription

TOKEN_CHARACTERS = re.compile(r"[A-Za-z0-9_-]+")
# Subscriptions one visitor's address may ask for per hour, and one e-mail address per day
# (each sends a confirmation e-mail: the limits keep the form from being a way to mail people).
PER_CLIENT = RateLimit(
    "alerts:subscribe:ip", getattr(settings, "ALERTS_SUBSCRIBE_PER_IP_PER_HOUR", 10), 60 * 60
)
PER_ADDRESS = RateLimit(
    "alerts:subscribe:email", getattr(settings, "ALERTS_SUBSCRIBE_PER_ADDRESS_PER_DAY", 5), 86400
)


def page(request: HttpRequest, template: str, context: dict | None = None, status: int = 200):
    response = render(request, f"alerts/{template}.html", context or {}, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


def no_feed(request: HttpRequest, feed: str = "") -> HttpResponse:
    return page(request, "no_feed", {"feed": feed}, status=404)


@never_cache
@require_http_methods(["GET", "HEAD"])
def index(request: HttpRequest) -> HttpResponse:
    """What alerts are; with ``?feed=``, what that feed is and a form to follow it."""
    raw = request.GET.get("feed", "")
    if not raw:
        return page(request, "index")
    key = feeds.normalise(raw)
    content = feeds.fetch(key) if key else None
    if content is None:
        return no_feed(request, raw[:200])
    form = SubscribeForm(initial={"feed": key, "frequency": Frequency.IMMEDIATELY})
    return page(request, "subscribe", {"form": form, "feed": content})


def same_origin(request: HttpRequest) -> bool:
    """The browser says the form was sent from this site (the listing pages carry no token,
    so they can be cached; security/csrf.py explains the headers)."""
    fetch_site = request.headers.get("Sec-Fetch-Site", "").strip().lower()
    if fetch_site in ("cross-site", "same-site"):
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    ours = {feeds.site_root_url(), *getattr(settings, "CSRF_TRUSTED_ORIGINS", [])}
    with contextlib.suppress(DisallowedHost):  # a host not allowed is simply not ours
        ours.add(f"{request.scheme}://{request.get_host()}")
    parts = urlsplit(origin)
    return f"{parts.scheme}://{parts.netloc}" in ours


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """A subscription request: always the same "check your inbox" answer once it is valid."""
    if request.method != "POST":
        return HttpResponseRedirect(reverse("alerts_index"))
    if not same_origin(request):
        return page(request, "refused", status=403)
    if PER_CLIENT.exceeded(client_ip(request)):
        return page(request, "rate_limited", status=429)
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        if "feed" in form.errors:
            return no_feed(request, request.POST.get("feed", "")[:200])
        key = feeds.normalise(request.POST.get("feed", ""))
        content = feeds.fetch(key) if key else None
        if content is None:
            return no_feed(request, request.POST.get("feed", "")[:200])
        return page(request, "subscribe", {"form": form, "feed": content}, status=400)
    PER_CLIENT.hit(client_ip(request))
    key = form.cleaned_data["feed"]
    content = feeds.fetch(key)
    if content is None:
        return no_feed(request, key)
    if not form.is_spam() and PER_ADDRESS.hit(form.cleaned_data["email"]):
        request_subscription(
            form.cleaned_data["email"], key, content.title, form.cleaned_data["frequency"]
        )
    # Known address or new, active already or not, bot or person: the same answer.
    return HttpResponseRedirect(reverse("alerts_check_inbox"))


def request_subscription(email: str, key: str, title: str, frequency: str) -> None:
    """Record the wish and queue the confirmation e-mail; an active alert is left as it is."""
    with transaction.atomic():
        subscriber, _ = Subscriber.objects.get_or_create(email=email)
        subscription, created = Subscription.objects.get_or_create(
            subscriber=subscriber,
            feed_key=key,
            defaults={"feed_title": title, "frequency": frequency},
        )
        if subscription.active:
            return  # nothing to confirm; the manage link in every alert changes it
        if not created:
            subscription.frequency = frequency
            subscription.feed_title = title
            subscription.unsubscribed_at = None
            subscription.confirmed_at = None
            subscription.save()
        transaction.on_commit(lambda: tasks.send_confirmation.enqueue(subscription.pk))


@never_cache
def check_inbox(request: HttpRequest) -> HttpResponse:
    return page(request, "check_inbox")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners open links); the POST confirms."""
    pk = sending.read_confirm_token(token)
    subscription = (
        Subscription.objects.select_related("subscriber").filter(pk=pk).first() if pk else None
    )
    if subscription is None or subscription.unsubscribed_at is not None:
        return page(request, "bad_link", {"what": "confirmation"}, status=404)
    if subscription.active:
        return page(request, "confirmed", {"subscription": subscription, "already": True})
    if request.method != "POST":
        return page(request, "confirm", {"subscription": subscription})
    content = feeds.fetch(subscription.feed_key)
    if content is None:
        return no_feed(request, subscription.feed_key)
    sending.confirm(subscription, content)
    return page(request, "confirmed", {"subscription": subscription})


def subscriber_for(token: str) -> Subscriber | None:
    if not token or len(token) > 64 or not TOKEN_CHARACTERS.fullmatch(token):
        return None  # also keeps a NUL byte away from PostgreSQL
    return Subscriber.objects.filter(token=token).first()


def chosen_alert(request: HttpRequest, subscriber: Subscriber) -> Subscription | None:
    value = request.GET.get("alert") or request.POST.get("alert") or ""
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    return subscriber.subscriptions.filter(pk=int(value)).first()


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no token
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One alert (``?alert=``) or every alert: GET asks, POST unsubscribes at once."""
    subscriber = subscriber_for(token)
    if subscriber is None:
        return page(request, "bad_link", {"what": "unsubscribe"}, status=404)
    alert = chosen_alert(request, subscriber)
    context = {"subscriber": subscriber, "alert": alert}
    if request.method != "POST":
        return page(request, "unsubscribe", context)
    alerts = subscriber.subscriptions.filter(unsubscribed_at__isnull=True)
    if alert is not None:
        alerts = alerts.filter(pk=alert.pk)
    alerts.update(unsubscribed_at=timezone.now())
    return page(request, "unsubscribed", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """Every alert of one address: change how often, or stop one or all."""
    subscriber = subscriber_for(token)
    if subscriber is None:
        return page(request, "bad_link", {"what": "manage"}, status=404)
    message = ""
    if request.method == "POST":
        alert = chosen_alert(request, subscriber)
        action = request.POST.get("action", "")
        if action == "stop-all":
            subscriber.subscriptions.filter(unsubscribed_at__isnull=True).update(
                unsubscribed_at=timezone.now()
            )
            message = "You will get no more alerts from us."
        elif alert is not None and action == "stop":
            Subscription.objects.filter(pk=alert.pk).update(unsubscribed_at=timezone.now())
            message = f"You will get no more alerts for {alert.feed_title}."
        elif alert is not None and action == "frequency":
            form = FrequencyForm(request.POST)
            if form.is_valid():
                Subscription.objects.filter(pk=alert.pk).update(
                    frequency=form.cleaned_data["frequency"], last_digest_at=timezone.now()
                )
                chosen = Frequency(form.cleaned_data["frequency"]).label.lower()
                message = f"Saved: {alert.feed_title}, {chosen}."
    alerts = list(
        subscriber.subscriptions.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)
    )
    return page(
        request,
        "manage",
        {
            "subscriber": subscriber,
            "alerts": alerts,
            "message": message,
            "frequencies": Frequency.choices,
        },
    )
