"""Localised pages: each language's build from the pages and their catalogs, a manifest and an archive."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .catalog import Message, State
from .config import Config
from .errors import ConfigError, RenderError
from .files import write_atomic, write_if_changed
from .page import Page, decode_page, parse_page
from .po import read_catalog
from .project import PageRef, catalog_path, effective_state, list_pages, usable_states
from .update import fresh_messages

MANIFEST = "manifest.json"


@dataclass(frozen=True)
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
    written: tuple[Path, ...]
    removed: tuple[Path, ...]
    archive: Path


def check_output_dir(config: Config) -> None:
    out, content = config.output_dir.resolve(), config.content_dir.resolve()
    if out == content or out.is_relative_to(content):
        raise ConfigError(
            f"output_dir {config.output_dir} is inside content_dir {config.content_dir}: refused"
        )


def translations_for(page: Page, messages: Sequence[Message], usable: frozenset[State]) -> dict[str, str]:
    """Segment id → usable translation, matching catalog entries by (msgctxt, msgid)."""
    by_key = {m.key: m for m in messages if not m.obsolete}
    result: dict[str, str] = {}
    for segment, fresh in zip(page.segments, fresh_messages(page.segments, ""), strict=True):
        message = by_key.get(fresh.key)
        if message is not None and effective_state(message) in usable:
            result[segment.id] = message.msgstr
    return result


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


def build(config: Config, languages: Sequence[str]) -> list[LanguageBuild]:
    """Write ``<output_dir>/<lang>/<page>.md`` for each language, with manifest and archive."""
    check_output_dir(config)
    pages = list_pages(config)
    parsed = {p.ref: _parse(config, p) for p in pages}
    return [_build_language(config, language, pages, parsed) for language in languages]


def _parse(config: Config, page: PageRef) -> tuple[Page, str]:
    data = page.path.read_bytes()
    text = decode_page(data, page.location)
    return parse_page(text, path=page.location, frontmatter_keys=config.frontmatter_keys), hashlib.sha256(
        data
    ).hexdigest()


def _build_language(
    config: Config, language: str, pages: Sequence[PageRef], parsed: Mapping[str, tuple[Page, str]]
) -> LanguageBuild:
    usable = usable_states(config)
    folder = config.output_dir / language
    results: list[PageBuild] = []
    written: list[Path] = []
    keep: set[Path] = set()
    files: dict[str, bytes] = {}
    for ref in pages:
        page, digest = parsed[ref.ref]
        path = catalog_path(config, language, ref.ref)
        messages = read_catalog(path, ref.ref, language).messages if path.exists() else ()
        translations = translations_for(page, messages, usable)
        rendered, dropped = render_page(page, translations, inject_anchors=config.inject_anchors)
        states: dict[str, int] = dict.fromkeys((s.value for s in State), 0)
        by_key = {m.key: m for m in messages if not m.obsolete}
        for fresh in fresh_messages(page.segments, ""):
            message = by_key.get(fresh.key)
            states[(effective_state(message) if message else State.MISSING).value] += 1
        result = PageBuild(
            page=ref.ref,
            segments=len(page.segments),
            translated=len(translations) - len(dropped),
            states=states,
            source_hash=digest,
            included=True,
            dropped=dropped,
        )
        if result.coverage < config.build_min_coverage:
            result = PageBuild(
                result.page, result.segments, result.translated, states, digest, False, dropped
            )
        results.append(result)
        if not result.included:
            continue
        target = _inside(folder, ref.ref)
        keep.add(target)
        files[ref.ref] = rendered.encode("utf-8")
        if write_if_changed(target, rendered):
            written.append(target)
    removed = _remove_others(folder, keep)
    manifest = _manifest(language, results)
    manifest_path = folder / MANIFEST
    if write_if_changed(manifest_path, manifest):
        written.append(manifest_path)
    files[MANIFEST] = manifest.encode("utf-8")
    archive = config.output_dir / f"{language}.tar.gz"
    data = deterministic_archive(language, files)
    if not archive.exists() or archive.read_bytes() != data:
        write_atomic(archive, data)
        written.append(archive)
    return LanguageBuild(language, tuple(results), tuple(written), tuple(removed), archive)


def _inside(folder: Path, ref: str) -> Path:
    target = (folder / ref).resolve()
    if not target.is_relative_to(folder.resolve()):
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


def deterministic_archive(language: str, files: Mapping[str, bytes]) -> bytes:
    """A tar.gz of ``files`` under ``<language>/``: sorted, no timestamps or owners."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(files):
            data = files[name]
            info = tarfile.TarInfo(f"{language}/{name}")
            info.size = len(data)
            info.mtime = 0
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    packed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=packed, mtime=0, compresslevel=9) as handle:
        handle.write(raw.getvalue())
    return packed.getvalue()
