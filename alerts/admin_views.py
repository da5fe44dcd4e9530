"""The moderators' alerts screen: who follows what, what is waiting or failed, and sending a
page (a Members' Update issue) by hand to everyone following a feed."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Page

from . import feeds, tasks
from .models import Delivery, Frequency, Subscription

PERMISSION = "alerts.send_alert"
Status = Delivery.Status


def allowed(user) -> bool:
    return user.has_perm(PERMISSION)


class SendForm(forms.Form):
    page = forms.ModelChoiceField(
        queryset=Page.objects.none(),
        widget=AdminPageChooser(),
        label="Page to send",
        help_text="A live, public page, such as this month's Members' Update.",
    )
    feed = forms.ChoiceField(
        label="To the subscribers of",
        help_text="Everyone who follows this feed, whatever their frequency, gets it now; "
        "anyone who already had it is skipped.",
    )

    def __init__(self, *args, feed_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["feed"].choices = feed_choices
        self.fields["page"].queryset = Page.objects.live().public()

    def clean(self):
        cleaned = super().clean()
        page, key = cleaned.get("page"), cleaned.get("feed")
        if page is not None and key:
            content = feeds.fetch(key)
            url = page.get_full_url()
            if content is None or not any(
                item.url.rstrip("/") == url.rstrip("/") for item in content.items
            ):
                raise forms.ValidationError(
                    "That page is not in that feed now, so its subscribers would not expect it. "
                    "Choose the feed the page appears in."
                )
            cleaned["url"] = url
        return cleaned


def active_with(frequency: str) -> Count:
    return Count(
        "pk",
        filter=Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True, frequency=frequency),
    )


def feed_rows() -> list[dict]:
    """Each followed feed with its confirmed subscribers per frequency."""
    rows = (
        Subscription.objects.values("feed_key")
        .annotate(
            immediately=active_with(Frequency.IMMEDIATELY),
            daily=active_with(Frequency.DAILY),
            weekly=active_with(Frequency.WEEKLY),
            unconfirmed=Count("pk", filter=Q(confirmed_at__isnull=True)),
        )
        .order_by("feed_key")
    )
    titles = dict(
        Subscription.objects.order_by("feed_key", "created_at").values_list(
            "feed_key", "feed_title"
        )
    )
    return [
        {
            **row,
            "title": titles.get(row["feed_key"], row["feed_key"]),
            "total": row["immediately"] + row["daily"] + row["weekly"],
        }
        for row in rows
    ]


def index(request):
    if not allowed(request.user):
        raise PermissionDenied
    rows = feed_rows()
    choices = [
        (row["feed_key"], f"{row['title']} ({row['feed_key']})") for row in rows if row["total"]
    ]
    form = SendForm(request.POST or None, feed_choices=choices)
    if request.method == "POST" and form.is_valid():
        url, key = form.cleaned_data["url"], form.cleaned_data["feed"]
        transaction.on_commit(lambda: tasks.send_by_hand.enqueue(url, key))
        messages.success(
            request,
            f"“{form.cleaned_data['page'].title}” is queued for the subscribers of "
            f"{key}; the background worker sends it within a minute.",
        )
        return redirect("alerts_admin")
    waiting = Delivery.objects.filter(status__in=[Status.PENDING, Status.SENDING])
    problems = (
        Delivery.objects.filter(Q(status=Status.FAILED) | Q(status=Status.PENDING, attempts__gt=0))
        .select_related("subscriber")
        .order_by("-created_at")[:50]
    )
    return TemplateResponse(
        request,
        "alerts/admin/index.html",
        {
            "rows": rows,
            "form": form,
            "pending": waiting.filter(status=Status.PENDING).count(),
            "sending": waiting.filter(status=Status.SENDING).count(),
            "failed": Delivery.objects.filter(status=Status.FAILED).count(),
            "sent": Delivery.objects.filter(status=Status.SENT).count(),
            "problems": problems,
        },
    )
