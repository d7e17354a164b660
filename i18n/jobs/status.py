"""``status`` and ``check``: how far each language is, and every translation that fails a check."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..catalog.model import Message, State
from ..catalog.msgfmt import file_problems, format_problems
from ..catalog.update import fresh_messages, kind_of
from ..config import Config, MinState
from ..errors import PageError
from ..files import bytes_digest, file_digest
from .catalogs import read_catalog
from .documents import Documents, read_source
from .layout import Source, catalog_path, list_sources, skipped_page
from .shard import select
from .state import CatalogSummary, SiteState, summarise


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


def usable_states(config: Config) -> frozenset[State]:
    if config.build_min_state is MinState.REVIEWED:
        return frozenset({State.REVIEWED})
    return frozenset({State.REVIEWED, State.MACHINE})


def collect_status(
    config: Config, languages: Sequence[str], skipped: list[PageError] | None = None
) -> dict[str, tuple[PageStatus, ...]]:
    """Per language and page, from the state file where it is current (no catalog is read then).
    ``skipped``: a page that cannot be read or parsed is added to it and left out instead of raising."""
    usable = usable_states(config)
    state = SiteState(config)
    documents = Documents(config, snapshots=False)
    result: dict[str, list[PageStatus]] = {language: [] for language in languages}
    for source in list_sources(config):
        record = state.page(source.ref)
        try:
            data = read_source(source)
            if record is None or record.source != bytes_digest(data):
                words, characters = _sizes(documents, source, data)
            else:
                words, characters = record.words, record.characters
            summaries = [_summary(config, state, documents, source, data, language) for language in languages]
        except PageError as exc:
            if skipped_page(skipped, exc):
                continue
            raise
        for language, summary in zip(languages, summaries, strict=True):
            counts = summary.counts
            result[language].append(
                PageStatus(
                    page=source.ref,
                    segments=len(summary.states),
                    words=words,
                    characters=characters,
                    counts=counts,
                    usable=sum(counts[s] for s in usable),
                    glossary=summary.glossary,
                )
            )
    return {language: tuple(rows) for language, rows in result.items()}


def _sizes(documents: Documents, source: Source, data: bytes) -> tuple[int, int]:
    segments = documents.load(source, data).segments
    return sum(len(s.text.split()) for s in segments), sum(len(s.text) for s in segments)


def _summary(
    config: Config, state: SiteState, documents: Documents, source: Source, data: bytes, language: str
) -> CatalogSummary:
    path = catalog_path(config, language, source.ref)
    known = state.summary(source.ref, language, file_digest(path))
    if known is not None:
        return known
    if path.exists():
        return summarise(read_catalog(path, source.ref, language).messages)
    return summarise(fresh_messages(documents.load(source, data).segments, source.location))


@dataclass(frozen=True)
class Finding:
    """A problem at a place: ``path:line: text``."""

    path: Path
    line: int | None
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text}" if self.line else f"{self.path}: {self.text}"


def find_violations(config: Config, *, pseudo: bool = True) -> Iterator[Finding]:
    """Every translation (human or machine) that fails a check, and (``pseudo``) every pseudo-localised
    entry (not a translation), at its PO file line. A catalog whose summary shows none of these is not
    read (without ``pseudo``, one holding only pseudo-localised entries among them is not read either)."""
    state = SiteState(config)
    sources = select(config, list_sources(config))  # --shard K/N: its own catalogs
    for language in config.languages:
        for source in sources:
            path = catalog_path(config, language, source.ref)
            summary = state.summary(source.ref, language, file_digest(path))
            if summary is not None and not (
                summary.count(State.REJECTED) or summary.count(State.STALE) or (pseudo and summary.pseudo)
            ):
                continue  # every translation it holds passed the checks when it was summarised
            if not path.exists():
                continue
            from ..checks import check_translation  # loads the parser: only when a catalog is read

            catalog = read_catalog(path, source.ref, language)
            for line, text in file_problems(path.read_bytes(), catalog):  # what msgfmt --check refuses
                yield Finding(path, line, text)
            for message in catalog.active:
                if not message.msgstr:
                    continue
                if format_problems(message):
                    yield Finding(path, message.line, f"format: {format_problems(message)}")
                if message.pseudo:
                    if pseudo:
                        yield Finding(path, message.line, PSEUDO_FINDING)
                    continue
                if message.fuzzy and message.rejected:
                    yield Finding(path, message.line, f"rejected: {message.rejected}")
                    continue
                for violation in check_translation(message.msgid, message.msgstr, kind_of(message)):
                    yield Finding(path, message.line, str(violation))


def find_glossary_warnings(config: Config) -> Iterator[Finding]:
    """Human translations (reviewed) that do not keep a ``do_not_translate`` glossary term as written
    (``PauseAI Global`` → ``PauzeAI Wereldwijd``), at the PO file line: warnings, as a translator may
    have had a reason. Machine translations are checked when they are made (the ``glossary`` column)."""
    from ..mt.glossary import Glossary, check_terms, load_glossary

    keep = load_glossary(config.glossary).keep
    if not keep:
        return
    only_keep = Glossary(keep=keep)
    for path, language, message in _active_messages(config):
        if message.state is not State.REVIEWED or message.origin is not None:
            continue
        missed = check_terms(only_keep, message.msgid, message.msgstr, language)
        if missed:
            terms = ", ".join(f"'{term}'" for term in missed)
            yield Finding(path, message.line, f"glossary: do-not-translate {terms} not kept as written")


def find_number_warnings(config: Config) -> Iterator[Finding]:
    """Every usable translation (human or machine) whose numbers differ from its source's
    (:func:`i18n.checks.check_numbers`), at its PO file line: warnings."""
    from ..checks import check_numbers

    for path, _, message in _active_messages(config):
        if message.msgstr and message.state in (State.REVIEWED, State.MACHINE):
            violation = check_numbers(message.msgid, message.msgstr)
            if violation is not None:
                yield Finding(path, message.line, str(violation))


def _active_messages(config: Config) -> Iterator[tuple[Path, str, Message]]:
    """Every active message of every catalog on disk: its file, language and message."""
    for language in config.languages:
        for source in list_sources(config):
            path = catalog_path(config, language, source.ref)
            if path.exists():
                for message in read_catalog(path, source.ref, language).active:
                    yield path, language, message


def find_site_conflicts(config: Config, skipped: list[PageError] | None = None) -> Iterator[Finding]:
    """Conflicts with the site's markdown toolchain (:mod:`i18n.markdown.sitecheck`), at the English page's
    line: warnings. ``skipped``: a page that cannot be read or parsed is added to it instead of raising."""
    from ..markdown.sitecheck import site_conflicts
    from .documents import decode, markdown_kind, read_source

    kind = markdown_kind(config)
    for source in list_sources(config):
        if source.kind != "markdown":
            continue  # message files are not compiled by mdsvex
        try:
            page = kind.parse(decode(read_source(source), source.location), source.location)
        except PageError as exc:
            if skipped_page(skipped, exc):
                continue
            raise
        for conflict in site_conflicts(page, inject_anchors=config.inject_anchors):
            yield Finding(source.path, conflict.line, f"{conflict.code}: {conflict.message}")


PSEUDO_FINDING = (
    "pseudo: pseudo-localised text is not a translation (never built; the next real engine run "
    "replaces it; for layout tests use `i18n build --pseudo`)"
)
STATE_ORDER = (State.MISSING, State.MACHINE, State.REVIEWED, State.STALE, State.REJECTED)


def status_document(status: dict[str, tuple[PageStatus, ...]]) -> dict[str, Any]:
    """``status --json``: per language, per page and in total (keys as in the README)."""
    languages: dict[str, Any] = {}
    for language, rows in status.items():
        pages = {row.page: _row(row) for row in rows}
        keys = ("segments", "words", "characters", "usable", "glossary", *(s.value for s in STATE_ORDER))
        totals: dict[str, Any] = {key: sum(p[key] for p in pages.values()) for key in keys}
        segments = totals["segments"]
        totals["usable_percent"] = round(100.0 * totals["usable"] / segments, 1) if segments else 100.0
        languages[language] = {"pages": pages, "totals": totals}
    return {"languages": languages}


def _row(row: PageStatus) -> dict[str, Any]:
    data: dict[str, Any] = {"segments": row.segments, "words": row.words, "characters": row.characters}
    data.update({state.value: row.counts[state] for state in STATE_ORDER})
    data["usable"] = row.usable
    data["glossary"] = row.glossary
    data["usable_percent"] = row.usable_percent
    return data
