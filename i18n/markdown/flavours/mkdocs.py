"""Material for MkDocs and pymdown-extensions (Python-Markdown), on top of :mod:`.commonmark`.

- admonitions and collapsible details ``!!! note "Title"``, ``??? tip``, ``???+ warning "Title"``
  (mdit-py-plugins' admon): the quoted title is a segment, marker and classes are not, the 4-space
  indented body is markdown (not indented code);
- content tabs ``=== "Linux"`` (also ``===!``, ``===+``) with a 4-space indented body: the label is a
  segment;
- generic blocks ``/// note | Title`` … ``///`` (pymdownx.blocks; more slashes to nest): the title is a
  segment (not for ``/// html | div.result``, whose argument is a selector), the indented option lines
  after the header are not, the body is markdown;
- snippets ``--8<-- "file.md"`` and ``--8<--`` … ``--8<--`` blocks: never segments;
- definition lists (mdit-py-plugins' deflist) and abbreviations ``*[HTML]: Hyper Text Markup Language``
  (the expansion is a segment);
- block math ``\\[ … \\]`` and ``\\begin{env} … \\end{env}`` (arithmatex; ``$$`` is common);
- heading ids as Python-Markdown's ``toc`` makes them (ASCII, ``_1`` for repeats), so the ``{#id}`` a
  translated heading gets is the one MkDocs gave the English heading;
- attribute lists: ``## Heading {: #id .class }`` (the id is the heading's anchor; ``{: .class }`` alone
  is kept out of the text and no anchor is injected), ``{: .class }`` lines and inline ``{: … }``
  (placeholders, like every ``{…}``).

Key codes, emoji codes, critic marks and ``$…$`` math are the shared inline layer (:mod:`.inline_syntax`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.utils import is_code_block

from ...segments import SegmentKind
from ..mdsvex_syntax import is_template
from ..slug import PymdownxSlugger, PythonMarkdownSlugger
from . import Flavour, Hook
from .commonmark import ALT, HOOKS, directives, pop, titled
from .inline_syntax import NOT_PROSE, NOT_PROSE_HINT, TEMPLATE_LINE, VERBATIM, inline_atoms

if TYPE_CHECKING:
    from ..walk import Found, Walk

# `{#id}`, `{: #id .class }`, `{ id="9.7.6" }`, `{: .class }` at the end of a heading (group 1: the id, when
# there is one: `#id` or an `id=` key, as attr_list and goldmark read them).
HEADING_ATTRIBUTES = re.compile(
    r"[ \t]+\{:?(?:(?=[ \t]*(?:[^}\n]*?[ \t])?(?:#|id=[\"']?)([^\s}\"']+)))?[^}\n]*\}$"
)
_QUOTED_TITLE = re.compile(r'"([^"\n]*)"[ \t]*$')
_TAB = re.compile(r'===[!+]{0,2}[ \t]+"(?P<title>[^"\n]*)"[ \t]*$')
_BLOCK = re.compile(r"(?P<fence>/{3,})[ \t]*(?P<name>[A-Za-z][\w-]*)[ \t]*(?:\|[ \t]*(?P<title>.*?))?[ \t]*$")
_UNTITLED_BLOCKS = frozenset({"html"})  # their argument is not prose
_SNIPPET = re.compile(r";*-+8<-+[ \t]*(?:\"[^\"\n]*\"|'[^'\n]*'|\[[^\]\n]*\])?[ \t]*$")
_ABBREVIATION = re.compile(r"\*\[(?P<term>[^\]\n]+)\]:[ \t]*(?P<expansion>.*?)[ \t]*$")
_MATH_OPEN = re.compile(r"\\\[|\\begin\{(?P<env>[A-Za-z*]+)\}")


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _column(state: StateBlock, line: int) -> int:
    """The column where ``_line(state, line)`` starts in the source line (container prefixes included)."""
    pos = state.bMarks[line] + state.tShift[line]
    return pos - (state.src.rfind("\n", 0, pos) + 1)


def _indented_body(state: StateBlock, start: int, end: int, indent: int) -> int:
    """The line after a body indented ``indent`` more than the marker line (blank lines inside)."""
    blk = state.sCount[start] + indent
    line = start + 1
    last = start
    while line < end:
        if state.isEmpty(line):
            line += 1
            continue
        if state.sCount[line] < blk:
            break
        last = line
        line += 1
    return last + 1


def _container(
    state: StateBlock,
    start: int,
    body_end: int,
    kind: str,
    markup: str,
    syntax: str,
    title: tuple[int, int] | None,
) -> None:
    """Push ``<kind>_open``, the body (indented by 4 from the marker) and ``<kind>_close``."""
    old_indent, old_max, old_parent = state.blkIndent, state.lineMax, state.parentType
    token = state.push(f"{kind}_open", "div", 1)
    token.markup, token.block, token.map = markup, True, [start, body_end]
    token.meta = {"syntax": syntax, "title": title}
    state.blkIndent = state.sCount[start] + 4
    state.lineMax, state.parentType = body_end, "blockquote"  # "blockquote": lazy lines cannot leave
    state.md.block.tokenize(state, start + 1, body_end)
    state.blkIndent, state.lineMax, state.parentType = old_indent, old_max, old_parent
    token = state.push(f"{kind}_close", "div", -1)
    token.markup, token.block = markup, True
    state.line = body_end


def _tab(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """``=== "Label"`` with an indented body."""
    if is_code_block(state, start):
        return False
    line = _line(state, start)
    match = _TAB.match(line)
    if match is None:
        return False
    if silent:
        return True
    offset = _column(state, start)
    title = (offset + match.start("title"), offset + match.end("title"))
    marker = line.split('"', 1)[0].rstrip()
    _container(state, start, _indented_body(state, start, end, 4), "tab", marker, marker, title)
    return True


def _block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """``/// name | title``, indented options, a markdown body, ``///`` (as many slashes)."""
    if is_code_block(state, start):
        return False
    line = _line(state, start)
    match = _BLOCK.match(line)
    if match is None:
        return False
    fence = match.group("fence")
    close = start + 1
    while close < end and _line(state, close).strip() != fence:
        close += 1
    if close >= end:  # unclosed: not a block
        return False
    if silent:
        return True
    body = start + 1  # options: indented lines right after the header
    while body < close and not state.isEmpty(body) and state.sCount[body] >= state.blkIndent + 4:
        body += 1
    offset = _column(state, start)
    title = None
    if match.group("title") and match.group("name") not in _UNTITLED_BLOCKS:
        title = (offset + match.start("title"), offset + match.end("title"))
    syntax = f"{fence} {match.group('name')}" + ("" if title else f" {match.group('title') or ''}")
    old_max, old_parent = state.lineMax, state.parentType
    token = state.push("block_open", "div", 1)
    token.markup, token.block, token.map = fence, True, [start, close + 1]
    token.meta = {
        "syntax": syntax + "|" + "\n".join(_line(state, j) for j in range(start + 1, body)),
        "title": title,
    }
    state.lineMax, state.parentType = close, "blockquote"
    state.md.block.tokenize(state, body, close)
    state.lineMax, state.parentType = old_max, old_parent
    token = state.push("block_close", "div", -1)
    token.markup, token.block = fence, True
    state.line = close + 1
    return True


def _snippet(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """``--8<-- "file"``, or a ``--8<--`` … ``--8<--`` block of file names: never prose."""
    if is_code_block(state, start):
        return False
    line = _line(state, start)
    if "8<" not in line or not _SNIPPET.match(line):
        return False
    last = start
    if line.strip(" ;-8<") == "":  # the block form: up to the closing marker
        last = start + 1
        while last < end and not (
            _SNIPPET.match(_line(state, last)) and _line(state, last).strip(" ;-8<") == ""
        ):
            last += 1
        last = min(last, end - 1)
    if silent:
        return True
    token = state.push("snippet", "", 0)
    token.map = [start, last + 1]
    token.content = "\n".join(_line(state, j) for j in range(start, last + 1))
    token.meta = {"syntax": token.content}
    state.line = last + 1
    return True


def _abbreviation(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """``*[HTML]: Hyper Text Markup Language``: one token per line."""
    if is_code_block(state, start):
        return False
    line = _line(state, start)
    match = _ABBREVIATION.match(line)
    if match is None:
        return False
    if silent:
        return True
    token = state.push("abbreviation", "", 0)
    token.map = [start, start + 1]
    token.content = match.group("expansion")
    offset = _column(state, start)
    token.meta = {
        "syntax": match.group("term"),
        "title": (offset + match.start("expansion"), offset + match.end("expansion")),
    }
    state.line = start + 1
    return True


def _math(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    r"""``\[ … \]`` and ``\begin{env} … \end{env}`` blocks."""
    if is_code_block(state, start):
        return False
    line = _line(state, start)
    match = _MATH_OPEN.match(line)
    if match is None:
        return False
    closer = "\\]" if match.group("env") is None else f"\\end{{{match.group('env')}}}"
    last = start
    while last < end and closer not in _line(state, last)[match.end() if last == start else 0 :]:
        if state.isEmpty(last):
            return False
        last += 1
    if last >= end:
        return False
    if silent:
        return True
    token = state.push("math_block", "math", 0)
    token.map = [start, last + 1]
    token.content = "\n".join(_line(state, j) for j in range(start, last + 1))
    state.line = last + 1
    return True


def _admonition_syntax(state: StateCore) -> None:
    """An admonition's syntax: marker and classes (its quoted title is a segment)."""
    for token in state.tokens:
        if token.type == "admonition_open":
            token.meta["syntax"] = token.markup + " " + _QUOTED_TITLE.sub("", token.info).strip()


_COMMENT_LINE = re.compile(r"<!--.*-->[ \t]*$")
_DEFINITION_MARKER = re.compile(r"[ \t]{0,3}:[ \t]")


def _comment_term(md: MarkdownIt) -> None:
    """Python-Markdown's def_list takes the line right before a ``:   definition`` as its term, also an
    HTML comment (``<!-- … -->`` then ``:   !!! note``): markdown-it's HTML block rule would take the
    comment first and leave ``:   !!! note`` a paragraph. The deflist rule runs first on such a line."""
    deflist = next(rule.fn for rule in md.block.ruler.__rules__ if rule.name == "deflist")

    def rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if start + 1 >= end or not _COMMENT_LINE.match(_line(state, start)):
            return False
        if not _DEFINITION_MARKER.match(state.src[state.bMarks[start + 1] : state.eMarks[start + 1]]):
            return False
        return bool(deflist(state, start, end, silent))

    md.block.ruler.before("html_block", "deflist_comment_term", rule, ALT)


def _any_link(url: str) -> bool:
    """Python-Markdown links any destination (``[Demo]: javascript:…`` is a reference definition, not the
    paragraph markdown-it's ``validateLink`` makes of it)."""
    return True


def mkdocs(md: MarkdownIt) -> None:
    md.validateLink = _any_link  # type: ignore[method-assign]
    admon_plugin(md)
    deflist_plugin(md)
    _comment_term(md)
    md.block.ruler.before("fence", "tab", _tab, ALT)
    md.block.ruler.before("fence", "pymdown_block", _block, ALT)
    md.block.ruler.before("fence", "snippet", _snippet, ALT)
    md.block.ruler.before("fence", "arithmatex", _math, ALT)
    md.block.ruler.before("reference", "abbreviation", _abbreviation, ALT)
    md.core.ruler.after("block", "admonition_syntax", _admonition_syntax)


def _quoted_title(line: str) -> tuple[int, int] | None:
    match = _QUOTED_TITLE.search(line)
    return (match.start(1), match.end(1)) if match else None


@dataclass(frozen=True)
class _meta_title:
    """A hook for this module's containers: the title's columns are in the open token's meta."""

    name: str
    style: str | None = None

    def __call__(self, state: Walk, tokens: list[Token], index: int) -> Iterator[Found]:
        token = tokens[index]
        state.push(self.name)
        title = token.meta.get("title")
        if title is not None and token.map is not None:
            start, end = title
            yield from state.in_line(
                state.path("title"), SegmentKind.TITLE, token.map[0], start, end, style=self.style
            )


def _abbreviation_hook(state: Walk, tokens: list[Token], index: int) -> Iterator[Found]:
    token = tokens[index]
    if token.map is not None:
        start, end = token.meta["title"]
        yield from state.in_line(
            state.path("abbr"), SegmentKind.ATTRIBUTE, token.map[0], start, end, style="line"
        )


HOOKS_MKDOCS: dict[str, Hook] = {
    **HOOKS,
    "admonition_open": titled("admon", _quoted_title, 'attr"'),
    "admonition_close": pop,
    "tab_open": _meta_title("tab", 'attr"'),
    "tab_close": pop,
    "block_open": _meta_title("block"),
    "block_close": pop,
    "abbreviation": _abbreviation_hook,
}

FLAVOUR = Flavour(
    "mkdocs",
    plugins=(inline_atoms, directives, mkdocs),
    hooks=HOOKS_MKDOCS,
    not_prose=NOT_PROSE,  # key codes, emoji codes, math, critic marks, attribute lists among them
    not_prose_hint=NOT_PROSE_HINT,
    template_line=TEMPLATE_LINE,
    verbatim=VERBATIM,
    html_template=is_template,
    heading_id=HEADING_ATTRIBUTES,
    slugger=PythonMarkdownSlugger,
    frontmatter=("yaml",),
)


def variant(option: str) -> Flavour:
    """``slugify=<case>`` (checked by the registry entry's ``options``): heading ids as ``toc`` makes them
    with ``pymdownx.slugs.slugify(case=<case>)``."""
    case = option.partition("=")[2]
    return replace(FLAVOUR, name=f"mkdocs@{option}", slugger=partial(PymdownxSlugger, case))
