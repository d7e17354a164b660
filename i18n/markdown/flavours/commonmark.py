"""CommonMark + GFM, the base of every flavour.

Block syntax on top of markdown-it's CommonMark with GFM tables and strikethrough (the inline layer is
:mod:`.inline_syntax`, shared by all flavours):

- footnote definitions ``[^1]: text`` (mdit-py-plugins' footnote, definitions left in place): the text is
  a segment, the label is not;
- ``$$ … $$`` math blocks (dollarmath): never segments;
- directive containers ``:::note`` … ``:::`` (mdit-py-plugins' container): Starlight asides
  ``:::tip[Did you know?]{icon="heart"}``, Docusaurus and VitePress admonitions ``:::note Title``; the
  title is a segment, the marker and attributes are not, the body is markdown;
- task list checkboxes ``[ ]``/``[x]`` and alert markers ``> [!NOTE]`` are kept out of their paragraph's
  text (in :func:`..walk._paragraph`);
- definition lists (for the flavours that load deflist): each term a segment, definitions as blocks;
- headings where no ``{#id}`` is read (``commonmark``, ``mdx``): the site makes a heading's id from its
  text, so a translated heading gets another id. A heading a same-page link points to (``(#setup)``) is
  kept as written, and so is every heading whose id shares its base (``options``, ``options-1``:
  translating one renumbers the others), so no link of the page points nowhere.

A construct that is not syntax on a plain CommonMark site (``:::`` lines) only changes what is a segment:
the page stays byte for byte what it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.ruler import RuleOptionsType
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from ...caches import run_cache
from ...segments import SegmentKind
from ..mdsvex_syntax import is_template
from ..slug import Slugger
from . import Flavour, Hook
from .inline_syntax import NOT_PROSE, NOT_PROSE_HINT, TEMPLATE_LINE, VERBATIM, inline_atoms

if TYPE_CHECKING:
    from ..walk import Found, Walk

# Every `#fragment` a page's links may point to (a superset: any `#name` after `(`, `<`, a quote, `:`, a
# space or a slash).
_FRAGMENT = re.compile(r"""[(<"':\s/]#([^\s()<>"'#]+)""")


@run_cache(64)
def fragments(src: str) -> frozenset[str]:
    """The ``#fragment`` ids the page ``src`` may link to (see :data:`_FRAGMENT`)."""
    return frozenset(_FRAGMENT.findall(src))


# Block rules of a flavour that may interrupt a paragraph and sit in quotes and lists.
ALT: RuleOptionsType = {"alt": ["paragraph", "reference", "blockquote", "list"]}
_DIRECTIVE = re.compile(r"[ \t]*(?P<name>[A-Za-z][\w-]*)")
_LABEL = re.compile(r"\[(?P<title>[^\]\n]*)\]")
_ATTRIBUTES = re.compile(r"\{[^}\n]*\}")


def directives(md: MarkdownIt) -> None:
    """``:::name`` containers (any name: asides, admonitions)."""
    container_plugin(
        md, "directive", marker=":", validate=lambda params, markup: bool(_DIRECTIVE.match(params))
    )
    md.core.ruler.after("block", "directive_syntax", _directive_syntax)


def _directive_syntax(state: StateCore) -> None:
    """A directive's syntax (what a translation may not change): marker, name and attributes."""
    for token in state.tokens:
        if token.type == "container_directive_open":
            name = _DIRECTIVE.match(token.info)
            attributes = "".join(_ATTRIBUTES.findall(token.info))
            token.meta["syntax"] = token.markup + (name.group("name") if name else "") + attributes


@dataclass(frozen=True)
class push:
    """A hook that opens a container level (ids below it are ``<name>N/…``)."""

    name: str

    def __call__(self, state: Walk, tokens: list[Token], index: int) -> Iterator[Found]:
        state.push(self.name)
        return iter(())


def pop(state: Walk, tokens: list[Token], index: int) -> Iterator[Found]:
    state.pop()
    return iter(())


@dataclass(frozen=True)
class titled:
    """A hook for a container whose first line carries its title: ``locate(line)`` gives the title's
    columns in that line (None: no title); ``style``: how a translated title is written (``attr"``:
    inside double quotes)."""

    name: str
    locate: Callable[[str], tuple[int, int] | None]
    style: str | None = None

    def __call__(self, state: Walk, tokens: list[Token], index: int) -> Iterator[Found]:
        token = tokens[index]
        state.push(self.name)
        if token.map is None:
            return
        first = token.map[0]
        where = self.locate(state.body(first))
        if where is not None:
            yield from state.in_line(state.path("title"), SegmentKind.TITLE, first, *where, style=self.style)


def directive_title(line: str) -> tuple[int, int] | None:
    """``:::tip[Did you know?]{…}`` → the label; ``:::note Some title`` → the rest of the line."""
    marker = len(line) - len(line.lstrip(" \t:"))
    name = _DIRECTIVE.match(line, marker)
    if name is None:
        return None
    label = _LABEL.match(line, name.end())
    if label is not None:
        return label.start("title"), label.end("title")
    rest = _ATTRIBUTES.sub(lambda m: " " * len(m.group()), line[name.end() :])
    if not rest.strip():
        return None
    return name.end(), name.end() + len(rest.rstrip())


def term(state: Walk, tokens: list[Token], index: int) -> Iterator[Found]:
    """A definition list's term (``dt``): a segment of its own."""
    inline = tokens[index + 1]
    if inline.type == "inline" and inline.map is not None:
        yield from state.inline_block(state.path("dt"), SegmentKind.TERM, inline)


# (flavour, page text) -> the heading ids kept (the last few pages)
_LINKED: dict[tuple[str, str], frozenset[str]] = {}


def _linked_ids(state: Walk, tokens: list[Token]) -> frozenset[str]:
    """The ids of the headings kept because the page links to them: every heading of an id group (one
    base, numbered ``-1``, ``-2`` …) one of whose ids a same-page link names."""
    key = (state.flavour.name, state.src)
    found = _LINKED.get(key)
    if found is None:
        targets = fragments(_without_toc(state, tokens))
        groups: dict[str, list[str]] = {}
        numbered = Slugger()
        for index, token in enumerate(tokens[:-1]):
            if token.type == "heading_open":
                inline = tokens[index + 1]
                base = state.heading_anchor(Slugger(), inline)[0]
                groups.setdefault(base, []).append(state.heading_anchor(numbered, inline)[0])
        found = frozenset(i for ids in groups.values() if targets.intersection(ids) for i in ids)
        if len(_LINKED) >= 8:
            _LINKED.clear()
        _LINKED[key] = found
    return found


def _without_toc(state: Walk, tokens: list[Token]) -> str:
    """The page without the sections of the table-of-contents headings the flavour keeps (remark-toc
    writes that list anew from the translated headings: its links are no reason to keep a heading)."""
    pattern = state.flavour.keep_headings
    starts = [
        (token.map[0], tokens[index + 1].content.strip())
        for index, token in enumerate(tokens[:-1])
        if token.type == "heading_open" and token.map is not None
    ]
    if pattern is None or not any(pattern.match(text) for _, text in starts):
        return state.src
    parts, at = [], 0
    for (line, text), following in zip(starts, [*starts[1:], None], strict=True):
        if pattern.match(text):
            start = state.lines[line].start
            end = state.lines[following[0]].start if following is not None else len(state.src)
            parts.append(state.src[at:start])
            at = end
    return "".join(parts) + state.src[at:]


def linked_heading(state: Walk, tokens: list[Token], index: int) -> Iterator[Found]:
    """A heading, unless a same-page link points to it (or to a heading its id is numbered with): then it
    is kept as written, so its id, made from its text, stays the English one."""
    if not fragments(state.src):
        yield from state.heading(tokens, index)
        return
    for found in state.heading(tokens, index):
        if found.explicit_anchor or found.anchor not in _linked_ids(state, tokens):
            yield found


HOOKS: dict[str, Hook] = {
    "footnote_reference_open": push("fn"),
    "footnote_reference_close": pop,
    "container_directive_open": titled("aside", directive_title),
    "container_directive_close": pop,
    "dl_open": push("dl"),
    "dl_close": pop,
    "dt_open": term,
    "dd_open": push("dd"),
    "dd_close": pop,
}

# Astro's `.md` pages may have TOML frontmatter (`+++`) as well as YAML; GitHub shows any frontmatter as is.
FLAVOUR = Flavour(
    "commonmark",
    plugins=(inline_atoms, directives),
    not_prose=NOT_PROSE,
    not_prose_hint=NOT_PROSE_HINT,
    template_line=TEMPLATE_LINE,
    verbatim=VERBATIM,
    html_template=is_template,
    hooks={**HOOKS, "heading_open": linked_heading},
    heading_id=None,
    inject_anchors=False,
    frontmatter=("yaml", "toml"),
)
