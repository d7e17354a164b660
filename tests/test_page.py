"""The segmenter and byte-faithful write-back."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from i18n import PageError, RenderError, SegmentKind, parse_page, read_page
from i18n.segments import source_hash

from .support import FIXTURES, ROOT, SHARED, golden, read_text

PAGES = sorted([*(FIXTURES / "pages").glob("*.md"), *(FIXTURES / "site").glob("*.md")])
CONTENT = sorted((ROOT / "content").glob("*.md"))
CORPUS = sorted((SHARED / "corpus" / "en").glob("*.md")) if (SHARED / "corpus").exists() else []
_LEADING_TAGS = re.compile(r"^((?:<[^>]+>\s*)*)")


def mark(kind: SegmentKind, text: str) -> str:
    """A deterministic stand-in translation that keeps markup valid."""
    if kind is SegmentKind.HTML:
        return _LEADING_TAGS.sub(lambda m: m.group(1) + "NL ", text, count=1)
    return "NL " + text


@pytest.mark.parametrize("path", PAGES + CONTENT, ids=lambda p: p.name)
def test_golden_segments(path: Path) -> None:
    page = parse_page(read_text(path), path=path.name)
    rows = [
        {"id": s.id, "kind": s.kind.value, "line": s.line, "anchor": s.anchor, "text": s.text}
        for s in page.segments
    ]
    actual = json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    golden(FIXTURES / "golden" / f"{path.stem}.segments.json", actual)


@pytest.mark.parametrize("path", PAGES + CONTENT, ids=lambda p: p.name)
def test_golden_translated(path: Path) -> None:
    page = parse_page(read_text(path), path=path.name)
    rendered = page.render({s.id: mark(s.kind, s.text) for s in page.segments})
    golden(FIXTURES / "golden" / f"{path.stem}.translated.md", rendered)


@pytest.mark.parametrize("path", PAGES + CONTENT + CORPUS, ids=lambda p: p.name)
def test_identity_round_trip_is_byte_exact(path: Path) -> None:
    source = read_text(path)
    page = parse_page(source, path=path.name)
    assert page.segments, "a real page yields segments"
    assert page.render({}) == source
    assert page.render({s.id: s.text for s in page.segments}) == source


@pytest.mark.parametrize("path", PAGES + CONTENT + CORPUS, ids=lambda p: p.name)
def test_translating_every_segment_keeps_structure(path: Path) -> None:
    page = parse_page(read_text(path), path=path.name)
    translations = {s.id: mark(s.kind, s.text) for s in page.segments}
    rendered = page.render(translations)  # raises RenderError if the structure changed
    again = parse_page(rendered)
    assert [s.id for s in again.segments] == [s.id for s in page.segments]
    for segment in again.segments:
        if segment.kind is not SegmentKind.HEADING:
            assert segment.text == translations[segment.id]


def test_ids_are_unique_and_structural() -> None:
    for path in PAGES + CONTENT + CORPUS:
        ids = [s.id for s in parse_page(read_text(path)).segments]
        assert len(ids) == len(set(ids)), path
        assert not any(re.fullmatch(r"\d+", i) for i in ids)


def test_ids_in_other_sections_survive_an_insertion() -> None:
    source = "## One\n\nFirst.\n\n## Two\n\nSecond.\n\n- item\n"
    edited = "## One\n\nNew paragraph.\n\nFirst.\n\n## Two\n\nSecond.\n\n- item\n"
    before = {s.id: s.text for s in parse_page(source).segments}
    after = {s.id: s.text for s in parse_page(edited).segments}
    assert before["two/p1"] == after["two/p1"] == "Second."
    assert before["two/ul1/li1/p1"] == after["two/ul1/li1/p1"] == "item"
    assert after["one/p2"] == "First."


# -- what is and is not a segment ---------------------------------------------------------------


def kinds(source: str) -> list[tuple[SegmentKind, str]]:
    return [(s.kind, s.text) for s in parse_page(source).segments]


def test_segment_kinds() -> None:
    source = (
        "---\ntitle: T\ndescription: D\ndate: 2024-01-01\nauthor: Someone\n---\n"
        "# Head\n\nPara *em*.\n\n- item\n\n> quote\n\n| a | b |\n|---|---|\n| c | d |\n\n"
        "![Alt text](/x.png)\n\n<p>Raw prose</p>\n"
    )
    assert kinds(source) == [
        (SegmentKind.FRONTMATTER, "T"),
        (SegmentKind.FRONTMATTER, "D"),
        (SegmentKind.HEADING, "Head"),
        (SegmentKind.PARAGRAPH, "Para *em*."),
        (SegmentKind.PARAGRAPH, "item"),
        (SegmentKind.PARAGRAPH, "quote"),
        (SegmentKind.TABLE_CELL, "a"),
        (SegmentKind.TABLE_CELL, "b"),
        (SegmentKind.TABLE_CELL, "c"),
        (SegmentKind.TABLE_CELL, "d"),
        (SegmentKind.IMAGE_ALT, "Alt text"),
        (SegmentKind.HTML, "Raw prose"),
    ]


@pytest.mark.parametrize(
    "source",
    [
        "```\ncode words\n```\n",
        "    indented code words\n",
        "<script>\nlet words = 'x'\n</script>\n",
        "<style>\n.words { color: red }\n</style>\n",
        "<!-- a comment with words -->\n",
        "<WidgetConsent>\n<p>words in a component</p>\n</WidgetConsent>\n",
        '<Tabs items="a,b">\n',
        "<div>\n<img src='/x.png'>\n</div>\n",
        "[ref]: https://example.com 'Title words'\n",
        "---\n",
        "***\n",
        "{#if shown}\n",
        "#### 2024\n",
        "![IMG_1234.jpg](/IMG_1234.jpg)\n",
        "<https://example.com>\n",
        "`only code`\n",
    ],
)
def test_never_a_segment(source: str) -> None:
    page = parse_page("Words.\n\n" + source)
    assert [s.text for s in page.segments] == ["Words."]


def test_frontmatter_keys_are_configurable() -> None:
    source = "---\ntitle: T\nmetaTitle: M\nslug: s\n---\nBody.\n"
    page = parse_page(source, frontmatter_keys=("title", "metaTitle"))
    assert [s.id for s in page.segments] == ["fm:title", "fm:metaTitle", "_/p1"]


def test_segment_text_keeps_the_sources_own_markup() -> None:
    (segment,) = parse_page("Some __strong__ and _em_ with `code` and [a link](/t 'x').\n").segments
    assert segment.text == "Some __strong__ and _em_ with `code` and [a link](/t 'x')."


def test_lines_are_one_based_file_lines() -> None:
    page = parse_page("\n---\ntitle: T\n---\n\n## H\n\ntext\n")
    assert [(s.id, s.line) for s in page.segments] == [("fm:title", 3), ("h:h", 6), ("h/p1", 8)]


def test_hash_ignores_rewrapping_but_not_words() -> None:
    assert source_hash("one two\nthree") == source_hash("one  two three ")
    assert source_hash("one two three") != source_hash("one two four")
    a = parse_page("One two\nthree.\n").segments[0]
    b = parse_page("- One two three.\n").segments[0]
    assert a.hash == b.hash


# -- rendering ----------------------------------------------------------------------------------


def test_translated_heading_gets_english_slug() -> None:
    page = parse_page("### Scenario 1: €200k funding\n\nText.\n")
    out = page.render({"h:scenario-1-200k-funding": "Scenario 1: €200k financiering"})
    assert out == "### Scenario 1: €200k financiering {#scenario-1-200k-funding}\n\nText.\n"


def test_explicit_anchor_is_kept_and_untranslated_heading_untouched() -> None:
    source = "## Achievements {#done}\n\n## Plans\n\n## Plans\n"
    page = parse_page(source)
    assert [s.anchor for s in page.segments] == ["done", "plans", "plans-1"]
    out = page.render({"h:done": "Prestaties", "h:plans-1": "Plannen"})
    assert out == "## Prestaties {#done}\n\n## Plans\n\n## Plannen {#plans-1}\n"


def test_anchor_injection_can_be_switched_off() -> None:
    page = parse_page("## Plans\n")
    assert page.render({"h:plans": "Plannen"}, inject_anchors=False) == "## Plannen\n"


def test_atx_closing_sequence_and_setext_headings() -> None:
    page = parse_page("## Closed ##\n\nUnder\nline\n---\n")
    out = page.render({"h:closed": "Dicht", "h:underline": "Onder\nlijn"})
    # rehype-slug sees the line ending inside the heading's text, and github-slugger drops it
    assert out == "## Dicht {#closed} ##\n\nOnder\nlijn {#underline}\n---\n"


def test_multiline_translation_gets_container_prefix() -> None:
    page = parse_page("> - one line\n\n1.  item\n    more\n")
    out = page.render({"_/q1/ul1/li1/p1": "een\ntwee", "_/ol1/li1/p1": "a\nb\nc"})
    assert out == "> - een\n>   twee\n\n1.  a\n    b\n    c\n"


def test_shorter_translation_keeps_source_layout_of_remaining_lines() -> None:
    page = parse_page("> first\n> second\n> third\n")
    assert page.render({"_/q1/p1": "een\ntwee"}) == "> een\n> twee\n"


def test_crlf_and_missing_final_newline_are_kept() -> None:
    page = parse_page("Line one\r\nline two\r\n\r\n- item")
    out = page.render({"_/p1": "Regel een\nregel twee\nregel drie", "_/ul1/li1/p1": "ding"})
    assert out == "Regel een\r\nregel twee\r\nregel drie\r\n\r\n- ding"


def test_table_cell_translation_escapes_pipes() -> None:
    page = parse_page("| a | b |\n|---|---|\n| one | two |\n")
    out = page.render({"_/table1/r2c1": "een | uno"})
    assert out == "| a | b |\n|---|---|\n| een \\| uno | two |\n"


def test_image_alt_is_spliced_in_place() -> None:
    page = parse_page('![A stall](/s.jpg "Title")\n')
    assert page.render({"_/p1/alt": "Een kraam"}) == '![Een kraam](/s.jpg "Title")\n'


@pytest.mark.parametrize(
    ("translation", "written"),
    [
        ("Plain title", "Plain title"),
        ("Waarom: pauzeren", '"Waarom: pauzeren"'),
        ("#hashtag", '"#hashtag"'),
        ("yes", '"yes"'),
        ('Say "hi"', 'Say "hi"'),
    ],
)
def test_frontmatter_values_are_quoted_when_yaml_needs_it(translation: str, written: str) -> None:
    source = "---\ntitle: Title\nimage: /x.png # keep\n---\nBody.\n"
    out = parse_page(source).render({"fm:title": translation})
    assert out == f"---\ntitle: {written}\nimage: /x.png # keep\n---\nBody.\n"
    data = yaml.safe_load(out.split("---\n")[1])
    assert data == {"title": translation, "image": "/x.png"}


def test_frontmatter_quote_style_and_block_scalars() -> None:
    source = "---\ntitle: 'It''s'\ndescription: >\n  Folded\n  text\nlayout: x\n---\n"
    page = parse_page(source)
    assert [s.text for s in page.segments] == ["It's", "Folded text"]
    out = page.render({"fm:title": "Het is", "fm:description": "Gevouwen tekst"})
    assert out == "---\ntitle: 'Het is'\ndescription: \"Gevouwen tekst\"\nlayout: x\n---\n"


# -- the safety check ---------------------------------------------------------------------------


def test_render_refuses_a_new_block() -> None:
    page = parse_page("First.\n\nSecond [link](/a).\n", path="p.md")
    with pytest.raises(RenderError, match=r"p\.md:1: .*'_/p1'.*block structure"):
        page.render({"_/p1": "Eerste.\n\n# Kop"})


def test_render_refuses_a_changed_link_target() -> None:
    page = parse_page("First.\n\nSecond [link](/a).\n", path="p.md")
    with pytest.raises(RenderError, match=r"p\.md:3: .*'_/p2'.*link targets"):
        page.render({"_/p2": "Tweede [link](/urgentie)."})


def test_render_allows_reordered_links() -> None:
    page = parse_page("[a](/a) and [b](/b).\n")
    assert page.render({"_/p1": "[b](/b) en [a](/a)."}) == "[b](/b) en [a](/a).\n"


def test_render_refuses_a_heading_translation_with_its_own_id() -> None:
    page = parse_page("## Plans\n\nText.\n", path="p.md")
    with pytest.raises(RenderError, match=r"p\.md:1: .*'h:plans'.*heading anchors"):
        page.render({"h:plans": "Plannen {#plannen}"})


# -- bad input ----------------------------------------------------------------------------------


def test_invalid_utf8_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(b"ok\nstill ok\nbad \xff byte\n")
    with pytest.raises(PageError, match=r"bad\.md:3: not valid UTF-8"):
        read_page(path)


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    with pytest.raises(PageError, match=r"image\.md:\d+: binary file"):
        read_page(path)


def test_unparseable_frontmatter_names_file_and_line() -> None:
    with pytest.raises(PageError, match=r"page\.md:3: unparseable frontmatter"):
        parse_page("---\ntitle: ok\ndescription: a: b\nnext: x\n---\n", path="page.md")


def test_frontmatter_that_is_not_a_mapping() -> None:
    with pytest.raises(PageError, match=r"page\.md:2: frontmatter is not a YAML mapping"):
        parse_page("---\n- a\n- b\n---\n", path="page.md")


def test_an_aligned_table_is_re_padded_to_the_translated_widths() -> None:
    page = parse_page("| Scenario   | Budget |\n|------------|--------|\n| No funding | €0     |\n")
    out = page.render({"_/table1/r2c1": "Geen"})
    assert out == "| Scenario | Budget |\n|----------|--------|\n| Geen     | €0     |\n"  # shorter
    out = page.render({"_/table1/r2c1": "Geen financiering", "_/table1/r1c2": "Begroting"})
    assert out.splitlines() == [
        "| Scenario          | Begroting |",
        "|-------------------|-----------|",
        "| Geen financiering | €0        |",
    ]
    assert page.render({"_/table1/r2c1": "No funding"}) == page.source  # identity: untouched


def test_re_padding_keeps_alignment_markers_containers_and_line_endings() -> None:
    source = "> | Item | Cost | Note |\r\n> | :--- | ---: | :--: |\r\n> | Tea  |   12 |  ok  |\r\n"
    page = parse_page(source)
    out = page.render(
        {
            "_/q1/table1/r1c1": "Artikel",
            "_/q1/table1/r2c1": "Thee",
            "_/q1/table1/r1c3": "Opmerking",
        }
    )
    assert out == (
        "> | Artikel | Cost | Opmerking |\r\n"
        "> | :------ | ---: | :-------: |\r\n"
        "> | Thee    |   12 |    ok     |\r\n"
    )
    translated = parse_page(out)
    assert [s.id for s in translated.segments] == [s.id for s in page.segments]


def test_wide_characters_count_double_when_re_padding() -> None:
    page = parse_page("| Name | Role |\n| ---- | ---- |\n| Ann  | Lead |\n")
    out = page.render({"_/table1/r2c1": "安"})
    assert out.splitlines()[2] == "| 安   | Lead |"


def test_a_table_without_aligned_pipes_is_not_padded() -> None:
    page = parse_page("|Scenario|Budget|\n|-|-|\n|No funding|€0|\n")
    assert page.render({"_/table1/r2c1": "Geen"}) == "|Scenario|Budget|\n|-|-|\n|Geen|€0|\n"
    no_outer = parse_page("Scenario   | Budget\n---------- | ------\nNo funding | €0\n")
    assert (
        no_outer.render({"_/table1/r2c1": "Geen"}) == "Scenario   | Budget\n---------- | ------\nGeen | €0\n"
    )
