"""The pseudo-locale (``pseudo_locale``, en-XA): every segment of a page or message file pseudo-localised
straight from the source, markup kept, with no catalog read or written."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..config import Config
from ..files import file_digest
from ..segments import SegmentKind
from .cache import fingerprint

if TYPE_CHECKING:
    from ..document import Document

PSEUDO_FORMAT = 2  # of the pseudo-localiser's output: a change rebuilds the pseudo-locale


def pseudo_marker(config: Config) -> str:
    """What the pseudo pages depend on besides the source: the pseudo-localiser and the glossary's terms
    (stands where a language's page records its catalog's digest)."""
    return f"pseudo:{fingerprint([PSEUDO_FORMAT, file_digest(config.glossary)])}"


def pseudo_translations(document: Document, keep: Sequence[str]) -> dict[str, str]:
    """Segment id → its pseudo-localised text (a segment the localiser cannot keep intact is left out:
    English)."""
    return {
        segment.id: text
        for segment in document.segments
        if (text := pseudo_text(segment.text, keep, message=segment.kind is SegmentKind.MESSAGE)) is not None
    }


def pseudo_text(text: str, keep: Sequence[str] = (), *, message: bool = False) -> str | None:
    """``text`` (inline markdown, or a UI message's text when ``message``: tags and ``{variables}``)
    pseudo-localised with its markup kept; None if it cannot be."""
    from ..mt.pseudo import pseudo_localize  # markdown-it, PyYAML, rapidfuzz: see i18n.jobs
    from ..mt.xmlmarkup import MarkupError, decode, encode, encode_message

    try:
        encoded = (encode_message if message else encode)(text, keep=keep)
        return decode(encoded, pseudo_localize(encoded.xml, encoded.ignore_tags))
    except MarkupError:
        return None
