"""Pseudo-localisation: accents and lengthens the text outside tags (``Hello <b>world</b>`` ->
``⟦Hééllo <b>wóórld</b>⟧``), for layout tests and demos. No network, no account, no glossary."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import Planning
from .engine import Answer, Context, Stopping, Translated, Usage, never
from .glossary import Glossary

if TYPE_CHECKING:
    from ..config import Config

# Tags, comments, CDATA, processing instructions and entity references: copied as they are.
_MARKUP = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<![A-Za-z][^<>]*>|</?[A-Za-z_:][^<>]*>"
    r"|&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);",
    re.DOTALL,
)
_TAG_NAME = re.compile(r"</?\s*([^\s/>]+)")
_ACCENTS = str.maketrans("aeiouyAEIOUYcnCN", "áéíóúýÁÉÍÓÚÝçñÇÑ")
_VOWELS = frozenset("áéíóúýÁÉÍÓÚÝ")
_GROWTH = 0.3
_WORD = re.compile(r"\w")
_LEAD = re.compile(r"\A[\s|]*")
_TRAIL = re.compile(r"[\s|]*\Z")


def pseudo_localize(text: str, ignore_tags: Sequence[str] = ()) -> str:
    """Accent the text outside tags and lengthen it by about 30 % (⟦brackets⟧ and repeated vowels).

    Markup and the content of ``ignore_tags`` elements are kept byte for byte; deterministic. The
    padding is repeated vowels, not ``~``: ``~~`` would read as markdown strikethrough.
    """
    pieces: list[tuple[bool, str]] = []  # (translatable, text)
    stack: list[str] = []
    ignored = set(ignore_tags)
    pos = 0
    for match in _MARKUP.finditer(text):
        if match.start() > pos:
            pieces.append((not ignored.intersection(stack), text[pos : match.start()]))
        raw, pos = match.group(), match.end()
        pieces.append((False, raw))
        name = _TAG_NAME.match(raw)
        if name is None or raw.startswith(("<!", "<?")) or raw.endswith("/>"):
            continue
        if raw.startswith("</"):
            if name.group(1) in stack:
                while stack.pop() != name.group(1):
                    pass
        else:
            stack.append(name.group(1))
    if pos < len(text):
        pieces.append((not ignored.intersection(stack), text[pos:]))
    pieces = [(translatable, s.translate(_ACCENTS) if translatable else s) for translatable, s in pieces]
    size = sum(len(s) for translatable, s in pieces if translatable and s.strip())
    if not size:
        return text
    extra = max(0, math.ceil(_GROWTH * size) - 2)  # the brackets are 2
    vowels = sum(1 for translatable, s in pieces if translatable for c in s if c in _VOWELS)
    padded: list[tuple[bool, str]] = []
    seen = 0
    for translatable, s in pieces:
        if not translatable or not vowels:
            padded.append((translatable, s))
            continue
        chars: list[str] = []
        for c in s:
            chars.append(c)
            if c in _VOWELS:  # spread the extra characters evenly over the vowels
                chars.append(c * ((seen + 1) * extra // vowels - seen * extra // vowels))
                seen += 1
        padded.append((True, "".join(chars)))
    if not vowels:
        padded.append((True, "·" * extra))
    # Brackets go around the translatable text only, so leading or trailing markup stays where it is; the
    # closing one after the last word, so punctuation after trailing markup stays there too
    # (`press@example.com.`: the site's e-mail autolink depends on what follows the dot).
    texts = [n for n, (translatable, s) in enumerate(padded) if translatable and s.strip()]
    words = [n for n in texts if _WORD.search(padded[n][1])] or texts
    # Outside the brackets too: pipes at the edges, which count a GFM table row's cells (`word|` above a
    # `|---|---|` line is a paragraph; `⟦word|⟧` would make it a table).
    first, last = texts[0], words[-1]
    out = [s for _, s in padded]
    lead = _edge(_LEAD, out[first])
    out[first] = lead + "⟦" + out[first][len(lead) :]
    trail = _edge(_TRAIL, out[last])
    out[last] = out[last][: len(out[last]) - len(trail)] + "⟧" + trail
    return "".join(out)


def _edge(pattern: re.Pattern[str], text: str) -> str:
    match = pattern.search(text)  # the patterns match the empty string: never None
    return match.group() if match else ""


def request_size(texts: Sequence[str], source: str, target: str, *, context: str = "") -> int:
    """Requests are measured as a JSON list of the texts, and the context (there is no server)."""
    return len(json.dumps(list(texts)).encode("ascii")) + (len(json.dumps(context)) if context else 0)


class PseudoEngine:
    """Pseudo-localisation: no network, no account, no glossary; bills ``len(text)``."""

    name = "pseudo"

    def usage(self) -> Usage | None:
        return None

    def request_size(self, texts: Sequence[str], source: str, target: str) -> int:
        return request_size(texts, source, target)

    def sync_glossary(self, glossary: Glossary, source: str, languages: Sequence[str]) -> None:
        return None

    def translate(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        *,
        ignore_tags: Sequence[str] = (),
        context: str = "",
        contexts: Sequence[Context] = (),
        stopping: Stopping = never,
    ) -> Answer:
        return Answer(tuple(Translated(pseudo_localize(text, ignore_tags), len(text)) for text in texts))


def make(config: Config) -> PseudoEngine:
    """The registry's factory (:mod:`.registry`)."""
    return PseudoEngine()


def plan(config: Config, glossary: Glossary) -> Planning:
    """The registry's planning: requests measured as JSON, batches bounded by the configuration."""
    return Planning(request_size, config.batch_max_texts, config.batch_max_bytes, name="pseudo")
