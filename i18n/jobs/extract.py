"""``extract``: bring every page's template and catalogs up to date with ``content/``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from ..catalog.model import Catalog, Message, State
from ..catalog.update import Recall, fresh_messages, update_messages
from ..clock import Clock, utc_now
from ..config import Config
from ..errors import PageError
from ..files import bytes_digest, file_digest
from . import shard
from .catalogs import ATTEMPTS, new_catalog, read_catalog, write_catalog, write_text_unless_changed
from .documents import Documents, read_source
from .layout import TEMPLATES, Source, catalog_key, catalog_path, check_output_dir, list_sources, skipped_page
from .memo import Memo
from .state import RECALL_DIGEST, CatalogSummary, SiteState, recallable, summarise
from .workers import PageWork, each_page


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
    jobs: int = 1,
) -> ExtractReport:
    """Create or update every page's template and per-language catalogs.

    Only files whose content changed are written (atomically); with ``dry_run`` nothing is written and the
    report says what would be. ``memo`` keeps what was parsed and written, for a following build. Raises
    ``PageError``/``CatalogError`` naming the file on bad input; a bad catalog is never rewritten.
    ``skipped``: a page that cannot be read or parsed is added to it (once) and skipped, its catalogs
    untouched, instead of raising; every other page is extracted. ``jobs``: worker processes for the
    pages (:mod:`.workers`; the same output for any number).

    A recall (the exact translation of a new text from another catalog) sees the catalogs as they were
    when extract started, whatever order pages are done in: pages that need one wait for the others and
    are done in page order in this process, with what the others' catalogs held before they were
    rewritten.
    """
    check_output_dir(config)  # page snapshots are kept there
    state = SiteState(config)
    everything = list_sources(config)  # recall reads them all; a shard (--shard K/N) extracts its own
    sources = shard.select(config, everything)
    possible = {language: _has_catalogs(config, language) for language in config.languages}
    work = _ExtractWork(config, clock, prune, dry_run, possible, state, memo)
    report = _Report(None if dry_run else state)
    waiting: list[Source] = []  # pages that need a recall: done here once the others are
    pinned: dict[Path, tuple[Message, ...]] = {}  # catalogs rewritten meanwhile: what they held before
    with closing(each_page(work, sources, jobs)) as outcomes:  # an error here stops the workers too
        for source, outcome in zip(sources, outcomes, strict=False):
            if outcome == _NEEDS_RECALL:
                waiting.append(source)
            elif not _failed(outcome, skipped):
                report.add(source, outcome, pinned)
    if waiting:
        extraction = _Extraction(work, state, memo, sources=everything, pinned=pinned)
        for source in waiting:
            if not _failed(outcome := extraction(source), skipped):
                report.add(source, outcome, pinned)
    if not dry_run:
        _edited_elsewhere(work, state, memo, everything, pinned)
    written, outdated = report.written, report.outdated
    orphans, changed, removed = _orphans(config, everything, prune=prune, dry_run=dry_run)
    written.extend(changed)
    outdated.extend(changed)
    if not dry_run:
        state.save({s.ref for s in everything})
    summary = (
        tuple(written),
        tuple(outdated),
        report.unchanged,
        report.fresh,
        tuple(orphans),
        tuple(removed),
    )
    return ExtractReport(*summary)


def _edited_elsewhere(
    work: _ExtractWork,
    state: SiteState,
    memo: Memo | None,
    everything: Sequence[Source],
    pinned: dict[Path, tuple[Message, ...]],
) -> None:
    """A shard's run: other shards' edited pages holding reviewed translations updated in this copy only
    (not reported; their own shard writes and names them), so that the translation memory is what one
    machine's would be."""
    others = list(shard.edited_elsewhere(work.config, state, everything))
    if not others:
        return
    extraction = _Extraction(work, state, memo, sources=everything, pinned=pinned)
    record = _Report(state)
    for source in others:
        outcome = extraction(source)
        if not isinstance(outcome, PageError):
            record.add(source, outcome, pinned)


def _has_catalogs(config: Config, language: str) -> bool:
    """Whether ``language`` has a catalog a recall could read."""
    return next((config.locales_dir / language).rglob("*.po"), None) is not None


def _failed(outcome: _Outcome, skipped: list[PageError] | None) -> bool:
    if not isinstance(outcome, PageError):
        return False
    if skipped_page(skipped, outcome):
        return True
    raise outcome


class _CatalogDone(NamedTuple):
    key: str
    path: Path
    changed: bool
    outdated: bool  # its entries changed (not only our bookkeeping)
    digest: str | None  # of the file as written (or as it is)
    summary: CatalogSummary | None  # a language's
    before: tuple[Message, ...] | None = None  # rewritten: what it held before (for a later recall)


class _Extracted(NamedTuple):
    digest: str
    messages: tuple[Message, ...]  # the page's fresh messages (the state file records their digests)
    catalogs: tuple[_CatalogDone, ...]


class _Fresh(NamedTuple):
    """Not done: the page and its catalogs are as the state file recorded (not parsed), or (``recall``)
    the page needs a recall and waits for the other pages."""

    recall: bool = False


_NEEDS_RECALL = _Fresh(recall=True)
_FRESH = _Fresh()
_Outcome = _Extracted | _Fresh | PageError


class _Report:
    """What extract did, recorded in page order (the state file too)."""

    def __init__(self, state: SiteState | None) -> None:
        self.state = state  # None: a dry run records nothing
        self.written: list[Path] = []
        self.outdated: list[Path] = []
        self.unchanged = 0
        self.fresh = 0

    def add(self, source: Source, outcome: _Outcome, pinned: dict[Path, tuple[Message, ...]]) -> None:
        """``pinned``: gets what a rewritten catalog held before (for the recalls made afterwards)."""
        if not isinstance(outcome, _Extracted):
            self.fresh += 1
            return
        state = self.state
        if state is not None:
            state.record_page(source.ref, outcome.digest, outcome.messages)
        for done in outcome.catalogs:
            if done.changed:
                self.written.append(done.path)
                if done.outdated:
                    self.outdated.append(done.path)
            else:
                self.unchanged += 1
            if state is not None:
                state.record_catalog(source.ref, done.key, done.digest, done.summary)
            if done.before is not None:
                pinned.setdefault(done.path, done.before)


class _ExtractWork(PageWork[Source, _Outcome]):
    """What every page's extraction shares; picklable (the state file and memo stay behind: a worker
    reads the state file as extract found it)."""

    def __init__(
        self,
        config: Config,
        clock: Clock,
        prune: bool,
        dry_run: bool,
        possible: dict[str, bool],
        state: SiteState | None,
        memo: Memo | None,
    ) -> None:
        self.config, self.clock, self.prune, self.dry_run = config, clock, prune, dry_run
        self.possible = possible  # languages with catalogs at the start: a recall may find something
        self.state, self.memo = state, memo

    def __getstate__(self) -> dict[str, Any]:
        return {**vars(self), "state": None, "memo": None}

    def preload(self) -> None:
        from .. import checks  # noqa: F401  (markdown-it: see i18n.jobs)
        from ..catalog import po  # noqa: F401
        from ..markdown import html  # noqa: F401

        Documents(self.config).warm()

    def done_already(self) -> Callable[[Source], _Outcome | None] | None:
        if self.prune or self.state is None:
            return None
        extraction = _Extraction(self, self.state, None)
        return extraction.fresh

    def make(self) -> Callable[[Source], _Outcome]:
        return _Extraction(self, SiteState(self.config) if self.state is None else self.state, self.memo)


def _split_html(source: str, translation: str) -> tuple[list[str], list[str] | None]:
    from ..markdown.html import split_block  # markdown-it: see i18n.jobs

    return split_block(source, translation)


class _Extraction:
    """Extracting a page: everything this takes is loaded with the first page that needs it. Without
    ``sources`` (in a worker) a page whose new texts a recall could find is not done but handed back;
    with them (in the parent, once the others are done) the recall reads the catalogs (``pinned``: as
    they were before this run rewrote them)."""

    def __init__(
        self,
        work: _ExtractWork,
        state: SiteState,
        memo: Memo | None,
        *,
        sources: Sequence[Source] | None = None,
        pinned: dict[Path, tuple[Message, ...]] | None = None,
    ) -> None:
        self.config, self.state, self.memo, self.clock = work.config, state, memo, work.clock
        self.prune, self.dry_run, self.possible = work.prune, work.dry_run, work.possible
        self.recalls: dict[str, _Recall] | None = None
        if sources is not None:  # every recall made before any catalog is rewritten: they see the same
            recalls = {}
            for language in (lang for lang, possible in work.possible.items() if possible):
                recalls[language] = _Recall(self.config, language, state, sources, pinned or {})
            self.recalls = recalls
        self._documents: Documents | None = None

    def fresh(self, source: Source) -> _Fresh | None:
        """``_FRESH`` when the page and its catalogs are as the state file records them, else None (also
        when something cannot be read: :meth:`__call__` says what)."""
        try:
            data = read_source(source)
            digest = bytes_digest(data)
            keys = (None, *self.config.languages)
            files = {
                catalog_key(language): file_digest(catalog_path(self.config, language, source.ref))
                for language in keys
            }
        except (PageError, OSError):
            return None
        return _FRESH if self.state.fresh(source.ref, digest, files) else None

    def __call__(self, source: Source) -> _Outcome:
        try:
            data = read_source(source)
            digest = bytes_digest(data)
            keys = (None, *self.config.languages)
            paths = {
                catalog_key(language): catalog_path(self.config, language, source.ref) for language in keys
            }
            files = {key: file_digest(path) for key, path in paths.items()}
            if not self.prune and self.state.fresh(source.ref, digest, files):
                return _FRESH
            return self.page(source, data, digest, paths)
        except PageError as exc:
            return exc

    def page(self, source: Source, data: bytes, digest: str, paths: dict[str, Path]) -> _Extracted | _Fresh:
        """Parse the page (or restore it) and bring its template and catalogs up to date."""
        if self._documents is None:
            self._documents = Documents(self.config, self.memo, snapshots=not self.dry_run)
        config, dry_run = self.config, self.dry_run
        document = self._documents.load(source, data, digest)
        fresh = fresh_messages(document.segments, source.location)
        existing = {
            key: read_catalog(path, source.ref, None if key == TEMPLATES else key)
            for key, path in paths.items()
            if path.exists()
        }  # all read before any is written
        if self.recalls is None and any(
            self.possible[language] and not _all_known(_messages(existing.get(language)), fresh)
            for language in config.languages
        ):
            return _NEEDS_RECALL
        done: list[_CatalogDone] = []
        for language in (None, *config.languages):
            key = catalog_key(language)
            old = existing.get(key)

            def updated(old: Catalog | None, language: str | None = language) -> Catalog:
                """The page's catalog made from ``old`` (as read; again if a translator saved it since)."""
                if language is None:
                    return new_catalog(source, language, fresh)
                before = _messages(old)
                recall = None if _all_known(before, fresh) else self.recall(language)
                messages = update_messages(
                    before, fresh, threshold=config.fuzzy_threshold, recall=recall, split=_split_html
                )
                if self.prune:
                    messages = tuple(m for m in messages if not m.obsolete)
                return new_catalog(source, language, messages)

            catalog = updated(old)
            if self.recalls is not None and language in self.recalls:  # read as it was, before it changes
                self.recalls[language].pin(paths[key])
            written = write_catalog(
                config, catalog, source, old, self.clock, dry_run=dry_run, reapply=updated
            )
            messages = written.catalog.messages
            outdated = written.changed and (old is None or _entries(old) != _entries(written.catalog))
            waits = self.recalls is None and language is not None and self.possible[language]
            kept = _recallable(old) if waits and written.changed and old is not None and not dry_run else None
            summary = None if language is None or dry_run else summarise(messages)
            done.append(
                _CatalogDone(
                    key, paths[key], written.changed, outdated, written.catalog.digest, summary, kept
                )
            )
            if not dry_run and language is not None and self._documents.memo.catalogs.size:
                self._documents.memo.catalogs.put(written.catalog.digest, messages)
        return _Extracted(digest, fresh, tuple(done))

    def recall(self, language: str) -> Recall | None:
        return None if self.recalls is None else self.recalls.get(language)


def _recallable(catalog: Catalog) -> tuple[Message, ...]:
    """What a recall could take from ``catalog`` (its messages holding a usable translation, in order)."""
    return tuple(m for m in catalog.messages if recallable(m) is not None)


def _messages(catalog: Catalog | None) -> tuple[Message, ...]:
    return catalog.messages if catalog else ()


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


_SCANS = 32  # texts looked up by scanning the recorded recall keys before they are indexed


class _Recall:
    """Exact translations from every catalog of ``language``, by the hash of the text they translate; the
    best one is the first reviewed one in path order, else the first one. A catalog whose bytes are the
    ones the state file recorded is read only when a text asks for one of its recorded recall keys (an
    edit reads the few catalogs that hold its texts, not the site); any other catalog is read at once."""

    def __init__(
        self,
        config: Config,
        language: str,
        state: SiteState,
        sources: Sequence[Source],
        pinned: dict[Path, tuple[Message, ...]],
    ) -> None:
        refs = {catalog_path(config, language, source.ref): source.ref for source in sources}
        self.language = language
        self.found: dict[str, list[tuple[int, int, Message]]] = {}
        self.waiting: dict[Path, int] = {}  # catalogs not read yet -> their place in path order
        self.keys: dict[Path, str] = {}  # a waiting catalog's recall keys, as recorded (space-separated)
        self.by_key: dict[str, list[Path]] | None = None  # made once many texts ask: an edit asks a few
        self.asked = 0
        for order, path in enumerate(sorted((config.locales_dir / language).rglob("*.po"))):
            if path in pinned:
                self._add(order, pinned[path])
                continue
            ref, digest = refs.get(path), file_digest(path)
            keys = None if ref is None or digest is None else state.recall_text(ref, language, digest)
            if keys is None:
                self._read(order, path)
                continue
            self.waiting[path] = order
            self.keys[path] = keys

    def _holding(self, key: str) -> list[Path]:
        """The waiting catalogs whose recorded recall keys hold ``key``: a scan of the recorded keys for
        the first texts asked, an index of them after that."""
        self.asked += 1
        if self.by_key is None and self.asked > _SCANS:
            self.by_key = {}
            for path, keys in self.keys.items():
                for one in keys.split():
                    self.by_key.setdefault(one, []).append(path)
        if self.by_key is not None:
            return self.by_key.pop(key, [])
        return [path for path, keys in self.keys.items() if key in keys and key in keys.split()]

    def _read(self, order: int, path: Path) -> None:
        self._add(order, read_catalog(path, "", self.language).messages)

    def _add(self, order: int, messages: Sequence[Message]) -> None:
        for position, message in enumerate(messages):
            usable = recallable(message)
            if usable is not None and usable.source_hash:
                self.found.setdefault(usable.source_hash, []).append((order, position, usable))

    def pin(self, path: Path) -> None:
        """Read ``path`` now if it waits: it is about to be rewritten."""
        order = self.waiting.pop(path, None)
        if order is not None:
            del self.keys[path]
            self._read(order, path)

    def __call__(self, digest: str) -> Message | None:
        for path in self._holding(digest[:RECALL_DIGEST]):
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
            ref = path.relative_to(folder).as_posix()
            if path in known or not shard.owns_catalog(config, ref):
                continue
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
