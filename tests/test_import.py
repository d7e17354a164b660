"""`i18n import`: existing translated pages into the catalogs, for review."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from i18n.catalog.model import State
from i18n.catalog.po import read_catalog
from i18n.cli import main

from .project import Project
from .support import SHARED

EN = """---
title: Tabling guide
description: How to run a stall.
---

## Before you go {#before}

Print [the leaflets](/leaflets) and bring a table.

- Check the weather.
- Bring water.

## On the day

Smile and talk to people.
"""
NL = """---
title: Handleiding voor een kraam
description: Hoe je een kraam bemant.
---

## Voordat je gaat {#before}

Print [de flyers](/leaflets) en neem een tafel mee.

- Bekijk het weerbericht.
- Neem water mee.

## Op de dag {#on-the-day}

Lach en praat met mensen.
"""


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = Project(tmp_path)
    project.page("tabling.md", EN)
    return project


def run(project: Project, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--project", str(project.root), *args])
    return result.exit_code, result.output


def test_import_fills_catalog_for_review(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "old-nl"
    folder.mkdir()
    (folder / "tabling.nl.md").write_text(NL, encoding="utf-8")
    code, output = run(project, "import", "--lang", "nl", str(folder))
    assert code == 0, output
    assert "tabling.md: 8/8 aligned, 8 imported" in output
    catalog = read_catalog(project.po_path("tabling.md"), "tabling.md", "nl")
    assert {m.state for m in catalog.active} == {State.MACHINE}
    assert {m.origin for m in catalog.active} == {"import:old-nl"}
    assert catalog.active[3].msgstr == "Print [de flyers](/leaflets) en neem een tafel mee."
    code, _ = run(project, "build", "--lang", "nl")
    built = (project.root / "build" / "nl" / "tabling.md").read_text(encoding="utf-8")
    assert built == NL  # the page comes back as it was translated


def test_import_never_replaces_a_reviewed_translation(project: Project, tmp_path: Path) -> None:
    run(project, "extract")
    project.translate("tabling.md", {"Bring water.": "Water meenemen."})
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "tabling.md").write_text(NL, encoding="utf-8")
    code, output = run(project, "import", "--lang", "nl", str(folder))
    assert code == 0 and "7 imported, 1 kept" in output
    assert project.entry("tabling.md", "Bring water.").msgstr == "Water meenemen."


def test_translation_that_fails_a_check_is_not_imported(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "tabling.md").write_text(NL.replace("(/leaflets)", "(/flyers)"), encoding="utf-8")
    code, output = run(project, "import", "--lang", "nl", str(folder))
    assert code == 0
    # a changed link target makes the pair implausible (not aligned) or fails the checks (not imported)
    assert "not aligned: before/p1" in output or "not imported: before/p1: link-targets" in output
    assert project.entry("tabling.md", "Print [the leaflets](/leaflets) and bring a table.").msgstr == ""


def test_unalignable_page_is_reported_and_strict_fails(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "tabling.md").write_text("# Iets anders\n\n```\ncode\n```\n", encoding="utf-8")
    code, output = run(project, "import", "--lang", "nl", str(folder))
    assert code == 0 and "tabling.md: skipped: structure does not match" in output
    code, _ = run(project, "import", "--lang", "nl", str(folder), "--strict")
    assert code == 1
    catalog = read_catalog(project.po_path("tabling.md"), "tabling.md", "nl")
    assert all(m.state is State.MISSING for m in catalog.active)


def test_unknown_language_lists_the_configured_ones(project: Project, tmp_path: Path) -> None:
    code, output = run(project, "import", "--lang", "xx", str(tmp_path))
    assert code == 1 and "unknown language 'xx'; configured: nl" in output


@pytest.mark.skipif(not (SHARED / "corpus" / "pairs").is_dir(), reason="../shared/corpus/pairs not present")
def test_import_of_the_real_pairs_aligns_at_least_98_percent(tmp_path: Path) -> None:
    project = Project(tmp_path)
    for page in sorted((SHARED / "corpus" / "pairs" / "en").glob("*.md")):
        project.page(page.name, page.read_text(encoding="utf-8"))
    code, output = run(project, "import", "--lang", "nl", str(SHARED / "corpus" / "pairs" / "nl"))
    assert code == 0, output
    total = output.strip().splitlines()[-1]
    aligned, segments = (int(x) for x in total.split()[1].split("/"))
    assert aligned / segments >= 0.98
