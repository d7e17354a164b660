"""The reports carry their totals (the command line only formats them): an import's over its pages, a
build's coverage and what needs translating, a translation run's plan over its languages."""

from __future__ import annotations

from pathlib import Path

from i18n.jobs.build import LanguageBuild, PageBuild
from i18n.jobs.import_report import NO_TRANSLATION, ImportTotals, PageImport
from i18n.jobs.translate import LanguageReport, TranslateReport


def test_import_totals_leave_out_pages_without_a_translation_and_count_skipped_ones() -> None:
    rows = [
        PageImport("a.md", segments=10, aligned=8, imported=5, kept=1, rejected=(("p1", "code"),)),
        PageImport("b.md", segments=4, skipped="nothing aligned"),
        PageImport("c.md", segments=6, aligned=6, imported=2, stale=3, obsolete=1),
        PageImport("d.md", segments=9, skipped=NO_TRANSLATION),
    ]
    total = ImportTotals.of(rows)
    assert (total.pages, total.segments, total.skipped) == (3, 20, 1)
    assert (total.aligned, total.imported, total.rejected, total.stale, total.obsolete) == (14, 7, 1, 3, 1)
    assert total.stored == 7 + 1 + 1 + 3 + 1  # imported, rejected, kept, stale, obsolete
    assert (total.aligned_percent, total.stored_percent) == (70.0, 65.0)
    assert ImportTotals.of([]).aligned_percent == 0.0


def _page(name: str, segments: int, translated: int, included: bool, missing: int, stale: int) -> PageBuild:
    counts = (missing, translated, 0, stale, 0)  # missing, machine, reviewed, stale, rejected
    return PageBuild(name, segments, translated, counts, "", included)


def test_a_builds_coverage_counts_every_segment_and_only_included_pages_translations() -> None:
    pages = (_page("a", 10, 9, True, 1, 0), _page("b", 10, 2, False, 6, 2))
    build = LanguageBuild("nl", pages, (), (), Path("nl.tar.gz"))
    assert [p.page for p in build.included] == ["a"]
    assert build.coverage == 45.0 and build.needing == 9
    assert LanguageBuild("nl", (), (), (), Path("x")).coverage == 100.0


def test_a_translation_plan_adds_up_its_languages() -> None:
    report = TranslateReport(
        {
            "nl": LanguageReport(
                "nl", characters=100, batches=2, estimated_prompt_tokens=50, estimated_cost=0.5
            ),
            "de": LanguageReport(
                "de", characters=40, batches=1, estimated_completion_tokens=7, remaining_texts=3
            ),
        }
    )
    assert (report.planned_characters, report.planned_requests) == (140, 3)
    assert (report.estimated_prompt_tokens, report.estimated_completion_tokens) == (50, 7)
    assert report.estimated_cost == 0.5 and [row.language for row in report.left] == ["de"]
    assert TranslateReport({"nl": LanguageReport("nl")}).estimated_cost is None
