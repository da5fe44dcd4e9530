"""What each data file in ``demo/data/`` holds: its records' keys and what they hold.

Read by ``demo.records``, which explains the notation (``key?`` is optional, ``[T]`` a list).
"""

from __future__ import annotations

from datetime import date

from casestudies.models import CaseStudyStatus, ProjectStatus, ProjectType
from membership.models import MemberKind, Nation, Tier
from news.models import NewsKind

# A StreamField body: a paragraph, a "## heading" or a bulleted list of strings.
BODY = [(str, list)]
TITLED = {"title": str, "text?": str}
PAGE = {"title": str, "show_in_menus?": bool, "summary": str, "intro?": str}

SITE = {
    "home": {"title": str, "seo_title": str, "summary": str, "intro": str},
    "settings": {
        "about_boilerplate": str,
        "accessibility_statement": str,
        "full_members": int,
        "associate_members": int,
        "affiliates": int,
        "supporters": int,
        "citizens_served": int,
        "combined_budget": str,
        "figures_as_of": date,
    },
    "page": [{"slug": str, **PAGE, "body": BODY, "after_sections?": bool}],
}

MEMBERSHIP_PAGES = {
    "principles": {**PAGE, "walking_the_talk_intro": str, "walking_the_talk": [TITLED]},
    "membership": {
        **PAGE,
        "tiers": [{"tier": Tier, "who_for": str}],
        "benefits": str,
        "activities": [{"verb": str, "text": str}],
        "priorities_heading": str,
        "priorities": [TITLED],
        "join_intro": str,
        "thank_you_text": str,
    },
    "members": PAGE,
    "elections-2026": {**PAGE, "election_year": int, "body": BODY},
    "dynamic-purchasing-system": {
        **PAGE,
        "why_heading": str,
        "why": [TITLED],
        "how_heading": str,
        "how_it_works": [TITLED],
    },
}

NEWS = {
    "index": {**PAGE, "feed_description": str},
    "category": [{"name": str, "slug": str, "description": str}],
    "article": [
        {
            "slug": str,
            "title": str,
            "kind": NewsKind,
            "release_date": date,
            "category": str,
            "tags": [str],
            "political?": bool,
            "summary": str,
            "body": BODY,
            "authors?": [{"name": str, "role": str}],
        }
    ],
}

CASE_STUDIES = {
    "index": PAGE,
    "outcome?": {str: {"figure": str, "label": str, "source": str}},
    "case_study": [
        {
            "title": str,
            "lead?": str,
            "participants?": [str],
            "others?": str,
            "year": int,
            "status": CaseStudyStatus,
            "featured?": bool,
            "themes": [str],
            "principles": [str],
            "tags?": [str],
            "outcomes?": [str],
            "summary": str,
            "body": BODY,
        }
    ],
}

POLICY_PROJECTS = {
    "index": {**PAGE, "body": BODY},
    "type": {str: {"body": BODY}},
    "round": {str: {"summary": str, "body": BODY}},
    "project": [
        {
            "title": str,
            "type": ProjectType,
            "round": str,
            "leads": [str],
            "status?": ProjectStatus,
            "body?": BODY,
        }
    ],
}

PUBLICATIONS = {
    "index": PAGE,
    "publication": [
        {
            "title": str,
            "year?": int,
            "month?": int,
            "councils?": [str],
            "others?": str,
            "themes?": [str],
            "summary": str,
            "body?": BODY,
        }
    ],
}

FILES = {
    "site.toml": SITE,
    "members.toml": {
        "political_control_as_of": date,
        "member": [
            {
                "name": str,
                "seed_name?": str,
                "nation?": Nation,
                "kind?": MemberKind,
                "gss_code?": str,
                "region?": str,
                "website?": str,
                "political_control?": str,
            }
        ],
    },
    "principles.toml": {"principle": [{"title": str, "text": str}]},
    "suppliers.toml": {"supplier": [{"name": str}]},
    "membership_pages.toml": MEMBERSHIP_PAGES,
    "news.toml": NEWS,
    "themes.toml": {"theme": [{"name": str, "description": str}]},
    "case_studies.toml": CASE_STUDIES,
    "policy_projects.toml": POLICY_PROJECTS,
    "publications.toml": PUBLICATIONS,
}
