"""``i18n status --html FILE``: a self-contained dashboard with the numbers of ``status --json``, checked
in a real headless Chromium (skipped where none is installed)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from i18n.jobs.dashboard import dashboard_document, render_dashboard, source_revision

from .browser import Browser, file_url, require_chromium
from .project import Project, fixed_clock
from .support import cli

ROADMAP = """---
title: Roadmap
---

# Plans

We grow every national group.

We protest in [every](/countries) country.

- Hire an organiser.
- Run more protests.
"""
ABOUT = "# About us\n\nWe are volunteers.\n\nWrite to us.\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """Every state: reviewed, machine, stale, rejected, missing, a glossary miss, in two languages."""
    monkeypatch.delenv("GITHUB_SHA", raising=False)
    (tmp_path / "site").mkdir()
    project = Project(tmp_path / "site", languages=("nl", "de"))
    project.page("roadmap.md", ROADMAP)
    project.page("guide/about.md", ABOUT)
    project.extract()
    project.translate("roadmap.md", {"Plans": "Plannen", "Roadmap": "Routekaart"})
    project.translate("roadmap.md", {"Hire an organiser.": "Neem een organisator aan."}, review=False)
    project.translate("roadmap.md", {"We protest in [every](/countries) country.": "We protesteren overal."})
    project.translate("roadmap.md", {"We grow every national group.": "Elke nationale groep groeit."})
    german = {"About us": "Über uns", "We are volunteers.": "Wir sind Freiwillige."}
    project.translate("guide/about.md", german, language="de")
    po = project.po("roadmap.md")
    for entry in po:
        if entry.msgid == "Hire an organiser.":
            entry.tcomment = 'i18n: glossary ["organiser"]'
    po.save(str(project.po_path("roadmap.md")))
    project.page("roadmap.md", ROADMAP.replace("We grow every", "We grow each"))  # stale now
    project.extract()
    return project


def status_json(project: Project) -> dict[str, Any]:
    code, output = cli(project, "status", "--json")
    assert code == 0, output
    data: dict[str, Any] = json.loads(output)
    return data


def write_dashboard(project: Project, *args: str) -> Path:
    out = project.root / "build" / "status.html"
    code, output = cli(project, "status", "--html", str(out), *args)
    assert code == 0, output
    assert output == f"dashboard written to {out}\n"
    return out


def test_the_fixture_has_every_state(project: Project) -> None:
    totals = status_json(project)["languages"]["nl"]["totals"]
    assert all(totals[state] for state in ("missing", "machine", "reviewed", "stale", "rejected", "glossary"))


def test_the_dashboard_embeds_exactly_the_status_json_document(project: Project) -> None:
    html = write_dashboard(project).read_text(encoding="utf-8")
    embedded = re.search(r'<script type="application/json" id="status-json">(.*?)</script>', html, re.DOTALL)
    assert embedded is not None
    assert json.loads(embedded.group(1).replace("<\\/", "</")) == status_json(project)


def test_the_dashboard_is_self_contained(project: Project) -> None:
    html = write_dashboard(project).read_text(encoding="utf-8")
    assert "<style>" in html and "<svg" in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r"<link\b|<img\b|<iframe\b|\bsrc=|@import|url\(", html)
    assert not re.search(r"""href="(?:https?:)?//""", html)


def test_the_dashboard_lists_stale_and_rejected_entries_with_their_reason(project: Project) -> None:
    html = write_dashboard(project).read_text(encoding="utf-8")
    nl = html[html.index('<section id="lang-nl"') : html.index('<section id="lang-de"')]
    assert "Stale and rejected entries (2)" in nl
    assert "the English changed since this translation was made" in nl
    assert "was: We grow every national group." in nl
    assert "link-targets: link target &#x27;/countries&#x27; missing" in nl
    assert "Glossary misses (1)" in nl and "term not used: organiser" in nl


def test_catalog_links_point_at_the_catalogs(project: Project) -> None:
    out = write_dashboard(project)
    links = re.findall(r'<a class="po" href="([^"]+)">', out.read_text(encoding="utf-8"))
    assert len(links) == 4  # 2 documents x 2 languages
    assert all((out.parent / link).resolve().is_file() for link in links)
    assert "../locales/de/guide/about.po" in links
    out = write_dashboard(project, "--link-base", "https://github.com/o/r/blob/abc/")
    links = re.findall(r'<a class="po" href="([^"]+)">', out.read_text(encoding="utf-8"))
    assert "https://github.com/o/r/blob/abc/locales/nl/roadmap.po" in links
    assert 'href="https://github.com/o/r/blob/abc/locales/nl/roadmap.po#L' in out.read_text(encoding="utf-8")


def test_the_dashboard_is_deterministic_and_dated(project: Project) -> None:
    config = project.config
    path = project.root / "status.html"

    def page() -> str:
        return render_dashboard(
            dashboard_document(config, config.languages, html_path=path, clock=fixed_clock, revision="abc123")
        )

    first = page()
    assert first == page()
    assert '<time id="generated">2026-01-02 03:04 UTC</time>' in first
    assert '<code id="revision">abc123</code>' in first


def test_only_the_asked_languages_are_shown(project: Project) -> None:
    html = write_dashboard(project, "--lang", "de").read_text(encoding="utf-8")
    assert 'id="lang-de"' in html and 'id="lang-nl"' not in html


def test_the_source_revision_comes_from_ci_or_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_SHA", "f" * 40)
    assert source_revision(tmp_path) == "f" * 40
    monkeypatch.delenv("GITHUB_SHA")
    assert source_revision(tmp_path) is None  # not a repository
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C", str(tmp_path)]
    subprocess.run([*git, "init", "-q"], check=True)
    (tmp_path / "a").write_text("a", encoding="utf-8")
    subprocess.run([*git, "add", "a"], check=True)
    subprocess.run([*git, "commit", "-qm", "a"], check=True)
    head = subprocess.run(
        [*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert source_revision(tmp_path) == head


# -- in a real browser ------------------------------------------------------------------------------------

READ_TABLES = """JSON.stringify((() => {
  const number = (cell) => Number(cell.innerText.trim());
  const rows = (table) => Object.fromEntries([...table.querySelectorAll('tbody tr')].map((tr) => {
    const row = {};
    for (const td of tr.querySelectorAll('td[data-key]')) row[td.dataset.key] = number(td);
    const svg = tr.querySelector('svg.bar').getBoundingClientRect();
    row.bar = {width: svg.width, parts: Object.fromEntries([...tr.querySelectorAll('rect')].map(
      (rect) => [rect.dataset.state, rect.getBoundingClientRect().width]))};
    return [tr.dataset.key, row];
  }));
  const languages = rows(document.querySelector('#languages'));
  const pages = {};
  for (const section of document.querySelectorAll('section[data-language]'))
    pages[section.dataset.language] = rows(section.querySelector('table'));
  const entries = [...document.querySelectorAll('ul.entries li')].filter((li) => li.offsetHeight > 0)
    .map((li) => li.dataset.state);
  return {languages, pages, entries, title: document.title};
})())"""


def test_in_chromium_the_dashboard_shows_the_numbers_of_status_json(project: Project) -> None:
    executable = require_chromium()
    out = write_dashboard(project)
    expected = status_json(project)["languages"]
    with Browser(executable) as browser:
        browser.open(file_url(out))
        shown = json.loads(browser.evaluate(READ_TABLES))
        requested = browser.requested()
    assert requested == [file_url(out)]  # nothing else is loaded: no network asset
    assert shown["title"] == "Translation status"
    keys = ("segments", "words", "missing", "machine", "reviewed", "stale", "rejected", "usable", "glossary")
    assert set(shown["languages"]) == set(expected) == {"nl", "de"}
    rows = [(shown["languages"][lang], expected[lang]["totals"]) for lang in expected]
    for lang, block in expected.items():
        assert set(shown["pages"][lang]) == set(block["pages"]) == {"roadmap.md", "guide/about.md"}
        rows += [(shown["pages"][lang][page], block["pages"][page]) for page in block["pages"]]
    for row, numbers in rows:
        for key in keys:
            assert row[key] == numbers[key], key
        assert row["usable_percent"] == numbers["usable_percent"]
        bar = row["bar"]  # each state's bar is drawn at its share of the segments
        for state in ("missing", "machine", "reviewed", "stale", "rejected"):
            width = bar["parts"].get(state, 0.0)
            assert width == pytest.approx(bar["width"] * numbers[state] / numbers["segments"], abs=0.6), state
    assert sorted(shown["entries"]) == ["glossary", "rejected", "stale"]  # all in nl
