"""``Page.render`` skips re-parsing its output when every edit is proven local (``_local``). The proof
must never be wrong: whenever it holds, the full structure comparison (a markdown-it parse of the
result) must agree that nothing but words changed. Tested on every fixture and real page, with pseudo
translations and with random edits of the kind engines make."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from i18n import Page, parse_page
from i18n.mt.pseudo import pseudo_localize
from i18n.mt.xmlmarkup import decode, encode

from .support import FIXTURES, ROOT, SHARED, read_text
from .test_properties import pages, parsed

PAGES = sorted(
    [*FIXTURES.glob("pages/*.md"), *(ROOT / "content").glob("*.md"), *(SHARED / "corpus" / "en").glob("*.md")]
)
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
]


def _pseudo(text: str) -> str:
    encoded = encode(text)
    return decode(encoded, pseudo_localize(encoded.xml, encoded.ignore_tags))


def _mutate(text: str, rnd: random.Random) -> str:
    words = text.split(" ")
    for _ in range(rnd.randrange(1, 4)):
        i = rnd.randrange(len(words) + 1)
        words.insert(i, rnd.choice(_EDITS))
    if len(words) > 2 and rnd.random() < 0.3:
        i = rnd.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def _agrees(page: Page, translations: dict[str, str]) -> bool:
    """True when the proof held for every edit (and then the full comparison must agree)."""
    edits = page._edits(translations, page.inject_anchors)
    if not edits or not all(local for _, _, local in edits):
        return False
    output = "".join(page.render(translations))  # no RenderError: the proof said local
    problem = page._structure.difference(page._structure_of(output))
    assert problem is None, f"proof held but the {problem} changed"
    return True


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_pseudo_translations_proven_local_change_no_structure(path: Path) -> None:
    page = parse_page(read_text(path), path=path)
    translations = {s.id: _pseudo(s.text) for s in page.segments if s.kind.value != "html"}
    _agrees(page, translations)
    for segment_id, text in translations.items():
        _agrees(page, {segment_id: text})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PAGES), st.randoms(use_true_random=False), st.floats(0.05, 1.0))
def test_random_edits_proven_local_change_no_structure(path: Path, rnd: random.Random, share: float) -> None:
    page = parse_page(read_text(path), path=path)
    translations = {s.id: _mutate(s.text, rnd) for s in page.segments if rnd.random() < share}
    _agrees(page, translations)


def test_the_proof_is_not_vacuous() -> None:
    """Across the pages, random edits are proven local often (the fast path is used), pseudo translations
    of most whole pages are, and edits that do change markup (a new list marker, a lost link) are not."""
    proven = whole = 0
    rnd = random.Random(7)
    for path in PAGES:
        page = parse_page(read_text(path), path=path)
        for segment in page.segments:
            proven += _agrees(page, {segment.id: _mutate(segment.text, rnd)})
        whole += _agrees(page, {s.id: _pseudo(s.text) for s in page.segments if s.kind.value != "html"})
    assert proven > 100
    assert whole > len(PAGES) // 2
    page = parse_page("Intro.\n\nSee [our plans](/plans) now.\n")
    (segment,) = [s for s in page.segments if "plans" in s.text]
    assert not page._edits({segment.id: "- Zie onze plannen nu."}, True)[0][2]
    assert not page._edits({segment.id: "Zie [onze plannen] nu."}, True)[0][2]
    assert page._edits({segment.id: "Zie [onze plannen](/plans) nu."}, True)[0][2]


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_edits_on_generated_pages(data: st.DataObject) -> None:
    """Markdown-ish pages made of block and inline syntax fragments (tests/test_properties.py)."""
    page = parsed(data.draw(pages))
    rnd = data.draw(st.randoms(use_true_random=False))
    translations = {s.id: _mutate(s.text, rnd) for s in page.segments}
    _agrees(page, translations)


def test_a_trailing_backslash_is_never_proven_local() -> None:
    """It would escape what follows the segment in the page: an image alt's closing bracket, a table
    cell's pipe (a case hypothesis found)."""
    page = parse_page("![alt](/i.png)\n\n| a | b |\n|---|---|\n| c | d |\n")
    for segment in page.segments:
        assert not page._edits({segment.id: segment.text + " \\\\"}, True)[0][2]
        assert page._edits({segment.id: segment.text + " x"}, True)[0][2]
