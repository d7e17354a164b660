"""``build``: each language's localised documents from the sources and their catalogs, a manifest, an
archive. Pages go to ``<output_dir>/<lang>/<page>``, message files where their ``output`` pattern says.

One page at a time, for all languages, so memory stays flat with the number of pages. A page is not
touched at all when its source, catalog and output are as last built (``<output_dir>/.i18n-build.json``);
it is copied, not parsed, when its catalog has nothing usable (the state file's summary says so); else it
is rebuilt from the snapshot ``extract`` left (or parsed) and rendered with the usable translations, whose
checks the summary already holds. Archives are streamed from the built files.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import closing
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import __version__
from ..catalog.model import Message, State
from ..catalog.update import fresh_messages
from ..config import Config
from ..errors import ConfigError, PageError, RenderError
from ..files import DIGEST, file_digest, write_if_changed
from . import shard
from .archive import write_archive
from .cache import Cache, fingerprint
from .catalogs import read_catalog
from .documents import CACHE_DIR, Documents, decode, markdown_kind, read_source, what_of
from .layout import (
    Source,
    catalog_path,
    check_output_dir,
    list_sources,
    output_for,
    output_path,
    relative,
    skipped_page,
)
from .manifest import MANIFEST, PageBuild, built_pages, manifest_text
from .memo import Memo
from .outputs import owned_outputs, refuse_foreign_outputs
from .pseudo import pseudo_marker, pseudo_translations
from .state import CatalogSummary, SiteState, changed_checks
from .status import usable_states
from .workers import PageWork, each_page

if TYPE_CHECKING:
    from ..document import Document
    from ..mt.glossary import Glossary

BUILD_STATE = ".i18n-build.json"
_CACHE_FORMAT = 5  # of BUILD_STATE's entries: a change makes the next build start afresh
_NOTHING_DROPPED: list[list[str]] = []  # one list for every cache entry without dropped segments (read only)


class LanguageBuild(NamedTuple):
    language: str
    pages: tuple[PageBuild, ...]
    written: tuple[Path, ...]  # files written other than pages: manifest, archive
    removed: tuple[Path, ...]
    archive: Path
    pages_written: int = 0  # pages whose file changed (counted: a big site writes many)

    @property
    def files_written(self) -> int:
        return self.pages_written + len(self.written)

    @property
    def included(self) -> tuple[PageBuild, ...]:
        """The pages built (the others are below ``build_min_coverage``)."""
        return tuple(page for page in self.pages if page.included)

    @property
    def coverage(self) -> float:
        """Percent of every page's segments translated in the included pages (100 without segments)."""
        segments = sum(page.segments for page in self.pages)
        return 100.0 * sum(page.translated for page in self.included) / segments if segments else 100.0

    @property
    def needing(self) -> int:
        """Segments needing a translation: missing or stale."""
        return sum(page.states["missing"] + page.states["stale"] for page in self.pages)


def segment_states(
    document: Document, messages: Sequence[Message], summary: CatalogSummary | None = None
) -> list[tuple[str, Message | None, State]]:
    """Per segment: its id, its catalog entry (matched by msgctxt and msgid) and that entry's effective
    state — from ``summary`` (the state file's, for exactly these messages) when given, else checked."""
    from ..checks import effective_state  # markdown-it: see i18n.jobs

    active = [m for m in messages if not m.obsolete]
    known = summary is not None and len(summary.states) == len(active)
    by_key = {
        m.key: (m, summary.state(i) if summary is not None and known else effective_state(m))
        for i, m in enumerate(active)
    }
    result: list[tuple[str, Message | None, State]] = []
    for segment, fresh in zip(document.segments, fresh_messages(document.segments, ""), strict=True):
        message, state = by_key.get(fresh.key, (None, State.MISSING))
        result.append((segment.id, message, state))
    return result


def translations_for(
    states: Sequence[tuple[str, Message | None, State]], usable: frozenset[State]
) -> dict[str, str]:
    """Segment id → usable translation."""
    return {sid: message.msgstr for sid, message, state in states if message is not None and state in usable}


def render_document(
    document: Document, translations: Mapping[str, str]
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """Render; a translation that would break the document is left out (English) and named.

    Returns the text, the dropped segments and, per dropped segment, the segment whose translation it
    breaks the page together with ("" when it breaks the page alone). Translations that break the page
    only together lose the fewest: taken in page order, each one that breaks the page with those kept so
    far (found by bisection) is dropped, never the whole page.
    """
    dropped: list[str] = []
    partners: list[str] = []
    current = dict(translations)
    while True:
        try:
            return document.render(current), tuple(dropped), tuple(partners)
        except RenderError:
            culprit = next((sid for sid in current if _breaks(document, sid, current[sid])), None)
            if culprit is None:  # only a combination breaks it
                break
            dropped.append(culprit)
            partners.append("")
            del current[culprit]
    kept: list[str] = []
    rest = list(current)

    def fails(ids: Sequence[str]) -> bool:
        try:
            document.render({sid: current[sid] for sid in ids})
        except RenderError:
            return True
        return False

    while rest and fails(kept + rest):
        low, high = 0, len(rest)  # kept + rest[:low] renders; kept + rest[:high] does not
        while high - low > 1:
            middle = (low + high) // 2
            if fails(kept + rest[:middle]):
                high = middle
            else:
                low = middle
        culprit = rest[low]
        before = kept + rest[:low]
        low_p, high_p = 0, len(before)  # the first translation the culprit breaks the page with
        while high_p - low_p > 1:
            middle = (low_p + high_p) // 2
            if fails([*before[:middle], culprit]):
                high_p = middle
            else:
                low_p = middle
        dropped.append(culprit)
        partners.append(before[low_p] if before else "")
        kept, rest = before, rest[low + 1 :]
    return document.render({sid: current[sid] for sid in kept + rest}), tuple(dropped), tuple(partners)


def _breaks(document: Document, segment_id: str, text: str) -> bool:
    try:
        document.render({segment_id: text})
    except RenderError:
        return True
    return False


def build(
    config: Config,
    languages: Sequence[str],
    *,
    memo: Memo | None = None,
    pseudo: bool = False,
    skipped: list[PageError] | None = None,
    jobs: int = 1,
) -> list[LanguageBuild]:
    """Write ``<output_dir>/<lang>/<page>`` for each language, with manifest and archive.

    ``memo``: documents and catalogs an extract in this process already parsed. ``pseudo``: also the
    pseudo-locale (``pseudo_locale``, last): every page's and every message file's segments
    pseudo-localised straight from the source (no catalog is read or written for it). ``skipped``: a
    page that cannot be read or parsed is added to it and left out (no language has it) instead of
    raising; every other page is built. ``jobs``: worker processes for the pages (:mod:`.workers`; the
    same output for any number).
    """
    check_output_dir(config)
    settings = [__version__, _CACHE_FORMAT, config.build_min_state.value, config.build_min_coverage,
                markdown_kind(config).settings]  # fmt: skip
    if config.messages:
        settings.append([(relative(config, Path(s.output)), s.instructions.value) for s in config.messages])
    if changed_checks():  # the gate is the checks' verdicts
        settings.append(["checks", *changed_checks()])
    cache = Cache(config.output_dir / BUILD_STATE, fingerprint(settings))
    sources = shard.select(config, list_sources(config))  # --shard K/N: its own pages
    owned = owned_outputs(config)
    built_languages = [*languages, *([config.pseudo_locale] if pseudo else [])]
    refuse_foreign_outputs(config, sources, built_languages, owned)
    builders = [_LanguageBuilder(config, language, cache, owned) for language in built_languages]
    config.output_dir.mkdir(parents=True, exist_ok=True)
    work = _BuildWork(config, tuple(built_languages), pseudo_marker(config) if pseudo else None, memo)
    items = [
        (source, tuple(cache.get(f"{lang}/{source.ref}") for lang in built_languages)) for source in sources
    ]
    digests: set[str] = set()
    with closing(each_page(work, items, jobs)) as outcomes:  # an error here stops the workers too
        for source, outcome in zip(sources, outcomes, strict=False):
            if outcome.digest is not None:
                digests.add(outcome.digest)
            for builder, done in zip(builders, outcome.built, strict=False):
                builder.record(source, done)
            if outcome.error is not None and not skipped_page(skipped, outcome.error):
                raise outcome.error
    if config.shard is None:
        results = _finish(builders)
    else:  # a shard writes no manifest nor archive: `i18n merge` builds them, once
        results = [LanguageBuild(b.language, tuple(b.results), (), (), b.archive, b.pages_written)
                   for b in builders]  # fmt: skip
    names = set(built_languages)
    cache.save(
        {f"{language}/{source.ref}" for language in names for source in sources}
        | {key for key in cache.entries if key.split("/")[0] not in names}
    )
    if owned.changed:  # a site without such files gets no record
        owned.save()
    if (config.output_dir / CACHE_DIR).is_dir():  # page snapshots of contents no longer sources: removed
        Documents(config).prune(digests)
    return results


def _finish(built: Sequence[_LanguageBuilder]) -> list[LanguageBuild]:
    """Finish every language: manifests in order, then the archives on threads (zlib compresses without
    the interpreter lock; each archive is its own atomic file, the same bytes whatever the order)."""
    finished = [builder.finish_pages() for builder in built]
    writes = [write for _, write in finished if write is not None]
    workers = min(len(writes), os.cpu_count() or 1)
    if workers <= 1:
        return [builder.finish_archived(done) for builder, done in zip(built, finished, strict=True)]
    from concurrent.futures import ThreadPoolExecutor  # see i18n.jobs: measured

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="i18n-archive") as pool:
        futures = [None if write is None else pool.submit(write) for _, write in finished]
        changed = [False if future is None else future.result() for future in futures]
    return [
        builder.finish_archived(done, written)
        for builder, done, written in zip(built, finished, changed, strict=True)
    ]


class _Built(NamedTuple):
    """One page in one language, as its worker built it (or took it from the last build)."""

    result: PageBuild
    target: Path | None  # the file, when the page is included
    entry: list[Any] | None = None  # the build cache's new entry (None: taken from the last build)
    written: bool = False  # the file changed
    owned: str | None = None  # the digest of a file written outside output_dir


class _PageOutcome(NamedTuple):
    digest: str | None  # the source's short digest (None: it could not be read)
    built: tuple[_Built, ...]  # per language, in order (fewer when the page failed part way)
    error: PageError | None = None


_Item = tuple[Source, tuple[Any, ...]]  # a source and its build cache entry per language


class _BuildWork(PageWork[_Item, _PageOutcome]):
    """What every page's build shares; picklable (the memo stays behind: a worker starts its own)."""

    def __init__(self, config: Config, languages: tuple[str, ...], marker: str | None, memo: Memo | None):
        self.config, self.languages, self.marker, self.memo = config, languages, marker, memo

    def __getstate__(self) -> dict[str, Any]:
        return {**vars(self), "memo": None}

    def make(self) -> Callable[[_Item], _PageOutcome]:
        return _PageBuilder(self)

    def done_already(self) -> Callable[[_Item], _PageOutcome | None]:
        return lambda item: _all_reused(self.config, self.languages, self.marker, item)

    def preload(self) -> None:
        from .. import checks  # noqa: F401  (markdown-it: see i18n.jobs)

        Documents(self.config).warm()
        if self.marker is not None:
            _PageBuilder(self).glossary  # noqa: B018  (PyYAML, rapidfuzz, the pseudo-localiser)
            pseudo_translations(Documents(self.config).kind.parse("# Warm\n", "warm.md"), ())


class _PageBuilder:
    """Builds a page in every language; what that takes (summaries, documents, catalogs, glossary) is
    loaded with the first page that is not taken from the last build: a no-op build loads none of it."""

    def __init__(self, work: _BuildWork) -> None:
        self.config, self.memo, self.marker = work.config, work.memo, work.marker
        self.languages = work.languages
        self.inside = _Inside(self.config)

    @cached_property
    def state(self) -> SiteState:
        return SiteState(self.config)

    @cached_property
    def documents(self) -> Documents:
        return Documents(self.config, self.memo)

    @cached_property
    def usable(self) -> frozenset[State]:
        return usable_states(self.config)

    @cached_property
    def glossary(self) -> Glossary:
        from ..mt.glossary import load_glossary  # PyYAML, rapidfuzz: see i18n.jobs

        return load_glossary(self.config.glossary)

    def __call__(self, item: _Item) -> _PageOutcome:
        source, entries = item
        built: list[_Built] = []
        short = None
        try:
            data = read_source(source)
            digest = hashlib.sha256(data).hexdigest()
            short = digest[:DIGEST]
            for index, (language, entry) in enumerate(zip(self.languages, entries, strict=True)):
                pseudo = self.marker is not None and index == len(self.languages) - 1
                catalog = (
                    self.marker if pseudo else file_digest(catalog_path(self.config, language, source.ref))
                )
                done = _reused(self.config, source, language, entry, digest, catalog)
                if done is None:
                    done = (self._pseudo if pseudo else self._build)(source, language, data, digest, catalog)
                built.append(done)
        except PageError as exc:
            return _PageOutcome(short, tuple(built), exc)
        return _PageOutcome(short, tuple(built))

    def _build(self, source: Source, language: str, data: bytes, digest: str, catalog: str | None) -> _Built:
        summary = self.state.summary(source.ref, language, catalog)
        verbatim = self.documents.kind_for(source).verbatim
        if verbatim and summary is not None and not any(summary.count(s) for s in self.usable):
            by_state = summary.counts  # nothing usable: the source as it is
            result = PageBuild(
                source.ref, len(summary.states), 0, tuple(by_state[s] for s in State), digest, True
            )
            return self._write(
                source, language, result, decode(data, source.location, what_of(source)), catalog
            )
        document = self.documents.load(source, data, digest[:DIGEST])
        messages = self.documents.memo.catalogs.get(catalog)
        if messages is None:
            path = catalog_path(self.config, language, source.ref)
            messages = read_catalog(path, source.ref, language).messages if path.exists() else ()
        per_segment = segment_states(document, messages, summary)
        translations = translations_for(per_segment, self.usable)
        rendered, dropped, partners = render_document(document, translations)
        tally = Counter(state for _, _, state in per_segment)
        counts = tuple(tally[state] for state in State)
        translated = len(translations) - len(dropped)
        result = PageBuild(source.ref, len(document.segments), translated, counts, digest, True, dropped,
                           partners=partners)  # fmt: skip
        return self._write(source, language, result, rendered, catalog)

    def _pseudo(self, source: Source, language: str, data: bytes, digest: str, marker: str | None) -> _Built:
        """The page with every segment pseudo-localised (counted as machine output; a segment the
        localiser cannot keep intact stays English): the catalogs are not involved."""
        document = self.documents.load(source, data, digest[:DIGEST])
        translations = pseudo_translations(document, self.glossary.keep)
        rendered, dropped, partners = render_document(document, translations)
        translated = len(translations) - len(dropped)
        counts = (len(document.segments) - translated, translated, 0, 0, 0)  # missing, machine
        result = PageBuild(source.ref, len(document.segments), translated, counts, digest, True, dropped,
                           partners=partners)  # fmt: skip
        return self._write(source, language, result, rendered, marker)

    def _write(
        self, source: Source, language: str, result: PageBuild, text: str, catalog: str | None
    ) -> _Built:
        config = self.config
        target = output_for(config, source, language)
        result = result._replace(output=_where(config, source, target))
        # a message file is always written: the site needs every key (English where not translated)
        if source.spec is None and result.coverage < config.build_min_coverage:
            result = result._replace(included=False)
        written = False
        if result.included:
            if target.is_relative_to(config.output_dir):
                self.inside.check(target.parent)
            written = write_if_changed(target, text)
        output = file_digest(target) if result.included else None
        owned = output if output is not None and not target.is_relative_to(config.output_dir) else None
        dropped = (
            [[sid, partner] for sid, partner in zip(result.dropped, result.partners, strict=True)]
            if result.dropped
            else _NOTHING_DROPPED  # shared: never changed
        )
        entry = [result.source_hash, catalog, output, result.segments, result.translated, list(result.counts),
                 result.included, dropped]  # fmt: skip
        return _Built(result, target if result.included else None, entry, written, owned)


def _all_reused(
    config: Config, languages: Sequence[str], marker: str | None, item: _Item
) -> _PageOutcome | None:
    """The page's outcome when every language takes it from the last build (as :class:`_PageBuilder`
    would), else None (also when the page cannot be read: the builder says why)."""
    source, entries = item
    try:
        data = read_source(source)
        digest = hashlib.sha256(data).hexdigest()
        built = []
        for index, (language, entry) in enumerate(zip(languages, entries, strict=True)):
            pseudo = marker is not None and index == len(languages) - 1
            catalog = marker if pseudo else file_digest(catalog_path(config, language, source.ref))
            done = _reused(config, source, language, entry, digest, catalog)
            if done is None:
                return None
            built.append(done)
    except (PageError, OSError):
        return None
    return _PageOutcome(digest[:DIGEST], tuple(built))


def _reused(
    config: Config, source: Source, language: str, entry: Any, digest: str, catalog: str | None
) -> _Built | None:
    """The page as the last build made it, when its source, catalog and output are unchanged."""
    try:
        cached_source, cached_catalog, output, segments, translated, counts, included, dropped = entry
        states = tuple(int(count) for count in counts)
        ids, partners = tuple(str(d[0]) for d in dropped), tuple(str(d[1]) for d in dropped)
    except (TypeError, ValueError):
        return None
    if cached_source != digest or cached_catalog != catalog:
        return None
    target = output_for(config, source, language)
    if included and file_digest(target) != output:
        return None
    where = _where(config, source, target)
    result = PageBuild(source.ref, segments, translated, states, digest, included, ids, where, partners)
    return _Built(result, target if included else None)


def _where(config: Config, source: Source, target: Path) -> str | None:
    """Where a message file was written (from the project root); None for a page."""
    return relative(config, target) if source.spec is not None else None


class _Inside:
    """Refuses to write through a symlinked folder that leads out of ``output_dir``."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.root = config.output_dir.resolve()
        self.checked: set[Path] = set()

    def check(self, folder: Path) -> None:
        if folder in self.checked:
            return
        real = folder.resolve()
        if not real.is_relative_to(self.root):
            raise ConfigError(
                f"leads out of output_dir (to {real}): refused; builds write only inside output_dir",
                path=relative(self.config, folder),
            )
        self.checked.add(folder)


class _LanguageBuilder:
    """One language's build as the parent records it: its pages' results in page order, the archive
    made from them at the end."""

    def __init__(self, config: Config, language: str, cache: Cache, owned: Cache) -> None:
        self.config = config
        self.language = language
        self.cache = cache
        self.owned = owned  # files written outside output_dir: their digests
        self.folder = config.output_dir / language
        self.inside = _Inside(config)
        self.inside.check(self.folder)
        self.previous = built_pages(self.folder)  # what the last build wrote: all it may remove
        self.results: list[PageBuild] = []
        self.written: list[Path] = []
        self.pages_written = 0
        # each document built or kept, in order: a page by its ref (``<lang>/<ref>`` in the archive, at
        # ``<folder>/<ref>``: the source's own string, so a big site adds nothing per page), a message
        # file by its archive member and file
        self.keep: list[str | tuple[str, Path]] = []

    def record(self, source: Source, built: _Built) -> None:
        """A page as built (or taken from the last build)."""
        self.results.append(built.result)
        if built.target is not None:
            self._keep(source, built.target)
            if built.owned is not None:  # written outside output_dir: recorded as ours
                self.owned.put(relative(self.config, built.target), built.owned)
        if built.entry is None:
            return
        self.pages_written += built.written
        self.cache.put(f"{self.language}/{source.ref}", built.entry)

    def _keep(self, source: Source, target: Path) -> None:
        """``target`` belongs to the build; in the archive as ``<lang>/<path in the language folder>``
        (``<lang>/<ref>`` for a message file written elsewhere)."""
        if source.spec is None:  # a page: at output_path(), inside the folder
            self.keep.append(source.ref)
            return
        inside = target.is_relative_to(self.folder)
        member = target.relative_to(self.folder).as_posix() if inside else source.ref
        self.keep.append((f"{self.language}/{member}", target))

    def _remove_others(self) -> list[Path]:
        """Delete the pages the last build wrote (its manifest says so) that this one did not: their
        source is gone or they fell below the coverage threshold. Nothing else is ever deleted."""
        kept = {self.folder / kept if isinstance(kept, str) else kept[1] for kept in self.keep}
        removed = []
        for ref in sorted(self.previous):
            try:
                target = output_path(self.config, self.language, ref)
            except ConfigError:  # a manifest naming a path outside the folder: not ours
                continue
            if target in kept or target.is_symlink() or not target.is_file():
                continue
            self.inside.check(target.parent)
            target.unlink()
            removed.append(target)
        return removed

    def _members(self) -> Iterator[tuple[str, Path]]:
        for kept in self.keep:
            yield (f"{self.language}/{kept}", self.folder / kept) if isinstance(kept, str) else kept

    def finish(self) -> LanguageBuild:
        return self.finish_archived(self.finish_pages())

    def finish_pages(self) -> tuple[list[Path], Callable[[], bool] | None]:
        """Remove what no longer belongs, write the manifest; returns what was removed and the archive's
        writing (None when nothing changed), which may run on another thread."""
        removed = self._remove_others()
        manifest = manifest_text(self.language, self.results)
        manifest_path = self.folder / MANIFEST
        if write_if_changed(manifest_path, manifest):
            self.written.append(manifest_path)
        archive = self.archive
        if not (self.pages_written or self.written or removed or not archive.exists()):  # else archived
            return removed, None
        members = [*self._members(), (f"{self.language}/{MANIFEST}", manifest_path)]
        return removed, lambda: write_archive(archive, members)

    @property
    def archive(self) -> Path:
        return self.config.output_dir / f"{self.language}.tar.gz"

    def finish_archived(
        self, finished: tuple[list[Path], Callable[[], bool] | None], written: bool | None = None
    ) -> LanguageBuild:
        """The language's build, once its archive is written (``written``: whether it changed; None:
        write it here)."""
        removed, write = finished
        if written is None:
            written = write() if write is not None else False
        if written:
            self.written.append(self.archive)
        return LanguageBuild(
            self.language,
            tuple(self.results),
            tuple(self.written),
            tuple(removed),
            self.archive,
            self.pages_written,
        )
