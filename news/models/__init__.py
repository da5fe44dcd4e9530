"""The newsroom: press releases, news and opinion, their categories, tags and feeds; and
Members' Update, the newsletter to members."""

from .articles import (
    CARD_RENDITION,
    SOCIAL_RENDITION,
    NewsPage,
    NewsPageAuthor,
    NewsPageChangeNote,
    NewsPageQuerySet,
    NewsPageTag,
)
from .index import NEWS_PAGE_SIZE, NewsIndexPage
from .newsletter import MembersUpdateIndexPage, MembersUpdatePage
from .snippets import NewsCategory, NewsKind

__all__ = [
    "CARD_RENDITION",
    "NEWS_PAGE_SIZE",
    "SOCIAL_RENDITION",
    "MembersUpdateIndexPage",
    "MembersUpdatePage",
    "NewsCategory",
    "NewsIndexPage",
    "NewsKind",
    "NewsPage",
    "NewsPageAuthor",
    "NewsPageChangeNote",
    "NewsPageQuerySet",
    "NewsPageTag",
]
