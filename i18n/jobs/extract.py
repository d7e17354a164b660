"""``extract``: bring every page's template and catalogs up to date with ``content/``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from ..catalog.model import Catalog, Message, State
from ..catalog.update import Recall, fresh_messages, update_messages
from ..clock import Clock, utc_now
from ..config import Config
from ..errors import PageError
from ..files import bytes_digest, file_digest
from .catalogs import ATTEMPTS, new_catalog, read_catalog, write_catalog, write_text_unless_changed
from .documents import Documents, read_source
from .layout import TEMPLATES, Source, catalog_key, catalog_path, check_output_dir, list_sources, skipped_page
from .memo import Memo
from .state import RECALL_DIGEST, SiteState, recallable, summarise


class ExtractReport(NamedTuple):
    written: tuple[Path, ...]
    outdated: tuple[Path, ...]  # of those, catalogs whose entries change (not only our bookkeeping)
    unchanged: int
    skipped: int  # pages whose source and catalogs were unchanged: not parsed
    orphans: tuple[Path, ...]  # catalogs whose page no longer exists
    removed: tuple[Path, ...]  # deleted by --prune


def extract(
    config: Config,
    *,
    prune: bool = False,
    dry_run: bool = False,
    clock: Clock = utc_now,
    memo: Memo | None = None,
    skipped: list[PageError] | None = None,
) -> ExtractReport:
    """Create or update every page's template and per-language catalogs.

    Only files whose content changed are written (atomically); with ``dry_run`` nothing is written and the
    report says what would be. ``memo`` keeps what was parsed and written, for a following build. Raises
    ``PageError``/``CatalogError`` naming the file on bad input; a bad catalog is never rewritten.
    ``skipped``: a page that cannot be read or parsed is added to it (once) and skipped, its catalogs
    untouched, instead of raising; every other page is extracted.
    """
    check_output_dir(config)  # page snapshots are kept there
    state = SiteState(config)
    sources = list_sources(config)
    work = _Extraction(config, state, memo, clock, prune=prune, dry_run=dry_run, sources=sources)
    fresh = 0
    keys = (None, *config.languages)
    for source in sources:
        try:
            data = read_source(source)
            digest = bytes_digest(data)
            paths = {catalog_key(language): catalog_path(config, language, source.ref) for language in keys}
            if not prune and state.fresh(source.ref, digest, {k: file_digest(p) for k, p in paths.items()}):
                fresh += 1
                continue
            work.page(source, data, digest, paths)
        except PageError as exc:
            if skipped_page(skipped, exc):
                continue
            raise
    written, outdated = work.written, work.outdated
    orphans, changed, removed = _orphans(config, sources, prune=prune, dry_run=dry_run)
    written.extend(changed)
    outdated.extend(changed)
    if not dry_run:
        state.save({s.ref for s in sources})
    report = (tuple(written), tuple(outdated), work.unchanged, fresh, tuple(orphans), tuple(removed))
    return ExtractReport(*report)


def _split_html(source: str, translation: str) -> tuple[list[str], list[str] | None]:
    from ..markdown.html import split_block  # markdown-it: see i18n.jobs

    return split_block(source, translation)


class _Extraction:
    """Updating pages' catalogs: everything this takes is loaded with the first page that needs it."""

    def __init__(
        self,
        config: Config,
        state: SiteState,
        memo: Memo | None,
        clock: Clock,
        *,
        prune: bool,
        dry_run: bool,
        sources: Sequence[Source] = (),
    ) -> None:
        self.config, self.state, self.memo, self.clock = config, state, memo, clock
        self.prune, self.dry_run, self.sources = prune, dry_run, sources
        self.recalls: dict[str, _Recall] = {}
        self.written: list[Path] = []
        self.outdated: list[Path] = []
        self.unchanged = 0
        self._documents: Documents | None = None

    def page(self, source: Source, data: bytes, digest: str, paths: dict[str, Path]) -> None:
        """Parse the page (or restore it) and bring its template and catalogs up to date."""
        if self._documents is None:
            self._documents = Documents(self.config, self.memo, snapshots=not self.dry_run)
        config, state, dry_run = self.config, self.state, self.dry_run
        document = self._documents.load(source, data, digest)
        fresh = fresh_messages(document.segments, source.location)
        existing = {
            key: read_catalog(path, source.ref, None if key == TEMPLATES else key)
            for key, path in paths.items()
            if path.exists()
        }  # all read before any is written
        if not dry_run:
            state.record_page(source.ref, digest, fresh)
        for language in (None, *config.languages):
            key = catalog_key(language)
            old = existing.get(key)

            def updated(old: Catalog | None, language: str | None = language) -> Catalog:
                """The page's catalog made from ``old`` (as read; again if a translator saved it since)."""
                if language is None:
                    return new_catalog(source, language, fresh)
                before = old.messages if old else ()
                recall = None if _all_known(before, fresh) else self.recall(language)
                messages = update_messages(
                    before, fresh, threshold=config.fuzzy_threshold, recall=recall, split=_split_html
                )
                if self.prune:
                    messages = tuple(m for m in messages if not m.obsolete)
                return new_catalog(source, language, messages)

            catalog = updated(old)
            if language in self.recalls:  # what a recall reads later is the file as it was at its start
                self.recalls[language].pin(paths[key])
            written = write_catalog(
                config, catalog, source, old, self.clock, dry_run=dry_run, reapply=updated
            )
            messages = written.catalog.messages
            if written.changed:
                self.written.append(paths[key])
                if old is None or _entries(old) != _entries(written.catalog):
                    self.outdated.append(paths[key])
            else:
                self.unchanged += 1
            if not dry_run:
                file = written.catalog.digest
                state.record_catalog(source.ref, key, file, None if language is None else summarise(messages))
                if language is not None and self._documents.memo.catalogs.size:
                    self._documents.memo.catalogs.put(file, messages)

    def recall(self, language: str) -> Recall:
        if language not in self.recalls:
            self.recalls[language] = _Recall(self.config, language, self.state, self.sources)
        return self.recalls[language]


def out_of_date(config: Config, skipped: list[PageError] | None = None) -> tuple[Path, ...]:
    """Catalogs whose entries ``extract`` would change: they lag behind content/.

    Bookkeeping that ``extract`` adds after a translator's review (the source hash) does not count, so a
    reviewed catalog straight from Poedit passes.
    """
    return tuple(sorted(extract(config, dry_run=True, skipped=skipped).outdated))


def _entries(catalog: Catalog) -> list[tuple[object, ...]]:
    """What a catalog says about content/: its entries, without our bookkeeping (hashes, origins). Extracted
    comments are compared as their words: a PO tool may wrap a long one (an instruction) over lines."""
    return [
        (m.context, m.msgid, m.obsolete, m.locations, " ".join(" ".join(m.notes).split()))
        for m in catalog.messages
    ]


def _all_known(old: Sequence[Message], fresh: Sequence[Message]) -> bool:
    texts = {m.msgid for m in old}
    return all(m.msgid in texts for m in fresh)


class _Recall:
    """Exact translations from every catalog of ``language``, by the hash of the text they translate; the
    best one is the first reviewed one in path order, else the first one. A catalog whose bytes are the
    ones the state file recorded is read only when a text asks for one of its recorded recall keys (an
    edit reads the few catalogs that hold its texts, not the site); any other catalog is read at once."""

    def __init__(self, config: Config, language: str, state: SiteState, sources: Sequence[Source]) -> None:
        refs = {catalog_path(config, language, source.ref): source.ref for source in sources}
        self.language = language
        self.found: dict[str, list[tuple[int, int, Message]]] = {}
        self.waiting: dict[Path, int] = {}  # catalogs not read yet -> their place in path order
        self.by_key: dict[str, list[Path]] = {}
        for order, path in enumerate(sorted((config.locales_dir / language).rglob("*.po"))):
            ref, digest = refs.get(path), file_digest(path)
            keys = None if ref is None or digest is None else state.recall_keys(ref, language, digest)
            if keys is None:
                self._read(order, path)
                continue
            self.waiting[path] = order
            for key in keys:
                self.by_key.setdefault(key, []).append(path)

    def _read(self, order: int, path: Path) -> None:
        for position, message in enumerate(read_catalog(path, "", self.language).messages):
            usable = recallable(message)
            if usable is not None and usable.source_hash:
                self.found.setdefault(usable.source_hash, []).append((order, position, usable))

    def pin(self, path: Path) -> None:
        """Read ``path`` now if it waits: it is about to be rewritten."""
        order = self.waiting.pop(path, None)
        if order is not None:
            self._read(order, path)

    def __call__(self, digest: str) -> Message | None:
        for path in self.by_key.pop(digest[:RECALL_DIGEST], ()):
            self.pin(path)
        best: Message | None = None
        for _, _, message in sorted(self.found.get(digest, ()), key=lambda found: found[:2]):
            if best is None or (message.state is State.REVIEWED and best.state is not State.REVIEWED):
                best = message
        return best


def _orphans(
    config: Config, sources: Sequence[Source], *, prune: bool, dry_run: bool
) -> tuple[list[Path], list[Path], list[Path]]:
    """Catalogs whose document is gone: entries made obsolete and kept; deleted only with ``prune``."""
    orphans: list[Path] = []
    changed: list[Path] = []
    removed: list[Path] = []
    for language in (None, *config.languages):
        folder = config.locales_dir / catalog_key(language)
        known = {catalog_path(config, language, source.ref) for source in sources}
        for path in sorted(folder.rglob("*.pot" if language is None else "*.po")):
            if path in known:
                continue
            ref = path.relative_to(folder).as_posix()
            orphans.append(path)
            if prune:
                if not dry_run:
                    path.unlink()
                removed.append(path)
                continue
            from ..catalog.po import format_catalog  # measured: see i18n.jobs

            for _ in range(ATTEMPTS):  # read again when a translator saved it in between
                catalog = read_catalog(path, ref, language)
                messages = tuple(
                    replace(m, obsolete=True, locations=()) for m in catalog.messages if m.msgstr
                )
                if messages == catalog.messages:
                    break
                text = format_catalog(replace(catalog, messages=messages))
                if dry_run or write_text_unless_changed(path, text, catalog):
                    changed.append(path)
                    break
    return orphans, changed, removed
