"""Bare URLs, ``www.`` links and e-mail addresses in running text: GFM autolink literals, which the site
turns into links (``https://…``, ``www.…``, ``press@pauseai.info``) although CommonMark reads them as words.

They are found by linkify-it-py (what markdown-it's ``linkify`` uses), limited to what GFM links —
``http://``, ``https://``, ``www.``, e-mail addresses (and ``mailto:``), not bare domains such as
``pauseai.info`` or ``README.md`` — and trimmed as GFM trims them: trailing ``?!.,:*_~``, unbalanced
closing parentheses, a final entity-like ``&name;``. The text they stand in must never be translated: the
XML encoder makes each a placeholder, and the checks and the page's structure count them as link targets.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linkify_it import LinkifyIt

# Text that may hold an autolink literal (a cheap test before linkify runs).
HINT = re.compile(r"://|www\.|@", re.IGNORECASE)
_SCHEMAS = frozenset({"http:", "https:", "mailto:"})
_TRAILING = "?!.,:*_~"
_ENTITY_END = re.compile(r"&[A-Za-z0-9]+;$")


@lru_cache(maxsize=1)
def _linkify() -> LinkifyIt:
    from linkify_it import LinkifyIt  # loaded only when a text may hold one

    return LinkifyIt(options={"fuzzy_link": True, "fuzzy_email": True, "fuzzy_ip": False})


def autolinks(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each autolink literal in ``text`` (plain text: no markdown markup in it)."""
    if HINT.search(text) is None:
        return []
    found: list[tuple[int, int]] = []
    for match in _linkify().match(text) or ():
        start, end = match.index, match.last_index
        literal = text[start:end]
        if match.schema not in _SCHEMAS and not (match.schema == "" and literal.startswith("www.")):
            continue
        end = start + len(_trim(literal))
        if end > start and (match.schema != "mailto:" or "@" in text[start:end]):
            found.append((start, end))
    return found


def _trim(literal: str) -> str:
    """``literal`` without what GFM leaves out of an autolink at its end."""
    while True:
        before = literal
        literal = literal.rstrip(_TRAILING)
        if literal.endswith(")") and literal.count(")") > literal.count("("):
            literal = literal[:-1]
        entity = _ENTITY_END.search(literal)
        if entity:
            literal = literal[: entity.start()]
        if literal == before:
            return literal


def literals(text: str) -> list[str]:
    """The autolink literals of ``text``, in order."""
    return [text[start:end] for start, end in autolinks(text)]
