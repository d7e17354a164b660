"""MDX (Astro/Starlight, Docusaurus), on top of :mod:`.commonmark`.

What MDX changes, and what becomes of it:

- ``import``/``export`` statements (ESM, at the start of a line, up to a blank line that does not fall
  inside an open bracket, string or comment): never segments;
- lines made only of JSX tags (``<Card title="Moons" icon="moon">``, ``</Card>``, ``<Steps>``), an opening
  tag spanning lines with ``{expression}`` attributes included: never segments; the quoted values of
  their ``title``, ``label``, ``description``, ``caption``, ``alt``, ``aria-label`` and ``placeholder``
  props are (:data:`PROSE_PROPS`);
- text between JSX tags is markdown (paragraphs, lists), so it is segmented like any other; on a line
  of its own between an element's tags (``<Aside>Some text.</Aside>``) it is a segment without the
  tags; any other line mixing tags and words is a paragraph whose tags are placeholders;
- ``{expressions}`` on lines of their own (``{/* comment */}``) are never segments; inside prose they are
  placeholders (as everywhere);
- no indented code (MDX has none: a tab-indented line inside a component is a paragraph) and no raw HTML
  blocks (HTML is JSX);
- headings have no ``{#id}`` syntax (in MDX it is a JavaScript expression and breaks compilation): the
  walk reads none and :meth:`..page.Page.render` injects none, so a translated heading's id follows its
  translated text, as the site's slugger makes it;
- remark-toc's heading (``## Contents``, ``## Table of contents``, ``## TOC``: :data:`.TOC_HEADING`) stays in
  English: remark-toc fills the list under the heading that matches its English pattern, from the
  translated headings (ids and all), so the table of contents works in every language; translated, the
  heading no longer matches and the hand-written list's ``#links`` point at ids no translated heading has;
- frontmatter is YAML or none: a leading ``{`` is an expression (``{/** @import … */}``), not JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from ...segments import SegmentKind
from ..mdsvex_syntax import is_template
from . import TOC_HEADING, Flavour
from .commonmark import ALT, HOOKS, directives, linked_heading
from .inline_syntax import (
    NOT_PROSE,
    NOT_PROSE_HINT,
    TEMPLATE_LINE,
    VERBATIM,
    expression_end,
    inline_atoms,
    jsx_attributes,
    jsx_tag_end,
)

if TYPE_CHECKING:
    from ..walk import Found, Walk

PROSE_PROPS = frozenset({"title", "label", "description", "caption", "alt", "aria-label", "placeholder"})
_ESM = re.compile(r"(?:import|export)\b")
_FRAGMENT = re.compile(r"</?>")


def _start(state: StateBlock, line: int) -> int:
    return state.bMarks[line] + state.tShift[line]


def _line_of(state: StateBlock, pos: int, first: int, end: int) -> int:
    line = first
    while line + 1 < end and state.bMarks[line + 1] <= pos:
        line += 1
    return line


def _rest_is_blank(state: StateBlock, pos: int, line: int) -> bool:
    return not state.src[pos : state.eMarks[line]].strip()


def _esm(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """``import``/``export`` at the start of a top-level line, up to the next blank line."""
    if state.sCount[start] != 0 or state.blkIndent != 0 or state.level != 0:
        return False
    if not _ESM.match(state.src, _start(state, start)):
        return False
    if silent:
        return True
    last = start
    while True:
        while last + 1 < end and not state.isEmpty(last + 1):
            last += 1
        after = last + 1  # a blank line: the statement ends here, unless it is still open (as MDX reads it)
        while after < end and state.isEmpty(after):
            after += 1
        if after >= end or not esm_open(state.src[_start(state, start) : state.eMarks[last]]):
            break
        last = after
    token = state.push("mdx_esm", "", 0)
    token.map = [start, last + 1]
    token.content = state.getLines(start, last + 1, 0, False)
    token.meta = {"syntax": token.content}
    state.line = last + 1
    return True


def esm_open(code: str) -> bool:
    """Whether JavaScript ``code`` leaves a bracket, string, template literal or block comment open: then
    MDX reads an ``import``/``export`` block on past a blank line."""
    depth, i, n = 0, 0, len(code)
    while i < n:
        ch = code[i]
        if ch in "\"'`":
            close = i + 1
            while close < n and code[close] != ch and (ch == "`" or code[close] != "\n"):
                close += 2 if code[close] == "\\" else 1
            if close >= n:
                return ch == "`"  # an open template literal spans lines; a quote does not
            i = close
        elif code.startswith("/*", i):
            close = code.find("*/", i + 2)
            if close < 0:
                return True
            i = close + 1
        elif code.startswith("//", i):
            newline = code.find("\n", i)
            i = n if newline < 0 else newline
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        i += 1
    return depth > 0


def _expression(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A ``{…}`` expression on lines of its own (``{/* comment */}``)."""
    pos = _start(state, start)
    if state.src[pos : pos + 1] != "{":
        return False
    limit = state.eMarks[end - 1] if end > start else len(state.src)
    after = expression_end(state.src, pos, limit)
    if after is None:
        return False
    last = _line_of(state, after - 1, start, end)
    if not _rest_is_blank(state, after, last):
        return False
    if silent:
        return True
    token = state.push("mdx_expression", "", 0)
    token.map = [start, last + 1]
    token.content = state.src[pos:after]
    token.meta = {"syntax": token.content}
    state.line = last + 1
    return True


def _jsx(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Lines made only of JSX tags (an opening tag may span lines)."""
    pos = _start(state, start)
    if state.src[pos : pos + 1] != "<":
        return False
    limit = state.eMarks[end - 1] if end > start else len(state.src)
    tags: list[tuple[int, int]] = []
    text: tuple[int, int, int] | None = None  # words between the line's tags: line, columns
    line = start
    while True:
        fragment = _FRAGMENT.match(state.src, pos)
        after = fragment.end() if fragment else jsx_tag_end(state.src, pos, limit)
        if after is None:
            return False
        tags.append((pos, after))
        line = _line_of(state, after - 1, line, end)
        pos = after
        while pos < state.eMarks[line] and state.src[pos] in " \t":
            pos += 1
        if pos >= state.eMarks[line]:
            break
        if state.src[pos] != "<":  # words: only between a line's leading and closing tags
            words = _words_then_closing(state, tags, pos, line)
            if words is None or text is not None:
                return False  # a paragraph with inline JSX
            column = pos - (state.src.rfind("\n", 0, pos) + 1)
            text = (line, column, column + words - pos)
            pos = words
    if silent:
        return True
    token = state.push("mdx_jsx", "", 0)
    token.map = [start, line + 1]
    token.content = state.src[tags[0][0] : tags[-1][1]]
    values: list[tuple[int, int, int, str]] = []  # prose props: line, columns, name
    skeleton: list[str] = []
    for tag_start, tag_end in tags:
        tag = state.src[tag_start:tag_end]
        cut = 0
        for name, value_start, value_end, _ in jsx_attributes(tag):
            if name in PROSE_PROPS:
                at = tag_start + value_start
                column = at - (state.src.rfind("\n", 0, at) + 1)
                values.append(
                    (_line_of(state, at, start, end), column, column + value_end - value_start, name)
                )
                skeleton.append(tag[cut:value_start])
                cut = value_end
        skeleton.append(tag[cut:])
    token.meta = {"syntax": " ".join("".join(skeleton).split()), "values": values, "text": text}
    state.line = line + 1
    return True


_CLOSING_AT_END = re.compile(r"</([\w.:-]*)>[ \t]*$")
_NAME = re.compile(r"<([\w.:-]*)")


def _words_then_closing(state: StateBlock, tags: list[tuple[int, int]], pos: int, line: int) -> int | None:
    """Where the words at ``pos`` end when the rest of the line closes exactly the elements the line's
    leading ``tags`` opened (``<Aside type="tip">Some text.</Aside>``), else None."""
    opened = []
    for tag_start, tag_end in tags:
        tag = state.src[tag_start:tag_end]
        name = _NAME.match(tag)
        if tag.startswith("</") or tag.endswith("/>") or name is None:
            return None
        opened.append(name.group(1))
    end = state.eMarks[line]
    while opened:
        closing = _CLOSING_AT_END.search(state.src, pos, end)
        if closing is None or closing.group(1) != opened.pop():
            return None
        end = closing.start()
    return end if state.src[pos:end].strip() else None


def mdx(md: MarkdownIt) -> None:
    md.block.ruler.before("fence", "mdx_esm", _esm, ALT)
    md.block.ruler.before("fence", "mdx_jsx", _jsx, ALT)
    md.block.ruler.before("fence", "mdx_expression", _expression, ALT)


def _jsx_hook(state: Walk, tokens: list[Token], index: int) -> Iterator[Found]:
    """A JSX line's prose props (``title="…"``): attribute segments, ids ``<path>/jsxN/<prop>M``."""
    token = tokens[index]
    values = token.meta.get("values") or []
    text = token.meta.get("text")
    if not values and text is None:
        return
    path = state.path("jsx")
    counters: dict[str, int] = {}
    for line, start, end, name in values:
        counters[name] = counters.get(name, 0) + 1
        quote = state.body(line)[start - 1 : start]
        yield from state.in_line(
            f"{path}/{name}{counters[name]}", SegmentKind.ATTRIBUTE, line, start, end, style="attr" + quote
        )
    if text is not None:  # the words between the line's tags: inline markdown
        yield from state.in_line(f"{path}/p1", SegmentKind.PARAGRAPH, *text)


FLAVOUR = Flavour(
    "mdx",
    plugins=(inline_atoms, directives, mdx),
    disable=("code", "html_block"),
    hooks={**HOOKS, "mdx_jsx": _jsx_hook, "heading_open": linked_heading},
    not_prose=NOT_PROSE,  # `{expressions}` among them
    not_prose_hint=NOT_PROSE_HINT,
    template_line=TEMPLATE_LINE,
    verbatim=VERBATIM,
    html_template=is_template,
    heading_id=None,
    inject_anchors=False,
    html_prose=False,
    keep_headings=TOC_HEADING,
)
