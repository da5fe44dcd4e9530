"""The admin's "WordPress import": upload, read the dry-run report, confirm, check addresses.

The export (and uploads zip) are kept on the `ImportRun`, so the confirmation imports exactly
the file that was previewed, on whichever app server receives it, and the run stays as the
record of who imported what and when. The preview, the import and the address check run in
the background worker (`jobs.py`); these views queue them and show their progress.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from . import jobs
from .forms import ImportForm
from .models import ImportRun

PERMISSION = "wordpress.add_importrun"


def allowed(user) -> bool:
    return user.has_perm(PERMISSION)


def _require(request) -> None:
    if not allowed(request.user):
        raise PermissionDenied


def index(request):
    _require(request)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            with transaction.atomic():  # the run and its queued preview, or neither
                run = _new_run(request, form)
                jobs.start(run, ImportRun.Job.PREVIEW)
            return redirect("wordpress_import_run", run.pk)
    else:
        form = ImportForm()
    runs = ImportRun.objects.select_related("created_by", "imported_by").defer("export", "uploads")[
        :20
    ]
    return TemplateResponse(request, "wordpress/admin/index.html", {"form": form, "runs": runs})


def _new_run(request, form) -> ImportRun:
    return ImportRun.objects.create(
        created_by=request.user,
        file_name=form.cleaned_data["export"].name[:255],
        export=form.export_bytes,
        uploads_name=(form.cleaned_data["uploads"].name if form.uploads_bytes else "")[:255],
        uploads=form.uploads_bytes or None,
        publish=form.cleaned_data["publish"],
        status=ImportRun.Status.PREVIEWING,
    )


def run_detail(request, pk: int):
    _require(request)
    run = get_object_or_404(ImportRun.objects.defer("export", "uploads"), pk=pk)
    report = run.report or {}
    actions = report.get("actions", [])
    verbs = ["created", "updated", "unchanged", "conflict", "skipped"]
    shown = request.GET.get("show", "")
    if shown in verbs:
        actions = [action for action in actions if action["verb"] == shown]
    elif shown == "problems":
        actions = [action for action in actions if action["problems"]]
    else:
        shown = ""
    return TemplateResponse(
        request,
        "wordpress/admin/run.html",
        {
            "run": run,
            "report": report,
            "actions": actions,
            "shown": shown,
            "verb_counts": [(verb, report.get("counts", {}).get(verb, 0)) for verb in verbs],
            "counts": report.get("counts", {}),
            "parity": report.get("parity"),
            "progress": jobs.progress(run),
            "stalled_after_minutes": int(jobs.STALLED_AFTER.total_seconds() // 60),
        },
    )


def run_progress(request, pk: int):
    """What the run page polls: its job's state, so it reloads once when the job is done."""
    _require(request)
    run = get_object_or_404(
        ImportRun.objects.only(
            "pk", "status", "job", "job_queued_at", "job_started_at", "job_task_id"
        ),
        pk=pk,
    )
    current = jobs.progress(run)
    return JsonResponse({"status": run.status, "progress": current.as_dict() if current else None})


@require_POST
def confirm(request, pk: int):
    _require(request)
    if busy := _busy(request, pk):
        return busy
    with transaction.atomic():
        run = get_object_or_404(ImportRun.objects.select_for_update(), pk=pk)
        if run.status != ImportRun.Status.PREVIEWED or run.job or (run.report or {}).get("failed"):
            messages.warning(request, _ALREADY.get(run.status, "This export cannot be imported."))
            return redirect("wordpress_import_run", run.pk)
        run.imported_by = request.user
        run.save(update_fields=["imported_by"])
        jobs.start(run, ImportRun.Job.IMPORT)
    return redirect("wordpress_import_run", run.pk)


_ALREADY = {
    ImportRun.Status.IMPORTING: "This export is being imported.",
    ImportRun.Status.IMPORTED: "This export has already been imported.",
    ImportRun.Status.PREVIEWING: "The preview is not finished yet.",
    ImportRun.Status.FAILED: "This import failed; upload the export again to retry.",
}


@require_POST
def parity(request, pk: int):
    _require(request)
    if busy := _busy(request, pk):
        return busy
    with transaction.atomic():
        run = get_object_or_404(ImportRun.objects.select_for_update(), pk=pk)
        if run.status != ImportRun.Status.IMPORTED or run.job:
            messages.warning(request, "The old addresses can be checked once the import is done.")
            return redirect("wordpress_import_run", run.pk)
        jobs.start(run, ImportRun.Job.PARITY)
    return redirect("wordpress_import_run", run.pk)


@require_POST
def restart(request, pk: int):
    """Start a job again that the worker lost (stopped mid-job); nothing of it was kept."""
    _require(request)
    run = get_object_or_404(ImportRun.objects.defer("export", "uploads"), pk=pk)
    current = jobs.progress(run)
    if current is None or current.state != "stalled":  # checked first: a running job holds the lock
        messages.warning(request, "That job is not stalled; it was not started again.")
        return redirect("wordpress_import_run", run.pk)
    with transaction.atomic():
        run = get_object_or_404(ImportRun.objects.select_for_update(), pk=pk)
        if not jobs.restart(run):
            messages.warning(request, "That job is not stalled; it was not started again.")
    return redirect("wordpress_import_run", run.pk)


_BUSY = {
    ImportRun.Job.PREVIEW: "The preview is not finished yet.",
    ImportRun.Job.IMPORT: "This export is being imported.",
    ImportRun.Job.PARITY: "The old addresses are being checked.",
}


def _busy(request, pk: int):
    """A redirect that says so when a job is under way for the run (it holds the run's lock)."""
    run = get_object_or_404(ImportRun.objects.only("pk", "job", "status"), pk=pk)
    if not run.job:
        return None
    messages.warning(request, _BUSY.get(run.job, "A job is under way for this export."))
    return redirect("wordpress_import_run", run.pk)
