"""Project jobs over ``content/`` and ``locales/``: extract (update catalogs), status and check."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__
from .catalog import Catalog, Message, State
from .config import Config, MinState
from .files import bytes_digest, file_digest, write_atomic, write_chunks_if_changed
from .languages import language_name, plural_forms
from .memo import Memo
from .segments import source_hash
from .update import Recall, fresh_messages, kind_of, update_messages

# markdown-it, PyYAML and polib load only where a page or catalog is actually parsed or written, so a
# run where nothing changed starts fast.

TEMPLATES = "templates"
STATE_FILE = ".i18n-state.json"
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class PageRef:
    """A source page: ``ref`` is its path inside ``content_dir`` (posix), ``location`` from the root."""

    ref: str
    path: Path
    location: str


def list_pages(config: Config) -> tuple[PageRef, ...]:
    pages = []
    for path in sorted(config.content_dir.rglob("*.md")):
        ref = path.relative_to(config.content_dir).as_posix()
        try:
            location = path.relative_to(config.root).as_posix()
        except ValueError:
            location = path.as_posix()
        pages.append(PageRef(ref, path, location))
    return tuple(pages)


def catalog_path(config: Config, language: str | None, ref: str) -> Path:
    """``locales/<lang>/<page>.po``, or ``locales/templates/<page>.pot`` for the template."""
    suffix = ".pot" if language is None else ".po"
    return config.locales_dir / (language or TEMPLATES) / Path(ref).with_suffix(suffix)


# -- the state file: skip unchanged pages without parsing ---------------------------------------------


@dataclass
class _StateFile:
    path: Path
    settings: str
    pages: dict[str, dict[str, object]] = field(default_factory=dict)
    loaded: bool = False  # read from disk, with these settings
    changed: bool = False  # an entry differs from what was read

    @classmethod
    def load(cls, config: Config) -> _StateFile:
        try:
            content = config.content_dir.relative_to(config.root).as_posix()
        except ValueError:
            content = str(config.content_dir)
        options = [__version__, config.frontmatter_keys, config.languages, config.fuzzy_threshold,
                   config.project_id, content]  # fmt: skip
        settings = hashlib.sha256(json.dumps(options).encode()).hexdigest()[:16]
        path = config.locales_dir / STATE_FILE
        state = cls(path, settings)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return state
        if (
            isinstance(data, dict)
            and data.get("settings") == settings
            and isinstance(data.get("pages"), dict)
        ):
            state.pages = data["pages"]
            state.loaded = True
        return state

    def fresh(self, ref: str, source: str, catalogs: dict[str, str | None]) -> bool:
        entry = self.pages.get(ref)
        return (
            isinstance(entry, dict)
            and (entry.get("source"), entry.get("catalogs")) == (source, catalogs)
            and "counts" in entry  # an entry from before summaries: parse once more to add them
        )

    def record(
        self,
        ref: str,
        source: str,
        catalogs: dict[str, str | None],
        counts: dict[str, list[int]],
        segments: str,
    ) -> None:
        entry: dict[str, object] = {
            "source": source,
            "catalogs": catalogs,
            "counts": counts,
            "segments": segments,
        }
        if self.pages.get(ref) != entry:
            self.pages[ref] = entry
            self.changed = True

    def catalog_written(self, ref: str, key: str, digest: str | None, counts: tuple[int, int]) -> None:
        """A catalog another job (translate, import) rewrote: its page need not be re-extracted."""
        entry = self.pages.get(ref, {})
        catalogs, known = entry.get("catalogs"), entry.get("counts")
        if isinstance(catalogs, dict):
            self.changed = self.changed or catalogs.get(key) != digest
            catalogs[key] = digest
            if isinstance(known, dict):
                self.changed = self.changed or known.get(key) != list(counts)
                known[key] = list(counts)

    def save(self, refs: set[str]) -> None:
        if self.loaded and not self.changed and refs == set(self.pages):  # as read: nothing to encode
            return
        write_chunks_if_changed(self.path, compact_json(self.settings, self.pages, refs))


def compact_json(settings: str, entries: dict[str, Any], keys: set[str] | None = None) -> Iterator[str]:
    """A state file, in pieces: valid JSON with one line per entry (sorted), so it stays small, is written
    without being held whole in memory, and reads well in a diff."""
    yield f'{{"settings": {json.dumps(settings)}, "pages": {{'
    separator = "\n  "
    for key in sorted(entries):
        if keys is None or key in keys:
            value = json.dumps(entries[key], sort_keys=True, separators=(",", ":"))
            yield f"{separator}{json.dumps(key)}: {value}"
            separator = ",\n  "
    yield "}}\n" if separator == "\n  " else "\n}}\n"


# -- extract --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExtractReport:
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
) -> ExtractReport:
    """Create or update every page's template and per-language catalogs.

    Only files whose content changed are written (atomically); with ``dry_run`` nothing is written and the
    report says what would be. ``memo`` keeps what was parsed and written, for a following build. Raises
    ``PageError``/``CatalogError`` naming the file on bad input; a bad catalog is never rewritten.
    """
    state = _StateFile.load(config)
    pages = list_pages(config)
    recalls: dict[str, Recall] = {}
    written: list[Path] = []
    outdated: list[Path] = []
    unchanged = skipped = 0
    for page in pages:
        data = page.path.read_bytes()
        digest = bytes_digest(data)
        paths = {
            language or TEMPLATES: catalog_path(config, language, page.ref)
            for language in (None, *config.languages)
        }
        if not prune and state.fresh(page.ref, digest, {k: file_digest(p) for k, p in paths.items()}):
            skipped += 1
            continue
        from .page import decode_page, parse_page
        from .po import read_catalog

        parsed = parse_page(
            decode_page(data, page.location), path=page.location, frontmatter_keys=config.frontmatter_keys
        )
        if memo is not None:
            memo.pages.put(digest, parsed)
        fresh = fresh_messages(parsed.segments, page.location)
        existing = {
            key: read_catalog(path, page.ref, None if key == TEMPLATES else key)
            for key, path in paths.items()
            if path.exists()
        }  # all read before any is written
        counts: dict[str, list[int]] = {}
        written_messages: dict[str, tuple[Message, ...]] = {}
        for key, path in paths.items():
            language = None if key == TEMPLATES else key
            if language is None:
                messages = fresh
            else:
                old = existing[key].messages if key in existing else ()
                recall = None if _all_known(old, fresh) else _recall(config, language, recalls)
                messages = update_messages(old, fresh, threshold=config.fuzzy_threshold, recall=recall)
                if prune:
                    messages = tuple(m for m in messages if not m.obsolete)
            catalog = Catalog(language, page.ref, (), messages, _header_comment(language, page))
            if language is not None:
                counts[key] = list(catalog_counts(catalog))
                written_messages[key] = messages
            if write_catalog(config, catalog, page, path, existing.get(key), clock, dry_run):
                written.append(path)
                if key not in existing or _entries(existing[key]) != _entries(catalog):
                    outdated.append(path)
            else:
                unchanged += 1
        if not dry_run:
            digests = {k: file_digest(p) for k, p in paths.items()}
            state.record(page.ref, digest, digests, counts, segment_digests(fresh))
            if memo is not None:
                for key, messages in written_messages.items():
                    memo.catalogs.put(digests[key], messages)
    orphans, changed, removed = _orphans(config, {p.ref for p in pages}, prune=prune, dry_run=dry_run)
    written.extend(changed)
    outdated.extend(changed)
    if not dry_run:
        state.save({p.ref for p in pages})
    return ExtractReport(tuple(written), tuple(outdated), unchanged, skipped, tuple(orphans), tuple(removed))


def _entries(catalog: Catalog) -> list[tuple[object, ...]]:
    """What a catalog says about content/: its entries, without our bookkeeping (hashes, origins)."""
    return [(m.context, m.msgid, m.obsolete, m.locations, m.notes) for m in catalog.messages]


def _all_known(old: Sequence[Message], fresh: Sequence[Message]) -> bool:
    texts = {m.msgid for m in old}
    return all(m.msgid in texts for m in fresh)


def _recall(config: Config, language: str, cache: dict[str, Recall]) -> Recall:
    """Exact translations from every catalog of ``language``, by the hash of the text they translate."""
    if language not in cache:
        from .po import read_catalog

        index: dict[str, Message] = {}
        for path in sorted((config.locales_dir / language).rglob("*.po")):
            for message in read_catalog(path, "", language).messages:
                message = message.normalised()  # a translator's review vouches for the current msgid
                state = message.state
                if state in (State.MISSING, State.REJECTED) or not message.source_hash:
                    continue
                best = index.get(message.source_hash)
                if best is None or (state is State.REVIEWED and best.state is not State.REVIEWED):
                    index[message.source_hash] = message
        cache[language] = index.get
    return cache[language]


def _header_comment(language: str | None, page: PageRef) -> str:
    if language is None:
        return f"Translation template for {page.location}."
    return f"{language_name(language)} translation of {page.location}."


def _header(
    config: Config, catalog: Catalog, page: PageRef, existing: Catalog | None, date: str
) -> tuple[tuple[str, str], ...]:
    kept = dict(existing.header) if existing else {}
    language = catalog.language
    fields: list[tuple[str, str]] = [("Project-Id-Version", config.project_id)]
    if language is None:  # gettext's template placeholders, as xgettext writes them
        fields += [
            ("POT-Creation-Date", date),
            ("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE"),
            ("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"),
            ("Language-Team", "LANGUAGE <LL@li.org>"),
            ("Language", ""),
        ]
    else:
        fields += [
            ("PO-Revision-Date", date),
            ("Last-Translator", kept.get("Last-Translator", "i18n pipeline")),
            ("Language-Team", kept.get("Language-Team", language_name(language))),
            ("Language", language),
        ]
    fields += [
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
    ]
    if language is not None:
        fields.append(("Plural-Forms", plural_forms(language)))
    fields.append(("X-Source-File", page.location))
    ours = {name for name, _ in fields}
    fields += [(k, v) for k, v in kept.items() if k not in ours and k != "PO-Revision-Date"]
    return tuple(fields)


def write_catalog(
    config: Config,
    catalog: Catalog,
    page: PageRef,
    path: Path,
    existing: Catalog | None,
    clock: Clock,
    dry_run: bool,
) -> bool:
    """Write unless only the date would change; the date is the time of the last real change."""
    from .po import format_catalog

    date_field = "POT-Creation-Date" if catalog.language is None else "PO-Revision-Date"
    old_date = existing.header_value(date_field) if existing else None
    now = clock().strftime("%Y-%m-%d %H:%M%z")
    if old_date is None:
        text = format_catalog(replace(catalog, header=_header(config, catalog, page, existing, now)))
    else:
        text = format_catalog(replace(catalog, header=_header(config, catalog, page, existing, old_date)))
        try:
            if path.read_bytes() == text.encode("utf-8"):
                return False
        except FileNotFoundError:
            pass
        old_line, new_line = f'"{date_field}: {old_date}\\n"\n', f'"{date_field}: {now}\\n"\n'
        at, header_end = text.find(old_line), text.find("\n\n")
        if 0 <= at < header_end:  # the date is one short header line: change it, not format again
            text = text[:at] + new_line + text[at + len(old_line) :]
        else:
            text = format_catalog(replace(catalog, header=_header(config, catalog, page, existing, now)))
    if dry_run:
        return True
    write_atomic(path, text.encode("utf-8"))
    return True


def _orphans(
    config: Config, refs: set[str], *, prune: bool, dry_run: bool
) -> tuple[list[Path], list[Path], list[Path]]:
    """Catalogs whose page is gone: entries made obsolete and kept; deleted only with ``prune``."""
    orphans: list[Path] = []
    changed: list[Path] = []
    removed: list[Path] = []
    for language in (None, *config.languages):
        folder = config.locales_dir / (language or TEMPLATES)
        for path in sorted(folder.rglob("*.pot" if language is None else "*.po")):
            ref = path.relative_to(folder).with_suffix(".md").as_posix()
            if ref in refs:
                continue
            orphans.append(path)
            if prune:
                if not dry_run:
                    path.unlink()
                removed.append(path)
                continue
            from .po import format_catalog, read_catalog

            catalog = read_catalog(path, ref, language)
            messages = tuple(replace(m, obsolete=True, locations=()) for m in catalog.messages if m.msgstr)
            if messages != catalog.messages:
                changed.append(path)
                if not dry_run:
                    write_atomic(path, format_catalog(replace(catalog, messages=messages)).encode("utf-8"))
    return orphans, changed, removed


# -- status and check -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageStatus:
    page: str
    segments: int
    words: int
    characters: int
    counts: dict[State, int]
    usable: int
    glossary: int = 0  # machine translations that missed a glossary term

    @property
    def usable_percent(self) -> float:
        return round(100.0 * self.usable / self.segments, 1) if self.segments else 100.0


def effective_state(message: Message) -> State:
    """The message's state, with a failing check making a usable translation *rejected*."""
    from .checks import check_translation

    state = message.state
    if state in (State.REVIEWED, State.MACHINE) and check_translation(
        message.msgid, message.msgstr, kind_of(message)
    ):
        return State.REJECTED
    return state


def usable_states(config: Config) -> frozenset[State]:
    if config.build_min_state is MinState.REVIEWED:
        return frozenset({State.REVIEWED})
    return frozenset({State.REVIEWED, State.MACHINE})


def page_messages(config: Config, page: PageRef, language: str) -> tuple[Message, ...]:
    """A page's active messages in ``language`` (from a fresh parse when there is no catalog yet)."""
    from .page import decode_page, parse_page
    from .po import read_catalog

    path = catalog_path(config, language, page.ref)
    if path.exists():
        return read_catalog(path, page.ref, language).active
    parsed = parse_page(
        decode_page(page.path.read_bytes(), page.location),
        path=page.location,
        frontmatter_keys=config.frontmatter_keys,
    )
    return fresh_messages(parsed.segments, page.location)


def collect_status(config: Config, languages: Sequence[str]) -> dict[str, tuple[PageStatus, ...]]:
    usable = usable_states(config)
    result: dict[str, tuple[PageStatus, ...]] = {}
    for language in languages:
        rows = []
        for page in list_pages(config):
            messages = page_messages(config, page, language)
            counts = dict.fromkeys(State, 0)
            for message in messages:
                counts[effective_state(message)] += 1
            rows.append(
                PageStatus(
                    page=page.ref,
                    segments=len(messages),
                    words=sum(len(m.msgid.split()) for m in messages),
                    characters=sum(len(m.msgid) for m in messages),
                    counts=counts,
                    usable=sum(counts[s] for s in usable),
                    glossary=sum(1 for m in messages if m.glossary and m.fuzzy),
                )
            )
        result[language] = tuple(rows)
    return result


@dataclass(frozen=True)
class Finding:
    """A problem at a place: ``path:line: text``."""

    path: Path
    line: int | None
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text}" if self.line else f"{self.path}: {self.text}"


def find_violations(config: Config) -> Iterator[Finding]:
    """Every translation (human or machine) that fails a check, at its PO file line."""
    from .checks import check_translation
    from .po import read_catalog

    for language in config.languages:
        for page in list_pages(config):
            path = catalog_path(config, language, page.ref)
            if not path.exists():
                continue
            for message in read_catalog(path, page.ref, language).active:
                if not message.msgstr:
                    continue
                if message.fuzzy and message.rejected:
                    yield Finding(path, message.line, f"rejected: {message.rejected}")
                    continue
                for violation in check_translation(message.msgid, message.msgstr, kind_of(message)):
                    yield Finding(path, message.line, str(violation))


def out_of_date(config: Config) -> tuple[Path, ...]:
    """Catalogs whose entries ``extract`` would change: they lag behind content/.

    Bookkeeping that ``extract`` adds after a translator's review (the source hash) does not count, so a
    reviewed catalog straight from Poedit passes.
    """
    report = extract(config, dry_run=True)
    return tuple(sorted(report.outdated))


def record_catalogs(config: Config, written: dict[str, dict[str, tuple[int, int]]]) -> None:
    """Tell the state file about catalogs rewritten after extract: ``{page ref: {language: counts}}``
    with the counts of :func:`catalog_counts`."""
    if not written:
        return
    state = _StateFile.load(config)
    for ref, languages in written.items():
        for language, counts in languages.items():
            path = catalog_path(config, language, ref)
            state.catalog_written(ref, language, file_digest(path), counts)
    state.save(set(state.pages))


# -- summaries: what translate needs to know about a catalog without parsing it ------------------------

_NEEDING = (State.MISSING, State.STALE)
SEGMENT_DIGEST = 10  # hex digits of a segment's source hash kept in the state file


def catalog_counts(catalog: Catalog) -> tuple[int, int]:
    """(reviewed, needing translation) among a catalog's active messages."""
    reviewed = needing = 0
    for message in catalog.active:
        state = message.state
        reviewed += state is State.REVIEWED
        needing += state in _NEEDING
    return reviewed, needing


def segment_digests(messages: Sequence[Message]) -> str:
    """The page's segment source hashes, shortened and space-separated (compact in the state file)."""
    return " ".join(source_hash(message.msgid)[:SEGMENT_DIGEST] for message in messages)


@dataclass(frozen=True)
class CatalogSummary:
    """What the state file knows of a catalog it recorded: counts, and the page's segment hashes (a
    superset of the needing ones, shortened to ``SEGMENT_DIGEST``)."""

    reviewed: int
    needing: int
    segments: tuple[str, ...]


class Summaries:
    """Catalog summaries from the state file, trusted only while the catalog's bytes are the ones recorded
    (a translator's edit, a merge or a checkout makes the caller read the catalog instead)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.pages = _StateFile.load(config).pages

    def get(self, ref: str, language: str) -> CatalogSummary | None:
        entry = self.pages.get(ref)
        if not isinstance(entry, dict):
            return None
        catalogs, counts, segments = entry.get("catalogs"), entry.get("counts"), entry.get("segments")
        if not (isinstance(catalogs, dict) and isinstance(counts, dict) and isinstance(segments, str)):
            return None
        known = counts.get(language)
        digest = catalogs.get(language)
        if not (isinstance(known, list) and len(known) == 2 and isinstance(digest, str)):
            return None
        if file_digest(catalog_path(self.config, language, ref)) != digest:
            return None
        return CatalogSummary(int(known[0]), int(known[1]), tuple(segments.split()))
