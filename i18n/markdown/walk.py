"""The one walk over a page's markdown: it finds segments and the exact source spans they occupy.

Extraction and write-back both use what this walk returns, so they cannot drift apart. A flavour
(:mod:`.flavours`) adds hooks for the tokens its markdown-it rules make; the walk calls the hook for a
token type when there is one, else its own handling below (containers, headings, paragraphs, tables,
raw HTML). The walk knows no generator's syntax: what is never prose (inline constructs, template lines,
template HTML) is the flavour's (``not_prose``, ``template_line``, ``html_template``), and hooks reach
the walk's own handling and id rules through :class:`Walk`'s methods (so flavours need not import this
module).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from ..segments import SegmentKind
from .flavours import Flavour, default_flavour
from .html import line_spans, parse_html
from .inline_tokens import has_letters, plain_text
from .lines import CONTAINER_PREFIX, Lines
from .parser import inline_children, markdown_parser, plain_or_none
from .slug import Slugs

# HTML blocks that are never prose: script/style/pre/textarea, comments, declarations, components.
_NON_PROSE_HTML = re.compile(r"^<(?:(?i:script|style|pre|textarea)\b|!|\?)")
# A task list item's checkbox, a GitHub/Obsidian alert's marker: syntax before a paragraph's words.
_TASK_MARKER = re.compile(r"\[[ xX]\][ \t]+")
_ALERT_MARKER = re.compile(r"\[![A-Za-z]+\][+-]?[ \t]*")
_WORDY_ATTRIBUTE = re.compile(
    r"""\s(?:alt|title|aria-label|placeholder)\s*=\s*(?:"[^"]*[^\W\d_]|'[^']*[^\W\d_])"""
)
_TAG_OR_COMMENT = re.compile(r"<!--.*?-->|<[^>]*>|&#?\w+;|\{[^}]*\}", re.DOTALL)


@dataclass(frozen=True)
class Slot:
    """Where a segment's text sits in the source, as the spans of its lines.

    ``spans`` are ``(start, end)`` offsets of each content line; the text between two spans (line ending
    plus the next line's container prefix and indentation) is kept when a translation is written back.
    ``line_start`` is the offset of the first line: the text before the first span is that line's
    container prefix, from which lines a translation adds beyond the source's line count get theirs.
    ``newline`` is the line ending to use for such lines.
    """

    spans: tuple[tuple[int, int], ...]
    line_start: int
    newline: str
    single_line: bool = False
    style: str | None = None  # how a value is written: frontmatter (YAML/TOML/JSON), attribute quoting
    continuation: str | None = None  # the prefix of lines a translation adds (default: from line_start)


@dataclass(frozen=True)
class Found:
    """A segment as found by the walk (ids and absolute lines are assigned by the page)."""

    path: str
    kind: SegmentKind
    text: str
    line_index: int  # 0-based line in the body
    slot: Slot
    anchor: str | None = None
    explicit_anchor: bool = False


@dataclass
class Walk:
    """The walk's state, as the walk and flavour hooks see it."""

    src: str  # the original page text
    env: dict[str, object]  # markdown-it's env (link reference definitions)
    lines: Lines  # the body's lines, in original offsets
    newline: str
    flavour: Flavour = field(default_factory=default_flavour)
    slugger: Slugs = field(default=None)  # type: ignore[assignment]  # the flavour's, made in __post_init__
    section: str = "_"  # the current top-level section (its anchor)
    stack: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)
    used: set[str] = field(default_factory=lambda: {"_"})

    def __post_init__(self) -> None:
        if self.slugger is None:
            self.slugger = self.flavour.slugs()

    def unique(self, name: str) -> str:
        """``name``, or ``name~2``, ``name~3``… when a page repeats an explicit id or an empty heading."""
        candidate, n = name, 1
        while candidate in self.used:
            n += 1
            candidate = f"{name}~{n}"
        self.used.add(candidate)
        return candidate

    # -- structural ids -------------------------------------------------------------------------
    def _next(self, name: str) -> str:
        counters = self.stack[-1][1] if self.stack else self.counters
        counters[name] = counters.get(name, 0) + 1
        return f"{name}{counters[name]}"

    def push(self, name: str) -> None:
        self.stack.append((self._next(name), {}))

    def pop(self) -> None:
        if self.stack:
            self.stack.pop()

    def path(self, leaf: str) -> str:
        return "/".join([self.section, *(name for name, _ in self.stack), self._next(leaf)])

    # -- spans ----------------------------------------------------------------------------------
    def body(self, index: int) -> str:
        line = self.lines[index]
        return self.src[line.start : line.body_end]

    def spans(self, content: str, first: int) -> tuple[tuple[int, int], ...] | None:
        """Locate each line of ``content`` (markdown-it's view of lines ``first``…) in the source."""
        parts = content.split("\n")
        if first + len(parts) > len(self.lines):
            return None
        spans: list[tuple[int, int]] = []
        for j, part in enumerate(parts):
            line = self.lines[first + j]
            text = part.lstrip() if j == 0 else part.lstrip(" \t")
            end = line.body_end
            if j == len(parts) - 1:
                text = text.rstrip()
                end = line.start + len(self.src[line.start : end].rstrip())
            start = end - len(text)
            if not text or start < line.start or self.src[start:end] != text:
                return None
            spans.append((start, end))
        return tuple(spans)

    def slot(self, spans: tuple[tuple[int, int], ...], first: int, *, single_line: bool) -> Slot:
        line = self.lines[first]
        newline = self.src[line.body_end : line.end] or self.newline
        return Slot(spans, line.start, newline, single_line)

    def multiline(self, path: str, kind: SegmentKind, content: str, first: int) -> Iterator[Found]:
        """A block segment whose lines are located in the source (none when they cannot be)."""
        first = self.content_start(first)
        spans = self.spans(content, first)
        if spans is not None:
            yield Found(path, kind, self.text(spans), first, self.slot(spans, first, single_line=False))

    def content_start(self, first: int) -> int:
        """The line a block's content starts on. markdown-it-py strips a paragraph's content with
        Python's ``strip``, which also drops leading lines of Unicode whitespace only (a no-break space)
        that CommonMark counts as text: the content then starts on a later line than the block."""
        while first + 1 < len(self.lines):
            body = self.body(first)
            prefix = CONTAINER_PREFIX.match(body)
            rest = body[prefix.end() if prefix else 0 :]
            if rest.strip() or not rest.strip(" \t"):  # words, or a blank line: not stripped
                return first
            first += 1
        return first

    def text(self, spans: tuple[tuple[int, int], ...]) -> str:
        return "\n".join(self.src[start:end] for start, end in spans)

    def block(self, first: int, end: int, content: str) -> str | None:
        """Lines ``first``…``end`` of the source with their container prefixes (``> ``, list indentation)
        blanked out, so offsets into it are the source's; None when ``content`` (markdown-it's view of the
        lines) cannot be found in them."""
        start = self.lines[first].start
        parts: list[str] = []
        wanted = content.split("\n")
        for j in range(first, end):
            line = self.lines[j]
            body = self.src[line.start : line.body_end]
            want = wanted[j - first] if j - first < len(wanted) else ""
            if not body.endswith(want) and body.strip():
                return None
            cut = len(body) - len(want) if body.endswith(want) else len(body)
            parts.append(" " * cut + body[cut:] + self.src[line.body_end : line.end])
        return "".join(parts)[: self.lines[end - 1].body_end - start] if end > first else None

    def line_of(self, offset: int, first: int) -> int:
        """The index of the body line holding ``offset`` (searching from line ``first``)."""
        index = first
        while index + 1 < len(self.lines) and self.lines[index + 1].start <= offset:
            index += 1
        return index

    # -- for flavour hooks ----------------------------------------------------------------------
    def children(self, inline: Token) -> list[Token]:
        return inline_children(inline, self.env, self.flavour)

    def has_prose(self, content: str) -> bool:
        return has_prose(content, self.flavour)

    def heading(self, tokens: list[Token], index: int) -> Iterator[Found]:
        """The walk's own handling of the heading opened at ``tokens[index]``."""
        return _heading(self, tokens[index], tokens[index + 1])

    def heading_anchor(self, slugger: Slugs, inline: Token) -> tuple[str, re.Match[str] | None]:
        """:func:`heading_anchor` in this page's flavour."""
        return heading_anchor(slugger, inline, self.env, self.flavour)

    def term_anchor(self, slugger: Slugs, inline: Token) -> str:
        """:func:`term_anchor` in this page's flavour."""
        return term_anchor(slugger, inline, self.env, self.flavour)

    def in_line(
        self, path: str, kind: SegmentKind, index: int, start: int, end: int, style: str | None = None
    ) -> Iterator[Found]:
        """A one-line segment at columns ``start``…``end`` of body line ``index`` (trimmed; none when it
        has no words). ``style``: how a translation is written (:attr:`Slot.style`)."""
        line = self.lines[index]
        body = self.src[line.start : line.body_end]
        text = body[start:end]
        start += len(text) - len(text.lstrip())
        end = start + len(text.strip())
        if start < end and self.has_prose(body[start:end]):
            spans = ((line.start + start, line.start + end),)
            slot = replace(self.slot(spans, index, single_line=True), style=style)
            yield Found(path, kind, body[start:end], index, slot)

    def inline_block(self, path: str, kind: SegmentKind, inline: Token) -> Iterator[Found]:
        """The lines of an inline token that is not a paragraph's (a definition term, a title)."""
        assert inline.map is not None
        if self.has_prose(inline.content):
            yield from self.multiline(path, kind, inline.content, inline.map[0])


def walk(
    src: str,
    tokens: list[Token],
    env: dict[str, object],
    lines: Lines,
    newline: str,
    flavour: Flavour | None = None,
    *,
    smartypants_dashes: bool = True,
) -> Iterator[Found]:
    """Yield the segments found in ``tokens`` (markdown-it's parse of the page's body).

    ``lines`` are the body's lines with offsets into ``src``, the original page text. ``flavour``: whose
    hooks handle the tokens its rules made (default: the default flavour). ``smartypants_dashes``:
    headings are slugged as the site's smartypants leaves them (``--`` a dash).
    """
    found = flavour or default_flavour()
    state = Walk(src, env, lines, newline, found, found.slugs(smartypants_dashes=smartypants_dashes))
    hooks = state.flavour.hooks
    for index, token in enumerate(tokens):
        kind = token.type
        hook = hooks.get(kind)
        if hook is not None:
            yield from hook(state, tokens, index)
        elif kind in ("bullet_list_open", "ordered_list_open"):
            state.push("ul" if kind == "bullet_list_open" else "ol")
        elif kind == "list_item_open":
            state.push("li")
        elif kind == "blockquote_open":
            state.push("q")
        elif kind in (
            "bullet_list_close",
            "ordered_list_close",
            "list_item_close",
            "blockquote_close",
        ):
            state.pop()
        elif kind == "heading_open":
            yield from _heading(state, token, tokens[index + 1])
        elif kind == "paragraph_open":
            yield from _paragraph(state, token, tokens[index + 1])
        elif kind == "table_open":
            state.push("table")
        elif kind == "table_close":
            state.pop()
        elif kind == "tr_open":
            yield from _table_row(state, token, tokens, index)
        elif kind == "html_block":
            yield from _html_block(state, token)


def _heading(state: Walk, open_token: Token, inline: Token) -> Iterator[Found]:
    assert open_token.map is not None
    first, end = open_token.map
    setext = open_token.markup in ("=", "-")
    content = inline.content
    anchor, explicit = state.heading_anchor(state.slugger, inline)
    text = content[: explicit.start()] if explicit else content
    path = state.unique(f"h:{anchor}")
    if open_token.level == 0:
        state.section = state.unique(anchor or "_")
        state.stack.clear()
        state.counters = {}
    if not state.has_prose(text):
        return
    if setext:
        spans = state.spans(content, first)
        if spans is None or first + len(spans) != end - 1:
            return
        if explicit:  # the id sits at the end of the last line: keep it outside the text
            start, stop = spans[-1]
            spans = (*spans[:-1], (start, stop - (len(content) - len(text))))
    else:
        body = state.body(first)
        marker = body.find("#")
        if marker < 0:
            return
        start = marker + len(open_token.markup)
        while start < len(body) and body[start].isspace():  # (markdown-it-py strips a no-break space too)
            start += 1
        if body[start : start + len(text)] != text:
            return
        offset = state.lines[first].start
        spans = ((offset + start, offset + start + len(text)),)
    yield Found(
        path=path,
        kind=SegmentKind.HEADING,
        text=state.text(spans),
        line_index=first,
        slot=state.slot(spans, first, single_line=not setext),
        anchor=anchor,
        explicit_anchor=explicit is not None,
    )


def heading_anchor(
    slugger: Slugs, inline: Token, env: dict[str, object], flavour: Flavour | None = None
) -> tuple[str, re.Match[str] | None]:
    """A heading's id: its explicit ``{#id}`` (the flavour's ``heading_id`` syntax, group 1 the id; a
    match without an id is an attribute list kept out of the text), else the slugger's slug of its
    text."""
    found = flavour or default_flavour()
    pattern = found.heading_id
    explicit = pattern.search(inline.content) if pattern is not None else None
    if explicit and explicit.group(1):
        slugger.reserve(explicit.group(1))
        return explicit.group(1), explicit
    typographer, image_alt = found.typographer, found.image_alt_in_ids
    plain = plain_or_none(inline.content[: explicit.start()] if explicit else inline.content)
    if plain is not None and typographer is not None:
        plain = typographer(plain)
    if plain is None and explicit:  # the attribute list is no part of the heading's text
        parsed = markdown_parser(found).parseInline(inline.content[: explicit.start()], env)
        plain = plain_text(parsed[0].children if parsed else None, typographer, image_alt=image_alt)
    elif plain is None:
        plain = plain_text(inline_children(inline, env, found), typographer, image_alt=image_alt)
    return slugger.slug(plain), explicit


def term_anchor(slugger: Slugs, inline: Token, env: dict[str, object], flavour: Flavour | None = None) -> str:
    """A definition term's id, where the generator makes one from the term's text in the headings' id
    space (Hugo's ``autoDefinitionTermID``: a later heading of the same text is ``…-1``)."""
    found = flavour or default_flavour()
    children = inline_children(inline, env, found)
    return slugger.slug(plain_text(children, found.typographer, image_alt=found.image_alt_in_ids))


def has_prose(content: str, flavour: Flavour | None = None) -> bool:
    """Whether inline markdown has words to translate: letters outside what the flavour says is never
    prose (``not_prose``: code, HTML, URLs, entities, its inline syntax).

    A scan rather than an inline parse (that would cost most of the parse time); when the two could
    disagree (odd escapes) either answer is safe, as a segment that is not translated stays byte-exact.
    """
    found = flavour or default_flavour()
    if found.not_prose_hint.search(content):
        content = found.not_prose.sub(" ", content)
    return has_letters(content)


def html_is_prose(content: str, flavour: Flavour | None = None) -> bool:
    """Raw HTML with words in it (``<p>…</p>``, ``<details>``, ``<img alt="…">``); not scripts, comments
    or what the flavour says is template markup (``html_template``: Svelte components, attribute
    expressions, block tags)."""
    content = content.strip()
    if _NON_PROSE_HTML.match(content):
        return False
    if not has_letters(_TAG_OR_COMMENT.sub(" ", content)) and not _WORDY_ATTRIBUTE.search(content):
        return False
    template = (flavour or default_flavour()).html_template
    return template is None or not template(content)


# A paragraph that is only a file or folder name, maybe in bold (`src/`, `**index.md**`, `zh-CN.json`,
# `.gitignore`: the entries of Starlight's <FileTree>): a name, not words to translate.
_PATH_ONLY = re.compile(
    r"(\*\*|__)?(?:[\w@~.+-]+(?:/[\w@~.+-]*)+|[\w@~+-]*[A-Za-z][\w@~.+-]*\.[A-Za-z0-9]{1,5}|\.[A-Za-z][\w.-]*)(?(1)\1)$"
)


def _paragraph(state: Walk, open_token: Token, inline: Token) -> Iterator[Found]:
    assert open_token.map is not None
    first = open_token.map[0]
    marker = _leading_marker(state, inline.content)
    path = state.path("p")
    content = inline.content
    if content.startswith("!["):
        tokens = state.children(inline)
        if len(tokens) == 1 and tokens[0].type == "image":
            yield from _image_alt(state, path, first, content, tokens[0])
            return
    if not state.has_prose(content[marker:]) or _PATH_ONLY.match(content[marker:]):
        return
    template = state.flavour.template_line
    if template is not None and all(template.match(line.strip()) for line in content.split("\n")):
        return
    if not marker:
        yield from state.multiline(path, SegmentKind.PARAGRAPH, content, first)
        return
    spans = state.spans(content, first)
    if spans is None:
        return
    line = state.lines[first]
    continuation = _LIST_MARKER.sub(lambda m: " " * len(m.group()), state.src[line.start : spans[0][0]])
    start, end = spans[0]
    if start + marker < end:  # the words after a checkbox or an alert's title
        spans = ((start + marker, end), *spans[1:])
    else:  # an alert marker alone on its line: the words start on the next one
        spans, first = spans[1:], first + 1
    if spans:
        slot = replace(state.slot(spans, first, single_line=False), continuation=continuation)
        yield Found(path, SegmentKind.PARAGRAPH, state.text(spans), first, slot)


_LIST_MARKER = re.compile(r"[-+*]|\d{1,9}[.)]")


def _leading_marker(state: Walk, content: str) -> int:
    """The length of the syntax before a paragraph's words: a task list item's ``[ ]``/``[x]`` (first
    paragraph of a list item), a GitHub/Obsidian alert's ``[!NOTE]`` (first paragraph of a quote)."""
    if not state.stack or "p" in state.stack[-1][1]:
        return 0
    frame = state.stack[-1][0]
    marker = _TASK_MARKER if frame.startswith("li") else _ALERT_MARKER if frame.startswith("q") else None
    match = marker.match(content) if marker is not None else None
    return match.end() if match else 0


_IMAGE_TITLE = re.compile(
    r"""\]\(\s*(?:<[^>\n]*>|[^\s()]+(?:\([^\s()]*\)[^\s()]*)*)\s+"""
    r"""(?:"(?P<dq>(?:[^"\\]|\\.)*)"|'(?P<sq>(?:[^'\\]|\\.)*)'|\((?P<pq>(?:[^()\\]|\\.)*)\))\s*\)$"""
)


def _image_alt(state: Walk, path: str, first: int, content: str, image: Token) -> Iterator[Found]:
    """A paragraph that is one image: its alt text is a segment, and so is its title."""
    if "\n" in content or not content.startswith("!["):
        return
    inline_state = StateInline(content, markdown_parser(state.flavour), {}, [])
    label_end = parseLinkLabel(inline_state, 1, True)
    if label_end < 0:
        return
    spans = state.spans(content, first)
    if spans is None:
        return
    alt = content[2:label_end]
    if has_letters(plain_text(image.children)) and not _looks_like_file_name(alt):
        start = spans[0][0] + 2 + len(alt) - len(alt.lstrip())
        alt = alt.strip()
        alt_spans = ((start, start + len(alt)),)
        yield Found(
            f"{path}/alt",
            SegmentKind.IMAGE_ALT,
            alt,
            first,
            state.slot(alt_spans, first, single_line=True),
        )
    title = _IMAGE_TITLE.search(content, label_end)
    group = title and next((g for g in ("dq", "sq", "pq") if title.group(g) is not None), None)
    if title is not None and group is not None and state.has_prose(title.group(group).strip()):
        value = title.group(group)
        start = spans[0][0] + title.start(group) + len(value) - len(value.lstrip())
        title_spans = ((start, start + len(value.strip())),)
        style = {"dq": 'md"', "sq": "md'", "pq": "md("}[group]
        slot = replace(state.slot(title_spans, first, single_line=True), style=style)
        yield Found(f"{path}/title", SegmentKind.ATTRIBUTE, value.strip(), first, slot)


_FILE_NAME = re.compile(r"^[\w.-]+\.[A-Za-z0-9]{2,5}$")


def _looks_like_file_name(alt: str) -> bool:
    return bool(_FILE_NAME.match(alt.strip()))


def _table_row(state: Walk, tr: Token, tokens: list[Token], index: int) -> Iterator[Found]:
    """The cells of one table row; cells are located by splitting the raw row on unescaped pipes."""
    assert tr.map is not None
    row = tr.map[0]
    row_path = state.path("r")
    cells: list[Token] = []
    j = index + 1
    while tokens[j].type != "tr_close":
        if tokens[j].type == "inline":
            cells.append(tokens[j])
        j += 1
    line = state.lines[row]
    body = state.body(row)
    prefix = CONTAINER_PREFIX.match(body)
    begin = prefix.end() if prefix else 0
    raw = _split_row(body, begin)
    for column, ((start, stop), cell) in enumerate(zip(raw, cells, strict=False), start=1):
        text = body[start:stop]
        if not text or text.replace("\\|", "|") != cell.content:
            continue
        if not state.has_prose(text):
            continue
        spans = ((line.start + start, line.start + stop),)
        yield Found(
            f"{row_path}c{column}",
            SegmentKind.TABLE_CELL,
            text,
            row,
            state.slot(spans, row, single_line=True),
        )


def _split_row(body: str, begin: int) -> list[tuple[int, int]]:
    """Trimmed ``(start, end)`` of each cell, as markdown-it's escapedSplit sees them."""
    bounds: list[tuple[int, int]] = []
    last = begin
    escaped = False
    for pos in range(begin, len(body)):
        ch = body[pos]
        if ch == "|" and not escaped:
            bounds.append((last, pos))
            last = pos + 1
        escaped = ch == "\\"
    bounds.append((last, len(body)))
    if bounds and not body[bounds[0][0] : bounds[0][1]].strip():
        bounds.pop(0)
    if bounds and not body[bounds[-1][0] : bounds[-1][1]].strip():
        bounds.pop()
    trimmed: list[tuple[int, int]] = []
    for start, stop in bounds:
        cell = body[start:stop]
        left = len(cell) - len(cell.lstrip())
        trimmed.append((start + left, start + len(cell.rstrip())))
    return trimmed


def _html_block(state: Walk, token: Token) -> Iterator[Found]:
    """Raw HTML with prose in it (``<p>…</p>``, ``<details>``): the text of each of its block-level
    elements is a segment (inline tags included), and so are its ``alt``/``title``/``aria-label``/
    ``placeholder`` values (:mod:`.html`); markup, code and components are not."""
    assert token.map is not None
    path = state.path("html")
    content = token.content.strip()
    if not state.flavour.html_prose or not html_is_prose(content, state.flavour):
        return
    yield from html_segments(state, path, token)


def html_segments(state: Walk, path: str, token: Token) -> Iterator[Found]:
    """The segments of the HTML in ``token`` (an ``html_block``), under ``path``."""
    assert token.map is not None
    first, end = token.map
    block = state.block(first, min(end, len(state.lines)), token.content)
    if block is None:
        return
    start = state.lines[first].start
    counters: dict[str, int] = {}
    for piece in parse_html(block, state.flavour.html_not_words).pieces:
        name = piece.element if piece.attribute is None else f"{piece.element}-{piece.attribute}"
        counters[name] = counters.get(name, 0) + 1
        spans = line_spans(block, piece.start, piece.end, base=start)
        text = state.text(spans)
        if not spans or not state.has_prose(text):
            continue
        index = state.line_of(spans[0][0], first)
        slot = state.slot(spans, index, single_line=piece.attribute is not None)
        if piece.attribute is None:
            line = state.lines[index]
            indent = state.src[line.start : spans[0][0]]
            slot = replace(slot, continuation=indent[: len(indent) - len(indent.lstrip(" \t"))])
            kind = SegmentKind.HTML
        else:
            slot = replace(slot, style="attr" + piece.quote)
            kind = SegmentKind.ATTRIBUTE
        yield Found(f"{path}/{name}{counters[name]}", kind, text, index, slot)
