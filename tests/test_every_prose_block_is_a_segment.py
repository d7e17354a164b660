"""Segment completeness (issue 11, item 11): every prose block of a page is covered by a segment.

Identity tests cannot see a segment that goes missing (nothing is rendered for it, so the page still comes
back byte for byte); this property can. The blocks are found here from markdown-it's own parse, apart from
the walk: every heading, paragraph and table cell with prose in it (``has_prose``: letters outside code,
HTML, URLs) must be a segment of that kind at that line. Paragraphs that are one image (their alt text is
the segment) and Svelte-block-only paragraphs are the walk's documented exceptions.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from i18n import PageError, parse_page
from i18n.markdown.frontmatter import find_frontmatter
from i18n.markdown.lines import count_newlines, normalise_newlines
from i18n.markdown.page import DEFAULT_FRONTMATTER_KEYS
from i18n.markdown.parser import block_parser, inline_children
from i18n.markdown.walk import has_prose
from i18n.segments import SegmentKind

from .support import FIXTURES, ROOT, SHARED, read_text
from .test_properties import pages

_HEADING_ID = re.compile(r"[ \t]+\{#([^\s}]+)[^}]*\}$")
_SVELTE_BLOCK = re.compile(r"^\{[#:/@][^\n]*\}$")
SPEC = json.loads((FIXTURES / "commonmark" / "spec-0.31.2.json").read_text(encoding="utf-8"))


def prose_blocks(source: str) -> Counter[tuple[str, int]]:
    """(kind, line) of every prose block markdown-it finds in the page's body."""
    frontmatter = find_frontmatter(source, DEFAULT_FRONTMATTER_KEYS)
    start = frontmatter.end if frontmatter is not None else (1 if source.startswith("\ufeff") else 0)
    first = count_newlines(source[:start]) + 1
    env: dict[str, object] = {}
    tokens = block_parser().parse(normalise_newlines(source[start:]), env)
    found: Counter[tuple[str, int]] = Counter()
    for index, token in enumerate(tokens):
        if token.type not in ("heading_open", "paragraph_open", "th_open", "td_open"):
            continue
        content = tokens[index + 1].content
        if token.type == "heading_open":
            explicit = _HEADING_ID.search(content)
            content = content[: explicit.start()] if explicit else content
        if token.type == "paragraph_open":
            children = inline_children(tokens[index + 1], env) if content.startswith("![") else []
            if [child.type for child in children] == ["image"]:
                continue  # an image alone: its alt text is the segment
            if all(_SVELTE_BLOCK.match(x.strip()) for x in content.split("\n")):
                continue
        if not has_prose(content):
            continue
        kind = {"heading_open": "heading", "paragraph_open": "paragraph"}.get(token.type, "table-cell")
        line = token.map[0] if token.map else _row_line(tokens, index)
        if token.type == "paragraph_open":  # markdown-it-py's strip() drops lines of a no-break space
            lines = normalise_newlines(source[start:]).split("\n")
            while line + 1 < len(lines) and _only_unicode_space(lines[line]):
                line += 1
        found[(kind, first + line)] += 1
    return found


_MARKERS = re.compile(r"^(?:[ \t]*(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t])))*[ \t]*")


def _only_unicode_space(line: str) -> bool:
    """A line of container markers and whitespace that is not a space or a tab (a no-break space)."""
    marked = _MARKERS.match(line)
    rest = line[marked.end() if marked else 0 :]
    return not rest.strip() and bool(rest.strip(" \t"))


def _row_line(tokens: list, index: int) -> int:  # type: ignore[type-arg]
    """A table cell's line: its row's (cells carry no map)."""
    while tokens[index].type != "tr_open":
        index -= 1
    return int(tokens[index].map[0])


def segment_blocks(source: str) -> Counter[tuple[str, int]]:
    blocks = (SegmentKind.HEADING, SegmentKind.PARAGRAPH, SegmentKind.TABLE_CELL)  # (not attributes, alt…)
    return Counter((s.kind.value, s.line) for s in parse_page(source).segments if s.kind in blocks)


def assert_complete(source: str) -> None:
    expected, found = prose_blocks(source), segment_blocks(source)
    assert found == expected, f"missing {expected - found}, extra {found - expected}"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages)
def test_every_prose_block_is_a_segment(source: str) -> None:
    source = source.replace("\0", "")  # a NUL byte makes a file binary: never read as a page
    try:
        parse_page(source)
    except PageError:
        return  # a frontmatter that is not a mapping: refused as a whole, nothing to cover
    assert_complete(source)


PAGES = sorted((FIXTURES / "pages").glob("*.md")) + sorted((ROOT / "content").glob("*.md"))
CORPUS = sorted((SHARED / "corpus" / "en").glob("*.md")) if (SHARED / "corpus").exists() else []


@pytest.mark.parametrize("path", PAGES + CORPUS, ids=lambda p: p.name)
def test_every_prose_block_of_a_real_page_is_a_segment(path: Path) -> None:
    assert_complete(read_text(path))


def test_every_prose_block_of_every_commonmark_example_is_a_segment() -> None:
    failures = []
    for example in SPEC:
        try:
            assert_complete(example["markdown"])
        except PageError:
            continue  # example 96 opens with a `---` block: frontmatter, refused as a mapping
        except AssertionError as exc:
            failures.append((example["example"], str(exc)))
    assert failures == []


@pytest.mark.parametrize(
    "source",
    [
        "Para line one\nline two   \n",  # a last line ending in spaces
        "Para line one\nline two\t \n\nNext.\n",
        "- item one  \n  continued  \n",
        "> quoted   \n> more  \n",
        "Title  \n=====\n",
    ],
)
def test_a_paragraph_whose_last_line_ends_in_spaces_is_a_segment(source: str) -> None:
    page = parse_page(source)
    assert_complete(source)
    rendered = page.render({s.id: "Vertaald" for s in page.segments})
    assert "Vertaald" in rendered and rendered.count("Vertaald") == len(page.segments) >= 1
