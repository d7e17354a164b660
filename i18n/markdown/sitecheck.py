"""Conflicts between what the pipeline writes and the site's markdown toolchain (mdsvex defaults plus
remark-toc and remark-heading-id), found on the English page: warnings for ``i18n check``.

- ``smartypants-dashes``: an anchor injected into a translated heading has ``--`` in it. mdsvex's
  smartypants runs before remark-heading-id and turns ``--`` into an em dash, so the translated heading's
  id is no longer the English one (escaping does not help: remark-heading-id then ignores the anchor).
- ``toc-anchors``: a page with a table-of-contents heading whose translated headings get ``{#id}``
  anchors. remark-toc runs before remark-heading-id, so it copies `` {#id}`` into the table's link texts:
  a Svelte compile error (``{#`` opens a block).
- ``toc-heading``: the table-of-contents heading is translated. remark-toc only fills a heading matching
  its (English) pattern, so the translated page has no table of contents. (The ``mdx`` flavour keeps it
  in English by itself.)
- ``heading-links``: a same-page link ``(#setup)`` points at a heading that gets no anchor when translated
  (MDX and ``commonmark``, which have no ``{#id}``, or ``inject_anchors = false``): the site makes the
  translated heading's id from the translated text, so in a translated page the link points nowhere.
- ``too-deep``: text nested deeper than the parser goes (:data:`~.parser.MAX_NESTING` levels: 100
  blockquotes, 50 lists) is not a segment, so it stays English in every language.

The fixes on the site side are in the README ("Site setup").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import NamedTuple

from .flavours import TOC_HEADING
from .frontmatter import find_frontmatter
from .inline_tokens import link_targets
from .lines import count_newlines, normalise_newlines
from .page import Heading, Page
from .parser import MAX_NESTING, block_parser, inline_children

__all__ = ["TOC_HEADING", "Conflict", "site_conflicts"]
# What smartypants (`dashes: true`) replaces: exactly two hyphens.
_DOUBLE_HYPHEN = re.compile(r"(?<!-)--(?!-)")


class Conflict(NamedTuple):
    line: int
    code: str
    message: str


def site_conflicts(page: Page, *, inject_anchors: bool) -> list[Conflict]:
    """The site conflicts of ``page`` (see the module docstring), in line order."""
    found: list[Conflict] = []
    headings = page.headings()
    inject_anchors = inject_anchors and page.flavour.inject_anchors  # MDX: never
    injected = [h for h in headings if inject_anchors and h.segment is not None and not h.explicit]
    for heading in injected:
        if _DOUBLE_HYPHEN.search(heading.anchor):
            found.append(
                Conflict(
                    heading.line,
                    "smartypants-dashes",
                    f"injected anchor {{#{heading.anchor}}} contains '--': the site's smartypants makes it "
                    "an em dash in translated pages, so links to "
                    f"#{heading.anchor} miss them (site fix: smartypants dashes: false)",
                )
            )
    toc = next((h for h in headings if TOC_HEADING.match(h.text)), None)
    if toc is not None:
        if toc.segment is not None:
            found.append(
                Conflict(
                    toc.line,
                    "toc-heading",
                    f"table-of-contents heading '{toc.text}' is translated: remark-toc fills only a heading "
                    f'matching its English pattern (keep_headings = ["{toc.text}"], or a localised pattern)',
                )
            )
        if any(h is not toc for h in injected):
            found.append(
                Conflict(
                    toc.line,
                    "toc-anchors",
                    "table of contents on a page whose translated headings get {#id} anchors: remark-toc, "
                    "running before remark-heading-id, copies them into its links, a Svelte compile error "
                    "(site fix: remark-heading-id before remark-toc)",
                )
            )
    found.extend(_too_deep(page))
    found.extend(_heading_links(page, headings, inject_anchors))
    return sorted(found)


_PREFIX = re.compile(r"[ \t>*+\-0-9.)]*")


def _too_deep(page: Page) -> list[Conflict]:
    """Where the parser stopped nesting: its text is not translated (one conflict per such place)."""
    if not any(len(_PREFIX.match(line).group()) >= MAX_NESTING for line in page.source.splitlines()):  # type: ignore[union-attr]
        return []  # no line is deep enough to reach the limit: nothing to parse
    found: list[Conflict] = []
    last = -1
    for token in block_parser(page.flavour).parse(page.source, {}):
        if token.level >= MAX_NESTING - 1 and token.map and token.map[0] > last:
            last = token.map[1]
            found.append(
                Conflict(
                    token.map[0] + 1,
                    "too-deep",
                    f"nested more than {MAX_NESTING} levels deep (blockquotes, lists): the text there is "
                    "not translated, the page keeps it in English",
                )
            )
    return found


def _heading_links(page: Page, headings: list[Heading], inject_anchors: bool) -> list[Conflict]:
    """Translated headings without an anchor of their own that same-page links point at. Links in the
    section of a table-of-contents heading the flavour keeps (remark-toc replaces that list) are left out."""
    read_as = page.flavour
    sections = [h.line for h in headings]
    toc = [h.line for h in headings if read_as.keep_headings and read_as.keep_headings.match(h.text)]
    linked: dict[str, int] = {}
    for line, target in _same_page_links(page):
        section = max((at for at in sections if at <= line), default=0)
        if section not in toc:
            linked[target] = linked.get(target, 0) + 1
    found: list[Conflict] = []
    for heading in headings:
        count = linked.get(heading.anchor, 0)
        if heading.segment is None or heading.explicit or inject_anchors or not count:
            continue
        links, point = ("link", "points") if count == 1 else ("links", "point")
        written = json.dumps(page.segment(heading.segment).text, ensure_ascii=False)
        found.append(
            Conflict(
                heading.line,
                "heading-links",
                f"{count} same-page {links} to #{heading.anchor}: the translated heading "
                f"'{heading.text}' gets no {{#id}} ({page.flavour.name} flavour), the site makes its id from "
                f"the translated text, so in translated pages the {links} {point} nowhere "
                f"(keep_headings = [{written}] keeps it in English)",
            )
        )
    return found


def _same_page_links(page: Page) -> Iterator[tuple[int, str]]:
    """``(line, id)`` of every link ``#id`` in the page's body."""
    text = page.source
    frontmatter = find_frontmatter(text, (), page.flavour.frontmatter)
    start = frontmatter.end if frontmatter else (1 if text.startswith("\ufeff") else 0)
    first_line = count_newlines(text[:start]) + 1
    env: dict[str, object] = {}
    for token in block_parser(page.flavour).parse(normalise_newlines(text[start:]), env):
        if token.type != "inline" or token.map is None or "#" not in token.content:
            continue
        for target in link_targets(inline_children(token, env, page.flavour)):
            if target.startswith("#") and len(target) > 1:
                yield first_line + token.map[0], target[1:]
