"""The admin's preview, import and address check, run by the background worker.

Each takes about a minute for a few hundred items: longer than a proxy in front of the site
waits for an answer, and longer than a request should hold one of the site's few web workers.
So the views only record what a moderator asked for (`start`, in the request's transaction,
with the queued task in the same commit), and `manage.py db_worker --backend background`
does it (`perform`). The run says which job is waiting or running and since when; its page
asks (`progress`) and reloads when the job is done.

A job can be lost: no worker is running, or the worker was stopped in the middle of one. The
page says which, and a stalled job can be started again: the import is one transaction, so a
job that died kept nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import connections, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task, task_backends
from django_tasks.exceptions import TaskResultDoesNotExist

from .importer import Importer
from .models import ImportRun
from .parity import check
from .uploads import Uploads
from .wxr import parse

logger = logging.getLogger(__name__)

BACKEND = "background"
# Waiting this long, the job has not been picked up: no worker is running.
UNCLAIMED_AFTER = timedelta(minutes=2)
# A worker holds its run's row lock for the whole job. Where row locks can be tested
# (PostgreSQL), a started job whose run is unlocked, once the job has had a moment to take
# the lock, lost its worker; a locked one is running, however long it takes. Elsewhere
# (SQLite), a job running this long is taken as lost (a few hundred items take a minute or two).
STALLED_AFTER = timedelta(minutes=30)
LOCK_GRACE = timedelta(seconds=10)

Job = ImportRun.Job
Status = ImportRun.Status


def start(run: ImportRun, job: str) -> None:
    """Queue ``job`` for ``run``; call inside the transaction that decided it."""
    run.job = job
    run.job_queued_at = timezone.now()
    run.job_started_at = run.job_finished_at = None
    run.job_error = ""
    if job == Job.PREVIEW:
        run.status = Status.PREVIEWING
    elif job == Job.IMPORT:
        run.status = Status.IMPORTING
    run.save(
        update_fields=[
            "job",
            "job_queued_at",
            "job_started_at",
            "job_finished_at",
            "job_error",
            "status",
        ]
    )
    result = perform.enqueue(run.pk, job)
    # With the inline backend (tests) the job has already run: set only the task's id.
    ImportRun.objects.filter(pk=run.pk).update(job_task_id=str(result.id)[:64])


@task(backend=BACKEND)
def perform(run_id: int, job: str) -> str:
    """Run ``job`` for the run, unless it is no longer the run's job (done, or superseded)."""
    with transaction.atomic():  # committed at once: the page shows the job has started
        run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.job != job:
            return "skipped"
        run.job_started_at = timezone.now()
        run.save(update_fields=["job_started_at"])
    with transaction.atomic():
        # The run stays locked until the job ends, so a page that finds it unlocked while the
        # job is unfinished knows the worker died (`_abandoned`).
        run = ImportRun.objects.select_for_update().get(pk=run_id)
        try:
            with transaction.atomic():
                _JOBS[job](run)
        except Exception as error:  # recorded for the moderator, logged for the operator
            logger.exception("WordPress %s job for run %s failed", job, run_id)
            run.job_error = f"{type(error).__name__}: {error}"
            if job != Job.PARITY:
                run.status = Status.FAILED
        run.job = Job.NONE
        run.job_finished_at = timezone.now()
        run.save(
            update_fields=[
                "report",
                "status",
                "imported_at",
                "job",
                "job_finished_at",
                "job_error",
            ]
        )
    return run.status


def _export(run: ImportRun):
    return parse(bytes(run.export))


def _importer(run: ImportRun, export, user, *, dry_run: bool) -> Importer:
    uploads = Uploads.from_zip(bytes(run.uploads)) if run.uploads else None
    return Importer(export, uploads, publish=run.publish, user=user, run=run, dry_run=dry_run)


def _preview(run: ImportRun) -> None:
    report = _importer(run, _export(run), run.created_by, dry_run=True).run_import()
    run.report = report.as_dict()
    run.status = Status.PREVIEWED


def _import(run: ImportRun) -> None:
    report = _importer(run, _export(run), run.imported_by, dry_run=False).run_import()
    run.report = report.as_dict()
    run.imported_at = timezone.now()
    run.status = Status.FAILED if report.failed else Status.IMPORTED


def _parity(run: ImportRun) -> None:
    result = check(_export(run))
    run.report = {
        **(run.report or {}),
        "parity": {
            "summary": result.summary(),
            "resolved": result.resolved,
            "total": len(result.checked),
            "export_counts": result.export_counts,
            "imported_counts": result.imported_counts,
            "failed": [checked.__dict__ for checked in result.checked if not checked.ok],
        },
    }


_JOBS = {Job.PREVIEW: _preview, Job.IMPORT: _import, Job.PARITY: _parity}


@dataclass
class Progress:
    """Where a run's job is, as its page tells it."""

    job: str
    state: str  # "waiting", "running", "unclaimed" (no worker) or "stalled" (worker lost)
    since: object  # when it was queued (waiting) or started (running)

    @property
    def lost(self) -> bool:
        return self.state in {"unclaimed", "stalled"}

    def as_dict(self) -> dict:
        return {"job": self.job, "state": self.state, "since": self.since.isoformat()}


def progress(run: ImportRun) -> Progress | None:
    if not run.job:
        return None
    now = timezone.now()
    if run.job_started_at is None:
        waited = now - (run.job_queued_at or now)
        state = "unclaimed" if waited > UNCLAIMED_AFTER else "waiting"
        return Progress(run.job, state, run.job_queued_at or now)
    running = now - run.job_started_at
    if _task_ended(run.job_task_id):
        stalled = True
    elif _can_test_locks():
        stalled = running > LOCK_GRACE and _abandoned(run)
    else:
        stalled = running > STALLED_AFTER
    return Progress(run.job, "stalled" if stalled else "running", run.job_started_at)


def _can_test_locks() -> bool:
    return connections[ImportRun.objects.db].features.has_select_for_update_skip_locked


def _abandoned(run: ImportRun) -> bool:
    """Whether no worker holds the run's lock: the one that started its job has died."""
    with transaction.atomic():
        free = ImportRun.objects.select_for_update(skip_locked=True).filter(pk=run.pk, job=run.job)
        return bool(list(free.values_list("pk", flat=True)))


def _task_ended(task_id: str) -> bool:
    """Whether the worker finished (or failed) the task without finishing the run's job."""
    backend = task_backends[BACKEND]
    if not task_id or not backend.supports_get_result:
        return False
    try:
        result = backend.get_result(task_id)
    except TaskResultDoesNotExist:
        return True
    return result.status in {TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL}


def restart(run: ImportRun) -> bool:
    """Queue a lost job again; call with the run locked. False when it is not lost."""
    current = progress(run)
    if current is None or current.state != "stalled":
        return False
    start(run, current.job)
    return True
