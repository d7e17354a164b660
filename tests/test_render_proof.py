"""``Page.render`` skips re-parsing its output when every edit is proven local (``_local`` and
``_local_in_context``). The proof must never be wrong: whenever it holds, the full structure comparison (a
markdown-it parse of the result) must agree that nothing but words changed — ``render()`` accepts ⇒ the
full comparison accepts. Pitted against each other for every segment of every page (the tests' own
fixtures in every flavour, the bundled content, generated pages; the shared corpus when it is there) with
pseudo translations, adversarial single edits and random edits of the kind engines make."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from i18n import Page, PageError, RenderError, parse_page
from i18n.markdown.flavours import flavour, flavour_names
from i18n.mt.pseudo import pseudo_localize
from i18n.mt.xmlmarkup import decode, encode

from .support import FIXTURES, ROOT, SHARED, read_text
from .test_properties import pages, parsed

# Every registered flavour runs through these suites, the example flavour (tests/example_flavour.py) too.
pytestmark = pytest.mark.usefixtures("with_example_flavour")


def _own_pages() -> list[tuple[Path, str]]:
    """The tests' own pages with the flavour each is read in (no corpus)."""
    found = [(p, "svelte") for p in [*FIXTURES.glob("pages/*.md"), *(ROOT / "content").glob("*.md")]]
    for folder in (FIXTURES / "flavours").iterdir():  # one folder per registered flavour (test_flavours)
        found += [(p, folder.name) for p in [*folder.glob("*.md"), *folder.glob("*.mdx")]]
    return sorted(found)


def _corpus_pages() -> list[tuple[Path, str]]:
    corpus = SHARED / "corpus"
    found = [(p, "svelte") for p in (corpus / "en").glob("*.md")]
    for name in ("hugo", "mkdocs", "mdx"):
        folder = corpus / "flavours" / name
        found += [(p, name) for p in [*folder.glob("*.md"), *folder.glob("*.mdx")]]
    return sorted(found)


OWN = _own_pages()
CORPUS = _corpus_pages()
NO_CORPUS = f"the shared corpus ({SHARED / 'corpus'}) is not beside the project"

# What an engine (or a translator) may do to a text: words change, markup moves or appears.
_EDITS = [
    "word",
    " ",
    "\n",
    "*",
    "**",
    "_",
    "`",
    "[",
    "]",
    "|",
    "#",
    "- ",
    "1. ",
    "> ",
    "<b>",
    "!",
    "\\",
    "⟦",
    "{",
    "}",
    "{#x}",
    "<",
]


def _pseudo(text: str) -> str:
    encoded = encode(text)
    return decode(encoded, pseudo_localize(encoded.xml, encoded.ignore_tags))


def _insert(token: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        words = text.split(" ")
        words.insert(len(words) // 2, token)
        return " ".join(words)

    return edit


# Single edits tried on every segment: a pseudo translation, new words, and markup that may join what
# lies around the segment in the page (a heading's id, a reference's brackets, a template's braces).
SINGLE_EDITS: tuple[Callable[[str], str], ...] = (
    _pseudo,
    lambda t: "Vertaald " + t,
    *(_insert(token) for token in ("*", "[", "]", "|", "\\", "{#x}", "{ #y }", "{#", "}", "<", "![")),
)


def _mutate(text: str, rnd: random.Random) -> str:
    words = text.split(" ")
    for _ in range(rnd.randrange(1, 4)):
        i = rnd.randrange(len(words) + 1)
        words.insert(i, rnd.choice(_EDITS))
    if len(words) > 2 and rnd.random() < 0.3:
        i = rnd.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def _anchors(page: Page) -> bool:
    return page.inject_anchors and page.flavour.inject_anchors  # as ``render`` decides


def _agrees(page: Page, translations: dict[str, str]) -> bool:
    """True when the proof held for every edit (and then the full comparison must agree)."""
    edits = page._edits(translations, _anchors(page))
    if not edits or not all(local for _, _, local in edits):
        return False
    output = page.render(translations)  # no RenderError: the proof said local
    problem = page._structure.difference(page._structure_of(output), anchors=_anchors(page))
    assert problem is None, f"proof held but the {problem} changed: {translations!r}"
    return True


def _read(path: Path, name: str) -> Page:
    return parse_page(read_text(path), path=path, flavour=flavour(name))


# On the corpus (large pages), the edits that reach the segment's surroundings.
CONTEXT_EDITS = (SINGLE_EDITS[0], SINGLE_EDITS[1], *(_insert(token) for token in ("]", "{#", "<", "![")))


def _every_single_edit(page: Page, edits: tuple[Callable[[str], str], ...] = SINGLE_EDITS) -> int:
    proven = 0
    for segment in page.segments:
        for edit in edits:
            proven += _agrees(page, {segment.id: edit(segment.text)})
    return proven


@pytest.mark.parametrize(("path", "name"), OWN, ids=lambda v: v.name if isinstance(v, Path) else v)
def test_single_edits_render_accepts_pass_the_full_comparison(path: Path, name: str) -> None:
    page = _read(path, name)
    _every_single_edit(page)
    _agrees(page, {s.id: _pseudo(s.text) for s in page.segments if s.kind.value != "html"})


@pytest.mark.skipif(not CORPUS, reason=NO_CORPUS)
@pytest.mark.parametrize(("path", "name"), CORPUS, ids=lambda v: v.name if isinstance(v, Path) else v)
def test_single_edits_on_the_corpus_render_accepts_pass_the_full_comparison(path: Path, name: str) -> None:
    page = _read(path, name)
    _every_single_edit(page, CONTEXT_EDITS)
    _agrees(page, {s.id: _pseudo(s.text) for s in page.segments if s.kind.value != "html"})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(OWN + CORPUS), st.randoms(use_true_random=False), st.floats(0.05, 1.0))
def test_random_edits_proven_local_change_no_structure(
    page_and_flavour: tuple[Path, str], rnd: random.Random, share: float
) -> None:
    page = _read(*page_and_flavour)
    translations = {s.id: _mutate(s.text, rnd) for s in page.segments if rnd.random() < share}
    _agrees(page, translations)


def test_the_proof_is_not_vacuous() -> None:
    """On the tests' own pages (no corpus needed), single edits are proven local often (the fast path is
    used), pseudo translations of most whole pages are, and edits that do change markup (a new list
    marker, a lost link) are not."""
    proven = whole = 0
    for path, name in OWN:
        page = _read(path, name)
        proven += _every_single_edit(page)
        whole += _agrees(page, {s.id: _pseudo(s.text) for s in page.segments if s.kind.value != "html"})
    assert proven > 200
    assert whole >= 3
    page = parse_page("Intro.\n\nSee [our plans](/plans) now.\n")
    (segment,) = [s for s in page.segments if "plans" in s.text]
    assert not page._edits({segment.id: "- Zie onze plannen nu."}, True)[0][2]
    assert not page._edits({segment.id: "Zie [onze plannen] nu."}, True)[0][2]
    assert page._edits({segment.id: "Zie [onze plannen](/plans) nu."}, True)[0][2]


@pytest.mark.skipif(not CORPUS, reason=NO_CORPUS)
def test_the_proof_is_used_on_the_corpus() -> None:
    rnd = random.Random(7)
    proven = 0
    for path, name in CORPUS:
        page = _read(path, name)
        for segment in page.segments:
            proven += _agrees(page, {segment.id: _mutate(segment.text, rnd)})
    assert proven > 100


# Syntax whose meaning depends on the text around a segment; generated pages mix it with the fragments
# of tests/test_properties.py and are read in every flavour.
_CONTEXT_FRAGMENTS = st.sampled_from(
    [
        '### 9.7.6 <small>March 19, 2026</small> { id="9.7.6" }\n',
        "### Changes to `*.html` files { data-search-exclude }\n",
        "## Heading { #custom-id }\n",
        "## Heading {: #other .cls }\n",
        "## Closed heading {#closed} ##\n",
        "Setext heading\n===\n",
        "![Blog]\n\n[Blog]: blog.png\n",
        "Read [search] and ![search preview] now.\n\n[search]: s.md\n[search preview]: s.png\n",
        "See [Label][] here.\n\n[label]: /l\n",
        "![alt][ref] and ![alt too](x.png)\n\n[ref]: r.png\n",
        '<p align="center">\n  <img src="logo.png" alt="The project logo">\n</p>\n',
        "| a | b |\n|---|---|\n| c | d |\n",
        "Plain words here.\n",
        "<p>text</p>\n",
        "Term\n:   Definition text\n",
    ]
)
_mixed_pages = st.lists(st.one_of(_CONTEXT_FRAGMENTS, pages), min_size=1, max_size=5).map("\n".join)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_edits_on_generated_pages(data: st.DataObject) -> None:
    """Markdown-ish pages made of block and inline syntax fragments (tests/test_properties.py)."""
    page = parsed(data.draw(pages))
    rnd = data.draw(st.randoms(use_true_random=False))
    translations = {s.id: _mutate(s.text, rnd) for s in page.segments}
    _agrees(page, translations)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_single_edits_on_generated_pages_in_every_flavour(data: st.DataObject) -> None:
    source = data.draw(_mixed_pages)
    name = data.draw(st.sampled_from(flavour_names()))  # the example flavour's too (pytestmark)
    try:
        page = parse_page(source, flavour=flavour(name))
    except PageError:
        assume(False)
        raise
    if not page.segments:
        return
    segment = data.draw(st.sampled_from(page.segments))
    edit = data.draw(st.sampled_from(SINGLE_EDITS))
    _agrees(page, {segment.id: edit(segment.text)})


def test_a_trailing_backslash_is_never_proven_local() -> None:
    """It would escape what follows the segment in the page: an image alt's closing bracket, a table
    cell's pipe (a case hypothesis found)."""
    page = parse_page("![alt](/i.png)\n\n| a | b |\n|---|---|\n| c | d |\n")
    for segment in page.segments:
        assert not page._edits({segment.id: segment.text + " \\\\"}, True)[0][2]
        assert page._edits({segment.id: segment.text + " x"}, True)[0][2]


def _render_refuses(source: str, name: str, segment_text: str, translation: str) -> str:
    page = parse_page(source, flavour=flavour(name))
    (segment,) = [s for s in page.segments if s.text == segment_text]
    with pytest.raises(RenderError) as caught:
        page.render({segment.id: translation})
    return caught.value.message


def test_a_heading_anchor_from_an_attribute_list_without_an_id_is_compared() -> None:
    """An attribute list without ``#id`` (``{ id="…" }``, ``{ data-search-exclude }``) leaves the anchor
    to the words: such a heading's translation is never proven local; render writes the English id into
    the list, or refuses when the anchor would change."""
    source = '# Log\n\n### 9.7.6 <small>March 19, 2026</small> { id="9.7.6" }\n\nText.\n'
    page = parse_page(source, flavour=flavour("mkdocs"))
    (segment,) = [s for s in page.segments if s.text == "9.7.6 <small>March 19, 2026</small>"]
    translation = "9.7.6 <small>19 maart</small>"
    assert not page._edits({segment.id: translation}, True)[0][2]
    try:
        output = page.render({segment.id: translation})
    except RenderError as exc:
        assert "heading anchors" in exc.message
    else:
        assert page._structure.difference(page._structure_of(output)) is None
    page = parse_page(
        "### Changes to `*.html` files { data-search-exclude }\n\nText.\n", flavour=flavour("mkdocs")
    )
    (segment,) = [s for s in page.segments if s.kind.value == "heading"]
    assert not page._edits({segment.id: "Wijzigingen in `*.html`"}, True)[0][2]
    assert page.render({segment.id: "Wijzigingen in `*.html`"}).startswith(
        "### Wijzigingen in `*.html` { #changes-to-html-files data-search-exclude }\n"
    )


def test_a_heading_with_a_written_id_or_the_injected_anchor_is_proven_local() -> None:
    for source, text in [
        ("## Heading { #custom-id }\n", "Heading"),
        ("## Heading {: #other .cls }\n", "Heading"),
        ("## Closed heading ##\n", "Closed heading"),
        ("Setext heading\n===\n", "Setext heading"),
    ]:
        page = parse_page(source, flavour=flavour("mkdocs"))
        (segment,) = page.segments
        assert segment.text == text
        assert page._edits({segment.id: "Vertaalde kop"}, True)[0][2], source
        assert not page._edits({segment.id: "Vertaalde {# kop"}, True)[0][2], source


def test_a_shortcut_reference_image_alt_is_compared() -> None:
    """``![Blog]``: the alt text is also the reference label; translated, the image is lost."""
    source = "Intro.\n\n![Blog]\n\n[Blog]: blog.png\n"
    problem = _render_refuses(source, "mkdocs", "Blog", "Vertaald Blog")
    assert "link targets" in problem
    page = parse_page("![Blog](blog.png)\n", flavour=flavour("mkdocs"))
    assert page._edits({page.segments[0].id: "Vertaald"}, True)[0][2]


def test_a_brace_in_a_translated_html_attribute_is_compared() -> None:
    """``{…}`` in a tag makes raw HTML a template (Svelte's attribute expressions)."""
    source = '<p align="center">\n  <img src="logo.png" alt="The project logo">\n</p>\n'
    problem = _render_refuses(source, "svelte", "The project logo", "Het {#x} logo")
    assert "block structure" in problem
    page = parse_page(source, flavour=flavour("svelte"))
    assert page._edits({page.segments[0].id: "Het logo"}, True)[0][2]


def test_a_lone_angle_bracket_next_to_a_jsx_tag_is_compared() -> None:
    """In ``<p>text</p>`` (MDX) a translation's lone ``<`` joins the closing tag: not proven local, and
    render refuses what the full comparison refuses."""
    source = "### Changes\n\n<p>text</p>\n"
    page = parse_page(source, flavour=flavour("mdx"))
    (segment,) = [s for s in page.segments if s.text == "text"]
    assert not page._edits({segment.id: "< tekst"}, True)[0][2]
    assert page._edits({segment.id: "tekst"}, True)[0][2]
    problem = _render_refuses(source, "mdx", "text", "< tekst")
    assert "block structure" in problem


def test_a_pipe_in_a_jsx_attribute_above_a_delimiter_row_is_compared() -> None:
    """``<img alt="The | logo">`` over ``|---|---|`` is a table's header row: not proven local."""
    source = '<img src="l.png" alt="The logo">\n|---|---|\n'
    page = parse_page(source, flavour=flavour("mdx"))
    (segment,) = page.segments
    assert not page._edits({segment.id: "Het | logo"}, True)[0][2]
    assert page._edits({segment.id: "Het logo"}, True)[0][2]
    assert "block structure" in _render_refuses(source, "mdx", "The logo", "Het | logo")


@pytest.mark.parametrize("name", ["mkdocs", "hugo"])
def test_a_definition_term_stays_on_one_line(name: str) -> None:
    page = parse_page("Term\n:   Definition text\n", flavour=flavour(name))
    term = next(s for s in page.segments if s.kind.value == "term")
    assert page.render({term.id: "Eerste \n woord"}) == "Eerste woord\n:   Definition text\n"


def _walked_structure(page: Page, text: str) -> object:
    """The structure as the check computed it before it skipped the walk: from the full parse (segments
    and all) of ``text``."""
    from i18n.markdown.page import _parse

    parsed = _parse(text, page.frontmatter_keys, dashes=page.smartypants_dashes, flavour=page.flavour)
    return page._structure_of(text, parsed)


@pytest.mark.parametrize(("path", "name"), OWN, ids=lambda v: v.name if isinstance(v, Path) else v)
def test_the_structure_check_parses_blocks_only_and_finds_the_same_structure(path: Path, name: str) -> None:
    """The check's parse of a rendered page skips the walk (segments are not needed to compare blocks,
    targets, anchors and keys): it finds exactly the structure the full parse finds, on the page and on
    its pseudo translation."""
    page = _read(path, name)
    translated = page.render({s.id: _pseudo(s.text) for s in page.segments}, inject_anchors=False)
    for text in (page.source, translated):
        assert page._structure_of(text) == _walked_structure(page, text)


def test_a_lone_at_sign_is_no_autolink_and_an_address_still_is() -> None:
    """``17:00 Drinks @ pub``: an ``@`` between spaces cannot be part of an e-mail address, so its
    translation is proven local (no parse); one with a letter next to it still gets the parse, which
    refuses a translation that makes an address (a new link target)."""
    page = parse_page("# Day\n\n17:00 Drinks @ the pub\n")
    segment = page.segments[-1]
    assert page._edits({segment.id: "17:00 Borrel @ de kroeg"}, True)[0][2]
    assert not page._edits({segment.id: "17:00 Borrel @de kroeg"}, True)[0][2]
    assert not page._edits({segment.id: "17:00 Borrel bij info@kroeg.nl"}, True)[0][2]
    with pytest.raises(RenderError, match="link targets"):
        page.render({segment.id: "17:00 Borrel @ info@kroeg.nl"})


def test_the_proof_is_linear_in_a_long_line() -> None:
    """A segment's last line was found by ``re.search(r"[^\\n]*\\Z")``, which scans from every position
    before the last newline up to it: quadratic, ~4 s for a 40,000-character first line. Now one
    ``rfind``."""
    import time

    text = "word " * 8_000 + "\nend."
    page = parse_page(text + "\n")
    start = time.perf_counter()
    assert page._edits({page.segments[0].id: text.replace("word", "woord")}, True)[0][2]
    assert time.perf_counter() - start < 2.0
