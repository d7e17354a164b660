"""Pseudo-localisation is its own locale (``i18n build --pseudo`` → ``build/en-XA/``, straight from the
sources); pseudo text stored in a real language's catalog is never a translation there."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from i18n.catalog.model import State
from i18n.catalog.po import read_catalog
from i18n.jobs.state import STATE_FILE

from .deepl_fake import FakeDeepL, fast_retries
from .project import Project
from .support import cli

KEY = "pseudo-test-key:fx"
PAGE = """---
title: Plans for PauseAI
---

# Our plans

We grow and [protest](/protest) with `code` and **bold** text.

- Hire an organiser.
- Run more protests.
"""


@pytest.fixture
def fake() -> Iterator[FakeDeepL]:
    with FakeDeepL(auth_key=KEY) as server, fast_retries(retries=1, backoff=0.01):
        yield server


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.delenv("DEEPL_AUTH_KEY", raising=False)
    project = Project(tmp_path, languages=("nl",))
    project.page("plans.md", PAGE)
    return project


def status(project: Project) -> dict[str, int]:
    code, output = cli(project, "status", "--json")
    assert code == 0, output
    totals: dict[str, int] = json.loads(output)["languages"]["nl"]["totals"]
    return totals


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


# -- build --pseudo -------------------------------------------------------------------------------------


def test_build_pseudo_writes_the_pseudo_locale_from_the_sources_without_catalogs(project: Project) -> None:
    code, output = cli(project, "build", "--pseudo")
    assert code == 0, output
    assert "build en-XA: 1/1 pages, 100.0% of segments translated" in output
    page = (project.root / "build" / "en-XA" / "plans.md").read_text(encoding="utf-8")
    assert "title: ⟦" in page and "# ⟦" in page
    assert "[" in page and "](/protest)" in page and "`code`" in page and "**" in page  # markup kept
    assert "{#our-plans}" in page  # the English anchor, as in every language
    assert "Hire" not in page and "- ⟦" in page
    assert not (project.root / "locales").exists()  # no catalog read or written
    assert not (project.root / "build" / "nl").exists()  # only the pseudo-locale
    manifest = json.loads((project.root / "build" / "en-XA" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["language"] == "en-XA" and manifest["totals"]["coverage"] == 100.0
    assert (project.root / "build" / "en-XA.tar.gz").is_file()


def test_build_pseudo_never_writes_into_real_catalogs(project: Project) -> None:
    project.extract()
    project.translate("plans.md", {"Our plans": "Onze plannen"})
    before = tree(project.root / "locales")
    code, output = cli(project, "build", "--pseudo", "--lang", "nl")
    assert code == 0, output
    assert tree(project.root / "locales") == before
    assert "Onze plannen" in (project.root / "build" / "nl" / "plans.md").read_text(encoding="utf-8")
    assert "Onze" not in (project.root / "build" / "en-XA" / "plans.md").read_text(encoding="utf-8")


def test_build_pseudo_is_reused_when_nothing_changed_and_follows_the_source(project: Project) -> None:
    cli(project, "build", "--pseudo")
    code, output = cli(project, "build", "--pseudo", "-q")
    assert code == 0 and "0 files written" in output, output
    assert output.count("\n") == 1  # -q: one line per language
    project.page("plans.md", PAGE.replace("Run more protests.", "Run more vigils."))
    code, output = cli(project, "build", "--pseudo", "-q")
    assert "víígííls" in (project.root / "build" / "en-XA" / "plans.md").read_text(encoding="utf-8")


def test_the_pseudo_locale_name_is_configurable(tmp_path: Path) -> None:
    project = Project(tmp_path, extra='pseudo_locale = "qps-ploc"\n')
    project.page("plans.md", PAGE)
    assert cli(project, "build", "--pseudo")[0] == 0
    assert (tmp_path / "build" / "qps-ploc" / "plans.md").is_file()
    assert not (tmp_path / "build" / "en-XA").exists()


@pytest.mark.parametrize("name", ["nl", "en", "not a code"])
def test_a_pseudo_locale_that_is_a_real_language_is_refused(tmp_path: Path, name: str) -> None:
    project = Project(tmp_path, extra=f'pseudo_locale = "{name}"\n')
    project.page("plans.md", PAGE)
    code, output = cli(project, "build", "--pseudo")
    assert code == 1 and "pseudo_locale" in output and "pyproject.toml" in output


def test_glossary_terms_stay_as_written_in_the_pseudo_locale(project: Project) -> None:
    (project.root / "glossary.yaml").write_text("do_not_translate:\n  - PauseAI\n", encoding="utf-8")
    cli(project, "build", "--pseudo")
    assert "PauseAI" in (project.root / "build" / "en-XA" / "plans.md").read_text(encoding="utf-8")


# -- --engine pseudo on a real language -----------------------------------------------------------------


def pseudo_run(project: Project) -> None:
    code, output = cli(project, "translate", "--engine", "pseudo", "--lang", "nl", "-q")
    assert code == 0, output
    assert "not billed" in output and "billed in" not in output


def test_pseudo_entries_in_a_real_language_are_missing_flagged_and_not_built(project: Project) -> None:
    project.extract()
    pseudo_run(project)
    catalog = read_catalog(project.po_path("plans.md"), "plans.md", "nl")
    assert catalog.active and all("⟦" in m.msgstr and m.pseudo for m in catalog.active)
    assert all(m.state is State.MISSING for m in catalog.active)
    totals = status(project)
    assert totals["missing"] == totals["segments"] == len(catalog.active)
    assert totals["machine"] == totals["usable"] == 0
    for _ in range(2):  # from the state file's summaries, then from the catalogs themselves
        assert status(project) == totals
        code, output = cli(project, "check")
        assert code == 1
        assert output.count("pseudo: pseudo-localised text is not a translation") == len(catalog.active)
        assert "locales/nl/plans.po:" in output
        (project.root / "locales" / STATE_FILE).unlink(missing_ok=True)
    assert cli(project, "build", "--lang", "nl")[0] == 0
    assert (project.root / "build" / "nl" / "plans.md").read_text(encoding="utf-8") == PAGE  # English
    assert not (project.root / "locales" / ".billing.jsonl").exists()  # pseudo bills nothing


def test_a_second_pseudo_run_redoes_nothing(project: Project) -> None:
    project.extract()
    pseudo_run(project)
    before = tree(project.root / "locales")
    code, output = cli(project, "translate", "--engine", "pseudo", "--lang", "nl", "--dry-run")
    assert code == 0 and "nl: 0 texts" in output, output
    pseudo_run(project)
    assert tree(project.root / "locales") == before


def test_the_next_real_engine_run_replaces_pseudo_entries(
    project: Project, fake: FakeDeepL, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.extract()
    pseudo_run(project)
    count = len(read_catalog(project.po_path("plans.md"), "plans.md", "nl").active)
    monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
    monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
    code, output = cli(project, "translate", "--lang", "nl", "-q")
    assert code == 0, output
    catalog = read_catalog(project.po_path("plans.md"), "plans.md", "nl")
    assert all(m.origin == "deepl" and m.state is State.MACHINE for m in catalog.active)
    assert not any("⟦" in m.msgstr or "⟦" in "".join(m.suggestions) for m in catalog.active)
    assert status(project)["machine"] == count
    assert cli(project, "check")[0] == 0


def test_an_edited_source_drops_its_pseudo_text_instead_of_keeping_it_stale(project: Project) -> None:
    project.extract()
    pseudo_run(project)
    project.page("plans.md", PAGE.replace("Run more protests.", "Run many more protests.\n\nA new one."))
    project.extract()
    catalog = read_catalog(project.po_path("plans.md"), "plans.md", "nl")
    edited = next(m for m in catalog.messages if m.msgid == "Run many more protests.")
    assert edited.msgstr == "" and edited.previous is None
    assert not catalog.obsolete  # no pseudo text kept as an obsolete entry either
    assert all(m.pseudo for m in catalog.active if m.msgstr)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("word|", "⟦wórd⟧|"),  # above `|---|---|`: one cell stays one cell
        ("| a | b |", "| ⟦áá | b⟧ |"),
        ("  plain text  ", "  ⟦plááííñ tééxt⟧  "),
    ],
)
def test_the_brackets_leave_a_rows_edge_pipes_outside(text: str, expected: str) -> None:
    """The pipes at a line's edges count a GFM table row's cells: the brackets go inside them."""
    from i18n.mt.pseudo import pseudo_localize

    assert pseudo_localize(text) == expected


def test_a_paragraph_above_a_delimiter_row_stays_a_paragraph() -> None:
    """`word|` over `|---|---|` is a paragraph (1 cell vs 2); its pseudo translation must not make it a
    table (found by tests/test_properties.py::test_rendering_is_idempotent)."""
    from markdown_it import MarkdownIt

    from i18n.markdown.page import parse_page

    from .test_properties import pseudo_translations

    page = parse_page("word|\n|---|---|\n")
    rendered = page.render(pseudo_translations(page))  # a RenderError fails the test
    assert parse_page(rendered).render({}) == rendered
    assert "<table" not in MarkdownIt("gfm-like").render(rendered)
