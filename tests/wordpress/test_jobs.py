"""The admin's import runs in the background worker, as production runs it.

These tests use the database queue (django-tasks-db) and its own `db_worker` command, run
in-process with ``--batch``: the request only queues the work and answers at once; nothing
happens until a worker runs; a lost job is reported and can be started again.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from casestudies.models import CaseStudyPage
from wordpress import jobs
from wordpress.models import ImportRun

from .test_admin import IMAGE, STUDY, upload, uploads_zip
from .wxr_builder import export

pytestmark = pytest.mark.django_db

QUEUE = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}


@pytest.fixture
def queue(settings, monkeypatch):
    settings.TASKS = QUEUE
    # The worker closes its database connection between tasks, as a long-running process
    # should; here that connection is the test's, and closing it would end the test's
    # transaction (PostgreSQL). tests/parity/test_wordpress_worker.py runs it for real.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


def work() -> None:
    """What the worker does: every queued task, then stop."""
    call_command("db_worker", "--backend", "background", "--batch", "--no-startup-delay")


def page_of(client, run: ImportRun) -> str:
    return client.get(f"/admin/wordpress-import/{run.pk}/").content.decode()


def test_the_upload_answers_at_once_and_the_worker_previews(queue, moderator, library, tmp_path):
    response = upload(moderator, export(STUDY, IMAGE), uploads_zip(tmp_path))
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert run.status == "previewing" and run.job == "preview" and not run.report
    task = DBTaskResult.objects.get()
    assert str(task.id) == run.job_task_id and task.status == "READY"

    waiting = page_of(moderator, run)
    assert "Preview in progress: nothing has been changed yet" in waiting
    assert "Waiting for the background worker since" in waiting
    assert "Import now" not in waiting and "import-progress.js" in waiting
    assert moderator.get(f"/admin/wordpress-import/{run.pk}/progress/").json() == {
        "status": "previewing",
        "progress": {"job": "preview", "state": "waiting", "since": run.job_queued_at.isoformat()},
    }

    work()
    run.refresh_from_db()
    assert run.status == "previewed" and run.job == "" and run.job_finished_at
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    preview = page_of(moderator, run)
    assert "Preview: nothing has been changed yet" in preview and "Created 2," in preview
    assert "import-progress.js" not in preview  # nothing left to wait for
    assert not CaseStudyPage.objects.exists()
    progress = moderator.get(f"/admin/wordpress-import/{run.pk}/progress/")
    assert progress.json() == {"status": "previewed", "progress": None}
    assert "no-store" in progress["Cache-Control"]  # the admin's, for every answer


def test_import_now_queues_the_import_once_and_the_worker_imports(
    queue, moderator, library, tmp_path
):
    upload(moderator, export(STUDY, IMAGE), uploads_zip(tmp_path))
    work()
    run = ImportRun.objects.get()
    moderator.post(f"/admin/wordpress-import/{run.pk}/import/")
    again = moderator.post(f"/admin/wordpress-import/{run.pk}/import/", follow=True)
    assert "This export is being imported." in again.content.decode()
    run.refresh_from_db()
    assert run.status == "importing" and run.imported_by.username == "moderator"
    assert DBTaskResult.objects.count() == 2  # the preview and one import, not two
    assert not CaseStudyPage.objects.exists()
    assert "Import in progress" in page_of(moderator, run)

    work()
    run.refresh_from_db()
    assert run.status == "imported" and run.imported_at and run.job == ""
    assert CaseStudyPage.objects.get(slug="kirklees-community-energy").live
    text = page_of(moderator, run)
    assert "Imported " in text and "Check every old address" in text

    moderator.post(f"/admin/wordpress-import/{run.pk}/parity/")
    assert "Checking every old address" in page_of(moderator, run)
    work()
    run.refresh_from_db()
    assert run.report["parity"]["summary"].endswith("(100.0%)")
    assert run.status == "imported" and run.job == ""


def test_without_a_worker_the_page_says_so_after_two_minutes(queue, moderator, library):
    upload(moderator, export(STUDY))
    run = ImportRun.objects.get()
    ImportRun.objects.filter(pk=run.pk).update(
        job_queued_at=timezone.now() - jobs.UNCLAIMED_AFTER - timedelta(seconds=1)
    )
    text = page_of(moderator, run)
    assert "No background worker has picked this up since" in text
    assert "manage.py db_worker --backend background" in text
    assert "Start it again" not in text  # it is still queued; a worker will take it


def test_a_job_the_worker_lost_can_be_started_again(queue, moderator, library, tmp_path):
    upload(moderator, export(STUDY, IMAGE), uploads_zip(tmp_path))
    work()
    run = ImportRun.objects.get()
    moderator.post(f"/admin/wordpress-import/{run.pk}/import/")
    # The worker claimed the import, then was killed: its task stays "running" for ever.
    task = DBTaskResult.objects.get(pk=ImportRun.objects.get().job_task_id)
    task.claim("killed-worker")
    ImportRun.objects.filter(pk=run.pk).update(job_started_at=timezone.now())
    assert "Import in progress" in page_of(moderator, run)
    refused = moderator.post(f"/admin/wordpress-import/{run.pk}/restart/", follow=True)
    assert "not stalled" in refused.content.decode()

    ImportRun.objects.filter(pk=run.pk).update(
        job_started_at=timezone.now() - jobs.STALLED_AFTER - timedelta(seconds=1)
    )
    text = page_of(moderator, run)
    assert "This stopped without finishing" in text and "nothing of it was kept" in text
    moderator.post(f"/admin/wordpress-import/{run.pk}/restart/")
    run.refresh_from_db()
    assert run.status == "importing" and run.job_started_at is None
    work()
    run.refresh_from_db()
    assert run.status == "imported"
    assert CaseStudyPage.objects.filter(slug="kirklees-community-energy").count() == 1


def test_a_task_that_ended_without_finishing_its_job_is_stalled(queue, moderator, library):
    upload(moderator, export(STUDY))
    run = ImportRun.objects.get()
    DBTaskResult.objects.filter(pk=run.job_task_id).update(status="FAILED")
    ImportRun.objects.filter(pk=run.pk).update(job_started_at=timezone.now())
    assert jobs.progress(ImportRun.objects.get()).state == "stalled"


def test_a_job_that_fails_is_recorded_and_the_page_says_why(queue, moderator, library):
    upload(moderator, export(STUDY))
    run = ImportRun.objects.get()
    ImportRun.objects.filter(pk=run.pk).update(export=b"<rss>not an export")
    work()
    run.refresh_from_db()
    assert run.status == "failed" and run.job == "" and "WXRError" in run.job_error
    text = page_of(moderator, run)
    assert "This import failed: nothing was imported" in text
    assert "The last job stopped with an error" in text
    assert "Import now" not in text


def test_a_superseded_task_does_nothing(queue, moderator, library):
    upload(moderator, export(STUDY))
    run = ImportRun.objects.get()
    assert jobs.perform.call(run.pk, "import") == "skipped"  # the run's job is the preview
    run.refresh_from_db()
    assert run.status == "previewing" and run.job == "preview"


def test_a_started_job_whose_run_no_worker_holds_is_stalled_where_locks_tell(
    queue, moderator, library
):
    """PostgreSQL: a worker holds its run's row lock for the whole job, so a started job whose
    run is unlocked after the grace period lost its worker. SQLite has no row locks to test:
    there only the time limit says so."""
    from django.db import connection

    upload(moderator, export(STUDY))
    run = ImportRun.objects.get()
    ImportRun.objects.filter(pk=run.pk).update(
        job_started_at=timezone.now() - jobs.LOCK_GRACE - timedelta(seconds=1)
    )
    expected = "stalled" if connection.features.has_select_for_update_skip_locked else "running"
    assert jobs.progress(ImportRun.objects.get()).state == expected
    ImportRun.objects.filter(pk=run.pk).update(job_started_at=timezone.now())
    assert jobs.progress(ImportRun.objects.get()).state == "running"  # within the grace
