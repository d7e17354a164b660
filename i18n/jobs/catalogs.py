"""Catalog files as the jobs read and write them: the one place for paths, headers, dates and writes.

Every write is atomic and only when the content changes, and never overwrites an edit made since the file
was read: a catalog records the digest of the file it came from, and before writing, the file is checked
against it. If a translator saved the file meanwhile, it is read again and the job's change re-applied to
it (by default: an entry the translator changed keeps the translator's version; :func:`merge_edits`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from ..catalog.header import DATE_FORMAT, date_field, header_comment, header_fields
from ..catalog.model import Catalog, Message
from ..clock import Clock
from ..config import Config
from ..errors import I18nError
from ..files import bytes_digest, file_digest, read_regular, write_atomic
from .layout import Source, catalog_path

Reapply = Callable[[Catalog | None], Catalog]  # the job's change made again on the file as it is now
ATTEMPTS = 5  # re-reads of a catalog that keeps changing under a write, before giving up


class Written(NamedTuple):
    """What :func:`write_catalog` did: whether the file (would have) changed, and the catalog as it is
    now on disk (with a translator's edits merged in, if there were any since it was read)."""

    changed: bool
    catalog: Catalog
    merged: bool = False  # the file had changed since it was read: the job's change was re-applied


def read_catalog(path: Path, ref: str, language: str | None) -> Catalog:
    """A catalog file, with the digest of its bytes; a syntax error is a ``CatalogError`` naming the
    file and line. Only a regular file is read."""
    from ..catalog.po import CatalogError, decode_catalog, parse_catalog

    try:
        data = read_regular(path)
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror or exc}", path=path) from None
    text = decode_catalog(data, path)  # in the charset its header declares (written back as UTF-8)
    return replace(parse_catalog(text, ref, language, path=path), digest=bytes_digest(data))


def new_catalog(source: Source, language: str | None, messages: tuple[Message, ...]) -> Catalog:
    """A catalog of ``source`` in ``language`` (header filled in when written)."""
    return Catalog(language, source.ref, (), messages, header_comment(language, source.location))


def merge_edits(base: Catalog | None, ours: Catalog, theirs: Catalog | None) -> Catalog:
    """``theirs`` (the file now) with our changes since ``base`` (the file as we read it) applied where
    ``theirs`` left the entry as ``base`` had it: an entry someone else changed keeps their version."""
    if theirs is None:
        return ours
    before = {(m.key, m.obsolete): m for m in base.messages} if base is not None else {}
    after = {(m.key, m.obsolete): m for m in ours.messages}
    messages = []
    for message in theirs.messages:
        key = (message.key, message.obsolete)
        old, new = before.get(key), after.get(key)
        untouched = old is not None and message == old
        messages.append(new if untouched and new is not None else message)
    return replace(theirs, messages=tuple(messages))


def write_catalog(
    config: Config,
    catalog: Catalog,
    source: Source,
    existing: Catalog | None,
    clock: Clock,
    *,
    dry_run: bool = False,
    reapply: Reapply | None = None,
) -> Written:
    """Write ``catalog`` unless the file already says the same (the date aside).

    ``existing`` is the catalog as read (None: there was no file). If the file is no longer what was
    read, it is read again and ``reapply`` (default: :func:`merge_edits` of our change) makes the catalog
    to write from it, so an edit made meanwhile is never overwritten. The header's date is the time of
    the last real change, so a no-op run rewrites nothing.
    """
    path = catalog_path(config, catalog.language, source.ref)
    merged = False
    for _ in range(ATTEMPTS):
        expected = existing.digest if existing is not None else None
        if not dry_run and file_digest(path) != expected:
            theirs = read_catalog(path, source.ref, catalog.language) if path.exists() else None
            catalog = reapply(theirs) if reapply is not None else merge_edits(existing, catalog, theirs)
            existing, merged = theirs, True
            continue
        text, header = _text(config, catalog, source, existing, clock, path)
        if text is None:
            return Written(False, replace(catalog, header=header, digest=expected), merged)
        data = text.encode("utf-8")
        if not dry_run:
            if file_digest(path) != expected:  # changed while we formatted: start again
                continue
            write_atomic(path, data)
        return Written(True, replace(catalog, header=header, digest=bytes_digest(data)), merged)
    raise I18nError("the file keeps changing while it is being written: try again", path=path)


def _text(
    config: Config, catalog: Catalog, source: Source, existing: Catalog | None, clock: Clock, path: Path
) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """The file's new text (None: the file already says it) and the header it holds."""
    from ..catalog.po import format_catalog

    field = date_field(catalog.language)
    old_date = existing.header_value(field) if existing else None
    now = clock().strftime(DATE_FORMAT)
    kept = dict(existing.header) if existing else {}
    # msgmerge's field, written from the start: the first ``msgmerge --update`` then changes nothing
    language = catalog.language is not None
    template = _template_date(catalog_path(config, None, source.ref)) if language else None

    def text_at(date: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        header = tuple(
            header_fields(config.project_id, catalog.language, source.location, date, kept, template)
        )
        return format_catalog(replace(catalog, header=header)), header

    if old_date is None:
        return text_at(now)
    text, header = text_at(old_date)
    try:
        if read_regular(path) == text.encode("utf-8"):
            return None, header
    except FileNotFoundError:
        pass
    old_line, new_line = f'"{field}: {old_date}\\n"\n', f'"{field}: {now}\\n"\n'
    at, header_end = text.find(old_line), text.find("\n\n")
    if 0 <= at < header_end:  # the date is one short header line: change it, not format again
        changed = tuple((k, now if k == field else v) for k, v in header)
        return text[:at] + new_line + text[at + len(old_line) :], changed
    return text_at(now)


_POT_DATE = re.compile(rb'^"POT-Creation-Date: ([^"\\]*)\\n"$', re.MULTILINE)


def _template_date(path: Path) -> str | None:
    """The ``POT-Creation-Date`` of the template at ``path`` (None: no template, or none in it)."""
    try:
        with path.open("rb") as file:
            head = file.read(4096)
    except OSError:
        return None
    found = _POT_DATE.search(head)
    return found.group(1).decode("utf-8", "replace") if found else None


def write_text_unless_changed(path: Path, text: str, existing: Catalog) -> bool:
    """Write a catalog's whole ``text`` unless the file changed since ``existing`` was read (False: the
    caller reads it again)."""
    if file_digest(path) != existing.digest:
        return False
    write_atomic(path, text.encode("utf-8"))
    return True
