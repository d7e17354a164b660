"""MkDocs + Material + pymdown-extensions (pinned, ``tests/generators/mkdocs/``) as the judge: the fixture
site built in English and pseudo-translated (``i18n build --pseudo``) gives the same pages at the same URLs,
the same hrefs/srcs, ids and element counts, and no new warning; and the readings each fix made."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from i18n.checks import check_translation
from i18n.markdown.flavours import flavour as named
from i18n.markdown.flavours.mkdocs_site import pin_slug, post_slug, read_site
from i18n.markdown.page import parse_page
from i18n.mt.xmlmarkup import decode, encode
from tests.generators import mkdocs_site

CORPUS = Path(__file__).parents[2] / "shared" / "corpus" / "flavours" / "mkdocs"


def _require_mkdocs() -> None:
    reason = mkdocs_site.unavailable()
    if reason is None:
        return
    if os.environ.get("I18N_GENERATORS_REQUIRED"):
        pytest.fail(f"I18N_GENERATORS_REQUIRED is set but {reason}")
    pytest.skip(reason)


def test_fixture_site_builds_the_same_translated(tmp_path: Path) -> None:
    _require_mkdocs()
    result, english, translated = mkdocs_site.judge(mkdocs_site.FIXTURE_SITE, tmp_path)
    assert english.returncode == 0, english.log[-2000:]
    assert english.warnings == [], english.warnings  # the fixtures themselves build clean
    assert len(english.pages) >= 9 and "/blog/2026/03/15/excluding-pages-from-search/" in english.pages
    guide = english.pages["/guide/"]
    for element in (
        "admonitions",
        "details",
        "tabs",
        "code blocks",
        "tables",
        "definition lists",
        "block math",
    ):
        assert guide.elements[element] > 0, element  # the fixtures cover what is compared
    home = english.pages["/"]
    for element in ("buttons", "footnote references", "magic links", "task items", "keys", "emoji", "images"):
        assert home.elements[element] > 0, element
    assert result.failures() == {}, result.failures()
    assert mkdocs_site.PSEUDO_MARK in translated.pages["/guide/"].text


def test_fixture_site_with_pymdownx_heading_slugs(tmp_path: Path) -> None:
    """Material's own setting, ``toc: slugify: pymdownx.slugs.slugify(case=lower)``: Unicode ids, each space
    a ``-``; the injected English ids must be those."""
    _require_mkdocs()
    site = tmp_path / "site"
    shutil.copytree(mkdocs_site.FIXTURE_SITE, site)
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - toc:\n      permalink: true\n",
            "  - toc:\n      permalink: true\n      slugify: !!python/object/apply:pymdownx.slugs.slugify\n"
            "        kwds:\n          case: lower\n",
        ),
        encoding="utf-8",
    )
    guide = site / "docs" / "guide.md"
    guide.write_text(
        guide.read_text(encoding="utf-8") + "\n## Café – naïve setup\n\nWords.\n\n## A - B\n\nMore words.\n",
        encoding="utf-8",
    )
    result, english, _ = mkdocs_site.judge(site, tmp_path / "work")
    assert "café--naïve-setup" in english.pages["/guide/"].ids and "a---b" in english.pages["/guide/"].ids
    assert result.failures() == {}, result.failures()


def test_the_comparison_sees_a_moved_post_and_a_lost_button(tmp_path: Path) -> None:
    """Not vacuous: a translated post title without ``slug:`` moves the post; a lost button is counted."""
    _require_mkdocs()
    site = tmp_path / "site"
    shutil.copytree(mkdocs_site.FIXTURE_SITE, site)
    config = site / "mkdocs.yml"
    english = mkdocs_site.mkdocs_build(config, site / "docs", tmp_path / "en")
    post = site / "docs" / "blog" / "posts" / "excluding.md"
    post.write_text(
        post.read_text(encoding="utf-8").replace("title: Excluding", "title: Leaving"), encoding="utf-8"
    )
    changelog = site / "docs" / "changelog.md"
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace("{ .md-button }", ""), encoding="utf-8"
    )
    changed = mkdocs_site.mkdocs_build(config, site / "docs", tmp_path / "xx")
    found = mkdocs_site.compare(english, changed).failures()
    assert "/blog/2026/03/15/excluding-pages-from-search/" in found["pages missing (URLs)"]  # type: ignore[operator]
    assert "buttons" in found["element counts"]["/changelog/"]  # type: ignore[index]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs ../shared/corpus/flavours/mkdocs")
def test_corpus_pages_build_the_same_translated(tmp_path: Path) -> None:
    _require_mkdocs()
    site = mkdocs_site.site_of_pages(CORPUS, tmp_path / "source")
    result, _, _ = mkdocs_site.judge(site, tmp_path / "work")
    assert result.failures() == {}, result.summary()


# -- the readings, each as MkDocs reads it (no MkDocs needed) -------------------------------------------


def _render_all(text: str, prefix: str = "X ") -> str:
    page = parse_page(text, flavour=named("mkdocs"))
    return page.render({s.id: prefix + s.text for s in page.segments})


def test_attribute_list_id_key_is_the_anchor() -> None:
    page = parse_page('### 9.7.6 <small>March 19, 2026</small> { id="9.7.6" }\n', flavour=named("mkdocs"))
    assert page.segments[0].anchor == "9.7.6"
    assert _render_all('### 9.7.6 <small>March 19</small> { id="9.7.6" }\n') == (
        '### X 9.7.6 <small>March 19</small> { id="9.7.6" }\n'
    )


def test_idless_attribute_list_gets_the_english_id() -> None:
    text = "## Changes { data-search-exclude }\n\n## Changes { data-search-exclude }\n\n## Tip {:.c}\n"
    assert _render_all(text) == (
        "## X Changes { #changes data-search-exclude }\n\n## X Changes { #changes_1 data-search-exclude }\n\n"
        "## X Tip {: #tip .c}\n"
    )


def test_icon_codes_are_not_in_the_mkdocs_slug() -> None:
    assert (
        _render_all("# Adding a :material-star: badge\n")
        == "# X Adding a :material-star: badge {#adding-a-badge}\n"
    )


def test_javascript_reference_definition_is_a_definition() -> None:
    page = parse_page("[Go][Demo]{ .md-button }\n\n[Demo]: javascript:alert('x')\n", flavour=named("mkdocs"))
    assert [s.text for s in page.segments] == ["[Go][Demo]{ .md-button }"]


def test_mentions_are_placeholders() -> None:
    encoded = encode("Thanks to @squidfunk and @org/repo, mail a@b.org")
    assert "@squidfunk" not in encoded.xml and "@org/repo" not in encoded.xml
    sha = "7d1b1902ea7fe00043a249564ed5032f08dd7152"
    commits = encode(f"See ({sha}) and {sha}...{sha} here")
    assert (
        sha not in commits.xml
        and commits.xml.startswith("See (<x")
        and decode(commits, commits.xml).endswith(" here")
    )
    assert "a@b.org" in encoded.xml or "mail" in encoded.xml


def test_definition_opening_with_a_block_keeps_its_admonition() -> None:
    text = "`cache`\n\n:   !!! note\n\n        The cache is optional.\n\n    Keep it on a fast disk.\n"
    page = parse_page(text, flavour=named("mkdocs"))
    assert {s.text for s in page.segments} == {"The cache is optional.", "Keep it on a fast disk."}
    assert _render_all(text).count("!!! note") == 1


def test_definition_whose_term_is_an_html_comment() -> None:
    """Python-Markdown's def_list: the line before `:   ` is the term, an HTML comment too."""
    text = "<!-- option: x -->\n:   !!! tip\n\n        Made when missing.\n\n    Any folder works.\n"
    page = parse_page(text, flavour=named("mkdocs"))
    assert [s.text for s in page.segments] == ["Made when missing.", "Any folder works."]
    assert _render_all(text).count(":   !!! tip\n") == 1


def test_tab_labels_kept_where_tab_ids_are_slugs(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "markdown_extensions:\n  - pymdownx.tabbed:\n"
        "      slugify: !!python/object/apply:pymdownx.slugs.slugify\n"
        "        kwds:\n          case: lower\nplugins:\n  - search\n  - blog:\n      blog_dir: news\n",
        encoding="utf-8",
    )
    site = read_site(tmp_path, tmp_path)
    assert (
        site is not None and site.tab_slugs and site.posts == "docs/news/posts/" and site.toc_slugify is None
    )
    (tmp_path / "mkdocs.yml").write_text("markdown_extensions:\n  - pymdownx.tabbed\n", encoding="utf-8")
    assert read_site(tmp_path, tmp_path) == (None, False, None)
    (tmp_path / "mkdocs.yml").write_text(
        "plugins:\n  blog:\n    enabled: false\nmarkdown_extensions:\n  - toc:\n"
        "      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}\n",
        encoding="utf-8",
    )
    assert read_site(tmp_path, tmp_path) == (None, False, "lower")


def test_post_slug_pinned() -> None:
    assert post_slug("First light: Lantern goes <em>public</em>") == "first-light-lantern-goes-public"
    source = "---\ndate: 2026-03-01\n---\n\n# Title\n"
    assert pin_slug(source, source.replace("# Title", "# Titel"), "title-x") == (
        "---\ndate: 2026-03-01\nslug: title-x\n---\n\n# Titel\n"
    )
    pinned = "---\nslug: own\n---\n\n# Title\n"
    assert pin_slug(pinned, pinned.replace("# Title", "# Titel"), "title") == pinned.replace(
        "# Title", "# Titel"
    )


def test_translated_shortcut_references_keep_their_key() -> None:
    text = (
        "Use [search], a [changelog][] and ![Lantern logo] [sic].\n\n[search]: a.md\n[changelog]: c.md\n"
        "[Lantern logo]: x.png\n"
    )
    page = parse_page(text, flavour=named("mkdocs"))
    (segment,) = page.segments
    encoded = encode(segment.text)
    translated = "".join(
        {"search": "zoeken", "changelog": "logboek", "Lantern logo": "logo", "sic": "zo"}.get(part, part)
        for part in re.split(r"(search|changelog|Lantern logo|sic)", encoded.xml)
    )
    out = page.render({segment.id: decode(encoded, translated)})
    # defined labels stay the keys; literal brackets (no `[sic]:` definition) stay brackets
    assert out.startswith("Use [zoeken][search], a [logboek][changelog] and ![logo][Lantern logo] [zo].\n")
    assert check_translation(segment.text, decode(encoded, translated), segment.kind) == ()


def test_shortcut_reference_before_a_footnote_is_a_link() -> None:
    """`[schema.json][^1]`: Python-Markdown links `[schema.json]`, then the footnote."""
    text = "Its own [schema.json][^1] file.\n\n[^1]: Draft 7.\n\n[schema.json]: s.json\n"
    page = parse_page(text, flavour=named("mkdocs"))
    assert "s.json" in page._structure.targets
    encoded = encode(page.segments[0].text)
    translated = decode(
        encoded, encoded.xml.replace(">schema.json<", ">het schema<").replace("file", "bestand")
    )
    assert translated == "Its own [het schema][schema.json][^1] bestand."
    assert "[het schema][schema.json][^1]" in page.render({page.segments[0].id: translated})
