"""The words inside raw HTML: element texts and attribute values as segments; old whole-block
translations split or stale."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from i18n import RenderError, SegmentKind, parse_page
from i18n.checks import check_translation
from i18n.cli import main
from i18n.markdown.flavours import flavour, flavour_names
from i18n.markdown.html import parse_html, piece_text, split_block, split_translation

from .project import Project

BLOCK = """<div style="display:flex; gap: 1em">
<a href="/australia" style="color: red"><img src="au.png" alt="Flag of Australia"></a>
<p>Hello <strong>world</strong> &amp; more
words here.</p>
<ul><li>One</li><li title="A tip">Two <code>x &lt; y</code> three</li></ul>
<script>var words = "not prose";</script>
<pre>pre words</pre>
<!-- a comment with words -->
Text directly in the div
<input placeholder="Your e-mail" aria-label="E-mail address">
</div>
"""


def pieces(text: str) -> list[tuple[str, str | None, str]]:
    return [(p.element, p.attribute, piece_text(text, p)) for p in parse_html(text).pieces]


def test_element_texts_and_attribute_values_are_pieces() -> None:
    assert pieces(BLOCK) == [
        ("img", "alt", "Flag of Australia"),
        ("p", None, "Hello <strong>world</strong> &amp; more\nwords here."),
        ("li", None, "One"),
        ("li", "title", "A tip"),
        ("li", None, "Two <code>x &lt; y</code> three"),
        ("div", None, "Text directly in the div"),
        ("input", "placeholder", "Your e-mail"),
        ("input", "aria-label", "E-mail address"),
    ]


def test_attributes_inside_a_text_piece_stay_in_their_tag() -> None:
    assert pieces('<p>See <abbr title="Artificial Intelligence">AI</abbr> here</p>') == [
        ("p", None, 'See <abbr title="Artificial Intelligence">AI</abbr> here')
    ]
    assert pieces('<p><img src="a.png" alt="Leading image"> Caption words</p>') == [
        ("img", "alt", "Leading image"),
        ("p", None, "Caption words"),
    ]


@pytest.mark.parametrize(
    "block",
    [
        "<script>\nlet words = 'x'\n</script>",
        "<style>.words { color: red }</style>",
        "<pre>\ncode words\n</pre>",
        "<!-- only a comment with words -->",
        "<textarea>typed words</textarea>",
        "<div><code>only code words</code></div>",
    ],
)
def test_raw_elements_and_comments_have_no_pieces(block: str) -> None:
    assert pieces(block) == []


def test_html_block_segments_and_render() -> None:
    source = "Intro.\n\n" + BLOCK
    page = parse_page(source)
    found = [(s.id, s.kind, s.text) for s in page.segments[1:]]
    assert found[0] == ("_/html1/img-alt1", SegmentKind.ATTRIBUTE, "Flag of Australia")
    assert found[1] == (
        "_/html1/p1",
        SegmentKind.HTML,
        "Hello <strong>world</strong> &amp; more\nwords here.",
    )
    assert [s.line for s in page.segments[1:4]] == [4, 5, 7]
    assert page.render({}) == source
    rendered = page.render(
        {
            "_/html1/p1": "Hallo <strong>wereld</strong> &amp; meer\nwoorden hier.\nEn een regel extra.",
            "_/html1/img-alt1": 'Vlag van "Australië"',
            "_/html1/div1": "Tekst direct in de div",
        }
    )
    assert '<img src="au.png" alt="Vlag van &quot;Australië&quot;">' in rendered
    assert "<p>Hallo <strong>wereld</strong> &amp; meer\nwoorden hier.\nEn een regel extra.</p>" in rendered
    assert "\nTekst direct in de div\n" in rendered
    assert '<script>var words = "not prose";</script>' in rendered


def test_html_in_a_list_item_and_a_quote() -> None:
    source = "- <details><summary>More</summary>Hidden text</details>\n\n> <p>Quoted\n> words</p>\n"
    page = parse_page(source)
    assert [(s.id, s.text) for s in page.segments] == [
        ("_/ul1/li1/html1/summary1", "More"),
        ("_/ul1/li1/html1/details1", "Hidden text"),
        ("_/q1/html1/p1", "Quoted\nwords"),
    ]
    assert page.render({"_/q1/html1/p1": "Geciteerde\nwoorden"}) == (
        "- <details><summary>More</summary>Hidden text</details>\n\n> <p>Geciteerde\n> woorden</p>\n"
    )


def test_render_refuses_a_translation_that_changes_the_markup() -> None:
    page = parse_page("<div>\n<p>Hello world</p>\n</div>\n")
    with pytest.raises(RenderError, match="block structure"):
        page.render({"_/html1/p1": "Hallo</p><p>wereld"})
    problems = check_translation("Hello <b>world</b>", "Hallo wereld", SegmentKind.HTML)
    assert [v.problem.value for v in problems] == ["html"]


def test_split_translation_pairs_pieces_when_the_markup_matches() -> None:
    source = '<div>\n<p>Hello <b>world</b></p>\n<img alt="A dog">\n</div>'
    translated = '<div>\n<p>Hallo <b>wereld</b></p>\n<img alt="Een hond">\n</div>'
    assert split_translation(source, translated) == [
        ("Hello <b>world</b>", "Hallo <b>wereld</b>"),
        ("A dog", "Een hond"),
    ]
    assert split_translation(source, "<div><p>Hallo wereld</p></div>") is None
    assert split_block(source, "Niet te splitsen") == (["Hello <b>world</b>", "A dog"], None)


OLD_PAGE = '# Groups\n\n<div class="note">\n<strong>Note:</strong> this list is updated by hand.\n</div>\n'


def _old_catalog(project: Project, msgid: str, msgstr: str, *, fuzzy: bool = False) -> None:
    """A catalog as the pipeline wrote it when the whole HTML block was one segment."""
    path = project.po_path("groups.md")
    path.parent.mkdir(parents=True, exist_ok=True)
    escaped = msgid.replace('"', '\\"').replace("\n", '\\n"\n"')
    translated = msgstr.replace('"', '\\"').replace("\n", '\\n"\n"')
    flag = "#, fuzzy\n" if fuzzy else ""
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: nl\\n"\n\n'
        f'#. heading (anchor: #groups)\nmsgid "Groups"\nmsgstr "Groepen"\n\n'
        f'#. html\n{flag}msgid ""\n"{escaped}"\nmsgstr ""\n"{translated}"\n',
        encoding="utf-8",
    )


def test_old_whole_block_translation_is_split_and_keeps_its_review(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.page("groups.md", OLD_PAGE)
    block = '<div class="note">\n<strong>Note:</strong> this list is updated by hand.\n</div>'
    _old_catalog(
        project,
        block,
        '<div class="note">\n<strong>Let op:</strong> deze lijst wordt met de hand bijgehouden.\n</div>',
    )
    result = CliRunner().invoke(main, ["--project", str(tmp_path), "extract"])
    assert result.exit_code == 0, result.output
    entry = project.entry("groups.md", "<strong>Note:</strong> this list is updated by hand.")
    assert entry.msgstr == "<strong>Let op:</strong> deze lijst wordt met de hand bijgehouden."
    assert "fuzzy" not in entry.flags  # a reviewed block: its pieces stay reviewed
    assert any(e.obsolete and e.msgid == block for e in project.po("groups.md"))


def test_old_whole_block_translation_that_cannot_be_split_is_stale(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.page("groups.md", OLD_PAGE)
    block = '<div class="note">\n<strong>Note:</strong> this list is updated by hand.\n</div>'
    _old_catalog(project, block, "<p>Let op: deze lijst wordt met de hand bijgehouden.</p>")
    assert CliRunner().invoke(main, ["--project", str(tmp_path), "extract"]).exit_code == 0
    entry = project.entry("groups.md", "<strong>Note:</strong> this list is updated by hand.")
    assert entry.msgstr == "<p>Let op: deze lijst wordt met de hand bijgehouden.</p>"
    assert "fuzzy" in entry.flags and entry.previous_msgid == block  # stale: the translator sees both


def test_template_syntax_in_text_is_no_words_only_where_the_flavour_says_so() -> None:
    """html.py knows no flavour: the svelte flavour's ``html_not_words`` (its block tags) makes an element
    whose text is only ``{#if …}`` no piece; without it (every other flavour) that text is a piece."""
    text = "<div>{#if open}</div><p>Hi {#if y}there{/if}</p>"
    generic = [piece_text(text, piece) for piece in parse_html(text).pieces]
    assert generic == ["{#if open}", "Hi {#if y}there{/if}"]
    svelte = flavour("svelte").html_not_words
    assert [piece_text(text, piece) for piece in parse_html(text, svelte).pieces] == ["Hi {#if y}there{/if}"]
    assert [name for name in flavour_names() if flavour(name).html_not_words is not None] == ["svelte"]
