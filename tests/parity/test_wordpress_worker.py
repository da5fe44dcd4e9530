"""The admin's WordPress import as production runs it: queued in PostgreSQL, run by
`manage.py db_worker` in a process of its own, that worker killed in the middle of the import.
Nothing of the killed import may be kept, the run must say at once that its job stopped, and a
new worker must finish the job when a moderator starts it again; every server then sends the
old addresses to the imported pages.

The jobs are queued as the admin's views queue them (`wordpress.jobs.start` in a
transaction), from a `manage.py shell` of their own; the admin screens themselves are walked
in Chromium by tests/browser/test_wordpress_import.py. Runs after test_wordpress_import.py
(file order).
"""

import io
import json
import signal
import subprocess
import sys
import zipfile

import pytest
from django.utils.html import escape

from tests.ops.servers import ROOT, get, manage
from tests.wordpress.exports import write_export
from wordpress.wxr import parse

from .conftest import wait_for

pytestmark = pytest.mark.parity

ITEMS = 150  # enough that the import is still running when the worker is killed

MODELS = (
    "import json; from django.db import transaction; from django.contrib.auth.models import "
    "Group, User; from wordpress import jobs; from wordpress.models import ImportRun, "
    "ImportedItem; "
)


def shell(stack, code: str) -> str:
    return manage(stack.env, "shell", "--no-imports", "-c", MODELS + code).strip()


def worker(stack) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "db_worker", "--backend", "background"]
        + ["--queue-name", "*", "--interval", "0.5", "--no-reload", "--no-startup-delay"],
        cwd=ROOT,
        env=stack.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def state(stack, pk: int) -> dict:
    return json.loads(
        shell(
            stack,
            f"run = ImportRun.objects.get(pk={pk}); p = jobs.progress(run); "
            "print(json.dumps({'status': run.status, 'job': run.job, "
            "'state': p.state if p else None, 'imported': "
            "ImportedItem.objects.filter(run=run).count()}))",
        )
    )


def test_a_worker_killed_mid_import_keeps_nothing_and_the_restarted_job_finishes(stack, tmp_path):
    counts = write_export(tmp_path / "export.xml", ITEMS, tmp_path / "uploads", seed=29)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file in (tmp_path / "uploads").rglob("*"):
            if file.is_file():
                name = file.relative_to(tmp_path / "uploads").as_posix()
                archive.write(file, f"wp-content/uploads/{name}")
    (tmp_path / "uploads.zip").write_bytes(buffer.getvalue())
    export = parse((tmp_path / "export.xml").read_bytes())
    study = next(
        item
        for item in export.items
        if item.post_type == "case-study" and item.status == "publish" and item.link
    )
    old_address = "/" + study.link.split("://", 1)[1].split("/", 1)[1]
    assert counts["case-study"] > 20
    assert {get(server + old_address)[0] for server in stack.servers} == {404}

    pk = int(
        shell(
            stack,
            "user = User.objects.create_user('parity-moderator', 'm@example.org', 'x'); "
            "user.groups.add(Group.objects.get(name='Moderators')); "
            "run = ImportRun.objects.create(created_by=user, file_name='export.xml', "
            f"export=open({str(tmp_path / 'export.xml')!r}, 'rb').read(), "
            f"uploads=open({str(tmp_path / 'uploads.zip')!r}, 'rb').read(), "
            "uploads_name='uploads.zip', publish=True, status='previewing'); "
            "transaction.atomic()(lambda: jobs.start(run, 'preview'))(); print(run.pk)",
        )
    )
    assert state(stack, pk) == {"status": "previewing", "job": "preview", "state": "waiting",
                                "imported": 0}  # fmt: skip

    first = worker(stack)
    try:
        wait_for(lambda: state(stack, pk)["status"] == "previewed", 120, "the preview")
        shell(
            stack,
            f"run = ImportRun.objects.get(pk={pk}); "
            "run.imported_by = User.objects.get(username='parity-moderator'); "
            "run.save(update_fields=['imported_by']); "
            "transaction.atomic()(lambda: jobs.start(run, 'import'))()",
        )
        wait_for(lambda: state(stack, pk)["state"] == "running", 60, "the import to start")
    finally:
        first.send_signal(signal.SIGKILL)  # as the OOM killer or a hard deploy would
        first.wait(timeout=30)

    # The dead worker's transaction is rolled back and its lock released: the page says the
    # job stopped (within the lock's grace period), and nothing of it is on the site.
    wait_for(lambda: state(stack, pk)["state"] == "stalled", 60, "the run to show it stalled")
    now = state(stack, pk)
    assert now["status"] == "importing" and now["imported"] == 0
    assert {get(server + old_address)[0] for server in stack.servers} == {404}

    second = worker(stack)
    try:
        restarted = shell(
            stack,
            f"run = ImportRun.objects.get(pk={pk}); "
            "print(transaction.atomic()(lambda: jobs.restart("
            f"ImportRun.objects.select_for_update().get(pk={pk})))())",
        )
        assert restarted == "True"
        wait_for(lambda: state(stack, pk)["status"] == "imported", 180, "the restarted import")
    finally:
        second.terminate()  # SIGTERM: it stops between jobs
        second.wait(timeout=60)
    assert state(stack, pk)["imported"] >= counts["case-study"]
    for server in stack.servers:
        status, _, body = get(server + old_address)
        assert status == 200 and escape(study.title) in body, (server, old_address)
