"""The demo site and an uploads folder, shared by the import tests."""

from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Site

from wordpress.uploads import Uploads

from .wxr_builder import pdf, png


@pytest.fixture(scope="module")
def _demo_loaded(module_atomic):
    call_command("load_demo_content", stdout=StringIO())


@pytest.fixture
def demo(_demo_loaded, db) -> Site:
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def uploads(tmp_path) -> Uploads:
    png(tmp_path / "2021/05/solar.png")
    pdf(tmp_path / "2021/05/energy-report.pdf")
    return Uploads.from_folder(tmp_path)
