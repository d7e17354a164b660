"""Hugo (goldmark), on top of :mod:`.commonmark`.

- shortcodes on lines of their own, ``{{< name params >}}``, ``{{% name %}}``, ``{{< /name >}}``,
  self-closing ``{{< name />}}``, params spanning lines: never segments; a param's quoted value is a
  segment only when its shortcode is known to show that param as text (:data:`PROSE_PARAMS`: ``figure``'s
  ``alt``/``caption``/``title``/``attr``, ``details``' ``summary``, ``qr``'s ``alt``…; every other param
  is data: ``qr``'s ``text="tel:…"``); the text a paired shortcode wraps is markdown, segmented as usual,
  except inside the ones whose body is code or data (:data:`RAW_SHORTCODES`: ``highlight``,
  ``code-toggle``, ``qr``…);
- inside prose, a shortcode is a placeholder (as every ``{…}``); so is a link whose text is the key a
  render hook looks up (``[archetype](g)``, the Hugo docs' glossary links: :data:`.inline_syntax.KEY_LINKS`);
- TOML (``+++``) and JSON frontmatter (:mod:`..frontmatter`);
- definition lists (goldmark's extension, mdit-py-plugins' deflist); with ``autoDefinitionTermID`` a term's
  id is made from its text among the headings' ids and cannot be pinned (goldmark reads no attributes on
  a term), so a term the page links to (``#term``), or whose id a heading or such a term shares, is kept
  as written; the ids count for the numbering of later headings (``options-1``);
- a heading holding a shortcode (and no ``{#id}``) is kept as written: Hugo makes its id from the
  shortcode's output; heading ids are goldmark's (github-slugger's after the typographer's dashes, an
  image counting with its alt text);
- heading attributes ``## Heading {#id .class}`` (the id is the anchor, injected into translations: into
  the attribute list when the heading has one without an id, as goldmark reads only the last ``{…}``);
- passthrough display math ``\\[ … \\]`` on lines of its own (as ``$$ … $$``): never a segment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin

from ...segments import SegmentKind
from ..mdsvex_syntax import is_template
from ..slug import Slugger
from . import Flavour
from .commonmark import ALT, HOOKS, directives, fragments, term
from .inline_syntax import NOT_PROSE, NOT_PROSE_HINT, TEMPLATE_LINE, VERBATIM, inline_atoms
from .mkdocs import HEADING_ATTRIBUTES
from .mkdocs import _math as display_math

if TYPE_CHECKING:
    from ..walk import Found, Walk

_SHOWN = frozenset({"title", "alt", "caption"})
# Which params of which shortcodes the reader sees as words: Hugo's embedded shortcodes and common theme
# ones (Docsy, Relearn, Hextra, Blowfish…). Any other param is data (ids, URLs, a QR code's text…).
PROSE_PARAMS: Mapping[str, frozenset[str]] = {
    "figure": frozenset({"alt", "caption", "title", "attr"}),
    "img": frozenset({"alt", "caption", "title"}),
    "image": frozenset({"alt", "caption", "title"}),
    "details": frozenset({"summary", "title"}),
    "qr": frozenset({"alt", "title"}),
    "youtube": frozenset({"title"}),
    "vimeo": frozenset({"title"}),
    "notice": _SHOWN,
    "note": _SHOWN,
    "hint": _SHOWN,
    "tip": _SHOWN,
    "warning": _SHOWN,
    "alert": _SHOWN,
    "callout": _SHOWN,
    "admonition": _SHOWN,
    "expand": _SHOWN,
    "tab": frozenset({"title", "header", "name"}),
    "card": frozenset({"title", "subtitle", "header", "footer", "description"}),
    "button": frozenset({"title", "text", "label"}),
    "badge": frozenset({"title", "label", "text"}),
    "cover": frozenset({"title", "subtitle"}),
    "pageinfo": _SHOWN,
}
# Shortcodes whose body is code or data (never segmented): raw up to their closing tag.
RAW_SHORTCODES = frozenset(
    {"highlight", "code-toggle", "code", "datatable", "chroma", "mermaid", "math", "katex", "qr"}
)
_OPEN = re.compile(r"\{\{([<%])(/?)\s*(?:/\*)?\s*([\w./-]+)")
_SHORTCODE_TAG = re.compile(r"\{\{[<%](?!\s*/\*)")  # not {{</* escaped */>}}
_DASHES = re.compile(r"---?")
_PARAM = re.compile(r"""([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`)""")


def _shortcode_end(src: str, pos: int, limit: int) -> int | None:
    """The end of the shortcode tag at ``pos`` (``>}}`` or ``%}}``, strings skipped)."""
    closer = ">}}" if src[pos + 2] == "<" else "%}}"
    i = pos + 3
    while i < limit:
        ch = src[i]
        if ch in '"`':
            i += 1
            while i < limit and src[i] != ch:
                i += 2 if src[i] == "\\" and ch == '"' else 1
        elif src.startswith(closer, i):
            return i + 3
        i += 1
    return None


def _line_of(state: StateBlock, pos: int, first: int, end: int) -> int:
    line = first
    while line + 1 < end and state.bMarks[line + 1] <= pos:
        line += 1
    return line


def _shortcode(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A line (or lines) holding only a shortcode tag; a code shortcode up to its closing tag."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    pos = state.bMarks[start] + state.tShift[start]
    match = _OPEN.match(state.src, pos)
    if match is None:
        return False
    limit = state.eMarks[end - 1] if end > start else len(state.src)
    after = _shortcode_end(state.src, pos, limit)
    if after is None:
        return False
    last = _line_of(state, after - 1, start, end)
    if state.src[after : state.eMarks[last]].strip():
        return False  # words after it: a paragraph with an inline shortcode
    name, closing = match.group(3), match.group(2)
    self_closing = state.src[after - 4 : after - 3] == "/"
    if name in RAW_SHORTCODES and not closing and not self_closing:  # raw up to {{< /name >}}
        close = re.compile(r"\{\{[<%]\s*/\s*" + re.escape(name) + r"\s*[>%]\}\}")
        found = close.search(state.src, after, limit)
        if found is not None:
            last = _line_of(state, found.start(), last, end)
            after = found.end()
    if silent:
        return True
    token = state.push("shortcode", "", 0)
    token.map = [start, last + 1]
    token.content = state.src[pos:after]
    values: list[tuple[int, int, int, str]] = []
    skeleton: list[str] = []
    cut = 0
    tag_end = _shortcode_end(state.src, pos, limit) or after
    prose = PROSE_PARAMS.get(name, frozenset()) if not closing else frozenset()
    for param in _PARAM.finditer(state.src, pos, tag_end):
        group = 2 if param.group(2) is not None else 3
        if param.group(1) in prose and group == 2:
            at = param.start(group)
            column = at - (state.src.rfind("\n", 0, at) + 1)
            line = _line_of(state, at, start, end)
            values.append((line, column, column + len(param.group(group)), param.group(1)))
            skeleton.append(state.src[pos + cut : at])
            cut = param.end(group) - pos
    skeleton.append(state.src[pos + cut : after])
    token.meta = {"syntax": " ".join("".join(skeleton).split()), "values": values}
    state.line = last + 1
    return True


def _display_math(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    r"""Goldmark's passthrough block ``\[ … \]`` (as the Hugo docs configure it): math, never prose."""
    if not state.src.startswith("\\[", state.bMarks[start] + state.tShift[start]):
        return False
    return display_math(state, start, end, silent)


def hugo(md: MarkdownIt) -> None:
    deflist_plugin(md)
    md.block.ruler.before("fence", "shortcode", _shortcode, ALT)
    md.block.ruler.before("fence", "passthrough", _display_math, ALT)


_PROTECTED: dict[str, frozenset[str]] = {}  # page text -> its protected id bases (the last few pages)


def _protected_bases(state: Walk, tokens: list[Token]) -> frozenset[str]:
    """The ids (before Hugo's ``-1`` numbering) that a term shares with a heading, or with a term a link of
    the page points to: translating a term of such a group renumbers the others."""
    found = _PROTECTED.get(state.src)
    if found is None:
        groups: dict[str, list[bool]] = {}
        numbered = Slugger()
        for index, token in enumerate(tokens):
            if token.type not in ("heading_open", "dt_open") or index + 1 >= len(tokens):
                continue
            inline = tokens[index + 1]
            if token.type == "heading_open":
                base = state.heading_anchor(Slugger(), inline)[0]
                state.heading_anchor(numbered, inline)
                groups.setdefault(base, []).append(True)
            else:
                base = state.term_anchor(Slugger(), inline)
                linked = state.term_anchor(numbered, inline) in fragments(state.src)
                groups.setdefault(base, []).append(linked)
        found = frozenset(base for base, marks in groups.items() if len(marks) > 1 and any(marks))
        if len(_PROTECTED) >= 8:
            _PROTECTED.clear()
        _PROTECTED[state.src] = found
    return found


def _term(state: Walk, tokens: list[Token], index: int) -> Iterator[Found]:
    """A definition term: its id (made from its text) takes its place among the headings' ids. Hugo cannot
    pin a term's id, so a term is kept as written when the page links to it (``#term``) or when it shares
    its id with a heading or a linked term (``options``, ``options-1``: translating the term would renumber
    the others); any other term is a segment."""
    inline = tokens[index + 1]
    if inline.type != "inline" or inline.map is None:
        return
    anchor = state.term_anchor(state.slugger, inline)
    if anchor in fragments(state.src) or state.term_anchor(Slugger(), inline) in _protected_bases(
        state, tokens
    ):
        state.path("dt")  # numbered as if it were a segment: later terms keep their ids
        return
    yield from term(state, tokens, index)


def typographer_dashes(text: str) -> str:
    """Goldmark's typographer on a heading's text before Hugo makes its id: ``---`` an em dash, ``--`` an
    en dash (left to right; the id then drops both). Code spans are left alone."""
    return _DASHES.sub("\u2014", text) if "--" in text else text


def _heading(state: Walk, tokens: list[Token], index: int) -> Iterator[Found]:
    """A heading; one whose text holds a shortcode and that has no ``{#id}`` is kept as written: Hugo makes
    its id from the shortcode's output (or from a placeholder for ``{{< >}}``), which no text here pins."""
    for found in state.heading(tokens, index):
        if found.explicit_anchor or not _SHORTCODE_TAG.search(found.text):
            yield found


def _shortcode_hook(state: Walk, tokens: list[Token], index: int) -> Iterator[Found]:
    """A shortcode's prose params: attribute segments, ids ``<path>/shortcodeN/<param>M``."""
    values = tokens[index].meta.get("values") or []
    if not values:
        return
    path = state.path("shortcode")
    counters: dict[str, int] = {}
    for line, start, end, name in values:
        counters[name] = counters.get(name, 0) + 1
        yield from state.in_line(
            f"{path}/{name}{counters[name]}", SegmentKind.ATTRIBUTE, line, start, end, style='md"'
        )


FLAVOUR = Flavour(
    "hugo",
    plugins=(inline_atoms, directives, hugo),
    hooks={**HOOKS, "shortcode": _shortcode_hook, "dt_open": _term, "heading_open": _heading},
    not_prose=NOT_PROSE,  # shortcodes in prose among them
    not_prose_hint=NOT_PROSE_HINT,
    template_line=TEMPLATE_LINE,
    verbatim=VERBATIM,
    html_template=is_template,
    heading_id=HEADING_ATTRIBUTES,
    slugger=Slugger,  # goldmark's "github" ids: github-slugger's, after the typographer (not smartypants')
    term_ids=True,
    typographer=typographer_dashes,
    image_alt_in_ids=True,
    frontmatter=("yaml", "toml", "json", "json;"),
)
