"""`i18n import --source OLD_EN_DIR` / `--source-rev REV`: translations made from older English are aligned
with that English, then carried onto today's: unchanged segments imported for review, edited ones stale
(old English as previous msgid), removed ones obsolete."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

from i18n.catalog.model import Message, State
from i18n.catalog.po import read_catalog

from .project import Project
from .support import ROOT, SHARED
from .support import cli as run

BENCH = ROOT / "bench"

OLD_EN = """---
title: Tabling guide
description: How to run a stall.
---

## Before you go

Print [the leaflets](/leaflets) and bring a table.

Ask the council for a permit two weeks ahead.

- Check the weather.
- Bring water.

## On the day

Smile and talk to people.

Take photos for the [newsletter](/newsletter).
"""
NL = """---
title: Handleiding voor een kraam
description: Hoe je een kraam bemant.
---

## Voordat je gaat

Print [de flyers](/leaflets) en neem een tafel mee.

Vraag de gemeente twee weken van tevoren om een vergunning.

- Bekijk het weerbericht.
- Neem water mee.

## Op de dag

Lach en praat met mensen.

Maak foto's voor de [nieuwsbrief](/newsletter).
"""
TODAY = """---
title: Tabling guide
description: How to run a stall well.
---

## Before you go

Print [the leaflets](/leaflets) and bring a folding table.

- Check the weather.
- Bring water.

## Safety first

Never leave the stall alone.

## On the day

Smile and talk to people.

Send your best photos to the team so we can use them in the [monthly update](/newsletter).
"""


@pytest.fixture
def project(tmp_path: Path) -> Project:
    (tmp_path / "site").mkdir()
    project = Project(tmp_path / "site")
    project.page("tabling.md", TODAY)
    return project


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    older, translated = tmp_path / "old-en", tmp_path / "old-nl"
    older.mkdir()
    translated.mkdir()
    (older / "tabling.md").write_text(OLD_EN, encoding="utf-8")
    (translated / "tabling.md").write_text(NL, encoding="utf-8")
    return older, translated


def entries(project: Project) -> dict[str, Message]:
    catalog = read_catalog(project.po_path("tabling.md"), "tabling.md", "nl")
    return {m.msgid: m for m in catalog.messages}


def check_carried(project: Project) -> None:
    found = entries(project)
    unchanged = found["Smile and talk to people."]
    assert unchanged.state is State.MACHINE and unchanged.msgstr == "Lach en praat met mensen."
    assert unchanged.origin == "import:old-nl"
    edited = found["Print [the leaflets](/leaflets) and bring a folding table."]
    assert edited.state is State.STALE
    assert edited.previous == "Print [the leaflets](/leaflets) and bring a table."
    assert edited.msgstr == "Print [de flyers](/leaflets) en neem een tafel mee."
    assert found["How to run a stall well."].state is State.STALE
    # rewritten beyond the fuzzy match, in the same place: still stale, by structure
    rewritten = found[
        "Send your best photos to the team so we can use them in the [monthly update](/newsletter)."
    ]
    assert rewritten.state is State.STALE
    assert rewritten.previous == "Take photos for the [newsletter](/newsletter)."
    removed = found["Ask the council for a permit two weeks ahead."]
    assert removed.obsolete and removed.msgstr.startswith("Vraag de gemeente")
    assert found["Never leave the stall alone."].state is State.MISSING
    # every English edit since the translation is stale: nothing edited came in as if made for it
    for message in found.values():
        if message.origin == "import:old-nl" and not message.obsolete:
            assert message.state is State.STALE or message.msgid in OLD_EN


def test_import_against_the_older_english_marks_edits_stale(
    project: Project, folders: tuple[Path, Path]
) -> None:
    older, translated = folders
    code, output = run(project, "import", "--lang", "nl", str(translated), "--source", str(older))
    assert code == 0, output
    assert (
        "tabling.md: 10/10 aligned, 6 imported, 0 kept as rejected (failed checks), 3 stale, 1 obsolete"
        in (output)
    )
    assert "0 skipped" in output
    assert "100.0% reached the catalogs" in output
    check_carried(project)
    code, output = run(project, "extract")  # the catalog is what extract would keep
    assert code == 0 and "0 catalogs written" in output, output


def test_without_the_older_english_edits_are_not_marked(project: Project, folders: tuple[Path, Path]) -> None:
    """What --source fixes: aligned with today's English, an edited segment's old translation comes in
    as if it were made for the new text."""
    _, translated = folders
    code, output = run(project, "import", "--lang", "nl", str(translated))
    assert code == 0, output
    edited = entries(project)["Print [the leaflets](/leaflets) and bring a folding table."]
    assert edited.state is not State.STALE


def test_source_rev_reads_the_content_folder_at_a_git_revision(
    project: Project, folders: tuple[Path, Path]
) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    _, translated = folders
    root = project.root

    def call(*args: str) -> None:
        subprocess.run(
            [git, "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=root, check=True, capture_output=True,
        )  # fmt: skip

    project.page("tabling.md", OLD_EN)
    call("init", "-q")
    call("add", "content/tabling.md")
    call("commit", "-qm", "old")
    project.page("tabling.md", TODAY)
    code, output = run(project, "import", "--lang", "nl", str(translated), "--source-rev", "HEAD")
    assert code == 0, output
    check_carried(project)
    code, output = run(project, "import", "--lang", "nl", str(translated), "--source-rev", "no-such-rev")
    assert code == 1 and output.count("\n") == 1
    assert "error: no content at git revision 'no-such-rev'" in output


def test_source_must_be_a_folder_and_not_with_source_rev(
    project: Project, folders: tuple[Path, Path]
) -> None:
    older, translated = folders
    code, output = run(
        project, "import", "--lang", "nl", str(translated), "--source", str(older), "--source-rev", "HEAD"
    )
    assert code == 1 and "not both" in output


def test_goals_on_the_corpus_pairs() -> None:
    """The pairs' Dutch was made from exactly pairs/en; today's English is an edited copy (made in a
    temporary folder by bench/migrate_pairs.py)."""
    pairs = SHARED / "corpus" / "pairs"
    if not (pairs / "en").is_dir():
        pytest.skip("../shared/corpus/pairs is not here")
    spec = importlib.util.spec_from_file_location("migrate_pairs", BENCH / "migrate_pairs.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    names = sorted(p.name for p in (pairs / "en").glob("*.md") if (pairs / "nl" / p.name).is_file())
    before = bench.measure(pairs / "en", pairs / "nl", names, None)
    assert before["unmarked"] > 0  # aligned with today's English, edits come in unmarked
    found = bench.measure(pairs / "en", pairs / "nl", names, pairs / "en")
    assert found["stored"] >= 0.95 * found["segments"]
    assert found["skipped"] == [] and found["unmarked"] == 0 and found["stale"] > 0


RESTRUCTURED_OLD = """# Volunteer

Join a [local group](/local-groups) near you.

Hand out [flyers](/flyers) at events.

Donate to [the fund](/donate).
"""
RESTRUCTURED_NL = """# Vrijwilliger

Sluit je aan bij een [lokale groep](/local-groups) bij jou in de buurt.

Deel [flyers](/flyers) uit bij evenementen.

Doneer aan [het fonds](/donate).
"""
RESTRUCTURED_NOW = """---
title: Volunteer with us
---

## Ways to help

| Task | Time |
| --- | --- |
| Social media | 1 hour |
| Events | 3 hours |

## Stay in touch

Join our Discord to meet other volunteers and find projects.

Donate to [the fund](/donate).
"""


def test_a_page_whose_structure_changed_is_no_longer_skipped_whole(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    project = Project(tmp_path / "site")
    project.page("volunteer.md", RESTRUCTURED_NOW)
    older, translated = tmp_path / "old-en", tmp_path / "old-nl"
    older.mkdir()
    translated.mkdir()
    (older / "volunteer.md").write_text(RESTRUCTURED_OLD, encoding="utf-8")
    (translated / "volunteer.md").write_text(RESTRUCTURED_NL, encoding="utf-8")
    project.page("tabling.md", OLD_EN)  # a page the older English does not have: aligned with today's
    (translated / "tabling.md").write_text(NL, encoding="utf-8")
    code, output = run(project, "import", "--lang", "nl", str(translated))
    assert "volunteer.md: skipped: structure does not match" in output  # against today's English
    code, output = run(project, "import", "--lang", "nl", str(translated), "--source", str(older))
    assert code == 0 and "skipped" not in output.split("total:")[0], output
    assert "volunteer.md: 4/4 aligned, 1 imported" in output and "100.0% reached the catalogs" in output
    assert "tabling.md: 10/10 aligned with today's English (not in the older one)" in output
    catalog = read_catalog(project.po_path("volunteer.md"), "volunteer.md", "nl")
    found = {m.msgid: m for m in catalog.messages}
    assert found["Donate to [the fund](/donate)."].msgstr == "Doneer aan [het fonds](/donate)."
    assert found["Hand out [flyers](/flyers) at events."].obsolete  # kept for when the text comes back
