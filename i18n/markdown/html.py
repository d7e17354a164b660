"""The words inside raw HTML: a real tokenizer (the standard library's ``html.parser``) with source offsets.

Inside a raw HTML block, the text of each block-level element (``p``, ``li``, ``h1``–``h6``, ``td``/``th``,
``summary``, ``figcaption``, ``blockquote``, … and text directly in a ``div``) is one piece, inline tags
(``<a>``, ``<strong>``, ``<br>``) and entities included, so that they become placeholders for the engines
(as inline markdown's do). The values of the ``alt``, ``title``, ``aria-label`` and ``placeholder``
attributes are pieces of their own. ``<script>``, ``<style>``, ``<pre>``, ``<textarea>``, ``<code>``,
``<kbd>`` and ``<samp>`` and comments are never pieces (an inline ``<code>`` inside a paragraph is kept,
untranslated, as one placeholder).

A piece's text is trimmed to its words: leading and trailing whitespace, comments and empty elements
(``<img>``, ``<br>``) stay outside, so their attributes can be pieces themselves. An attribute inside a
text piece stays part of its tag (a placeholder): pieces never overlap.

:func:`pieces` works on any HTML text and returns offsets into it; the walk maps them onto the page, the
catalog update uses it to split an old translation of a whole block (:func:`split_translation`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import NamedTuple

from .inline_tokens import has_letters


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Elements whose start and end separate pieces (HTML's block-level and table elements, and the ones whose
# text is a unit of its own: summary, caption, option, label, button, legend).
BLOCK_ELEMENTS = _words(
    "address article aside blockquote body button caption center col colgroup dd details dialog dir "
    "div dl dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header "
    "hgroup hr html iframe label legend li link main menu meta nav noframes noscript ol optgroup "
    "option p param search section select source summary table tbody td template tfoot th thead title "
    "tr track ul video audio picture object canvas svg math"
)
# Elements whose content is never translated: at block level nothing in them is a piece; inline (code,
# kbd, samp, var) the whole element is one placeholder inside its piece.
RAW_ELEMENTS = frozenset({"script", "style", "pre", "textarea", "code", "kbd", "samp", "svg", "math"})
_INLINE_RAW = frozenset({"code", "kbd", "samp"})
VOID_ELEMENTS = _words("area base br col embed hr img input link meta param source track wbr")
TRANSLATABLE_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
_ATTRIBUTE = re.compile(
    r"""(?P<name>[^\s"'>/=]+)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<uq>[^\s"'=<>`]+)))?""",
)


class Piece(NamedTuple):
    """A translatable piece of an HTML text: ``text[start:end]``. ``element`` is the tag the text belongs to
    (``p``, ``li``; ``div`` for text directly in one), ``attribute`` the attribute name for a value."""

    start: int
    end: int
    element: str
    attribute: str | None = None
    quote: str = ""


@dataclass
class _Item:
    kind: str  # "text", "tag", "void", "atom", "comment", "entity"
    start: int
    end: int
    words: bool = False  # a text item with letters


class _Tokenizer(HTMLParser):
    """html.parser with absolute offsets: collects pieces as it goes."""

    def __init__(self, text: str, not_words: re.Pattern[str] | None = None) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.not_words = not_words
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.pieces: list[Piece] = []
        self.run: list[_Item] = []
        self.run_element = "div"
        self.pending: list[
            tuple[int, Piece]
        ] = []  # attribute pieces of inline tags in the run: (item, piece)
        self.elements: list[str] = []  # open block elements
        self.raw: list[str] = []  # open raw elements (their content is skipped)
        self.raw_start = 0
        self.raw_inline = False
        self.skeleton: list[str] = []

    # -- positions ---------------------------------------------------------------------------------------
    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def tag_end(self, start: int) -> int:
        end = self.text.find(">", start)
        return len(self.text) if end < 0 else end + 1

    # -- events ------------------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, void=tag in VOID_ELEMENTS)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, void=True)

    def _start(self, tag: str, *, void: bool) -> None:
        start = self.position()
        raw = self.get_starttag_text() or ""
        end = start + len(raw)
        if self.raw:
            if tag == self.raw[-1] and not void:
                self.raw.append(tag)
            return
        attributes = list(_attribute_pieces(raw, start, tag))
        if tag in RAW_ELEMENTS and not void:
            if tag not in _INLINE_RAW:
                self.flush()
                self.pieces.extend(attributes)
            self.raw_start, self.raw_inline = start, tag in _INLINE_RAW
            self.raw.append(tag)
            return
        self.skeleton.append(_skeleton_tag(raw, attributes, start))
        if tag in BLOCK_ELEMENTS:
            self.flush()
            self.pieces.extend(attributes)
            if not void:
                self.elements.append(tag)
                self.run_element = tag
            return
        self.run.append(_Item("void" if void else "tag", start, end))
        self.pending.extend((len(self.run) - 1, piece) for piece in attributes)

    def handle_endtag(self, tag: str) -> None:
        start = self.position()
        end = self.tag_end(start)
        if self.raw:
            if tag == self.raw[-1]:
                self.raw.pop()
                if not self.raw:
                    self.skeleton.append(self.text[self.raw_start : end])
                    if self.raw_inline:  # an inline code element: one placeholder in the run
                        self.run.append(_Item("atom", self.raw_start, end))
            return
        self.skeleton.append(self.text[start:end])
        if tag in BLOCK_ELEMENTS:
            self.flush()
            if tag in self.elements:
                while self.elements.pop() != tag:
                    pass
            self.run_element = self.elements[-1] if self.elements else "div"
            return
        self.run.append(_Item("tag", start, end))

    def handle_data(self, data: str) -> None:
        if self.raw:
            return
        start = self.position()
        words = self.not_words.sub(" ", data) if self.not_words is not None else data
        self.run.append(_Item("text", start, start + len(data), has_letters(words)))

    def handle_entityref(self, name: str) -> None:
        self._entity()

    def handle_charref(self, name: str) -> None:
        self._entity()

    def _entity(self) -> None:
        if self.raw:
            return
        start = self.position()
        end = self.text.find(";", start)
        self.run.append(_Item("entity", start, end + 1 if end >= 0 else start + 1))

    def handle_comment(self, data: str) -> None:
        if self.raw:
            return
        start = self.position()
        self.run.append(_Item("comment", start, start + len(data) + 7))
        self.skeleton.append(self.text[start : start + len(data) + 7])

    def handle_decl(self, decl: str) -> None:
        self.skeleton.append(decl)

    def unknown_decl(self, data: str) -> None:
        self.skeleton.append(data)

    # -- pieces ------------------------------------------------------------------------------------------
    def outside(self, item: _Item) -> bool:
        """Items a piece does not start or end with: whitespace, comments, empty elements."""
        if item.kind == "text":
            return not self.text[item.start : item.end].strip()
        return item.kind in ("comment", "void")

    def flush(self) -> None:
        run, pending = self.run, self.pending
        self.run, self.pending = [], []
        first, last = 0, len(run) - 1
        while first <= last and self.outside(run[first]):
            first += 1
        while last >= first and self.outside(run[last]):
            last -= 1
        inside: tuple[int, int] | None = None
        if first <= last and any(item.words for item in run[first : last + 1]):
            start, end = run[first].start, run[last].end
            while start < end and self.text[start].isspace():
                start += 1
            while end > start and self.text[end - 1].isspace():
                end -= 1
            inside = (first, last)
            self.pieces.append(Piece(start, end, self.run_element))
        for position, piece in pending:
            if inside is None or not inside[0] <= position <= inside[1]:
                self.pieces.append(piece)


def _attribute_pieces(raw: str, offset: int, tag: str) -> list[Piece]:
    """The translatable attribute values of a start tag (``raw`` at ``offset``), quoted ones only."""
    found: list[Piece] = []
    name_end = re.match(r"<[^\s/>]+", raw)
    if name_end is None:
        return found
    for match in _ATTRIBUTE.finditer(raw, name_end.end()):
        name = match.group("name").lower()
        if name not in TRANSLATABLE_ATTRIBUTES:
            continue
        group = "dq" if match.group("dq") is not None else "sq" if match.group("sq") is not None else None
        if group is None:
            continue
        value = match.group(group)
        if not has_letters(value) or "{" in value or value != value.strip():  # `{…}`: template syntax
            continue
        start = offset + match.start(group)
        found.append(Piece(start, start + len(value), tag, name, '"' if group == "dq" else "'"))
    return found


def _skeleton_tag(raw: str, attributes: Sequence[Piece], offset: int) -> str:
    """A start tag with its translatable attribute values left out (what a translation may not change)."""
    out, position = [], 0
    for piece in attributes:
        out.append(raw[position : piece.start - offset])
        position = piece.end - offset
    out.append(raw[position:])
    return " ".join("".join(out).split())


class Parsed(NamedTuple):
    pieces: tuple[Piece, ...]
    skeleton: tuple[str, ...]


def parse_html(text: str, not_words: re.Pattern[str] | None = None) -> Parsed:
    """The pieces of an HTML text, in source order, and its skeleton (tags without translatable values,
    raw elements whole, comments): two texts with the same skeleton differ only in their pieces.
    ``not_words``: template syntax that is no words in a text (the flavour's ``html_not_words``)."""
    tokenizer = _Tokenizer(text, not_words)
    tokenizer.feed(text)
    tokenizer.close()
    tokenizer.flush()
    pieces = sorted(tokenizer.pieces)
    return Parsed(tuple(pieces), tuple(tokenizer.skeleton))


def pieces(text: str) -> tuple[Piece, ...]:
    return parse_html(text).pieces


def line_spans(text: str, start: int, end: int, base: int = 0) -> tuple[tuple[int, int], ...]:
    """``text[start:end]`` as trimmed ``(start, end)`` spans per line (offsets plus ``base``)."""
    spans: list[tuple[int, int]] = []
    position = start
    starts = [0] + [m.end() for m in re.finditer(r"\r\n?|\n", text)]
    while position < end:
        line = bisect_right(starts, position)
        line_end = starts[line] if line < len(starts) else len(text)
        body_end = line_end
        while body_end > position and text[body_end - 1] in "\r\n":
            body_end -= 1
        a, b = position, min(body_end, end)
        while a < b and text[a] in " \t":
            a += 1
        while b > a and text[b - 1] in " \t":
            b -= 1
        if a < b:
            spans.append((base + a, base + b))
        position = line_end if line_end > position else end
    return tuple(spans)


def piece_text(text: str, piece: Piece) -> str:
    """A piece's text as a segment holds it: its lines trimmed, joined by ``\\n``."""
    return "\n".join(text[a:b] for a, b in line_spans(text, piece.start, piece.end))


def split_translation(source: str, translation: str) -> list[tuple[str, str]] | None:
    """Pairs (source piece, translated piece) of a whole HTML block and its translation, when both have
    the same skeleton and as many pieces; None when the translation cannot be split that way."""
    try:
        before, after = parse_html(source), parse_html(translation)
    except (AssertionError, ValueError):  # pragma: no cover - html.parser is lenient
        return None
    if before.skeleton != after.skeleton or len(before.pieces) != len(after.pieces):
        return None
    pairs = zip(before.pieces, after.pieces, strict=True)
    if any(a.attribute != b.attribute or a.element != b.element for a, b in pairs):
        return None
    return [
        (piece_text(source, a), piece_text(translation, b))
        for a, b in zip(before.pieces, after.pieces, strict=True)
    ]


def block_pieces(text: str) -> list[str]:
    """The texts of an HTML block's pieces, in order."""
    return [piece_text(text, piece) for piece in pieces(text)]


def escape_attribute(value: str, quote: str) -> str:
    """``value`` as the content of an attribute quoted with ``quote``."""
    value = " ".join(value.split())
    return value.replace(quote, "&quot;" if quote == '"' else "&#39;")


def split_block(source: str, translation: str) -> tuple[list[str], list[str] | None]:
    """The piece texts of an old whole-block segment and, when it can be split the same way, of its
    translation (for :func:`i18n.catalog.update.update_messages`)."""
    texts = block_pieces(source)
    pairs = split_translation(source, translation)
    return texts, None if pairs is None else [translated for _, translated in pairs]
