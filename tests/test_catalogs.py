"""Catalogs: extraction, update scenarios, states, determinism, msgfmt, bad input."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from i18n.catalog.model import State
from i18n.catalog.po import CatalogError, format_catalog, parse_catalog, read_catalog
from i18n.jobs.extract import out_of_date
from i18n.jobs.status import collect_status, find_violations
from i18n.markdown.page import parse_page

from .project import Project
from .support import ROOT

PAGE = """---
title: Roadmap
---

## Plans

We will grow the movement.
Every week, new people join.

- Hire an organiser.
- Run more protests.

Everything above, and more.

## Later

Everything above, and more.
"""


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = Project(tmp_path)
    project.page("roadmap.md", PAGE)
    project.extract()
    return project


def states(project: Project, name: str = "roadmap.md") -> dict[str, State]:
    catalog = read_catalog(project.po_path(name), name, "nl")
    return {m.msgid: m.state for m in catalog.active}


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "locales").rglob("*")) if p.is_file()
    }


def test_extract_writes_template_and_catalog_in_page_order(project: Project) -> None:
    template = (project.root / "locales" / "templates" / "roadmap.pot").read_text(encoding="utf-8")
    assert '"Language: \\n"' in template
    po = project.po("roadmap.md")
    assert [e.msgid for e in po] == [
        "Roadmap",
        "Plans",
        "We will grow the movement.\nEvery week, new people join.",
        "Hire an organiser.",
        "Run more protests.",
        "Everything above, and more.",
        "Later",
        "Everything above, and more.",
    ]
    assert po.metadata["Language"] == "nl"
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert po.metadata["PO-Revision-Date"] == "2026-01-02 03:04+0000"
    first = po[1]
    assert first.occurrences == [("content/roadmap.md", "5")]
    assert first.comment == "heading (anchor: #plans)"


def test_msgctxt_only_for_text_repeated_in_the_page(project: Project) -> None:
    contexts = [(e.msgctxt, e.msgid) for e in project.po("roadmap.md") if e.msgctxt]
    assert contexts == [
        ("plans/p2", "Everything above, and more."),
        ("later/p1", "Everything above, and more."),
    ]


def test_nothing_changed_rewrites_nothing(project: Project) -> None:
    before = snapshot(project.root)
    report = project.extract()
    assert report.written == () and report.skipped == 1
    (project.root / "locales" / ".i18n-state.json").unlink()  # forces a full parse: still no change
    report = project.extract()
    assert report.written == () and report.skipped == 0
    assert snapshot(project.root) == before


def test_translator_review_is_kept_and_recorded(project: Project) -> None:
    project.translate("roadmap.md", {"Plans": "Plannen"})
    project.extract()
    entry = project.entry("roadmap.md", "Plans")
    assert entry.msgstr == "Plannen" and "fuzzy" not in entry.flags
    assert states(project)["Plans"] is State.REVIEWED
    assert "i18n: source-hash" in entry.tcomment


def test_edited_segment_becomes_stale_with_previous_msgid(project: Project) -> None:
    project.translate("roadmap.md", {"Run more protests.": "Organiseer meer protesten."})
    project.page("roadmap.md", PAGE.replace("Run more protests.", "Run many more protests."))
    project.extract()
    entry = project.entry("roadmap.md", "Run many more protests.")
    assert entry.msgstr == "Organiseer meer protesten."
    assert "fuzzy" in entry.flags
    assert entry.previous_msgid == "Run more protests."
    assert states(project)["Run many more protests."] is State.STALE
    assert '#| msgid "Run more protests."' in project.po_path("roadmap.md").read_text(encoding="utf-8")


def test_rewrapping_keeps_the_translation_valid(project: Project) -> None:
    project.translate(
        "roadmap.md", {"We will grow the movement.\nEvery week, new people join.": "We groeien.\nElke week."}
    )
    project.page("roadmap.md", PAGE.replace("movement.\nEvery", "movement. Every"))
    project.extract()
    entry = project.entry("roadmap.md", "We will grow the movement. Every week, new people join.")
    assert entry.msgstr == "We groeien.\nElke week." and "fuzzy" not in entry.flags
    assert entry.previous_msgid is None


def test_moved_within_page_keeps_translation(project: Project) -> None:
    project.translate("roadmap.md", {"Hire an organiser.": "Neem een organisator aan."})
    project.page(
        "roadmap.md",
        PAGE.replace(
            "- Hire an organiser.\n- Run more protests.", "- Run more protests.\n- Hire an organiser."
        ),
    )
    project.extract()
    assert states(project)["Hire an organiser."] is State.REVIEWED
    assert project.entry("roadmap.md", "Hire an organiser.").msgstr == "Neem een organisator aan."


def test_moved_to_another_page_follows_without_engine(project: Project) -> None:
    project.translate("roadmap.md", {"Hire an organiser.": "Neem een organisator aan."})
    project.page("roadmap.md", PAGE.replace("- Hire an organiser.\n", ""))
    project.page("hiring.md", "# Hiring\n\nHire an organiser.\n")
    project.extract()
    assert project.entry("hiring.md", "Hire an organiser.").msgstr == "Neem een organisator aan."
    assert states(project, "hiring.md")["Hire an organiser."] is State.REVIEWED
    obsolete = [e for e in project.po("roadmap.md") if e.obsolete]
    assert [e.msgid for e in obsolete] == ["Hire an organiser."]


def test_deleted_segment_is_obsolete_until_pruned_and_restorable(project: Project) -> None:
    project.translate("roadmap.md", {"Run more protests.": "Organiseer meer protesten."})
    project.page("roadmap.md", PAGE.replace("- Run more protests.\n", ""))
    project.extract()
    text = project.po_path("roadmap.md").read_text(encoding="utf-8")
    assert '#~ msgid "Run more protests."\n#~ msgstr "Organiseer meer protesten."' in text
    project.page("roadmap.md", PAGE)  # restore it
    project.extract()
    assert states(project)["Run more protests."] is State.REVIEWED
    assert not [e for e in project.po("roadmap.md") if e.obsolete]
    project.page("roadmap.md", PAGE.replace("- Run more protests.\n", ""))
    project.extract()
    project.extract(prune=True)
    assert "Run more protests." not in project.po_path("roadmap.md").read_text(encoding="utf-8")


def test_untranslated_deleted_segment_is_simply_dropped(project: Project) -> None:
    project.page("roadmap.md", PAGE.replace("- Run more protests.\n", ""))
    project.extract()
    assert "Run more protests." not in project.po_path("roadmap.md").read_text(encoding="utf-8")


def test_translator_edit_then_source_edit_never_loses_the_translator(project: Project) -> None:
    project.translate("roadmap.md", {"Hire an organiser.": "Neem een organisator aan."})
    project.translate("roadmap.md", {"Hire an organiser.": "Werf een organisator."})  # translator edits again
    project.page("roadmap.md", PAGE.replace("Hire an organiser.", "Hire a full-time organiser."))
    project.extract()
    entry = project.entry("roadmap.md", "Hire a full-time organiser.")
    assert entry.msgstr == "Werf een organisator."
    assert entry.previous_msgid == "Hire an organiser."
    project.page("roadmap.md", PAGE)  # the edit is reverted: the human translation is valid again
    project.extract()
    assert states(project)["Hire an organiser."] is State.REVIEWED


def test_stale_twice_keeps_the_text_the_translation_was_made_for(project: Project) -> None:
    project.translate("roadmap.md", {"Run more protests.": "Organiseer meer protesten."})
    project.page("roadmap.md", PAGE.replace("Run more protests.", "Run many more protests."))
    project.extract()
    project.page("roadmap.md", PAGE.replace("Run more protests.", "Run many more protests!"))
    project.extract()
    entry = project.entry("roadmap.md", "Run many more protests!")
    assert entry.previous_msgid == "Run more protests."
    assert entry.msgstr == "Organiseer meer protesten."


def test_unrelated_new_segment_is_missing(project: Project) -> None:
    project.translate("roadmap.md", {"Run more protests.": "Organiseer meer protesten."})
    project.page(
        "roadmap.md", PAGE.replace("- Run more protests.\n", "- Publish a quarterly budget report.\n")
    )
    project.extract()
    assert states(project)["Publish a quarterly budget report."] is State.MISSING


def test_extract_is_idempotent_after_changes(project: Project) -> None:
    project.translate("roadmap.md", {"Run more protests.": "Organiseer meer protesten."})
    project.page("roadmap.md", PAGE.replace("Run more protests.", "Run many more protests."))
    project.extract()
    once = snapshot(project.root)
    (project.root / "locales" / ".i18n-state.json").unlink()
    project.extract()
    assert snapshot(project.root) == once


def test_po_round_trip_through_polib(project: Project) -> None:
    project.translate("roadmap.md", {"Plans": "Plannen"})
    project.page("roadmap.md", PAGE.replace("Plans", "Our plans"))
    project.extract()
    text = project.po_path("roadmap.md").read_text(encoding="utf-8")
    assert format_catalog(parse_catalog(text, "roadmap.md", "nl")) == text


def test_syntax_error_names_file_and_line_and_rewrites_nothing(project: Project) -> None:
    path = project.po_path("roadmap.md")
    broken = path.read_text(encoding="utf-8").replace('msgid "Plans"', 'msgid "Plans', 1)
    path.write_text(broken, encoding="utf-8")
    project.page("roadmap.md", PAGE + "\nA new paragraph.\n")
    with pytest.raises(CatalogError, match=r"roadmap\.po:\d+: syntax error"):
        project.extract()
    assert path.read_text(encoding="utf-8") == broken


def test_catalog_of_deleted_page_is_kept_obsolete_then_pruned(project: Project) -> None:
    project.translate("roadmap.md", {"Plans": "Plannen"})
    (project.root / "content" / "roadmap.md").unlink()
    report = project.extract()
    path = project.po_path("roadmap.md")
    assert path in report.orphans and path.exists()
    assert all(e.obsolete for e in project.po("roadmap.md"))
    assert [e.msgstr for e in project.po("roadmap.md")] == ["Plannen"]
    report = project.extract(prune=True)
    assert path in report.removed and not path.exists()


def test_status_counts_states(project: Project) -> None:
    project.translate("roadmap.md", {"Plans": "Plannen"})
    project.translate("roadmap.md", {"Later": "Later"}, review=False)  # machine-like: fuzzy, no previous
    project.translate("roadmap.md", {"Hire an organiser.": "Neem [iemand](/x) aan."})  # breaks a check
    project.extract()
    (row,) = collect_status(project.config, ["nl"])["nl"]
    assert row.segments == 8
    assert row.counts[State.REVIEWED] == 1
    assert row.counts[State.MACHINE] == 1
    assert row.counts[State.REJECTED] == 1
    assert row.counts[State.MISSING] == 5
    assert row.usable == 2 and row.usable_percent == 25.0


def test_check_reports_violations_at_po_lines_and_out_of_date_catalogs(project: Project) -> None:
    assert out_of_date(project.config) == () and list(find_violations(project.config)) == []
    project.translate("roadmap.md", {"Hire an organiser.": "Neem [iemand](/x) aan."})
    (finding,) = find_violations(project.config)
    assert finding.path == project.po_path("roadmap.md") and finding.line
    lines = project.po_path("roadmap.md").read_text(encoding="utf-8").splitlines()
    assert lines[finding.line - 1] == 'msgid "Hire an organiser."'
    assert "link" in finding.text
    project.page("roadmap.md", PAGE + "\nNew.\n")
    assert project.po_path("roadmap.md") in out_of_date(project.config)


# -- golden catalogs and msgfmt ------------------------------------------------------------------------


def test_the_sample_pages_catalogs_are_their_segments_as_msgcat_writes_them(tmp_path: Path) -> None:
    """Gettext decides the form (``msgcat`` writes each catalog back byte for byte); the page decides the
    content: one entry per segment, in order, naming the segment's line and kind."""
    msgcat = shutil.which("msgcat")
    if msgcat is None:
        if os.environ.get("CI"):
            pytest.fail("msgcat (GNU gettext) must be installed in CI")
        pytest.skip("msgcat not installed")
    project = Project(tmp_path)
    pages = sorted((ROOT / "content").glob("*.md"))
    for page in pages:
        shutil.copy(page, tmp_path / "content" / page.name)
    project.extract()
    for page in pages:
        path = project.po_path(page.name)
        written = subprocess.run([msgcat, str(path)], capture_output=True, check=True).stdout
        assert path.read_bytes() == written, f"{path.name} is not msgcat's form"
        segments = parse_page(page.read_text(encoding="utf-8"), path=page.name).segments
        entries = list(project.po(page.name))
        assert [e.msgid for e in entries] == [s.text for s in segments]
        assert [e.occurrences for e in entries] == [[(f"content/{page.name}", str(s.line))] for s in segments]
        assert [e.comment.split(" ")[0] for e in entries] == [s.kind.value for s in segments]
        assert not any(e.msgstr for e in entries)


def test_every_catalog_passes_msgfmt_check(project: Project) -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        if os.environ.get("CI"):
            pytest.fail("msgfmt (GNU gettext) must be installed in CI")
        pytest.skip("msgfmt not installed")
    project.translate("roadmap.md", {"Plans": "Plannen"})
    project.page("roadmap.md", PAGE.replace("Plans", "Our plans").replace("- Run more protests.\n", ""))
    project.extract()
    files = sorted((project.root / "locales").rglob("*.po*"))
    assert len(files) == 2
    for path in files:
        result = subprocess.run(
            [msgfmt, "--check", "-o", os.devnull, str(path)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        if path.suffix == ".po":
            assert result.stderr == "", result.stderr


def test_our_comment_lines_are_never_wrapped_and_survive_a_tool_that_wraps() -> None:
    from i18n.catalog.model import Catalog, Message

    reason = "link-targets: link target '/people' missing; '/mensen' added " * 3
    message = Message(
        msgid="Over [80 volunteers](/people).",
        msgstr="Meer dan [80 vrijwilligers](/mensen).",
        fuzzy=True,
        origin="deepl",
        rejected=reason.strip(),
        suggestions=(
            "Een eerdere, heel lange vertaling die over de breedte van een regel heen gaat.\nTwee regels.",
        ),
        comments=("A translator's own note.",),
    )
    catalog = Catalog("nl", "p.md", (("Language", "nl"),), (message,))
    text = format_catalog(catalog)
    assert "# i18n: rejected " + reason.strip() + "\n" in text
    assert parse_catalog(text, "p.md", "nl").messages == (message,)
    # Poedit-style re-wrapping of a long comment line: the pieces are joined back on reading
    long_line = next(line for line in text.splitlines() if line.startswith("# i18n: suggestion"))
    cut = long_line.rfind(" ", 0, 70)
    wrapped = text.replace(long_line, long_line[:cut] + "\n# " + long_line[cut + 1 :])
    assert parse_catalog(wrapped, "p.md", "nl").messages[0].suggestions == message.suggestions


def test_a_rewrite_moves_only_the_revision_date(project: Project) -> None:
    """When a catalog changes, the header's date is the new time and the file is exactly what formatting
    the catalog gives (the date line is changed in place rather than formatting twice)."""
    from datetime import UTC, datetime

    from i18n.jobs.extract import extract

    project.page("roadmap.md", PAGE.replace("Run more protests.", "Run many more protests."))
    extract(project.config, clock=lambda: datetime(2027, 5, 6, 7, 8, tzinfo=UTC))
    text = project.po_path("roadmap.md").read_text(encoding="utf-8")
    assert '"PO-Revision-Date: 2027-05-06 07:08+0000\\n"' in text
    # the template changed too, and the catalog carries its POT-Creation-Date (as msgmerge would)
    assert '"POT-Creation-Date: 2027-05-06 07:08+0000\\n"' in text
    assert text.count("2027-05-06") == 2
    assert format_catalog(parse_catalog(text, "roadmap.md", "nl")) == text


def test_the_runs_failing_list_reads_no_catalog_holding_only_pseudo_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pseudo-localised entries are findings of `i18n check`, not translation problems `run` lists: a
    catalog whose summary shows only those is not read for the list (a pseudo run of a big site read them
    all)."""
    from i18n.jobs import status
    from i18n.jobs.pipeline import run

    from .project import fixed_clock

    project = Project(tmp_path)
    project.page("a.md", "# Alpha\n\nA first page.\n")
    project.page("b.md", "# Beta\n\nHire an organiser.\n")
    project.extract()
    run(project.config, "pseudo", clock=fixed_clock)
    project.translate("b.md", {"Hire an organiser.": "Neem [iemand](/x) aan."})  # fails a check
    project.extract()
    read: list[Path] = []
    original = status.read_catalog

    def counting(path: Path, *args: str) -> object:
        read.append(path)
        return original(path, *args)

    monkeypatch.setattr(status, "read_catalog", counting)
    findings = list(find_violations(project.config, pseudo=False))
    assert [f.path for f in findings] == [project.po_path("b.md")] and "link" in findings[0].text
    assert read == [project.po_path("b.md")]
    everything = list(find_violations(project.config))  # `i18n check`: the pseudo entries too
    assert {f.path for f in everything} == {project.po_path("a.md"), project.po_path("b.md")}
    assert any(f.text == status.PSEUDO_FINDING for f in everything)
