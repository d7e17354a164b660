"""What in a UI message is not prose: ``{variables}``, HTML tags, entities. Pure; shared by the checks
and by the XML encoding that keeps them away from the engines (:func:`i18n.mt.xmlmarkup.encode_message`).

Messages are not markdown: ``*``, ``_``, ``[`` and backticks are text. Syntax is

- a variable: a ``{…}`` with balanced braces (``{name}``, i18next's ``{{count}}``, a whole ICU
  ``{n, plural, one {…} other {…}}``), i18next nesting ``$t(key)`` and vue-i18n links ``@:key``;
- an HTML tag (``<u>``, ``</u>``, ``<br/>``, ``<a href="…">``) or comment;
- an entity (``&amp;``, ``&#160;``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import NamedTuple

_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", re.DOTALL)
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);")
_LINK = re.compile(r"@(?:\.[A-Za-z]+)?:(?:\{'[^']*'\}|[\w.-]*\w)")
_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
_STARTS = re.compile(r"[{<&$@]")


class Syntax(NamedTuple):
    """``text[start:end]`` is syntax of ``kind``: ``variable``, ``tag``, ``comment`` or ``entity``."""

    start: int
    end: int
    kind: str


def _balanced(text: str, start: int, opening: str, closing: str) -> int | None:
    """The end of the bracketed run opening at ``start`` (None when it never closes)."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == opening:
            depth += 1
        elif text[index] == closing:
            depth -= 1
            if depth == 0:
                return index + 1
    return None


def syntax(text: str) -> Iterator[Syntax]:
    """Every piece of syntax in a message, in order, none overlapping."""
    at = 0
    while (found := _STARTS.search(text, at)) is not None:
        start, char = found.start(), found.group()
        end: int | None = None
        kind = "variable"
        if char == "{":
            end = _balanced(text, start, "{", "}")
        elif char == "$" and text.startswith("$t(", start):
            end = _balanced(text, start + 2, "(", ")")
        elif char == "@":
            link = _LINK.match(text, start)
            end = link.end() if link else None
        elif char == "<":
            tag = _TAG.match(text, start)
            if tag is not None:
                end, kind = tag.end(), "comment" if tag.group().startswith("<!--") else "tag"
        else:
            entity = _ENTITY.match(text, start)
            if entity is not None:
                end, kind = entity.end(), "entity"
        if end is None:
            at = start + 1
            continue
        yield Syntax(start, end, kind)
        at = end


def tag_name(tag: str) -> tuple[str, bool] | None:
    """``("u", False)`` for ``<u>``, ``("u", True)`` for ``</u>``; None for a comment or ``<br/>``."""
    match = _NAME.match(tag)
    if match is None or tag.endswith("/>"):
        return None
    return match.group(1).lower(), tag.startswith("</")


def variables(text: str) -> Counter[str]:
    """A message's variables (``{name}``, ``{{count}}``, ``$t(key)``, ``@:key``), as a multiset."""
    return Counter(" ".join(text[s:e].split()) for s, e, kind in syntax(text) if kind == "variable")


def tags(text: str) -> Counter[str]:
    """A message's HTML tags and comments, whitespace folded, as a multiset."""
    return Counter(" ".join(text[s:e].split()) for s, e, kind in syntax(text) if kind in ("tag", "comment"))
