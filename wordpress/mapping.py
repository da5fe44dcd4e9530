"""Which of this site's types each WordPress post type and category becomes.

The live site's custom post types are named after their old addresses (case-study, project,
publication, newsletter, toolkit); other names seen in WordPress themes for the same things
map the same way. Newsletters become issues of Members' Update. Posts become news, their kind
decided by their categories: the live site filed press releases and news under "Media" and
opinion under "Blog".
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .wxr import Item, Term


@dataclass(frozen=True)
class Target:
    key: str  # case_study, project, publication, members_update, news, page, attachment
    label: str  # how the report names it


CASE_STUDY = Target("case_study", "case study")
PROJECT = Target("project", "policy project")
PUBLICATION = Target("publication", "publication")
MEMBERS_UPDATE = Target("members_update", "Members' Update issue")
NEWS = Target("news", "news article")
PAGE = Target("page", "standard page")
ATTACHMENT = Target("attachment", "file")

POST_TYPES: dict[str, Target] = {
    "case-study": CASE_STUDY,
    "case_study": CASE_STUDY,
    "casestudy": CASE_STUDY,
    "case-studies": CASE_STUDY,
    "project": PROJECT,
    "projects": PROJECT,
    "policy-lab": PROJECT,
    "policy_project": PROJECT,
    "publication": PUBLICATION,
    "publications": PUBLICATION,
    "toolkit": PUBLICATION,
    "toolkits": PUBLICATION,
    "resource": PUBLICATION,
    "newsletter": MEMBERS_UPDATE,
    "members-update": MEMBERS_UPDATE,
    "post": NEWS,
    "page": PAGE,
    "attachment": ATTACHMENT,
}

# WordPress's own records and page-builder leftovers: not content, counted but not reported.
NOT_CONTENT = {
    "nav_menu_item",
    "revision",
    "wp_block",
    "wp_template",
    "wp_template_part",
    "wp_global_styles",
    "wp_navigation",
    "wp_font_family",
    "wp_font_face",
    "custom_css",
    "customize_changeset",
    "oembed_cache",
    "user_request",
    "wpcf7_contact_form",
    "acf-field",
    "acf-field-group",
}

# Statuses that never reach the new site.
NOT_IMPORTED_STATUSES = {"trash", "auto-draft"}
# Statuses imported, but always as drafts: they were not public on the old site either.
DRAFT_STATUSES = {"draft", "pending", "private", "future"}

PRESS_RELEASE_SLUGS = {"press-release", "press-releases", "press", "media-release", "statement"}
OPINION_SLUGS = {"blog", "opinion", "comment", "blogs"}
# Categories that only say which kind of article a post is, or nothing at all.
SECTION_SLUGS = {"media", "news", "uncategorized", "uncategorised"} | PRESS_RELEASE_SLUGS
DEFAULT_NEWS_CATEGORY = ("News", "news")

THEME_TAXONOMIES = {"category", "theme", "themes", "topic", "topics", "case-study-category"}
TAG_TAXONOMIES = {"post_tag", "tag", "case-study-tag"}


def target_for(item: Item) -> Target | None:
    return POST_TYPES.get(item.post_type)


ISSUE_NUMBER = re.compile(r"\bIssue\s+(?:No\.?\s*|#\s*)?(\d{1,6})\b", re.IGNORECASE)


def issue_number(item: Item) -> int | None:
    """A newsletter's number, where its title gives one ("Members' Update, Issue 12")."""
    found = ISSUE_NUMBER.search(html.unescape(item.title))
    return int(found.group(1)) if found else None


def news_kind(item: Item) -> str:
    slugs = {term.slug for term in item.terms if term.taxonomy == "category"}
    if slugs & PRESS_RELEASE_SLUGS:
        return "press-release"
    if slugs & OPINION_SLUGS:
        return "opinion"
    return "news"


def news_category(item: Item) -> tuple[str, str]:
    """(name, slug) of the newsroom section: the first category that is not only a kind."""
    for term in item.terms:
        if term.taxonomy == "category" and term.slug not in SECTION_SLUGS | OPINION_SLUGS:
            return term.name, term.slug
    return DEFAULT_NEWS_CATEGORY


def theme_terms(item: Item) -> list[Term]:
    return [
        term
        for term in item.terms
        if term.taxonomy in THEME_TAXONOMIES and term.slug not in SECTION_SLUGS | OPINION_SLUGS
    ]


def tag_names(item: Item) -> list[str]:
    return [term.name for term in item.terms if term.taxonomy in TAG_TAXONOMIES]


COUNCIL_WORDS = {
    "council", "city", "borough", "county", "metropolitan", "district", "royal", "london", "of",
    "the", "and",
}  # fmt: skip


def name_key(text: str) -> str:
    """Text as names are compared: entities decoded, "&" as "and", punctuation (colons,
    apostrophes, hyphens, tags' brackets) as spaces, lower case. "Telford &amp; Wrekin:
    solar" -> "telford and wrekin solar"."""
    text = html.unescape(text).replace("&", " and ").lower()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def stem_key(name: str) -> str:
    """A council's name without the words round it, as `name_key`: "London Borough of
    Lambeth" -> "lambeth"; "City and County of Swansea Council" -> "swansea"; "Telford and
    Wrekin Council" -> "telford and wrekin" (words inside the name stay)."""
    words = name_key(name).split()
    while words and words[0] in COUNCIL_WORDS:
        words.pop(0)
    while words and words[-1] in COUNCIL_WORDS:
        words.pop()
    return " ".join(words)


COUNCIL_NAME = re.compile(
    r"\b((?:London Borough of |Royal Borough of |City of )?[A-Z][\w'’&-]+"
    r"(?: (?:[A-Z][\w'’&-]+|and|&|upon|on))*? (?:City |Borough |County |District |"
    r"Metropolitan Borough )?Council)\b"
)
NOT_A_NAME = {"The", "Our", "Each", "Every", "This", "That", "Your", "A", "One", "Any", "Its"}


def council_named(text: str) -> str:
    """The first council named in ``text`` ("Lambeth Council"), "" if none: the lead of a case
    study whose council is not (or no longer) a member."""
    plain = html.unescape(re.sub(r"<[^>]+>", " ", text))
    for match in COUNCIL_NAME.finditer(plain):
        name = match.group(1)
        if name.split(" ", 1)[0] not in NOT_A_NAME:
            return name[:400]
    return ""
