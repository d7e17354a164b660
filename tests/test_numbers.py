"""The numbers check (i18n.numbers) and the language check (i18n.language)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from i18n.language import wrong_language
from i18n.numbers import describe, missing_numbers


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("€200k funding", "€200.000 financiering"),
        ("€200k funding", "€200 duizend financiering"),
        ("1,000 people", "1.000 mensen"),
        ("1,000 people", "1 000 personnes"),
        ("1,000 people", "1000 Menschen"),
        ("3.5% of the budget", "3,5 % van het budget"),
        ("€1M", "€1 miljoen"),
        ("€1M", "1 Million Euro"),
        ("1.5 million", "1,5 miljoen"),
        ("2 billion", "2 Milliarden"),
        ("2 billion", "2 mil millones"),
        ("2 billion", "deux milliards"),
        ("In 2024 we had 10 groups", "In 2024 hadden we tien groepen"),
        ("1 in 8", "één op de acht"),
        ("March 5, 2024", "5 maart 2024"),
        ("On 2/12 we meet", "Op 12 februari komen we samen"),
        ("at 4:00 PM", "om 16.00 uur"),
        ("7:30PM to 9PM", "19:30-21:00 uur"),
        (
            "See [the 2024 report](/report-2023) and `v1.2`",
            "Zie [het rapport van 2024](/report-2023) en `v1.2`",
        ),
        ("No numbers here", "Hier geen getallen"),
        ("Our 1st protest and the 3rd one", "Ons eerste protest en het derde"),
        ("The 2nd meeting", "Das zweite Treffen"),
        ("The 2nd meeting", "La segunda reunión"),
    ],
)
def test_numbers_in_any_formatting_agree(source: str, translation: str) -> None:
    assert missing_numbers(source, translation) == (), describe(source, translation)


@pytest.mark.parametrize(
    ("source", "translation", "missing"),
    [
        ("€200k funding", "€2M financiering", ("€200k",)),
        ("€1M", "€1 duizend", ("€1M",)),
        ("3.5%", "35%", ("3.5",)),
        ("1,000 people", "100 mensen", ("1,000",)),
        ("In 2024 and 2025", "In 2024", ("2025",)),
        ("at 4:00 PM", "om 17.00 uur", ("4:00 PM",)),
        ("the 100 best", "de 1000 beste", ("100",)),
    ],
)
def test_a_changed_or_dropped_number_is_named(
    source: str, translation: str, missing: tuple[str, ...]
) -> None:
    assert missing_numbers(source, translation) == missing
    line = describe(source, translation)
    assert line is not None and all(shown in line for shown in missing)


def test_a_number_made_up_is_named() -> None:
    assert describe("Our groups meet weekly.", "Onze 12 groepen komen wekelijks samen.") == (
        "number 12 not in the source"
    )
    assert describe("A million people", "1 miljoen mensen") is None  # spelled in the source


def test_describe_says_what_the_translation_has_instead() -> None:
    assert describe("€200k funding", "€2M financiering") == (
        "number €200k not in the translation (the translation has €2M)"
    )


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Join the national group in your country and help us with the campaign.", "nl"),
        ("Join the national group in your country and help us with the campaign.", "de"),
        ("Word lid van de nationale groep in jouw land en help ons met de campagne.", "de"),
        ("Werde Mitglied der nationalen Gruppe in deinem Land und hilf uns bei der Kampagne.", "nl"),
    ],
)
def test_a_translation_in_another_language_is_named(text: str, target: str) -> None:
    assert wrong_language(text, target) is not None


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Word lid van de nationale groep in jouw land en help ons met de campagne.", "nl"),
        ("Werde Mitglied der nationalen Gruppe in deinem Land und hilf uns bei der Kampagne.", "de"),
        ("PauseAI", "nl"),
        ("FAQ", "de"),
        ("Discord", "nl"),
        ("Lees `the docs` op [de site](/the-site-of-the-people)", "nl"),
        ("Over ons", "nl"),
        ("OpenAI, Google DeepMind, Anthropic", "nl"),
        ("Join us", "nl"),  # too short to tell
    ],
)
def test_short_names_code_and_real_translations_pass(text: str, target: str) -> None:
    assert wrong_language(text, target) is None


def test_an_answer_that_is_the_source_is_not_translated() -> None:
    source = "We are a group of volunteers from all over the world."
    assert wrong_language(source, "nl", source=source) == "not translated: the answer is the source text"
    assert wrong_language("PauseAI Global", "nl", source="PauseAI Global") is None


def reviewed_pairs() -> list[tuple[str, str, str]]:
    """(language, source, reviewed translation) of the repository's catalogs, and of the aligned corpus
    pairs when ../shared is there."""
    from i18n import read_page
    from i18n.catalog.model import State
    from i18n.catalog.po import read_catalog
    from i18n.markdown.align import align_pages

    from .support import ROOT

    found = [
        (language, m.msgid, m.msgstr)
        for language in ("nl", "de")
        for path in sorted((ROOT / "locales" / language).glob("*.po"))
        for m in read_catalog(path, path.name, language).active
        if m.msgstr and m.state is State.REVIEWED
    ]
    pairs = ROOT.parent / "shared" / "corpus" / "pairs"
    for english in sorted((pairs / "en").glob("*.md")) if pairs.is_dir() else ():
        if (pairs / "nl" / english.name).is_file():
            source = read_page(english)
            texts = {s.id: s.text for s in source.segments}
            aligned = align_pages(source, read_page(pairs / "nl" / english.name)).pairs
            found += [("nl", texts[p.segment_id], p.text) for p in aligned]
    return found


def test_no_false_alarm_on_reviewed_translations() -> None:
    pairs = reviewed_pairs()
    assert len(pairs) >= 150
    numbers = [(s, t) for _, s, t in pairs if describe(s, t)]
    language = [(lang, t) for lang, s, t in pairs if s.strip() != t.strip() and wrong_language(t, lang)]
    assert numbers == [] and language == []
    english = [s for lang, s, t in pairs if s.strip() != t.strip()]
    caught = sum(wrong_language(s, "nl") is not None for s in english)
    assert caught >= len(english) * 0.6  # most English texts are told from Dutch


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789 .,k€$%:/-MmaeilnordsBb\n", max_size=40))
def test_a_text_agrees_with_itself(text: str) -> None:
    assert describe(text, text) is None
