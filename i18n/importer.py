"""Import existing translated pages into the catalogs (for review), instead of paying to translate again."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .align import align_pages
from .catalog import State
from .checks import check_translation
from .config import Config
from .errors import I18nError
from .page import Page, decode_page, parse_page
from .po import read_catalog
from .project import Clock, PageRef, catalog_path, list_pages, utc_now, write_catalog
from .translate import apply_machine
from .update import fresh_messages

# An alignment below this share of a page's segments means the pages do not correspond at all.
MIN_ALIGNED = 0.2


@dataclass(frozen=True)
class PageImport:
    page: str
    segments: int = 0
    aligned: int = 0
    imported: int = 0
    kept: int = 0  # aligned but the catalog already has a reviewed or machine translation
    rejected: tuple[tuple[str, str], ...] = ()  # (segment id, failed check)
    unaligned: tuple[str, ...] = ()
    skipped: str | None = None  # why nothing was imported for this page


def find_translation(folder: Path, ref: str, language: str) -> Path | None:
    """``DIR/<page>.md`` or ``DIR/<page>.<lang>.md``."""
    plain = folder / ref
    if plain.is_file():
        return plain
    named = folder / Path(ref).with_suffix(f".{language}.md")
    return named if named.is_file() else None


def import_translations(
    config: Config, language: str, folder: Path, *, clock: Clock = utc_now
) -> list[PageImport]:
    """Align each page's translation in ``folder`` with the English and fill missing/stale entries."""
    if not folder.is_dir():
        raise I18nError("not a folder", path=folder)
    origin = f"import:{folder.name}"
    results = []
    for page in list_pages(config):
        found = find_translation(folder, page.ref, language)
        if found is None:
            results.append(PageImport(page.ref, skipped="no translated page"))
            continue
        source = parse_page(
            decode_page(page.path.read_bytes(), page.location),
            path=page.location,
            frontmatter_keys=config.frontmatter_keys,
        )
        try:
            translated = parse_page(
                decode_page(found.read_bytes(), found), path=found, frontmatter_keys=config.frontmatter_keys
            )
        except I18nError as exc:
            results.append(PageImport(page.ref, len(source.segments), skipped=str(exc)))
            continue
        results.append(_import_page(config, language, page, source, translated, origin, clock))
    return results


def _import_page(
    config: Config,
    language: str,
    page: PageRef,
    source: Page,
    translated: Page,
    origin: str,
    clock: Clock,
) -> PageImport:
    ref = page.ref
    alignment = align_pages(source, translated)
    segments = len(source.segments)
    if segments and alignment.ratio < MIN_ALIGNED:
        return PageImport(
            ref, segments, len(alignment.pairs), unaligned=alignment.unaligned,
            skipped=f"structure does not match ({len(alignment.pairs)}/{segments} segments aligned)",
        )  # fmt: skip
    path = catalog_path(config, language, ref)
    catalog = read_catalog(path, ref, language)
    index = {m.key: n for n, m in enumerate(catalog.messages) if not m.obsolete}
    keys = {s.id: m.key for s, m in zip(source.segments, fresh_messages(source.segments, ""), strict=True)}
    kinds = {s.id: s for s in source.segments}
    messages = list(catalog.messages)
    imported = kept = 0
    rejected: list[tuple[str, str]] = []
    for pair in alignment.pairs:
        segment = kinds[pair.segment_id]
        problems = check_translation(segment.text, pair.text, segment.kind)
        if problems:
            rejected.append((pair.segment_id, str(problems[0])))
            continue
        position = index.get(keys[pair.segment_id])
        if position is None:
            continue
        if messages[position].state not in (State.MISSING, State.STALE):
            kept += 1
            continue
        messages[position] = apply_machine(messages[position], pair.text, origin, None, ())
        imported += 1
    if imported:
        write_catalog(config, replace(catalog, messages=tuple(messages)), page, path, catalog, clock, False)
    return PageImport(
        ref, segments, len(alignment.pairs), imported, kept, tuple(rejected), alignment.unaligned
    )
