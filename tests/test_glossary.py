"""Tests for the glossary: format, validation, DeepL naming and compliance checks."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from i18n.errors import I18nError
from i18n.mt.glossary import (
    Glossary,
    GlossaryError,
    Term,
    check_terms,
    deepl_glossary_name,
    load_glossary,
    parse_glossary,
)

ROOT = Path(__file__).resolve().parent.parent
PROJECT = load_glossary(ROOT / "glossary.yaml")

SMALL = """\
do_not_translate:
  - PauseAI
  - Discord
terms:
  national group:
    nl: nationale groep
    de: nationale Gruppe
  volunteer:
    nl: vrijwilliger
    de: Freiwillige
  oversight team:
    nl: Oversight-team
  lobbying:
    de: Lobbyarbeit
"""


def parse(text: str) -> Glossary:
    return parse_glossary(textwrap.dedent(text), "glossary.yaml")


def fail(text: str) -> GlossaryError:
    with pytest.raises(GlossaryError) as info:
        parse(text)
    return info.value


# --- loading -----------------------------------------------------------------------------------------


def test_project_glossary_loads() -> None:
    assert PROJECT.keep == ("PauseAI", "PauseAI Global", "Discord")
    sources = [term.source for term in PROJECT.terms]
    assert sources[:3] == ["national group", "local group", "volunteer"]
    assert "funding scenario" in sources
    assert PROJECT.languages == ("de", "nl")
    national = PROJECT.terms[0]
    assert national.targets == (("nl", "nationale groep"), ("de", "nationale Gruppe"))
    assert national.line == 9
    assert national.target("de") == "nationale Gruppe"
    assert national.target("fr") is None


def test_glossary_and_terms_are_hashable_and_frozen() -> None:
    glossary = parse(SMALL)
    assert hash(glossary) == hash(parse(SMALL))
    assert glossary == parse(SMALL)
    with pytest.raises(AttributeError):
        glossary.terms[0].source = "x"  # type: ignore[misc]


def test_missing_file_is_empty(tmp_path: Path) -> None:
    glossary = load_glossary(tmp_path / "glossary.yaml")
    assert glossary == Glossary()
    assert glossary.entries("nl") == {}


@pytest.mark.parametrize("text", ["", "# only a comment\n", "do_not_translate:\nterms:\n"])
def test_empty_documents(text: str) -> None:
    assert parse_glossary(text) == Glossary()


def test_load_reads_file_and_names_it_in_errors(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_text("\ufeffdo_not_translate:\n  - PauseAI\n", encoding="utf-8")
    assert load_glossary(path).keep == ("PauseAI",)
    path.write_text("do_not_translate:\n  - PauseAI\n  - pauseai\n", encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    assert str(info.value) == f"{path}:3: duplicate do-not-translate term 'pauseai' (first on line 2)"
    assert info.value.path == str(path)
    assert info.value.line == 3
    assert isinstance(info.value, I18nError)


def test_load_rejects_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_bytes(b"terms:\n  caf\xe9:\n    nl: x\n")
    with pytest.raises(GlossaryError, match=r"glossary\.yaml: not UTF-8"):
        load_glossary(path)


def test_norwegian_language_code_is_not_a_boolean() -> None:
    glossary = parse("terms:\n  volunteer:\n    no: frivillig\n    'on': x\n")
    assert glossary.terms[0].targets == (("no", "frivillig"), ("on", "x"))


def test_regional_language_falls_back_to_base() -> None:
    glossary = parse("terms:\n  volunteer:\n    pt: voluntário\n    pt-BR: voluntário BR\n")
    assert glossary.entries("pt-BR") == {"volunteer": "voluntário BR"}
    assert glossary.entries("pt-PT") == {"volunteer": "voluntário"}


# --- validation --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "terms:\n  national group:\n    nl: a\n  volunteer:\n    nl: b\n  National group:\n    nl: c\n",
            "glossary.yaml:6: duplicate term 'National group' (first on line 2)",
        ),
        (
            "terms:\n  national group:\n    nl: a\n  National  group:\n    nl: c\n",
            "glossary.yaml:4: duplicate term 'National  group' (first on line 2)",
        ),
        (
            "do_not_translate:\n  - PauseAI\n  - Discord\n  - PAUSEAI\n",
            "glossary.yaml:4: duplicate do-not-translate term 'PAUSEAI' (first on line 2)",
        ),
        (
            "do_not_translate:\n  - PauseAI\nterms:\n  pauseai:\n    nl: PauzeAI\n",
            "glossary.yaml:4: term 'pauseai' is also in do_not_translate (line 2); keep one",
        ),
        (
            "do_not_translate:\n  - PauseAI\nterm:\n  a: {nl: b}\n",
            "glossary.yaml:3: unknown key 'term' (did you mean 'terms'?)",
        ),
        (
            "do_not_translate:\n  - PauseAI\nwords: {}\n",
            "glossary.yaml:3: unknown key 'words' (expected 'do_not_translate' or 'terms')",
        ),
        (
            "terms:\n  a: {nl: b}\nterms:\n  c: {nl: d}\n",
            "glossary.yaml:3: duplicate key 'terms' (first on line 1)",
        ),
        (
            "- PauseAI\n",
            "glossary.yaml:1: expected a mapping with 'do_not_translate' and 'terms', got a list",
        ),
        (
            "do_not_translate: PauseAI\n",
            "glossary.yaml:1: do_not_translate must be a list of terms, got a string (PauseAI)",
        ),
        ("terms:\n  - a\n", "glossary.yaml:2: terms must map each term to its translations, got a list"),
        ("do_not_translate:\n  -\n", "glossary.yaml:2: empty do-not-translate term"),
        ("do_not_translate:\n  - ''\n", "glossary.yaml:2: empty do-not-translate term"),
        ("terms:\n  '':\n    nl: x\n", "glossary.yaml:2: empty term"),
        ("terms:\n  volunteer:\n    nl:\n", "glossary.yaml:3: empty translation of 'volunteer' in 'nl'"),
        ("terms:\n  volunteer:\n    nl: '  '\n", "glossary.yaml:3: empty translation of 'volunteer' in 'nl'"),
        (
            "terms:\n  volunteer:\n",
            "glossary.yaml:2: term 'volunteer' must map language codes to translations, got nothing",
        ),
        (
            "terms:\n  volunteer: {}\n",
            "glossary.yaml:2: term 'volunteer' has no translations; add some or move it to do_not_translate",
        ),
        (
            'terms:\n  volunteer:\n    nl: "vrij\\twilliger"\n',
            "glossary.yaml:3: translation of 'volunteer' in 'nl' 'vrij\\twilliger' contains a tab",
        ),
        (
            'terms:\n  "national\\ngroup":\n    nl: x\n',
            "glossary.yaml:2: term 'national\\ngroup' contains a line break",
        ),
        (
            "do_not_translate:\n  - 'PauseAI '\n",
            "glossary.yaml:2: do-not-translate term 'PauseAI ' has leading or trailing whitespace; trim it",
        ),
        (
            "terms:\n  volunteer:\n    nl: ' vrijwilliger'\n",
            "glossary.yaml:3: translation of 'volunteer' in 'nl' ' vrijwilliger' has leading or trailing"
            " whitespace; trim it",
        ),
        (
            "terms:\n  volunteer:\n    NL: vrijwilliger\n",
            "glossary.yaml:3: invalid language code 'NL' for term 'volunteer' (like 'nl', 'pt-BR')",
        ),
        (
            "terms:\n  volunteer:\n    nl_BE: vrijwilliger\n",
            "glossary.yaml:3: invalid language code 'nl_BE' for term 'volunteer' (like 'nl', 'pt-BR')",
        ),
        (
            "terms:\n  volunteer:\n    nl: a\n    de: b\n    nl: c\n",
            "glossary.yaml:5: duplicate language 'nl' for term 'volunteer' (first on line 3)",
        ),
        (
            "do_not_translate:\n  - 42\n",
            "glossary.yaml:2: do-not-translate term must be a string, got an integer (42); quote it",
        ),
        (
            "terms:\n  yes:\n    nl: ja\n",
            "glossary.yaml:2: term must be a string, got a boolean (yes); quote it",
        ),
        (
            "terms:\n  volunteer:\n    nl: [a, b]\n",
            "glossary.yaml:3: translation of 'volunteer' in 'nl' must be a string, got a list",
        ),
        (
            "terms:\n  volunteer:\n    nl: 2024-01-01\n",
            "glossary.yaml:3: translation of 'volunteer' in 'nl' must be a string, got a date (2024-01-01);"
            " quote it",
        ),
    ],
)
def test_validation_errors_name_file_and_line(text: str, expected: str) -> None:
    error = fail(text)
    assert str(error) == expected
    assert error.path == "glossary.yaml"
    assert error.line == int(expected.split(":")[1])


def test_yaml_syntax_error_has_line() -> None:
    error = fail("terms:\n  volunteer:\n    nl: vrijwilliger\n    de: [Freiwillige\n")
    assert error.line is not None and error.line >= 4
    assert str(error).startswith(f"glossary.yaml:{error.line}: invalid YAML: ")

    error = fail("do_not_translate:\n  - PauseAI\n terms: x: y\n")
    assert error.line == 3
    assert "invalid YAML" in str(error)


def test_error_uses_given_path(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError) as info:
        parse_glossary("terms:\n  a:\n    xx-: b\n", tmp_path / "g.yaml")
    assert str(info.value).startswith(f"{tmp_path / 'g.yaml'}:3: invalid language code 'xx-'")


# --- entries and DeepL names ------------------------------------------------------------------------


def test_entries_per_language() -> None:
    glossary = parse(SMALL)
    assert glossary.entries("nl") == {
        "PauseAI": "PauseAI",
        "Discord": "Discord",
        "national group": "nationale groep",
        "volunteer": "vrijwilliger",
        "oversight team": "Oversight-team",
    }
    assert glossary.entries("de") == {
        "PauseAI": "PauseAI",
        "Discord": "Discord",
        "national group": "nationale Gruppe",
        "volunteer": "Freiwillige",
        "lobbying": "Lobbyarbeit",
    }
    assert glossary.entries("fr") == {"PauseAI": "PauseAI", "Discord": "Discord"}
    assert PROJECT.entries("de")["local group"] == "Ortsgruppe"


def test_digest_is_stable_and_tracks_content() -> None:
    glossary = parse(SMALL)
    digest = glossary.digest()
    assert len(digest) == 12 and int(digest, 16) >= 0
    assert parse(SMALL).digest() == digest
    assert parse("# comment\n\n" + SMALL).digest() == digest  # lines do not matter
    reordered = SMALL.replace("  - PauseAI\n  - Discord\n", "  - Discord\n  - PauseAI\n")
    assert parse(reordered).digest() == digest

    changed = parse(SMALL.replace("nationale groep", "nationale groepering"))
    assert changed.digest() != digest
    assert changed.digest("nl") != glossary.digest("nl")
    assert changed.digest("de") == glossary.digest("de")  # only Dutch changed
    assert parse(SMALL.replace("  - Discord\n", "")).digest() != digest
    assert glossary.digest("nl") != glossary.digest("de")
    assert glossary.digest("nl") != digest


def test_deepl_glossary_name() -> None:
    glossary = parse(SMALL)
    name = deepl_glossary_name(glossary, "en", ["nl", "de"])
    assert name.startswith("i18n-en-")
    assert len(name) == len("i18n-en-") + 12
    assert int(name.removeprefix("i18n-en-"), 16) >= 0
    assert deepl_glossary_name(parse(SMALL), "en", ["de", "nl", "de"]) == name
    assert deepl_glossary_name(glossary, "en", ["en", "nl", "de"]) == name  # source language ignored
    assert deepl_glossary_name(glossary, "en", ["nl"]) != name
    assert deepl_glossary_name(glossary, "fr", ["nl", "de"]).startswith("i18n-fr-")
    changed = parse(SMALL.replace("Freiwillige", "Ehrenamtliche"))
    assert deepl_glossary_name(changed, "en", ["nl", "de"]) != name
    assert deepl_glossary_name(changed, "en", ["nl"]) == deepl_glossary_name(glossary, "en", ["nl"])


def test_term_dataclass() -> None:
    term = Term(source="volunteer", targets=(("nl", "vrijwilliger"),), line=3)
    assert Glossary(terms=(term,)).entries("nl") == {"volunteer": "vrijwilliger"}


# --- compliance --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "translation", "language"),
    [
        ("Join a national group.", "Word lid van een nationale groep.", "nl"),
        ("Our national groups meet monthly.", "Onze nationale groepen komen maandelijks samen.", "nl"),
        ("Our National Groups meet monthly.", "Unsere nationalen Gruppen treffen sich monatlich.", "de"),
        ("We need volunteers.", "We zoeken vrijwilligers.", "nl"),
        ("A volunteer's guide.", "Een gids voor vrijwilligers.", "nl"),
        ("Thank the volunteers.", "Dank an die Freiwilligen.", "de"),
        ("Lobbying works.", "Lobbyarbeit wirkt.", "de"),
        ("PauseAI's volunteers.", "De vrijwilligers van PauseAI.", "nl"),
        ("A PauseAI protest.", "Een PauseAI-protest.", "nl"),
        ("A PauseAI protest.", "Ein PauseAI-Protest.", "de"),
        ("Two PauseAI groups.", "Twee PauseAIs.", "nl"),
        ("The oversight team decides.", "Het Oversight-team beslist.", "nl"),
        ("The oversight teams decide.", "De Oversight-teams beslissen.", "nl"),
        ("National group volunteers.", "Nationalgruppen-Freiwillige.", "de"),
        ("Lobbying works.", "Lobbying werkt.", "nl"),  # no Dutch target: not checked
        ("The oversight team decides.", "Das Aufsichtsteam entscheidet.", "de"),  # no German target
        ("Nothing to see here.", "Hier valt niets te zien.", "nl"),
        ("Sowing discord.", "Tweedracht zaaien.", "nl"),  # the ordinary word, not the product
        (
            "See [the guide](/volunteer) and `PauseAI`.",
            "Siehe [die Anleitung](/volunteer) und `PauseAI`.",
            "de",
        ),
        ("Visit https://pauseai.info/volunteer now.", "Besuche jetzt https://pauseai.info/volunteer.", "de"),
    ],
)
def test_compliant_translations(source: str, translation: str, language: str) -> None:
    assert check_terms(parse(SMALL), source, translation, language) == ()


@pytest.mark.parametrize(
    ("source", "translation", "language", "violated"),
    [
        ("The oversight team decides.", "Het Toezichtteam beslist.", "nl", ("oversight team",)),
        ("A PauseAI protest.", "Een PauzeAI-protest.", "nl", ("PauseAI",)),
        ("A PauseAI protest.", "Een pauseai-protest.", "nl", ("PauseAI",)),
        ("Join a national group.", "Word lid van een landelijke afdeling.", "nl", ("national group",)),
        ("Thank the volunteers.", "Dank an die Ehrenamtlichen.", "de", ("volunteer",)),
        ("Lobbying works.", "Interessenvertretung wirkt.", "de", ("lobbying",)),
        ("Join our Discord.", "Word lid van onze chat.", "nl", ("Discord",)),
        (
            "PauseAI volunteers and national groups.",
            "Ehrenamtliche und Landesverbände von PausAI.",
            "de",
            ("PauseAI", "national group", "volunteer"),
        ),
        ("A volunteer.", "Een vrijwilliger.", "de", ("volunteer",)),  # wrong language's target
        ("See [the volunteers](/join).", "Zie [de helpers](/vrijwilliger).", "nl", ("volunteer",)),
    ],
)
def test_violations(source: str, translation: str, language: str, violated: tuple[str, ...]) -> None:
    assert check_terms(parse(SMALL), source, translation, language) == violated


def test_longer_term_claims_its_words() -> None:
    glossary = PROJECT
    assert check_terms(glossary, "PauseAI Global", "PauseAI Wereldwijd", "nl") == ("PauseAI Global",)
    assert check_terms(glossary, "PauseAI Global", "PauseAI Global", "nl") == ()
    assert check_terms(glossary, "PauseAI Global and PauseAI", "PauseAI Wereldwijd en PauseAI", "nl") == (
        "PauseAI Global",
    )


def test_project_glossary_compliance() -> None:
    assert check_terms(PROJECT, "Local groups protest.", "Ortsgruppen protestieren.", "de") == ()
    assert check_terms(PROJECT, "AI safety first.", "KI-Sicherheit zuerst.", "de") == ()
    assert check_terms(PROJECT, "AI safety first.", "AI-veiligheid eerst.", "nl") == ()
    assert check_terms(PROJECT, "AI safety first.", "KI Sicherheit zuerst.", "de") == ()
    assert check_terms(PROJECT, "AI safety first.", "Sicherheit von KI zuerst.", "de") == ()  # fuzzy
    assert check_terms(PROJECT, "AI safety first.", "AI-Sicherheit zuerst.", "de") == ("AI safety",)
    assert check_terms(PROJECT, "AI safety first.", "Kindersicherheit zuerst.", "de") == ("AI safety",)
    assert check_terms(PROJECT, "Funding scenarios", "Finanzierungsszenarien", "de") == ()
    assert check_terms(PROJECT, "Our elected representatives", "Onze volksvertegenwoordigers", "nl") == ()
    assert check_terms(PROJECT, "Our elected representatives", "Unsere Politiker", "de") == (
        "elected representative",
    )


def test_accents_and_case_are_ignored_for_targets() -> None:
    glossary = parse("terms:\n  city:\n    de: Stadt\n  café:\n    fr: café\n")
    assert check_terms(glossary, "Many cities.", "Viele Städte.", "de") == ()
    assert check_terms(glossary, "The café.", "Le CAFE.", "fr") == ()
    assert check_terms(glossary, "The café.", "Le bistro.", "fr") == ("café",)


def test_empty_glossary_checks_nothing() -> None:
    assert check_terms(Glossary(), "PauseAI volunteers", "iets anders", "nl") == ()
