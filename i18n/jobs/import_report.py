"""What an import did: per page (:class:`PageImport`), its totals (:class:`ImportTotals`), per message
file (:class:`MessagesImport`). Shared by the import against today's English (:mod:`.importer`) and
against older English (:mod:`.migrate`), which both make these reports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# An alignment below this share of a page's segments means the pages do not correspond at all.
MIN_ALIGNED = 0.2


NO_TRANSLATION = "no translated page"
NO_ENGLISH = "no English page in {content}/"  # the configured content folder


@dataclass(frozen=True)
class PageImport:
    page: str  # the English page's ref; for a translated page without one, its path in the folder
    segments: int = 0
    aligned: int = 0
    imported: int = 0  # entered the catalog for review
    kept: int = 0  # aligned but the catalog already has a reviewed or machine translation
    rejected: tuple[tuple[str, str], ...] = ()  # (segment id, failed check): kept in the catalog as rejected
    unaligned: tuple[tuple[str, str], ...] = ()  # (segment id, why it was not aligned)
    restored: tuple[tuple[str, str, str], ...] = ()  # (segment id, localised target, English target)
    skipped: str | None = None  # why nothing was imported for this page
    stale: int = 0  # (--source) aligned, but the English changed since: stale, old English as #| msgid
    obsolete: int = 0  # (--source) aligned, but the English segment is gone: kept obsolete (#~)
    against: str | None = None  # (--source) the English it was aligned with, when not today's

    @property
    def stored(self) -> int:
        """Aligned segments that reached the catalog: imported, kept as rejected, stale or obsolete (the
        English changed or went since), or already there."""
        return self.imported + len(self.rejected) + self.kept + self.stale + self.obsolete


@dataclass(frozen=True)
class ImportTotals:
    """An import's totals over its pages (those without a translation left out; a skipped page counts
    its segments only)."""

    pages: int = 0
    segments: int = 0
    skipped: int = 0
    aligned: int = 0
    imported: int = 0
    rejected: int = 0
    stored: int = 0
    stale: int = 0
    obsolete: int = 0

    @classmethod
    def of(cls, rows: Iterable[PageImport]) -> ImportTotals:
        shown = [row for row in rows if row.skipped != NO_TRANSLATION]
        done = [row for row in shown if not row.skipped]
        return cls(
            pages=len(shown),
            segments=sum(row.segments for row in shown),
            skipped=len(shown) - len(done),
            aligned=sum(row.aligned for row in done),
            imported=sum(row.imported for row in done),
            rejected=sum(len(row.rejected) for row in done),
            stored=sum(row.stored for row in done),
            stale=sum(row.stale for row in done),
            obsolete=sum(row.obsolete for row in done),
        )

    @property
    def aligned_percent(self) -> float:
        return 100.0 * self.aligned / self.segments if self.segments else 0.0

    @property
    def stored_percent(self) -> float:
        """Percent of the segments that reached the catalogs."""
        return 100.0 * self.stored / self.segments if self.segments else 0.0


@dataclass(frozen=True)
class MessagesImport:
    """What importing a translated message file did, by key."""

    source: str  # the message file it was matched with (from the project root)
    keys: int  # messages in the source
    shared: tuple[str, ...]  # keys both files have
    imported: int = 0
    kept: int = 0  # the catalog already has a reviewed or machine translation
    untranslated: tuple[str, ...] = ()  # the value is the English text: not imported
    rejected: tuple[tuple[str, str], ...] = ()  # (key, failed check): kept as *rejected* for the translator
    missing: tuple[str, ...] = ()  # source keys the file does not have
    unknown: tuple[str, ...] = ()  # keys the file has that the source does not (no longer) have
