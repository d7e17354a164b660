"""Catalog files as the jobs read and write them: one place for paths, headers, dates and atomic writes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..catalog.header import DATE_FORMAT, date_field, header_comment, header_fields
from ..catalog.model import Catalog, Message
from ..clock import Clock
from ..config import Config
from ..files import write_atomic
from .layout import Source, catalog_path


def read_catalog(path: Path, ref: str, language: str | None) -> Catalog:
    """A catalog file; a syntax error is a ``CatalogError`` naming the file and line."""
    from ..catalog.po import read_catalog as read

    return read(path, ref, language)


def read_if_exists(config: Config, language: str | None, ref: str) -> Catalog | None:
    path = catalog_path(config, language, ref)
    return read_catalog(path, ref, language) if path.exists() else None


def new_catalog(source: Source, language: str | None, messages: tuple[Message, ...]) -> Catalog:
    """A catalog of ``source`` in ``language`` (header filled in when written)."""
    return Catalog(language, source.ref, (), messages, header_comment(language, source.location))


def write_catalog(
    config: Config,
    catalog: Catalog,
    source: Source,
    existing: Catalog | None,
    clock: Clock,
    *,
    dry_run: bool = False,
) -> bool:
    """Write ``catalog`` unless the file already says the same (the date aside); True if it (would have)
    changed. The header's date is the time of the last real change, so a no-op run rewrites nothing."""
    from ..catalog.po import format_catalog

    path = catalog_path(config, catalog.language, source.ref)
    field = date_field(catalog.language)
    old_date = existing.header_value(field) if existing else None
    now = clock().strftime(DATE_FORMAT)
    kept = dict(existing.header) if existing else {}

    def text_at(date: str) -> str:
        header = header_fields(config.project_id, catalog.language, source.location, date, kept)
        return format_catalog(replace(catalog, header=header))

    if old_date is None:
        text = text_at(now)
    else:
        text = text_at(old_date)
        try:
            if path.read_bytes() == text.encode("utf-8"):
                return False
        except FileNotFoundError:
            pass
        old_line, new_line = f'"{field}: {old_date}\\n"\n', f'"{field}: {now}\\n"\n'
        at, header_end = text.find(old_line), text.find("\n\n")
        # the date is one short header line: change it, not format again
        text = text[:at] + new_line + text[at + len(old_line) :] if 0 <= at < header_end else text_at(now)
    if not dry_run:
        write_atomic(path, text.encode("utf-8"))
    return True
