"""Regression tests for the classes of past Wagtail advisories that apply to our roles.

Scenario: permissions granted per section. Wagtail's migrations give Editors add/change on the
root page (the whole site); here Editors lose that and are granted add/change on the News
section only, while Governance stays with Moderators. That is how a council network would keep
board papers out of comms editors' hands, and it gives the Editor pages they must not touch.
Each test asks for something beyond those permissions and checks both the answer and that
nothing changed or leaked.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page

from home.models import SiteSettings, StandardPage

SECRET_DRAFT = "Draft minutes: closed session on the chair's appointment"


@pytest.fixture
def sections(home_page):
    news = StandardPage(title="News", slug="news")
    governance = StandardPage(title="Governance", slug="governance")
    home_page.add_child(instance=news)
    home_page.add_child(instance=governance)
    for page in (news, governance):
        page.save_revision().publish()

    minutes = StandardPage(title="Board minutes", slug="board-minutes", summary="Published.")
    governance.add_child(instance=minutes)
    first = minutes.save_revision()
    first.publish()
    minutes.summary = SECRET_DRAFT
    second = minutes.save_revision()

    story = StandardPage(title="A news story", slug="a-news-story")
    news.add_child(instance=story)
    story.save_revision().publish()

    editors = Group.objects.get(name="Editors")
    GroupPagePermission.objects.filter(group=editors).delete()
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=editors, page=news, permission=Permission.objects.get(codename=codename)
        )
    return {
        "news": news,
        "governance": governance,
        "minutes": minutes,
        "story": story,
        "revisions": (first, second),
    }


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


DENIED = "Sorry, you do not have permission to access this area."


def assert_denied(client, url: str, method: str = "get", data=None) -> None:
    """Wagtail turns a PermissionDenied in the admin into a redirect to the dashboard with an
    error message; a 403 or 404 would do as well. Either way the page's content stays hidden."""
    response = getattr(client, method)(url, data or {}, follow=True)
    if response.redirect_chain:
        assert response.redirect_chain[-1][0] == reverse("wagtailadmin_home"), url
        assert DENIED in response.content.decode(), url
    else:
        assert response.status_code in (403, 404), url
    assert SECRET_DRAFT not in response.content.decode()


def test_the_scenario_lets_editors_work_in_their_section(editor_client, sections):
    story = sections["story"]
    assert editor_client.get(reverse("wagtailadmin_pages:edit", args=[story.pk])).status_code == 200
    assert_denied(editor_client, reverse("wagtailadmin_pages:edit", args=[sections["minutes"].pk]))


def test_revision_compare_of_a_page_they_cannot_edit(editor_client, sections):
    minutes = sections["minutes"]
    first, second = sections["revisions"]
    url = reverse("wagtailadmin_pages:revisions_compare", args=[minutes.pk, first.pk, second.pk])
    assert_denied(editor_client, url)
    assert_denied(
        editor_client, reverse("wagtailadmin_pages:revisions_view", args=[minutes.pk, second.pk])
    )


def test_history_of_a_page_they_cannot_edit(editor_client, sections):
    minutes = sections["minutes"]
    for name in ("history", "revisions_index", "workflow_history"):
        assert_denied(editor_client, reverse(f"wagtailadmin_pages:{name}", args=[minutes.pk]))


def test_site_settings_cannot_be_edited(editor_client, sections, site):
    settings_obj = SiteSettings.for_site(site)
    url = reverse("wagtailsettings:edit", args=["home", "sitesettings", site.pk])
    assert_denied(editor_client, url)
    assert_denied(editor_client, url, "post", {"contact_email": "attacker@example.org"})
    settings_obj.refresh_from_db()
    assert settings_obj.contact_email != "attacker@example.org"


def test_copy_into_a_section_they_cannot_edit(editor_client, sections):
    story, governance = sections["story"], sections["governance"]
    before = Page.objects.count()
    response = editor_client.post(
        reverse("wagtailadmin_pages:copy", args=[story.pk]),
        {
            "new_title": "Planted in governance",
            "new_slug": "planted",
            "new_parent_page": governance.pk,
            "copy_subpages": "",
            "publish_copies": "",
            "alias": "",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_parent_page"] == [
        'You do not have permission to copy to page "Governance"'
    ]
    assert Page.objects.count() == before
    assert not governance.get_children().filter(slug="planted").exists()
    # Nor may they copy a page they cannot edit out of that section.
    assert_denied(editor_client, reverse("wagtailadmin_pages:copy", args=[sections["minutes"].pk]))


@pytest.mark.parametrize("action", ["delete", "publish", "unpublish", "move"])
def test_bulk_actions_beyond_their_permissions(editor_client, sections, action):
    minutes, story = sections["minutes"], sections["story"]
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", action])
    query = f"?id={minutes.pk}&id={story.pk}&next=/admin/pages/"
    data = {"move_applicable": "True"}
    if action == "move":
        data["chooser"] = sections["news"].pk
    response = editor_client.post(url + query, data)
    assert response.status_code in (200, 302, 403)
    minutes.refresh_from_db()
    story.refresh_from_db()
    assert minutes.live
    assert minutes.get_parent().specific == sections["governance"]
    if action in ("delete", "publish", "unpublish"):
        # Editors may not delete, publish or unpublish anything, even in their own section.
        assert story.live
        assert Page.objects.filter(pk=story.pk).exists()
    assert minutes.live_revision_id == sections["revisions"][0].pk  # the draft stays a draft
    assert minutes.summary != SECRET_DRAFT


def test_the_same_bulk_publish_works_for_a_moderator(client, moderator, sections):
    """Control: the request above is a real bulk action, refused only for lack of permission."""
    client.force_login(moderator)
    minutes = sections["minutes"]
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    client.post(f"{url}?id={minutes.pk}&next=/admin/pages/", {})
    minutes.refresh_from_db()
    assert minutes.live_revision_id == sections["revisions"][1].pk
