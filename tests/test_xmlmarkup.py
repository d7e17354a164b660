"""Inline markdown ⇄ DeepL XML: markup never reaches the engine as text, and always comes back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from i18n import Segment, parse_page
from i18n.markdown.inline_tokens import link_targets, walk_inline
from i18n.markdown.parser import markdown_parser
from i18n.mt.xmlmarkup import MarkupError, decode, encode

from .deepl_fake import mangle_text, pseudo_translate
from .support import ROOT, SHARED, read_text

KEEP = ("PauseAI", "PauseAI Global", "Discord")


def structure(markdown: str) -> tuple[list[str], list[str]]:
    """Link targets and code spans, as the project's parser sees them."""
    tokens = markdown_parser().parseInline(markdown)
    children = tokens[0].children if tokens else []
    return link_targets(children), [t.content for t in walk_inline(children) if t.type == "code_inline"]


def text_nodes(xml: str) -> list[str]:
    root = ElementTree.fromstring(f"<r>{xml}</r>")  # well-formed, as DeepL's v2 tag handling demands
    return [node for element in root.iter() for node in (element.text, element.tail) if node]


def translated(xml: str, ignore_tags: tuple[str, ...]) -> str:
    """What the fake DeepL answers: every text node upper-cased, markup copied byte for byte."""
    return pseudo_translate(xml, tag_handling="xml", ignore_tags=ignore_tags)


def check(text: str) -> str:
    """Identity, well-formed XML, and a translation keeps link targets and code spans."""
    encoded = encode(text, keep=KEEP)
    assert decode(encoded, encoded.xml) == text
    assert not any("\n" in node for node in text_nodes(encoded.xml)), encoded.xml
    result = decode(encoded, translated(encoded.xml, encoded.ignore_tags))
    assert structure(result) == structure(text), (text, result)
    return result


# --------------------------------------------------------------------------- properties

_FRAGMENTS = [
    "word",
    "Two words",
    " ",
    "*em*",
    "_em_",
    "**s**",
    "__s__",
    "~~d~~",
    '[l](/u "t")',
    "![a](/i.png)",
    "`code`",
    '<abbr title="x">AI</abbr>',
    "<br>",
    "<https://a.b>",
    "&amp;",
    "\\*",
    "{name}",
    "PauseAI",
    "\n",
    "  \n",
    "[ref][label]",
    "[x][]",
    "[sc]",
    "*",
    "_",
    "[",
    "]",
    "<",
    "&",
    "\\",
    "`",
    "ß",
]

inline_markdown = st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(inline_markdown)
def test_round_trip_and_translation_keep_markup(text: str) -> None:
    check(text)


# --------------------------------------------------------------------------- real pages


def _pages() -> Iterator[Path]:
    yield from sorted((ROOT / "content").glob("*.md"))
    yield from sorted((SHARED / "corpus" / "en").glob("*.md"))  # absent: nothing


def _segments() -> list[Segment]:
    return [segment for page in _pages() for segment in parse_page(read_text(page)).segments]


def test_every_segment_of_every_page_round_trips() -> None:
    segments = _segments()
    assert len(segments) > 50
    for segment in segments:  # every kind, frontmatter and HTML blocks included
        check(segment.text)


# --------------------------------------------------------------------------- the scheme


def test_placeholder_scheme() -> None:
    text = (
        'Join *us* and __PauseAI__ at [the site](/x "T") ![a logo](/i.png)\n'
        'with `code`, <abbr title="x">AI</abbr>, &amp; {name}\\*  \nthen ~~this~~ <https://a.b>.'
    )
    encoded = encode(text, keep=["PauseAI"])
    assert encoded.xml == (
        'Join <em i="1">us</em> and <strong i="2"><x i="3"/></strong> at <a i="4">the site</a> '
        '<img i="5">a logo</img> <br i="6"/>with <x i="7"/>, <span i="8">AI</span>, <x i="9"/> '
        '<x i="10"/><x i="11"/> <br i="12"/>then <s i="13">this</s> <x i="14"/>.'
    )
    assert encoded.ignore_tags == ("x",)
    assert [p.open for p in encoded.placeholders][:6] == ["*", "__", "PauseAI", "[", "![", "\n"]
    assert encoded.placeholders[3].close == '](/x "T")'
    assert encoded.placeholders[11].open == "  \n"
    assert decode(encoded, translated(encoded.xml, encoded.ignore_tags)) == (
        'JOIN *US* AND __PauseAI__ AT [THE SITE](/x "T") ![A LOGO](/i.png)\n'
        'WITH `code`, <abbr title="x">AI</abbr>, &amp; {name}\\*  \nTHEN ~~THIS~~ <https://a.b>.'
    )


def test_reference_links_keep_their_labels() -> None:
    encoded = encode("Ask in [our chat][discord], [our chat][] or [discord].")
    assert encoded.xml == 'Ask in <a i="1">our chat</a>, <a i="2">our chat</a> or <a i="3">discord</a>.'
    out = decode(
        encoded, 'Frag in <a i="1">unserem Chat</a>, <a i="2">unserem Chat</a> oder <a i="3">discord</a>.'
    )
    # a collapsed reference `[text][]` whose text changed names its label explicitly
    assert out == "Frag in [unserem Chat][discord], [unserem Chat][our chat] oder [discord]."
    # so does a shortcut reference `[label]` (and a shortcut image `![alt]`): the label stays the key
    out = decode(encoded, 'Frag in <a i="1">Chat</a>, <a i="2">Chat</a> oder <a i="3">Discord-Kanal</a>.')
    assert out.endswith("oder [Discord-Kanal][discord].")
    image = encode("![Blog] and [schema.json][^1]")
    assert image.xml == '<img i="1">Blog</img> and <a i="2">schema.json</a><x i="3"/>'
    assert decode(image, '<img i="1">Weblog</img> en <a i="2">schema</a><x i="3"/>') == (
        "![Weblog][Blog] en [schema][schema.json][^1]"
    )


@pytest.mark.parametrize(
    ("text", "xml"),
    [
        # citations: the link is `[1]` to the URL (the page defines no `[1]`), not `[1]` between brackets
        ("See [[1]](https://a.b/c) now.", 'See <a i="1"><x i="2"/></a> now.'),
        ('[[ref][label]\\[l](/u "t")', '<a i="1"><a i="2">ref</a><x i="3"/>l</a>'),
        ("a [b [c] d](/u) e", 'a <a i="1">b <x i="2"/> d</a> e'),
        ("[a][b](/u)", '[a]<a i="1">b</a>'),  # a reference right before `(`: the inline link wins
        ("[a [b](/c)](/d)", '[a <a i="1">b</a>](/d)'),  # links do not nest: the outer brackets are text
    ],
)
def test_an_inline_link_whose_label_holds_brackets_is_one_link(text: str, xml: str) -> None:
    """Every URL is inside a tag: none is left as text the engine could translate."""
    encoded = encode(text)
    assert encoded.xml == xml
    assert decode(encoded, translated(encoded.xml, encoded.ignore_tags)).count("](/") == text.count("](/")


def test_keep_terms_are_whole_word_and_case_sensitive() -> None:
    encoded = encode("PauseAI Global, PauseAI's, PauseAIs, pauseai and #PauseAI", keep=KEEP)
    assert encoded.xml == '<x i="1"/>, <x i="2"/>\'s, PauseAIs, pauseai and #<x i="3"/>'
    assert [p.open for p in encoded.placeholders] == ["PauseAI Global", "PauseAI", "PauseAI"]


def test_line_breaks_survive_spacing_changes() -> None:
    encoded = encode("one\ntwo  \nthree\\\n   four")
    assert encoded.xml == 'one <br i="1"/>two <br i="2"/>three <br i="3"/>four'
    assert decode(encoded, 'eins<br i="1"/>  zwei <br i="2"/>drei<br i="3"/> vier') == (
        "eins\nzwei  \ndrei\\\n   vier"
    )


def test_text_is_escaped_and_unescaped() -> None:
    encoded = encode("a < b > c & d \u00a0\0\r")
    assert encoded.xml == 'a &lt; b &gt; c &amp; d \u00a0<x i="1"/><x i="2"/>'
    assert decode(encoded, 'A &lt; B &gt; C &amp; D <x i="1"/><x i="2"/>') == "A < B > C & D \0\r"


def test_nested_and_unpaired_html() -> None:
    encoded = encode('<a href="/x">go <b>now</b></a> <i>open <img src="x.png"/> </u>')
    assert encoded.xml == (
        '<span i="1">go <span i="2">now</span></span> <x i="3"/>open <x i="4"/> <x i="5"/>'
    )


def test_reordered_elements_are_accepted() -> None:
    text = "Read [the guide](/g) and `run` *now*"
    encoded = encode(text)
    reordered = mangle_text(encoded.xml, "reorder_tags")
    assert reordered != encoded.xml
    assert decode(encoded, reordered) == "Read *now* and `run` [the guide](/g)"
    assert decode(encoded, '<em i="3">jetzt</em> <a i="1">den Leitfaden</a> <x i="2"/> lesen') == (
        "*jetzt* [den Leitfaden](/g) `run` lesen"
    )


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        ('Lies <a i="1">das</a> <em i="3">jetzt</em>', "placeholder 2 (code span `run`) missing"),
        (
            'Lies <a i="1">das</a> <x i="2"/><x i="2"/> <em i="3">jetzt</em>',
            "placeholder 2 (code span `run`) duplicated",
        ),
        ('Lies <a i="1">das</a> <y i="2"/> <em i="3">jetzt</em>', "placeholder 2 (code span `run`) renamed"),
        ('Lies <a i="1">das</a> <x i="2">x</x> <em i="3">jetzt</em>', "is not empty"),
        ('Lies <a i="1">das</a> <x i="2"/> <em i="4">jetzt</em>', "unknown placeholder <em i='4'>"),
        ('Lies <a i="1">das</a> <x/> <x i="2"/> <em i="3">jetzt</em>', "unknown placeholder <x i=''>"),
        ('Lies <a i="1">das <x i="2"/> <em i="3">jetzt</em>', "not well-formed"),
        ('Lies <a i="1">das</a> <x i="2"/> <em i="3">jetzt</a>', "not well-formed"),
    ],
)
def test_lost_added_renamed_or_unbalanced_tags_are_errors(xml: str, message: str) -> None:
    encoded = encode("Read [the guide](/g) `run` *now*")
    with pytest.raises(MarkupError, match=message.replace("(", r"\(").replace(")", r"\)")):
        decode(encoded, xml)


def test_fake_deepl_dropping_a_tag_is_an_error() -> None:
    encoded = encode("Read [the guide](/g) and `run` *now*")
    with pytest.raises(MarkupError, match=r"placeholder 1 .* missing"):
        decode(encoded, mangle_text(encoded.xml, "drop_tag"))
    assert isinstance(MarkupError("x"), ValueError)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(["word", " ", "PauseAI", "Discord", "\n", "*", "_", "`", "[", "]", "(", ")", "!",
                         "<b>", "&amp;", "{x}", "\\", "~", "-", "#", ":", "é", "\u00a0", "\t"]),
        max_size=12,
    )
)  # fmt: skip
def test_plain_text_shortcut_encodes_like_the_parse(pieces: list[str]) -> None:
    """Texts without inline syntax skip the markdown-it parse; the XML is the same as with it."""
    import re

    import i18n.mt.xmlmarkup as xm

    text = "".join(pieces)
    quick = encode(text, keep=KEEP)
    saved = xm._STARTS_SYNTAX
    xm._STARTS_SYNTAX = re.compile("")  # always parse
    try:
        assert encode(text, keep=KEEP) == quick
    finally:
        xm._STARTS_SYNTAX = saved
