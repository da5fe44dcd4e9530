"""The "Submit a case study" form on the library (/case-studies/submit/), step by step.

A valid submission from an address under its rate limit, with the honeypot empty, becomes in
one transaction a draft ``CaseStudyPage`` under the library (not live, no owner, its first
revision saved, so it is in the admin's drafts) and a private ``CaseStudySubmission`` with
who sent it; the draft is then put into the library's approval workflow, whose first task
e-mails the moderators (Wagtail's own notice). With no workflow on the library the moderators
are e-mailed by this module instead. The sender is thanked and told what happens next.

Nothing is written for an invalid form, a honeypot or a rate-limited address; a bot that
filled the honeypot is thanked like a person. As on the join form (membership/join.py),
anonymous POSTs carry no CSRF token: they are accepted on the browser's proof that they come
from this site (``security.csrf``), so the form page can be cached.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html_join
from django.utils.text import slugify
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.rich_text import RichText
from wagtail.snippets.views.snippets import SnippetViewSet

from home.models import SiteSettings
from home.templatetags.navigation_tags import crumb_ancestors
from membership.models import MemberCouncil, Nation
from security.client import client_ip
from security.rate_limit import RateLimit

from .models.case_studies import FIRST_YEAR, CaseStudyPage, this_year
from .models.snippets import Theme
from .models.submissions import CaseStudySubmission

if TYPE_CHECKING:
    from .models.library import CaseStudyIndexPage

logger = logging.getLogger(__name__)

# Case studies one address may send per hour; a council sends a few a year.
SUBMIT_RATE_LIMIT = 5
SUBMIT_RATE_WINDOW = 60 * 60
# Counted under "casestudies:submit:<address>".
SUBMIT_LIMIT = RateLimit("casestudies:submit", SUBMIT_RATE_LIMIT, SUBMIT_RATE_WINDOW)
HONEYPOT_FIELD = "website"
FORM_TEMPLATE = "casestudies/case_study_submission.html"
THANKS_TEMPLATE = "casestudies/case_study_submission_thanks.html"
FORM_TITLE = "Submit a case study"
THANKS_TITLE = "Thank you for your case study"
# A draft's slug: the title's, and a number when a sibling has it already.
SLUG_LENGTH = 80
MAX_STORY = 10_000
MAX_OUTCOMES = 4_000


# The form ------------------------------------------------------------------------------------


class CaseStudySubmissionForm(forms.Form):
    """Who is sending it, the case study itself, consent; and a honeypot."""

    name = forms.CharField(
        label="Your name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Enter your name."},
    )
    role = forms.CharField(
        label="Your role",
        max_length=200,
        help_text="For example, Policy Officer, or Cabinet Member for Communities.",
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        error_messages={"required": "Enter your role."},
    )
    council = forms.ModelChoiceField(
        label="Your council",
        queryset=MemberCouncil.objects.none(),
        required=False,
        empty_label="Choose your council",
        to_field_name="slug",
        help_text="The member council that led the work.",
        error_messages={"invalid_choice": "Choose a council from the list."},
    )
    organisation = forms.CharField(
        label="Or your organisation, if it is not in the list",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    email = forms.EmailField(
        label="Work email address",
        help_text="We only use this to ask about your case study and tell you when it is "
        "published. It is never shown on the site.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your work email address.",
            "invalid": "Enter an email address in the right format, like name@council.gov.uk.",
        },
    )
    phone = forms.CharField(
        label="Phone number (optional)",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    title = forms.CharField(
        label="Case study title",
        max_length=255,
        help_text="Say what was done, for example “Community energy on school roofs”.",
        error_messages={"required": "Enter a title for the case study."},
    )
    summary = forms.CharField(
        label="Summary",
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences, up to 400 characters.",
        error_messages={
            "required": "Enter a short summary.",
            "max_length": "Keep the summary to 400 characters or fewer.",
        },
    )
    story = forms.CharField(
        label="What you did",
        max_length=MAX_STORY,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="What the problem was, what you did and who you worked with. Leave a blank "
        "line between paragraphs.",
        error_messages={
            "required": "Tell us what you did.",
            "max_length": "Keep this to 10,000 characters or fewer.",
        },
    )
    outcomes = forms.CharField(
        label="Outcomes",
        max_length=MAX_OUTCOMES,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What changed, with any figures you have published.",
        error_messages={
            "required": "Tell us what changed as a result.",
            "max_length": "Keep the outcomes to 4,000 characters or fewer.",
        },
    )
    themes = forms.ModelMultipleChoiceField(
        label="Themes (optional)",
        queryset=Theme.objects.none(),
        required=False,
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose up to three.",
        error_messages={"invalid_choice": "Choose themes from the list."},
    )
    year = forms.TypedChoiceField(
        label="Year",
        coerce=int,
        help_text="The year the work started, or the year it reported.",
        error_messages={"required": "Choose the year.", "invalid_choice": "Choose the year."},
    )
    nation = forms.ChoiceField(
        label="Nation",
        choices=[("", "Choose the nation"), *Nation.choices],
        required=False,
        help_text="Needed only if your organisation is not a listed member council.",
        error_messages={"invalid_choice": "Choose a nation from the list."},
    )
    consent = forms.BooleanField(
        label="I agree that the network may edit what I send and publish it as a case study, "
        "and may contact me about it.",
        error_messages={"required": "Tick the box to agree, so we can publish your case study."},
    )
    # Hidden from people (CSS and aria-hidden) but filled in by naive bots.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = MemberCouncil.objects.listed().order_by("name")
        self.fields["themes"].queryset = Theme.objects.order_by("name")
        years = range(this_year(), FIRST_YEAR - 1, -1)
        self.fields["year"].choices = [("", "Choose the year"), *((y, str(y)) for y in years)]

    def clean_title(self):
        # A page title (and the moderators' e-mail subject) is one line.
        return " ".join(self.cleaned_data["title"].split())

    def clean_themes(self):
        themes = self.cleaned_data["themes"]
        if len(themes) > 3:
            raise ValidationError("Choose up to three themes.")
        return themes

    def clean(self):
        cleaned = super().clean()
        council, organisation = cleaned.get("council"), cleaned.get("organisation", "").strip()
        if council is None and not organisation and "council" not in self.errors:
            self.add_error("council", "Choose your council, or type your organisation's name.")
        if council is None and organisation and not cleaned.get("nation"):
            self.add_error("nation", "Choose the nation your organisation works in.")
        return cleaned

    def is_spam(self) -> bool:
        """True when the honeypot was filled in: a bot, not a person."""
        return bool(self.cleaned_data.get(HONEYPOT_FIELD, "").strip())

    def fields_but(self, *names: str) -> list:
        """The visible fields in order, but ``names`` (which the template lays out itself)."""
        return [field for field in self.visible_fields() if field.name not in names]


# What a visit and a POST do ------------------------------------------------------------------


def handle_submission(request: HttpRequest, page: CaseStudyIndexPage) -> HttpResponse:
    """The form; a POST is a case study sent in."""
    if request.method != "POST":
        return render_form(request, page, CaseStudySubmissionForm())
    if SUBMIT_LIMIT.exceeded(client_ip(request)):
        response = render_form(request, page, CaseStudySubmissionForm(), rate_limited=True)
        response.status_code = 429
        return response
    form = CaseStudySubmissionForm(request.POST)
    if not form.is_valid():
        return render_form(request, page, form)
    SUBMIT_LIMIT.hit(client_ip(request))
    if not form.is_spam():
        submission = create_draft(page, form)
        transaction.on_commit(lambda: notify_if_no_workflow(request, page, submission))
    # A bot that filled the honeypot sees the same thank-you page as a person.
    return HttpResponseRedirect(page.url + page.reverse_subpage("submit_thanks"))


def crumbs(page: CaseStudyIndexPage, current: str) -> dict:
    """Breadcrumbs down to the library, then ``current``."""
    return {
        "breadcrumb_crumbs": crumb_ancestors(page),
        "breadcrumb_extra": [(page.title, page.url)],
        "breadcrumb_current": {"title": current},
    }


def render_form(
    request: HttpRequest, page: CaseStudyIndexPage, form: CaseStudySubmissionForm, **context
) -> HttpResponse:
    """The form page; a token in it only for a signed-in user (never cached)."""
    return page.render(
        request,
        template=FORM_TEMPLATE,
        context_overrides={
            **crumbs(page, FORM_TITLE),
            "form_title": FORM_TITLE,
            "form": form,
            "form_token": request.user.is_authenticated,
            "themes_field": form["themes"],
            "honeypot": form[HONEYPOT_FIELD],
            **context,
        },
    )


def resend(request: HttpRequest, page: CaseStudyIndexPage) -> HttpResponse:
    """A POST that did not show it came from this site: the form as sent, with a token.
    Nothing is stored or counted (security.csrf)."""
    response = render_form(
        request, page, CaseStudySubmissionForm(request.POST), form_token=True, resend=True
    )
    add_never_cache_headers(response)
    return response


def render_thanks(request: HttpRequest, page: CaseStudyIndexPage) -> HttpResponse:
    return page.render(
        request,
        template=THANKS_TEMPLATE,
        context_overrides={**crumbs(page, THANKS_TITLE), "form_title": THANKS_TITLE},
    )


# The draft and the private record ------------------------------------------------------------


def paragraphs(text: str) -> str:
    """Plain text as HTML paragraphs, every character escaped (blank lines part them)."""
    parts = [" ".join(part.split()) for part in text.replace("\r\n", "\n").split("\n\n")]
    return format_html_join("", "<p>{}</p>", ((part,) for part in parts if part))


def free_slug(index: CaseStudyIndexPage, title: str) -> str:
    """The title's slug, numbered when another case study in the library has it."""
    base = slugify(title)[:SLUG_LENGTH].strip("-") or "case-study"
    taken = set(
        CaseStudyPage.objects.child_of(index)
        .filter(slug__startswith=base)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def draft_page(index: CaseStudyIndexPage, form: CaseStudySubmissionForm) -> CaseStudyPage:
    """The case study as sent, not saved: the story as paragraphs, then "Outcomes"."""
    data = form.cleaned_data
    council = data["council"]
    organisation = data["organisation"].strip()
    body_block = CaseStudyPage._meta.get_field("body").stream_block
    heading = body_block.child_blocks["heading"].to_python({"text": "Outcomes", "level": "h2"})
    return CaseStudyPage(
        title=data["title"].strip(),
        slug=free_slug(index, data["title"]),
        summary=data["summary"].strip(),
        lead_council=council,
        # A member council leads; an organisation the sender typed beside it is a partner.
        other_organisations=organisation,
        year=data["year"],
        nation=council.nation if council else data["nation"],
        themes=list(data["themes"]),
        body=[
            ("paragraph", RichText(paragraphs(data["story"]))),
            ("heading", heading),
            ("paragraph", RichText(paragraphs(data["outcomes"]))),
        ],
        live=False,
        owner=None,
    )


@transaction.atomic
def create_draft(index: CaseStudyIndexPage, form: CaseStudySubmissionForm) -> CaseStudySubmission:
    """The draft page, its first revision, the private record and the workflow, or none."""
    data = form.cleaned_data
    page = draft_page(index, form)
    index.add_child(instance=page)
    revision = page.save_revision(user=None, log_action=True)
    page.latest_revision = revision
    submission = CaseStudySubmission.objects.create(
        page=page,
        title=page.title,
        name=data["name"].strip(),
        role=data["role"].strip(),
        council=data["council"],
        organisation=data["organisation"].strip(),
        email=data["email"],
        phone=data["phone"].strip(),
        consented_at=timezone.now(),
    )
    workflow = page.get_workflow()
    if workflow is not None:
        # Sent by a visitor, not an account: the workflow is requested by nobody, as the
        # page has no owner; its first task e-mails the moderators.
        workflow.start(page, None)
    return submission


# Telling the moderators ----------------------------------------------------------------------


def moderator_recipients(request: HttpRequest) -> list[str]:
    """The Moderators group's active members with an e-mail, else the site's contact e-mail."""
    emails = sorted(
        get_user_model()
        .objects.filter(groups__name="Moderators", is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    return emails or [SiteSettings.for_request(request).contact_email]


def submission_email(request: HttpRequest, submission: CaseStudySubmission) -> EmailMessage:
    """The message to the moderators; replying to it replies to the sender."""
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or request.build_absolute_uri("/")
    edit = base.rstrip("/") + reverse("wagtailadmin_pages:edit", args=[submission.page_id])
    lines = [
        f"A case study was sent in through the website: “{submission.title}”.",
        "",
        f"From: {submission.name}, {submission.role}",
        f"Council or organisation: {submission.sender_organisation}",
        f"Email: {submission.email}",
        f"Phone: {submission.phone or '-'}",
        "",
        f"The draft, to review and publish: {edit}",
        "Every submission is in the admin under Case study submissions.",
    ]
    return EmailMessage(
        subject=f"Case study submitted: {submission.title}",
        body="\n".join(lines),
        to=moderator_recipients(request),
        reply_to=[submission.email],
    )


def notify_if_no_workflow(
    request: HttpRequest, index: CaseStudyIndexPage, submission: CaseStudySubmission
) -> None:
    """E-mail the moderators when no workflow did (the draft is saved: a failure is logged)."""
    if submission.page_id is None or index.get_workflow() is not None:
        return
    try:
        submission_email(request, submission).send()
    except Exception:  # the draft and the record are saved; moderators see them in the admin
        logger.exception("Could not email case study submission %s", submission.pk)


# The admin listing ---------------------------------------------------------------------------


def draft_url(submission: CaseStudySubmission) -> str | None:
    if submission.page_id is None:
        return None
    return reverse("wagtailadmin_pages:edit", args=[submission.page_id])


class CaseStudySubmissionViewSet(SnippetViewSet):
    """Submissions for moderators (by permission: the Moderators group's, see migrations),
    each with a link to its draft; read, marked handled, annotated, not added by hand."""

    model = CaseStudySubmission
    icon = "doc-full-inverse"
    menu_label = "Case study submissions"
    menu_order = 310
    add_to_admin_menu = True
    list_display = [
        TitleColumn("title", label="Case study (edit the draft)", get_url=draft_url),
        "name",
        Column("sender_organisation", label="Council or organisation"),
        "email",
        DateColumn("submitted_at", label="Sent"),
        BooleanColumn("handled"),
    ]
    list_filter = ["handled"]
    search_fields = ["title", "name", "organisation", "email"]
    list_export = [
        "submitted_at",
        "title",
        "name",
        "role",
        "sender_organisation",
        "email",
        "phone",
        "handled",
    ]
    export_filename = "case-study-submissions"
    inspect_view_enabled = True
    copy_view_enabled = False
    ordering = ["-submitted_at"]
    form_fields = ["handled", "notes"]
