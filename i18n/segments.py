"""Segments: the translatable units of a document (a page, a message file), and where each one sits."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import Enum

from .caches import run_cache


class SegmentKind(Enum):
    FRONTMATTER = "frontmatter"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    TABLE_CELL = "table-cell"
    IMAGE_ALT = "image-alt"
    HTML = "html"  # the text of an HTML element, inline tags included
    TITLE = "title"  # an admonition's, tab's, aside's or block's title: one line of inline markdown
    TERM = "term"  # a definition list's term
    ATTRIBUTE = "attribute"  # a plain-text value: HTML alt/title/…, an image's title, an abbreviation
    MESSAGE = "message"  # a value of a UI message file (``i18n.messages``): plain text, tags, {variables}


# Kinds whose text is inline markdown (one block's content): markup checks and the proof of a local edit
# read it as markdown; other kinds are plain text, HTML or a message.
INLINE_MARKDOWN_KINDS = frozenset(
    {
        SegmentKind.HEADING,
        SegmentKind.PARAGRAPH,
        SegmentKind.TABLE_CELL,
        SegmentKind.IMAGE_ALT,
        SegmentKind.TITLE,
        SegmentKind.TERM,
    }
)

# Kinds whose id is a key the file itself names: always the catalog entry's msgctxt, so that equal texts
# under different keys stay separate entries.
KEYED_KINDS = frozenset({SegmentKind.MESSAGE})


_WHITESPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Text with every run of whitespace folded to one space: what the hash sees."""
    return _WHITESPACE.sub(" ", text).strip()


@run_cache(8192)
def source_hash(text: str) -> str:
    """Hash of a segment's source text, insensitive to re-wrapping and indentation."""
    return hashlib.blake2b(normalise(text).encode("utf-8"), digest_size=8).hexdigest()


@dataclass(frozen=True)
class Segment:
    """A translatable unit.

    ``id`` is a structural path, stable while the page's structure around it is: ``fm:title``,
    ``h:scenario-1-200k-funding``, ``funding-scenarios/ul1/li2/p1``, ``budget/table1/r2c1``; in a message
    file, the key (``header_join``) or a nested key's dotted path (``inbox.count_one``).
    ``text`` is the inline markdown exactly as written (continuation lines without their indentation).
    ``line`` is the 1-based line of the segment's first character. ``anchor`` is a heading's id.
    ``notes`` are what the file says about the segment for its translators (a message file's
    instructions): extracted comments in the catalog, and context for the engines.
    """

    id: str
    kind: SegmentKind
    text: str
    line: int
    anchor: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def hash(self) -> str:
        return source_hash(self.text)
