"""Localised pages: each language's build from the pages and their catalogs, a manifest and an archive."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from . import __version__
from .catalog import Message, State
from .config import Config
from .errors import ConfigError, RenderError
from .files import DIGEST, FILE_MODE, file_digest, write_chunks_if_changed, write_if_changed
from .memo import Memo, Recent
from .project import PageRef, catalog_path, compact_json, effective_state, list_pages, usable_states
from .update import fresh_messages

if TYPE_CHECKING:
    import tarfile

    from .page import Page

MANIFEST = "manifest.json"
_CACHE_FORMAT = 2  # of BUILD_STATE's entries: a change makes the next build start afresh
_STATE_NAMES = tuple(state.value for state in State)
_SHARED_STATES: dict[tuple[int, ...], dict[str, int]] = {}


def _states(counts: dict[str, int]) -> dict[str, int]:
    """One shared dict per distinct set of counts (never mutated): a big site's builds hold many."""
    key = tuple(counts[name] for name in _STATE_NAMES)
    if len(_SHARED_STATES) > 100_000:
        _SHARED_STATES.clear()
    return _SHARED_STATES.setdefault(key, counts)


BUILD_STATE = ".i18n-build.json"


@dataclass(frozen=True, slots=True)
class PageBuild:
    page: str
    segments: int
    translated: int
    states: dict[str, int]
    source_hash: str
    included: bool
    dropped: tuple[str, ...] = ()  # segments whose translation broke the page's structure: English instead

    @property
    def coverage(self) -> float:
        return round(100.0 * self.translated / self.segments, 1) if self.segments else 100.0


@dataclass(frozen=True)
class LanguageBuild:
    language: str
    pages: tuple[PageBuild, ...]
    written: tuple[Path, ...]  # files written other than pages: manifest, archive
    removed: tuple[Path, ...]
    archive: Path
    pages_written: int = 0  # pages whose file changed (counted: a big site writes many)

    @property
    def files_written(self) -> int:
        return self.pages_written + len(self.written)


def check_output_dir(config: Config) -> None:
    out, content = config.output_dir.resolve(), config.content_dir.resolve()
    if out == content or out.is_relative_to(content):
        raise ConfigError(
            f"output_dir {config.output_dir} is inside content_dir {config.content_dir}: refused"
        )


def segment_states(page: Page, messages: Sequence[Message]) -> list[tuple[str, Message | None, State]]:
    """Per segment: its id, its catalog entry (matched by msgctxt and msgid) and that entry's effective
    state (checks run once here)."""
    by_key = {m.key: m for m in messages if not m.obsolete}
    result: list[tuple[str, Message | None, State]] = []
    for segment, fresh in zip(page.segments, fresh_messages(page.segments, ""), strict=True):
        message = by_key.get(fresh.key)
        result.append((segment.id, message, effective_state(message) if message else State.MISSING))
    return result


def translations_for(
    states: Sequence[tuple[str, Message | None, State]], usable: frozenset[State]
) -> dict[str, str]:
    """Segment id → usable translation."""
    return {sid: message.msgstr for sid, message, state in states if message is not None and state in usable}


def render_page(
    page: Page, translations: Mapping[str, str], *, inject_anchors: bool
) -> tuple[str, tuple[str, ...]]:
    """Render; a translation that would break the page is left out (English) and named."""
    dropped: list[str] = []
    current = dict(translations)
    while True:
        try:
            return page.render(current, inject_anchors=inject_anchors), tuple(dropped)
        except RenderError:
            culprit = next((sid for sid in current if _breaks(page, sid, current[sid], inject_anchors)), None)
            if culprit is None:  # only a combination breaks it: fall back to English for the page
                return page.source, tuple(sorted(current))
            dropped.append(culprit)
            del current[culprit]


def _breaks(page: Page, segment_id: str, text: str, inject_anchors: bool) -> bool:
    try:
        page.render({segment_id: text}, inject_anchors=inject_anchors)
    except RenderError:
        return True
    return False


def build(config: Config, languages: Sequence[str], *, memo: Memo | None = None) -> list[LanguageBuild]:
    """Write ``<output_dir>/<lang>/<page>.md`` for each language, with manifest and archive.

    One page at a time (parsed once for all languages, and not at all when its source, catalog and output
    are as last built); archives are streamed from the built files: memory stays flat with the number of
    pages. ``memo``: pages and catalogs an extract in this process already parsed.
    """
    check_output_dir(config)
    memo = memo or Memo(Recent(0), Recent(0))
    usable = usable_states(config)
    cache = _BuildCache.load(config)
    builds = {language: _LanguageBuilder(config, language) for language in languages}
    config.output_dir.mkdir(parents=True, exist_ok=True)
    pages = list_pages(config)
    for ref in pages:
        data = ref.path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        page: Page | None = None
        for language, builder in builds.items():
            catalog = file_digest(catalog_path(config, language, ref.ref))
            if builder.reuse(ref, cache.get(language, ref, digest, catalog)):
                continue
            if page is None:  # parsed only when some language needs it rendered
                from .page import decode_page, parse_page

                page = memo.pages.get(digest[:DIGEST])  # extract keys pages by the short digest
                if page is None:
                    text = decode_page(data, ref.location)
                    page = parse_page(text, path=ref.location, frontmatter_keys=config.frontmatter_keys)
            result = builder.add(ref, page, digest, usable, memo.catalogs.get(catalog))
            cache.put(language, result, catalog, builder.output_digest(ref))
    results = [builder.finish() for builder in builds.values()]
    cache.save({ref.ref for ref in pages}, languages)
    return results


class _BuildCache:
    """``<output_dir>/.i18n-build.json``: what each page was built from (a no-op build parses nothing)."""

    def __init__(self, path: Path, settings: str, entries: dict[str, list[Any]]) -> None:
        self.path, self.settings, self.entries = path, settings, entries
        self.changed = not entries  # a new (or reset) cache is written once

    @classmethod
    def load(cls, config: Config) -> _BuildCache:
        options = [
            __version__, _CACHE_FORMAT, config.build_min_state.value, config.build_min_coverage,
            config.inject_anchors, config.frontmatter_keys,
        ]  # fmt: skip
        settings = hashlib.sha256(json.dumps(options).encode()).hexdigest()[:16]
        path = config.output_dir / BUILD_STATE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            data = {}
        entries = data.get("pages", {}) if isinstance(data, dict) and data.get("settings") == settings else {}
        return cls(path, settings, entries)

    def get(
        self, language: str, ref: PageRef, source: str, catalog: str | None
    ) -> tuple[PageBuild, str | None] | None:
        entry: Any = self.entries.get(f"{language}/{ref.ref}")
        try:
            cached_source, cached_catalog, output, segments, translated, counts, included, dropped = entry
        except (TypeError, ValueError):
            return None
        if cached_source != source or cached_catalog != catalog:
            return None
        states = _states(dict(zip(_STATE_NAMES, counts, strict=True)))
        result = PageBuild(ref.ref, segments, translated, states, source, included, tuple(dropped))
        return result, output

    def put(self, language: str, result: PageBuild, catalog: str | None, output: str | None) -> None:
        """Record a page's build; a list per entry (a big site has many: they stay small)."""
        counts = [result.states[name] for name in _STATE_NAMES]
        entry: list[Any] = [result.source_hash, catalog, output, result.segments, result.translated, counts,
                            result.included, list(result.dropped)]  # fmt: skip
        key = f"{language}/{result.page}"
        if self.entries.get(key) != entry:
            self.entries[key] = entry
            self.changed = True

    def save(self, refs: set[str], languages: Sequence[str]) -> None:
        wanted = {f"{language}/{ref}" for language in languages for ref in refs}
        kept = {key for key in self.entries if key in wanted or key.split("/")[0] not in languages}
        if not self.changed and len(kept) == len(self.entries) and self.path.exists():
            return  # as read: nothing to encode
        write_chunks_if_changed(self.path, compact_json(self.settings, self.entries, kept))


class _LanguageBuilder:
    """One language's build: pages written as they come; the archive made from them at the end."""

    def __init__(self, config: Config, language: str) -> None:
        self.config = config
        self.language = language
        self.folder = config.output_dir / language
        self.results: list[PageBuild] = []
        self.written: list[Path] = []
        self.pages_written = 0
        self.keep: list[str] = []  # refs of the pages built or kept, in page order

    def reuse(self, ref: PageRef, cached: tuple[PageBuild, str | None] | None) -> bool:
        """Take a page from the last build when its source, catalog and output are unchanged."""
        if cached is None:
            return False
        result, output = cached
        target = _inside(self.folder, ref.ref)
        if result.included:
            if file_digest(target) != output:
                return False
            self.keep.append(ref.ref)
        self.results.append(result)
        return True

    def output_digest(self, ref: PageRef) -> str | None:
        return file_digest(_inside(self.folder, ref.ref))

    def add(
        self,
        ref: PageRef,
        page: Page,
        digest: str,
        usable: frozenset[State],
        known: Sequence[Message] | None = None,
    ) -> PageBuild:
        """Render ``page`` from its catalog (``known``: its messages, when already parsed)."""
        from .po import read_catalog

        path = catalog_path(self.config, self.language, ref.ref)
        messages = known
        if messages is None:
            messages = read_catalog(path, ref.ref, self.language).messages if path.exists() else ()
        per_segment = segment_states(page, messages)
        translations = translations_for(per_segment, usable)
        rendered, dropped = render_page(page, translations, inject_anchors=self.config.inject_anchors)
        states: dict[str, int] = dict.fromkeys((s.value for s in State), 0)
        for _, _, state in per_segment:
            states[state.value] += 1
        result = PageBuild(
            ref.ref,
            len(page.segments),
            len(translations) - len(dropped),
            _states(states),
            digest,
            True,
            dropped,
        )
        if result.coverage < self.config.build_min_coverage:
            result = replace(result, included=False)
        self.results.append(result)
        if not result.included:
            return result
        target = _inside(self.folder, ref.ref)
        self.keep.append(ref.ref)
        if write_if_changed(target, rendered):
            self.pages_written += 1
        return result

    def finish(self) -> LanguageBuild:
        removed = _remove_others(self.folder, {self.folder / ref for ref in self.keep})
        manifest = _manifest(self.language, self.results)
        manifest_path = self.folder / MANIFEST
        if write_if_changed(manifest_path, manifest):
            self.written.append(manifest_path)
        archive = self.config.output_dir / f"{self.language}.tar.gz"
        if self.pages_written or self.written or removed or not archive.exists():  # else already archived
            members = [(f"{self.language}/{ref}", self.folder / ref) for ref in self.keep]
            members.append((f"{self.language}/{MANIFEST}", manifest_path))
            if _write_archive(archive, members):
                self.written.append(archive)
        return LanguageBuild(
            self.language,
            tuple(self.results),
            tuple(self.written),
            tuple(removed),
            archive,
            self.pages_written,
        )


def _write_archive(archive: Path, members: Sequence[tuple[str, Path]]) -> bool:
    """A deterministic tar.gz of ``members`` (streamed from disk), replacing ``archive`` if different."""
    import gzip  # archive modules load only when an archive is written
    import tarfile
    import tempfile

    fd, name = tempfile.mkstemp(prefix=f".{archive.name}.", suffix=".tmp", dir=archive.parent)
    temp = Path(name)
    try:
        with (
            os.fdopen(fd, "wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as packed,
            tarfile.open(fileobj=packed, mode="w", format=tarfile.PAX_FORMAT) as tar,
        ):
            for member, path in members:
                _add_file(tar, member, path.read_bytes())
        if file_digest(archive) == file_digest(temp):
            temp.unlink()
            return False
        temp.chmod(FILE_MODE)
        temp.replace(archive)
        return True
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _inside(folder: Path, ref: str) -> Path:
    """``folder / ref``, refusing a ref that could leave the folder (checked on the path's text: no
    file system calls, this runs for every page of every language)."""
    parts = PurePosixPath(ref).parts
    if not parts or PurePosixPath(ref).is_absolute() or ".." in parts or "\\" in ref:
        raise ConfigError(f"page path {ref!r} escapes the output directory")
    return folder / ref


def _remove_others(folder: Path, keep: set[Path]) -> list[Path]:
    """Delete built pages whose source is gone (or that fell below the coverage threshold)."""
    removed = []
    if folder.exists():
        for path in sorted(folder.rglob("*.md")):
            if path not in keep:
                path.unlink()
                removed.append(path)
    return removed


def _manifest(language: str, results: Sequence[PageBuild]) -> str:
    pages = {
        r.page: {
            "included": r.included,
            "segments": r.segments,
            "translated": r.translated,
            "coverage": r.coverage,
            "states": r.states,
            "source_sha256": r.source_hash,
            **({"dropped": list(r.dropped)} if r.dropped else {}),
        }
        for r in results
    }
    segments = sum(r.segments for r in results)
    translated = sum(r.translated for r in results if r.included)
    totals = {
        "pages": len(results),
        "included": sum(r.included for r in results),
        "segments": segments,
        "translated": translated,
        "coverage": round(100.0 * translated / segments, 1) if segments else 100.0,
    }
    return (
        json.dumps({"language": language, "pages": pages, "totals": totals}, indent=2, sort_keys=True) + "\n"
    )


def _add_file(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    """A tar member with no timestamp or owner: same input, same archive bytes."""
    import io
    import tarfile

    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 0
    info.mode = 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    tar.addfile(info, io.BytesIO(data))
