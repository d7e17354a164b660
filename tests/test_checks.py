"""The translation validator shared by human and machine translations."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from i18n import SegmentKind, parse_page
from i18n.checks import Problem, Violation, check_translation

from .support import ROOT, SHARED, read_text

CONTENT = sorted((ROOT / "content").glob("*.md"))
CORPUS = sorted((SHARED / "corpus" / "en").glob("*.md")) if (SHARED / "corpus" / "en").exists() else []
_LEADING_TAGS = re.compile(r"^((?:<[^>]+>\s*)*)")

P, H, CELL, ALT, HTML, FM = (
    SegmentKind.PARAGRAPH,
    SegmentKind.HEADING,
    SegmentKind.TABLE_CELL,
    SegmentKind.IMAGE_ALT,
    SegmentKind.HTML,
    SegmentKind.FRONTMATTER,
)


def problems(source: str, translation: str, kind: SegmentKind = P, *, machine: bool = False) -> set[Problem]:
    return {v.problem for v in check_translation(source, translation, kind, machine=machine)}


@pytest.mark.parametrize("path", CONTENT + CORPUS, ids=lambda p: p.name)
def test_identity_and_prefixed_translations_pass(path: Path) -> None:
    page = parse_page(read_text(path), path=path.name)
    assert page.segments
    for segment in page.segments:
        for machine in (False, True):
            found = check_translation(segment.text, segment.text, segment.kind, machine=machine)
            assert found == (), f"{path.name} {segment.id}: {[str(v) for v in found]}"
        # a stand-in translation that adds a word but keeps all markup is fine too
        if segment.kind is SegmentKind.HTML:
            marked = _LEADING_TAGS.sub(lambda m: m.group(1) + "NL ", segment.text, count=1)
        else:
            marked = "NL " + segment.text
        found = check_translation(segment.text, marked, segment.kind, machine=True)
        assert found == (), f"{path.name} {segment.id}: {[str(v) for v in found]}"


def test_corpus_is_checked_when_present() -> None:
    if not (SHARED / "corpus" / "en").exists():
        pytest.skip("no shared corpus")
    assert CORPUS, "the shared corpus has no pages"


# (problem, kind, machine, source, failing translation, passing translation)
CASES = [
    (Problem.EMPTY, P, False, "Join us.", " \n\t", "Doe mee."),
    (Problem.EMPTY, FM, False, "Join us", "   ", "Doe mee"),
    (Problem.LINK_TARGETS, P, False, "See [teams](/teams).", "Zie [teams](/teamen).", "Zie [teams](/teams)."),
    (
        Problem.LINK_TARGETS,
        P,
        False,
        "[Act](/act) and [donate](/donate).",
        "[Doneer](/donate) en [kom](/act) [in actie](/act).",
        "[Doneer](/donate) en [kom in actie](/act).",
    ),
    (
        Problem.LINK_TARGETS,
        P,
        False,
        "See ![a cat](/cat.png)",
        "Zie ![een kat](/kat.png)",
        "Zie ![een kat](/cat.png)",
    ),
    (
        Problem.LINK_TARGETS,
        P,
        False,
        "Mail <info@pauseai.info>.",
        "Mail info@pauseai.info.",
        "Mail <info@pauseai.info>.",
    ),
    (
        Problem.LINK_TARGETS,
        P,
        False,
        "Ask in [our Discord][discord].",
        "Vraag het in [onze Discord][onze-discord].",
        "Vraag het in [onze Discord][Discord].",
    ),
    (
        Problem.LINK_TARGETS,
        P,
        False,
        "Join [Discord][] now.",
        "Word lid van [Discordserver][].",
        "Kom op [Discord][].",
    ),
    (Problem.CODE, P, False, "Run `i18n run` now.", "Voer nu uit.", "Voer nu `i18n run` uit."),
    (Problem.CODE, CELL, False, "Use `--json`", "Gebruik `--jsoon`", "Gebruik `--json`"),
    (
        Problem.HTML,
        P,
        False,
        'The <abbr title="Artificial Intelligence">AI</abbr> risk',
        'Het <abbr title="Kunstmatige Intelligentie">AI</abbr>-risico',
        'Het  <abbr  title="Artificial Intelligence">AI</abbr>-risico',
    ),
    (Problem.HTML, P, False, "One<br>two", "Een twee", "Een<br>twee"),
    (
        Problem.HTML,
        HTML,
        False,
        "<p>Hello <b>you</b></p>",
        "<p>Hallo <strong>jij</strong></p>",
        "<p>Hallo <b>jij</b></p>",
    ),
    (Problem.PLACEHOLDERS, P, False, "Hello {name}, welcome", "Hallo, welkom", "Welkom, {name}"),
    (Problem.PLACEHOLDERS, FM, False, "{count} members", "{aantal} leden", "{count} leden"),
    (
        Problem.PLACEHOLDERS,
        HTML,
        False,
        "<p><em>Join</em></p>\n{/if}",
        "<p><em>Doe mee</em></p>",
        "<p><em>Doe mee</em></p>\n{/if}",
    ),
    (Problem.MARKUP, P, False, "**Speed** matters.", "**Snelheid telt.", "**Snelheid** telt."),
    (Problem.MARKUP, P, False, "A _big_ risk.", "Een groot risico.", "Een *groot* risico."),
    (Problem.MARKUP, P, False, "Plain text here.", "Gewone ~~tekst hier.", "Gewone tekst hier."),
    (Problem.MARKUP, P, False, "Plain text here.", "Gewone ` tekst hier.", "Gewone tekst hier."),
    (
        Problem.NEW_BLOCK,
        P,
        False,
        "One paragraph of text.",
        "Een alinea.\n\nNog een.",
        "Een alinea\nover twee regels.",
    ),
    (
        Problem.NEW_BLOCK,
        P,
        False,
        "One paragraph of text.",
        "Een alinea\n\n- met een lijst",
        "Een alinea\n- met een streep",  # escaped when written (`\\- met`): no list (issue 24)
    ),
    (Problem.NEW_BLOCK, P, False, "One paragraph of text.", "Een alinea\n# kop", "Een alinea # geen kop"),
    (
        Problem.NEW_BLOCK,
        P,
        False,
        "One paragraph of text.",
        "Een alinea\n> citaat",
        "Een alinea > geen citaat",
    ),
    (Problem.NEW_BLOCK, P, False, "One paragraph of text.", "Een alinea\n* * *", "Een alinea"),
    (Problem.NEW_BLOCK, P, False, "One paragraph of text.", "Een alinea\n===", "Een alinea =="),
    (Problem.NEW_BLOCK, HTML, False, "<p>Hello\nthere</p>", "<p>Hallo\n\ndaar</p>", "<p>Hallo\ndaar</p>"),
    (Problem.NEW_BLOCK, H, False, "Our goals", "# Onze doelen", "Onze\n- doelen"),
    (Problem.ANCHOR, H, False, "Our goals", "Onze doelen {#onze-doelen}", "Onze doelen"),
    (
        Problem.PREAMBLE,
        P,
        True,
        "We need a pause on frontier AI.",
        "Hier is de vertaling: We hebben een pauze nodig.",
        "We hebben een pauze nodig op frontier-AI.",
    ),
    (
        Problem.LENGTH,
        P,
        True,
        "We need a pause on frontier AI.",
        "Pauze.",
        "We hebben een pauze nodig op frontier-AI.",
    ),
    (
        Problem.LENGTH,
        P,
        True,
        "We need a pause on frontier AI.",
        ("Pauze! " * 20).strip(),  # no trailing space: that is a whitespace problem of its own
        "We hebben een pauze nodig, nu!",
    ),
    (Problem.LENGTH, H, True, "Why?", "Waarom? " + "x" * 200, "Waarom is dit zo belangrijk voor ons?"),
]


@pytest.mark.parametrize(
    ("problem", "kind", "machine", "source", "bad", "good"),
    CASES,
    ids=[f"{c[0].value}-{c[1].value}-{i}" for i, c in enumerate(CASES)],
)
def test_problem_table(
    problem: Problem, kind: SegmentKind, machine: bool, source: str, bad: str, good: str
) -> None:
    assert problems(source, bad, kind, machine=machine) == {problem}
    assert problems(source, good, kind, machine=machine) == set()


def test_violation_codes_and_text() -> None:
    assert [p.value for p in Problem] == [
        "empty",
        "link-targets",
        "code",
        "html",
        "placeholders",
        "markup",
        "new-block",
        "anchor",
        "length",
        "preamble",
        "line-break",
        "hard-break",
        "whitespace",
        "doubled-word",
        "numbers",
        "language",
    ]
    (violation,) = check_translation("See [people](/people).", "Zie [mensen](/mensen).", P)
    assert violation == Violation(Problem.LINK_TARGETS, "link target '/people' missing; '/mensen' added")
    assert str(violation) == "link-targets: link target '/people' missing; '/mensen' added"
    with pytest.raises(AttributeError):
        violation.detail = "x"  # type: ignore[misc]


def test_details_name_what_changed() -> None:
    def detail(source: str, translation: str, kind: SegmentKind = P) -> str:
        return "\n".join(str(v) for v in check_translation(source, translation, kind, machine=True))

    assert detail("[a](/a) [b](/b)", "a b") == "link-targets: link targets '/a', '/b' missing"
    assert (
        detail("Ask [us][discord].", "Vraag [ons][chat].")
        == "link-targets: link target '[discord]' missing; '[chat]' added"
    )
    assert (
        detail("Ask [us][discord].", "Vraag [ons][discord] of [mail][].")
        == "link-targets: link target '[mail]' added"
    )
    assert detail("Go `now`", "Ga `nu`") == "code: code span 'now' missing; 'nu' added"
    assert detail("**Speed**", "**Snelheid") == (
        "markup: strong: 1 in the source, 0 in the translation; stray '**' in the text"
    )
    assert detail("Text here.", "Tekst.\n\nHier.") == (
        "new-block: translation parses as paragraph, paragraph; the source as paragraph"
    )
    assert detail("Our goals", "Doelen {#x}", H) == (
        "anchor: heading anchor '{#x}' added (the pipeline adds the English one)"
    )
    assert detail("Good morning, everyone here!", "Sure! Goedemorgen allemaal!") == (
        "preamble: translation starts with chatter 'Sure!'"
    )


def test_every_problem_is_reported_once() -> None:
    found = check_translation(
        "See [teams](/teams), `code`, <b>it</b> and {x}, **bold**.",
        "Zie teams.\n\n**vet {y}",
        P,
    )
    assert [v.problem for v in found] == [
        Problem.LINK_TARGETS,
        Problem.CODE,
        Problem.HTML,
        Problem.PLACEHOLDERS,
        Problem.MARKUP,
        Problem.NEW_BLOCK,
    ]


def test_blank_translation_is_only_empty() -> None:
    assert check_translation("[a](/a) `b`", "\n  \n", P, machine=True) == (
        Violation(Problem.EMPTY, "translation is blank"),
    )


def test_links_may_move_and_repeat_as_in_source() -> None:
    source = "Read [the proposal](/proposal), then [act](/act) and read [it again](/proposal)."
    assert (
        problems(source, "Kom [in actie](/act) na [het voorstel](/proposal) ([nogmaals](/proposal)).")
        == set()
    )
    assert problems(source, "Kom [in actie](/act) na [het voorstel](/proposal).") == {Problem.LINK_TARGETS}


def test_single_line_kinds_may_wrap() -> None:
    for kind in (H, CELL, ALT):
        assert problems("A fairly long text", "Een nogal\nlange tekst", kind) == set()
    assert problems("A fairly long text", "Een nogal\nlange tekst", P) == set()
    assert problems("A fairly long text", "Een nogal\n\nlange tekst", P) == {Problem.NEW_BLOCK}
    assert problems("A fairly long text", "Een nogal\n\nlange tekst", H) == set()  # collapsed when written


def test_continuation_lines_are_checked_as_written() -> None:
    # render strips the indentation of a translation's continuation lines, so this would become a list
    # item: the marker is escaped when written (issue 24), and a heading is refused
    assert problems("A paragraph.", "Een alinea\n    - geen lijst?", P) == set()
    assert problems("A paragraph.", "Een alinea\n    # een kop?", P) == {Problem.NEW_BLOCK}
    assert problems("A paragraph.", "Een alinea", P) == set()
    # spaces and line breaks at the ends are checked as pofilter and msgfmt do (issue 24)
    assert problems("A paragraph.", "  Een alinea  \n", P) == {Problem.WHITESPACE, Problem.LINE_BREAK}


def test_frontmatter_is_plain_text() -> None:
    assert problems("Join **us** at [home](/)", "Doe mee", FM) == set()
    assert problems("Our `tool`", "Ons\n\ngereedschap", FM) == set()
    assert problems("{n} groups", "groepen", FM) == {Problem.PLACEHOLDERS}
    assert problems("Our groups", "Translation: Onze groepen", FM, machine=True) == {Problem.PREAMBLE}


def test_code_braces_are_code_not_placeholders() -> None:
    assert problems("Write `{name}` here", "Schrijf hier") == {Problem.CODE}
    assert problems("Write `{name}` here", "Schrijf `{name}` hier") == set()


def test_html_block_tags_are_compared_as_a_multiset() -> None:
    source = '<details open>\n<summary style="cursor:pointer">Show 2025 activities</summary>'
    assert (
        problems(
            source,
            '<details open>\n<summary style="cursor:pointer">Toon activiteiten van 2025</summary>',
            HTML,
        )
        == set()
    )
    assert problems(
        source, '<details>\n<summary style="cursor:pointer">Toon activiteiten</summary>', HTML
    ) == {Problem.HTML}


def test_anchor_only_for_headings_and_not_when_in_source() -> None:
    assert problems("Our goals", "Onze doelen {#goals}", H) == {Problem.ANCHOR}
    assert problems("Our goals", "Onze doelen {#goals}", P) == {Problem.PLACEHOLDERS}
    assert problems("Goals {#if x}", "Doelen {#if x}", H) == set()


@pytest.mark.parametrize(
    "chatter",
    [
        "Here is the translation: Wij willen een pauze.",
        "Here's your Dutch translation:\nWij willen een pauze.",
        "Translation: Wij willen een pauze.",
        "Sure, wij willen een pauze.",
        "Certainly! Wij willen een pauze.",
        "Ik heb mijn vertaling gemaakt: wij willen een pauze.",
        "Hier is de vertaling van de tekst: wij willen een pauze.",
        "Vertaling (NL): wij willen een pauze.",
        "Nederlandse vertaling: wij willen een pauze.",
        "Hier ist die Übersetzung: Wir wollen eine Pause.",
        "Übersetzung ins Deutsche: Wir wollen eine Pause.",
        "Voici la traduction : nous voulons une pause.",
        "Aquí está la traducción: queremos una pausa.",
        '"Here is the translation": Wij willen een pauze.',
    ],
)
def test_preamble_patterns(chatter: str) -> None:
    source = "We want a pause on frontier AI."
    assert problems(source, chatter, machine=True) == {Problem.PREAMBLE}
    assert problems(source, chatter, machine=False) == set()


def test_preamble_not_flagged_when_source_starts_alike_or_text_is_ordinary() -> None:
    assert (
        problems("Translation: a hard problem.", "Vertaling: een moeilijk probleem.", machine=True) == set()
    )
    assert problems("Sure, AI helps.", "Sure, AI helpt.", machine=True) == set()
    for ordinary in ("Zeker is dat AI helpt.", "Natuurlijk helpt AI.", "Hier is de kaart van Europa."):
        assert problems("Surely AI helps us all.", ordinary, machine=True) == set()


def test_length_bounds() -> None:
    source = "x" * 100
    assert problems(source, "y" * 30, machine=True) == set()
    assert problems(source, "y" * 29, machine=True) == {Problem.LENGTH}
    assert problems(source, "y" * 300, machine=True) == set()
    assert problems(source, "y" * 301, machine=True) == {Problem.LENGTH}
    assert problems("Hi", "y" * 202, machine=True) == set()  # short sources: up to 200 characters more
    assert problems("Hi", "y" * 203, machine=True) == {Problem.LENGTH}
    assert problems("Hi", "y" * 203, machine=False) == set()


_PIECES = [
    "word",
    "Woord",
    " ",
    "\n",
    "\n\n",
    "*",
    "**",
    "_",
    "__",
    "~~",
    "`",
    "`code`",
    "[link](/a)",
    "[l](/b 't')",
    "](/c)",
    "[",
    "]",
    "![alt](/i.png)",
    "!",
    "<abbr>",
    "</abbr>",
    "<br>",
    "{x}",
    "&amp;",
    "# ",
    "- ",
    "1. ",
    "> ",
    "    ",
    "[ref]",
    "[t][ref]",
    "[t][]",
    "|",
    "===",
    "---",
    "<div>",
    "⟦",
    "⟧",
    ".",
    "é",
    "(",
]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=10), st.randoms(use_true_random=False))
def test_shortcut_agrees_with_the_full_checks(pieces: list[str], rnd: random.Random) -> None:
    """Whenever the cheap markup comparison skips the markdown-it checks, they would have passed.

    The translation is the source with words changed, neighbours swapped and words inserted, as an engine
    does. (Escaped delimiters are left out: next to each other the full check reports literal ``\\*\\*``
    as a stray ``**``, a false alarm the shortcut does not raise.)
    """
    from i18n.checks import prepare, structure_problems
    from i18n.markdown.markup import same_markup as _same_markup

    changed = [{"word": "Woord", "Woord": "word"}.get(piece, piece) for piece in pieces]
    if len(changed) > 1 and rnd.random() < 0.5:
        i = rnd.randrange(len(changed) - 1)
        changed[i], changed[i + 1] = changed[i + 1], changed[i]
    if rnd.random() < 0.3:
        changed.insert(rnd.randrange(len(changed) + 1), rnd.choice(["word", " ", "x"]))
    src, dst = prepare("".join(pieces), P), prepare("".join(changed), P)
    if src.strip() and dst.strip() and _same_markup(src, dst):
        assert structure_problems(src, dst, P) == {}


def test_shortcut_sees_code_spans_across_lines_and_flanking_by_effect() -> None:
    """A code span may run over a line break: words inside it are markup, so the shortcut must not pass a
    translation that changes them. A delimiter run is compared by what it can do (open, close), so a
    pseudo-localiser's bracket after ``**`` is still the same markup."""
    from i18n.markdown.markup import same_markup as _same_markup

    assert not _same_markup("Run `make\nall` now", "Draai `maak\nalles` nu")
    assert _same_markup("Run `make\nall` now", "Draai `make\nall` nu")
    assert _same_markup("**Bold** text", "**⟦Vét** tékst⟧")
    assert not _same_markup("a **b** c", "a** b **c")  # the runs no longer open and close
