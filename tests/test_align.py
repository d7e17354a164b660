"""Aligning an existing translation with the English page's segments (i18n.markdown.align)."""

from __future__ import annotations

import dataclasses

import pytest

from i18n import Page, parse_page
from i18n.checks import Problem, check_translation
from i18n.markdown.align import (
    NO_COUNTERPART,
    NO_SECTION,
    NOT_SEPARABLE,
    NOT_THIS_PAGE,
    Aligned,
    Alignment,
    align_pages,
)

from .support import FIXTURES, SHARED, read_text

ALIGN = FIXTURES / "align"
PAIRS = SHARED / "corpus" / "pairs"


def page(name: str) -> Page:
    return parse_page(read_text(ALIGN / name), path=name)


def variant(name: str, old: str, new: str) -> Page:
    """A fixture translation with one edit (the edit must apply)."""
    text = read_text(ALIGN / name)
    assert old in text, old
    return parse_page(text.replace(old, new, 1))


def texts(alignment: Alignment) -> dict[str, str]:
    return {pair.segment_id: pair.text for pair in alignment.pairs}


def hows(alignment: Alignment) -> dict[str, str]:
    return {pair.segment_id: pair.how for pair in alignment.pairs}


def failing(source: Page, alignment: Alignment) -> dict[str, tuple[Problem, ...]]:
    """The pairs that fail ``check_translation``, with their problems."""
    result = {}
    for pair in alignment.pairs:
        segment = source.segment(pair.segment_id)
        problems = check_translation(segment.text, pair.text, segment.kind)
        if problems:
            result[pair.segment_id] = tuple(v.problem for v in problems)
    return result


@pytest.fixture(scope="module")
def english() -> Page:
    return page("garden.en.md")


# -- the same structure ------------------------------------------------------------------------------


def test_identical_structure_aligns_every_segment_by_anchor(english: Page) -> None:
    translated = page("garden.nl.md")
    result = align_pages(english, translated)
    assert result.ratio == 1.0
    assert result.unaligned == ()
    assert result.leftover == ()
    # same structure: every translated segment lands on the English segment at the same place
    assert texts(result) == {s.id: s.text for s in translated.segments}
    headings = {pair.how for pair in result.pairs if pair.segment_id.startswith("h:")}
    assert headings == {"anchor"}
    assert hows(result)["fm:title"] == "frontmatter"
    assert hows(result)["join-us/table1/r3c2"] == "order"
    assert failing(english, result) == {}
    # importing the pairs writes the translated page back: the same segments, the same anchors
    rendered = parse_page(english.render(texts(result)))
    assert [(s.id, s.text, s.anchor) for s in rendered.segments] == [
        (s.id, s.text, s.anchor) for s in translated.segments
    ]


def test_pairs_follow_the_english_page_order(english: Page) -> None:
    result = align_pages(english, page("garden-reordered.nl.md"))
    assert [pair.segment_id for pair in result.pairs] == [s.id for s in english.segments]


# -- frontmatter -------------------------------------------------------------------------------------


def test_frontmatter_is_matched_by_key_not_position(english: Page) -> None:
    result = align_pages(english, page("garden-reordered.nl.md"))  # description comes first there
    assert texts(result)["fm:title"] == "Gemeenschapstuin Riverside"
    assert texts(result)["fm:description"].startswith("Hoe onze buurttuin werkt")
    assert hows(result)["fm:description"] == "frontmatter"


def test_page_with_only_frontmatter_aligns_its_frontmatter() -> None:
    result = align_pages(
        parse_page("---\ntitle: Seed library\n---\n<Library />\n"),
        parse_page("---\ntitle: Zadenbibliotheek\n---\n<Library />\n"),
    )
    assert result.pairs == (Aligned("fm:title", "Zadenbibliotheek", "frontmatter"),)
    assert result.ratio == 1.0


def test_frontmatter_key_missing_in_the_translation_stays_unaligned(english: Page) -> None:
    description = "description: Hoe onze buurttuin werkt, wie hem verzorgt en hoe je mee kunt doen.\n"
    result = align_pages(english, variant("garden.nl.md", description, ""))
    assert result.unaligned == ("fm:description",)
    assert texts(result)["fm:title"] == "Gemeenschapstuin Riverside"


# -- merged and split paragraphs ---------------------------------------------------------------------


def test_merged_paragraphs_are_cut_back_on_sentence_boundaries(english: Page) -> None:
    result = align_pages(english, page("garden-merged.nl.md"))
    found, how = texts(result), hows(result)
    assert how["how-the-garden-works/p2"] == how["how-the-garden-works/p3"] == "merged"
    assert found["how-the-garden-works/p2"] == (
        "Het gereedschap ligt in de groene schuur bij het hek.\n"
        "De code van het slot staat in het [ledenhandboek](/handbook)."
    )
    assert found["how-the-garden-works/p3"] == (
        "Het water komt uit twee regentonnen en één kraan.\nDraai de kraan dicht als je weggaat."
    )
    assert "how-the-garden-works/p2" not in failing(english, result)
    assert "how-the-garden-works/p3" not in failing(english, result)


def test_merged_paragraphs_that_cannot_be_cut_safely_stay_unaligned(english: Page) -> None:
    """Three English sentences became one Dutch one: no safe cut, and the whole text on one of the two
    paragraphs would show the other's content twice. Both stay unaligned; the text is reported."""
    result = align_pages(english, page("garden-merged.nl.md"))
    assert result.unaligned == ("join-us/p1", "join-us/p2")
    assert len(result.leftover) == 1
    assert result.leftover[0].startswith("Schrijf naar [garden@example.org]")
    assert not any("begroting" in pair.text for pair in result.pairs)
    assert result.ratio == pytest.approx(19 / 21)


def test_split_paragraph_is_joined_into_one_translation(english: Page) -> None:
    result = align_pages(english, page("garden-split.nl.md"))
    assert result.ratio == 1.0
    assert result.leftover == ()
    assert hows(result)["how-the-garden-works/p1"] == "split"
    assert texts(result)["how-the-garden-works/p1"] == (
        "Elk lid krijgt één verhoogd bed van 2 bij 4 meter.\n"
        "Je kiest zelf wat je kweekt, zolang het niet naar andere bedden uitzaait."
    )
    assert failing(english, result) == {}
    # the joined translation is still one paragraph: it renders into the English page's structure
    assert "Elk lid krijgt" in english.render(texts(result))


# -- sections ----------------------------------------------------------------------------------------


def test_missing_section_leaves_exactly_its_segments_unaligned(english: Page) -> None:
    result = align_pages(english, page("garden-missing.nl.md"))
    work_days = tuple(
        s.id for s in english.segments if s.id in ("h:work-days",) or s.id.startswith("work-days/")
    )
    assert len(work_days) == 6
    assert result.unaligned == work_days
    assert result.leftover == ()
    assert texts(result)["join-us/p2"].startswith("Leden stemmen")


def test_reordered_sections_are_matched_by_their_anchors(english: Page) -> None:
    result = align_pages(english, page("garden-reordered.nl.md"))
    assert result.ratio == 1.0
    assert result.leftover == ()
    found = texts(result)
    assert found["h:work-days"] == "Werkdagen"
    assert found["work-days/p1"].startswith("We komen samen op de eerste zaterdag")
    assert found["join-us/p1"].startswith("Schrijf naar")
    assert hows(result)["h:join-us"] == hows(result)["h:work-days"] == "anchor"


def test_old_translation_without_anchors_aligns_by_heading_level_and_order(english: Page) -> None:
    result = align_pages(english, page("garden-old.nl.md"))
    assert result.ratio == 1.0
    assert {hows(result)[h] for h in ("h:how-the-garden-works", "h:work-days", "h:join-us")} == {"order"}
    assert texts(result)["h:join-us"] == "Doe mee"
    assert texts(result)["work-days/p2"].endswith("`/join workday`.")


def test_anchor_with_a_counter_suffix_still_matches(english: Page) -> None:
    """An older pipeline numbered repeated anchors across pages: {#work-days-3} for "Work days"."""
    result = align_pages(english, variant("garden.nl.md", "{#work-days}", "{#work-days-3}"))
    assert result.ratio == 1.0
    assert hows(result)["h:work-days"] == "anchor"
    assert texts(result)["work-days/ul1/li1/p1"].startswith("Lente")


def test_extra_block_in_the_translation_is_a_leftover(english: Page) -> None:
    result = align_pages(english, variant("garden.nl.md", "- Lente:", "- Winter: de tuin rust\n- Lente:"))
    assert result.ratio == 1.0
    assert result.leftover == ("Winter: de tuin rust",)
    assert texts(result)["work-days/ul1/li1/p1"].startswith("Lente")
    assert texts(result)["work-days/ul1/li3/p1"].startswith("Herfst")


def test_a_totally_different_page_aligns_nothing(english: Page) -> None:
    other = page("other.nl.md")
    result = align_pages(english, other)
    assert result.ratio <= 0.05
    assert result.pairs == ()
    assert result.leftover == tuple(s.text for s in other.segments)


# -- plausibility ------------------------------------------------------------------------------------


def test_a_translation_that_dropped_a_link_is_paired_but_not_in_strict_mode(english: Page) -> None:
    translated = variant("garden.nl.md", "[ledenhandboek](/handbook)", "ledenhandboek")
    lenient = align_pages(english, translated)
    assert lenient.ratio == 1.0
    assert failing(english, lenient) == {"how-the-garden-works/p2": (Problem.LINK_TARGETS,)}
    strict = align_pages(english, translated, strict=True)
    assert strict.unaligned == ("how-the-garden-works/p2",)
    assert strict.leftover == (translated.segment("how-the-garden-works/p2").text,)
    assert failing(english, strict) == {}


def test_a_translation_with_a_foreign_link_target_is_never_paired(english: Page) -> None:
    translated = variant("garden.nl.md", "(/market)", "(https://elders.example.org/markt)")
    for strict in (False, True):
        result = align_pages(english, translated, strict=strict)
        assert result.unaligned == ("work-days/ul1/li2/p1",)
        assert result.leftover == ("Zomer: wieden en de [oogstmarkt](https://elders.example.org/markt)",)
        assert "links to 'https://elders.example.org/markt', which the English does not" in result.why(
            "work-days/ul1/li2/p1"
        )


@pytest.mark.parametrize(
    ("english_target", "localised_target"),
    [
        ("/market", "/markt"),
        ("https://en.wikipedia.org/wiki/Garden", "https://nl.wikipedia.org/wiki/Tuin"),
        ("https://discord.gg/abc123", "https://discord.gg/nl-xyz"),
    ],
)
def test_a_localised_link_target_is_put_back_to_the_english_one(
    english_target: str, localised_target: str
) -> None:
    source = parse_page(f"## Work days\n\nSummer: weeding and the [harvest market]({english_target}).\n")
    translated = parse_page(
        f"## Werkdagen {{#work-days}}\n\nZomer: wieden en de [oogstmarkt]({localised_target}).\n"
    )
    result = align_pages(source, translated)
    (pair,) = [p for p in result.pairs if p.segment_id == "work-days/p1"]
    assert pair.text == f"Zomer: wieden en de [oogstmarkt]({english_target})."
    assert pair.restored == ((localised_target, english_target),)
    assert (
        check_translation(source.segment("work-days/p1").text, pair.text, source.segment("work-days/p1").kind)
        == ()
    )
    assert result.pairs[0].restored == ()  # the heading had nothing to restore


def test_targets_are_not_restored_where_the_link_counts_differ() -> None:
    source = parse_page("See [one](/one) and [two](/two).\n")
    translated = parse_page("Zie [een](/een).\n")
    assert align_pages(source, translated).pairs == ()  # /een is no English target, and a link is gone
    assert align_pages(source, parse_page("Zie [een](/one).\n")).pairs[0].restored == ()


def test_the_pronoun_i_is_no_name_in_the_page_gate() -> None:
    source = parse_page(
        "# Why I joined\n\nI was worried. I read the news every day and I could not sleep.\n\n"
        "I wrote to my representative, and I went to a protest.\n\nNow I organise events with friends.\n"
    )
    translated = parse_page(
        "# Waarom ik meedeed\n\nIk maakte me zorgen. Ik las elke dag het nieuws en ik kon niet slapen.\n\n"
        "Ik schreef mijn volksvertegenwoordiger en ik ging naar een protest.\n\n"
        "Nu organiseer ik evenementen met vrienden.\n"
    )
    assert align_pages(source, translated).ratio == 1.0


def test_a_heading_anchor_whose_section_contradicts_the_english_is_not_trusted(english: Page) -> None:
    text = read_text(ALIGN / "garden.nl.md")
    swapped = (
        text.replace("{#work-days}", "{#x}")
        .replace("{#join-us}", "{#work-days}")
        .replace("{#x}", "{#join-us}")
    )
    result = align_pages(english, parse_page(swapped))
    assert result.ratio == 1.0
    assert texts(result)["h:work-days"] == "Werkdagen" and texts(result)["h:join-us"] == "Doe mee"
    assert texts(result)["work-days/p1"].startswith("We komen samen")


def test_every_unaligned_segment_says_why(english: Page) -> None:
    missing = align_pages(english, page("garden-missing.nl.md"))
    assert missing.unaligned and len(missing.reasons) == len(missing.unaligned)
    assert all(reason for reason in missing.reasons)
    merged = align_pages(english, variant("garden-merged.nl.md", "", ""))
    for segment_id, reason in zip(merged.unaligned, merged.reasons, strict=True):
        assert reason in {NO_SECTION, NO_COUNTERPART, NOT_SEPARABLE} or "frontmatter" in reason, segment_id
    other = align_pages(english, page("other.nl.md"))
    assert set(other.reasons) == {NOT_THIS_PAGE}
    no_title = variant("garden.nl.md", "title: Gemeenschapstuin Riverside\n", "")
    assert align_pages(english, no_title).why("fm:title") == "no 'title' in the translation's frontmatter"


def test_a_translation_with_a_foreign_code_span_is_never_paired(english: Page) -> None:
    result = align_pages(english, variant("garden.nl.md", "`/join workday`", "`/doe-mee werkdag`"))
    assert result.unaligned == ("work-days/p2",)


# -- the result --------------------------------------------------------------------------------------


def test_alignment_is_pure_frozen_and_counts_its_ratio(english: Page) -> None:
    translated = page("garden-merged.nl.md")
    before = (english.source, translated.source)
    first, second = align_pages(english, translated), align_pages(english, translated)
    assert first == second
    assert (english.source, translated.source) == before
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.pairs[0].text = "x"  # type: ignore[misc]
    assert Alignment((Aligned("a", "b", "order"),), ("c",), ()).ratio == 0.5
    assert Alignment((), (), ("orphan",)).ratio == 1.0  # nothing to align


def test_page_without_headings_aligns_in_order() -> None:
    source = parse_page(
        "First paragraph, about [apples](/apples).\n\nSecond one, about Pears and 12 plums.\n"
    )
    translated = parse_page("Eerste alinea, over [appels](/apples).\n\nTweede, over Peren en 12 pruimen.\n")
    result = align_pages(source, translated)
    assert texts(result) == {
        "_/p1": "Eerste alinea, over [appels](/apples).",
        "_/p2": "Tweede, over Peren en 12 pruimen.",
    }


# -- the real pairs (when ../shared is there) ---------------------------------------------------------


@pytest.mark.skipif(not PAIRS.is_dir(), reason="../shared/corpus/pairs is not available")
def test_real_translated_pages_align_at_least_98_percent() -> None:
    names = sorted(p.name for p in (PAIRS / "en").glob("*.md") if (PAIRS / "nl" / p.name).is_file())
    assert names
    segments = aligned = 0
    for name in names:
        source = parse_page(read_text(PAIRS / "en" / name), path=name)
        translated = parse_page(read_text(PAIRS / "nl" / name), path=name)
        result = align_pages(source, translated)
        segments += len(source.segments)
        aligned += len(result.pairs)
        for pair in result.pairs:  # never a link the English segment does not have
            problems = check_translation(
                source.segment(pair.segment_id).text, pair.text, source.segment(pair.segment_id).kind
            )
            assert not any(v.problem is Problem.LINK_TARGETS and "added" in v.detail for v in problems), (
                name,
                pair,
            )
    assert aligned / segments >= 0.98
