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
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import __version__
from ..catalog.model import Message, State
from ..catalog.update import fresh_messages
from ..config import Config
from ..errors import ConfigError, PageError, RenderError
from ..files import DIGEST, file_digest, write_if_changed
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
from .state import CatalogSummary, SiteState
from .status import usable_states

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
) -> list[LanguageBuild]:
    """Write ``<output_dir>/<lang>/<page>`` for each language, with manifest and archive.

    ``memo``: documents and catalogs an extract in this process already parsed. ``pseudo``: also the
    pseudo-locale (``pseudo_locale``, last): every page's and every message file's segments
    pseudo-localised straight from the source (no catalog is read or written for it). ``skipped``: a
    page that cannot be read or parsed is added to it and left out (no language has it) instead of
    raising; every other page is built.
    """
    check_output_dir(config)
    settings = [__version__, _CACHE_FORMAT, config.build_min_state.value, config.build_min_coverage,
                markdown_kind(config).settings]  # fmt: skip
    if config.messages:
        settings.append([(s.output, s.instructions.value) for s in config.messages])
    cache = Cache(config.output_dir / BUILD_STATE, fingerprint(settings))
    sources = list_sources(config)
    owned = owned_outputs(config)
    built_languages = [*languages, *([config.pseudo_locale] if pseudo else [])]
    refuse_foreign_outputs(config, sources, built_languages, owned)
    builders = {language: _LanguageBuilder(config, language, cache, owned) for language in languages}
    pseudo_builder = _LanguageBuilder(config, config.pseudo_locale, cache, owned) if pseudo else None
    config.output_dir.mkdir(parents=True, exist_ok=True)
    pages = _Pages(config, memo)
    marker = pseudo_marker(config)
    digests: set[str] = set()
    for source in sources:
        try:
            data = read_source(source)
            digest = hashlib.sha256(data).hexdigest()
            digests.add(digest[:DIGEST])
            for language, builder in builders.items():
                catalog_digest = file_digest(catalog_path(config, language, source.ref))
                if not builder.reuse(source, digest, catalog_digest):
                    pages.build(builder, source, data, digest, catalog_digest)
            if pseudo_builder is None:
                continue
            if not pseudo_builder.reuse(source, digest, marker):
                pages.pseudo(pseudo_builder, source, data, digest, marker)
        except PageError as exc:
            if not skipped_page(skipped, exc):
                raise
    built = [*builders.values(), *([pseudo_builder] if pseudo_builder is not None else [])]
    results = _finish(built)
    names = {builder.language for builder in built}
    cache.save(
        {f"{language}/{source.ref}" for language in names for source in sources}
        | {key for key in cache.entries if key.split("/")[0] not in names}
    )
    if owned.changed:  # a site without such files gets no record
        owned.save()
    pages.prune(digests)
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


class _Pages:
    """What building a page takes (its summary, document, catalog), loaded with the first page that is
    not reused from the last build: a no-op build loads none of it."""

    def __init__(self, config: Config, memo: Memo | None) -> None:
        self.config, self.memo = config, memo

    @cached_property
    def state(self) -> SiteState:
        return SiteState(self.config)

    @cached_property
    def documents(self) -> Documents:
        return Documents(self.config, self.memo)

    @cached_property
    def usable(self) -> frozenset[State]:
        return usable_states(self.config)

    def build(
        self, builder: _LanguageBuilder, source: Source, data: bytes, digest: str, catalog: str | None
    ) -> None:
        language = builder.language
        summary = self.state.summary(source.ref, language, catalog)
        verbatim = self.documents.kind_for(source).verbatim
        if verbatim and summary is not None and not any(summary.count(s) for s in self.usable):
            builder.copy(source, data, digest, summary, catalog)
            return
        document = self.documents.load(source, data, digest[:DIGEST])
        messages = self.documents.memo.catalogs.get(catalog)
        if messages is None:
            path = catalog_path(self.config, language, source.ref)
            messages = read_catalog(path, source.ref, language).messages if path.exists() else ()
        builder.render(source, document, messages, summary, self.usable, digest, catalog)

    @cached_property
    def glossary(self) -> Glossary:
        from ..mt.glossary import load_glossary  # PyYAML, rapidfuzz: see i18n.jobs

        return load_glossary(self.config.glossary)

    def pseudo(
        self, builder: _LanguageBuilder, source: Source, data: bytes, digest: str, marker: str
    ) -> None:
        """The page with every segment pseudo-localised (a segment the localiser cannot keep intact stays
        English): the catalogs are not involved."""
        document = self.documents.load(source, data, digest[:DIGEST])
        translations = pseudo_translations(document, self.glossary.keep)
        builder.render_all(source, document, translations, digest, marker)

    def prune(self, digests: set[str]) -> None:
        """Remove page snapshots of contents that are no longer sources (only if any was made)."""
        if (self.config.output_dir / CACHE_DIR).is_dir():
            Documents(self.config).prune(digests)


class _LanguageBuilder:
    """One language's build: pages written as they come; the archive made from them at the end."""

    def __init__(self, config: Config, language: str, cache: Cache, owned: Cache) -> None:
        self.config = config
        self.language = language
        self.cache = cache
        self.owned = owned  # files written outside output_dir: their digests
        self.folder = config.output_dir / language
        self.root = config.output_dir.resolve()
        self.inside: set[Path] = set()  # folders checked to lie inside output_dir (no symlink out)
        self._check_inside(self.folder)
        self.previous = built_pages(self.folder)  # what the last build wrote: all it may remove
        self.results: list[PageBuild] = []
        self.written: list[Path] = []
        self.pages_written = 0
        # each document built or kept, in order: a page by its ref (``<lang>/<ref>`` in the archive, at
        # ``<folder>/<ref>``: the source's own string, so a big site adds nothing per page), a message
        # file by its archive member and file
        self.keep: list[str | tuple[str, Path]] = []

    def _keep(self, source: Source, target: Path) -> None:
        """``target`` belongs to the build; in the archive as ``<lang>/<path in the language folder>``
        (``<lang>/<ref>`` for a message file written elsewhere)."""
        if source.spec is None:  # a page: at output_path(), inside the folder
            self.keep.append(source.ref)
            return
        inside = target.is_relative_to(self.folder)
        member = target.relative_to(self.folder).as_posix() if inside else source.ref
        self.keep.append((f"{self.language}/{member}", target))

    def _output(self, source: Source, target: Path) -> str | None:
        return relative(self.config, target) if source.spec is not None else None

    def reuse(self, source: Source, digest: str, catalog: str | None) -> bool:
        """Take a page from the last build when its source, catalog and output are unchanged."""
        entry: Any = self.cache.get(f"{self.language}/{source.ref}")
        try:
            cached_source, cached_catalog, output, segments, translated, counts, included, dropped = entry
            states = tuple(int(count) for count in counts)
            ids, partners = tuple(str(d[0]) for d in dropped), tuple(str(d[1]) for d in dropped)
        except (TypeError, ValueError):
            return False
        if cached_source != digest or cached_catalog != catalog:
            return False
        target = output_for(self.config, source, self.language)
        if included and file_digest(target) != output:
            return False
        if included:
            self._keep(source, target)
        where = self._output(source, target)
        self.results.append(
            PageBuild(source.ref, segments, translated, states, digest, included, ids, where, partners)
        )
        return True

    def copy(
        self, source: Source, data: bytes, digest: str, summary: CatalogSummary, catalog: str | None
    ) -> None:
        """A page with nothing usable: the source as it is."""
        counts = summary.counts
        result = PageBuild(source.ref, len(summary.states), 0, tuple(counts[s] for s in State), digest, True)
        self._add(source, result, decode(data, source.location, what_of(source)), catalog)

    def render(
        self,
        source: Source,
        document: Document,
        messages: Sequence[Message],
        summary: CatalogSummary | None,
        usable: frozenset[State],
        digest: str,
        catalog: str | None,
    ) -> None:
        per_segment = segment_states(document, messages, summary)
        translations = translations_for(per_segment, usable)
        rendered, dropped, partners = render_document(document, translations)
        tally = Counter(state for _, _, state in per_segment)
        counts = tuple(tally[state] for state in State)
        result = PageBuild(
            source.ref,
            len(document.segments),
            len(translations) - len(dropped),
            counts,
            digest,
            True,
            dropped,
            partners=partners,
        )
        self._add(source, result, rendered, catalog)

    def render_all(
        self, source: Source, document: Document, translations: Mapping[str, str], digest: str, marker: str
    ) -> None:
        """A page of the pseudo-locale: ``translations`` (counted as machine output) without a catalog."""
        rendered, dropped, partners = render_document(document, translations)
        translated = len(translations) - len(dropped)
        counts = (len(document.segments) - translated, translated, 0, 0, 0)  # missing, machine
        result = PageBuild(
            source.ref, len(document.segments), translated, counts, digest, True, dropped, partners=partners
        )
        self._add(source, result, rendered, marker)

    def _add(self, source: Source, result: PageBuild, text: str, catalog: str | None) -> None:
        target = output_for(self.config, source, self.language)
        result = result._replace(output=self._output(source, target))
        # a message file is always written: the site needs every key (English where not translated)
        if source.spec is None and result.coverage < self.config.build_min_coverage:
            result = result._replace(included=False)
        self.results.append(result)
        if result.included:
            self._keep(source, target)
            if target.is_relative_to(self.config.output_dir):
                self._check_inside(target.parent)
            if write_if_changed(target, text):
                self.pages_written += 1
        output = file_digest(target) if result.included else None
        if output is not None and not target.is_relative_to(self.config.output_dir):
            self.owned.put(relative(self.config, target), output)
        dropped = (
            [[sid, partner] for sid, partner in zip(result.dropped, result.partners, strict=True)]
            if result.dropped
            else _NOTHING_DROPPED  # shared: never changed
        )
        entry = [result.source_hash, catalog, output, result.segments, result.translated, list(result.counts),
                 result.included, dropped]  # fmt: skip
        self.cache.put(f"{self.language}/{result.page}", entry)

    def _check_inside(self, folder: Path) -> None:
        """Refuse to write through a symlinked folder that leads out of ``output_dir``."""
        if folder in self.inside:
            return
        real = folder.resolve()
        if not real.is_relative_to(self.root):
            raise ConfigError(
                f"leads out of output_dir (to {real}): refused; builds write only inside output_dir",
                path=relative(self.config, folder),
            )
        self.inside.add(folder)

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
            self._check_inside(target.parent)
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
