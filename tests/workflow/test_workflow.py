"""Comms approval through the real admin views: editors submit, moderators approve."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, TaskState, Workflow, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

from editorial.models import PreElectionApprovalTask, SchedulerRun
from home.models import StandardPage


def editor_form(client, url):
    """The page editor's form as the browser would submit it (StreamFields empty)."""
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    # StreamField widgets are built by the admin's JavaScript; an empty body sends count 0.
    data.setdefault("body-count", "0")
    return data


def add_form(client, parent, model=StandardPage):
    url = reverse(
        "wagtailadmin_pages:add",
        args=[model._meta.app_label, model._meta.model_name, parent.pk],
    )
    return url, editor_form(client, url)


def create_and_submit(client, parent, title, slug, **fields) -> StandardPage:
    url, data = add_form(client, parent)
    data["title"], data["slug"] = title, slug
    for key, value in fields.items():
        data[key] = value
    data["action-submit"] = "Submit to Moderator approval"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return StandardPage.objects.get(slug=slug)


def approve(client, page, comment="Looks good"):
    state = TaskState.objects.get(
        workflow_state__base_content_type__isnull=False,
        workflow_state__object_id=str(page.pk),
        status=TaskState.STATUS_IN_PROGRESS,
    )
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk])
    return client.post(url, {"comment": comment})


@pytest.mark.django_db
class TestGroupsAndWorkflow:
    def test_every_page_goes_through_comms_approval(self, home_page):
        workflow = home_page.get_workflow()
        assert workflow.name == "Comms approval"
        tasks = [task.specific for task in workflow.tasks.all()]
        assert [task.name for task in tasks] == [
            "Moderator approval",
            "Pre-election second approval",
        ]
        assert isinstance(tasks[1], PreElectionApprovalTask)
        assert Workflow.objects.filter(name="Comms approval").count() == 1

    def test_editors_cannot_publish_moderators_can(self, home_page, editor, moderator):
        assert home_page.permissions_for_user(editor).can_add_subpage()
        assert not home_page.permissions_for_user(editor).can_publish()
        assert home_page.permissions_for_user(moderator).can_publish()
        assert home_page.permissions_for_user(moderator).can_unpublish()
        assert Group.objects.get(name="Editors").permissions.filter(codename="add_image").exists()


@pytest.mark.django_db
class TestSubmitAndApprove:
    def test_editor_submits_moderator_approves_page_goes_live(
        self, client, home_page, editor, moderator
    ):
        client.force_login(editor)
        page = create_and_submit(client, home_page, "Statement on devolution", "devolution")
        assert not page.live
        assert client.get("/devolution/").status_code == 404
        # Moderators are told something is waiting.
        assert any("mo@councils.coop" in message.to for message in mail.outbox)

        client.force_login(moderator)
        dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "Statement on devolution" in dashboard
        response = approve(client, page, comment="Approved for release")
        assert response.status_code in (200, 302)
        page.refresh_from_db()
        assert page.live
        assert client.get("/devolution/").status_code == 200
        history = TaskState.objects.get(
            workflow_state__object_id=str(page.pk), status=TaskState.STATUS_APPROVED
        )
        assert history.finished_by == moderator
        assert history.comment == "Approved for release"

    def test_editor_publish_button_is_refused(self, client, home_page, editor):
        client.force_login(editor)
        url, data = add_form(client, home_page)
        data["title"], data["slug"] = "Sneaky", "sneaky"
        data["action-publish"] = "Publish"
        client.post(url, data)
        page = StandardPage.objects.get(slug="sneaky")
        assert not page.live

    def test_moderator_can_request_changes(self, client, home_page, editor, moderator):
        client.force_login(editor)
        page = create_and_submit(client, home_page, "Draft statement", "draft-statement")
        client.force_login(moderator)
        state = TaskState.objects.get(
            workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
        )
        url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", state.pk])
        client.post(url, {"comment": "Please add the date"})
        state.refresh_from_db()
        assert state.status == TaskState.STATUS_REJECTED
        assert WorkflowState.objects.get(object_id=str(page.pk)).status == "needs_changes"
        page.refresh_from_db()
        assert not page.live


@pytest.mark.django_db
class TestPreElectionPeriod:
    @pytest.fixture
    def in_period(self, site_settings):
        now = timezone.now()
        site_settings.pre_election_start = now - timedelta(days=10)
        site_settings.pre_election_end = now + timedelta(days=10)
        site_settings.save()
        return site_settings

    @pytest.fixture
    def second_moderator(self, django_user_model):
        user = django_user_model.objects.create_user(
            username="sam", email="sam@councils.coop", password="password", first_name="Sam"
        )
        user.groups.add(Group.objects.get(name="Moderators"))
        return user

    def test_political_page_needs_a_second_approval_from_another_moderator(
        self, client, home_page, editor, moderator, second_moderator, in_period
    ):
        client.force_login(editor)
        page = create_and_submit(
            client, home_page, "Election reaction", "election-reaction", political="on"
        )
        client.force_login(moderator)
        approve(client, page)
        page.refresh_from_db()
        assert not page.live  # waiting for the pre-election second approval
        state = TaskState.objects.get(
            workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
        )
        assert state.task.specific.name == "Pre-election second approval"
        # The moderator who approved first cannot give the second approval too.
        task = state.task.specific
        assert not task.get_task_states_user_can_moderate(moderator).filter(pk=state.pk)
        assert task.get_task_states_user_can_moderate(second_moderator).filter(pk=state.pk)
        refused = approve(client, page, comment="Approving my own approval")
        assert refused.status_code in (302, 403)
        page.refresh_from_db()
        assert not page.live
        state.refresh_from_db()
        assert state.status == TaskState.STATUS_IN_PROGRESS

        client.force_login(second_moderator)
        approve(client, page, comment="Second approval: factual, not campaigning")
        page.refresh_from_db()
        assert page.live

    def test_publish_is_not_offered_for_a_political_page(
        self, client, home_page, editor, moderator, in_period
    ):
        client.force_login(editor)
        page = create_and_submit(client, home_page, "Council control", "control", political="on")
        client.force_login(moderator)
        html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
        assert 'name="action-publish"' not in html

    def test_publishing_a_political_page_directly_saves_a_draft_instead(
        self, client, home_page, editor, moderator, in_period
    ):
        client.force_login(moderator)
        url, data = add_form(client, home_page)
        data.update(title="Election night", slug="election-night", political="on")
        data["action-publish"] = "Publish"
        response = client.post(url, data, follow=True)
        page = StandardPage.objects.get(slug="election-night")  # nothing typed is lost
        assert not page.live
        assert "goes live only through approval by two moderators" in response.content.decode()

        edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        data = editor_form(client, edit_url)
        data["title"] = "Election night results"
        data["action-publish"] = "Publish"
        client.post(edit_url, data)
        page.refresh_from_db()
        assert not page.live
        assert page.get_latest_revision_as_object().title == "Election night results"

    def test_bulk_publish_refuses_political_pages(self, client, home_page, moderator, in_period):
        page = StandardPage(title="Hustings", slug="hustings", political=True, live=False)
        home_page.add_child(instance=page)
        page.save_revision()
        client.force_login(moderator)
        url = (
            reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
            + f"?id={page.pk}"
        )
        client.post(url, {"include_descendants": ""})
        page.refresh_from_db()
        assert not page.live

    def test_other_pages_need_one_approval(self, client, home_page, editor, moderator, in_period):
        client.force_login(editor)
        page = create_and_submit(client, home_page, "Events diary", "events-diary")
        client.force_login(moderator)
        approve(client, page)
        page.refresh_from_db()
        assert page.live
        skipped = TaskState.objects.get(
            workflow_state__object_id=str(page.pk), status=TaskState.STATUS_SKIPPED
        )
        assert "Not needed" in skipped.comment

    def test_political_page_outside_the_period_needs_one_approval(
        self, client, home_page, editor, moderator
    ):
        client.force_login(editor)
        page = create_and_submit(client, home_page, "Manifesto", "manifesto", political="on")
        client.force_login(moderator)
        approve(client, page)
        page.refresh_from_db()
        assert page.live

    def test_public_banner_and_admin_notice(self, client, home_page, editor, in_period):
        assert "Pre-election period." in client.get("/").content.decode()
        client.force_login(editor)
        dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "Pre-election period is running" in dashboard
        _, _ = add_form(client, home_page)
        edit = client.get(reverse("wagtailadmin_pages:edit", args=[home_page.pk]))
        assert "need a second moderator" in edit.content.decode()

    def test_no_banner_outside_the_period(self, client, home_page, site_settings):
        site_settings.pre_election_start = timezone.now() - timedelta(days=20)
        site_settings.pre_election_end = timezone.now() - timedelta(days=1)
        site_settings.save()
        assert "Pre-election period." not in client.get("/").content.decode()


def schedule(home_page, slug, go_live_at, user=None) -> StandardPage:
    page = StandardPage(title=f"Embargoed {slug}", slug=slug, live=False)
    home_page.add_child(instance=page)
    page.go_live_at = go_live_at
    revision = page.save_revision(user=user, approved_go_live_at=go_live_at)
    revision.publish()  # with a future go_live_at this schedules rather than publishes
    page.refresh_from_db()
    return page


@pytest.mark.django_db
class TestScheduledPublishing:
    def test_embargo_goes_live_when_the_scheduler_runs_after_its_time(self, client, home_page):
        go_live = timezone.now() + timedelta(hours=2)
        page = schedule(home_page, "embargo", go_live)
        assert not page.live
        assert client.get("/embargo/").status_code == 404
        call_command("publish_scheduled")
        assert not Page.objects.get(pk=page.pk).live  # too early

        later = go_live + timedelta(minutes=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            call_command("publish_scheduled")
        assert Page.objects.get(pk=page.pk).live
        assert client.get("/embargo/").status_code == 200
        runs = list(SchedulerRun.objects.all())
        assert len(runs) == 2
        assert runs[0].succeeded and runs[0].published == 1

    def test_dashboard_lists_embargoes_with_their_times(self, admin_client, home_page):
        go_live = timezone.now() + timedelta(days=1)
        schedule(home_page, "embargo", go_live)
        call_command("publish_scheduled")
        html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
        assert "Scheduled to go live (embargoes)" in html
        assert "Embargoed embargo" in html
        assert "The scheduler is not running" not in html

    def test_dashboard_warns_when_the_scheduler_has_stopped(self, admin_client, home_page):
        SchedulerRun.objects.create(
            started_at=timezone.now() - timedelta(minutes=30), succeeded=True
        )
        page = schedule(home_page, "late", timezone.now() + timedelta(minutes=5))
        # Five minutes pass with no scheduler run: the item is overdue and nobody ran it.
        later = timezone.now() + timedelta(minutes=6)
        with mock.patch("django.utils.timezone.now", return_value=later):
            html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
        assert "The scheduler is not running" in html
        assert "(overdue)" in html
        assert not Page.objects.get(pk=page.pk).live

    def test_slug_change_creates_a_redirect(
        self, client, home_page, admin_client, django_capture_on_commit_callbacks
    ):
        page = StandardPage(title="Old name", slug="old-name")
        home_page.add_child(instance=page)
        page.save_revision().publish()
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        data = editor_form(admin_client, url)
        data["slug"] = "new-name"
        data["action-publish"] = "Publish"
        with django_capture_on_commit_callbacks(execute=True):  # Wagtail signals on commit
            admin_client.post(url, data)
        response = client.get("/old-name/")
        assert response.status_code in (301, 302)
        assert response["Location"].endswith("/new-name/")


@pytest.mark.django_db
class TestSnippetAndDataPermissions:
    def test_editors_keep_records_up_to_date_but_cannot_delete(self, editor):
        assert editor.has_perm("membership.add_membercouncil")
        assert editor.has_perm("membership.change_membercouncil")
        assert editor.has_perm("membership.change_dpssupplier")
        assert editor.has_perm("casestudies.change_theme")
        assert editor.has_perm("news.add_newscategory")
        assert not editor.has_perm("membership.delete_membercouncil")

    def test_only_moderators_manage_election_data_enquiries_and_settings(self, editor, moderator):
        for perm in (
            "membership.change_electionresult",
            "membership.add_controlchange",
            "membership.view_joinenquiry",
            "home.change_sitesettings",
        ):
            assert moderator.has_perm(perm), perm
            assert not editor.has_perm(perm), perm
        assert moderator.has_perm("membership.delete_membercouncil")

    def test_through_the_admin(self, client, editor, moderator, home_page):
        members = reverse("wagtailsnippets_membership_membercouncil:list")
        client.force_login(editor)
        assert client.get(members).status_code == 200
        assert client.get("/admin/membership/electionresult/").status_code in (302, 403)
        client.force_login(moderator)
        assert client.get("/admin/membership/electionresult/").status_code == 200


@pytest.mark.django_db
class TestAutosaveRace:
    def test_a_submit_sent_while_autosave_created_the_page_continues_it(
        self, client, home_page, editor
    ):
        """Autosave creates a new page in the background; a Submit posted to the create view
        before the browser heard back used to fail with "slug already in use"."""
        client.force_login(editor)
        url, data = add_form(client, home_page)
        data["title"], data["slug"] = "Election night", "election-night"
        client.post(url, data)  # the autosave: a draft now exists
        assert StandardPage.objects.filter(slug="election-night").count() == 1

        data["title"] = "Election night: results"
        data["action-submit"] = "Submit to Moderator approval"
        response = client.post(url, data)  # the editor's click, to the create view again
        assert response.status_code == 302
        page = StandardPage.objects.get(slug="election-night")  # still one page
        assert page.get_latest_revision_as_object().title == "Election night: results"
        assert WorkflowState.objects.filter(object_id=str(page.pk), status="in_progress").exists()

    def test_someone_elses_page_with_that_slug_is_still_a_slug_error(
        self, client, home_page, editor, moderator
    ):
        client.force_login(moderator)
        url, data = add_form(client, home_page)
        data["title"], data["slug"] = "Minutes", "minutes"
        client.post(url, data)
        client.force_login(editor)
        url, data = add_form(client, home_page)
        data["title"], data["slug"] = "Minutes", "minutes"
        response = client.post(url, data)
        assert response.status_code == 200  # the form again, with the slug error
        assert StandardPage.objects.filter(slug="minutes").count() == 1
