"""The checks of inline markdown and the text of HTML elements: link and image targets, code spans,
inline HTML tags, emphasis, new blocks, ``{expressions}`` and the generator syntax every flavour shares.

Reference-style links: a segment's text carries no definitions (``[our Discord][discord]``), so every
label the source uses in the full (``[text][label]``) or collapsed (``[text][]``) form is given a stand-in
definition whose target is ``[label]`` (normalised as CommonMark matches labels), and source and
translation are parsed with these same definitions (plus any label the translation adds). A kept label is
then the link target ``[label]`` on both sides; a translated or dropped one is reported as a missing link
target, a new one as an added target. Shortcut references
(``[label]`` alone) cannot be told from literal brackets without the page's definitions; a translation
that breaks one is caught when the page is rendered (``Page.render`` compares link targets).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from markdown_it.common.utils import normalizeReference

from ..caches import run_cache
from ..markdown.escape import escape_block_starts
from ..markdown.inline_tokens import link_targets, walk_inline
from ..markdown.markup import block_outline, shared_syntax
from ..markdown.parser import markdown_parser
from ..segments import INLINE_MARKDOWN_KINDS, SegmentKind
from .base import SINGLE_LINE_KINDS, Context, Found, Problem, difference, items

_FULL_REFERENCE = re.compile(r"\]\[([^\[\]]+)\]")
_COLLAPSED_REFERENCE = re.compile(r"\[([^\[\]]+)\]\[\]")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)*?\1", re.DOTALL)
_EXPRESSION = re.compile(r"\{[^{}]*\}")
# A critic mark: its delimiters are placeholders (counted by ``shared_syntax``), its content words.
_CRITIC_MARK = re.compile(r"\{(?:\+\+|--|~~|==|>>)(.*?)(?:\+\+|--|~~|==|<<)\}", re.DOTALL)
_ANCHOR = re.compile(r"\{#[^}]*\}")
TAG = re.compile(r"<!--.*?-->|<[A-Za-z/!?][^>]*>", re.DOTALL)
_STRAY = ("**", "__", "~~", "`")
_EMPHASIS = {"em_open": "emphasis", "strong_open": "strong", "s_open": "strikethrough"}


@dataclass(frozen=True)
class _Inline:
    """What a translation of inline markdown must keep, as multisets."""

    targets: Counter[str]
    code: Counter[str]
    html: Counter[str]
    emphasis: Counter[str]
    stray: Counter[str]


def inline_markup(source: str, translation: str, context: Context) -> Found:
    """Link targets, code spans, inline HTML and emphasis of inline markdown, as multisets (skipped when
    the translation is proven to keep its source's markup)."""
    if context.markup_kept:
        return
    src, dst = context.src, context.dst
    references = tuple(sorted({*_references(src), *_references(dst)}))
    before = _inline(src, references)  # a shortcut `[label]` kept as `[text][label]` is the same link
    after = _inline(dst, references)
    yield Problem.LINK_TARGETS, difference("link target", before.targets, after.targets)
    yield Problem.CODE, difference("code span", before.code, after.code)
    yield Problem.HTML, difference("HTML tag", before.html, after.html)
    yield Problem.MARKUP, _markup(before, after)


def html_tags(source: str, translation: str, context: Context) -> Found:
    """The tags of an HTML element's text."""
    yield Problem.HTML, difference("HTML tag", tags(context.src), tags(context.dst))


def new_blocks(source: str, translation: str, context: Context) -> Found:
    """A translation that parses as other blocks than its source (a list, a heading, a second paragraph)."""
    if context.markup_kept:
        return
    before = block_outline(context.src)
    yield Problem.NEW_BLOCK, _new_blocks(before, block_outline(_in_place(context.dst, context.kind)))


def placeholders(source: str, translation: str, context: Context) -> Found:
    """``{expressions}`` and the generator syntax every flavour shares, as multisets."""
    src, dst, kind = context.src, context.dst, context.kind
    before = _expressions(src, kind) + shared_syntax(src)
    after = _expressions(dst, kind) + shared_syntax(dst)
    yield Problem.PLACEHOLDERS, difference("placeholder", before, after)


def heading_placeholders(source: str, translation: str, context: Context) -> Found:
    """A heading's placeholders; an added ``{#id}`` is an anchor problem, not a placeholder one."""
    src, dst, kind = context.src, context.dst, context.kind
    anchors = _anchors(dst) - _anchors(src)
    before = _expressions(src, kind) + shared_syntax(src)
    after = _expressions(dst, kind) + shared_syntax(dst) - anchors
    yield Problem.PLACEHOLDERS, difference("placeholder", before, after)
    if anchors:
        yield Problem.ANCHOR, f"heading anchor {items(anchors)} added (the pipeline adds the English one)"


def tags(text: str) -> Counter[str]:
    return Counter(" ".join(tag.split()) for tag in TAG.findall(text))


def _in_place(text: str, kind: SegmentKind) -> str:
    """A translation as it will stand in its place: a line-start marker (``1. Deel``) is text in a
    heading, a table cell or a title, and is escaped when written into a paragraph."""
    if kind is SegmentKind.PARAGRAPH or kind in SINGLE_LINE_KINDS:
        return escape_block_starts(text)
    return text


@run_cache(4096)
def _references(source: str) -> tuple[str, ...]:
    """The normalised labels of the reference links the source uses in full or collapsed form."""
    labels = [m.group(1) for m in _FULL_REFERENCE.finditer(source)]
    labels += [m.group(1) for m in _COLLAPSED_REFERENCE.finditer(source)]
    return tuple(sorted({label for label in map(normalizeReference, labels) if label}))


@run_cache(2048)
def _inline(text: str, references: tuple[str, ...]) -> _Inline:
    definitions = {label: {"href": f"[{label.lower()}]", "title": "", "map": None} for label in references}
    env: dict[str, object] = {"references": definitions}
    tokens = markdown_parser().parseInline(text, env)
    children = tokens[0].children if tokens else None
    code: Counter[str] = Counter()
    html: Counter[str] = Counter()
    emphasis: Counter[str] = Counter()
    stray: Counter[str] = Counter()
    for token in walk_inline(children):
        if token.type == "code_inline":
            code[token.content] += 1
        elif token.type == "html_inline":
            html[" ".join(token.content.split())] += 1
        elif token.type in _EMPHASIS:
            emphasis[_EMPHASIS[token.type]] += 1
        elif token.type == "text":
            stray.update({run: token.content.count(run) for run in _STRAY if run in token.content})
    return _Inline(Counter(link_targets(children)), code, html, emphasis, stray)


def _anchors(text: str) -> Counter[str]:
    return Counter(" ".join(anchor.split()) for anchor in _ANCHOR.findall(text))


def _expressions(text: str, kind: SegmentKind) -> Counter[str]:
    if kind in INLINE_MARKDOWN_KINDS and "`" in text:
        text = _CODE_SPAN.sub(" ", text)  # braces in code are code, compared as code spans
    if "{" in text:
        text = _CRITIC_MARK.sub(lambda m: f" {m.group(1)} ", text)
    return Counter(" ".join(expression.split()) for expression in _EXPRESSION.findall(text))


def _new_blocks(
    source: tuple[tuple[str, str, int], ...], translation: tuple[tuple[str, str, int], ...]
) -> str:
    if source == translation:
        return ""

    def outline(blocks: tuple[tuple[str, str, int], ...]) -> str:
        top = [kind.removesuffix("_open") for kind, _, level in blocks if level == 0 and "close" not in kind]
        return ", ".join(top) or "nothing"

    return f"translation parses as {outline(translation)}; the source as {outline(source)}"


def _markup(source: _Inline, translation: _Inline) -> str:
    problems = [
        f"{name}: {source.emphasis[name]} in the source, {translation.emphasis[name]} in the translation"
        for name in _EMPHASIS.values()
        if source.emphasis[name] != translation.emphasis[name]
    ]
    stray = translation.stray - source.stray
    if stray:
        problems.append(f"stray {items(stray)} in the text")
    return "; ".join(problems)
