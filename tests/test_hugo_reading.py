"""Hugo pages read as Hugo reads them, without Hugo (tests/test_generator_hugo.py builds them with it):
text that is also a key stays a key, data in shortcodes stays data, ids made from text stay the English
ones, passthrough math is not prose."""

from __future__ import annotations

from pathlib import Path

from i18n import SegmentKind, parse_page
from i18n.checks import Problem, check_translation
from i18n.jobs.pseudo import pseudo_text
from i18n.markdown.flavours import flavour as named

P = SegmentKind.PARAGRAPH


def _texts(source: str) -> dict[str, str]:
    return {s.id: s.text for s in parse_page(source, flavour=named("hugo")).segments}


def _pseudo(source: str) -> str:
    page = parse_page(source, flavour=named("hugo"))
    translations = {s.id: pseudo_text(s.text) or s.text for s in page.segments}
    return page.render(translations)


def test_a_glossary_link_keeps_its_text_the_key_its_render_hook_looks_up() -> None:
    source = "Each page has an [archetype](g) and a [link](/docs/).\n\n[shortcode](g)\n"
    texts = list(_texts(source).values())
    assert texts == ["Each page has an [archetype](g) and a [link](/docs/)."]  # a key alone is no prose
    built = _pseudo(source)
    assert "[archetype](g)" in built and "[shortcode](g)" in built
    assert "Each page" not in built and "[link]" not in built  # the rest is translated
    translated = "Elke pagina heeft een [archetype-nl](g) en een [link](/docs/)."
    assert [v.problem for v in check_translation(texts[0], translated, P)] == [Problem.PLACEHOLDERS]
    assert check_translation(texts[0], translated.replace("archetype-nl", "archetype"), P) == ()


def test_a_shortcode_param_is_prose_only_where_the_shortcode_shows_it() -> None:
    source = (
        '{{< figure src="/a.png" alt="A diagram" caption="How it works" >}}\n\n'
        '{{< qr text="tel:+15551234567" alt="Call us" />}}\n\n'
        '{{< mywidget title="Not known to be shown" text="data" >}}\n'
    )
    texts = sorted(_texts(source).values())
    assert texts == ["A diagram", "Call us", "How it works"]


def test_a_qr_body_is_data_not_markdown() -> None:
    source = "{{< qr >}}\nBEGIN:VCARD\nN:Doe;John\nEND:VCARD\n{{< /qr >}}\n\nWords after it.\n"
    assert list(_texts(source).values()) == ["Words after it."]
    assert "BEGIN:VCARD\nN:Doe;John\nEND:VCARD" in _pseudo(source)


def test_passthrough_display_math_is_not_prose() -> None:
    source = "Before the formula.\n\n\\[\n\\int_a^b f(x)\\,dx = F(b) - F(a)\n\\]\n\nAfter it.\n"
    assert sorted(_texts(source).values()) == ["After it.", "Before the formula."]
    assert "\\int_a^b f(x)\\,dx = F(b) - F(a)" in _pseudo(source)


def test_a_term_the_page_links_to_keeps_its_text_others_are_translated() -> None:
    source = "Build speed\n: How fast. See [render hooks](#render-hooks).\n\nRender hooks\n: Templates.\n"
    texts = _texts(source)
    assert "Build speed" in texts.values() and "Render hooks" not in texts.values()
    built = _pseudo(source)
    assert "\nRender hooks\n" in built and "Build speed" not in built


def test_a_terms_id_counts_before_a_later_heading_of_the_same_text() -> None:
    """Hugo (autoDefinitionTermID) gives the term ``options`` and the heading after it ``options-1``; the
    term is kept, as translating it would make an untranslated heading ``options``."""
    source = "Options\n: A term.\n\n## Options\n\nText.\n\nOther\n: Another term.\n"
    page = parse_page(source, flavour=named("hugo"))
    assert [h.anchor for h in page.headings()] == ["options-1"]
    assert sorted(s.text for s in page.segments if s.kind is SegmentKind.TERM) == ["Other"]
    heading = next(s for s in page.segments if s.kind is SegmentKind.HEADING)
    assert "## Opties {#options-1}\n" in page.render({heading.id: "Opties"})


def test_heading_ids_are_made_after_goldmarks_typographer_not_in_code() -> None:
    """Hugo's ids for these headings (0.168.0): ``--`` and ``---`` in text are dashes (dropped), in code not;
    the site's smartypants setting is for mdsvex, not Hugo."""
    source = "## The `--minify` flag -- and more\n\n## x---y and a--b\n\n## a ---- b\n\n## a - b\n"
    for dashes in (False, True):
        page = parse_page(source, flavour=named("hugo"), smartypants_dashes=dashes)
        assert [h.anchor for h in page.headings()] == [
            "the---minify-flag--and-more",
            "xy-and-ab",
            "a---b",
            "a---b-1",
        ]


def test_a_translated_heading_with_an_attribute_list_gets_the_english_id_inside_it() -> None:
    """Goldmark reads only the last ``{…}`` of a heading: ``{#id}`` goes into the list, not before it."""
    source = "## A heading with a class {.special}\n\n## Spaced { data-x }\n\n## Kept {#mine .x}\n"
    page = parse_page(source, flavour=named("hugo"))
    built = page.render({s.id: "Vertaald" for s in page.segments})
    assert built == (
        "## Vertaald {#a-heading-with-a-class .special}\n\n## Vertaald { #spaced data-x }\n\n"
        "## Vertaald {#mine .x}\n"
    )
    assert [h.anchor for h in parse_page(built, flavour=named("hugo")).headings()] == [
        "a-heading-with-a-class",
        "spaced",
        "mine",
    ]


def test_a_heading_holding_a_shortcode_is_kept_its_id_is_the_shortcodes_output() -> None:
    source = (
        '## New {{< badge label="x" />}}\n\n## With {{% badge %}} output\n\n'
        "## The `{{</* x */>}}` shortcode\n\n## Pinned {{< badge />}} {#pinned}\n"
    )
    texts = sorted(_texts(source).values())
    assert texts == ["Pinned {{< badge />}}", "The `{{</* x */>}}` shortcode"]


def test_an_image_in_a_heading_counts_with_its_alt_text_for_its_id() -> None:
    page = parse_page("## With an ![icon](/i.png) image\n", flavour=named("hugo"))
    assert [h.anchor for h in page.headings()] == ["with-an-icon-image"]


def test_terms_sharing_an_id_with_a_linked_term_are_kept_other_repeats_translated() -> None:
    """``Step 2`` twice is ``step-2`` and ``step-2-1``: with a link to ``#step-2`` both stay, as translating
    the first would make the second ``step-2``; ``Step 1`` twice, unlinked, is translated."""
    source = (
        "Step 1\n: One.\n\nStep 2\n: Two.\n\n## Later\n\n"
        "Step 1\n: Again.\n\nStep 2\n: Again, see [it](#step-2).\n"
    )
    terms = [s.text for s in parse_page(source, flavour=named("hugo")).segments if s.kind is SegmentKind.TERM]
    assert terms == ["Step 1", "Step 1"]


def test_a_link_to_a_ref_shortcode_is_a_link_its_label_translated_its_target_kept() -> None:
    from i18n.mt.xmlmarkup import encode

    text = 'Find a venue near [public transport]({{< ref "transport.md" >}}).'
    assert encode(text).xml == 'Find a venue near <a i="1">public transport</a>.'
    built = _pseudo(f"1. {text}\n")
    assert built.endswith(']({{< ref "transport.md" >}}).\n') and "public" not in built
    moved = 'Vind een zaal bij [het openbaar vervoer]({{< ref "elders.md" >}}).'
    assert Problem.LINK_TARGETS in [v.problem for v in check_translation(text, moved, P)]


def test_pages_of_a_slug_section_keep_their_english_url_in_every_frontmatter_format(tmp_path: Path) -> None:
    """A section whose permalinks use ``:slug`` (old and new ``[permalinks]`` forms, TOML and YAML
    configuration): a translated page gets ``slug`` = the English title unless it sets one; pages of
    other sections are untouched."""
    from click.testing import CliRunner

    from i18n.cli import main
    from i18n.markdown.flavours.hugo_site import slug_sections

    (tmp_path / "hugo.toml").write_text('title = "x"\n[permalinks]\nnews = "/:year/:slug/"\n')
    (tmp_path / "pyproject.toml").write_text('[tool.i18n]\nlanguages = ["nl"]\n')
    pages = {
        "news/yaml.md": "---\ntitle: Our first post\n---\n\nSome words here.\n",
        "news/toml.md": '+++\ntitle = "A TOML post"\n+++\n\nSome words here.\n',
        "news/own.md": "---\ntitle: Own slug\nslug: mine\n---\n\nSome words here.\n",
        "docs/page.md": "---\ntitle: A doc page\n---\n\nSome words here.\n",
    }
    for name, text in pages.items():
        (tmp_path / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "content" / name).write_text(text)
    assert slug_sections(tmp_path, tmp_path, tmp_path / "content") == ("content/news/",)
    result = CliRunner().invoke(main, ["--project", str(tmp_path), "build", "--pseudo", "-q"])
    assert result.exit_code == 0, result.output
    built = {name: (tmp_path / "build" / "en-XA" / name).read_text() for name in pages}
    assert built["news/yaml.md"].startswith("---\ntitle: ") and "slug: Our first post\n---" in built[
        "news/yaml.md"
    ].replace('"Our first post"', "Our first post")
    assert 'slug = "A TOML post"\n+++' in built["news/toml.md"]
    assert built["news/own.md"].count("slug") == 1 and "slug: mine" in built["news/own.md"]
    assert "slug" not in built["docs/page.md"]
    (tmp_path / "hugo.toml").write_text('title = "x"\n[permalinks.page]\ndocs = "/d/:slug/"\n')
    assert slug_sections(tmp_path, tmp_path, tmp_path / "content") == ("content/docs/",)
    (tmp_path / "hugo.toml").unlink()
    (tmp_path / "hugo.yaml").write_text("permalinks:\n  page:\n    news: /:slug/\n    docs: /:title/\n")
    assert slug_sections(tmp_path, tmp_path, tmp_path / "content") == ("content/news/",)
