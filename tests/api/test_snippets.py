"""/api/v2/members/ and /api/v2/suppliers/: the public directory and the DPS, nothing more."""

import pytest

pytestmark = pytest.mark.django_db


def names(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


def test_members_lists_active_full_and_associate_members_by_name(client, published_site):
    assert names(client, "/api/v2/members/") == [
        "Cardiff Council",
        "Glasgow City Council",
        "Oldham Council",
    ]


@pytest.mark.parametrize("name", ["affiliate", "supporter", "former"])
def test_unlisted_members_have_no_record(client, published_site, name):
    member = getattr(published_site, name)
    response = client.get(f"/api/v2/members/{member.pk}/")
    assert response.status_code == 404
    assert "message" in response.json()
    assert client.get(f"/api/v2/members/find/?id={member.pk}").status_code == 404


def test_members_filter_by_tier_and_nation(client, published_site):
    assert names(client, "/api/v2/members/?tier=associate") == ["Glasgow City Council"]
    assert names(client, "/api/v2/members/?nation=wales") == ["Cardiff Council"]
    assert names(client, "/api/v2/members/?tier=full&nation=england") == ["Oldham Council"]
    assert names(client, "/api/v2/members/?tier=full&nation=scotland") == []


@pytest.mark.parametrize("tier", ["affiliate", "supporter", "bogus"])
def test_members_refuse_tiers_that_are_not_listed(client, published_site, tier):
    response = client.get(f"/api/v2/members/?tier={tier}")
    assert response.status_code == 400
    assert response.json() == {
        "message": "field filter error. tier must be one of: full, associate"
    }


def test_members_filters_cannot_uncover_inactive_members(client, published_site):
    response = client.get("/api/v2/members/?active=false")
    assert response.status_code == 400
    assert "active" in response.json()["message"]


def test_members_search(client, published_site):
    assert names(client, "/api/v2/members/?search=oldham") == ["Oldham Council"]
    assert names(client, "/api/v2/members/?search=affiliate") == []
    assert names(client, "/api/v2/members/?search=council&nation=wales") == ["Cardiff Council"]


def test_member_fields(client, published_site):
    oldham = published_site.oldham
    listing = client.get("/api/v2/members/?nation=england").json()["items"][0]
    assert set(listing) == {"id", "meta", "name", "slug", "tier", "kind", "nation", "region"}
    assert listing["meta"]["html_url"] == "http://testserver/membership/members/oldham-council/"
    data = client.get(f"/api/v2/members/{oldham.pk}/").json()
    assert data["population"] == 242_100
    assert data["political_control"] == "Labour (Maj)"
    assert "political_control_as_of" in data  # the date the control was true on, or null
    assert "max-400x200" in data["logo"]["url"]
    assert data["commitments"] == []


def test_suppliers_lists_active_suppliers_with_specialisms(client, published_site):
    data = client.get("/api/v2/suppliers/").json()
    assert data["meta"]["total_count"] == 1
    [item] = data["items"]
    assert item["name"] == "RedQuadrant"
    assert item["specialisms"] == ["evaluation", "procurement"]
    assert item["summary"] == "Public service transformation."
    gone = published_site.old_supplier
    assert client.get(f"/api/v2/suppliers/{gone.pk}/").status_code == 404


def test_suppliers_search(client, published_site):
    assert names(client, "/api/v2/suppliers/?search=transformation") == ["RedQuadrant"]
    assert names(client, "/api/v2/suppliers/?search=gone") == []
