"""MDX's own compiler (pinned @mdx-js/mdx, ``tests/generators/mdx/``) is the judge: every page compiles
English and pseudo-translated with the same JSX elements and props, import/export statements,
``{expressions}``, hrefs/srcs, code and element counts; same-page links keep their heading.

Skipped, with the reason, without node or the installed compiler (``tests/generators/mdx/install.sh``,
which ``.ci/run`` runs and then sets ``I18N_GENERATORS_REQUIRED=1``: there a missing compiler fails). No
network here: the compiler is installed beforehand, outside the repository.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from i18n import parse_page
from i18n.markdown.flavours import flavour as named
from i18n.markdown.flavours.detect import page_flavour
from i18n.markdown.sitecheck import site_conflicts

from .mdx_toolchain import CORPUS, compare, dangling_anchors, fingerprints, pseudo_build, unavailable

PAGES = Path(__file__).parent / "generators" / "mdx" / "pages"
REQUIRED = os.environ.get("I18N_GENERATORS_REQUIRED") == "1"
pytestmark = pytest.mark.skipif(not REQUIRED and unavailable() is not None, reason=str(unavailable()))


def test_the_compiler_is_there_when_required() -> None:
    assert unavailable() is None


@pytest.fixture(scope="module")
def english() -> dict[str, dict[str, object]]:
    return fingerprints(PAGES)


def warned_links(folder: Path) -> dict[str, list[str]]:
    """Page -> the same-page link ids ``i18n check`` warns will point nowhere (``heading-links``), read as a
    Starlight site reads the pages (``.mdx`` as MDX, ``.md`` as CommonMark), each once per link."""
    found: dict[str, list[str]] = {}
    for path in sorted(folder.iterdir()):
        text = path.read_text(encoding="utf-8")
        page = parse_page(text, flavour=named(page_flavour("auto", "commonmark", path.name, text)))
        for conflict in site_conflicts(page, inject_anchors=True):
            if conflict.code == "heading-links":
                count, anchor = re.match(r"(\d+) same-page links? to #(\S+):", conflict.message).groups()  # type: ignore[union-attr]
                found.setdefault(path.name, []).extend([anchor] * int(count))
    return {page: sorted(anchors) for page, anchors in found.items()}


def test_every_fixture_compiles_in_english(english: dict[str, dict[str, object]]) -> None:
    assert sorted(english) == sorted(p.name for p in PAGES.iterdir())
    assert {page: fp["error"] for page, fp in english.items() if not fp["ok"]} == {}


def test_the_fingerprint_sees_what_the_comparison_relies_on(tmp_path: Path) -> None:
    """JSX elements and props, ESM, expressions, links (percent-encoded as remark makes them), heading ids,
    asides; a ``{#id}`` heading is a compile error in MDX and text in markdown; a dangling ``#link``."""
    (tmp_path / "a.mdx").write_text(
        "import X from './x.js';\n\n# Über uns\n\n<X title=\"T\" n={2} {...rest}>Hi {name}</X>\n\n"
        ":::tip[Title]\nBody\n:::\n\n[a](#über-uns) [b](#gone) ![c](/c.png) `d`\n",
        encoding="utf-8",
    )
    (tmp_path / "b.mdx").write_text("## Heading {#x}\n", encoding="utf-8")
    (tmp_path / "c.md").write_text("## Heading {#x}\n\n<X />\n\n    indented code\n", encoding="utf-8")
    found = fingerprints(tmp_path)
    a = found["a.mdx"]
    assert a["ok"] and a["esm"] == ["import X from './x.js';"] and a["jsx"] == {"X": 1}
    assert a["props"] == [["X", "...", "{...rest}"], ["X", "n", "{2}"], ["X", "title", "T"]]
    assert (
        a["expressions"] == ["{name}"]
        and a["ids"] == ["über-uns"]
        and a["asides"] == ["starlight-aside--tip"]
    )
    assert a["links"] == ["href=#%C3%BCber-uns", "href=#gone", "src=/c.png"] and a["code"] == ["d"]
    assert dangling_anchors(a) == ["gone"]
    assert not found["b.mdx"]["ok"] and "acorn" in str(found["b.mdx"]["error"])
    assert found["c.md"]["ok"] and found["c.md"]["ids"] == ["heading-x"] and found["c.md"]["jsx"] == {}
    assert found["c.md"]["code"] == ["indented code\n"]


def test_fixtures_translated_compile_with_the_same_jsx_imports_and_links(
    tmp_path: Path, english: dict[str, dict[str, object]]
) -> None:
    """Pseudo-translated, every page compiles with the English page's JSX elements and props (prose props'
    values aside), import/export statements, expressions, hrefs/srcs and element counts. No same-page link
    is left without its heading: MDX makes a heading's id from its text, so a heading the page links to is
    kept as written (and nothing is left for ``i18n check`` to warn about); the table of contents stays
    linked (remark-toc's heading is kept)."""
    built = pseudo_build(PAGES, tmp_path)
    result = compare(english, fingerprints(built))
    assert result.compiled == len(english)
    assert result.failures() == {}, result.summary()
    assert result.anchors == warned_links(PAGES) == {}
    linked = (built / "same-page-links.mdx").read_text(encoding="utf-8")
    assert "\n## Internal links\n" in linked and "\n## Groups\n" in linked  # linked: kept
    for path in PAGES.iterdir():  # every page was translated, and only where it had words
        assert "⟦" in (built / path.name).read_text(encoding="utf-8"), path.name
    first = (built / "esm-first.mdx").read_text(encoding="utf-8")
    assert first.startswith((PAGES / "esm-first.mdx").read_text(encoding="utf-8")[:60]) and "# ⟦" in first
    files = (built / "components.mdx").read_text(encoding="utf-8")  # <FileTree> entries are names
    assert "\n- src/\n  - components/\n    - **Note.astro**\n" in files
    contents = (built / "contents.mdx").read_text(encoding="utf-8")
    assert "\n## Contents\n" in contents and "## ⟦" in contents
    toc = fingerprints(built)["contents.mdx"]
    assert toc["ids"][0] == "contents" and len(toc["links"]) == 3 and dangling_anchors(toc) == []


def test_headings_kept_as_the_warning_says_keep_every_link(
    tmp_path: Path, english: dict[str, dict[str, object]]
) -> None:
    """Keeping the linked headings by configuration (``keep_headings``) gives the same result."""
    keep = json.dumps(["Internal links", "Groups"])
    result = compare(english, fingerprints(pseudo_build(PAGES, tmp_path, extra=f"keep_headings = {keep}\n")))
    assert result.failures() == {} and result.anchors == {}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/flavours/mdx not present")
def test_real_pages_translated_compile_alike(tmp_path: Path) -> None:
    """The real Starlight pages, pseudo-translated: no compile or structure difference and no same-page link
    left without its heading."""
    english = fingerprints(CORPUS)
    result = compare(english, fingerprints(pseudo_build(CORPUS, tmp_path)))
    assert result.compiled == len(english) > 0
    assert result.failures() == {}, result.summary()
    assert result.anchors == warned_links(CORPUS) == {}
