"""The PO reader end to end (issue 11, items 5, 9 and 10): previous msgids of obsolete entries survive, a
duplicate entry is refused with file:line, and one multi-megabyte msgid reads in linear time."""

from __future__ import annotations

import time
from pathlib import Path

from click.testing import CliRunner

from i18n.catalog.model import State
from i18n.cli import main
from i18n.jobs.catalogs import read_catalog

from .project import Project

ORIGINAL = "We organise a protest in every country."
EDITED = "We organise a protest in every single country."


def page(paragraph: str | None) -> str:
    middle = f"{paragraph}\n\n" if paragraph else ""
    return f"# Plans\n\nFirst paragraph stays.\n\n{middle}Last paragraph stays.\n"


def test_a_reviewed_translation_edited_deleted_and_restored_comes_back_reviewed(tmp_path: Path) -> None:
    """README: "deleted paragraph restored: the obsolete entry comes back with its translation and
    state"; "edit reverted: a stale human translation is reviewed again"."""
    project = Project(tmp_path)
    project.page("plans.md", page(ORIGINAL))
    project.extract()
    project.translate("plans.md", {ORIGINAL: "We protesteren in elk land."})  # reviewed
    project.page("plans.md", page(EDITED))
    project.extract()
    stale = next(
        m for m in read_catalog(project.po_path("plans.md"), "plans.md", "nl").active if m.msgid == EDITED
    )
    assert stale.state is State.STALE and stale.previous == ORIGINAL
    project.page("plans.md", page(None))  # deleted: obsolete, with its #~| previous msgid
    project.extract()
    obsolete = read_catalog(project.po_path("plans.md"), "plans.md", "nl").obsolete
    assert [(m.msgid, m.previous) for m in obsolete] == [(EDITED, ORIGINAL)]
    project.page("plans.md", page(ORIGINAL))  # restored as it was before the edit
    project.extract()
    restored = next(
        m for m in read_catalog(project.po_path("plans.md"), "plans.md", "nl").active if m.msgid == ORIGINAL
    )
    assert restored.msgstr == "We protesteren in elk land."
    assert restored.state is State.REVIEWED and restored.origin is None and not restored.fuzzy


def test_check_refuses_a_catalog_with_a_duplicate_entry_naming_file_and_line(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.page("plans.md", page(ORIGINAL))
    project.extract()
    po = project.po_path("plans.md")
    text = po.read_text(encoding="utf-8")
    duplicate = f'\nmsgid "{ORIGINAL}"\nmsgstr "Nog een keer."\n'
    po.write_text(text + duplicate, encoding="utf-8")
    line = text.count("\n") + 2  # the duplicate's msgid line
    before = po.read_bytes()
    result = CliRunner().invoke(main, ["--project", str(project.root), "check"])
    assert result.exit_code == 1
    assert f"locales/nl/plans.po:{line}:" in result.output and "duplicate" in result.output
    result = CliRunner().invoke(main, ["--project", str(project.root), "extract"])
    assert result.exit_code == 1 and po.read_bytes() == before  # never written back


def _catalog_with_msgid(size: int) -> str:
    """A catalog of one paragraph of ``size`` characters, as the writer wraps it (one line per ~78)."""
    from i18n.catalog.model import Catalog, Message
    from i18n.catalog.po import format_catalog

    words = "a long paragraph of words "
    text = (words * (size // len(words) + 1))[:size]
    header = (("Content-Type", "text/plain; charset=UTF-8"),)
    return format_catalog(Catalog("nl", "big.md", header, (Message(text, notes=("paragraph",)),)))


def _read_seconds(path: Path) -> float:
    best = float("inf")
    for _ in range(3):  # the best of three: the machine is shared
        started = time.process_time()
        read_catalog(path, "big.md", "nl")
        best = min(best, time.process_time() - started)
    return best


def test_reading_one_multi_megabyte_msgid_is_linear(tmp_path: Path) -> None:
    """A size ratio, not a time limit: 4 times the text must take well under 16 times as long (what a
    quadratic reader takes); a linear one takes about 4 times."""
    small, large = tmp_path / "small.po", tmp_path / "large.po"
    small.write_text(_catalog_with_msgid(500_000), encoding="utf-8")
    large.write_text(_catalog_with_msgid(2_000_000), encoding="utf-8")
    ratio = _read_seconds(large) / max(_read_seconds(small), 1e-6)
    assert ratio < 8, f"4x the text took {ratio:.1f}x as long"
