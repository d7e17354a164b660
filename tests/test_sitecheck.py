"""Site conflicts (smartypants ``--`` in injected anchors, a table of contents with injected anchors or a
translated heading) are warned about by ``i18n check``; ``keep_headings`` keeps chosen headings English."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from i18n import SegmentKind, parse_page
from i18n.cli import main
from i18n.markdown.flavours import flavour as named
from i18n.markdown.sitecheck import site_conflicts

from .project import Project
from .support import FIXTURES, read_text

PAGE = """---
title: A page
---

## Tasks & Responsibilities

## Already {#has--id}

## April - June 2025

## Contents

## Next part
"""


def codes(text: str, *, inject_anchors: bool = True, keep: tuple[str, ...] = ()) -> list[tuple[int, str]]:
    page = parse_page(text, keep_headings=keep)
    return [(c.line, c.code) for c in site_conflicts(page, inject_anchors=inject_anchors)]


def test_conflicts_are_found_at_their_lines() -> None:
    """Only an injected anchor with exactly `--` (not a written `{#id}`, not `---`) is a smartypants case."""
    assert codes(PAGE) == [(5, "smartypants-dashes"), (11, "toc-anchors"), (11, "toc-heading")]


def test_kept_toc_heading_and_no_anchors() -> None:
    assert codes(PAGE, keep=("contents",)) == [(5, "smartypants-dashes"), (11, "toc-anchors")]
    assert codes(PAGE, inject_anchors=False) == [(11, "toc-heading")]
    assert codes(PAGE, inject_anchors=False, keep=("Contents",)) == []


def test_toc_headings_as_remark_toc_matches_them() -> None:
    for heading in ("Contents", "contents", "Table of Contents", "table-of-content", "TOC", "**Contents**"):
        assert codes(f"## {heading}\n") == [(1, "toc-heading")], heading
    for heading in ("Contents of the box", "Our contents here", "Tables of contents"):
        assert codes(f"## {heading}\n") == [], heading


def test_keep_headings_leaves_a_heading_english_without_anchor() -> None:
    page = parse_page(
        "## Contents\n\n## **Table of  contents**\n\n## Other\n",
        keep_headings=["contents", "Table of contents"],
    )
    assert [s.text for s in page.segments] == ["Other"]
    assert (
        page.render({"h:other": "Ander"}) == "## Contents\n\n## **Table of  contents**\n\n## Ander {#other}\n"
    )


def test_check_warns_and_strict_fails(tmp_path: Path) -> None:
    project = Project(tmp_path, extra='keep_headings = ["Contents"]\n')
    for path in (FIXTURES / "site").glob("*.md"):
        project.page(path.name, read_text(path))
    project.extract()
    runner = CliRunner()
    result = runner.invoke(main, ["--project", str(tmp_path), "check"])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning: ")]
    assert warnings == [
        "warning: content/dashed-anchors.md:5: smartypants-dashes: injected anchor "
        "{#tasks--responsibilities} contains '--': the site's smartypants makes it an em dash in "
        "translated pages, so links to #tasks--responsibilities miss them "
        "(site fix: smartypants dashes: false)",
        "warning: content/dashed-anchors.md:9: smartypants-dashes: injected anchor {#skills--attributes} "
        "contains '--': the site's smartypants makes it an em dash in translated pages, so links to "
        "#skills--attributes miss them (site fix: smartypants dashes: false)",
        "warning: content/dashed-anchors.md:21: smartypants-dashes: injected anchor "
        "{#before--and-after-written-with-two-hyphens} contains '--': the site's smartypants makes it an em "
        "dash in translated pages, so links to #before--and-after-written-with-two-hyphens miss them "
        "(site fix: smartypants dashes: false)",
        "warning: content/table-of-contents.md:7: toc-anchors: table of contents on a page whose translated "
        "headings get {#id} anchors: remark-toc, running before remark-heading-id, copies them into its "
        "links, a Svelte compile error (site fix: remark-heading-id before remark-toc)",
    ]
    assert "check passed" in result.output and "(4 site warnings)" in result.output
    strict = runner.invoke(main, ["--project", str(tmp_path), "check", "--strict"])
    assert strict.exit_code == 1 and "4 site warnings (--strict)" in strict.output


# -- MDX: heading ids come from the (translated) text -----------------------------------------------------

MDX_LINKS = """---
title: Sidebar
---

Entries are [internal links](#internal-links), [groups](#groups) or [code](#options).

## Contents

- [Internal links](#internal-links)
- [Groups](#groups)

## Internal links

See [groups](#groups) again.

## Groups

## `options`
"""


def test_headings_a_same_page_link_points_to_are_kept_where_ids_come_from_the_text() -> None:
    """In MDX and CommonMark a translated heading's id comes from its translated text: a heading a same-page
    link points to is kept as written (never a warning then), an unlinked one is translated. Links in the
    list under remark-toc's heading are remark-toc's (made from the translated headings): no reason to keep.
    Where the flavour could pin the id but ``inject_anchors = false`` says not to, ``check`` warns."""
    source = MDX_LINKS + "\n## Unlinked words\n"
    expected = {"mdx": ["Unlinked words"], "commonmark": ["Contents", "Unlinked words"]}  # mdx keeps the ToC
    for name, translated in expected.items():
        page = parse_page(source, flavour=named(name))
        assert [s.text for s in page.segments if s.kind is SegmentKind.HEADING] == translated, name
        codes = [c.code for c in site_conflicts(page, inject_anchors=True)]
        assert "heading-links" not in codes, name
    toc_only = parse_page(
        MDX_LINKS.replace(
            "Entries are [internal links](#internal-links), [groups](#groups) or", "See"
        ).replace("See [groups](#groups) again", "More words"),
        flavour=named("mdx"),
    )
    assert [s.text for s in toc_only.segments if s.kind is SegmentKind.HEADING] == [
        "Internal links",
        "Groups",
    ]
    svelte = parse_page(
        MDX_LINKS, flavour=named("svelte")
    )  # the English {#id} is injected: links keep working
    assert [c.code for c in site_conflicts(svelte, inject_anchors=True)] == ["toc-anchors", "toc-heading"]
    found = [c for c in site_conflicts(svelte, inject_anchors=False) if c.code == "heading-links"]
    assert [c.line for c in found] == [12, 16]
    assert "2 same-page links to #internal-links" in found[0].message  # the ToC list counts
    assert (
        "3 same-page links to #groups" in found[1].message
        and 'keep_headings = ["Groups"]' in found[1].message
    )


def test_every_heading_numbered_with_a_linked_one_is_kept() -> None:
    """``#options-1`` names the second "Options": translating the first would renumber it, so both stay."""
    source = "See [the second](#options-1).\n\n## Options\n\nA.\n\n## Options\n\nB.\n\n## Other\n"
    page = parse_page(source, flavour=named("mdx"))
    assert [s.text for s in page.segments if s.kind is SegmentKind.HEADING] == ["Other"]


def test_mdx_keeps_the_table_of_contents_heading_and_never_warns_about_injected_anchors() -> None:
    """remark-toc fills the list under the heading matching its English pattern: MDX keeps it English (no
    ``toc-heading``), and injects no ``{#id}`` (no ``toc-anchors``)."""
    source = "## Table of Contents\n\n## First part\n\nText.\n"
    page = parse_page(source, flavour=named("mdx"))
    assert [s.text for s in page.segments if s.kind.value == "heading"] == ["First part"]
    assert site_conflicts(page, inject_anchors=True) == []
    assert page.render({"h:first-part": "Eerste deel"}) == source.replace("First part", "Eerste deel")
    svelte = parse_page(source, flavour=named("svelte"))  # elsewhere it is a choice (keep_headings)
    assert [s.text for s in svelte.segments if s.kind.value == "heading"] == [
        "Table of Contents",
        "First part",
    ]
