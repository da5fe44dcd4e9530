"""Case-study sections other pages show: the home page's featured case studies."""

from django import template

from caching.versions import remember
from casestudies.models import CaseStudyIndexPage, CaseStudyPage
from casestudies.models.case_studies import CARD_RENDITION
from home.images import prefetch_card_renditions
from home.lookups import first_live

register = template.Library()


def _featured(count: int) -> dict:
    return {
        "featured_case_studies": CaseStudyPage.for_home(count),
        "case_study_index": first_live(CaseStudyIndexPage),
    }


@register.inclusion_tag("casestudies/includes/featured_case_studies.html", takes_context=True)
def featured_case_studies(context, count: int = 3) -> dict:
    """Editor-featured case studies first, then the newest, with a link to the library.

    Pages remembered until content changes; renditions read per request (home.images).
    """
    section = remember(f"casestudies:featured:{count}", lambda: _featured(count))
    prefetch_card_renditions(section["featured_case_studies"], CARD_RENDITION)
    return {**section, "request": context.get("request")}
