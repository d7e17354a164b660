"""`i18n import`: existing translated pages into the catalogs, for review."""

from __future__ import annotations

from pathlib import Path

import pytest

from i18n.catalog.model import State
from i18n.catalog.po import read_catalog

from .project import Project
from .support import SHARED
from .support import cli as run

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
    assert (
        code == 0 and "7 imported, 0 kept as rejected (failed checks), 1 kept (already translated)" in output
    )
    assert project.entry("tabling.md", "Bring water.").msgstr == "Water meenemen."


def test_translation_that_fails_a_check_is_kept_as_rejected_and_never_built(
    project: Project, tmp_path: Path
) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "tabling.md").write_text(NL.replace("[de flyers](/leaflets)", "de flyers"), encoding="utf-8")
    code, output = run(project, "import", "--lang", "nl", str(folder))
    assert code == 0, output
    assert "tabling.md: 8/8 aligned, 7 imported, 1 kept as rejected (failed checks)" in output
    assert "  rejected: before/p1: link-targets: link target '/leaflets' missing" in output
    message = next(
        m
        for m in read_catalog(project.po_path("tabling.md"), "tabling.md", "nl").active
        if m.msgid.startswith("Print")
    )
    assert message.state is State.REJECTED and message.msgstr == "Print de flyers en neem een tafel mee."
    assert message.rejected == "link-targets: link target '/leaflets' missing"  # visible to the translator
    assert "100.0% reached the catalogs" in output
    run(project, "build", "--lang", "nl")
    built = (project.root / "build" / "nl" / "tabling.md").read_text(encoding="utf-8")
    assert "Print [the leaflets](/leaflets) and bring a table." in built  # English, never the rejected text
    assert "Bekijk het weerbericht." in built


def test_a_localised_link_target_is_put_back_and_reported(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "tabling.md").write_text(NL.replace("(/leaflets)", "(/flyers)"), encoding="utf-8")
    code, output = run(project, "import", "--lang", "nl", str(folder))
    assert code == 0, output
    assert (
        "8 imported, 0 kept as rejected (failed checks), 0 kept (already translated), 1 link target restored"
        in output
    )
    assert "  link target restored: before/p1: '/flyers' -> '/leaflets'" in output
    entry = project.entry("tabling.md", "Print [the leaflets](/leaflets) and bring a table.")
    assert entry.msgstr == "Print [de flyers](/leaflets) en neem een tafel mee."


def test_unaligned_segments_say_why(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    cut = NL[: NL.index("## Op de dag")]
    (folder / "tabling.md").write_text(cut, encoding="utf-8")
    code, output = run(project, "import", "--lang", "nl", str(folder))
    assert code == 0, output
    assert "  not aligned: h:on-the-day: its section has no counterpart in the translation" in output
    assert "  not aligned: on-the-day/p1: its section has no counterpart in the translation" in output


def test_translated_pages_without_an_english_page_are_reported(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "old"
    (folder / "guides").mkdir(parents=True)
    (folder / "tabling.md").write_text(NL, encoding="utf-8")
    (folder / "guides" / "flyeren.md").write_text("# Flyeren\n\nDeel flyers uit.\n", encoding="utf-8")
    code, output = run(project, "import", "--lang", "nl", str(folder))
    assert code == 0, output
    assert "guides/flyeren.md: skipped: no English page in content/" in output
    assert "on 2 pages (1 skipped)" in output
    assert run(project, "import", "--lang", "nl", str(folder), "--strict")[0] == 1


def test_unalignable_page_is_reported_and_strict_fails(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "tabling.md").write_text("# Iets anders\n\n```\ncode\n```\n", encoding="utf-8")
    code, output = run(project, "import", "--lang", "nl", str(folder))
    assert code == 0 and "tabling.md: skipped: structure does not match" in output
    assert output.splitlines()[-1].startswith("total: 0/8 segments aligned (0.0%) on 1 page (1 skipped)")
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
    reached = float(total.rsplit("; ", 1)[1].split("%")[0])  # imported, or kept as rejected
    assert reached >= 98.0, total
