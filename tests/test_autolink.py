"""Bare URLs, ``www.`` links and e-mail addresses (GFM autolink literals) are never translated: placeholders
for the engines, link targets for the checks and the page's structure."""

from __future__ import annotations

import pytest

from i18n import RenderError, SegmentKind, parse_page
from i18n.checks import Problem, check_translation
from i18n.markdown.autolink import literals
from i18n.markdown.markup import same_markup
from i18n.mt.xmlmarkup import MarkupError, decode, encode


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Write to press@pauseai.info now", ["press@pauseai.info"]),
        ("a.b+c@example.org, then", ["a.b+c@example.org"]),
        ("mailto:a@example.com", ["mailto:a@example.com"]),
        ("see https://pauseai.info/join today", ["https://pauseai.info/join"]),
        ("see https://pauseai.info.", ["https://pauseai.info"]),
        ("visit www.example.org/path?q=1, or", ["www.example.org/path?q=1"]),
        ("(https://example.com/a_(b)) and", ["https://example.com/a_(b)"]),
        ("(see https://example.com/a) and", ["https://example.com/a"]),
        ("https://example.com/post_", ["https://example.com/post"]),
        ("https://example.com/a*", ["https://example.com/a"]),
        ("two: http://a.org and b@c.org", ["http://a.org", "b@c.org"]),
        # Not GFM autolinks: bare domains, file names, other schemes, no dot in the domain.
        ("pauseai.info and README.md", []),
        ("ftp://example.org and //example.org", []),
        ("user@localhost and @PauseAI", []),
        ("WWW.EXAMPLE.COM", []),
        ("no links at all", []),
    ],
)
def test_literals_are_what_gfm_links(text: str, found: list[str]) -> None:
    assert literals(text) == found


def test_the_encoder_sends_them_as_placeholders() -> None:
    text = "Mail press@pauseai.info or see https://pauseai.info/join, _from https://x.org/a_."
    encoded = encode(text)
    assert encoded.xml == 'Mail <x i="1"/> or see <x i="2"/>, <em i="3">from <x i="4"/></em>.'
    assert [p.open for p in encoded.placeholders if p.tag == "x"] == [
        "press@pauseai.info",
        "https://pauseai.info/join",
        "https://x.org/a",
    ]
    translated = 'Zie <x i="2"/> of mail <x i="1"/>, <em i="3">van <x i="4"/></em>.'
    assert (
        decode(encoded, translated)
        == "Zie https://pauseai.info/join of mail press@pauseai.info, _van https://x.org/a_."
    )
    with pytest.raises(MarkupError, match=r"bare URL or e-mail address press@pauseai\.info"):
        decode(encoded, 'Zie <x i="2"/> of mail pers@pauseai.info, <em i="3">van <x i="4"/></em>.')


def test_without_other_syntax_too() -> None:
    assert encode("Mail press@pauseai.info today").xml == 'Mail <x i="1"/> today'


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("Mail press@pauseai.info today.", "Mail pers@pauseai.info vandaag."),
        ("See https://pauseai.info/join today.", "Zie https://pauseai.info/doe-mee vandaag."),
        ("See www.example.org today.", "Zie vandaag."),
    ],
)
def test_a_changed_or_lost_one_is_a_link_target_problem(source: str, translation: str) -> None:
    assert not same_markup(source, translation)
    problems = {v.problem: v.detail for v in check_translation(source, translation, SegmentKind.PARAGRAPH)}
    assert Problem.LINK_TARGETS in problems
    assert literals(source)[0] in problems[Problem.LINK_TARGETS]


def test_moved_ones_and_ones_in_link_text_pass() -> None:
    source = "Mail press@pauseai.info or [https://x.org](https://x.org)."
    assert (
        check_translation(
            source, "[https://x.org](https://x.org) of press@pauseai.info.", SegmentKind.PARAGRAPH
        )
        == ()
    )


def test_the_page_structure_counts_them() -> None:
    page = parse_page(
        "Mail press@pauseai.info for *more*.\n\n| Who | Mail |\n| --- | --- |\n| Press | x@y.org now |\n"
    )
    paragraph, *_ = page.segments
    with pytest.raises(RenderError, match="link targets"):
        page.render({paragraph.id: "Mail pers@pauseai.info voor *meer*."})
    assert "press@pauseai.info" in page.render({paragraph.id: "Mail voor *meer* naar press@pauseai.info."})


def test_text_that_is_only_a_url_or_address_is_not_a_segment() -> None:
    page = parse_page(
        "https://pauseai.info/join\n\npress@pauseai.info\n\n| A | B |\n| --- | --- |\n| www.x.org | words |\n"
    )
    assert [s.text for s in page.segments] == ["A", "B", "words"]
