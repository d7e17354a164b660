"""The project's one markdown-it setup: CommonMark plus GFM tables and strikethrough, and a flavour's plugins
(:mod:`.flavours`): the inline syntax layer the built-in flavours share (:mod:`.flavours.inline_syntax`, their
first plugin) and their own rules (the ``svelte`` flavour reads blocks as the site's mdsvex does,
:mod:`.mdsvex_syntax`).

Every parse in the project goes through the parsers made here, so the segmenter, the checks, the aligner
and the XML encoder agree on what the markdown means:

- :func:`block_parser` parses blocks only; the walk parses the inline content it needs on demand
  (:func:`inline_children`);
- :func:`markdown_parser` parses blocks and inline content;
- :func:`span_parser` parses inline content only, with ``{expressions}`` as tokens and every token
  carrying the source span it came from (``token.meta[SPAN]``), for the XML encoder. Inline syntax is
  the same in every flavour, so it needs none.

``flavour`` is a :class:`.flavours.Flavour` (one object per flavour: the parsers are cached by it); None
is the one ``auto`` falls back to. :func:`atoms` counts the shared inline layer's constructs in a text.

Link targets are kept as written (no URL normalisation): we compare them, never render them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from ..caches import run_cache
from .flavours import Flavour, default_flavour
from .flavours.inline_syntax import ATOM_TYPES, HINT, SPAN

__all__ = [
    "INLINE_SYNTAX",
    "IN_LINK_LABEL",
    "MAX_NESTING",
    "SPAN",
    "atoms",
    "block_parser",
    "inline_children",
    "markdown_parser",
    "plain_or_none",
    "span_parser",
]

# Characters that can make a text's inline markdown differ from its plain text.
INLINE_SYNTAX = frozenset("\\`*_[]<>!&~{}$+:")

Rule = Callable[[StateInline, bool], bool]
# Block nesting markdown-it parses (the commonmark preset's 20 left text under 20 blockquotes or 10 lists
# untranslated); deeper text is not a segment, and `i18n check` warns about it (:mod:`.sitecheck`).
MAX_NESTING = 100


def _as_written(url: str) -> str:
    return url


def _base(flavour: Flavour | None = None) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable(["table", "strikethrough"])
    md.normalizeLink = _as_written  # type: ignore[method-assign]
    md.normalizeLinkText = _as_written  # type: ignore[method-assign,assignment]
    found = flavour or default_flavour()
    for plugin in found.plugins:
        plugin(md)
    if found.disable:
        md.disable(list(found.disable))
    return md


@lru_cache(maxsize=8)
def markdown_parser(flavour: Flavour | None = None) -> MarkdownIt:
    """Blocks and inline content."""
    return _base(flavour)


@lru_cache(maxsize=8)
def block_parser(flavour: Flavour | None = None) -> MarkdownIt:
    """Blocks only (inline tokens keep their ``content`` and get no children)."""
    return _base(flavour).disable("inline")


def inline_children(token: Token, env: dict[str, object], flavour: Flavour | None = None) -> list[Token]:
    """The inline tokens of a block parse's ``inline`` token, parsed now if they were skipped."""
    if not token.children and token.content:
        token.children = []
        md = markdown_parser(flavour)
        md.inline.parse(token.content, md, env, token.children)
    return token.children or []


def plain_or_none(content: str) -> str | None:
    """``content`` itself when it holds no inline syntax (so no inline parse is needed)."""
    return None if INLINE_SYNTAX.intersection(content) else content


@run_cache(8192)
def atoms(text: str) -> Counter[str]:
    """The constructs of the shared inline layer (:mod:`.flavours.inline_syntax`) in an inline text, as
    written (a multiset): what the checks count as placeholders."""
    if HINT.search(text) is None:
        return Counter()
    found: Counter[str] = Counter()
    tokens = markdown_parser().parseInline(text, {})
    stack = list(tokens[0].children or []) if tokens else []
    while stack:
        token = stack.pop()
        if token.type == "footnote_ref":
            found[f"[^{token.meta['label']}]"] += 1
        elif token.type in ATOM_TYPES:
            found[
                token.markup + token.content + token.markup
                if token.type.startswith("math")
                else token.content
            ] += 1
        elif token.children:
            stack.extend(token.children)
    return found


# -- the span parser (XML encoding) ---------------------------------------------------------------------


def _expression(state: StateInline, silent: bool) -> bool:
    """``{expression}`` (balanced braces) is one token."""
    if state.src[state.pos] != "{":
        return False
    depth = 0
    for end in range(state.pos, state.posMax):
        depth += {"{": 1, "}": -1}.get(state.src[end], 0)
        if depth == 0:
            if not silent:
                state.push("svelte", "", 0).content = state.src[state.pos : end + 1]
            state.pos = end + 1
            return True
    return False


def _tracked(rule: Rule, delimiters: bool) -> Rule:
    """``rule``, recording on each token it pushes the source span it came from."""

    def run(state: StateInline, silent: bool) -> bool:
        first, start = len(state.tokens), state.pos
        ok = rule(state, silent)
        if not ok or silent:
            return ok
        pushed = state.tokens[first:]
        if delimiters:  # emphasis/strikethrough: one text token per marker (pair), last ones pushed
            pos = state.pos
            for token in reversed(pushed):
                if pos <= start:
                    break
                token.meta[SPAN] = (pos - len(token.content), pos)
                pos -= len(token.content)
        else:
            for token in pushed:
                if token.type != "text" and SPAN not in token.meta:
                    token.meta[SPAN] = (start, state.pos)
        return True

    return run


IN_LINK_LABEL = "i18n.in_link_label"  # env key: scanning the label of a link tried as an inline link


def _inline_links_first(rule: Rule, link: bool) -> Rule:
    """The link or image ``rule``, preferring inline links over references (the encoder assumes every
    label defined, but a segment's page rarely defines the labels it writes in brackets):

    - a reference right before ``(`` is refused: in ``[a][b](/u)`` ``[b](/u)`` is the link;
    - a link's label may hold bracketed text: in ``[[1]](/u)`` the link is ``[1]`` to ``/u`` (were ``[1]``
      a defined reference, links cannot nest and ``(/u)`` would be text the engine could change).
    """

    def run(state: StateInline, silent: bool) -> bool:
        start = state.pos
        if link and silent and state.env.get(IN_LINK_LABEL):  # inside an outer label: no reference here
            if not rule(state, True):
                return False
            if state.src[state.pos - 1] == "]":
                state.pos = start
                return False
            return True
        if link and _as_inline_link(rule, state):  # (then state.pos is after it)
            if silent:
                return True
            state.pos = start
            return _in_label(state, lambda: rule(state, False))
        if not rule(state, True):
            return False
        end, state.pos = state.pos, start
        if state.src[end - 1] == "]" and end < state.posMax and state.src[end] == "(":
            return False
        if silent:
            state.pos = end
            return True
        return rule(state, silent)

    return run


def _as_inline_link(rule: Rule, state: StateInline) -> bool:
    """Whether ``rule`` reads an inline link ``[label](target)`` here with no reference in its label
    (``state.pos`` then after it)."""
    start = state.pos
    if not _in_label(state, lambda: rule(state, True)):
        return False
    if state.src[state.pos - 1] == ")":
        return True
    state.pos = start
    return False


def _in_label(state: StateInline, parse: Callable[[], bool]) -> bool:
    outer = state.env.get(IN_LINK_LABEL, False)
    state.env[IN_LINK_LABEL] = True
    try:
        return parse()
    finally:
        state.env[IN_LINK_LABEL] = outer


@lru_cache(maxsize=1)
def span_parser() -> MarkdownIt:
    """Inline syntax as :func:`markdown_parser` sees it, plus ``{expressions}``, every token carrying
    its source span. A private instance: the shared parsers are untouched."""
    md = _base()
    md.inline.ruler.before("text", "svelte", _expression)
    ruler = md.inline.ruler
    for name, fn in zip(ruler.get_active_rules(), ruler.getRules(""), strict=True):
        wrapped = _inline_links_first(fn, name == "link") if name in ("link", "image") else fn
        ruler.at(name, _tracked(wrapped, name in ("emphasis", "strikethrough")))
    return md
