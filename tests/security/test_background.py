"""The password reset answers before its mail is sent, so its timing cannot tell whether an
address has an account (security/background.py, security/accounts.py). Production path:
background work on, no test transaction (the worker thread reads committed rows)."""

import threading

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from security.background import wait_for_background

GATE = threading.Event()
SENT_BY: list[str] = []


class GatedBackend(EmailBackend):
    """Holds every message until the test opens the gate, noting which thread sent it."""

    def send_messages(self, messages):
        GATE.wait(timeout=10)
        SENT_BY.append(threading.current_thread().name)
        return super().send_messages(messages)


@pytest.fixture
def background(settings):
    settings.CCIN_BACKGROUND_TASKS = True
    settings.EMAIL_BACKEND = f"{__name__}.GatedBackend"
    GATE.clear()
    SENT_BY.clear()
    yield
    GATE.set()
    wait_for_background()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_reset_answer_comes_before_its_mail_and_says_the_same(client, background):
    User.objects.create_user("eddie", "eddie@councils.coop", "a-long-editor-passphrase")
    known = client.post("/admin/password_reset/", {"email": "eddie@councils.coop"})
    unknown = client.post("/admin/password_reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert mail.outbox == [], "the mail was sent inside the request"

    GATE.set()
    wait_for_background()
    assert [message.to for message in mail.outbox] == [["eddie@councils.coop"]]
    assert SENT_BY and all(name.startswith("ccin-background") for name in SENT_BY)
    assert "/admin/password_reset/" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_mail_server_is_logged_not_shown(client, settings, background, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    User.objects.create_user("eddie", "eddie@councils.coop", "a-long-editor-passphrase")
    response = client.post("/admin/password_reset/", {"email": "eddie@councils.coop"})
    assert response.status_code == 302
    wait_for_background()
    assert "Failed to send password reset email" in caplog.text
