"""What an import of the live WordPress site remembers: each run, and each item it brought in.

An `ImportRun` keeps the uploaded export itself, so the moderator confirms exactly the file
they previewed (on whichever app server takes the confirmation), and is the record of who
imported what and when. The preview, the import and the address check are long (a minute for
a few hundred items), so each runs as a background job (`wordpress/jobs.py`); the run records
which job is waiting or running and since when. An `ImportedItem` ties a WordPress post or
attachment (by the site it came from and its id) to the page, image or document it became,
with a hash of what was imported and the revision the import wrote: re-importing an unchanged
item is a no-op, and an item whose page an editor has changed since is reported as a conflict
and left alone.
"""

from django.conf import settings
from django.db import models


class ImportRun(models.Model):
    class Status(models.TextChoices):
        PREVIEWING = "previewing", "Preview in progress"
        PREVIEWED = "previewed", "Previewed"
        IMPORTING = "importing", "Import in progress"
        IMPORTED = "imported", "Imported"
        FAILED = "failed", "Failed"

    class Job(models.TextChoices):
        NONE = "", "None"
        PREVIEW = "preview", "Preview"
        IMPORT = "import", "Import"
        PARITY = "parity", "Address check"

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    export = models.BinaryField(help_text="The WXR file as uploaded.")
    uploads_name = models.CharField(max_length=255, blank=True)
    uploads = models.BinaryField(null=True, blank=True, help_text="A zip of wp-content/uploads.")
    publish = models.BooleanField(
        default=False, help_text="Publish imported pages, rather than leave them as drafts."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    report = models.JSONField(default=dict, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    job = models.CharField(
        max_length=20,
        choices=Job.choices,
        default=Job.NONE,
        blank=True,
        help_text="The background job waiting or running for this run, if any.",
    )
    job_task_id = models.CharField(max_length=64, blank=True)
    job_queued_at = models.DateTimeField(null=True, blank=True)
    job_started_at = models.DateTimeField(null=True, blank=True)
    job_finished_at = models.DateTimeField(null=True, blank=True)
    job_error = models.TextField(blank=True, help_text="Why the last job stopped, if it failed.")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "WordPress import"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()}, {self.created_at:%Y-%m-%d %H:%M})"


class ImportedItem(models.Model):
    source = models.CharField(max_length=255, help_text="The export's site address.")
    wp_id = models.PositiveBigIntegerField()
    post_type = models.CharField(max_length=40)
    old_url = models.CharField(max_length=500, blank=True)
    file_path = models.CharField(
        max_length=500, blank=True, help_text="An attachment's path under wp-content/uploads/."
    )
    content_hash = models.CharField(max_length=64)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "wp_id"], name="wordpress_item_once")
        ]
        indexes = [models.Index(fields=["file_path"], name="wordpress_item_file")]

    def __str__(self) -> str:
        return f"WordPress {self.post_type} {self.wp_id}"
