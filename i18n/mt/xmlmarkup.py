"""Inline markdown ⇄ DeepL XML (``tag_handling="xml"``): markup never reaches the engine as text.

``encode(text)`` turns a segment's inline markdown into XML whose text is only prose. Constructs with
translatable content become elements that keep their source delimiters aside: links ``<a i="N">``,
images ``<img i="N">`` (alt text), emphasis ``<em>``, strong ``<strong>``, strikethrough ``<s>``, paired
inline HTML tags ``<span>``. Everything else is an empty placeholder restored byte for byte: ``<br i="N"/>``
for line breaks (soft and hard), ``<x i="N"/>`` for code spans, unpaired inline HTML, autolinks, bare
URLs and e-mail addresses (GFM autolink literals, :mod:`i18n.markdown.autolink`), entities, backslash
escapes, Svelte ``{expressions}`` (so Hugo shortcodes and attribute lists), shortcut references
``[label]``, the generator syntax every flavour shares (key codes ``++ctrl+c++``, emoji codes, math,
critic delimiters, footnote references: :mod:`i18n.markdown.flavours.inline_syntax`) and do-not-translate
terms.
``decode(encoded, xml)`` rebuilds markdown from a translated XML by placeholder id, so the engine may
reorder elements, but a lost, duplicated, renamed or invented element is a :class:`MarkupError`.
``decode(e, e.xml) == text`` for every text.

``encode_message(text)`` is the rule for UI messages, which are not markdown (:mod:`i18n.messages.markup`):
paired HTML tags (``<u>…</u>``) become ``<span>`` around their translatable content; variables
(``{name}``, ``{{count}}``), unpaired tags, comments and entities become ``<x/>`` placeholders; every other
character is text. The same ``decode`` turns the answer back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree

from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from ..errors import I18nError
from ..markdown.autolink import autolinks
from ..markdown.parser import IN_LINK_LABEL, SPAN, span_parser
from ..messages.markup import syntax, tag_name

__all__ = [
    "NON_SPLITTING_TAGS",
    "Encoded",
    "MarkupError",
    "Placeholder",
    "decode",
    "encode",
    "encode_message",
]

# Every element name encode uses: pass as DeepL ``non_splitting_tags`` (they are all inline markup).
NON_SPLITTING_TAGS = ("a", "img", "em", "strong", "s", "span", "br", "x")
_WRAPPERS = {"em_open": "em", "strong_open": "strong", "s_open": "s"}
_NAMES = {"em": "emphasis", "strong": "strong emphasis", "s": "strikethrough", "a": "link", "img": "image"}
_ATOMS = {
    "code_inline": "code span",
    "svelte": "Svelte expression",
    "html_inline": "inline HTML",
    "keys": "key code",
    "emoji": "emoji code",
    "critic": "critic mark",
    "math_inline": "math",
    "math_inline_double": "math",
    "footnote_ref": "footnote reference",
    "mention": "mention",
    "commit": "commit hash",
    "key_link": "link whose text is a key",
}
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
# Characters XML 1.0 cannot carry (and stray line breaks): kept out of the XML as placeholders.
_UNSAFE = r"[\x00-\x08\x0b\x0c\x0e-\x1f\r\n\ud800-\udfff\ufffe\uffff]"


class MarkupError(I18nError, ValueError):
    """A translated XML does not carry the placeholders of its source exactly once each."""


@dataclass(frozen=True)
class Placeholder:
    """What element ``i="N"`` stands for: ``open`` + translated content + ``close`` (``close`` is empty
    and the element empty for ``x``/``br``). ``label`` is a shortcut (``[text]``) or collapsed (``[text][]``)
    reference's label: a translated text keeps it as ``[translated][text]``."""

    tag: str
    open: str
    close: str
    what: str
    label: str | None = None

    def describe(self, number: int) -> str:
        shown = self.open + ("…" + self.close if self.tag not in ("x", "br") else "")
        shown = shown.replace("\n", "\\n")
        return f"placeholder {number} ({self.what} {shown[:60]})"


@dataclass(frozen=True)
class Encoded:
    xml: str  # what is sent to DeepL
    ignore_tags: tuple[str, ...]  # DeepL ``ignore_tags``
    placeholders: tuple[Placeholder, ...]  # element ``i="N"`` is ``placeholders[N - 1]``


class _AnyLabel(Mapping[str, dict[str, str]]):
    """Link references as if every label were defined: a segment's text holds no definitions."""

    def __getitem__(self, label: str) -> dict[str, str]:
        if not label.strip() or label.startswith("^"):  # `[^1]` is a footnote reference, never a link
            raise KeyError(label)
        return {"href": "", "title": ""}

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def _env() -> dict[str, object]:
    return {"references": _AnyLabel()}


def _label_end(src: str, start: int, image: bool) -> int:
    """Offset of the ``]`` closing the link label that opens at ``start`` (as the link rules find it)."""
    env = _env() if image else {**_env(), IN_LINK_LABEL: True}  # as the link rule scans its label
    return parseLinkLabel(StateInline(src, span_parser(), env, []), start + image, not image)


def _pair_html(tokens: Sequence[Token]) -> dict[int, int]:
    """Inline HTML open tag index -> its close tag index, for pairs inside the same markdown element."""
    pairs: dict[int, int] = {}
    frames: list[list[tuple[str, int]]] = [[]]
    for index, token in enumerate(tokens):
        if token.nesting == 1:
            frames.append([])
        elif token.nesting == -1 and len(frames) > 1:
            frames.pop()
        elif token.type == "html_inline" and not token.content.endswith("/>"):
            match, opened = _HTML_TAG.match(token.content), frames[-1]
            if match and not match.group(1):
                opened.append((match.group(2).lower(), index))
            elif match:
                found = [k for k, (name, _) in enumerate(opened) if name == match.group(2).lower()]
                if found:
                    pairs[opened[found[-1]][1]] = index
                    del opened[found[-1] :]
    return pairs


class _Builder:
    def __init__(self, text: str, keep: Sequence[str]) -> None:
        self.text, self.cursor = text, 0
        self.xml: list[str] = []
        self.slots: list[Placeholder | None] = []
        self.stack: list[tuple[int, str, str, str | None]] = []  # open elements: id, tag, opener, label
        terms = "|".join(re.escape(term) for term in sorted(set(keep) - {""}, key=len, reverse=True))
        self.special = re.compile((rf"(?<!\w)(?P<term>{terms})(?!\w)|" if terms else "") + _UNSAFE)

    def _text(self, stop: int) -> None:
        chunk, pos = self.text[self.cursor : stop], 0
        for start, end in autolinks(chunk):  # bare URLs and e-mail addresses are never translated
            self._words(chunk[pos:start])
            self._add(Placeholder("x", chunk[start:end], "", "bare URL or e-mail address"))
            pos = end
        self._words(chunk[pos:])
        self.cursor = stop

    def _words(self, chunk: str) -> None:
        pos = 0
        for match in self.special.finditer(chunk):
            self.xml.append(_escape(chunk[pos : match.start()]))
            self._add(Placeholder("x", match.group(), "", "term" if match.lastgroup else "character"))
            pos = match.end()
        self.xml.append(_escape(chunk[pos:]))

    def _add(self, slot: Placeholder) -> None:
        self.slots.append(slot)
        self.xml.append(f'{" " if slot.tag == "br" else ""}<{slot.tag} i="{len(self.slots)}"/>')

    def atom(self, start: int, end: int, what: str, tag: str = "x") -> None:
        self._text(start)
        self._add(Placeholder(tag, self.text[start:end], "", what))
        self.cursor = end

    def open(self, tag: str, start: int, end: int, label: str | None = None) -> None:
        self._text(start)
        self.slots.append(None)
        self.stack.append((len(self.slots), tag, self.text[start:end], label))
        self.xml.append(f'<{tag} i="{len(self.slots)}">')
        self.cursor = end

    def close(self, start: int, end: int) -> None:
        self._text(start)
        number, tag, opener, label = self.stack.pop()
        closer = self.text[start:end]
        self.slots[number - 1] = Placeholder(tag, opener, closer, _NAMES.get(tag, "HTML element"), label)
        self.xml.append(f"</{tag}>")
        self.cursor = end

    def walk(self, src: str, tokens: Sequence[Token], base: int) -> None:
        """Emit ``tokens`` (parsed from ``src``, which starts at ``base`` in the text)."""
        pairs = _pair_html(tokens)
        closers: list[tuple[int, int]] = []  # where each open link's `](url)` / `][label]` sits
        skip: tuple[int, int] | None = None  # inside an autolink or shortcut reference: one placeholder
        spans: list[tuple[int, int] | None] = [token.meta.get(SPAN) for token in tokens]
        for index, token in enumerate(tokens):  # `~~~a~~~`: a lone `~` is swapped past its run of closers
            if token.type == "s_close" and (index == 0 or tokens[index - 1].type != "s_close"):
                end = next((k for k in range(index, len(tokens)) if tokens[k].type != "s_close"), len(tokens))
                spans[index:end] = sorted(filter(None, spans[index:end]))
        for index, token in enumerate(tokens):
            span, kind = spans[index], token.type
            if skip is not None:
                skip = None if kind == "link_close" and span == skip else skip
                continue
            if span is None or kind == "text":  # text is what lies between the spans
                continue
            start, end = span[0] + base, span[1] + base
            if kind in _WRAPPERS:
                self.open(_WRAPPERS[kind], end - len(token.markup), end)
            elif kind in ("em_close", "strong_close", "s_close"):
                self.close(start, start + len(token.markup))
            elif kind == "link_open" and token.markup == "autolink":
                self.atom(start, end, "autolink")
                skip = span
            elif kind in ("link_open", "image"):
                image = kind == "image"
                label_end = _label_end(src, span[0], image)
                suffix = src[label_end : span[1]]
                if suffix == "]" and (closers or self.stack):  # `[label]` inside a link: one placeholder
                    self.atom(start, end, "reference")
                    skip = None if image else span
                    continue
                # shortcut `[label]` and collapsed `[label][]` references: the text is also the key, so
                # a translated text keeps it as a full reference (`[text][label]`, see decode)
                label = src[span[0] + 1 + image : label_end] if suffix in ("]", "][]") else None
                self.open("img" if image else "a", start, start + 1 + image, label)
                closers.append((base + label_end, end))
                if image:
                    self.walk(src[span[0] + 2 : label_end], token.children or [], start + 2)
                    self.close(*closers.pop())
            elif kind == "link_close":
                self.close(*closers.pop())
            elif kind in ("softbreak", "hardbreak"):
                while start > self.cursor and self.text[start - 1] in " \t":
                    start -= 1
                self.atom(start, end, "line break", "br")
            elif index in pairs:
                self.open("span", start, end)
            elif index in pairs.values():
                self.close(start, end)
            else:
                self.atom(start, end, _ATOMS.get(kind) or token.info or kind)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Characters that can start inline markup other than text (line breaks, escapes, code, emphasis, links,
# images, autolinks and HTML, entities, Svelte expressions, math, key and emoji codes).
_STARTS_SYNTAX = re.compile(r"[\n\\`~*_\[!<&{$@]|[0-9a-f]{40}|\+\+|:[a-z0-9_+-]*[a-z][a-z0-9_+-]*:")


def encode(text: str, *, keep: Sequence[str] = ()) -> Encoded:
    """``text`` (a segment's inline markdown) as XML for DeepL; ``keep``: terms never to translate."""
    builder = _Builder(text, keep)
    if _STARTS_SYNTAX.search(text):  # else the inline parse gives one text token: no need to run it
        tokens: list[Token] = []
        span_parser().inline.parse(text, span_parser(), _env(), tokens)
        builder.walk(text, tokens, 0)
    builder._text(len(text))
    slots = tuple(slot for slot in builder.slots if slot is not None)
    encoded = Encoded("".join(builder.xml), ("x",), slots)
    if builder.stack or len(slots) != len(builder.slots) or decode(encoded, encoded.xml) != text:
        raise MarkupError(f"cannot encode {text[:60]!r} faithfully")  # a bug: never send what cannot return
    return encoded


_MESSAGE_ATOMS = {"variable": "variable", "entity": "entity", "comment": "HTML comment", "tag": "HTML tag"}


def encode_message(text: str, *, keep: Sequence[str] = ()) -> Encoded:
    """A UI message as XML for DeepL (see the module's docstring); ``keep``: terms never to translate."""
    found = list(syntax(text))
    pairs: dict[int, int] = {}  # open tag index -> close tag index, properly nested
    opened: list[tuple[str, int]] = []
    for index, (start, end, kind) in enumerate(found):
        named = tag_name(text[start:end]) if kind == "tag" else None
        if named is None:
            continue
        name, closing = named
        if not closing:
            opened.append((name, index))
            continue
        match = [k for k, (other, _) in enumerate(opened) if other == name]
        if match:
            pairs[opened[match[-1]][1]] = index
            del opened[match[-1] :]
    closers = set(pairs.values())
    builder = _Builder(text, keep)
    for index, (start, end, kind) in enumerate(found):
        if index in pairs:
            builder.open("span", start, end)
        elif index in closers:
            builder.close(start, end)
        else:
            builder.atom(start, end, _MESSAGE_ATOMS[kind])
    builder._text(len(text))
    slots = tuple(slot for slot in builder.slots if slot is not None)
    encoded = Encoded("".join(builder.xml), ("x",), slots)
    if builder.stack or len(slots) != len(builder.slots) or decode(encoded, encoded.xml) != text:
        raise MarkupError(f"cannot encode {text[:60]!r} faithfully")  # a bug: never send what cannot return
    return encoded


def decode(encoded: Encoded, xml: str) -> str:
    """The markdown of a translated ``xml``, with each placeholder's source markup restored."""
    try:
        root = ElementTree.fromstring(f"<r>{xml}</r>")
    except ElementTree.ParseError as error:
        raise MarkupError(f"translation is not well-formed XML ({error})") from None
    seen: set[int] = set()
    markdown = _markdown(root, encoded.placeholders, seen)
    for number, slot in enumerate(encoded.placeholders, start=1):
        if number not in seen:
            raise MarkupError(f"{slot.describe(number)} missing")
    return markdown


def _markdown(element: ElementTree.Element, slots: Sequence[Placeholder], seen: set[int]) -> str:
    parts = [element.text or ""]
    for child in element:
        i = child.get("i", "")
        if not re.fullmatch(r"[1-9][0-9]*", i) or int(i) > len(slots):
            raise MarkupError(f"unknown placeholder <{child.tag} i={i!r}>")
        number, slot = int(i), slots[int(i) - 1]
        problem = "duplicated" if number in seen else None
        problem = problem or (f"renamed to <{child.tag}>" if child.tag != slot.tag else None)
        if not problem and slot.tag in ("x", "br") and (child.text or len(child)):
            problem = "is not empty"
        if problem:
            raise MarkupError(f"{slot.describe(number)} {problem}")
        seen.add(number)
        tail = child.tail or ""
        if slot.tag in ("x", "br"):
            if slot.tag == "br":  # the break's own bytes replace any spaces around it
                parts[-1], tail = parts[-1].rstrip(" \t"), tail.lstrip(" \t")
            parts += [slot.open, tail]
            continue
        body = _markdown(child, slots, seen)
        closer = slot.close if slot.label in (None, body) else f"][{slot.label}]"
        parts += [slot.open, body, closer, tail]
    return "".join(parts)
