"""What a visitor typed, made safe to search for (site search, the case-study library, the API)."""

import re

MAX_QUERY_LENGTH = 200


def clean_query(raw: str) -> str:
    """Collapse whitespace, drop control characters and cap the length of a search query."""
    printable = "".join(ch if ch.isprintable() else " " for ch in raw)
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def search_terms(query: str) -> str:
    """Words only: punctuation means nothing to the search and breaks SQLite's FTS5 syntax."""
    return " ".join(re.sub(r"[\W_]+", " ", query).split())
