"""Autosave's create and the editor's Submit reaching the create view at the same moment, in
two threads with their own connections and no test transaction, as two gunicorn threads.

Creates under one parent now run one at a time. The first create is held inside its
transaction just after making the page; the Submit must wait for it (seen in PostgreSQL's
lock table), then continue that same page. Before, nothing made the second wait: it ran
alongside the first and, by the interleaving, answered "slug already in use", or computed
the same tree position and failed with a 500 (the browser editor journey met that in CI).
The hold and the wait are read from PostgreSQL, so this runs in the PostgreSQL lane.
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from wagtail import hooks
from wagtail.models import WorkflowState

from home.models import StandardPage
from tests.ops.servers import wait_for

from .test_workflow import add_form

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="reads PostgreSQL's lock table; SQLite serialises writers by its file lock",
    ),
]


def someone_waits_on_a_lock() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def test_a_submit_racing_autosaves_create_continues_the_same_page(home_page, editor):
    setup = Client()
    setup.force_login(editor)
    url, data = add_form(setup, home_page)
    data["title"], data["slug"] = "Election night", "election-night"
    submit = {**data, "title": "Election night: results"}
    submit["action-submit"] = "Submit to Moderator approval"

    created, release = threading.Event(), threading.Event()
    answers: dict[str, object] = {}

    def hold_the_first(request, page):
        if not created.is_set():
            created.set()
            release.wait(timeout=30)

    def post(name: str, body: dict) -> None:
        client = Client()
        client.force_login(editor)
        try:
            answers[name] = client.post(url, body).status_code
        except Exception as error:  # the old code's IntegrityError
            answers[name] = error
        finally:
            connection.close()

    with hooks.register_temporarily("after_create_page", hold_the_first):
        autosave = threading.Thread(target=post, args=("autosave", data))
        autosave.start()
        wait_for(created.is_set, 30, "the autosave to make its page")
        clicked = threading.Thread(target=post, args=("submit", submit))
        clicked.start()
        try:
            wait_for(someone_waits_on_a_lock, 30, "the submit to wait for the autosave")
        finally:
            release.set()
            autosave.join(30)
            clicked.join(30)

    assert answers == {"autosave": 302, "submit": 302}, answers
    page = StandardPage.objects.get(slug="election-night")  # one page, not two
    assert page.get_latest_revision_as_object().title == "Election night: results"
    assert WorkflowState.objects.filter(object_id=str(page.pk), status="in_progress").exists()
