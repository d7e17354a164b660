"""Hugo (goldmark), on top of :mod:`.commonmark`.

- shortcodes on lines of their own, ``{{< name params >}}``, ``{{% name %}}``, ``{{< /name >}}``,
  self-closing ``{{< name />}}``, params spanning lines: never segments; the quoted values of their
  ``title``, ``alt``, ``caption``, ``summary``, ``description``, ``label``, ``attr`` and ``text`` params
  are (:data:`PROSE_PARAMS`); the text a paired shortcode wraps is markdown, segmented as usual, except
  inside the code-carrying ones (:data:`CODE_SHORTCODES`: ``highlight``, ``code-toggle``…), which is code;
- inside prose, a shortcode is a placeholder (as every ``{…}``);
- TOML (``+++``) and JSON frontmatter (:mod:`..frontmatter`);
- definition lists (goldmark's extension, mdit-py-plugins' deflist);
- heading attributes ``## Heading {#id .class}`` (the id is the anchor, injected into translations).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin

from ...segments import SegmentKind
from ..walk import Found, Walk
from . import Flavour
from .commonmark import ALT, HOOKS, directives
from .mkdocs import HEADING_ATTRIBUTES

PROSE_PARAMS = frozenset({"title", "alt", "caption", "summary", "description", "label", "attr", "text"})
CODE_SHORTCODES = frozenset({"highlight", "code-toggle", "code", "datatable", "chroma", "mermaid", "math"})
_OPEN = re.compile(r"\{\{([<%])(/?)\s*(?:/\*)?\s*([\w./-]+)")
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
    if name in CODE_SHORTCODES and not closing and not self_closing:  # raw up to {{< /name >}}
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
    for param in _PARAM.finditer(state.src, pos, tag_end):
        group = 2 if param.group(2) is not None else 3
        if param.group(1) in PROSE_PARAMS and group == 2:
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


def hugo(md: MarkdownIt) -> None:
    deflist_plugin(md)
    md.block.ruler.before("fence", "shortcode", _shortcode, ALT)


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
    plugins=(directives, hugo),
    hooks={**HOOKS, "shortcode": _shortcode_hook},
    heading_id=HEADING_ATTRIBUTES,
    frontmatter=("yaml", "toml", "json", "json;"),
)
