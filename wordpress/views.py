"""The admin's "WordPress import": upload, read the dry-run report, confirm, check addresses.

The export (and uploads zip) are kept on the `ImportRun`, so the confirmation imports exactly
the file that was previewed, on whichever app server receives it, and the run stays as the
record of who imported what and when.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .forms import ImportForm
from .importer import Importer
from .models import ImportRun
from .parity import check
from .uploads import Uploads
from .wxr import WXRError, parse

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
            run = ImportRun.objects.create(
                created_by=request.user,
                file_name=form.cleaned_data["export"].name[:255],
                export=form.export_bytes,
                uploads_name=(form.cleaned_data["uploads"].name if form.uploads_bytes else "")[
                    :255
                ],
                uploads=form.uploads_bytes or None,
                publish=form.cleaned_data["publish"],
            )
            report = _importer(run, form.parsed, request.user, dry_run=True).run_import()
            run.report = report.as_dict()
            run.save(update_fields=["report"])
            return redirect("wordpress_import_run", run.pk)
    else:
        form = ImportForm()
    runs = ImportRun.objects.select_related("created_by", "imported_by").defer("export", "uploads")[
        :20
    ]
    return TemplateResponse(request, "wordpress/admin/index.html", {"form": form, "runs": runs})


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
        },
    )


@require_POST
def confirm(request, pk: int):
    _require(request)
    with transaction.atomic():
        run = get_object_or_404(ImportRun.objects.select_for_update(), pk=pk)
        if run.status != ImportRun.Status.PREVIEWED:
            messages.warning(request, "This export has already been imported.")
            return redirect("wordpress_import_run", run.pk)
        run.status = ImportRun.Status.FAILED  # until the import below succeeds
        run.save(update_fields=["status"])
    try:
        export = parse(bytes(run.export))
    except WXRError as error:
        messages.error(request, str(error))
        return redirect("wordpress_import_run", run.pk)
    report = _importer(run, export, request.user, dry_run=False).run_import()
    run.report = report.as_dict()
    run.imported_by = request.user
    run.imported_at = timezone.now()
    run.status = ImportRun.Status.FAILED if report.failed else ImportRun.Status.IMPORTED
    run.save(update_fields=["report", "imported_by", "imported_at", "status"])
    if report.failed:
        messages.error(request, f"Nothing was imported: {report.failed}")
    else:
        messages.success(request, f"Imported. {report.summary()}")
    return redirect("wordpress_import_run", run.pk)


@require_POST
def parity(request, pk: int):
    _require(request)
    run = get_object_or_404(ImportRun, pk=pk)
    try:
        export = parse(bytes(run.export))
    except WXRError as error:
        messages.error(request, str(error))
        return redirect("wordpress_import_run", run.pk)
    result = check(export)
    run.report = {
        **(run.report or {}),
        "parity": {
            "summary": result.summary(),
            "resolved": result.resolved,
            "total": len(result.checked),
            "export_counts": result.export_counts,
            "imported_counts": result.imported_counts,
            "failed": [check.__dict__ for check in result.checked if not check.ok],
        },
    }
    run.save(update_fields=["report"])
    messages.success(request, result.summary())
    return redirect("wordpress_import_run", run.pk)


def _importer(run: ImportRun, export, user, *, dry_run: bool) -> Importer:
    uploads = Uploads.from_zip(bytes(run.uploads)) if run.uploads else None
    return Importer(export, uploads, publish=run.publish, user=user, run=run, dry_run=dry_run)
