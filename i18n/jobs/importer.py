"""Import existing translations into the catalogs (for review), instead of paying to translate again:
translated pages by alignment with the English ones, a translated message file by key."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..catalog.model import State
from ..catalog.update import apply_machine, fresh_messages
from ..checks import check_translation
from ..clock import Clock, utc_now
from ..config import Config, MessageSpec
from ..errors import ConfigError, I18nError
from ..files import file_digest
from ..markdown.align import align_pages
from ..markdown.kind import MarkdownKind
from ..markdown.page import Page
from ..messages.file import MessageFile, read_values
from ..segments import SegmentKind
from .catalogs import read_catalog, write_catalog
from .documents import Documents, decode, read_source
from .import_report import MIN_ALIGNED, NO_ENGLISH, NO_TRANSLATION, MessagesImport, PageImport
from .layout import Source, catalog_path, list_sources, matching, relative
from .migrate import carry_import
from .state import SiteState, summarise


def find_translation(folder: Path, ref: str, language: str) -> Path | None:
    """``DIR/<page>.md`` or ``DIR/<page>.<lang>.md`` (``.mdx``: likewise)."""
    plain = folder / ref
    if plain.is_file():
        return plain
    named = folder / Path(ref).with_suffix(f".{language}{Path(ref).suffix}")
    return named if named.is_file() else None


def find_english(folder: Path | None, ref: str) -> Path | None:
    """The page ``ref`` in an older English folder, if there."""
    if folder is None:
        return None
    path = folder / ref
    return path if path.is_file() else None


def import_translations(
    config: Config,
    language: str,
    folder: Path,
    *,
    clock: Clock = utc_now,
    made_from: Path | None = None,
) -> list[PageImport]:
    """Align each page's translation in ``folder`` with the English and fill missing/stale entries: a
    translation that passes the checks for review, one that fails them as *rejected* with the reason
    (the translator sees it; it is never built). Translated pages with no English page are reported.

    ``made_from``: the folder of the English pages the translations were made from (an older
    ``content_dir``). A translation is aligned with its page there, then carried onto today's English
    by the update rules (:func:`i18n.jobs.migrate.carry_import`): unchanged segments are imported,
    edited ones are *stale* with the old English as previous msgid, removed ones obsolete."""
    if not folder.is_dir():
        raise I18nError("not a folder", path=folder)
    if made_from is not None and not made_from.is_dir():
        raise I18nError("not a folder (the English the translations were made from)", path=made_from)
    origin = f"import:{folder.name}"
    documents = Documents(config)
    state = SiteState(config)
    results = []
    matched: set[Path] = set()
    for source in list_sources(config):
        if source.spec is not None:
            continue  # message files are imported by key (import_messages)
        found = find_translation(folder, source.ref, language)
        if found is None:
            results.append(PageImport(source.ref, skipped=NO_TRANSLATION))
            continue
        matched.add(found.resolve())
        english = documents.load(source, read_source(source))
        assert isinstance(english, Page)  # pages are the only kind with translations to align
        kind = documents.kind
        if isinstance(kind, MarkdownKind):  # the translation is read in its English page's flavour
            kind = kind._replace(flavour=english.flavour.name)
        old = find_english(made_from, source.ref)
        try:
            translated = kind.parse(decode(found.read_bytes(), str(found)), str(found))
            before = kind.parse(decode(old.read_bytes(), str(old)), str(old)) if old else None
        except I18nError as exc:
            results.append(PageImport(source.ref, len(english.segments), skipped=str(exc)))
            continue
        assert isinstance(translated, Page)
        if before is not None:
            assert isinstance(before, Page)
            against = relative(config, old.resolve()) if old is not None else None
            done = carry_import(config, state, language, source, english, before, translated, origin, clock)
            results.append(replace(done, against=against))
            continue
        results.append(_import_page(config, state, language, source, english, translated, origin, clock))
    state.save()
    for path in matching(folder, config.content_globs):
        if path.resolve() not in matched:
            why = NO_ENGLISH.format(content=relative(config, config.content_dir))
            results.append(PageImport(path.relative_to(folder).as_posix(), skipped=why))
    return results


def _import_page(
    config: Config,
    state: SiteState,
    language: str,
    source: Source,
    english: Page,
    translated: Page,
    origin: str,
    clock: Clock,
) -> PageImport:
    ref = source.ref
    alignment = align_pages(english, translated)
    segments = len(english.segments)
    unaligned = tuple(zip(alignment.unaligned, alignment.reasons, strict=True))
    if segments and alignment.ratio < MIN_ALIGNED:
        return PageImport(
            ref, segments, 0, unaligned=unaligned,
            skipped=f"structure does not match ({len(alignment.pairs)}/{segments} segments aligned)",
        )  # fmt: skip
    path = catalog_path(config, language, ref)
    catalog = read_catalog(path, ref, language)
    index = {m.key: n for n, m in enumerate(catalog.messages) if not m.obsolete}
    keys = {s.id: m.key for s, m in zip(english.segments, fresh_messages(english.segments, ""), strict=True)}
    kinds = {s.id: s for s in english.segments}
    messages = list(catalog.messages)
    imported = kept = 0
    rejected: list[tuple[str, str]] = []
    restored = [(pair.segment_id, old, new) for pair in alignment.pairs for old, new in pair.restored]
    for pair in alignment.pairs:
        segment = kinds[pair.segment_id]
        position = index.get(keys[pair.segment_id])
        if position is None:
            continue
        if messages[position].state not in (State.MISSING, State.STALE):
            kept += 1
            continue
        problems = check_translation(segment.text, pair.text, segment.kind)
        reason = "; ".join(str(problem) for problem in problems) or None
        messages[position] = apply_machine(messages[position], pair.text, origin, reason, ())
        if reason is None:
            imported += 1
        else:
            rejected.append((pair.segment_id, reason))
    if imported or rejected:
        updated = replace(catalog, messages=tuple(messages))
        written = write_catalog(config, updated, source, catalog, clock).catalog
        state.record_catalog(ref, language, written.digest, summarise(written.messages))
    return PageImport(
        ref, segments, len(alignment.pairs), imported, kept, tuple(rejected), unaligned, tuple(restored)
    )


def message_source(config: Config, chosen: Path | None = None) -> Source:
    """The configured message file ``chosen`` names (by its path), or the only one configured."""
    sources = [source for source in list_sources(config) if source.spec is not None]
    if chosen is not None:
        wanted = chosen.resolve()
        found = [source for source in sources if source.path == wanted]
        if not found:
            names = ", ".join(source.location for source in sources) or "none"
            raise ConfigError(f"{chosen} is not a configured message file (configured: {names})")
        return found[0]
    if len(sources) != 1:
        if not sources:
            raise ConfigError("no message files configured ([[tool.i18n.messages]] in pyproject.toml)")
        names = ", ".join(source.location for source in sources)
        raise ConfigError(f"several message files are configured ({names}): choose one with --messages")
    return sources[0]


def import_messages(
    config: Config, language: str, file: Path, source: Source, *, clock: Clock = utc_now
) -> MessagesImport:
    """Fill the missing and stale entries of ``source``'s catalog in ``language`` from the translated
    message file ``file``, matched by key. A value that fails the checks is stored as *rejected* (never
    built) for a translator to fix; a reviewed or machine translation is never replaced."""
    spec: MessageSpec | None = source.spec
    assert spec is not None
    english = Documents(config, snapshots=False).load(source, read_source(source))
    assert isinstance(english, MessageFile)
    location = relative(config, file.resolve())
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise I18nError(f"cannot read: {exc.strerror or exc}", path=location) from None
    values = read_values(decode(data, location, "a message file"), location, english.format)
    path = catalog_path(config, language, source.ref)
    catalog = read_catalog(path, source.ref, language)
    index = {m.context: n for n, m in enumerate(catalog.messages) if not m.obsolete}
    messages = list(catalog.messages)
    origin = f"import:{file.name}"
    shared: list[str] = []
    missing: list[str] = []
    untranslated: list[str] = []
    rejected: list[tuple[str, str]] = []
    imported = kept = 0
    for segment in english.segments:
        text = values.get(segment.id)
        if text is None:
            missing.append(segment.id)
            continue
        shared.append(segment.id)
        position = index.get(segment.id)
        if position is None:  # extract ran first: every message has its entry
            continue
        if text == segment.text:
            untranslated.append(segment.id)
            continue
        if messages[position].state not in (State.MISSING, State.STALE):
            kept += 1
            continue
        problems = check_translation(segment.text, text, SegmentKind.MESSAGE)
        reason = "; ".join(str(problem) for problem in problems) or None
        messages[position] = apply_machine(messages[position], text, origin, reason, ())
        if reason is None:
            imported += 1
        else:
            rejected.append((segment.id, reason))
    if imported or rejected:
        updated = replace(catalog, messages=tuple(messages))
        write_catalog(config, updated, source, catalog, clock)
        state = SiteState(config)
        state.record_catalog(source.ref, language, file_digest(path), summarise(updated.messages))
        state.save()
    known = read_values(english.source, source.location, english.format)  # texts without letters too
    unknown = tuple(key for key in values if key not in known)
    return MessagesImport(
        source.location,
        len(english.segments),
        tuple(shared),
        imported,
        kept,
        tuple(untranslated),
        tuple(rejected),
        tuple(missing),
        unknown,
    )
