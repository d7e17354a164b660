"""The checks for an engine's chatter, on machine translations only: the length ratio, a preamble."""

from __future__ import annotations

import re

from .base import Context, Found, Problem

# Chatter an engine (an LLM) puts before its answer, at the start of the text (after quotes or `**`), in
# English, Dutch, German, French and Spanish: "Here is the translation", "Translation:", "Sure!", …
_PREAMBLES = (
    r"(?:here(?:'s|’s| is| are)|below is|this is) (?:the|your|my|a) (?:\w+ ){0,3}translation",
    r"(?:sure|certainly|of course|absolutely)\b\s*[,!.:]",
    r"i(?:'ve|’ve| have)? translated",
    r"hier is (?:de|je|uw|mijn|een) (?:\w+ ){0,3}vertaling",
    r"ik heb (?:mijn|de|je|uw|het|dit) (?:\w+ ){0,3}(?:vertaling|vertaald)",
    r"(?:natuurlijk|zeker)\s*!",
    r"hier ist (?:die|deine|ihre|meine|eine) (?:\w+ ){0,3}übersetzung",
    r"(?:gerne|natürlich|klar)\s*!",
    r"voici (?:la|ta|votre|ma|une) (?:\w+ ){0,3}traduction",
    r"bien sûr\s*!",
    r"(?:aquí (?:está|tienes)|esta es) (?:la|tu|su|mi|una) (?:\w+ ){0,3}traducción",
    r"¡?(?:claro|por supuesto)\s*!",
    # "Translation:", "Dutch translation:", "Vertaling (NL):", "Übersetzung ins Deutsche:"
    r"(?:\w+ )?(?:translation|vertaling|übersetzung|traduction|traducción)"
    r"(?: (?:to|into|naar|in|ins|en|al) (?:het |de |le |el )?\w+| \(\w+\))?\s*:",
)
PREAMBLE = re.compile(r"^[\W_]{0,3}(?:" + "|".join(_PREAMBLES) + ")", re.IGNORECASE)
_MIN_RATIO, _MAX_RATIO, _RATIO_FROM, _SHORT_SLACK = 0.3, 3.0, 20, 200


def length(source: str, translation: str, context: Context) -> Found:
    """A translation far longer or shorter than its source."""
    src, dst = context.src, context.dst
    if len(src) >= _RATIO_FROM:
        ratio = len(dst) / len(src)
        if not _MIN_RATIO <= ratio <= _MAX_RATIO:
            yield (
                Problem.LENGTH,
                f"translation is {ratio:.2f}× the source's length (expected {_MIN_RATIO}–{_MAX_RATIO}×)",
            )
    elif len(dst) > len(src) + _SHORT_SLACK:
        yield Problem.LENGTH, f"translation has {len(dst)} characters for a {len(src)}-character source"


def preamble(source: str, translation: str, context: Context) -> Found:
    """Chatter before the translation ("Here is the translation:") that the source does not have."""
    found = PREAMBLE.match(context.dst)
    if found and not PREAMBLE.match(context.src):
        yield Problem.PREAMBLE, f"translation starts with chatter '{found.group().strip()}'"
