"""Image uploads that Pillow cannot read are a form error, not a 500.

Wagtail's image field recognises a file by its first bytes (Willow), then asks Pillow for
its size; a file that starts like a GIF but is not one passes the first step and makes
Pillow raise ``UnidentifiedImageError`` in the second, which escaped the form as a 500.
"""

from django.core.exceptions import ValidationError
from wagtail.images.forms import BaseImageForm


class ImageForm(BaseImageForm):
    """Wagtail's image form (``WAGTAILIMAGES_IMAGE_FORM_BASE``), reading files defensively."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None and hasattr(field, "check_image_pixel_size"):
            field.check_image_pixel_size = unreadable_is_invalid(field)


def unreadable_is_invalid(field):
    check = field.check_image_pixel_size

    def checked(uploaded) -> None:
        try:
            check(uploaded)
        except ValidationError:
            raise
        except Exception as error:  # any failure to read it: not an image we can use
            raise ValidationError(
                field.error_messages["invalid_image"], code="invalid_image"
            ) from error

    return checked
