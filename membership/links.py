"""Pages in other apps that link to members: case studies and policy projects.

The case-study app may not be installed (or migrated) yet, and its field names are its
own business, so nothing here imports it: models are looked up by label and their
council fields found by what they point at.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Model, Q, QuerySet

from home.lookups import first_live

from .models.snippets import MemberCouncil

CASE_STUDY_INDEX_FALLBACK = "/case-studies/"


def _model(label: str) -> type[Model] | None:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def council_fields(model: type[Model]) -> list[str]:
    """Names of the model's ForeignKey and many-to-many fields that point at MemberCouncil."""
    return [
        f.name
        for f in model._meta.get_fields()
        if f.is_relation
        and not f.auto_created
        and (f.many_to_one or f.many_to_many)
        and f.related_model is MemberCouncil
    ]


def pages_linked_to(label: str, member: MemberCouncil, *, lead_only: bool = False) -> QuerySet:
    """Live, public pages of the model with this label that link to the member.

    With ``lead_only``, only fields whose name says "lead" count (a policy project's
    lead councils, not its partners), when the model has any.
    """
    model = _model(label)
    if model is None:
        return MemberCouncil.objects.none()
    names = council_fields(model)
    if lead_only:
        names = [name for name in names if "lead" in name] or names
    if not names:
        return model.objects.none()
    # One id subquery per field, ORed: SQLite looks each up by its index (a multi-index OR)
    # and needs no DISTINCT; the same test ORed across a join scans every page of the type.
    condition = Q()
    for name in names:
        condition |= Q(pk__in=model.objects.filter(**{name: member}).values("pk"))
    return (
        model.objects.live()
        .public()
        .filter(condition)
        .defer_streamfields()
        .order_by("-first_published_at", "pk")
    )


def member_case_studies(member: MemberCouncil) -> QuerySet:
    """The member's case studies (as lead or participating council), newest first."""
    return pages_linked_to("casestudies.CaseStudyPage", member)


def member_policy_projects(member: MemberCouncil) -> QuerySet:
    """Policy labs and prototypes the member leads, newest first."""
    return pages_linked_to("casestudies.PolicyProjectPage", member, lead_only=True)


def case_study_index_url() -> str:
    """The case study library's address, or its URL-contract address if it is not built yet."""
    model = _model("casestudies.CaseStudyIndexPage")
    if model is not None:
        index = first_live(model)
        if index is not None and index.url:
            return index.url
    return CASE_STUDY_INDEX_FALLBACK
