"""Property tests: identity is byte-exact for any input; rendering never corrupts silently."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from i18n import Page, PageError, RenderError, SegmentKind, parse_page
from i18n.markdown.lines import normalise_newlines
from i18n.markdown.markup import same_markup
from i18n.markdown.page import unkeyed
from i18n.markdown.parser import block_parser
from i18n.mt.pseudo import PseudoEngine
from i18n.mt.xmlmarkup import decode, encode

# Fragments that exercise markdown's block and inline syntax; joined into lines and pages.
_FRAGMENTS = [
    "word",
    "Two words",
    "Ünïcödé",
    "€200k",
    " ",
    "  ",
    "\t",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "2) ",
    "1.  ",
    "> ",
    ">",
    "    ",
    "# ",
    "## ",
    "###### ",
    "#",
    "```",
    "~~~",
    "---",
    "***",
    "===",
    "| a | b |",
    "|---|---|",
    "|",
    "\\|",
    "<div>",
    "</div>",
    "<p>text</p>",
    "<!-- c -->",
    "<script>",
    "</script>",
    "<Card />",
    "*em*",
    "_em_",
    "**strong**",
    "`code`",
    "[link](/url)",
    "[x](<>)",
    "![alt](/i.png)",
    "[ref]",
    "[ref]: /target",
    "<https://a.b>",
    "\\",
    "\\*",
    "&amp;",
    "{#id}",
    "{#if x}",
    "{/if}",
    "~~del~~",
    ":",
    "title: x",
    '"',
    "'",
    "\u00a0",
    "\ufeff",
    "\0",
]
_NEWLINES = ["\n", "\r\n", "\r", "\n\n"]

line = st.lists(st.sampled_from(_FRAGMENTS), max_size=6).map("".join)
markdown = st.lists(st.tuples(line, st.sampled_from(_NEWLINES)), max_size=14).map(
    lambda pairs: "".join(text + end for text, end in pairs)
)
frontmatter = st.sampled_from(
    ["", "---\ntitle: T\n---\n", "\n---\r\ntitle: 'x'\r\ndescription: a b\r\n---\r\n", "---\n---\n"]
)
pages = st.builds(lambda fm, body, end: fm + body + end, frontmatter, markdown, st.sampled_from(["", "x"]))


def parsed(source: str) -> Page:
    """The page, or the example is discarded when it is bad input (a frontmatter that is not a mapping)."""
    try:
        return parse_page(source)
    except PageError as exc:
        assert "frontmatter" in exc.message
        assume(False)
        raise


_SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(pages)
def test_identity_is_byte_exact_for_markdownish_input(source: str) -> None:
    page = parsed(source)
    assert page.render({}) == source
    assert page.render({s.id: s.text for s in page.segments}) == source


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_identity_is_byte_exact_for_any_text(source: str) -> None:
    try:
        page = parse_page(source)
    except Exception as exc:  # only a clear PageError about frontmatter is acceptable
        assert type(exc).__name__ == "PageError", exc
        return
    assert page.render({s.id: s.text for s in page.segments}) == source


def pseudo_translations(page: Page) -> dict[str, str]:
    """Every segment (but raw HTML) translated as the pipeline does it: XML-encoded, pseudo-localised
    (accented, longer, bracketed), decoded: the words change, the markup does not."""
    engine = PseudoEngine()
    translations = {}
    for segment in page.segments:
        if segment.kind is SegmentKind.HTML:
            continue
        encoded = encode(segment.text)
        (answer,) = engine.translate([encoded.xml], "en", "nl", ignore_tags=encoded.ignore_tags).texts
        translations[segment.id] = decode(encoded, answer.text)
    return translations


@_SETTINGS
@given(pages)
def test_a_translation_that_keeps_the_markup_is_written_never_refused(source: str) -> None:
    """No refusal is allowed here, so the property cannot pass by refusing: a translation with the
    source's markup is written, and the page keeps its segments and blocks."""
    page = parsed(source)
    translations = pseudo_translations(page)
    rendered = page.render(translations)  # a RenderError fails the test
    again = parse_page(rendered)
    assert [(s.id, s.kind) for s in again.segments] == [(s.id, s.kind) for s in page.segments]
    for segment in again.segments:
        if segment.id in translations and segment.kind is not SegmentKind.HEADING:
            # (literal brackets `[x]` the page defines no reference for stay brackets, not a reference key)
            expected = unkeyed(
                translations[segment.id].strip(), page.segment(segment.id).text, page.reference_labels
            )
            assert segment.text == expected
    assert _blocks(rendered) == _blocks(source)


@_SETTINGS
@given(pages, st.sampled_from(["Vertaald", "Een\ntwee regels", "Ëén *nadruk*"]))
def test_translation_is_written_or_refused_never_corrupted(source: str, words: str) -> None:
    page = parsed(source)
    translations = {s.id: words for s in page.segments if s.kind is not SegmentKind.HTML}
    try:
        rendered = page.render(translations)
    except RenderError as refusal:
        # a refusal counts only when it is due: some translated segment loses or gains markup
        assert not all(same_markup(page.segment(sid).text, words) for sid in translations), refusal
        event("refused: the words change a segment's markup")
        return
    event("written")
    again = parse_page(rendered)
    assert len(again.segments) == len(page.segments)
    assert [s.kind for s in again.segments] == [s.kind for s in page.segments]


@_SETTINGS
@given(pages)
def test_rendering_is_idempotent(source: str) -> None:
    """Rendering a page's own translation again changes nothing (never refused: no vacuous pass)."""
    page = parsed(source)
    once = page.render(pseudo_translations(page))
    again = parse_page(once)
    assert again.render({s.id: s.text for s in again.segments}) == once


def _blocks(source: str) -> list[tuple[str, str, str, int]]:
    tokens = block_parser().parse(normalise_newlines(source), {})
    return [(t.type, t.tag, t.markup, t.level) for t in tokens if t.type != "inline"]
