"""The admin's upload form: a WordPress export and, optionally, a zip of its uploads."""

from django import forms

from .uploads import Uploads, UploadsError
from .wxr import WXRError, parse

MAX_EXPORT_BYTES = 100 * 2**20
MAX_UPLOADS_BYTES = 200 * 2**20


class ImportForm(forms.Form):
    export = forms.FileField(
        label="WordPress export file",
        help_text="The .xml file from WordPress's Tools → Export → All content.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,text/xml,application/xml"}),
    )
    uploads = forms.FileField(
        label="Uploads (optional)",
        required=False,
        help_text="A .zip of the old site's wp-content/uploads folder, up to 200 MB. Without "
        "it, images and files are reported as missing. For a larger folder, use the "
        "import_wordpress command with --uploads.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    publish = forms.BooleanField(
        label="Publish what was public on the old site",
        required=False,
        help_text="Unticked, every imported page arrives as a draft for editors to check and "
        "submit for moderation.",
    )

    def clean_export(self):
        upload = self.cleaned_data["export"]
        if upload.size > MAX_EXPORT_BYTES:
            raise forms.ValidationError("The export is larger than 100 MB.")
        data = upload.read()
        try:
            self.parsed = parse(data)
        except WXRError as error:
            raise forms.ValidationError(str(error)) from None
        self.export_bytes = data
        return upload

    def clean_uploads(self):
        upload = self.cleaned_data.get("uploads")
        self.uploads_bytes = b""
        if not upload:
            return upload
        if upload.size > MAX_UPLOADS_BYTES:
            raise forms.ValidationError("The uploads zip is larger than 200 MB.")
        data = upload.read()
        try:
            Uploads.from_zip(data)
        except UploadsError as error:
            raise forms.ValidationError(str(error)) from None
        self.uploads_bytes = data
        return upload
