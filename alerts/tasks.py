"""The background worker's part: e-mail goes out here, never in a request.

Queued on the ``background`` backend (django-tasks with its database queue, as the WordPress
import is: a kept library, already running in production, so no second queue to operate).
``manage.py db_worker --backend background`` runs them; the scheduler's ``send_alerts`` also
sends anything due each minute, so a lost task only delays an alert by a minute.
"""

from __future__ import annotations

from django_tasks import task

from . import sending

BACKEND = "background"


@task(backend=BACKEND)
def send_confirmation(subscription_id: int) -> bool:
    """E-mail the link that confirms a new alert."""
    return sending.send_confirmation(subscription_id)


@task(backend=BACKEND)
def published() -> dict[str, int]:
    """A page went live: queue and send what is new in every immediately-followed feed."""
    return {"queued": sending.check_feeds(), "sent": sending.send_due()}


@task(backend=BACKEND)
def send_by_hand(page_url: str, feed_key: str) -> dict[str, int]:
    """A moderator's "send now" of one page to everyone following ``feed_key``."""
    queued, _ = sending.queue_by_hand(page_url, feed_key)
    return {"queued": queued, "sent": sending.send_due()}
