"""The site's own toolchain (pinned mdsvex + svelte, ``tests/site/``) compiles translated pages as it
compiles the English ones: same compile result, same href/src, same heading ids.

Skipped, with the reason, without node/npm or without the installed toolchain (``tests/site/install.sh``,
which ``.ci/run`` runs). No network here: the toolchain is installed beforehand, outside the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .site_toolchain import compare, fingerprints, pseudo_build, smartypants_id, unavailable

FIXTURES = Path(__file__).parent / "fixtures" / "site"
CORPUS = Path(__file__).parents[2] / "shared" / "corpus" / "en"

# In CI (`.ci/run` sets I18N_SITE_REQUIRED=1) a missing toolchain is a failure, not a skip.
REQUIRED = os.environ.get("I18N_SITE_REQUIRED") == "1"
pytestmark = pytest.mark.skipif(not REQUIRED and unavailable() is not None, reason=str(unavailable()))


def test_the_toolchain_is_there_when_required() -> None:
    assert unavailable() is None


@pytest.fixture(scope="module")
def fixtures_english() -> dict[str, dict[str, object]]:
    return fingerprints(FIXTURES)


def test_every_fixture_compiles_in_english(fixtures_english: dict[str, dict[str, object]]) -> None:
    assert sorted(fixtures_english) == sorted(p.name for p in FIXTURES.glob("*.md"))
    assert {page: fp["error"] for page, fp in fixtures_english.items() if not fp["ok"]} == {}


def test_the_fingerprint_sees_links_ids_and_errors(tmp_path: Path) -> None:
    """The script notices what the comparison relies on: bare URLs and e-mail addresses as links,
    heading ids, and a compile error from Svelte syntax read as prose."""
    (tmp_path / "a.md").write_text(
        "## Tasks & Roles\n\nMail press@example.com or see https://example.com/x.\n", encoding="utf-8"
    )
    (tmp_path / "b.md").write_text("<p>broken {#if}</p>\n\n## Heading {#x}\n", encoding="utf-8")
    found = fingerprints(tmp_path)
    assert found["a.md"]["ok"] and found["a.md"]["ids"] == ["tasks--roles"]
    assert found["a.md"]["links"] == ["href=https://example.com/x", "href=mailto:press@example.com"]
    assert not found["b.md"]["ok"] and "svelte" in str(found["b.md"]["error"])


def test_fixtures_translated_compile_with_the_same_links_and_ids(
    tmp_path: Path, fixtures_english: dict[str, dict[str, object]]
) -> None:
    """With the site's configuration as it is, the only differences are the two site conflicts the
    README's "Site setup" explains (and ``i18n check`` warns about): smartypants turns ``--`` in injected
    anchors into an em dash, and remark-toc, running before remark-heading-id, copies ``{#id}`` into the
    table of contents (a Svelte compile error)."""
    built = pseudo_build(FIXTURES, tmp_path, extra='keep_headings = ["Contents"]\n')
    result = compare(fixtures_english, fingerprints(built))
    assert result.compiled == len(fixtures_english)
    assert result.links == {}
    assert result.ids == {}
    assert sorted(result.smartypants_ids) == ["dashed-anchors.md"]
    assert (
        list(result.new_errors) == ["table-of-contents.md"]
        and "block" in result.new_errors["table-of-contents.md"]
    )


def test_fixtures_translated_with_the_site_setup_fixes_are_identical(tmp_path: Path) -> None:
    """With the README's site-side fixes (smartypants without dashes, remark-heading-id before
    remark-toc), told to the pipeline (``smartypants_dashes = false``), and the table-of-contents heading
    kept in English, nothing differs: every page compiles,
    links and heading ids are the English ones, and the translated table of contents links them."""
    extra = 'keep_headings = ["Contents"]\nsmartypants_dashes = false\n'  # the site's dashes: false
    built = pseudo_build(FIXTURES, tmp_path, extra=extra)
    english = fingerprints(FIXTURES, site_setup=True)
    translated = fingerprints(built, site_setup=True)
    result = compare(english, translated)
    assert result.failures() == {} and result.smartypants_ids == {}
    assert "href=#first-part" in translated["table-of-contents.md"]["links"]
    assert "⟦" in (built / "svelte-syntax.md").read_text(encoding="utf-8")  # it was translated


def test_smartypants_id_is_what_the_site_makes_of_an_anchor(tmp_path: Path) -> None:
    anchors = ["a--b", "x---y", "a--b--c", "plain"]
    page = "".join(f"## H{n} {{#{anchor}}}\n\n" for n, anchor in enumerate(anchors))
    (tmp_path / "p.md").write_text(page, encoding="utf-8")
    assert fingerprints(tmp_path)["p.md"]["ids"] == [smartypants_id(a) for a in anchors]
    assert fingerprints(tmp_path, site_setup=True)["p.md"]["ids"] == anchors


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/en not present")
def test_real_pages_translated_compile_with_the_same_links_and_ids(tmp_path: Path) -> None:
    """The real pages, pseudo-translated: no new compile error, no href/src difference, no heading-id
    difference but the documented smartypants ``--`` case."""
    english = fingerprints(CORPUS)
    result = compare(english, fingerprints(pseudo_build(CORPUS, tmp_path)))
    assert result.compiled > 0
    assert result.failures() == {}, result.summary()
