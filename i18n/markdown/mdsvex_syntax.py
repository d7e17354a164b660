"""Svelte syntax as the site's markdown reader (mdsvex 0.12) sees it, so that it is never prose.

mdsvex reads blocks differently from CommonMark, and that decides what the site renders as markdown:

- a line starting with a tag, ``<name`` or ``</name`` followed by a space, ``>``, ``/>`` or the line's end,
  starts raw HTML running to the next blank line, whatever the name (``<span>``, ``<Card>``) and even when
  the tag goes on over the next lines (``<Tabs tabs={[`` …); such a line interrupts a paragraph;
- ``<svelte:…>`` elements are raw up to their closing tag, blank lines included;
- a Svelte block tag alone on a line at the start of a block (``{#if …}``, ``{:else}``, ``{/if}``,
  ``{@html …}``) is a block of its own; it does not interrupt a paragraph.

:func:`svelte_plugin` adds these as markdown-it block rules (``html_block`` and ``svelte_block`` tokens).
:func:`is_template` tells Svelte template markup (components, attribute expressions, block tags) from
HTML whose words may be translated.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

# mdsvex's elementOpenExpression: `<name` / `</name` (letters, digits, dots) then space, `>`, `/>` or end.
_ELEMENT = re.compile(r"^</?([a-z.]*\.?[a-z][a-z0-9.]*)(?=\s|/?>|$)", re.IGNORECASE)
_RAW = frozenset({"script", "pre", "style"})  # raw to their closing tag: markdown-it's html_block rule 1
_SVELTE_ELEMENT = re.compile(r"^<(/?)svelte:([a-z]*)")
# mdsvex's svelte block: `{#`, `{:`, `{/` or `{@` and a lowercase name.
_BLOCK_TAG = re.compile(r"^\{[#:/@][a-z]")
# A Svelte block tag anywhere in a text (``{#if x}``, ``{:else}``, ``{/if}``, ``{@html …}``): no words.
BLOCK_TAGS = re.compile(r"\{[#:/@][^}]*\}")
_COMPONENT = re.compile(r"^</?[A-Z]")
_INLINE_BLOCK_TAG = re.compile(r"\{[#:/@][a-z]")


def svelte_plugin(md: MarkdownIt) -> None:
    """Read blocks as mdsvex does: tag lines and ``<svelte:…>`` elements are raw HTML, block tags blocks."""
    md.block.ruler.before(
        "html_block", "svelte_html", _html, {"alt": ["paragraph", "reference", "blockquote"]}
    )
    md.block.ruler.before("html_block", "svelte_block", _block)


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _html(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start):
        return False
    text = _line(state, start)
    if not text.startswith("<"):
        return False
    svelte = _SVELTE_ELEMENT.match(text)
    element = _ELEMENT.match(text)
    if svelte is None and (element is None or element.group(1).lower() in _RAW):
        return False  # markdown-it's own html_block rule reads the rest as mdsvex does
    if silent:
        return True
    next_line = start + 1
    if svelte is not None and not svelte.group(1):
        next_line = _svelte_element_end(state, start, end, svelte.group(2))
    else:
        while next_line < end and not state.isEmpty(next_line) and state.sCount[next_line] >= state.blkIndent:
            next_line += 1
    state.line = next_line
    token = state.push("html_block", "", 0)
    token.map = [start, next_line]
    token.content = state.getLines(start, next_line, state.blkIndent, True)
    return True


def _svelte_element_end(state: StateBlock, start: int, end: int, name: str) -> int:
    """The line after a ``<svelte:name>`` element: after its self-closing tag or its closing tag."""
    offset = state.bMarks[start] + state.tShift[start]
    stop = tag_end(state.src, offset)
    if stop is not None and state.src[stop - 2 : stop] == "/>":
        line = start
        while line + 1 < end and state.bMarks[line + 1] < stop:
            line += 1
        return line + 1
    closing = f"</svelte:{name}"
    for line in range(start, end):
        if closing in _line(state, line):
            return line + 1
    line = start + 1
    while line < end and not state.isEmpty(line):
        line += 1
    return line


def _block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """``{#if …}``, ``{:else}``, ``{/if}``, ``{@html …}`` alone on a line (balanced braces). Over several
    lines mdsvex does not read a block tag (and the page does not compile), nor do we."""
    if state.is_code_block(start):
        return False
    begin, stop = state.bMarks[start] + state.tShift[start], state.eMarks[start]
    if not _BLOCK_TAG.match(state.src, begin, stop):
        return False
    close = braces_end(state.src, begin, stop)
    if close is None or state.src[close:stop].strip():
        return False  # text after the block tag: mdsvex reads it as a paragraph, and so do we
    if silent:
        return True
    state.line = start + 1
    token = state.push("svelte_block", "", 0)
    token.map = [start, start + 1]
    token.content = state.getLines(start, start + 1, state.blkIndent, True)
    return True


def braces_end(text: str, start: int, stop: int | None = None) -> int | None:
    """The offset after the ``}`` balancing the ``{`` at ``start`` (braces counted as mdsvex counts them),
    before ``stop``."""
    depth = 0
    for pos in range(start, len(text) if stop is None else stop):
        char = text[pos]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return pos + 1
    return None


def tag_end(text: str, start: int) -> int | None:
    """The offset after the ``>`` closing the tag that opens at ``start``: quotes and ``{expressions}`` in
    attributes may hold ``>``. None when the tag does not close."""
    quote: str | None = None
    depth = 0
    for pos in range(start + 1, len(text)):
        char = text[pos]
        if quote is not None:
            if char == quote:
                quote = None
        elif depth:
            depth += {"{": 1, "}": -1}.get(char, 0)
        elif char == "{":
            depth = 1
        elif char in "\"'" and text[pos - 1] in "= \t\n":
            quote = char
        elif char == ">":
            return pos + 1
    return None


_TAG_START = re.compile(r"</?[A-Za-z]")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)


def is_template(html: str) -> bool:
    """Whether raw HTML is Svelte template markup rather than HTML with words to translate: a component, a
    tag with an attribute expression (``<div class={x}>``), a block tag (``{#if …}``), a ``<svelte:…>``
    element, or a tag that does not close."""
    html = _COMMENT.sub(" ", html)
    for raw in html.splitlines():
        line = raw.strip()
        if _COMPONENT.match(line) or _BLOCK_TAG.match(line) or line.startswith(("<svelte:", "</svelte:")):
            return True
    for match in _TAG_START.finditer(html):
        stop = tag_end(html, match.start())
        if stop is None:
            return True
        tag = html[match.start() : stop]
        if "{" in tag or _COMPONENT.match(tag) or tag.startswith(("<svelte:", "</svelte:")):
            return True
    return _INLINE_BLOCK_TAG.search(html) is not None
