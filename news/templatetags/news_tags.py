"""News sections other pages show: the home page's latest news."""

from django import template

from caching.versions import remember
from home.images import prefetch_card_renditions
from home.lookups import first_live
from news.models import NewsIndexPage
from news.models.articles import CARD_RENDITION

register = template.Library()


def _latest_news(count: int) -> dict:
    # Articles live under the index, so a private index has no public articles to list.
    news_index = first_live(NewsIndexPage, public=False)
    return {
        "news_index": news_index,
        "latest_news": list(news_index.latest_articles(count)) if news_index else [],
    }


@register.inclusion_tag("news/includes/latest_news.html", takes_context=True)
def latest_news(context, count: int = 3) -> dict:
    """The newest live, public articles as cards, with a link to all news.

    The same for every visitor until content changes, so the pages are remembered; their
    images' renditions are read per request (home.images).
    """
    section = remember(f"news:latest:{count}", lambda: _latest_news(count))
    prefetch_card_renditions(section["latest_news"], CARD_RENDITION)
    return {**section, "request": context.get("request")}
