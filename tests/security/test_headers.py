"""Security headers: the public CSP, the admin's own policy, and the rest of the set."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.fixture
def public_csp(client, about_page) -> dict[str, list[str]]:
    response = client.get(about_page.url)
    assert response.status_code == 200
    return directives(response["Content-Security-Policy"])


def test_public_policy_locks_everything_down(public_csp):
    assert public_csp["default-src"] == ["'none'"]
    assert public_csp["object-src"] == ["'none'"]
    assert public_csp["base-uri"] == ["'none'"]
    assert public_csp["form-action"] == ["'self'"]
    assert public_csp["frame-ancestors"] == ["'none'"]
    assert public_csp["script-src"] == ["'self'"]
    assert public_csp["style-src"] == ["'self'"]
    assert "https://www.youtube-nocookie.com" in public_csp["frame-src"]
    assert "https://player.vimeo.com" in public_csp["frame-src"]
    for name, values in public_csp.items():
        assert "'unsafe-inline'" not in values, name
        assert "'unsafe-eval'" not in values, name
        assert "*" not in values, name


def test_anonymous_pages_get_the_same_header_every_time(client, about_page):
    """No per-request nonce for anonymous visitors, so a cached page's header stays valid."""
    first = client.get(about_page.url)["Content-Security-Policy"]
    second = client.get(about_page.url)["Content-Security-Policy"]
    assert first == second
    assert "nonce-" not in first


def test_editors_see_the_user_bar_with_a_nonce(client, about_page, superuser):
    client.force_login(superuser)
    response = client.get(about_page.url)
    html = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert "<wagtail-userbar>" in html
    assert html.count(f'nonce="{nonce}"') == 2  # vendor.js and userbar.js
    assert (
        client.get(about_page.url)["Content-Security-Policy"] != response["Content-Security-Policy"]
    )


def test_admin_has_its_own_policy_without_a_nonce(admin_client, home_page):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'self'"]  # the editor's live preview frames itself
    assert policy["object-src"] == ["'none'"]
    assert "nonce-" not in response["Content-Security-Policy"]


def test_admin_login_page_uses_the_admin_policy(client, db):
    response = client.get("/admin/login/")
    assert "'unsafe-inline'" in response["Content-Security-Policy"]


def test_header_set_on_public_html(client, about_page):
    response = client.get(about_page.url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in permissions
    assert 'fullscreen=(self "https://www.youtube-nocookie.com"' in permissions


def test_hsts_on_secure_requests(client, about_page, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(about_page.url, secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get(about_page.url)  # never over http


def test_not_found_pages_carry_the_headers(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/robots.txt", "text/plain"),
        ("/.well-known/security.txt", "text/plain"),
        ("/api/v2/pages/", "application/json"),
        ("/sitemap.xml", "application/xml"),
        ("/sitemap-pages.xml", "application/xml"),
    ],
)
def test_non_html_stays_embeddable(client, home_page, url, content_type):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert "Cross-Origin-Resource-Policy" not in response


def test_django_admin_is_not_served(client, home_page):
    assert client.get("/django-admin/").status_code == 404
    assert client.get("/django-admin/login/").status_code == 404


def public_templates() -> list[Path]:
    return [
        path
        for path in (ROOT / "templates").rglob("*.html")
        if not path.relative_to(ROOT / "templates")
        .parts[0]
        .startswith(("wagtailadmin", "security"))
    ]


def test_public_templates_have_no_inline_script_or_style():
    """The CSP allows neither; external type=module scripts and JSON-LD data blocks only."""
    offenders = []
    for path in public_templates():
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/ld+json"' not in tag:
                offenders.append(f"{path}: {tag}")
        if re.search(r"\sstyle\s*=", text) or "<style" in text:
            offenders.append(f"{path}: style")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{path}: event handler attribute")
    assert offenders == []


EARLY_ANSWERS = [
    ("get", "/healthz", {}),
    ("head", "/healthz", {}),
    ("get", "/readyz", {}),
    ("head", "/readyz", {}),
    (
        "options",
        "/api/v2/pages/",
        {"HTTP_ORIGIN": "https://partner.example", "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "GET"},
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("method, path, headers", EARLY_ANSWERS)
def test_answers_made_before_the_middleware_carry_the_security_headers(
    client, method, path, headers
):
    """Health probes and CORS preflights are answered ahead of Django's security middleware
    and django-csp; they still get the same headers as every other response."""
    response = getattr(client, method)(path, **headers)
    assert response.status_code in (200, 204)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert directives(response["Content-Security-Policy"])["default-src"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_load_balancers_may_probe_with_head(client):
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""
