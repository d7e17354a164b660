"""Svelte and component syntax is never a segment: blocks are read as the site's mdsvex reads them."""

from __future__ import annotations

import pytest

from i18n import RenderError, parse_page
from i18n.markdown.mdsvex_syntax import is_template, tag_end
from i18n.markdown.parser import block_parser


def texts(page: str) -> list[str]:
    return [s.text for s in parse_page(page).segments]


def blocks(page: str) -> list[tuple[str, str]]:
    return [(t.type, t.content) for t in block_parser().parse(page, {}) if t.type.endswith("_block")]


TABS = """<Tabs tabs={[
	{
		title: 'First tab',
		content: `Read <a href="/faq">the FAQ</a> => first.`
	}
]} />
"""


def test_an_opening_tag_over_several_lines_is_one_raw_block() -> None:
    page = "Intro words.\n\n" + TABS + "\nAfter words.\n"
    assert blocks(page) == [("html_block", TABS)]
    assert texts(page) == ["Intro words.", "After words."]


@pytest.mark.parametrize(
    "tag",
    [
        '<Card\n\ttitle="A title"\n\thref="/x"\n>',
        '<img\n  src="/a.png"\n  alt="Some words"\n/>',
        "<Notice kind={a > b ? 'big words' : 'small words'}>",
        "<div class={open ? 'is open' : 'is closed'}>",
        "<span>Words inside</span> and after",
        "<Card>Text inside a component on one line</Card>",
    ],
)
def test_a_line_starting_with_a_tag_is_raw_up_to_the_blank_line(tag: str) -> None:
    """As mdsvex: any tag name, complete on the line or not, and it interrupts a paragraph."""
    page = f"Words before\n{tag}\nwords in the block\n\nWords after.\n"
    assert blocks(page) == [("html_block", f"{tag}\nwords in the block\n")]
    segments = texts(page)
    assert segments[0] == "Words before" and segments[-1] == "Words after."
    if tag.startswith(("<Card", "<Notice", "<div class={")):  # Svelte template markup: never prose
        assert len(segments) == 2


def test_text_between_a_components_tags_is_prose_only_as_markdown() -> None:
    page = "<Card>\nNot markdown.\n</Card>\n\n<Card>\n\nMarkdown **here**.\n\n</Card>\n"
    assert texts(page) == ["Markdown **here**."]


@pytest.mark.parametrize("tag", ["{#if show}", "{:else if n > 1}", "{:else}", "{/if}", "{@html html}",
                                 "{#each items as item}", "{/each}", "{@render children()}"])  # fmt: skip
def test_a_block_tag_alone_on_a_line_is_a_block(tag: str) -> None:
    page = f"{tag}\n\nWords.\n"
    assert blocks(page) == [("svelte_block", tag + "\n")]
    assert texts(page) == ["Words."]


def test_block_tags_inside_a_paragraph_are_kept_as_placeholders() -> None:
    """mdsvex reads text after ``{#if x}`` as a paragraph; the tags stay in it (the checks keep them). A
    paragraph that starts and ends with block tags is left alone (mdsvex would split it)."""
    assert blocks("{#if show}Hello{/if}\n") == []
    assert texts("Hello {#if show}**world**{/if}\n") == ["Hello {#if show}**world**{/if}"]
    assert texts("{#if show}Hello **world**{/if}\n") == []


def test_a_block_tag_does_not_interrupt_a_paragraph() -> None:
    assert blocks("Words\n{/if}\n") == []


@pytest.mark.parametrize("indent", ["", "  ", "   "])
def test_script_and_style_anywhere_are_raw(indent: str) -> None:
    script = (
        f"{indent}<script>\n{indent}  let words = 'not prose';\n\n{indent}  let n = 1;\n{indent}</script>\n"
    )
    style = f"{indent}<style>\n{indent}  p {{ content: 'not prose'; }}\n{indent}</style>\n"
    page = f"- Item words\n\n{script}\n{style}\nMore words.\n"
    assert texts(page) == ["Item words", "More words."]


def test_svelte_head_is_raw_to_its_closing_tag() -> None:
    page = "<svelte:head>\n\n<title>A title</title>\n\n</svelte:head>\n\nWords.\n"
    assert blocks(page)[0] == ("html_block", "<svelte:head>\n\n<title>A title</title>\n\n</svelte:head>\n")
    assert texts(page) == ["Words."]
    window = "<svelte:window bind:scrollY={y} />\nWords.\n"  # self-closing: the next line is markdown
    assert blocks(window) == [("html_block", "<svelte:window bind:scrollY={y} />\n")]
    assert texts(window) == ["Words."]


def test_plain_html_with_words_is_still_translated() -> None:
    assert texts("<p>Plain <b>HTML</b> words.</p>\n") == ["Plain <b>HTML</b> words."]  # the element's text


@pytest.mark.parametrize(
    ("html", "template"),
    [
        ("<p>Plain words</p>", False),
        ('<a href="/x" title="a > b">words</a>', False),
        ("<!-- {#if} <Card> --><p>words</p>", False),
        ("<p class={x}>words</p>", True),
        ("<Card>words</Card>", True),
        ("<p>words {#if x}more{/if}</p>", True),
        ("<p>words {name}</p>", False),
        ("<p onclick={() => go('a > b')}>words", True),
        ("<p title='never closed>words", True),
        ("<svelte:head><title>words</title></svelte:head>", True),
    ],
)
def test_is_template(html: str, template: bool) -> None:
    assert is_template(html) is template


def test_tag_end_skips_quotes_and_expressions() -> None:
    text = '<a title="x > y" on={() => a > b}>rest'
    assert text[: tag_end(text, 0)] == '<a title="x > y" on={() => a > b}>'
    assert tag_end("<a {b", 0) is None


def test_a_translation_that_moves_prose_onto_a_tag_line_is_refused() -> None:
    """The structure check reads the result as the site does: a line now starting with a tag would
    turn the rest of the paragraph into raw HTML."""
    page = parse_page("Click the link <a href='/x'>here</a>\nto join.\n")
    (segment,) = page.segments
    with pytest.raises(RenderError, match="block structure"):
        page.render({segment.id: "Klik\n<a href='/x'>hier</a> om mee te doen."})
    assert page.render({segment.id: "Klik op de link <a href='/x'>hier</a>\nom mee te doen."})
